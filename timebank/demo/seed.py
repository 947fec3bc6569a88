"""Synthetic data at scale: a new bank with N residents and M exchanges, for benchmarks and load tests.

This is the one writer of ledger rows that does not go through ``ledger.service``: a million exchanges
through the ORM would take hours. Instead it plays the service's part in memory and writes the rows in
batches (``COPY`` on PostgreSQL, ``executemany`` on SQLite). The rows are exactly what the service would
write for the same history:

* every exchange is recorded and then confirmed, declined or cancelled at once, except that near the
  end some are left pending (counted in ``debits_pending_minutes`` / ``credits_pending_minutes``, with
  no postings); a few confirmed exchanges are reversed by the bank's broker;
* each exchange has its ``exchange_events``, its ``request_fingerprint`` as ``record_exchange`` computes
  it, and each posted one its two ``postings`` chained with ``ledger.chain.entry_hash`` in ``_post``'s
  order;
* every movement respects the resident floor and ceiling of ``DEFAULT_LIMITS``, pending included, by
  the ledger's own rule (``ledger.limits.breach``);
* the accounts' counters and the ``ledger_heads`` row are written at the end from counters kept in
  memory (one small list per counter, so memory stays flat however many exchanges there are).

Members also get abilities-first profiles so that search can be measured at scale: each takes one demo
resident's profile (abilities, words, languages, privacy choices), with ``search_text`` made by
``profiles.service.search_text_of`` as the service would, a home in one of the districts HB1–HB12 of the
made-up "HB" area, a travel range of the districts next door, and a few random cells of the weekly grid.

The audit log gets one ``bank.created`` entry for the whole load rather than one per synthetic member.

Ids are assigned here, from the current maximum of each table, so the same seed on the same database
gives the same chain head. On PostgreSQL the tables are locked against other writers for the duration
and the id sequences moved past the new rows afterwards; a load at least as big as what is there already
sets the foreign keys, unique constraints and indexes of exchanges, events and postings aside and puts
them back at the end, each checked once over the whole table (``_deferred_checks``).

Nothing here commits. The caller commits once at the end, so a seed that fails leaves nothing behind:
the bank row is written first (everything refers to it) but is never visible half-made.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from timebank.audit.models import AuditEvent
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.clock import uk_today
from timebank.demo import data, errors
from timebank.demo.service import AMOUNTS, profile_update
from timebank.errors import Conflict, DomainError
from timebank.ledger import summaries
from timebank.ledger.chain import entry_hash
from timebank.ledger.limits import DEFAULT_LIMITS, breach
from timebank.ledger.models import (
    GENESIS_HASH,
    Account,
    BalanceLimit,
    Exchange,
    ExchangeEvent,
    ExchangeKind,
    ExchangeState,
    HolderKind,
    LedgerHead,
    Posting,
)
from timebank.ledger.service import request_fingerprint_of
from timebank.members.models import BankRole, BankRoleName, ContactMethod, Holder, HolderType, Person
from timebank.profiles.models import Ability, AvailabilitySlot, Period, Profile, SpokenLanguage, TravelDistrict
from timebank.profiles.service import TEXT_FIELDS, search_text_of

SLUG_PREFIX = "synthetic-"
DAYS = 365
#: Only the last stretch of the timeline can still be pending: older exchanges were settled long ago.
PENDING_TAIL = 0.05
PENDING_SHARE_IN_TAIL = 0.4
DECLINED_SHARE = 0.01
CANCELLED_SHARE = 0.01
REVERSED_SHARE = 0.002
GIVER_PROPOSES_SHARE = 0.7
REVERSAL_REASON = "Keyed twice from the paper sign-in sheet."
#: SQLite page cache for the load, in KiB (see ``_sqlite_cache``).
SQLITE_CACHE_KIB = 256 * 1024

CONFIRMED = ExchangeState.CONFIRMED.value
PENDING = ExchangeState.PENDING.value
DECLINED = ExchangeState.DECLINED.value
CANCELLED = ExchangeState.CANCELLED.value
REVERSED = ExchangeState.REVERSED.value
EXCHANGE = ExchangeKind.EXCHANGE.value
REVERSAL = ExchangeKind.REVERSAL.value

EXCHANGE_COLUMNS = (
    "id", "time_bank_id", "kind", "receiver_account_id", "giver_account_id", "proposer_account_id",
    "amount_minutes", "occurred_on", "category_id", "description", "recorded_by_id", "idempotency_key",
    "request_fingerprint", "reverses_exchange_id", "state",
)
STATE_AT = EXCHANGE_COLUMNS.index("state")
EVENT_COLUMNS = ("id", "exchange_id", "from_state", "to_state", "actor_id", "acting_for_account_id", "note")
POSTING_COLUMNS = (
    "id", "time_bank_id", "exchange_id", "account_id", "amount_minutes", "sequence", "prev_hash", "entry_hash",
)

#: Seeded members live in districts HB1 … HB<DISTRICTS>.
DISTRICTS = 12
#: Letters that end a postcode (the Royal Mail never uses C, I, K, M, O or V there).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
#: Cells of the weekly grid each member ticks, at least and at most.
AVAILABILITY_CELLS = (2, 6)
PROFILE_COLUMNS = (
    "holder_id", *TEXT_FIELDS, "can_travel", "show_name", "show_area", "show_abilities", "show_contact", "search_text",
)

Progress = Callable[[int], None]


class SeedBankExists(Conflict):
    code = "seed-bank-exists"
    title = "That synthetic bank already exists: choose another --seed"


class SeedOnClosedAccount(DomainError):
    code = "seed-on-closed-account"
    title = "The seed wrote an exchange on a closed account"


class SeedUnsupported(DomainError):
    code = "seed-unsupported"
    title = "The seed runs on SQLite and PostgreSQL only"


@dataclass(frozen=True)
class SeedResult:
    time_bank_id: int
    slug: str
    members: int
    exchanges: int
    events: int
    postings: int
    last_sequence: int
    last_hash: str
    #: Rows of the members' profiles: profiles, abilities, languages, availability and travel districts.
    profile_rows: int

    @property
    def rows(self) -> int:
        """Rows written: people (twice: holders and people), accounts, profiles, exchanges, events, postings."""
        return (2 * (self.members + 1) + self.members + 1 + self.profile_rows + self.exchanges + self.events
                + self.postings)


def slug_for(seed: int) -> str:
    return f"{SLUG_PREFIX}{seed}"


# --- writing rows ----------------------------------------------------------------------------------


class _Writer:
    """Bulk-inserts tuples: ``COPY`` on PostgreSQL (psycopg 3), ``executemany`` on SQLite."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        if self.dialect not in ("sqlite", "postgresql") or (
            self.dialect == "postgresql" and connection.dialect.driver != "psycopg"
        ):
            raise SeedUnsupported()

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        names = ", ".join(columns)
        if self.dialect == "postgresql":
            driver_connection = self.connection.connection.driver_connection
            with driver_connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        rows = [tuple(row) for row in rows]
        if rows:
            marks = ", ".join("?" * len(columns))
            # Table and column names are the models' own, passed by this module; the values are bound.
            self.connection.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # nosec B608


