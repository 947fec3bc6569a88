"""The brokers' lists read a page, not the bank: a bank's pending exchanges by age (stale ones on the home
page) and its disputes by status, each from an index that serves the order; DBS checks by their dates, so
the checks ending soon are found without reading every check.

Revision ID: 5b8e2c4f6a1d
Revises: 3080b4bb3340
Create Date: 2026-12-06 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5b8e2c4f6a1d"
down_revision = "3080b4bb3340"
branch_labels = None
depends_on = None

PENDING = sa.text("state = 'pending'")


def upgrade():
    op.create_index("ix_exchanges_bank_pending_created", "exchanges", ["time_bank_id", "created_at", "id"],
                    unique=False, sqlite_where=PENDING, postgresql_where=PENDING)
    op.create_index("ix_disputes_bank_status_id", "disputes", ["time_bank_id", "status", "id"], unique=False)
    op.create_index(op.f("ix_dbs_checks_issued_on"), "dbs_checks", ["issued_on"], unique=False)
    op.create_index(op.f("ix_dbs_checks_status_checked_on"), "dbs_checks", ["status_checked_on"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_dbs_checks_status_checked_on"), table_name="dbs_checks")
    op.drop_index(op.f("ix_dbs_checks_issued_on"), table_name="dbs_checks")
    op.drop_index("ix_disputes_bank_status_id", table_name="disputes")
    op.drop_index("ix_exchanges_bank_pending_created", table_name="exchanges")
