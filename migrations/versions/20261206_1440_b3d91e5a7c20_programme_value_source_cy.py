"""Programmes: the social-value estimate's source in Welsh (optional), for the Welsh report.

Revision ID: b3d91e5a7c20
Revises: b8e2d4f6a1c3
Create Date: 2026-12-06 14:20:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b3d91e5a7c20'
down_revision = 'b8e2d4f6a1c3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value_source_cy', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_column('value_source_cy')
