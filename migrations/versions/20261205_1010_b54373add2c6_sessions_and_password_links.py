"""Sessions that really end and passwords people can set: a session version on each person, single-use
password links, and the notice that tells brokers someone asked for a new password.

Every existing person starts at session version 1. Sessions signed in before this revision carry no
version, so they all end at the upgrade and everyone signs in again once.

Revision ID: b54373add2c6
Revises: 979d918f5926
Create Date: 2026-12-05 10:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

from timebank.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'b54373add2c6'
down_revision = '979d918f5926'
branch_labels = None
depends_on = None

LIVE_LINK_SQL = "used_at IS NULL AND revoked_at IS NULL"
NOTICE_KINDS = ("exchange_pending", "listing_review", "session_place", "session_cancelled",
                "sign_up_cancelled_late", "dispute_raised", "dispute_resolved", "place_needs_clearance")


def _notice_kinds(kinds):
    """(Re)create the CHECK that names every kind of notice (batch mode: SQLite rebuilds the table)."""
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notices_notice_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_notices_notice_kind'),
                                         "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")")


def upgrade():
    op.create_table('password_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('set_up', 'reset', name='password_link_purpose', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('expires_at > created_at', name=op.f('ck_password_links_expires_after_made')),
    sa.CheckConstraint('used_at IS NULL OR revoked_at IS NULL', name=op.f('ck_password_links_used_or_revoked')),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_password_links_created_by_id_people')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_password_links_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_links')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_password_links_secret_hash'))
    )
    with op.batch_alter_table('password_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_links_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ux_password_links_one_live', ['person_id'], unique=True,
                              sqlite_where=sa.text(LIVE_LINK_SQL), postgresql_where=sa.text(LIVE_LINK_SQL))

    # A plain ADD COLUMN on SQLite too (no CHECK, so batch mode need not rebuild ``people``, which every
    # other table refers to).
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))

    _notice_kinds(NOTICE_KINDS + ("password_help",))


def downgrade():
    op.execute("DELETE FROM notices WHERE kind = 'password_help'")
    _notice_kinds(NOTICE_KINDS)

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('session_version')

    with op.batch_alter_table('password_links', schema=None) as batch_op:
        batch_op.drop_index('ux_password_links_one_live', sqlite_where=sa.text(LIVE_LINK_SQL),
                            postgresql_where=sa.text(LIVE_LINK_SQL))
        batch_op.drop_index(batch_op.f('ix_password_links_person_id'))

    op.drop_table('password_links')
