"""Exchange lists served by indexes, and each bank's hours per month kept as a summary.

The lists read a union of index-ordered branches (by account, by bank, by bank and state), so the old
(account, created_at) and (bank, state) indexes give way to ones ending in the id; the monthly charts get
(account, occurred_on); the pending queues get small partial indexes. ``bank_month_totals`` holds the
hours of standing exchanges per bank and month, filled here from the exchanges already recorded.

Revision ID: a1f3c5e7b9d2
Revises: 4d277bd18c57
Create Date: 2026-12-06 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1f3c5e7b9d2'
down_revision = '4d277bd18c57'
branch_labels = None
depends_on = None

PENDING = sa.text("state = 'pending'")

NEW_INDEXES = (
    ("ix_exchanges_receiver_id", ["receiver_account_id", "id"], {}),
    ("ix_exchanges_giver_id", ["giver_account_id", "id"], {}),
    ("ix_exchanges_bank_id", ["time_bank_id", "id"], {}),
    ("ix_exchanges_bank_state_id", ["time_bank_id", "state", "id"], {}),
    ("ix_exchanges_receiver_occurred", ["receiver_account_id", "occurred_on"], {}),
    ("ix_exchanges_giver_occurred", ["giver_account_id", "occurred_on"], {}),
    ("ix_exchanges_receiver_pending", ["receiver_account_id"], {"sqlite_where": PENDING, "postgresql_where": PENDING}),
    ("ix_exchanges_giver_pending", ["giver_account_id"], {"sqlite_where": PENDING, "postgresql_where": PENDING}),
)
OLD_INDEXES = (
    ("ix_exchanges_bank_state", ["time_bank_id", "state"]),
    ("ix_exchanges_receiver_created", ["receiver_account_id", "created_at"]),
    ("ix_exchanges_giver_created", ["giver_account_id", "created_at"]),
)


def _month_start(column):
    if op.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.date_trunc(sa.literal_column("'month'"), column), sa.Date)
    return sa.func.date(column, sa.literal_column("'start of month'"))


def upgrade():
    for name, columns, where in NEW_INDEXES:
        op.create_index(name, "exchanges", columns, unique=False, **where)
    for name, _columns in OLD_INDEXES:
        op.drop_index(name, table_name="exchanges")
    op.create_table(
        "bank_month_totals",
        sa.Column("time_bank_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), server_default="0", nullable=False),
        sa.Column("exchanges", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["time_bank_id"], ["time_banks.id"], name=op.f("fk_bank_month_totals_time_bank_id_time_banks")),
        sa.PrimaryKeyConstraint("time_bank_id", "month", name=op.f("pk_bank_month_totals")),
    )
    exchanges = sa.table("exchanges", *(sa.column(c) for c in
                                        ("time_bank_id", "occurred_on", "amount_minutes", "id", "state", "kind")))
    month = _month_start(exchanges.c.occurred_on)
    op.execute(
        sa.table("bank_month_totals", *(sa.column(c) for c in ("time_bank_id", "month", "minutes", "exchanges")))
        .insert()
        .from_select(
            ["time_bank_id", "month", "minutes", "exchanges"],
            sa.select(exchanges.c.time_bank_id, month, sa.func.sum(exchanges.c.amount_minutes),
                      sa.func.count(exchanges.c.id))
            .where(exchanges.c.state == "confirmed", exchanges.c.kind == "exchange")
            .group_by(exchanges.c.time_bank_id, month),
        )
    )


def downgrade():
    op.drop_table("bank_month_totals")
    for name, columns in OLD_INDEXES:
        op.create_index(name, "exchanges", columns, unique=False)
    for name, _columns, _where in NEW_INDEXES:
        op.drop_index(name, table_name="exchanges")
