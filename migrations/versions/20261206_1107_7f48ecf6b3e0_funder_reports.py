"""Funder reports (issue 14): funders, their programmes, scopes and outcomes, activities' and roles' outcome
tags, participants' answers, organisations' in-kind contributions, members' optional age band for reports,
and the ledger's month facts that reports read instead of exchanges (filled here from the exchanges
already recorded, re-derived by ``ledger verify``).

Revision ID: 7f48ecf6b3e0
Revises: 4f7a2d9c1e8b
Create Date: 2026-12-06 11:07:36.224219

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '7f48ecf6b3e0'
down_revision = '4f7a2d9c1e8b'
branch_labels = None
depends_on = None

#: The exchanges that count, one row each with what the month facts group them by (as ``ledger.summaries``
#: derives them, written out here so that the migration stays as it is when the code moves on).
STANDING = """
WITH standing AS (
    SELECT e.time_bank_id, {month} AS month, g.id AS giver_id, g.holder_kind AS giver_kind,
           r.id AS receiver_id, r.holder_kind AS receiver_kind, e.category_id,
           COALESCE(a.organisation_id, CASE
               WHEN g.holder_kind IN ('third_sector', 'public_body', 'business') THEN g.holder_id
               WHEN r.holder_kind IN ('third_sector', 'public_body', 'business') THEN r.holder_id
               ELSE 0 END) AS organisation_id,
           COALESCE(e.activity_id, 0) AS activity_id, COALESCE(e.role_id, 0) AS role_id,
           e.amount_minutes AS minutes
    FROM exchanges e
    JOIN accounts g ON g.id = e.giver_account_id
    JOIN accounts r ON r.id = e.receiver_account_id
    LEFT OUTER JOIN activities a ON a.id = e.activity_id
    WHERE e.state = 'confirmed' AND e.kind = 'exchange'
)
"""
MONTH = {"postgresql": "CAST(date_trunc('month', e.occurred_on) AS DATE)",
         "sqlite": "date(e.occurred_on, 'start of month')"}
FILL_EXCHANGE_FACTS = """
INSERT INTO exchange_month_facts (time_bank_id, month, giver_kind, receiver_kind, category_id, organisation_id,
                                  activity_id, role_id, minutes, exchanges)
SELECT time_bank_id, month, giver_kind, receiver_kind, category_id, organisation_id, activity_id, role_id,
       SUM(minutes), COUNT(*)
FROM standing
GROUP BY time_bank_id, month, giver_kind, receiver_kind, category_id, organisation_id, activity_id, role_id
"""
FILL_ACCOUNT_FACTS = """
INSERT INTO account_month_facts (account_id, month, organisation_id, activity_id, time_bank_id, holder_kind,
                                 given_minutes, received_minutes, given_exchanges, received_exchanges)
SELECT account_id, month, organisation_id, activity_id, time_bank_id, holder_kind,
       SUM(given_minutes), SUM(received_minutes), SUM(given_exchanges), SUM(received_exchanges)
FROM (
    SELECT giver_id AS account_id, month, organisation_id, activity_id, time_bank_id, giver_kind AS holder_kind,
           minutes AS given_minutes, 0 AS received_minutes, 1 AS given_exchanges, 0 AS received_exchanges
    FROM standing
    UNION ALL
    SELECT receiver_id, month, organisation_id, activity_id, time_bank_id, receiver_kind,
           0, minutes, 0, 1
    FROM standing
) AS sides
GROUP BY account_id, month, organisation_id, activity_id, time_bank_id, holder_kind
"""


def fill_month_facts():
    """The month facts of the exchanges already recorded, one statement a table (``ledger verify`` checks
    them against the exchanges from now on)."""
    standing = STANDING.format(month=MONTH[op.get_bind().dialect.name])
    op.execute(standing + FILL_EXCHANGE_FACTS)
    op.execute(standing + FILL_ACCOUNT_FACTS)


#: Two new kinds of notice and email (participants' voice): an exchange confirmed, a session attended.
FEEDBACK_KINDS = ("exchange_confirmed", "session_attended")
NOTICE_KINDS = ("exchange_pending", "listing_review", "session_place", "session_cancelled",
                "place_needs_clearance", "sign_up_cancelled_late", "dispute_raised", "dispute_resolved",
                "password_help", "introduction_made", "introduction_answered", "dbs_expiring", "session_changed")
EMAIL_KINDS = ("exchange_pending", "listing_review", "session_place", "session_cancelled", "session_changed",
               "place_needs_clearance", "sign_up_cancelled_late", "dispute_raised", "dispute_resolved",
               "password_help", "introduction_made", "introduction_answered", "dbs_expiring", "password_set_up",
               "password_reset")


def _kinds_check(table, name, kinds):
    """(Re)create the CHECK that names every kind (batch mode: SQLite rebuilds the table), as the email
    migration ``3f6a8c1e5b27`` did."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
        batch_op.create_check_constraint(op.f(f'ck_{table}_{name}'),
                                         "kind IN (" + ", ".join(f"'{kind}'" for kind in kinds) + ")")


