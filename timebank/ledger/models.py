"""The hour ledger.

Design note — the invariants this module exists to keep:

* An **exchange** moves a positive whole number of minutes from the **receiver** of the help to its
  **giver**, inside one time bank (a reversal's giver is the original receiver: the hours go back to
  them; docs/architecture.md, "The words we use"). Its facts never change after it is recorded; only
  its ``state`` moves forward: pending → confirmed | declined | cancelled, and confirmed → reversed.
  Every move is an ``ExchangeEvent`` saying who, for whom and when.
* A confirmed exchange writes exactly two **postings**: ``-minutes`` on the receiver, ``+minutes`` on the
  giver. Postings are append-only (database triggers refuse UPDATE and DELETE), so every exchange, every
  account and every bank sums to zero by construction.
* A mistake is corrected by a **reversal**: a new, confirmed exchange in the other direction that names
  the one it reverses (UNIQUE, so nothing is reversed twice).
* Each bank's postings form a **hash chain** (``sequence``, ``prev_hash``, ``entry_hash``) whose head is
  kept in ``LedgerHead``; editing any posted fact breaks the chain and ``ledger verify`` says where.
* **Accounts** cache TigerBeetle-style counters (pending and posted debits and credits) plus hours given
  and received net of reversals. They change only in the same transaction as the exchange that moves
  them, under row locks, and ``ledger verify`` re-derives every one of them.
* Pending exchanges count against the receiver's **floor** and the giver's **ceiling**; limits come from
  the account's own override or else the bank's default for its holder kind.
* An account is **closed** (``closed_at``) when its holder leaves, by ``service.close_account`` only,
  and never reopens. No exchange is recorded on a closed account, and none pending on it is confirmed:
  the service refuses both, and database triggers refuse them too, whatever the route. Declining and
  cancelling stay allowed (they only release pending hours), and so does a broker's **reversal**: it
  corrects the books as they were, and a mistake must stay correctable after someone has gone.
  ``ledger verify`` reports any exchange recorded on an account after it closed, and any left pending.

This package imports no other feature: holders, banks and categories are referred to by table name only
(``tests/ledger/test_dependencies.py`` reads its imports).
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from timebank.db import Base
from timebank.types import Minutes, UTCDateTime, created_at, intpk, str_enum

#: The most one exchange may carry: a whole day. Longer help is recorded day by day.
MAX_EXCHANGE_MINUTES = 24 * 60
GENESIS_HASH = "0" * 64


class HolderKind(enum.StrEnum):
    RESIDENT = "resident"
    THIRD_SECTOR = "third_sector"
    PUBLIC_BODY = "public_body"
    BUSINESS = "business"
    COMMUNITY_POT = "community_pot"


class FamilyTie(enum.StrEnum):
    """Help given to someone in the giver's household, or to a close relative (a parent, in-law, child,
    step-relation, brother or sister, or their partner): asked on the exchange form, optional. Not
    volunteering for benefit purposes, so the benefit rules read it (TB-09)."""

    HOUSEHOLD = "household"
    CLOSE_RELATIVE = "close_relative"


class ExchangeKind(enum.StrEnum):
    EXCHANGE = "exchange"
    REVERSAL = "reversal"


class ExchangeState(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    REVERSED = "reversed"


#: The only state moves there are. Anything else is refused.
TRANSITIONS: dict[ExchangeState, frozenset[ExchangeState]] = {
    ExchangeState.PENDING: frozenset(
        {ExchangeState.CONFIRMED, ExchangeState.DECLINED, ExchangeState.CANCELLED}
    ),
    ExchangeState.CONFIRMED: frozenset({ExchangeState.REVERSED}),
    ExchangeState.DECLINED: frozenset(),
    ExchangeState.CANCELLED: frozenset(),
    ExchangeState.REVERSED: frozenset(),
}


class BalanceLimit(Base):
    """A bank's default floor and ceiling for one kind of holder. ``None`` means no limit."""

    __tablename__ = "balance_limits"
    __table_args__ = (
        sa.UniqueConstraint("time_bank_id", "holder_kind"),
        sa.CheckConstraint("floor_minutes IS NULL OR floor_minutes <= 0", name="floor_not_positive"),
        sa.CheckConstraint("ceiling_minutes IS NULL OR ceiling_minutes >= 0", name="ceiling_not_negative"),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    holder_kind: Mapped[HolderKind] = mapped_column(str_enum(HolderKind, "holder_kind"))
    #: The lowest the available balance may go, in minutes (e.g. -600 for residents: -10 hours).
    floor_minutes: Mapped[int | None]
    #: The highest the balance plus pending credits may go, in minutes.
    ceiling_minutes: Mapped[int | None]


class Account(Base):
    """One holder's time account in one bank, or the bank's community pot (no holder)."""

    __tablename__ = "accounts"
    __table_args__ = (
        sa.UniqueConstraint("time_bank_id", "holder_id"),
        # Target of the composite foreign keys that keep an exchange's accounts inside its bank.
        sa.UniqueConstraint("id", "time_bank_id"),
        sa.Index(
            "uq_accounts_one_community_pot",
            "time_bank_id",
            unique=True,
            sqlite_where=sa.text("holder_kind = 'community_pot'"),
            postgresql_where=sa.text("holder_kind = 'community_pot'"),
        ),
        sa.CheckConstraint(
            "(holder_kind = 'community_pot') = (holder_id IS NULL)", name="pot_has_no_holder"
        ),
        sa.CheckConstraint(
            "debits_pending_minutes >= 0 AND credits_pending_minutes >= 0 "
            "AND debits_posted_minutes >= 0 AND credits_posted_minutes >= 0",
            name="counters_not_negative",
        ),
        sa.CheckConstraint("given_minutes >= 0 AND received_minutes >= 0", name="given_received_not_negative"),
        sa.CheckConstraint(
            "given_minutes - received_minutes = credits_posted_minutes - debits_posted_minutes",
            name="given_received_match_balance",
        ),
        sa.CheckConstraint("floor_minutes IS NULL OR floor_minutes <= 0", name="floor_not_positive"),
        sa.CheckConstraint("ceiling_minutes IS NULL OR ceiling_minutes >= 0", name="ceiling_not_negative"),
        # Matching counts a bank's members who left (few) without reading every account.
        sa.Index("ix_accounts_bank_closed", "time_bank_id", postgresql_where=sa.text("closed_at IS NOT NULL"),
                 sqlite_where=sa.text("closed_at IS NOT NULL")),
        # Members of a bank with nothing posted since a day (the broker's "gone quiet" list), as a range;
        # ``opened_at`` in the index so accounts opened since are passed over without reading their rows.
        sa.Index("ix_accounts_bank_last_posted", "time_bank_id", "last_posted_on", "opened_at", "id"),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), index=True)
    holder_id: Mapped[int | None] = mapped_column(sa.ForeignKey("holders.id"), index=True)
    #: Fixed when the account is opened; picks the bank's default limits.
    holder_kind: Mapped[HolderKind] = mapped_column(str_enum(HolderKind, "holder_kind"))
    #: Per-account overrides of the bank default; ``None`` means "use the default".
    floor_minutes: Mapped[int | None]
    ceiling_minutes: Mapped[int | None]
    opened_at: Mapped[created_at]
    #: When the holder left; ``None`` while the account is open. Set once, by ``service.close_account``.
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    #: Cached counters, changed only by ``ledger.service`` and re-derived by ``ledger verify``.
    debits_pending_minutes: Mapped[Minutes] = mapped_column(default=0, server_default="0")
    credits_pending_minutes: Mapped[Minutes] = mapped_column(default=0, server_default="0")
    debits_posted_minutes: Mapped[Minutes] = mapped_column(default=0, server_default="0")
    credits_posted_minutes: Mapped[Minutes] = mapped_column(default=0, server_default="0")
    #: Help given and received, net of reversals (a reversal undoes, it is not help).
    given_minutes: Mapped[Minutes] = mapped_column(default=0, server_default="0")
    received_minutes: Mapped[Minutes] = mapped_column(default=0, server_default="0")
    #: The latest day of an exchange posted on the account (confirmed, or a reversal); ``None`` before the
    #: first. Cached like the counters: set by ``service`` when it posts, re-derived by ``ledger verify``.
    last_posted_on: Mapped[dt.date | None]

    holder = relationship("Holder", lazy="raise_on_sql", viewonly=True)

    @property
    def balance_minutes(self) -> int:
        return self.credits_posted_minutes - self.debits_posted_minutes

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def available_minutes(self) -> int:
        """What the holder could still spend: the balance less what they owe on pending exchanges."""
        return self.balance_minutes - self.debits_pending_minutes