def _next_id(connection: sa.Connection, table: sa.Table) -> int:
    return (connection.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1


#: Tables the seed gives ids to, whose PostgreSQL sequences must be moved past them afterwards.
ID_TABLES = ("time_banks", "holders", "accounts", "exchanges", "exchange_events", "postings")
LOCKED_TABLES = (
    "time_banks", "holders", "people", "accounts", "balance_limits", "bank_roles", "ledger_heads",
    "exchanges", "exchange_events", "postings", "audit_events",
)


def _move_sequences_past_rows(connection: sa.Connection) -> None:
    for table in ID_TABLES:
        sequence = connection.scalar(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table})
        if sequence is None:
            continue
        # The table is one of ID_TABLES and the sequence is the name PostgreSQL gave for it: neither is input.
        connection.execute(
            sa.text(
                "SELECT setval(CAST(:s AS regclass), "  # nosec B608
                f"GREATEST((SELECT coalesce(max(id), 1) FROM {table}), (SELECT last_value FROM {sequence})))"
            ),
            {"s": sequence},
        )


#: The tables a big load fills, whose foreign keys and secondary indexes ``_deferred_checks`` sets aside.
BULK_TABLES = ("exchanges", "exchange_events", "postings")
#: The constraints (foreign keys, unique) and plain indexes of ``BULK_TABLES``, with their definitions, except
#: the primary keys and any unique constraint a foreign key leans on. ``pg_get_*def`` gives back the exact DDL.
_SET_ASIDE = sa.text("""
    SELECT 'constraint', c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
      FROM pg_constraint c
     WHERE c.conrelid = ANY(CAST(:tables AS regclass[])) AND c.contype IN ('f', 'u')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid
                                                       AND c.contype = 'u')
    UNION ALL
    SELECT 'index', i.indrelid::regclass::text, x.relname, '', pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
     WHERE i.indrelid = ANY(CAST(:tables AS regclass[]))
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
""")

