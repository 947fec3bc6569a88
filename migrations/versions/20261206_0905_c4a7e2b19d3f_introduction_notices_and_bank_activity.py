"""The notices introductions raise (a broker made one, and one side answered it), and a bank's recent
activity read along an index (the broker's dashboard).

The email lane adds the same two kinds of notice; whichever migration comes second at merge finds the
constraint already naming them and makes it again unchanged.

Revision ID: c4a7e2b19d3f
Revises: 9d4e1b7a2c6f
Create Date: 2026-12-06 09:05:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4a7e2b19d3f'
down_revision = '9d4e1b7a2c6f'
branch_labels = None
depends_on = None

NOTICE_KINDS = ("exchange_pending", "listing_review", "session_place", "session_cancelled",
                "sign_up_cancelled_late", "dispute_raised", "dispute_resolved", "place_needs_clearance",
                "password_help")
NEW_KINDS = ("introduction_made", "introduction_answered")


def _notice_kinds(kinds):
    """(Re)create the CHECK that names every kind of notice (batch mode: SQLite rebuilds the table)."""
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notices_notice_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_notices_notice_kind'),
                                         "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")")


def upgrade():
    _notice_kinds(NOTICE_KINDS + NEW_KINDS)
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_bank_id', ['time_bank_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_bank_id')
    op.execute("DELETE FROM notices WHERE kind IN ('introduction_made', 'introduction_answered')")
    _notice_kinds(NOTICE_KINDS)
