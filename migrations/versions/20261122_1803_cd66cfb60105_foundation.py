"""Foundation: time banks, holders, the hour ledger, categories, audit log and API tokens.

Besides the tables, this adds database triggers that keep the books append-only: postings, exchange
events and audit events refuse UPDATE and DELETE; exchanges refuse DELETE, refuse changes to anything
but their state, and let the state move only forward. It also inserts the category tree.

Revision ID: cd66cfb60105
Revises:
Create Date: 2026-11-22 18:03:13.120108

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cd66cfb60105'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # The tables, parents before children; then the triggers that keep the books append-only, and the
    # category tree.
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name=op.f('fk_categories_parent_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_categories_code'))
    )
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_categories_parent_id'), ['parent_id'], unique=False)

    op.create_table('holders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum('person', 'organisation', name='holder_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('pseudonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holders'))
    )
    op.create_table('time_banks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('agency_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_banks')),
    sa.UniqueConstraint('slug', name=op.f('uq_time_banks_slug'))
    )
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('holder_id', sa.Integer(), nullable=True),
    sa.Column('holder_kind', sa.Enum('resident', 'third_sector', 'public_body', 'business', 'community_pot', name='holder_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('floor_minutes', sa.Integer(), nullable=True),
    sa.Column('ceiling_minutes', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('debits_pending_minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('credits_pending_minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('debits_posted_minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('credits_posted_minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('given_minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('received_minutes', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint("(holder_kind = 'community_pot') = (holder_id IS NULL)", name=op.f('ck_accounts_pot_has_no_holder')),
    sa.CheckConstraint('ceiling_minutes IS NULL OR ceiling_minutes >= 0', name=op.f('ck_accounts_ceiling_not_negative')),
    sa.CheckConstraint('debits_pending_minutes >= 0 AND credits_pending_minutes >= 0 AND debits_posted_minutes >= 0 AND credits_posted_minutes >= 0', name=op.f('ck_accounts_counters_not_negative')),
    sa.CheckConstraint('floor_minutes IS NULL OR floor_minutes <= 0', name=op.f('ck_accounts_floor_not_positive')),
    sa.CheckConstraint('given_minutes - received_minutes = credits_posted_minutes - debits_posted_minutes', name=op.f('ck_accounts_given_received_match_balance')),
    sa.CheckConstraint('given_minutes >= 0 AND received_minutes >= 0', name=op.f('ck_accounts_given_received_not_negative')),
    sa.ForeignKeyConstraint(['holder_id'], ['holders.id'], name=op.f('fk_accounts_holder_id_holders')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_accounts_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('id', 'time_bank_id', name=op.f('uq_accounts_id_time_bank_id')),
    sa.UniqueConstraint('time_bank_id', 'holder_id', name=op.f('uq_accounts_time_bank_id_holder_id'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_holder_id'), ['holder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_time_bank_id'), ['time_bank_id'], unique=False)
        batch_op.create_index('uq_accounts_one_community_pot', ['time_bank_id'], unique=True, sqlite_where=sa.text("holder_kind = 'community_pot'"), postgresql_where=sa.text("holder_kind = 'community_pot'"))

    op.create_table('balance_limits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('holder_kind', sa.Enum('resident', 'third_sector', 'public_body', 'business', 'community_pot', name='holder_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('floor_minutes', sa.Integer(), nullable=True),
    sa.Column('ceiling_minutes', sa.Integer(), nullable=True),
    sa.CheckConstraint('ceiling_minutes IS NULL OR ceiling_minutes >= 0', name=op.f('ck_balance_limits_ceiling_not_negative')),
    sa.CheckConstraint('floor_minutes IS NULL OR floor_minutes <= 0', name=op.f('ck_balance_limits_floor_not_positive')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_balance_limits_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_balance_limits')),
    sa.UniqueConstraint('time_bank_id', 'holder_kind', name=op.f('uq_balance_limits_time_bank_id_holder_kind'))
    )
    op.create_table('ledger_heads',
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('last_sequence', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_ledger_heads_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('time_bank_id', name=op.f('pk_ledger_heads'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_type', sa.Enum('charity', 'voluntary_group', 'social_enterprise', 'council', 'nhs', 'school', 'police', 'other_public_body', 'business', name='organisation_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('charity_number', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['id'], ['holders.id'], name=op.f('fk_organisations_id_holders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('preferred_language', sa.Enum('en', 'cy', name='language', native_enum=False, create_constraint=True), server_default='en', nullable=False),
    sa.Column('is_admin', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['holders.id'], name=op.f('fk_people_id_holders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('email', name=op.f('uq_people_email'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_api_tokens_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_person_id'), ['person_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('time_bank_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['people.id'], name=op.f('fk_audit_events_actor_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_audit_events_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_events_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('bank_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('broker', 'funder', name='bank_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_bank_roles_person_id_people')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_bank_roles_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_roles')),
    sa.UniqueConstraint('time_bank_id', 'person_id', 'role', name=op.f('uq_bank_roles_time_bank_id_person_id_role'))
    )
    with op.batch_alter_table('bank_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_roles_person_id'), ['person_id'], unique=False)

    op.create_table('exchanges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('exchange', 'reversal', name='exchange_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('payer_account_id', sa.Integer(), nullable=False),
    sa.Column('payee_account_id', sa.Integer(), nullable=False),
    sa.Column('proposer_account_id', sa.Integer(), nullable=False),
    sa.Column('amount_minutes', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('request_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('reverses_exchange_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('pending', 'confirmed', 'declined', 'cancelled', 'reversed', name='exchange_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("(kind = 'reversal') = (reverses_exchange_id IS NOT NULL)", name=op.f('ck_exchanges_reversal_names_original')),
    sa.CheckConstraint("kind = 'exchange' OR state = 'confirmed'", name=op.f('ck_exchanges_reversal_is_confirmed')),
    sa.CheckConstraint('amount_minutes BETWEEN 1 AND 1440', name=op.f('ck_exchanges_amount_in_range')),
    sa.CheckConstraint('payer_account_id <> payee_account_id', name=op.f('ck_exchanges_distinct_accounts')),
    sa.CheckConstraint('proposer_account_id = payer_account_id OR proposer_account_id = payee_account_id', name=op.f('ck_exchanges_proposer_is_a_party')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_exchanges_category_id_categories')),
    sa.ForeignKeyConstraint(['payee_account_id', 'time_bank_id'], ['accounts.id', 'accounts.time_bank_id'], name='fk_exchanges_payee_in_bank'),
    sa.ForeignKeyConstraint(['payer_account_id', 'time_bank_id'], ['accounts.id', 'accounts.time_bank_id'], name='fk_exchanges_payer_in_bank'),
    sa.ForeignKeyConstraint(['proposer_account_id'], ['accounts.id'], name=op.f('fk_exchanges_proposer_account_id_accounts')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_exchanges_recorded_by_id_people')),
    sa.ForeignKeyConstraint(['reverses_exchange_id'], ['exchanges.id'], name=op.f('fk_exchanges_reverses_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_exchanges_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchanges')),
    sa.UniqueConstraint('recorded_by_id', 'idempotency_key', name=op.f('uq_exchanges_recorded_by_id_idempotency_key')),
    sa.UniqueConstraint('reverses_exchange_id', name=op.f('uq_exchanges_reverses_exchange_id'))
    )
    with op.batch_alter_table('exchanges', schema=None) as batch_op:
        batch_op.create_index('ix_exchanges_bank_state', ['time_bank_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchanges_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_exchanges_payee_created', ['payee_account_id', 'created_at'], unique=False)
        batch_op.create_index('ix_exchanges_payer_created', ['payer_account_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchanges_recorded_by_id'), ['recorded_by_id'], unique=False)

    op.create_table('organisation_admins',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_admins_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_organisation_admins_person_id_people')),
    sa.PrimaryKeyConstraint('organisation_id', 'person_id', name=op.f('pk_organisation_admins'))
    )
    with op.batch_alter_table('organisation_admins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_admins_person_id'), ['person_id'], unique=False)

    op.create_table('exchange_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.Enum('pending', 'confirmed', 'declined', 'cancelled', 'reversed', name='from_state', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_state', sa.Enum('pending', 'confirmed', 'declined', 'cancelled', 'reversed', name='to_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('acting_for_account_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['acting_for_account_id'], ['accounts.id'], name=op.f('fk_exchange_events_acting_for_account_id_accounts')),
    sa.ForeignKeyConstraint(['actor_id'], ['people.id'], name=op.f('fk_exchange_events_actor_id_people')),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], name=op.f('fk_exchange_events_exchange_id_exchanges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_events'))
    )
    with op.batch_alter_table('exchange_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_events_exchange_id'), ['exchange_id'], unique=False)

    op.create_table('postings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('time_bank_id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount_minutes', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('amount_minutes <> 0', name=op.f('ck_postings_amount_not_zero')),
    sa.CheckConstraint('sequence >= 1', name=op.f('ck_postings_sequence_positive')),
    sa.ForeignKeyConstraint(['account_id', 'time_bank_id'], ['accounts.id', 'accounts.time_bank_id'], name='fk_postings_account_in_bank'),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], name=op.f('fk_postings_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['time_bank_id'], ['time_banks.id'], name=op.f('fk_postings_time_bank_id_time_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_postings')),
    sa.UniqueConstraint('entry_hash', name=op.f('uq_postings_entry_hash')),
    sa.UniqueConstraint('exchange_id', 'account_id', name=op.f('uq_postings_exchange_id_account_id')),
    sa.UniqueConstraint('time_bank_id', 'sequence', name=op.f('uq_postings_time_bank_id_sequence'))
    )
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.create_index('ix_postings_account', ['account_id'], unique=False)

    _append_only_triggers()
    _insert_categories()


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION timebank_refuse_change() CASCADE')
    # The tables, children before parents.
    with op.batch_alter_table('postings', schema=None) as batch_op:
        batch_op.drop_index('ix_postings_account')

    op.drop_table('postings')
    with op.batch_alter_table('exchange_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_events_exchange_id'))
        batch_op.drop_index(batch_op.f('ix_exchange_events_actor_id'))

    op.drop_table('exchange_events')
    with op.batch_alter_table('organisation_admins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_admins_person_id'))

    op.drop_table('organisation_admins')
    with op.batch_alter_table('exchanges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchanges_recorded_by_id'))
        batch_op.drop_index('ix_exchanges_payer_created')
        batch_op.drop_index('ix_exchanges_payee_created')
        batch_op.drop_index(batch_op.f('ix_exchanges_category_id'))
        batch_op.drop_index('ix_exchanges_bank_state')

    op.drop_table('exchanges')
    with op.batch_alter_table('bank_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_roles_person_id'))

    op.drop_table('bank_roles')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_subject')
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))

    op.drop_table('audit_events')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_person_id'))

    op.drop_table('api_tokens')
    op.drop_table('people')
    op.drop_table('organisations')
    op.drop_table('ledger_heads')
    op.drop_table('balance_limits')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index('uq_accounts_one_community_pot', sqlite_where=sa.text("holder_kind = 'community_pot'"), postgresql_where=sa.text("holder_kind = 'community_pot'"))
        batch_op.drop_index(batch_op.f('ix_accounts_time_bank_id'))
        batch_op.drop_index(batch_op.f('ix_accounts_holder_id'))

    op.drop_table('accounts')
    op.drop_table('time_banks')
    op.drop_table('holders')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_categories_parent_id'))

    op.drop_table('categories')


APPEND_ONLY = ("postings", "exchange_events", "audit_events")
#: Every column of exchanges except ``state``: none of them may change once recorded.
EXCHANGE_FACTS = (
    "id, time_bank_id, kind, payer_account_id, payee_account_id, proposer_account_id, amount_minutes, "
    "occurred_on, category_id, description, recorded_by_id, idempotency_key, request_fingerprint, "
    "reverses_exchange_id, created_at"
)
FORWARD_ONLY = (
    "(OLD.state = 'pending' AND NEW.state IN ('confirmed', 'declined', 'cancelled')) "
    "OR (OLD.state = 'confirmed' AND NEW.state = 'reversed') OR OLD.state = NEW.state"
)


def _append_only_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION timebank_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% on % refused: the ledger is append-only', TG_OP, TG_TABLE_NAME; END; $$"
        )
        refuse = "FOR EACH ROW EXECUTE FUNCTION timebank_refuse_change()"
        for table in APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} {refuse}")
        op.execute(f"CREATE TRIGGER exchanges_never_deleted BEFORE DELETE ON exchanges {refuse}")
        op.execute(f"CREATE TRIGGER exchanges_facts_fixed BEFORE UPDATE OF {EXCHANGE_FACTS} ON exchanges {refuse}")
        op.execute(
            f"CREATE TRIGGER exchanges_state_forward BEFORE UPDATE OF state ON exchanges "
            f"FOR EACH ROW WHEN (NOT ({FORWARD_ONLY})) EXECUTE FUNCTION timebank_refuse_change()"
        )
        return
    def refuse(name, event, table, when=""):
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} {when} "
            f"BEGIN SELECT RAISE(ABORT, '{event} on {table} refused: the ledger is append-only'); END"
        )
    for table in APPEND_ONLY:
        refuse(f"{table}_no_update", "UPDATE", table)
        refuse(f"{table}_no_delete", "DELETE", table)
    refuse("exchanges_never_deleted", "DELETE", "exchanges")
    refuse("exchanges_facts_fixed", f"UPDATE OF {EXCHANGE_FACTS}", "exchanges")
    refuse("exchanges_state_forward", "UPDATE OF state", "exchanges", f"WHEN NOT ({FORWARD_ONLY})")


#: The category tree as it stood at this revision (labels live in timebank/categories/taxonomy.py).
CATEGORIES = {
    "home-garden": ["gardening", "cleaning", "decorating", "pet-care", "house-sitting"],
    "transport-errands": ["lifts", "shopping", "prescriptions"],
    "befriending": ["visits", "phone-befriending", "walking-buddy"],
    "admin-it": ["computer-help", "form-filling", "bookkeeping"],
    "creative": ["arts-crafts", "music", "photography", "writing"],
    "learning-teaching": ["tutoring", "skills-sharing", "reading"],
    "health-wellbeing": ["exercise", "relaxation", "peer-support"],
    "repairs": ["diy", "bike-repair", "sewing", "electrical-repair"],
    "languages": ["welsh", "bsl", "english-practice", "translation"],
    "caring-community": ["childcare-support", "carer-respite", "community-events", "volunteering-roles"],
    "food": ["cooking", "meal-sharing", "food-growing"],
    "sport-leisure": ["coaching", "outings"],
    "advice-professional": ["cv-interview", "business-advice", "mentoring"],
    "time-for-time": ["leisure-pass", "tickets"],
    "other": [],
}


def _insert_categories():
    categories = sa.table(
        "categories",
        sa.column("id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("parent_id", sa.Integer),
        sa.column("position", sa.Integer),
    )
    rows, next_id = [], 1
    for parent_code, children in CATEGORIES.items():
        parent_id = next_id
        rows.append({"id": parent_id, "code": parent_code, "parent_id": None, "position": next_id})
        next_id += 1
        for code in children:
            rows.append({"id": next_id, "code": code, "parent_id": parent_id, "position": next_id})
            next_id += 1
    op.bulk_insert(categories, rows)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('categories', 'id'), (SELECT max(id) FROM categories))")
