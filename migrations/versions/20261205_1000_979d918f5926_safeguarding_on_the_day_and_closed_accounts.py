"""Safeguarding judged on the day of the session, and accounts closed when their holder leaves.

* ``accounts.closed_at``: set when the holder leaves. Backfilled for everyone who has already left.
  Triggers on both databases refuse a new exchange, or the confirmation of a pending one, on a closed
  account (reversals stay allowed), and refuse reopening or re-dating a closed account.
* ``time_banks.attendance_without_clearance``: whether organisers may record that someone without the
  clearance a role needs came, with no credits (off).
* ``sign_ups.without_credits``: such an attendance. An attended sign-up has an exchange unless it is
  one of these.
* A notice for someone the waiting list passed over because their clearance will not hold on the day.

Revision ID: 979d918f5926
Revises: 6aef045b1eea
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

from timebank.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '979d918f5926'
down_revision = '6aef045b1eea'
branch_labels = None
depends_on = None

NOTICE_KINDS = ("exchange_pending", "listing_review", "session_place", "session_cancelled",
                "sign_up_cancelled_late", "dispute_raised", "dispute_resolved")
NEW_NOTICE_KIND = "place_needs_clearance"

#: An exchange row that touches a closed account (the trigger's test, shared by both databases).
ON_CLOSED_ACCOUNT = (
    "EXISTS (SELECT 1 FROM accounts WHERE accounts.id IN (NEW.payer_account_id, NEW.payee_account_id) "
    "AND accounts.closed_at IS NOT NULL)"
)
#: A closed account keeps the moment it closed.
REOPENED = "OLD.closed_at IS NOT NULL AND (NEW.closed_at IS NULL OR NEW.closed_at <> OLD.closed_at)"

#: The closing moment of each account whose holder has already left: when they left, or, where an
#: exchange was recorded on it after that (the fault this revision fixes), the last such one, so the
#: books verify; anything still pending on it is reported by ``ledger verify`` for a broker to settle.
BACKFILL = """
UPDATE accounts SET closed_at = (
    SELECT CASE WHEN max(exchanges.created_at) > holders.pseudonymised_at
                THEN max(exchanges.created_at) ELSE holders.pseudonymised_at END
    FROM holders LEFT JOIN exchanges
      ON exchanges.kind = 'exchange'
     AND (exchanges.payer_account_id = accounts.id OR exchanges.payee_account_id = accounts.id)
    WHERE holders.id = accounts.holder_id
    GROUP BY holders.pseudonymised_at
)
WHERE holder_id IN (SELECT id FROM holders WHERE pseudonymised_at IS NOT NULL)
"""


def _closed_account_triggers():
    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL's WHEN clause cannot hold a subquery, so the function looks the accounts up.
        op.execute(
            "CREATE FUNCTION timebank_refuse_closed_account() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF NEW.kind = 'exchange' AND {ON_CLOSED_ACCOUNT} THEN "
            "RAISE EXCEPTION '% of an exchange on a closed account refused', TG_OP; END IF; RETURN NEW; END; $$"
        )
        op.execute(
            "CREATE TRIGGER exchanges_not_on_closed_accounts BEFORE INSERT ON exchanges "
            "FOR EACH ROW EXECUTE FUNCTION timebank_refuse_closed_account()"
        )
        op.execute(
            "CREATE TRIGGER exchanges_not_confirmed_on_closed_accounts BEFORE UPDATE OF state ON exchanges "
            "FOR EACH ROW WHEN (OLD.state = 'pending' AND NEW.state = 'confirmed') "
            "EXECUTE FUNCTION timebank_refuse_closed_account()"
        )
        op.execute(
            "CREATE TRIGGER accounts_stay_closed BEFORE UPDATE OF closed_at ON accounts "
            f"FOR EACH ROW WHEN ({REOPENED}) EXECUTE FUNCTION timebank_refuse_change()"
        )
        return
    op.execute(
        "CREATE TRIGGER exchanges_not_on_closed_accounts BEFORE INSERT ON exchanges "
        f"WHEN NEW.kind = 'exchange' AND {ON_CLOSED_ACCOUNT} "
        "BEGIN SELECT RAISE(ABORT, 'INSERT of an exchange on a closed account refused'); END"
    )
    op.execute(
        "CREATE TRIGGER exchanges_not_confirmed_on_closed_accounts BEFORE UPDATE OF state ON exchanges "
        f"WHEN OLD.state = 'pending' AND NEW.state = 'confirmed' AND {ON_CLOSED_ACCOUNT} "
        "BEGIN SELECT RAISE(ABORT, 'UPDATE of an exchange on a closed account refused'); END"
    )
    op.execute(
        f"CREATE TRIGGER accounts_stay_closed BEFORE UPDATE OF closed_at ON accounts WHEN {REOPENED} "
        "BEGIN SELECT RAISE(ABORT, 'UPDATE of accounts refused: a closed account stays closed'); END"
    )


def _drop_closed_account_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER accounts_stay_closed ON accounts")
        op.execute("DROP TRIGGER exchanges_not_confirmed_on_closed_accounts ON exchanges")
        op.execute("DROP TRIGGER exchanges_not_on_closed_accounts ON exchanges")
        op.execute("DROP FUNCTION timebank_refuse_closed_account()")
        return
    for name in ("accounts_stay_closed", "exchanges_not_confirmed_on_closed_accounts",
                 "exchanges_not_on_closed_accounts"):
        op.execute(f"DROP TRIGGER {name}")


def _notice_kinds(kinds):
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notices_notice_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_notices_notice_kind'),
                                         "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")")


def _sign_ups_batch():
    """A batch for sign_ups that keeps its partial UNIQUE index: SQLite's table copy would not."""
    op.drop_index('ux_sign_ups_one_live', table_name='sign_ups')
    return op.batch_alter_table('sign_ups', schema=None)


