"""Disputes: who may question a confirmed exchange, who sees the dispute, and how a broker ends it.

A party (an organisation admin for their organisation, a broker for a member) raises a dispute about a
confirmed exchange with a reason. The bank's brokers are told and find it in their queue; one of them
ends it by reversing the exchange through ``ledger.service`` or with a note saying why it stands, and the
side that raised it is told. Only the bank's brokers and the side that raised a dispute see it. Raising
and resolving are audited. Only flushes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from timebank.audit import service as audit
from timebank.exchanges import errors
from timebank.exchanges import service as exchanges
from timebank.exchanges.models import MAX_REASON, Dispute, DisputeStatus
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange, ExchangeKind, ExchangeState
from timebank.members import policy
from timebank.members.models import Person
from timebank.members.service import display_names
from timebank.notices import service as notices
from timebank.notices.models import NoticeKind
from timebank.pagination import Page, paginate
from timebank.types import utcnow


class Outcome(enum.StrEnum):
    """How a broker ends a dispute."""

    REVERSE = "reverse"
    NOTE = "note"


class QueueFilter(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


_ENDS_AS = {Outcome.REVERSE: DisputeStatus.REVERSED, Outcome.NOTE: DisputeStatus.NOTED}


# --- raising ---------------------------------------------------------------------------------------


def sides_for(session: Session, actor: Person, exchange: Exchange) -> list[Account]:
    """The sides of the exchange the actor may raise a dispute for: their own (or their organisation's)
    side if they are a party; otherwise, for a broker, either side."""
    own = policy.own_holder_ids(session, actor)
    parties = [exchange.giver, exchange.receiver]
    mine = [account for account in parties if account.holder_id is not None and account.holder_id in own]
    if mine:
        return mine
    return parties if policy.is_broker(session, actor, exchange.time_bank_id) else []


def is_disputable(exchange: Exchange) -> bool:
    return exchange.kind is ExchangeKind.EXCHANGE and exchange.state is ExchangeState.CONFIRMED


def open_dispute_of(session: Session, exchange_id: int) -> Dispute | None:
    return session.scalar(
        sa.select(Dispute).where(Dispute.exchange_id == exchange_id, Dispute.status == DisputeStatus.OPEN)
    )


def _chosen_side(sides: list[Account], account_id: int | None) -> Account:
    if account_id is None and len(sides) == 1:
        return sides[0]
    chosen = next((account for account in sides if account.id == account_id), None)
    if chosen is None:
        raise errors.SideRequired()
    return chosen


def _clean(text: str, required: type[Exception], too_long: type[Exception]) -> str:
    text = text.strip()
    if not text:
        raise required()
    if len(text) > MAX_REASON:
        raise too_long()
    return text


def raise_dispute(
    session: Session, actor: Person, exchange_id: int, reason: str, account_id: int | None = None
) -> tuple[Dispute, bool]:
    """Question a confirmed exchange; return ``(dispute, created)``.

    Sending the same dispute again (same person, side and reason) returns the first one with
    ``created`` false; any other attempt while one is open is refused."""
    exchange = exchanges.visible_exchange(session, actor, exchange_id)
    if not is_disputable(exchange):
        raise errors.NotDisputable()
    reason = _clean(reason, errors.ReasonRequired, errors.ReasonTooLong)
    side = _chosen_side(sides_for(session, actor, exchange), account_id)
    existing = open_dispute_of(session, exchange.id)
    if existing is not None:
        if (existing.raised_by_id, existing.raised_for_account_id, existing.reason) == (actor.id, side.id, reason):
            return existing, False
        raise errors.AlreadyDisputed()
    dispute = Dispute(exchange_id=exchange.id, time_bank_id=exchange.time_bank_id, raised_by_id=actor.id,
                      raised_for_account_id=side.id, reason=reason)
    try:
        with session.begin_nested():  # the partial UNIQUE index settles a race between two raisers
            session.add(dispute)
            session.flush()
    except IntegrityError:
        raise errors.AlreadyDisputed() from None
    audit.record(session, "exchanges.dispute_raised", actor_id=actor.id, subject_type="dispute",
                 subject_id=dispute.id, time_bank_id=dispute.time_bank_id, exchange_id=exchange.id,
                 raised_for_account_id=side.id, on_behalf=policy.acts_on_behalf(session, actor, side))
    notices.notify(session, notices.brokers_of(session, dispute.time_bank_id), NoticeKind.DISPUTE_RAISED,
                   dispute.id, f"{NoticeKind.DISPUTE_RAISED.value}:{dispute.id}", time_bank_id=dispute.time_bank_id)
    return dispute, True


# --- seeing ----------------------------------------------------------------------------------------


def _raisers_side(session: Session, dispute: Dispute) -> set[int]:
    """The people who speak for the side that raised the dispute, and whoever raised it."""
    account = session.get(Account, dispute.raised_for_account_id)
    people = {dispute.raised_by_id}
    if account is not None and account.holder_id is not None:
        people |= notices.people_to_tell(session, account.holder_id, dispute.time_bank_id)
    return people


def _may_see(session: Session, actor: Person, dispute: Dispute) -> bool:
    if dispute.raised_by_id == actor.id or policy.is_broker(session, actor, dispute.time_bank_id):
        return True
    account = session.get(Account, dispute.raised_for_account_id)
    return account is not None and account.holder_id in policy.own_holder_ids(session, actor)


def visible_dispute(session: Session, actor: Person, dispute_id: int) -> Dispute:
    dispute = session.get(Dispute, dispute_id)
    if dispute is None or not _may_see(session, actor, dispute):
        raise errors.DisputeNotFound()
    return dispute


def disputes_of_exchange(session: Session, actor: Person, exchange_id: int) -> list[Dispute]:
    """The exchange's disputes the actor may see, oldest first (404 if they may not see the exchange)."""
    exchange = exchanges.visible_exchange(session, actor, exchange_id)
    found = session.scalars(sa.select(Dispute).where(Dispute.exchange_id == exchange.id).order_by(Dispute.id))
    return [dispute for dispute in found if _may_see(session, actor, dispute)]


@dataclass(frozen=True)
class ExchangeDisputes:
    """The dispute part of an exchange page."""

    #: Disputes the reader may see, oldest first.
    disputes: list[Dispute]
    #: The sides the reader may raise a new dispute for; empty when they cannot raise one now.
    sides: list[Account]
    #: An open dispute exists (it may be someone else's, which the reader does not see).
    has_open: bool
    #: The reader took no part: a broker who records a dispute for a side (one who rang them, say).
    for_a_side: bool = False


def for_exchange_page(session: Session, actor: Person, exchange: Exchange) -> ExchangeDisputes:
    found = list(session.scalars(sa.select(Dispute).where(Dispute.exchange_id == exchange.id).order_by(Dispute.id)))
    has_open = any(d.status is DisputeStatus.OPEN for d in found)
    sides = sides_for(session, actor, exchange) if is_disputable(exchange) and not has_open else []
    own = policy.own_holder_ids(session, actor)
    for_a_side = bool(sides) and not any(side.holder_id in own for side in sides if side.holder_id is not None)
    return ExchangeDisputes([d for d in found if _may_see(session, actor, d)], sides, has_open, for_a_side)


def require_brokers(session: Session, actor: Person) -> set[int]:
    banks = policy.broker_bank_ids(session, actor)
    if not banks:
        raise errors.OnlyBrokersResolve()
    return banks


def queue(
    session: Session,
    actor: Person,
    *,
    status: QueueFilter | None = None,
    time_bank_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page[Dispute]:
    """Disputes in the banks the actor brokers: open ones oldest first, closed ones latest first."""
    query = sa.select(Dispute).where(Dispute.time_bank_id.in_(require_brokers(session, actor)))
    if time_bank_id is not None:
        query = query.where(Dispute.time_bank_id == time_bank_id)
    if status is QueueFilter.OPEN:
        query = query.where(Dispute.status == DisputeStatus.OPEN).order_by(Dispute.id)
    elif status is QueueFilter.CLOSED:
        query = query.where(Dispute.status != DisputeStatus.OPEN).order_by(Dispute.resolved_at.desc(), Dispute.id)
    else:
        query = query.order_by(Dispute.id.desc())
    return paginate(session, query, page=page, per_page=per_page)


@dataclass(frozen=True)
class DisputeContext:
    """What a list or page of disputes shows beside each one, loaded in one query per kind."""

    exchanges: dict[int, Exchange]
    #: Account id → holder name (the community pot is named after its bank).
    accounts: dict[int, str]
    #: Person id → name, for who raised and who resolved.
    people: dict[int, str]


def context_of(session: Session, disputes: list[Dispute]) -> DisputeContext:
    ids = {d.exchange_id for d in disputes}
    found = list(session.scalars(sa.select(Exchange).where(Exchange.id.in_(ids))).unique()) if ids else []
    people = display_names(session, [d.raised_by_id for d in disputes] + [d.resolved_by_id for d in disputes])
    return DisputeContext({e.id: e for e in found}, exchanges.holder_names(session, found), people)


# --- resolving -------------------------------------------------------------------------------------


def _for_resolver(session: Session, actor: Person, dispute: Dispute | None) -> Dispute:
    if dispute is None or not _may_see(session, actor, dispute):
        raise errors.DisputeNotFound()
    if not policy.is_broker(session, actor, dispute.time_bank_id):
        raise errors.OnlyBrokersResolve()
    return dispute


def resolvable_dispute(session: Session, actor: Person, dispute_id: int) -> Dispute:
    """The dispute, if the actor may end it: 404 if they may not see it, 403 if they see it but do not
    broker its bank."""
    return _for_resolver(session, actor, session.get(Dispute, dispute_id))


def resolve(session: Session, actor: Person, dispute_id: int, outcome: Outcome, note: str) -> Dispute:
    """End an open dispute: reverse the exchange (the note is the reversal's reason) or let it stand with
    the note. Sending the same resolution again returns the dispute unchanged."""
    dispute = _for_resolver(session, actor, session.scalar(
        sa.select(Dispute).where(Dispute.id == dispute_id).with_for_update().execution_options(populate_existing=True)
    ))
    note = _clean(note, errors.NoteRequired, errors.NoteTooLong)
    if dispute.status is not DisputeStatus.OPEN:
        if (dispute.status, dispute.resolution_note, dispute.resolved_by_id) == (_ENDS_AS[outcome], note, actor.id):
            return dispute
        raise errors.DisputeClosed()
    if outcome is Outcome.REVERSE:
        reversal = ledger.reverse_exchange(session, dispute.exchange_id, actor_id=actor.id, reason=note)
        dispute.reversal_id = reversal.id
    dispute.status = _ENDS_AS[outcome]
    dispute.resolution_note = note
    dispute.resolved_by_id = actor.id
    dispute.resolved_at = utcnow()
    session.flush()
    audit.record(session, "exchanges.dispute_resolved", actor_id=actor.id, subject_type="dispute",
                 subject_id=dispute.id, time_bank_id=dispute.time_bank_id, exchange_id=dispute.exchange_id,
                 outcome=outcome.value, reversal_id=dispute.reversal_id)
    notices.notify(session, _raisers_side(session, dispute) - {actor.id}, NoticeKind.DISPUTE_RESOLVED, dispute.id,
                   f"{NoticeKind.DISPUTE_RESOLVED.value}:{dispute.id}", time_bank_id=dispute.time_bank_id)
    return dispute
