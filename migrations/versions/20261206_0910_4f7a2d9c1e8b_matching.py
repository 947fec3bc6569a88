"""Matching reads indexes, not the bank: who is free at a session's weekday and part of the day
(availability_slots by slot), a bank's help of the last four weeks (exchanges by bank and day), for the
"recent load" part of a candidate's score; the two profile columns ranking reads, from an index (PostgreSQL
INCLUDE) rather than the wide rows; and the few who opted out of suggestions or left (partial
indexes), counted without reading every member.

Revision ID: 4f7a2d9c1e8b
Revises: c4a7e2b19d3f
Create Date: 2026-12-06 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "4f7a2d9c1e8b"
down_revision = "c4a7e2b19d3f"
branch_labels = None
depends_on = None

OPTED_OUT = sa.text("NOT open_to_introductions")
CLOSED = sa.text("closed_at IS NOT NULL")


def upgrade():
    op.create_index("ix_availability_slots_slot", "availability_slots", ["weekday", "period", "holder_id"],
                    unique=False)
    op.create_index("ix_exchanges_bank_occurred", "exchanges", ["time_bank_id", "occurred_on"], unique=False)
    op.create_index("ix_profiles_matching", "profiles", ["holder_id"], unique=False,
                    postgresql_include=["open_to_introductions", "can_travel"])
    op.create_index("ix_profiles_opted_out", "profiles", ["holder_id"], unique=False,
                    postgresql_where=OPTED_OUT, sqlite_where=OPTED_OUT)
    op.create_index("ix_accounts_bank_closed", "accounts", ["time_bank_id"], unique=False,
                    postgresql_where=CLOSED, sqlite_where=CLOSED)


def downgrade():
    op.drop_index("ix_accounts_bank_closed", table_name="accounts")
    op.drop_index("ix_profiles_opted_out", table_name="profiles")
    op.drop_index("ix_profiles_matching", table_name="profiles")
    op.drop_index("ix_exchanges_bank_occurred", table_name="exchanges")
    op.drop_index("ix_availability_slots_slot", table_name="availability_slots")