def _all_kinds(feedback_kinds):
    _kinds_check('notices', 'notice_kind', NOTICE_KINDS + feedback_kinds)
    _kinds_check('outbound_emails', 'email_kind', EMAIL_KINDS + feedback_kinds)
    _kinds_check('email_preferences', 'email_kind', EMAIL_KINDS + feedback_kinds)


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('funders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_cy', sa.String(length=200), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funders')),
    sa.UniqueConstraint('name', name=op.f('uq_funders_name'))
    )
    op.create_table('exchange_month_facts',
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('giver_kind', sa.Enum('resident', 'third_sector', 'public_body', 'business', 'community_pot', name='fact_giver_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('receiver_kind', sa.Enum('resident', 'third_sector', 'public_body', 'business', 'community_pot', name='fact_receiver_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('exchanges', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_exchange_month_facts_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('time_bank_id', 'month', 'giver_kind', 'receiver_kind', 'category_id', 'organisation_id', 'activity_id', 'role_id', name=op.f('pk_exchange_month_facts'))
    )
    op.create_table('account_month_facts',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('holder_kind', sa.Enum('resident', 'third_sector', 'public_body', 'business', 'community_pot', name='fact_holder_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('given_minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('received_minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('given_exchanges', sa.Integer(), server_default='0', nullable=False),
    sa.Column('received_exchanges', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_month_facts_account_id_accounts')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_account_month_facts_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('account_id', 'month', 'organisation_id', 'activity_id', name=op.f('pk_account_month_facts'))
    )
    with op.batch_alter_table('account_month_facts', schema=None) as batch_op:
        batch_op.create_index('ix_account_month_facts_bank_month', ['time_bank_id', 'month', 'account_id'], unique=False)

    op.create_table('funder_members',
    sa.Column('funder_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['people.id'], name=op.f('fk_funder_members_added_by_id_people')),
    sa.ForeignKeyConstraint(['funder_id'], ['funders.id'], name=op.f('fk_funder_members_funder_id_funders')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_funder_members_person_id_people')),
    sa.PrimaryKeyConstraint('funder_id', 'person_id', name=op.f('pk_funder_members'))
    )
    with op.batch_alter_table('funder_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funder_members_person_id'), ['person_id'], unique=False)

    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('funder_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_cy', sa.String(length=200), server_default='', nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('value_per_hour_pence', sa.Integer(), server_default='0', nullable=False),
    sa.Column('value_source', sa.String(length=300), server_default='', nullable=False),
    sa.Column('value_year', sa.Integer(), nullable=True),
    sa.Column('suppress_below', sa.Integer(), server_default='5', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_programmes_programme_ends_after_start')),
    sa.CheckConstraint('suppress_below >= 5', name=op.f('ck_programmes_programme_suppress_at_least_5')),
    sa.CheckConstraint('value_per_hour_pence >= 0', name=op.f('ck_programmes_programme_value_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_programmes_created_by_id_people')),
    sa.ForeignKeyConstraint(['funder_id'], ['funders.id'], name=op.f('fk_programmes_funder_id_funders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes'))
    )
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programmes_funder_id'), ['funder_id'], unique=False)

    op.create_table('in_kind_contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('room', 'equipment', 'training', 'staff_time', 'funds', 'other', name='in_kind_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('value_pence', sa.BigInteger(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('minutes IS NULL OR minutes > 0', name=op.f('ck_in_kind_contributions_in_kind_minutes_positive')),
    sa.CheckConstraint('value_pence IS NULL OR value_pence >= 0', name=op.f('ck_in_kind_contributions_in_kind_value_not_negative')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_in_kind_contributions_activity_id_activities')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_in_kind_contributions_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_in_kind_contributions_recorded_by_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_in_kind_contributions_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_in_kind_contributions'))
    )
    with op.batch_alter_table('in_kind_contributions', schema=None) as batch_op:
        batch_op.create_index('ix_in_kind_bank_on', ['time_bank_id', 'given_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_in_kind_contributions_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_in_kind_contributions_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('programme_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('set_code', sa.String(length=40), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_cy', sa.String(length=200), server_default='', nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_outcomes_programme_id_programmes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_outcomes')),
    sa.UniqueConstraint('programme_id', 'name', name=op.f('uq_programme_outcomes_programme_id_name'))
    )
    with op.batch_alter_table('programme_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_outcomes_programme_id'), ['programme_id'], unique=False)

    op.create_table('programme_scopes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('organisation_id IS NULL OR activity_id IS NULL', name=op.f('ck_programme_scopes_scope_one_level')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_programme_scopes_activity_id_activities')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_programme_scopes_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_scopes_programme_id_programmes')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_programme_scopes_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_scopes'))
    )
    with op.batch_alter_table('programme_scopes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_scopes_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index('ix_programme_scopes_bank', ['time_bank_id', 'programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_scopes_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_scopes_programme_id'), ['programme_id'], unique=False)

    op.create_table('activity_outcomes',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_outcomes_activity_id_activities')),
    sa.ForeignKeyConstraint(['outcome_id'], ['programme_outcomes.id'], name=op.f('fk_activity_outcomes_outcome_id_programme_outcomes')),
    sa.PrimaryKeyConstraint('activity_id', 'outcome_id', name=op.f('pk_activity_outcomes'))
    )
    with op.batch_alter_table('activity_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_outcomes_outcome_id'), ['outcome_id'], unique=False)

    op.create_table('role_outcomes',
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['outcome_id'], ['programme_outcomes.id'], name=op.f('fk_role_outcomes_outcome_id_programme_outcomes')),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_role_outcomes_role_id_roles')),
    sa.PrimaryKeyConstraint('role_id', 'outcome_id', name=op.f('pk_role_outcomes'))
    )
    with op.batch_alter_table('role_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_outcomes_outcome_id'), ['outcome_id'], unique=False)

    op.create_table('feedback_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('exchange_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('how_it_went', sa.SmallInteger(), nullable=True),
    sa.Column('again', sa.Enum('yes', 'no', 'not_sure', name='feedback_again', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.Column('channel', sa.Enum('page', 'email', 'paper', name='feedback_channel', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('(session_id IS NULL) <> (exchange_id IS NULL)', name=op.f('ck_feedback_answers_feedback_one_thing')),
    sa.CheckConstraint('how_it_went IS NULL OR how_it_went BETWEEN 1 AND 5', name=op.f('ck_feedback_answers_feedback_scale')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_feedback_answers_activity_id_activities')),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], name=op.f('fk_feedback_answers_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_feedback_answers_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_feedback_answers_person_id_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_feedback_answers_recorded_by_id_people')),
    sa.ForeignKeyConstraint(['session_id'], ['activity_sessions.id'], name=op.f('fk_feedback_answers_session_id_activity_sessions')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_feedback_answers_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_answers')),
    sa.UniqueConstraint('person_id', 'exchange_id', name=op.f('uq_feedback_answers_person_id_exchange_id')),
    sa.UniqueConstraint('person_id', 'session_id', name=op.f('uq_feedback_answers_person_id_session_id'))
    )
    with op.batch_alter_table('feedback_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_answers_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index('ix_feedback_answers_bank_on', ['time_bank_id', 'answered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_answers_exchange_id'), ['exchange_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_answers_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_answers_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_answers_session_id'), ['session_id'], unique=False)

    # ALTER TABLE … ADD COLUMN with the CHECK on the column itself, on both databases (a batch copy of
    # profiles would carry the new CHECK into a table without the column on the way down).
    op.execute("ALTER TABLE profiles ADD COLUMN age_band VARCHAR(8) CONSTRAINT ck_profiles_age_band "
               "CHECK (age_band IN ('under_25', '25_34', '35_49', '50_64', '65_74', '75_plus'))")
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_reports_at', sa.DateTime(timezone=True), nullable=True))

    # ### end Alembic commands ###
    fill_month_facts()


    _all_kinds(FEEDBACK_KINDS)


def downgrade():
    kinds = "(" + ", ".join(f"'{kind}'" for kind in FEEDBACK_KINDS) + ")"
    op.execute(f"DELETE FROM email_preferences WHERE kind IN {kinds}")
    op.execute(f"DELETE FROM outbound_emails WHERE kind IN {kinds}")
    op.execute(f"DELETE FROM notices WHERE kind IN {kinds}")
    _all_kinds(())
    # ### commands auto generated by Alembic - please adjust! ###
    op.execute("ALTER TABLE profiles DROP COLUMN age_band")
    op.execute("ALTER TABLE profiles DROP COLUMN in_reports_at")

    with op.batch_alter_table('feedback_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_answers_session_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_answers_person_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_answers_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_answers_exchange_id'))
        batch_op.drop_index('ix_feedback_answers_bank_on')
        batch_op.drop_index(batch_op.f('ix_feedback_answers_activity_id'))

    op.drop_table('feedback_answers')
    with op.batch_alter_table('role_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_outcomes_outcome_id'))

    op.drop_table('role_outcomes')
    with op.batch_alter_table('activity_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_outcomes_outcome_id'))

    op.drop_table('activity_outcomes')
    with op.batch_alter_table('programme_scopes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_scopes_programme_id'))
        batch_op.drop_index(batch_op.f('ix_programme_scopes_organisation_id'))
        batch_op.drop_index('ix_programme_scopes_bank')
        batch_op.drop_index(batch_op.f('ix_programme_scopes_activity_id'))

    op.drop_table('programme_scopes')
    with op.batch_alter_table('programme_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_outcomes_programme_id'))

    op.drop_table('programme_outcomes')
    with op.batch_alter_table('in_kind_contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_in_kind_contributions_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_in_kind_contributions_activity_id'))
        batch_op.drop_index('ix_in_kind_bank_on')

    op.drop_table('in_kind_contributions')
    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programmes_funder_id'))

    op.drop_table('programmes')
    with op.batch_alter_table('funder_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funder_members_person_id'))

    op.drop_table('funder_members')
    with op.batch_alter_table('account_month_facts', schema=None) as batch_op:
        batch_op.drop_index('ix_account_month_facts_bank_month')

    op.drop_table('account_month_facts')
    op.drop_table('exchange_month_facts')
    op.drop_table('funders')
    # ### end Alembic commands ###
