"""Co-delivery activities (roles, sessions, sign-ups, calendar feeds), listings (offers, requests, spend
offers), money records (expenses, payments, redemptions), disputes, notices and timesheet imports; and
where an exchange came from (activity, role, session), which joins the exchange's fixed facts.

Revision ID: 6aef045b1eea
Revises: 7742b852d8bb
Create Date: 2026-11-22 20:41:08.944366

"""
from alembic import op
import sqlalchemy as sa

from timebank.types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '6aef045b1eea'
down_revision = '7742b852d8bb'
branch_labels = None
depends_on = None

#: The exchange columns fixed once recorded, as the foundation revision listed them ...
EXCHANGE_FACTS = (
    "id, time_bank_id, kind, payer_account_id, payee_account_id, proposer_account_id, amount_minutes, "
    "occurred_on, category_id, description, recorded_by_id, idempotency_key, request_fingerprint, "
    "reverses_exchange_id, created_at"
)
#: ... and the ones this revision adds: where the hours came from.
SOURCES = {"activity_id": "activities", "role_id": "roles", "session_id": "activity_sessions"}
NEW_FACTS = ", " + ", ".join(SOURCES)


def _facts_trigger(columns):
    """(Re)create the trigger that refuses any change to an exchange's facts, over ``columns``."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER exchanges_facts_fixed ON exchanges")
        op.execute(
            f"CREATE TRIGGER exchanges_facts_fixed BEFORE UPDATE OF {columns} ON exchanges "
            "FOR EACH ROW EXECUTE FUNCTION timebank_refuse_change()"
        )
        return
    op.execute("DROP TRIGGER exchanges_facts_fixed")
    op.execute(
        f"CREATE TRIGGER exchanges_facts_fixed BEFORE UPDATE OF {columns} ON exchanges "
        "BEGIN SELECT RAISE(ABORT, 'UPDATE OF exchanges refused: the ledger is append-only'); END"
    )


def _add_exchange_sources():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column, table in SOURCES.items():
        name = f"fk_exchanges_{column}_{table}"
        if sqlite:
            # A plain ADD COLUMN: batch mode would copy the append-only table and lose its triggers.
            op.execute(f"ALTER TABLE exchanges ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES {table} (id)")
        else:
            op.add_column("exchanges", sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(name, "exchanges", table, [column], ["id"])
        op.create_index(f"ix_exchanges_{column}", "exchanges", [column])


def _drop_exchange_sources():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column, table in SOURCES.items():
        op.drop_index(f"ix_exchanges_{column}", table_name="exchanges")
        if sqlite:
            op.execute(f"ALTER TABLE exchanges DROP COLUMN {column}")
        else:
            op.drop_constraint(f"fk_exchanges_{column}_{table}", "exchanges", type_="foreignkey")
            op.drop_column("exchanges", column)


def upgrade():
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), server_default='', nullable=False),
    sa.Column('form', sa.Enum('co_planning', 'co_design', 'co_commissioning', 'co_managing', 'co_delivering', 'co_monitoring', 'co_evaluating', name='co_production_form', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('designed_by', sa.Enum('professionals', 'shared', 'community', name='designed_by', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('delivered_by', sa.Enum('professionals', 'shared', 'community', name='delivered_by', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('place', sa.String(length=200), server_default='', nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'closed', name='activity_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=True),
    sa.Column('published_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_activities_created_by_id_people')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_activities_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_activities_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('created_by_id', 'idempotency_key', name=op.f('uq_activities_created_by_id_idempotency_key'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_time_bank_id'), ['time_bank_id'], unique=False)

    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_calendar_feeds_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('person_id', name=op.f('uq_calendar_feeds_person_id')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_calendar_feeds_token_sha256'))
    )
    op.create_table('listings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('offer', 'request', 'spend', name='listing_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('details', sa.Text(), server_default='', nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=200), server_default='', nullable=False),
    sa.Column('is_remote', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('needed_on', sa.Date(), nullable=True),
    sa.Column('needed_at', sa.Time(), nullable=True),
    sa.Column('estimated_minutes', sa.Integer(), nullable=True),
    sa.Column('price_minutes', sa.Integer(), nullable=True),
    sa.Column('receives', sa.Enum('time_exchange', 'time_based_activity', 'goods', 'voucher_fixed_value', 'gift_card', 'cash', name='listing_receives', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='listing_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("(kind = 'spend') = (price_minutes IS NOT NULL AND receives IS NOT NULL)", name=op.f('ck_listings_spend_has_price')),
    sa.CheckConstraint("kind <> 'request' OR needed_on IS NOT NULL", name=op.f('ck_listings_request_has_occasion')),
    sa.CheckConstraint('estimated_minutes IS NULL OR estimated_minutes BETWEEN 1 AND 1440', name=op.f('ck_listings_estimate_in_range')),
    sa.CheckConstraint('price_minutes IS NULL OR price_minutes BETWEEN 1 AND 1440', name=op.f('ck_listings_price_in_range')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_listings_category_id_categories')),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_listings_created_by_id_people')),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_listings_holder_id_holders')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_listings_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listings'))
    )
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.create_index('ix_listings_bank_kind_status_review', ['time_bank_id', 'kind', 'status', 'review_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_listings_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_listings_holder_id'), ['holder_id'], unique=False)

    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('exchange_pending', 'listing_review', 'session_place', 'session_cancelled', 'sign_up_cancelled_late', 'dispute_raised', 'dispute_resolved', name='notice_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('read_at', UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_notices_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('person_id', 'key', name=op.f('uq_notices_person_id_key'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_person_unread', ['person_id', 'read_at'], unique=False)

    op.create_table('timesheet_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('total_minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('status', sa.Enum('checked', 'rejected', 'applied', name='import_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('applied_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('applied_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("(status = 'applied') = (applied_at IS NOT NULL AND applied_by_id IS NOT NULL)", name=op.f('ck_timesheet_imports_applied_iff_when')),
    sa.ForeignKeyConstraint(['applied_by_id'], ['people.id'], name=op.f('fk_timesheet_imports_applied_by_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_timesheet_imports_time_bank_id_time_banks')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['people.id'], name=op.f('fk_timesheet_imports_uploaded_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timesheet_imports'))
    )
    with op.batch_alter_table('timesheet_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timesheet_imports_time_bank_id'), ['time_bank_id'], unique=False)
        batch_op.create_index('ux_timesheet_imports_applied_once', ['time_bank_id', 'sha256'], unique=True, sqlite_where=sa.text("status = 'applied'"), postgresql_where=sa.text("status = 'applied'"))

    op.create_table('activity_partners',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_partners_activity_id_activities')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_activity_partners_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('activity_id', 'organisation_id', name=op.f('pk_activity_partners'))
    )
    with op.batch_alter_table('activity_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_partners_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('expenses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('mileage', 'travel', 'meals', 'care', 'other', name='expense_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('amount_paid_pence', sa.Integer(), nullable=False),
    sa.Column('amount_receipted_pence', sa.Integer(), nullable=False),
    sa.Column('receipts_count', sa.Integer(), nullable=False),
    sa.Column('miles_tenths', sa.Integer(), nullable=True),
    sa.Column('rate_per_mile_pence', sa.Integer(), nullable=True),
    sa.Column('flat_rate', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('note', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('request_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("(kind = 'mileage') = (miles_tenths IS NOT NULL AND rate_per_mile_pence IS NOT NULL)", name=op.f('ck_expenses_mileage_has_miles_and_rate')),
    sa.CheckConstraint('amount_paid_pence BETWEEN 0 AND 10000000', name=op.f('ck_expenses_paid_in_range')),
    sa.CheckConstraint('amount_receipted_pence BETWEEN 0 AND 10000000', name=op.f('ck_expenses_receipted_in_range')),
    sa.CheckConstraint('miles_tenths IS NULL OR miles_tenths BETWEEN 1 AND 1000000', name=op.f('ck_expenses_miles_in_range')),
    sa.CheckConstraint('rate_per_mile_pence IS NULL OR rate_per_mile_pence BETWEEN 0 AND 1000', name=op.f('ck_expenses_rate_in_range')),
    sa.CheckConstraint('receipts_count BETWEEN 0 AND 1000', name=op.f('ck_expenses_receipts_in_range')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_expenses_activity_id_activities')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_expenses_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_expenses_person_id_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_expenses_recorded_by_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_expenses_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expenses')),
    sa.UniqueConstraint('recorded_by_id', 'idempotency_key', name=op.f('uq_expenses_recorded_by_id_idempotency_key'))
    )
    with op.batch_alter_table('expenses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expenses_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expenses_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expenses_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expenses_time_bank_id'), ['time_bank_id'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('fee', 'honorarium', 'gift', 'voucher', 'stipend', name='payment_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('request_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('amount_pence BETWEEN 1 AND 10000000', name=op.f('ck_payments_amount_in_range')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_payments_activity_id_activities')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_payments_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_payments_person_id_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_payments_recorded_by_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_payments_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('recorded_by_id', 'idempotency_key', name=op.f('uq_payments_recorded_by_id_idempotency_key'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_time_bank_id'), ['time_bank_id'], unique=False)

    op.create_table('roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.Enum('gives', 'spends', name='role_direction', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('credit_minutes', sa.Integer(), nullable=True),
    sa.Column('clearance', sa.Enum('home_visits', 'children', 'adults_at_risk', name='role_clearance', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('normally_paid', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('service_user_involvement', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('release_notice_hours', sa.Integer(), server_default='0', nullable=False),
    sa.Column('away_overnight', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('credit_minutes IS NULL OR credit_minutes BETWEEN 1 AND 1440', name=op.f('ck_roles_credit_in_range')),
    sa.CheckConstraint('places BETWEEN 1 AND 500', name=op.f('ck_roles_places_in_range')),
    sa.CheckConstraint('release_notice_hours BETWEEN 0 AND 1440', name=op.f('ck_roles_release_notice_in_range')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_roles_activity_id_activities')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_roles_category_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roles')),
    sa.UniqueConstraint('activity_id', 'idempotency_key', name=op.f('uq_roles_activity_id_idempotency_key'))
    )
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roles_activity_id'), ['activity_id'], unique=False)

    op.create_table('activity_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), server_default='', nullable=False),
    sa.Column('is_remote', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('attendance_marked_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('attendance_marked_by_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=104), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('(attendance_marked_at IS NULL) = (attendance_marked_by_id IS NULL)', name=op.f('ck_activity_sessions_marked_by_whom')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_activity_sessions_ends_after_start')),
    sa.CheckConstraint('places BETWEEN 1 AND 500', name=op.f('ck_activity_sessions_places_in_range')),
    sa.ForeignKeyConstraint(['attendance_marked_by_id'], ['people.id'], name=op.f('fk_activity_sessions_attendance_marked_by_id_people')),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_activity_sessions_role_id_roles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_sessions')),
    sa.UniqueConstraint('role_id', 'idempotency_key', name=op.f('uq_activity_sessions_role_id_idempotency_key'))
    )
    with op.batch_alter_table('activity_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_activity_sessions_role_starts', ['role_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_sessions_starts_at'), ['starts_at'], unique=False)

    op.create_table('role_abilities',
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_role_abilities_category_id_categories')),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_role_abilities_role_id_roles')),
    sa.PrimaryKeyConstraint('role_id', 'category_id', name=op.f('pk_role_abilities'))
    )
    with op.batch_alter_table('role_abilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_abilities_category_id'), ['category_id'], unique=False)

    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=False),
    sa.Column('raised_for_account_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.Enum('open', 'reversed', 'noted', name='dispute_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('resolution_note', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('reversal_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("(status = 'open') = (resolved_by_id IS NULL AND resolved_at IS NULL)", name=op.f('ck_disputes_resolved_iff_closed')),
    sa.CheckConstraint("(status = 'reversed') = (reversal_id IS NOT NULL)", name=op.f('ck_disputes_reversed_iff_reversal')),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], name=op.f('fk_disputes_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['raised_by_id'], ['people.id'], name=op.f('fk_disputes_raised_by_id_people')),
    sa.ForeignKeyConstraint(['raised_for_account_id'], ['accounts.id'], name=op.f('fk_disputes_raised_for_account_id_accounts')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['people.id'], name=op.f('fk_disputes_resolved_by_id_people')),
    sa.ForeignKeyConstraint(['reversal_id'], ['exchanges.id'], name=op.f('fk_disputes_reversal_id_exchanges')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_disputes_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disputes_exchange_id'), ['exchange_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_time_bank_id'), ['time_bank_id'], unique=False)
        batch_op.create_index('ux_disputes_one_open', ['exchange_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('redemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=True),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('credit_minutes', sa.Integer(), nullable=False),
    sa.Column('redeemed_for', sa.Enum('time_exchange', 'time_based_activity', 'goods', 'voucher_fixed_value', 'gift_card', 'cash', name='redeemed_for', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('face_value_pence', sa.Integer(), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("redeemed_for NOT IN ('voucher_fixed_value', 'gift_card', 'cash') OR face_value_pence IS NOT NULL", name=op.f('ck_redemptions_cash_like_has_value')),
    sa.CheckConstraint('credit_minutes > 0', name=op.f('ck_redemptions_credits_positive')),
    sa.CheckConstraint('face_value_pence IS NULL OR face_value_pence BETWEEN 0 AND 10000000', name=op.f('ck_redemptions_face_value_in_range')),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], name=op.f('fk_redemptions_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_redemptions_listing_id_listings')),
    sa.ForeignKeyConstraint(['partner_id'], ['organisations.id'], name=op.f('fk_redemptions_partner_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_redemptions_person_id_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_redemptions_recorded_by_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_redemptions_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redemptions')),
    sa.UniqueConstraint('exchange_id', name=op.f('uq_redemptions_exchange_id'))
    )
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redemptions_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemptions_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_redemptions_time_bank_id'), ['time_bank_id'], unique=False)

    op.create_table('sign_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('booked', 'waiting', 'cancelled', 'attended', 'absent', name='sign_up_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('signed_up_by_id', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_late', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("(status = 'attended') = (exchange_id IS NOT NULL)", name=op.f('ck_sign_ups_attended_iff_exchange')),
    sa.CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name=op.f('ck_sign_ups_cancelled_iff_when')),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], name=op.f('fk_sign_ups_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_sign_ups_person_id_people')),
    sa.ForeignKeyConstraint(['session_id'], ['activity_sessions.id'], name=op.f('fk_sign_ups_session_id_activity_sessions')),
    sa.ForeignKeyConstraint(['signed_up_by_id'], ['people.id'], name=op.f('fk_sign_ups_signed_up_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ups')),
    sa.UniqueConstraint('exchange_id', name=op.f('uq_sign_ups_exchange_id'))
    )
    with op.batch_alter_table('sign_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_ups_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_ups_session_id'), ['session_id'], unique=False)
        batch_op.create_index('ux_sign_ups_one_live', ['session_id', 'person_id'], unique=True, sqlite_where=sa.text("status <> 'cancelled'"), postgresql_where=sa.text("status <> 'cancelled'"))

    _add_exchange_sources()
    _facts_trigger(EXCHANGE_FACTS + NEW_FACTS)


def downgrade():
    _facts_trigger(EXCHANGE_FACTS)
    _drop_exchange_sources()

    with op.batch_alter_table('sign_ups', schema=None) as batch_op:
        batch_op.drop_index('ux_sign_ups_one_live', sqlite_where=sa.text("status <> 'cancelled'"), postgresql_where=sa.text("status <> 'cancelled'"))
        batch_op.drop_index(batch_op.f('ix_sign_ups_session_id'))
        batch_op.drop_index(batch_op.f('ix_sign_ups_person_id'))

    op.drop_table('sign_ups')
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redemptions_time_bank_id'))
        batch_op.drop_index(batch_op.f('ix_redemptions_person_id'))
        batch_op.drop_index(batch_op.f('ix_redemptions_partner_id'))

    op.drop_table('redemptions')
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index('ux_disputes_one_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index(batch_op.f('ix_disputes_time_bank_id'))
        batch_op.drop_index(batch_op.f('ix_disputes_exchange_id'))

    op.drop_table('disputes')
    with op.batch_alter_table('role_abilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_abilities_category_id'))

    op.drop_table('role_abilities')
    with op.batch_alter_table('activity_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_sessions_starts_at'))
        batch_op.drop_index('ix_activity_sessions_role_starts')

    op.drop_table('activity_sessions')
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roles_activity_id'))

    op.drop_table('roles')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_time_bank_id'))
        batch_op.drop_index(batch_op.f('ix_payments_person_id'))
        batch_op.drop_index(batch_op.f('ix_payments_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_payments_activity_id'))

    op.drop_table('payments')
    with op.batch_alter_table('expenses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expenses_time_bank_id'))
        batch_op.drop_index(batch_op.f('ix_expenses_person_id'))
        batch_op.drop_index(batch_op.f('ix_expenses_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_expenses_activity_id'))

    op.drop_table('expenses')
    with op.batch_alter_table('activity_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_partners_organisation_id'))

    op.drop_table('activity_partners')
    with op.batch_alter_table('timesheet_imports', schema=None) as batch_op:
        batch_op.drop_index('ux_timesheet_imports_applied_once', sqlite_where=sa.text("status = 'applied'"), postgresql_where=sa.text("status = 'applied'"))
        batch_op.drop_index(batch_op.f('ix_timesheet_imports_time_bank_id'))

    op.drop_table('timesheet_imports')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_person_unread')

    op.drop_table('notices')
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listings_holder_id'))
        batch_op.drop_index(batch_op.f('ix_listings_category_id'))
        batch_op.drop_index('ix_listings_bank_kind_status_review')

    op.drop_table('listings')
    op.drop_table('calendar_feeds')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_time_bank_id'))
        batch_op.drop_index(batch_op.f('ix_activities_organisation_id'))

    op.drop_table('activities')
