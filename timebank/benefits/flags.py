"""Flags as people see them: a bank's review queue and a flag's evidence for its brokers, a broker's
actions (acknowledge, resolve with a reason, put aside until a date), a member's own flags, and the
counts the broker's home and a funder's report show.

Only the brokers of the flag's bank see a flag (not admins as such, not organisations, not funders:
funders get counts by rule and severity, with small numbers suppressed). Every read and action is logged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.benefits import errors, profiles
from timebank.benefits.facts import Severity
from timebank.benefits.models import (
    BROKER_RESOLUTIONS,
    MAX_NOTE,
    AccessKind,
    BenefitFlag,
    BenefitFlagEvent,
    FlagAction,
    FlagState,
    Resolution,
    Subject,
)
from timebank.benefits.rulebook import Rule
from timebank.benefits.rules import RULES_BY_ID
from timebank.clock import uk_today
from timebank.members import policy
from timebank.members.models import BankRoleName, Holder, Person
from timebank.pagination import Page, paginate
from timebank.suppression import suppressed
from timebank.types import utcnow

#: What a queue shows unless asked otherwise: everything not resolved (a flag put aside shows again on
#: the day it was put aside until).
WAITING = (FlagState.OPEN, FlagState.ACKNOWLEDGED, FlagState.SNOOZED)


def brokers(session: Session, actor: Person, time_bank_id: int) -> bool:
    """A broker of that bank by role. An admin is not one here: admins read the access log, not flags."""
    return (BankRoleName.BROKER, time_bank_id) in policy.access_of(session, actor).roles


def brokered_banks(session: Session, actor: Person) -> set[int]:
    """The banks the actor brokers by role (not every bank, as an admin's broker powers are elsewhere)."""
    return policy.bank_ids_with_role(session, actor, BankRoleName.BROKER)


@dataclass(frozen=True)
class FlagView:
    flag: BenefitFlag
    #: ``None`` for a flag whose rule is no longer in the code (retired): it is still shown, by its id.
    rule: Rule | None
    member_name: str

    @property
    def evidence(self) -> dict[str, Any]:
        return self.flag.evidence

    @property
    def params(self) -> dict[str, Any]:
        return {**self.flag.evidence.get("params", {}), "member": self.member_name}

    @property
    def due(self) -> bool:
        """Put aside until a day that has come: it is back in the queue."""
        return self.flag.state is FlagState.SNOOZED and (self.flag.snoozed_until or uk_today()) <= uk_today()


@dataclass(frozen=True)
class QueueFilter:
    severity: Severity | None = None
    rule_id: str | None = None
    person_id: int | None = None
    #: One state, or (None) every state a broker still has to look at.
    state: FlagState | None = None


def queue(session: Session, actor: Person, time_bank_id: int, chosen: QueueFilter, *, page: int,
          per_page: int) -> Page[FlagView]:
    """A bank's flags, newest first, along ``ix_benefit_flags_queue``."""
    if not brokers(session, actor, time_bank_id):
        raise errors.FlagNotFound()
    query = sa.select(BenefitFlag).where(
        BenefitFlag.time_bank_id == time_bank_id,
        BenefitFlag.state == chosen.state if chosen.state else BenefitFlag.state.in_(WAITING))
    if chosen.severity:
        query = query.where(BenefitFlag.severity == chosen.severity)
    if chosen.rule_id:
        query = query.where(BenefitFlag.rule_id == chosen.rule_id)
    if chosen.person_id:
        query = query.where(BenefitFlag.person_id == chosen.person_id)
    found = paginate(session, query.order_by(BenefitFlag.id.desc()), page=page, per_page=per_page)
    views = _views(session, found.items)
    session.flush()  # the log keeps the order things were done in
    profiles.log_at_once(session, actor.id, [(view.flag.person_id, view.flag.id) for view in views], Subject.FLAG,
                         AccessKind.READ, "broker_queue")
    return Page(items=views, page=found.page, per_page=found.per_page, total=found.total,
                total_is_lower_bound=found.total_is_lower_bound)


def read_again(session: Session, views: Iterable[FlagView]) -> None:
    """Read the flags of a page again in one statement, after the commit that logged their reading expired
    them (else the page would read each flag back on its own)."""
    ids = [sa.inspect(view.flag).identity[0] for view in views]  # the key, which an expired row keeps
    if ids:
        session.scalars(sa.select(BenefitFlag).where(BenefitFlag.id.in_(ids))).all()


def _views(session: Session, flags: Iterable[BenefitFlag]) -> list[FlagView]:
    flags = list(flags)
    names = dict(session.execute(sa.select(Holder.id, Holder.display_name).where(
        Holder.id.in_({flag.person_id for flag in flags}))).all()) if flags else {}
    return [FlagView(flag, RULES_BY_ID.get(flag.rule_id), names.get(flag.person_id, "")) for flag in flags]


def _flag_for_broker(session: Session, actor: Person, flag_id: int) -> BenefitFlag:
    flag = session.get(BenefitFlag, flag_id)
    if flag is None or not brokers(session, actor, flag.time_bank_id):
        raise errors.FlagNotFound()
    return flag


def detail(session: Session, actor: Person, flag_id: int) -> tuple[FlagView, list[BenefitFlagEvent]]:
    """One flag with its evidence and history, for a broker of its bank (logged)."""
    flag = _flag_for_broker(session, actor, flag_id)
    profiles.log(session, actor.id, flag.person_id, Subject.FLAG, AccessKind.READ, "broker_review", flag.id)
    history = list(session.scalars(sa.select(BenefitFlagEvent).where(BenefitFlagEvent.flag_id == flag.id)
                                   .order_by(BenefitFlagEvent.id)))
    return _views(session, [flag])[0], history


def _clean_note(note: str) -> str | None:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise errors.NoteTooLong()
    return note or None


def _act(session: Session, actor: Person, flag: BenefitFlag, action: FlagAction, note: str | None) -> None:
    session.add(BenefitFlagEvent(flag_id=flag.id, actor_id=actor.id, action=action, note=note))
    profiles.log(session, actor.id, flag.person_id, Subject.FLAG, AccessKind.CHANGE, f"broker_{action.value}",
                 flag.id)
    flag.updated_at = utcnow()
    session.flush()


def acknowledge(session: Session, actor: Person, flag_id: int, note: str = "") -> BenefitFlag:
    flag = _flag_for_broker(session, actor, flag_id)
    if flag.state is FlagState.RESOLVED:
        raise errors.FlagAlreadyResolved()
    flag.state, flag.snoozed_until = FlagState.ACKNOWLEDGED, None
    _act(session, actor, flag, FlagAction.ACKNOWLEDGED, _clean_note(note))
    return flag


def resolve(session: Session, actor: Person, flag_id: int, resolution: Resolution, note: str = "") -> BenefitFlag:
    flag = _flag_for_broker(session, actor, flag_id)
    if flag.state is FlagState.RESOLVED:
        raise errors.FlagAlreadyResolved()
    if resolution not in BROKER_RESOLUTIONS:
        raise errors.FlagNotFound()
    cleaned = _clean_note(note)
    flag.state, flag.resolution, flag.resolution_note = FlagState.RESOLVED, resolution, cleaned
    flag.resolved_at, flag.resolved_by_id, flag.snoozed_until = utcnow(), actor.id, None
    _act(session, actor, flag, FlagAction.RESOLVED, cleaned)
    return flag


def snooze(session: Session, actor: Person, flag_id: int, until: dt.date, note: str = "") -> BenefitFlag:
    flag = _flag_for_broker(session, actor, flag_id)
    if flag.state is FlagState.RESOLVED:
        raise errors.FlagAlreadyResolved()
    if until <= uk_today():
        raise errors.SnoozeDateInPast()
    flag.state, flag.snoozed_until = FlagState.SNOOZED, until
    _act(session, actor, flag, FlagAction.SNOOZED, _clean_note(note))
    return flag


def own_flags(session: Session, person: Person) -> list[FlagView]:
    """The member's flags not resolved, most urgent first (logged: the member reading their own)."""
    flags = list(session.scalars(sa.select(BenefitFlag).where(
        BenefitFlag.person_id == person.id, BenefitFlag.state != FlagState.RESOLVED).order_by(BenefitFlag.id.desc())))
    profiles.log(session, person.id, person.id, Subject.FLAG, AccessKind.READ, "own_view")
    views = _views(session, flags)
    return sorted(views, key=lambda view: -view.flag.severity.rank)


def waiting_counts(session: Session, bank_ids: set[int]) -> dict[int, dict[Severity, int]]:
    """Per bank, flags a broker still has to look at, by severity: one aggregate along the queue index."""
    if not bank_ids:
        return {}
    counts: dict[int, dict[Severity, int]] = {bank: {} for bank in bank_ids}
    for bank, severity, count in session.execute(
        sa.select(BenefitFlag.time_bank_id, BenefitFlag.severity, sa.func.count())
        .where(BenefitFlag.time_bank_id.in_(bank_ids), BenefitFlag.state.in_(WAITING))
        .group_by(BenefitFlag.time_bank_id, BenefitFlag.severity)
    ):
        counts[bank][severity] = count
    return counts


@dataclass(frozen=True)
class SuppressedCount:
    rule_id: str
    severity: Severity
    #: ``None`` when the true count is from 1 to 4: shown as "fewer than 5".
    count: int | None


def may_see_counts(session: Session, actor: Person, time_bank_id: int) -> bool:
    """A funder or a broker of the bank, by role."""
    roles = policy.access_of(session, actor).roles
    return (BankRoleName.FUNDER, time_bank_id) in roles or (BankRoleName.BROKER, time_bank_id) in roles


def raw_counts(session: Session, bank_ids: set[int], since: dt.date,
               until: dt.date) -> list[tuple[int, str, Severity, int]]:
    """Flags whose window ended in a period, per bank, rule and severity, as they are: for disclosure control
    to suppress (``funder_counts`` here, a funder's report in ``reports``), never to show. One aggregate for
    all the banks, along the queue index."""
    if not bank_ids:
        return []
    return [(bank, rule_id, severity, count) for bank, rule_id, severity, count in session.execute(
        sa.select(BenefitFlag.time_bank_id, BenefitFlag.rule_id, BenefitFlag.severity, sa.func.count())
        .where(BenefitFlag.time_bank_id.in_(bank_ids), BenefitFlag.window_end.between(since, until))
        .group_by(BenefitFlag.time_bank_id, BenefitFlag.rule_id, BenefitFlag.severity)
        .order_by(BenefitFlag.time_bank_id, BenefitFlag.rule_id, BenefitFlag.severity)
    )]


def funder_counts(session: Session, bank_ids: set[int], since: dt.date,
                  until: dt.date) -> dict[int, list[SuppressedCount]]:
    """Per bank, flags whose window ended in a period, by rule and severity, counts under 5 suppressed: all
    a funder ever sees of benefit flags outside a report."""
    counts: dict[int, list[SuppressedCount]] = {bank: [] for bank in bank_ids}
    for bank, rule_id, severity, count in raw_counts(session, bank_ids, since, until):
        counts[bank].append(SuppressedCount(rule_id, severity, suppressed(count)))
    return counts


def forget_resolved(session: Session, older_than: dt.datetime) -> int:
    """The retention job's work: delete flags resolved before ``older_than`` (with their history)."""
    old = sa.select(BenefitFlag.id).where(BenefitFlag.state == FlagState.RESOLVED, BenefitFlag.resolved_at < older_than)
    session.execute(sa.delete(BenefitFlagEvent).where(BenefitFlagEvent.flag_id.in_(old)))
    deleted = session.execute(sa.delete(BenefitFlag).where(BenefitFlag.state == FlagState.RESOLVED,
                                                           BenefitFlag.resolved_at < older_than))
    return deleted.rowcount or 0
