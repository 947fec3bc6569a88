"""For the broker's dashboard: a bank's recent activity read along an index, and each account's latest day
with a posting (``accounts.last_posted_on``, cached like the counters), so "members gone quiet" is one index
range.

Existing accounts get the day from their postings. The column is added and dropped with plain ALTER
TABLE, and the indexes made outside batch mode, so SQLite never rebuilds ``accounts`` or
``audit_events`` (which would drop their triggers).

The notices introductions raise are named among the notice kinds by the email migration, before this one.

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
