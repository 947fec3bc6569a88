"""Background jobs (timebank/jobs): the app's record of work done on the queue, by kind and state, with
attempts, the kind of the last error, progress, who asked and for which bank.

Revision ID: 3080b4bb3340
Revises: 4d277bd18c57
Create Date: 2026-12-06 03:10:00

"""
from alembic import op
import sqlalchemy as sa

from timebank.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '3080b4bb3340'
down_revision = "a1f3c5e7b9d2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'succeeded', 'failed', name='job_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('progress_done', sa.Integer(), server_default='0', nullable=False),
    sa.Column('progress_total', sa.Integer(), server_default='0', nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('time_bank_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('started_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(state IN ('succeeded', 'failed')) = (finished_at IS NOT NULL)", name=op.f('ck_jobs_finished_iff_done')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_jobs_attempts_not_negative')),
    sa.CheckConstraint('progress_done >= 0 AND progress_total >= 0', name=op.f('ck_jobs_progress_not_negative')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['people.id'], name=op.f('fk_jobs_requested_by_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_jobs_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    sa.UniqueConstraint('key', name=op.f('uq_jobs_key'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index('ix_jobs_state_id', ['state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_time_bank_id'), ['time_bank_id'], unique=False)



def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_time_bank_id'))
        batch_op.drop_index('ix_jobs_state_id')
        batch_op.drop_index(batch_op.f('ix_jobs_requested_by_id'))

    op.drop_table('jobs')