class Exchange(Base):
    """A promise of hours between two accounts of one bank, and its state."""

    __tablename__ = "exchanges"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["receiver_account_id", "time_bank_id"], ["accounts.id", "accounts.time_bank_id"],
            name="fk_exchanges_receiver_in_bank",
        ),
        sa.ForeignKeyConstraint(
            ["giver_account_id", "time_bank_id"], ["accounts.id", "accounts.time_bank_id"],
            name="fk_exchanges_giver_in_bank",
        ),
        sa.UniqueConstraint("recorded_by_id", "idempotency_key"),
        sa.UniqueConstraint("reverses_exchange_id"),
        sa.CheckConstraint(f"amount_minutes BETWEEN 1 AND {MAX_EXCHANGE_MINUTES}", name="amount_in_range"),
        sa.CheckConstraint("receiver_account_id <> giver_account_id", name="distinct_accounts"),
        sa.CheckConstraint(
            "proposer_account_id = receiver_account_id OR proposer_account_id = giver_account_id",
            name="proposer_is_a_party",
        ),
        sa.CheckConstraint(
            "(kind = 'reversal') = (reverses_exchange_id IS NOT NULL)", name="reversal_names_original"
        ),
        sa.CheckConstraint("kind = 'exchange' OR state = 'confirmed'", name="reversal_is_confirmed"),
        # Each list is a union of branches, one per index, each read newest first and stopped after one
        # page (timebank.pagination.keyset_page): by account, by bank, by bank and state. Newest is the latest
        # day of help, then the last recorded (the list pages); or the last recorded (what waits for an answer).
        sa.Index("ix_exchanges_receiver_id", "receiver_account_id", "id"),
        sa.Index("ix_exchanges_giver_id", "giver_account_id", "id"),
        sa.Index("ix_exchanges_bank_id", "time_bank_id", "id"),
        sa.Index("ix_exchanges_bank_state_occurred_id", "time_bank_id", "state", "occurred_on", "id"),
        # These two also serve an account's monthly chart, which reads its last months only.
        sa.Index("ix_exchanges_receiver_occurred_id", "receiver_account_id", "occurred_on", "id"),
        sa.Index("ix_exchanges_giver_occurred_id", "giver_account_id", "occurred_on", "id"),
        # What waits for an answer: few rows, however busy the account.
        sa.Index("ix_exchanges_receiver_pending", "receiver_account_id",
                 sqlite_where=sa.text("state = 'pending'"), postgresql_where=sa.text("state = 'pending'")),
        sa.Index("ix_exchanges_giver_pending", "giver_account_id",
                 sqlite_where=sa.text("state = 'pending'"), postgresql_where=sa.text("state = 'pending'")),
        # A bank's exchanges waiting longest (the brokers' home page), read oldest first and stopped after a page.
        sa.Index("ix_exchanges_bank_pending_created", "time_bank_id", "created_at", "id",
                 sqlite_where=sa.text("state = 'pending'"), postgresql_where=sa.text("state = 'pending'")),
        # A bank's list, and matching's "recent load": a bank's help of the last four weeks, whoever gave it.
        sa.Index("ix_exchanges_bank_occurred_id", "time_bank_id", "occurred_on", "id"),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    kind: Mapped[ExchangeKind] = mapped_column(str_enum(ExchangeKind, "exchange_kind"))
    #: The account debited: the member who received the help (or, in a reversal, gets it back).
    receiver_account_id: Mapped[int] = mapped_column()
    #: The account credited: the member who gave the help.
    giver_account_id: Mapped[int] = mapped_column()
    #: Which side proposed it; the other side confirms or declines.
    proposer_account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"))
    amount_minutes: Mapped[Minutes]
    #: The day the help happened.
    occurred_on: Mapped[dt.date]
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("categories.id"), index=True)
    description: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    #: The person who keyed it: the member, an organisation's admin, or a broker acting for someone.
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    #: Chosen by the form or API client; a replay returns the first result instead of a duplicate.
    idempotency_key: Mapped[str] = mapped_column(sa.String(100))
    #: SHA-256 of the request, to tell a true replay from a reused key.
    request_fingerprint: Mapped[str] = mapped_column(sa.String(64))
    reverses_exchange_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exchanges.id"))
    #: Where the hours came from, when a co-delivery activity's session produced them. Facts like the
    #: rest: fixed once recorded (funder reports and the benefit rules group by them).
    activity_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activities.id"), index=True)
    role_id: Mapped[int | None] = mapped_column(sa.ForeignKey("roles.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("activity_sessions.id"), index=True)
    #: Whether the receiver is in the giver's household or a close relative; NULL when not said (most).
    family_tie: Mapped[FamilyTie | None] = mapped_column(str_enum(FamilyTie, "family_tie"))
    state: Mapped[ExchangeState] = mapped_column(str_enum(ExchangeState, "exchange_state"))
    created_at: Mapped[created_at]

    receiver: Mapped[Account] = relationship(foreign_keys=[receiver_account_id], lazy="joined", viewonly=True)
    giver: Mapped[Account] = relationship(foreign_keys=[giver_account_id], lazy="joined", viewonly=True)
    reverses: Mapped[Exchange | None] = relationship(
        remote_side="Exchange.id", foreign_keys=[reverses_exchange_id], viewonly=True
    )
    events: Mapped[list[ExchangeEvent]] = relationship(
        back_populates="exchange", order_by="ExchangeEvent.id", viewonly=True
    )

    @property
    def confirmer_account_id(self) -> int:
        if self.proposer_account_id == self.receiver_account_id:
            return self.giver_account_id
        return self.receiver_account_id


class ExchangeEvent(Base):
    """One move of an exchange's state: who did it, for which side, when. Append-only."""

    __tablename__ = "exchange_events"

    id: Mapped[intpk]
    exchange_id: Mapped[int] = mapped_column(sa.ForeignKey("exchanges.id"), index=True)
    #: ``None`` for the event that records the exchange.
    from_state: Mapped[ExchangeState | None] = mapped_column(str_enum(ExchangeState, "from_state"))
    to_state: Mapped[ExchangeState] = mapped_column(str_enum(ExchangeState, "to_state"))
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    #: The side the actor acted for (``None`` for a broker's reversal, which acts for the bank).
    acting_for_account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id"))
    note: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")
    at: Mapped[created_at]

    exchange: Mapped[Exchange] = relationship(back_populates="events")


class Posting(Base):
    """One side of a confirmed exchange, in the bank's hash chain. Append-only."""

    __tablename__ = "postings"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["account_id", "time_bank_id"], ["accounts.id", "accounts.time_bank_id"],
            name="fk_postings_account_in_bank",
        ),
        sa.UniqueConstraint("time_bank_id", "sequence"),
        sa.UniqueConstraint("exchange_id", "account_id"),
        sa.UniqueConstraint("entry_hash"),
        sa.CheckConstraint("amount_minutes <> 0", name="amount_not_zero"),
        sa.CheckConstraint("sequence >= 1", name="sequence_positive"),
        sa.Index("ix_postings_account", "account_id"),
    )

    id: Mapped[intpk]
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    exchange_id: Mapped[int] = mapped_column(sa.ForeignKey("exchanges.id"))
    account_id: Mapped[int]
    #: Signed: negative on the receiver, positive on the giver.
    amount_minutes: Mapped[Minutes]
    #: Position in the bank's chain, from 1 with no gaps.
    sequence: Mapped[int]
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    entry_hash: Mapped[str] = mapped_column(sa.String(64))
    posted_at: Mapped[created_at]


