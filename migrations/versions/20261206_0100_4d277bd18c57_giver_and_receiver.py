"""The two sides of an exchange are called what the pages call them: the giver (who gave the help and is
credited) and the receiver (who received it and is debited).

* ``exchanges.payer_account_id`` → ``receiver_account_id``, ``payee_account_id`` → ``giver_account_id``;
  their foreign keys (``fk_exchanges_*_in_bank``) and indexes (``ix_exchanges_*_created``) follow. The
  CHECKs ``distinct_accounts`` and ``proposer_is_a_party`` keep their names; their bodies name the new
  columns.
* Nothing else changes: no row is touched, so every posting's hash still verifies (the hash chain hashes
  the values in order, never the names: ``timebank/ledger/chain.py``).

SQLite: ``ALTER TABLE … RENAME COLUMN`` rewrites the table, its indexes and every trigger that names the
columns (the append-only and closed-account triggers); the table is never copied, which the ledger's
triggers and every foreign key onto exchanges would refuse. SQLite cannot rename a constraint, so the two
foreign keys' names are changed in the schema text itself, SQLite's documented procedure for a change
that leaves the stored data as it is (https://www.sqlite.org/lang_altertable.html, "making other kinds of
table schema changes").
PostgreSQL: renaming follows the columns everywhere (constraints, indexes, trigger column lists and WHEN
clauses) except inside a function's text, so ``timebank_refuse_closed_account()`` is made again.

Revision ID: 4d277bd18c57
Revises: dc925291bc8e
Create Date: 2026-12-06 01:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '4d277bd18c57'
down_revision = 'dc925291bc8e'
branch_labels = None
depends_on = None

#: Old column name → new: the debited side, then the credited one.
RENAMED = {"payer_account_id": "receiver_account_id", "payee_account_id": "giver_account_id"}
#: The names that follow each column: (old, new).
SIDES = (("payer", "receiver"), ("payee", "giver"))


def _refuse_closed_account(debited, credited):
    """The closed-account trigger function, as 979d918f5926 made it, over the given columns."""
    return (
        "CREATE OR REPLACE FUNCTION timebank_refuse_closed_account() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF NEW.kind = 'exchange' AND "
        f"EXISTS (SELECT 1 FROM accounts WHERE accounts.id IN (NEW.{debited}, NEW.{credited}) "
        "AND accounts.closed_at IS NOT NULL) THEN "
        "RAISE EXCEPTION '% of an exchange on a closed account refused', TG_OP; END IF; RETURN NEW; END; $$"
    )


def _sqlite_rename_foreign_keys(names):
    """Rename foreign keys of ``exchanges`` (old → new) in SQLite's copy of its CREATE TABLE text."""
    sql = "sql"
    for old, new in names.items():
        sql = f"replace({sql}, 'CONSTRAINT {old} FOREIGN KEY', 'CONSTRAINT {new} FOREIGN KEY')"
    version = op.get_bind().exec_driver_sql("PRAGMA schema_version").scalar_one()
    op.execute("PRAGMA writable_schema = ON")
    op.execute(f"UPDATE sqlite_master SET sql = {sql} WHERE type = 'table' AND name = 'exchanges'")
    op.execute(f"PRAGMA schema_version = {version + 1}")
    op.execute("PRAGMA writable_schema = OFF")


def _rename(columns, sides):
    """Rename the columns (old → new) and the names that follow them, ``sides`` being (old, new) words."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    for old, new in columns.items():
        op.execute(f"ALTER TABLE exchanges RENAME COLUMN {old} TO {new}")
    foreign_keys = {f"fk_exchanges_{old}_in_bank": f"fk_exchanges_{new}_in_bank" for old, new in sides}
    if postgresql:
        for old, new in foreign_keys.items():
            op.execute(f"ALTER TABLE exchanges RENAME CONSTRAINT {old} TO {new}")
    else:
        _sqlite_rename_foreign_keys(foreign_keys)
    for (old, new), column in zip(sides, columns.values(), strict=True):
        if postgresql:
            op.execute(f"ALTER INDEX ix_exchanges_{old}_created RENAME TO ix_exchanges_{new}_created")
        else:
            op.drop_index(f"ix_exchanges_{old}_created", table_name="exchanges")
            op.create_index(f"ix_exchanges_{new}_created", "exchanges", [column, "created_at"])
    if postgresql:
        op.execute(_refuse_closed_account(*columns.values()))


def upgrade():
    _rename(RENAMED, SIDES)


def downgrade():
    _rename({new: old for old, new in RENAMED.items()}, tuple((new, old) for old, new in SIDES))
