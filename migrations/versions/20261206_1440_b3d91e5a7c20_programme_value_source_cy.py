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
    op.add_column('programmes', sa.Column('value_source_cy', sa.String(length=300), nullable=True))


def downgrade():
    # A plain DROP COLUMN on both databases (SQLite 3.35 on): a batch operation would copy and drop
    # ``programmes``, which SQLite refuses while other rows refer to it.
    op.execute("ALTER TABLE programmes DROP COLUMN value_source_cy")