class LedgerHead(Base):
    """The end of a bank's chain. Confirmations lock this row last, after the accounts they touch."""

    __tablename__ = "ledger_heads"

    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), primary_key=True)
    last_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    last_hash: Mapped[str] = mapped_column(sa.String(64), default=GENESIS_HASH)


class BankMonthTotal(Base):
    """Hours exchanged in one bank in one month: the standing exchanges (confirmed, not reversed, not
    reversals) dated in it. Kept by ``ledger.summaries`` in the same transaction as the postings and
    re-derived by ``ledger verify``, so a home page reads one row instead of scanning the month."""

    __tablename__ = "bank_month_totals"

    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), primary_key=True)
    #: The first day of the month.
    month: Mapped[dt.date] = mapped_column(primary_key=True)
    minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    exchanges: Mapped[int] = mapped_column(default=0, server_default="0")


class ExchangeMonthFact(Base):
    """Hours exchanged in one bank in one month, split the ways reports group them (issue 14): by the
    giver's and receiver's kinds, the category, and the organisation, activity and role the hours belong
    to. Standing exchanges only, in the month the help happened, exactly as ``BankMonthTotal`` (which is
    their sum per bank and month). ``0`` stands for "none" in the last three (a key column cannot be NULL).

    The **organisation** an exchange belongs to: its activity's organisation; else the giver, if an
    organisation; else the receiver, if an organisation; else none. Each hour belongs to at most one, so
    a report over several organisations counts no hour twice. Kept by ``ledger.summaries`` with the
    postings, re-derived by ``ledger verify``, written in bulk by the seed."""

    __tablename__ = "exchange_month_facts"

    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(primary_key=True)
    giver_kind: Mapped[HolderKind] = mapped_column(str_enum(HolderKind, "fact_giver_kind"), primary_key=True)
    receiver_kind: Mapped[HolderKind] = mapped_column(str_enum(HolderKind, "fact_receiver_kind"), primary_key=True)
    category_id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(primary_key=True)
    minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    exchanges: Mapped[int] = mapped_column(default=0, server_default="0")


