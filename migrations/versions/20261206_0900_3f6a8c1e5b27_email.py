"""Email: outbound emails (queued, sent, failed, or for a broker to pass on) and people's choices of which
kinds they get; four new kinds of notice (introductions, a DBS check expiring, a session changed).

Revision ID: 3f6a8c1e5b27
Revises: 9d4e1b7a2c6f
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f6a8c1e5b27'
down_revision = '9d4e1b7a2c6f'
branch_labels = None
depends_on = None

NOTICE_KINDS = ("exchange_pending", "listing_review", "session_place", "session_cancelled",
                "place_needs_clearance", "sign_up_cancelled_late", "dispute_raised", "dispute_resolved",
                "password_help")
NEW_NOTICE_KINDS = ("introduction_made", "introduction_answered", "dbs_expiring", "session_changed")
EMAIL_KINDS = ("exchange_pending", "listing_review", "session_place", "session_cancelled", "session_changed",
               "place_needs_clearance", "sign_up_cancelled_late", "dispute_raised", "dispute_resolved",
               "password_help", "introduction_made", "introduction_answered", "dbs_expiring", "password_set_up",
               "password_reset")
EMAIL_STATUSES = ("queued", "sent", "failed", "for_broker", "passed_on")


def _kind():
    return sa.Enum(*EMAIL_KINDS, name='email_kind', native_enum=False, create_constraint=True, length=22)


def _notice_kinds(kinds):
    """(Re)create the CHECK that names every kind of notice (batch mode: SQLite rebuilds the table)."""
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notices_notice_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_notices_notice_kind'),
                                         "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")")


def upgrade():
    _notice_kinds(NOTICE_KINDS + NEW_NOTICE_KINDS)
    op.create_table('outbound_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=True),
    sa.Column('kind', _kind(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('notice_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=True),
    sa.Column('status', sa.Enum(*EMAIL_STATUSES, name='email_status', native_enum=False, create_constraint=True,
                                length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('passed_on_by_id', sa.Integer(), nullable=True),
    sa.Column('passed_on_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('subject_line', sa.String(length=300), nullable=True),
    sa.Column('text_body', sa.Text(), nullable=True),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_outbound_emails_attempts_not_negative')),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_outbound_emails_notice_id_notices')),
    sa.ForeignKeyConstraint(['passed_on_by_id'], ['people.id'], name=op.f('fk_outbound_emails_passed_on_by_id_people')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_outbound_emails_person_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_outbound_emails_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_emails'))
    )
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.create_index('ix_outbound_emails_bank_status', ['time_bank_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_outbound_emails_person', ['person_id', 'id'], unique=False)
        batch_op.create_index('ix_outbound_emails_status', ['status', 'id'], unique=False)

    op.create_table('email_preferences',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', _kind(), nullable=False),
    sa.Column('wanted', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_email_preferences_person_id_people')),
    sa.PrimaryKeyConstraint('person_id', 'kind', name=op.f('pk_email_preferences'))
    )


def downgrade():
    op.drop_table('email_preferences')
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.drop_index('ix_outbound_emails_status')
        batch_op.drop_index('ix_outbound_emails_person')
        batch_op.drop_index('ix_outbound_emails_bank_status')
    op.drop_table('outbound_emails')
    op.execute("DELETE FROM notices WHERE kind IN (" + ", ".join(f"'{kind}'" for kind in NEW_NOTICE_KINDS) + ")")
    _notice_kinds(NOTICE_KINDS)
