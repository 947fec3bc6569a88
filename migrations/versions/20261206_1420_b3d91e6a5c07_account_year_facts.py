"""Each account's year facts (``account_year_facts``): the months of a year in which it gave and received, as
bits, per organisation and activity, so that reports count people from one row per account and year instead
of one per month (filled here from the month facts already kept, re-derived by ``ledger verify``); and an
index of the profiles of members who agreed to be counted in reports.

Revision ID: b3d91e6a5c07
Revises: 7f48ecf6b3e0
Create Date: 2026-12-06 14:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3d91e6a5c07'
down_revision = '7f48ecf6b3e0'
branch_labels = None
depends_on = None

#: A month fact's year and its month's bit, per dialect (as ``ledger.summaries`` compiles them, written out
#: here so that the migration stays as it is when the code moves on).
YEAR = {"postgresql": "CAST(EXTRACT(YEAR FROM month) AS INTEGER)", "sqlite": "CAST(strftime('%Y', month) AS INTEGER)"}
BIT = {"postgresql": "(1 << (CAST(EXTRACT(MONTH FROM month) AS INTEGER) - 1))",
       "sqlite": "(1 << (CAST(strftime('%m', month) AS INTEGER) - 1))"}
FILL = """
INSERT INTO account_year_facts (account_id, year, organisation_id, activity_id, time_bank_id, holder_kind,
                                gave_months, received_months)
SELECT account_id, {year}, organisation_id, activity_id, time_bank_id, holder_kind,
       SUM(CASE WHEN given_exchanges > 0 THEN {bit} ELSE 0 END),
       SUM(CASE WHEN received_exchanges > 0 THEN {bit} ELSE 0 END)
FROM account_month_facts
GROUP BY account_id, {year}, organisation_id, activity_id, time_bank_id, holder_kind
"""


def upgrade():
    op.create_table('account_year_facts',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('holder_kind', sa.Enum('resident', 'third_sector', 'public_body', 'business', 'community_pot', name='fact_holder_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('gave_months', sa.Integer(), server_default='0', nullable=False),
    sa.Column('received_months', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_year_facts_account_id_accounts')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_account_year_facts_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('account_id', 'year', 'organisation_id', 'activity_id', name=op.f('pk_account_year_facts'))
    )
    with op.batch_alter_table('account_year_facts', schema=None) as batch_op:
        batch_op.create_index('ix_account_year_facts_bank_year', ['time_bank_id', 'year', 'account_id'], unique=False)
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.create_index('ix_profiles_in_reports', ['holder_id'], unique=False,
                              postgresql_where=sa.text('in_reports_at IS NOT NULL'),
                              sqlite_where=sa.text('in_reports_at IS NOT NULL'))
    dialect = op.get_bind().dialect.name
    op.execute(FILL.format(year=YEAR[dialect], bit=BIT[dialect]))


def downgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_profiles_in_reports', postgresql_where=sa.text('in_reports_at IS NOT NULL'),
                            sqlite_where=sa.text('in_reports_at IS NOT NULL'))

    with op.batch_alter_table('account_year_facts', schema=None) as batch_op:
        batch_op.drop_index('ix_account_year_facts_bank_year')

    op.drop_table('account_year_facts')
