"""A bank's recent activity read along an index (the broker's dashboard). The notices introductions raise
are named in the notice kinds by the email migration before this one.

Revision ID: c4a7e2b19d3f
Revises: 3f6a8c1e5b27
Create Date: 2026-12-06 09:05:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4a7e2b19d3f'
down_revision = '3f6a8c1e5b27'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_bank_id', ['time_bank_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_bank_id')