#: The migrations' trigger that refuses an exchange on a closed account, and its rule for one bank's load:
#: its closed accounts first (a new bank has none), then any exchange on them.
CLOSED_ACCOUNT_TRIGGER = "exchanges_not_on_closed_accounts"
_CLOSED_ACCOUNTS = sa.text("SELECT id FROM accounts WHERE time_bank_id = :bank AND closed_at IS NOT NULL")
_ON_CLOSED_ACCOUNTS = sa.text(
    "SELECT EXISTS (SELECT 1 FROM exchanges WHERE kind = 'exchange' AND time_bank_id = :bank "
    "AND (receiver_account_id = ANY(:closed) OR giver_account_id = ANY(:closed)))"
)


@contextlib.contextmanager
def _deferred_checks(connection: sa.Connection, exchanges: int, bank_id: int) -> Iterator[None]:
    """On PostgreSQL, when the load is at least as big as what ``exchanges`` already holds, set the foreign
    keys, unique constraints and secondary indexes of ``BULK_TABLES`` aside for the load and put them back
    after it, in the same transaction. Checked row by row, the foreign keys are about half the load's time
    (a lookup per key per row, a dozen per exchange); put back, each is checked once over the whole table,
    and each index built in one sorted pass instead of taking rows in random order. Nothing is weaker: if a
    row breaks a constraint, putting it back fails and the transaction (so the whole seed) rolls back.

    The trigger that refuses an exchange on a closed account (a plpgsql lookup per row, a fifth of the
    load) is off for the load too, and its rule checked once afterwards over the bank's exchanges.

    A small load into a big database keeps them: rebuilding would cost more than it saves."""
    if connection.dialect.name != "postgresql" or exchanges < (
        connection.scalar(sa.text("SELECT count(*) FROM exchanges")) or 0
    ):
        yield
        return
    connection.exec_driver_sql(f"ALTER TABLE exchanges DISABLE TRIGGER {CLOSED_ACCOUNT_TRIGGER}")
    set_aside = connection.execute(_SET_ASIDE, {"tables": list(BULK_TABLES)}).all()
    # Foreign keys first (they lean on the unique constraints and indexes), and back in the reverse order.
    order = {"f": 0, "u": 1, "": 2}
    set_aside.sort(key=lambda row: order[row[3]])
    for kind, table, name, _, _ in set_aside:
        # Names and definitions come from the catalogue, for the seed's own tables: nothing is input.
        connection.exec_driver_sql(
            f'ALTER TABLE {table} DROP CONSTRAINT "{name}"' if kind == "constraint" else f'DROP INDEX "{name}"'
        )
    yield
    connection.exec_driver_sql(f"ALTER TABLE exchanges ENABLE TRIGGER {CLOSED_ACCOUNT_TRIGGER}")
    closed = connection.scalars(_CLOSED_ACCOUNTS, {"bank": bank_id}).all()
    if closed and connection.scalar(_ON_CLOSED_ACCOUNTS, {"bank": bank_id, "closed": list(closed)}):
        raise SeedOnClosedAccount()
    for kind, table, name, _, definition in reversed(set_aside):
        connection.exec_driver_sql(
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' if kind == "constraint" else definition
        )


@contextlib.contextmanager
def _sqlite_cache(connection: sa.Connection) -> Iterator[None]:
    """On SQLite, give the load a bigger page cache while it runs. The indexes on receiver, giver, actor and
    entry hash take rows in random order; with the default 2 MiB cache their pages are spilled to the WAL
    and written again and again, which makes a million exchanges several times slower. The cache is
    still a fixed bound on memory."""
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={previous}")


# --- the seed --------------------------------------------------------------------------------------


