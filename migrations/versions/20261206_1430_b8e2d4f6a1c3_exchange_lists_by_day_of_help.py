"""Exchange lists newest first by the day of the help (then the order recorded), as they say, not by the order
recorded alone: each branch of a list reads an index ending (occurred_on, id). Those for an account and for a
bank take the place of the (account, occurred_on) and (bank, occurred_on) ones, which the monthly charts and
matching's recent load read through the same columns; the one for a bank and state takes the place of
(bank, state, id).

Revision ID: b8e2d4f6a1c3
Revises: b3d91e6a5c07
Create Date: 2026-12-06 14:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b8e2d4f6a1c3'
down_revision = 'b3d91e6a5c07'
branch_labels = None
depends_on = None

#: (new index, its columns) → (the index it replaces, its columns).
REPLACED = (
    (("ix_exchanges_receiver_occurred_id", ["receiver_account_id", "occurred_on", "id"]),
     ("ix_exchanges_receiver_occurred", ["receiver_account_id", "occurred_on"])),
    (("ix_exchanges_giver_occurred_id", ["giver_account_id", "occurred_on", "id"]),
     ("ix_exchanges_giver_occurred", ["giver_account_id", "occurred_on"])),
    (("ix_exchanges_bank_occurred_id", ["time_bank_id", "occurred_on", "id"]),
     ("ix_exchanges_bank_occurred", ["time_bank_id", "occurred_on"])),
    (("ix_exchanges_bank_state_occurred_id", ["time_bank_id", "state", "occurred_on", "id"]),
     ("ix_exchanges_bank_state_id", ["time_bank_id", "state", "id"])),
)


def upgrade():
    for (name, columns), (old, _old_columns) in REPLACED:
        op.create_index(name, "exchanges", columns, unique=False)
        op.drop_index(old, table_name="exchanges")


def downgrade():
    for (name, _columns), (old, old_columns) in REPLACED:
        op.create_index(old, "exchanges", old_columns, unique=False)
        op.drop_index(name, table_name="exchanges")