class AccountMonthFact(Base):
    """One account's standing hours in one month, given and received, per organisation and activity they
    belong to (as ``ExchangeMonthFact``; ``0``: none). Reports count people from these (active, new,
    retained, giving and receiving) without reading exchanges. Kept, checked and seeded like
    ``ExchangeMonthFact``; a row whose exchanges were all reversed stays with zeros and counts nobody."""

    __tablename__ = "account_month_facts"
    __table_args__ = (
        sa.Index("ix_account_month_facts_bank_month", "time_bank_id", "month", "account_id"),
    )

    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(primary_key=True)
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    holder_kind: Mapped[HolderKind] = mapped_column(str_enum(HolderKind, "fact_holder_kind"))
    given_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    received_minutes: Mapped[int] = mapped_column(default=0, server_default="0")
    given_exchanges: Mapped[int] = mapped_column(default=0, server_default="0")
    received_exchanges: Mapped[int] = mapped_column(default=0, server_default="0")


class AccountYearFact(Base):
    """The months of a year in which an account gave and received, per organisation and activity: the
    ``AccountMonthFact`` rows of its year folded into one, each month a bit (bit ``m - 1`` of ``gave_months``
    is set when month ``m``'s row has given exchanges standing). Reports count people over any run of months
    from one row per account and year (``reports.queries``) instead of one per month. Kept with the month
    facts, from their row (so a reversal that empties a month clears its bit), checked and seeded like them;
    a row whose bits are all cleared stays at zero and counts nobody."""

    __tablename__ = "account_year_facts"
    __table_args__ = (
        sa.Index("ix_account_year_facts_bank_year", "time_bank_id", "year", "account_id"),
    )

    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(primary_key=True)
    time_bank_id: Mapped[int] = mapped_column(sa.ForeignKey("time_banks.id"))
    holder_kind: Mapped[HolderKind] = mapped_column(str_enum(HolderKind, "fact_holder_kind"))
    gave_months: Mapped[int] = mapped_column(default=0, server_default="0")
    received_months: Mapped[int] = mapped_column(default=0, server_default="0")
