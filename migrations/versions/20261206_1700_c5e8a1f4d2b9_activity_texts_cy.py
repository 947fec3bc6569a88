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


#: The Welsh columns, by table.
COLUMNS = {
    "activities": (sa.Column("title_cy", sa.String(length=200), nullable=True), sa.Column("summary_cy", sa.Text(), nullable=True)),
    "roles": (sa.Column("title_cy", sa.String(length=200), nullable=True), sa.Column("description_cy", sa.Text(), nullable=True)),
}


def upgrade():
    for table, columns in COLUMNS.items():
        for column in columns:
            op.add_column(table, column)


def downgrade():
    # A plain DROP COLUMN on both databases (SQLite 3.35 on): a batch operation would copy and drop ``roles``,
    # which sessions and sign-ups refer to, and SQLite refuses to drop a table that rows refer to.
    for table, columns in COLUMNS.items():
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column.name}")