def seed(
    connection: sa.Connection,
    *,
    members: int,
    exchanges: int,
    seed: int,
    until: dt.date | None = None,
    batch_size: int = 20_000,
    progress: Progress | None = None,
) -> SeedResult:
    """Create bank ``synthetic-<seed>`` with ``members`` residents and ``exchanges`` exchanges (reversals
    included) spread over the year to ``until`` (default today). Does not commit."""
    if members < 2:
        raise errors.TooFewMembers("A bank needs at least two members to exchange anything", field="members")
    if exchanges < 0:
        raise errors.NegativeExchanges("The number of exchanges cannot be negative", field="exchanges")
    slug = slug_for(seed)
    writer = _Writer(connection)
    if connection.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug)) is not None:
        raise SeedBankExists(f"The bank {slug} already exists: choose another --seed.")
    if writer.dialect == "postgresql":
        # Ids are taken from the current maxima, so keep other writers out until we commit.
        connection.exec_driver_sql(f"LOCK TABLE {', '.join(LOCKED_TABLES)} IN EXCLUSIVE MODE")
    builder = _Builder(connection, writer, members=members, seed=seed, slug=slug, until=until or uk_today())
    with _sqlite_cache(connection):
        builder.open_bank()
        with _deferred_checks(connection, exchanges, builder.bank_id):
            builder.exchanges(exchanges, batch_size, progress or (lambda _n: None))
        result = builder.close()
    summaries.fill(connection, result.time_bank_id)
    if writer.dialect == "postgresql":
        _move_sequences_past_rows(connection)
    # Like any bulk load, end by refreshing the planner's statistics: without them PostgreSQL thinks the
    # new tables are nearly empty and, for one, skips the full-text index for a row-by-row scan.
    connection.exec_driver_sql("ANALYZE")
    return result


