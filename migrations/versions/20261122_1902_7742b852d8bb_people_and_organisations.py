"""People and organisations: contact details, abilities-first profiles, applications with references
and vouches, DBS checks and safeguarding notes, and each bank's joining settings.

On PostgreSQL, profiles get a GIN index for full-text search over their abilities and free text.

Revision ID: 7742b852d8bb
Revises: cd66cfb60105
Create Date: 2026-11-22 19:02:12.243282

"""
from alembic import op
import sqlalchemy as sa

from timebank.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '7742b852d8bb'
down_revision = 'cd66cfb60105'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('profiles',
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('about', sa.Text(), server_default='', nullable=False),
    sa.Column('learn_or_share', sa.Text(), server_default='', nullable=False),
    sa.Column('experience', sa.Text(), server_default='', nullable=False),
    sa.Column('enjoys', sa.Text(), server_default='', nullable=False),
    sa.Column('can_travel', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('show_name', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('show_area', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('show_abilities', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('show_contact', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('search_text', sa.Text(), server_default='', nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_profiles_holder_id_holders')),
    sa.PrimaryKeyConstraint('holder_id', name=op.f('pk_profiles'))
    )
    op.create_table('abilities',
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_abilities_category_id_categories')),
    sa.ForeignKeyConstraint(['holder_id'], ['profiles.holder_id'], name=op.f('fk_abilities_holder_id_profiles')),
    sa.PrimaryKeyConstraint('holder_id', 'category_id', name=op.f('pk_abilities'))
    )
    with op.batch_alter_table('abilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_abilities_category_id'), ['category_id'], unique=False)

    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'in_review', 'vouched', 'approved', 'declined', 'withdrawn', name='application_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('statement', sa.Text(), server_default='', nullable=False),
    sa.Column('interview_on', sa.Date(), nullable=True),
    sa.Column('interviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("(status IN ('approved', 'declined')) = (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)", name=op.f('ck_applications_decided_iff_decision')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['people.id'], name=op.f('fk_applications_decided_by_id_people')),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_applications_holder_id_holders')),
    sa.ForeignKeyConstraint(['interviewed_by_id'], ['people.id'], name=op.f('fk_applications_interviewed_by_id_people')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['people.id'], name=op.f('fk_applications_submitted_by_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_applications_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_time_bank_id'), ['time_bank_id'], unique=False)
        batch_op.create_index('ux_applications_one_open', ['holder_id', 'time_bank_id'], unique=True, sqlite_where=sa.text("status IN ('submitted', 'in_review', 'vouched')"), postgresql_where=sa.text("status IN ('submitted', 'in_review', 'vouched')"))

    op.create_table('availability_slots',
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('period', sa.Enum('morning', 'afternoon', 'evening', name='period', native_enum=False, create_constraint=True), nullable=False),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_availability_slots_weekday_range')),
    sa.ForeignKeyConstraint(['holder_id'], ['profiles.holder_id'], name=op.f('fk_availability_slots_holder_id_profiles')),
    sa.PrimaryKeyConstraint('holder_id', 'weekday', 'period', name=op.f('pk_availability_slots'))
    )
    op.create_table('contributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('room', 'equipment', 'training', 'staff_time', 'funds', 'other', name='contribution_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_contributions_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contributions'))
    )
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributions_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('dbs_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('none', 'basic', 'standard', 'enhanced', 'enhanced_barred', name='dbs_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('workforce', sa.Enum('children', 'adults', 'both', name='dbs_workforce', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('certificate_number', sa.String(length=12), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('update_service', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('status_checked_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("(level = 'enhanced_barred') = (workforce IS NOT NULL)", name=op.f('ck_dbs_checks_workforce_iff_barred_lists')),
    sa.CheckConstraint('status_checked_on IS NULL OR update_service', name=op.f('ck_dbs_checks_status_check_needs_update_service')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_dbs_checks_person_id_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_dbs_checks_recorded_by_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_dbs_checks_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dbs_checks'))
    )
    with op.batch_alter_table('dbs_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dbs_checks_person_id'), ['person_id'], unique=False)

    op.create_table('safeguarding_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_safeguarding_notes_author_id_people')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_safeguarding_notes_person_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_safeguarding_notes_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_notes'))
    )
    with op.batch_alter_table('safeguarding_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguarding_notes_person_id'), ['person_id'], unique=False)

    op.create_table('spoken_languages',
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['profiles.holder_id'], name=op.f('fk_spoken_languages_holder_id_profiles')),
    sa.PrimaryKeyConstraint('holder_id', 'code', name=op.f('pk_spoken_languages'))
    )
    with op.batch_alter_table('spoken_languages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spoken_languages_code'), ['code'], unique=False)

    op.create_table('travel_districts',
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('district', sa.String(length=4), nullable=False),
    sa.ForeignKeyConstraint(['holder_id'], ['profiles.holder_id'], name=op.f('fk_travel_districts_holder_id_profiles')),
    sa.PrimaryKeyConstraint('holder_id', 'district', name=op.f('pk_travel_districts'))
    )
    with op.batch_alter_table('travel_districts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_travel_districts_district'), ['district'], unique=False)

    op.create_table('references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('referee_name', sa.String(length=200), nullable=False),
    sa.Column('referee_contact', sa.String(length=254), nullable=False),
    sa.Column('known_how', sa.String(length=200), server_default='', nullable=False),
    sa.Column('outcome', sa.Enum('awaited', 'satisfactory', 'unsatisfactory', 'no_reply', name='reference_outcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_references_application_id_applications')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_references_recorded_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_references'))
    )
    with op.batch_alter_table('references', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_references_application_id'), ['application_id'], unique=False)

    op.create_table('vouches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('voucher_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_vouches_application_id_applications')),
    sa.ForeignKeyConstraint(['voucher_id'], ['people.id'], name=op.f('fk_vouches_voucher_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vouches')),
    sa.UniqueConstraint('application_id', 'voucher_id', name=op.f('uq_vouches_application_id_voucher_id'))
    )
    with op.batch_alter_table('vouches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vouches_application_id'), ['application_id'], unique=False)

    with op.batch_alter_table('holders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('postcode', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('postcode_district', sa.String(length=4), nullable=True))
        batch_op.create_index(batch_op.f('ix_holders_postcode_district'), ['postcode_district'], unique=False)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_by', sa.Enum('email', 'phone', 'text', 'broker', name='contact_method', native_enum=False, create_constraint=True), server_default='email', nullable=False))

    with op.batch_alter_table('time_banks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vouching_enabled', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('vouches_needed', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('dbs_renewal_months', sa.Integer(), server_default='36', nullable=False))
        batch_op.create_check_constraint(op.f('ck_time_banks_vouches_needed_range'), 'vouches_needed BETWEEN 1 AND 20')
        batch_op.create_check_constraint(op.f('ck_time_banks_dbs_renewal_months_range'),
                                         'dbs_renewal_months BETWEEN 6 AND 120')

    if op.get_bind().dialect.name == 'postgresql':
        op.create_index('ix_profiles_search', 'profiles', [sa.text("to_tsvector('english', search_text)")],
                        postgresql_using='gin')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_profiles_search', table_name='profiles')
    with op.batch_alter_table('time_banks', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_time_banks_dbs_renewal_months_range'), type_='check')
        batch_op.drop_constraint(op.f('ck_time_banks_vouches_needed_range'), type_='check')
        batch_op.drop_column('dbs_renewal_months')
        batch_op.drop_column('vouches_needed')
        batch_op.drop_column('vouching_enabled')

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_people_contact_method'), type_='check')
        batch_op.drop_column('contact_by')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('contact_email')

    with op.batch_alter_table('holders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holders_postcode_district'))
        batch_op.drop_column('postcode_district')
        batch_op.drop_column('postcode')
        batch_op.drop_column('phone')

    with op.batch_alter_table('vouches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vouches_application_id'))

    op.drop_table('vouches')
    with op.batch_alter_table('references', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_references_application_id'))

    op.drop_table('references')
    with op.batch_alter_table('travel_districts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_travel_districts_district'))

    op.drop_table('travel_districts')
    with op.batch_alter_table('spoken_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spoken_languages_code'))

    op.drop_table('spoken_languages')
    with op.batch_alter_table('safeguarding_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguarding_notes_person_id'))

    op.drop_table('safeguarding_notes')
    with op.batch_alter_table('dbs_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dbs_checks_person_id'))

    op.drop_table('dbs_checks')
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contributions_organisation_id'))

    op.drop_table('contributions')
    op.drop_table('availability_slots')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ux_applications_one_open', sqlite_where=sa.text("status IN ('submitted', 'in_review', 'vouched')"), postgresql_where=sa.text("status IN ('submitted', 'in_review', 'vouched')"))
        batch_op.drop_index(batch_op.f('ix_applications_time_bank_id'))
        batch_op.drop_index(batch_op.f('ix_applications_holder_id'))

    op.drop_table('applications')
    with op.batch_alter_table('abilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_abilities_category_id'))

    op.drop_table('abilities')
    op.drop_table('profiles')
