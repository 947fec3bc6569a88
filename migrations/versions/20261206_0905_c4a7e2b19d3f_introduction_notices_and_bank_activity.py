"""The notices introductions raise (a broker made one, and one side answered it); and for the broker's
dashboard, a bank's recent activity read along an index, and each account's latest day with a posting
(``accounts.last_posted_on``, cached like the counters), so "members gone quiet" is one index range.

Existing accounts get the day from their postings. The column is added and dropped with plain ALTER
TABLE, and the indexes made outside batch mode, so SQLite never rebuilds ``accounts`` or
``audit_events`` (which would drop their triggers).

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
    op.create_index('ix_audit_events_bank_id', 'audit_events', ['time_bank_id', 'id'], unique=False)
    op.execute("ALTER TABLE accounts ADD COLUMN last_posted_on DATE")
    op.execute(
        "UPDATE accounts SET last_posted_on = (SELECT max(exchanges.occurred_on) FROM postings "
        "JOIN exchanges ON exchanges.id = postings.exchange_id WHERE postings.account_id = accounts.id)"
    )
    op.create_index('ix_accounts_bank_last_posted', 'accounts', ['time_bank_id', 'last_posted_on', 'opened_at', 'id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_accounts_bank_last_posted', table_name='accounts')
    op.execute("ALTER TABLE accounts DROP COLUMN last_posted_on")
    op.drop_index('ix_audit_events_bank_id', table_name='audit_events')
    op.execute("DELETE FROM notices WHERE kind IN ('introduction_made', 'introduction_answered')")
    _notice_kinds(NOTICE_KINDS)