class _Builder:
    def __init__(
        self, connection: sa.Connection, writer: _Writer, *, members: int, seed: int, slug: str, until: dt.date
    ) -> None:
        self.connection = connection
        self.writer = writer
        self.members = members
        self.seed = seed
        self.slug = slug
        self.until = until
        #: The bank's books open on the first day exchanges are spread over.
        self.first_day = until - dt.timedelta(days=DAYS - 1)
        self.rng = random.Random(seed)
        self.floor, self.ceiling = DEFAULT_LIMITS[HolderKind.RESIDENT]
        # Counters per member, by index; member i is account ``account0 + i``, person ``person0 + i``.
        self.debits_pending = [0] * members
        self.credits_pending = [0] * members
        self.debits_posted = [0] * members
        self.credits_posted = [0] * members
        self.given = [0] * members
        self.received = [0] * members
        #: Each account's latest day with a posting (``Account.last_posted_on``); the days only go forward.
        self.last_posted: list[dt.date | None] = [None] * members
        self.sequence = 0
        self.last_hash = GENESIS_HASH
        self.exchange_count = self.event_count = self.posting_count = 0

    # -- the bank, its people and accounts --

    def open_bank(self) -> None:
        connection = self.connection
        self.bank_id = _next_id(connection, TimeBank.__table__)
        connection.execute(
            sa.insert(TimeBank.__table__),
            {"id": self.bank_id, "slug": self.slug, "name": f"Synthetic Time Bank {self.seed}",
             "agency_name": "Synthetic Agency", "opened_on": self.first_day},
        )
        connection.execute(
            sa.insert(BalanceLimit.__table__),
            [{"time_bank_id": self.bank_id, "holder_kind": kind, "floor_minutes": floor, "ceiling_minutes": ceiling}
             for kind, (floor, ceiling) in DEFAULT_LIMITS.items()],
        )
        self.broker_id = _next_id(connection, Holder.__table__)
        self.person0 = self.broker_id + 1
        first_names = [r.name.split()[0] for r in data.RESIDENTS]
        last_names = [r.name.split()[-1] for r in data.RESIDENTS]
        names = [f"Synthetic Broker {self.seed}"] + [
            f"{self.rng.choice(first_names)} {self.rng.choice(last_names)}" for _ in range(self.members)
        ]
        # The profiles have their own random numbers, so the exchanges (and the chain) do not depend on them.
        profile_rng = random.Random(f"profiles-{self.seed}")
        districts = [profile_rng.randint(1, DISTRICTS) for _ in range(self.members)]
        postcodes = [None] + [
            f"HB{district} {profile_rng.randint(1, 9)}{''.join(profile_rng.choices(INWARD_LETTERS, k=2))}"
            for district in districts
        ]
        person = HolderType.PERSON.value
        self.writer.write(
            Holder.__tablename__, ("id", "type", "display_name", "postcode", "postcode_district"),
            ((self.broker_id + i, person, name, postcode, postcode and postcode.split()[0])
             for i, (name, postcode) in enumerate(zip(names, postcodes, strict=True))),
        )
        # People's other columns (no email, no password, English, not admin) are the server defaults; with
        # neither email nor phone, the broker passes messages on.
        broker_contact = ContactMethod.BROKER.value
        self.writer.write(Person.__tablename__, ("id", "contact_by"),
                          ((self.broker_id + i, broker_contact) for i in range(len(names))))
        self.profile_rows = self._profiles(profile_rng, districts)
        connection.execute(
            sa.insert(BankRole.__table__),
            {"time_bank_id": self.bank_id, "person_id": self.broker_id, "role": BankRoleName.BROKER},
        )
        pot_id = _next_id(connection, Account.__table__)
        self.account0 = pot_id + 1
        resident = HolderKind.RESIDENT.value
        self.writer.write(
            Account.__tablename__, ("id", "time_bank_id", "holder_id", "holder_kind"),
            [(pot_id, self.bank_id, None, HolderKind.COMMUNITY_POT.value)]
            + [(self.account0 + i, self.bank_id, self.person0 + i, resident) for i in range(self.members)],
        )
        connection.execute(
            sa.insert(AuditEvent.__table__),
            {"action": "bank.created", "actor_id": None, "subject_type": "time_bank", "subject_id": self.bank_id,
             "time_bank_id": self.bank_id, "details": {"slug": self.slug, "seeded": True}},
        )
        self.exchange0 = _next_id(connection, Exchange.__table__)
        self.event0 = _next_id(connection, ExchangeEvent.__table__)
        self.posting0 = _next_id(connection, Posting.__table__)

    def _profiles(self, rng: random.Random, districts: list[int]) -> int:
        """Write each member's profile, modelled on a demo resident's; returns the rows written."""
        categories = {code: Category(id=category_id, code=code)
                      for code, category_id in self.connection.execute(sa.select(Category.code, Category.id))}
        templates = []
        for resident in data.RESIDENTS:
            update = profile_update(resident)
            profile = Profile(**{name: getattr(update, name) for name in TEXT_FIELDS})
            abilities = [categories[code] for code in update.abilities]
            templates.append((update, [category.id for category in abilities], search_text_of(profile, abilities)))
        cells = [(weekday, period.value) for weekday in range(7) for period in Period]
        profiles: list[tuple[Any, ...]] = []
        abilities_rows, language_rows, availability_rows, travel_rows = [], [], [], []
        for i, district in enumerate(districts):
            holder_id = self.person0 + i
            update, category_ids, search_text = templates[rng.randrange(len(templates))]
            profiles.append((holder_id, *(getattr(update, name) for name in TEXT_FIELDS), update.can_travel,
                             update.show_name, update.show_area, update.show_abilities, update.show_contact,
                             search_text))
            abilities_rows.extend((holder_id, category_id) for category_id in category_ids)
            language_rows.extend((holder_id, code) for code in update.languages)
            availability_rows.extend((holder_id, *cell) for cell in rng.sample(cells, rng.randint(*AVAILABILITY_CELLS)))
            if update.can_travel:
                next_door = [d for d in (district - 1, district + 1) if 1 <= d <= DISTRICTS]
                travel_rows.extend((holder_id, f"HB{d}") for d in rng.sample(next_door, rng.randint(1, len(next_door))))
        self.writer.write(Profile.__tablename__, PROFILE_COLUMNS, profiles)
        self.writer.write(Ability.__tablename__, ("holder_id", "category_id"), abilities_rows)
        self.writer.write(SpokenLanguage.__tablename__, ("holder_id", "code"), language_rows)
        self.writer.write(AvailabilitySlot.__tablename__, ("holder_id", "weekday", "period"), availability_rows)
        self.writer.write(TravelDistrict.__tablename__, ("holder_id", "district"), travel_rows)
        return len(profiles) + len(abilities_rows) + len(language_rows) + len(availability_rows) + len(travel_rows)

    # -- the exchanges --

    def _descriptions(self) -> list[tuple[int, str]]:
        """(category id, description) pairs, from the demo's help written for "a neighbour"."""
        ids = dict(self.connection.execute(sa.select(Category.code, Category.id)).all())
        return [
            (ids[code], template.format(them="a neighbour", place=data.PLACES[n % len(data.PLACES)]))
            for code in sorted(data.HELP)
            for n, template in enumerate(data.HELP[code])
        ]

    def _fits(self, receiver: int, giver: int, minutes: int) -> bool:
        """The ledger's limit rule (``ledger.limits.breach``) for two residents, on the in-memory counters."""
        return breach(
            minutes,
            receiver_available=(self.credits_posted[receiver] - self.debits_posted[receiver]
                                - self.debits_pending[receiver]),
            receiver_floor=self.floor,
            giver_towards_ceiling=self.credits_posted[giver] - self.debits_posted[giver] + self.credits_pending[giver],
            giver_ceiling=self.ceiling,
        ) is None

    def _pick(self, minutes: int) -> tuple[int, int, int]:
        """A (receiver, giver, minutes) that the limits allow; shorter help if the bank is tight."""
        rng, n = self.rng, self.members
        for attempt in range(1000):
            if attempt == 20:
                minutes = 15
            receiver = rng.randrange(n)
            giver = rng.randrange(n - 1)
            giver += giver >= receiver
            if self._fits(receiver, giver, minutes):
                return receiver, giver, minutes
            if self._fits(giver, receiver, minutes):
                return giver, receiver, minutes
        raise RuntimeError("no pair of members can exchange within their limits")

    def exchanges(self, count: int, batch_size: int, progress: Progress) -> None:
        rng = self.rng
        descriptions = self._descriptions()
        days = [self.first_day + dt.timedelta(days=d) for d in range(DAYS)]
        day_strings = [day.isoformat() for day in days]
        pending_from = int(count * (1 - PENDING_TAIL))
        bank, a0, p0 = self.bank_id, self.account0, self.person0
        exchange_rows: list[list[Any]] = []
        event_rows: list[tuple[Any, ...]] = []
        posting_rows: list[tuple[Any, ...]] = []
        #: Batch positions of confirmed exchanges that a reversal could still undo.
        reversible: list[int] = []

        def post(xid: int, kind: str, receiver: int, giver: int, minutes: int, day: dt.date, category_id: int,
                 reverses: int | None) -> None:
            # ledger.service._post: receiver's posting first, each linked to the one before.
            for account_id, amount in ((a0 + receiver, -minutes), (a0 + giver, minutes)):
                self.sequence += 1
                digest = entry_hash(
                    self.last_hash, time_bank_id=bank, sequence=self.sequence, exchange_id=xid,
                    account_id=account_id, amount_minutes=amount, kind=kind, receiver_account_id=a0 + receiver,
                    giver_account_id=a0 + giver, exchange_minutes=minutes, occurred_on=day,
                    category_id=category_id, reverses_exchange_id=reverses,
                )
                posting_rows.append((self.posting0 + self.posting_count, bank, xid, account_id, amount,
                                     self.sequence, self.last_hash, digest))
                self.posting_count += 1
                self.last_hash = digest
            self.debits_posted[receiver] += minutes
            self.credits_posted[giver] += minutes
            self.last_posted[receiver] = self.last_posted[giver] = day

        def event(xid: int, from_state: str | None, to_state: str, actor: int, acting_for: int | None,
                  note: str = "") -> None:
            event_rows.append((self.event0 + self.event_count, xid, from_state, to_state, actor, acting_for, note))
            self.event_count += 1

        def flush() -> None:
            self.writer.write(Exchange.__tablename__, EXCHANGE_COLUMNS, exchange_rows)
            self.writer.write(ExchangeEvent.__tablename__, EVENT_COLUMNS, event_rows)
            self.writer.write(Posting.__tablename__, POSTING_COLUMNS, posting_rows)
            progress(len(exchange_rows))
            exchange_rows.clear()
            event_rows.clear()
            posting_rows.clear()
            reversible.clear()

        for i in range(count):
            xid = self.exchange0 + i
            day_index = i * DAYS // count
            day, day_string = days[day_index], day_strings[day_index]
            if reversible and rng.random() < REVERSED_SHARE:
                position = reversible.pop(rng.randrange(len(reversible)))
                original = exchange_rows[position]
                oid, receiver, giver, minutes, category_id = (
                    original[0], original[3] - a0, original[4] - a0, original[6], original[8]
                )
                # ledger.service.reverse_exchange: the hours go back, within the limits.
                if self._fits(giver, receiver, minutes):
                    original[STATE_AT] = REVERSED
                    exchange_rows.append([
                        xid, bank, REVERSAL, a0 + giver, a0 + receiver, a0 + giver, minutes, day_string, category_id,
                        REVERSAL_REASON, self.broker_id, f"reversal-of-{oid}",
                        request_fingerprint_of(reverses=oid), oid, CONFIRMED,
                    ])
                    post(xid, REVERSAL, giver, receiver, minutes, day, category_id, oid)
                    self.given[giver] -= minutes
                    self.received[receiver] -= minutes
                    event(oid, CONFIRMED, REVERSED, self.broker_id, None, REVERSAL_REASON)
                    event(xid, None, CONFIRMED, self.broker_id, None, REVERSAL_REASON)
                    if len(exchange_rows) >= batch_size:
                        flush()
                    continue

            receiver, giver, minutes = self._pick(rng.choice(AMOUNTS))
            category_id, description = rng.choice(descriptions)
            giver_proposes = rng.random() < GIVER_PROPOSES_SHARE
            proposer, confirmer = (giver, receiver) if giver_proposes else (receiver, giver)
            roll = rng.random()
            if i >= pending_from and roll < PENDING_SHARE_IN_TAIL:
                state = PENDING
            elif roll > 1 - DECLINED_SHARE:
                state = DECLINED
            elif roll > 1 - DECLINED_SHARE - CANCELLED_SHARE:
                state = CANCELLED
            else:
                state = CONFIRMED
            fingerprint = request_fingerprint_of(
                proposer=a0 + proposer, counterpart=a0 + confirmer, proposer_is_giver=giver_proposes,
                minutes=minutes, occurred_on=day, category=category_id, description=description,
            )
            exchange_rows.append([
                xid, bank, EXCHANGE, a0 + receiver, a0 + giver, a0 + proposer, minutes, day_string, category_id,
                description, p0 + proposer, f"seed-{self.seed}-{i}", fingerprint, None, state,
            ])
            event(xid, None, PENDING, p0 + proposer, a0 + proposer)
            if state == PENDING:
                self.debits_pending[receiver] += minutes
                self.credits_pending[giver] += minutes
            elif state == CONFIRMED:
                event(xid, PENDING, CONFIRMED, p0 + confirmer, a0 + confirmer)
                post(xid, EXCHANGE, receiver, giver, minutes, day, category_id, None)
                self.received[receiver] += minutes
                self.given[giver] += minutes
                reversible.append(len(exchange_rows) - 1)
            elif state == DECLINED:
                event(xid, PENDING, DECLINED, p0 + confirmer, a0 + confirmer)
            else:
                event(xid, PENDING, CANCELLED, p0 + proposer, a0 + proposer)
            if len(exchange_rows) >= batch_size:
                flush()
        flush()
        self.exchange_count = count

    # -- the end: counters and the chain head --

    def close(self) -> SeedResult:
        table = Account.__table__
        counters = ("debits_pending_minutes", "credits_pending_minutes", "debits_posted_minutes",
                    "credits_posted_minutes", "given_minutes", "received_minutes", "last_posted_on")
        update = sa.update(table).where(table.c.id == sa.bindparam("account_id")).values(
            {name: sa.bindparam(f"new_{name}") for name in counters}
        )
        rows = []
        for i, values in enumerate(zip(self.debits_pending, self.credits_pending, self.debits_posted,
                                       self.credits_posted, self.given, self.received, self.last_posted,
                                       strict=True)):
            if any(values):
                rows.append({"account_id": self.account0 + i,
                             **{f"new_{name}": value for name, value in zip(counters, values, strict=True)}})
        for start in range(0, len(rows), 10_000):
            self.connection.execute(update, rows[start:start + 10_000])
        self.connection.execute(
            sa.insert(LedgerHead.__table__),
            {"time_bank_id": self.bank_id, "last_sequence": self.sequence, "last_hash": self.last_hash},
        )
        return SeedResult(
            time_bank_id=self.bank_id, slug=self.slug, members=self.members, exchanges=self.exchange_count,
            events=self.event_count, postings=self.posting_count, last_sequence=self.sequence,
            last_hash=self.last_hash, profile_rows=self.profile_rows,
        )
