"""API tokens get a name and a scope (read or write), chosen when made; the never-written last_used_at
goes (stamping it would make every API read a database write).

Tokens made before this get the name "Token made before names" and scope write: they could do
everything, and still can until they expire or are revoked.

Revision ID: 65fa645fbb1b
Revises: b54373add2c6
Create Date: 2026-12-05 10:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

from timebank.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '65fa645fbb1b'
down_revision = 'b54373add2c6'
branch_labels = None
depends_on = None

SCOPE = sa.Enum('read', 'write', name='api_token_scope', native_enum=False, create_constraint=True, length=5)


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('scope', SCOPE, nullable=True))
    op.execute("UPDATE api_tokens SET name = 'Token made before names', scope = 'write'")
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column('scope', existing_type=SCOPE, nullable=False)
        batch_op.create_check_constraint(op.f('ck_api_tokens_name_given'), "name <> ''")
        batch_op.drop_column('last_used_at')


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_used_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_api_tokens_name_given'), type_='check')
        batch_op.drop_constraint(op.f('ck_api_tokens_api_token_scope'), type_='check')
        batch_op.drop_column('scope')
        batch_op.drop_column('name')