def _sign_ups_live_index():
    op.create_index('ux_sign_ups_one_live', 'sign_ups', ['session_id', 'person_id'], unique=True,
                    sqlite_where=sa.text("status <> 'cancelled'"), postgresql_where=sa.text("status <> 'cancelled'"))


def upgrade():
    # Plain ADD COLUMNs on both databases: on SQLite a batch would copy the table and drop the original,
    # which the foreign keys of every exchange and account (and the ledger's triggers) refuse.
    op.add_column('accounts', sa.Column('closed_at', UTCDateTime(timezone=True), nullable=True))
    op.execute(BACKFILL)
    _closed_account_triggers()
    op.add_column('time_banks', sa.Column('attendance_without_clearance', sa.Boolean(), server_default=sa.false(),
                                          nullable=False))

    with _sign_ups_batch() as batch_op:
        batch_op.add_column(sa.Column('without_credits', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_constraint(op.f('ck_sign_ups_attended_iff_exchange'), type_='check')
        batch_op.create_check_constraint(op.f('ck_sign_ups_attended_iff_exchange'),
                                         "(status = 'attended' AND NOT without_credits) = (exchange_id IS NOT NULL)")
        batch_op.create_check_constraint(op.f('ck_sign_ups_without_credits_only_attended'),
                                         "NOT without_credits OR status = 'attended'")
    _sign_ups_live_index()

    _notice_kinds((*NOTICE_KINDS, NEW_NOTICE_KIND))


def downgrade():
    op.execute(f"DELETE FROM notices WHERE kind = '{NEW_NOTICE_KIND}'")
    _notice_kinds(NOTICE_KINDS)

    # An attendance recorded without credits cannot be put back as it was: it becomes "did not come".
    op.execute("UPDATE sign_ups SET status = 'absent', without_credits = false WHERE without_credits")
    with _sign_ups_batch() as batch_op:
        batch_op.drop_constraint(op.f('ck_sign_ups_without_credits_only_attended'), type_='check')
        batch_op.drop_constraint(op.f('ck_sign_ups_attended_iff_exchange'), type_='check')
        batch_op.create_check_constraint(op.f('ck_sign_ups_attended_iff_exchange'),
                                         "(status = 'attended') = (exchange_id IS NOT NULL)")
        batch_op.drop_column('without_credits')
    _sign_ups_live_index()

    _drop_closed_account_triggers()
    for table, column in (('time_banks', 'attendance_without_clearance'), ('accounts', 'closed_at')):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_column(table, column)
