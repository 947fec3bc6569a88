"""Activities and roles: their titles and descriptions in Welsh (optional), for Welsh pages.

Revision ID: c5e8a1f4d2b9
Revises: b3d91e5a7c20
Create Date: 2026-12-06 17:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c5e8a1f4d2b9'
down_revision = 'b3d91e5a7c20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_cy', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('summary_cy', sa.Text(), nullable=True))
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_cy', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('description_cy', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.drop_column('description_cy')
        batch_op.drop_column('title_cy')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('summary_cy')
        batch_op.drop_column('title_cy')
