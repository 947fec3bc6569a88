"""Running the rules: for one member and a span of dates, find what the rules find and make the flags
agree with it (raise, update in place with history, resolve what is no longer found), and log it.

It runs inside the unit of work that changed the evidence (``triggers``), for the members it touched
only, and from ``flask --app wsgi benefits run`` for everyone. Idempotent: the same evidence changes
nothing; a finding is only ever one flag per member, rule and key.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank.benefits import evidence as evidence_loader
from timebank.benefits import profiles
from timebank.benefits.facts import Profile
from timebank.benefits.figures import figure_book
from timebank.benefits.models import (
    AccessKind,
    BenefitFlag,
    BenefitFlagEvent,
    FlagAction,
    FlagState,
    Resolution,
    Subject,
)
from timebank.benefits.rulebook import Context, Figure, Finding, Reference, Rule
from timebank.benefits.rules import RULES
from timebank.ledger.models import Account
from timebank.types import utcnow

log = logging.getLogger(__name__)

#: How far back a flag's evidence reaches for rules that look back (TB-14: 8 weeks before the latest 28
#: days) is each rule's own ``lookback_days``; this is how far ahead bookings are read.
AHEAD_DAYS = 60
#: The windows that hold a day end up to this many days after it (a rolling 28 days ending then): what is
#: looked at again when something dated that day changes (``triggers``, ``heads_up``).
AFTER_DAYS = 27

#: The engine's own notes on a flag's history, as codes (``ENGINE_NOTES`` puts them into words).
NO_LONGER_APPLIES = "engine:no_longer_applies"
EVIDENCE_GONE = "engine:evidence_gone"
CHANGED_AFTER_RESOLVED = "engine:changed_after_resolved"
ENGINE_NOTES = {
    NO_LONGER_APPLIES: _l("This rule no longer applies to the benefits in the member's profile."),
    EVIDENCE_GONE: _l("The records behind this flag no longer show it (for example, an exchange was reversed)."),
    CHANGED_AFTER_RESOLVED: _l("The records behind it changed after it was resolved, so it is open again."),
}


@dataclass
class Outcome:
    raised: int = 0
    updated: int = 0
    resolved: int = 0
    members: int = 0

    def add(self, other: Outcome) -> None:
        self.raised += other.raised
        self.updated += other.updated
        self.resolved += other.resolved
        self.members += other.members


def applicable(profile: Profile) -> list[Rule]:
    """The rules that run for a member: those concerning a benefit in their profile, and the general checks."""
    return [rule for rule in RULES if rule.for_everyone or profile.has_any(rule.benefits)]


def find(rules: list[Rule], context: Context) -> dict[tuple[str, str], Finding]:
    """What the rules find, by (rule, key): one finding per piece of evidence."""
    return {(finding.rule_id, finding.key): finding for rule in rules for finding in rule.evaluate(context)}


def _plain(value: Any) -> Any:
    """JSON-ready: dates as ISO text, Decimals as text, containers walked."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def _threshold(figure: Figure) -> dict[str, Any]:
    return {"name": figure.name, "value": str(figure.value), "unit": figure.unit,
            "effective_from": figure.effective_from.isoformat(), "kind": figure.kind.value, "source": figure.source,
            "verified": figure.verified, "tax_year": figure.tax_year}


def evidence_of(finding: Finding) -> dict[str, Any]:
    """What a flag keeps of a finding (encrypted): its records, figures, thresholds and message values."""
    return {
        "references": [[kind.value, record_id] for kind, record_id in finding.references],
        "computed": _plain(dict(finding.computed)),
        "thresholds": [_threshold(figure) for figure in finding.thresholds],
        "params": _plain(dict(finding.params)),
    }


def _bank_of(finding: Finding, banks: Mapping[tuple[Reference, int], int]) -> int | None:
    for reference in reversed(finding.references):
        if reference in banks:
            return banks[reference]
    return None


@dataclass
class _Run:
    session: Session
    person_id: int
    actor_id: int | None
    outcome: Outcome

    def event(self, flag: BenefitFlag, action: FlagAction, note: str | None = None,
              previous: dict[str, Any] | None = None) -> None:
        self.session.add(BenefitFlagEvent(flag_id=flag.id, actor_id=self.actor_id, action=action, note=note,
                                          previous=previous))


def evaluate(session: Session, person_id: int, span_start: dt.date, span_end: dt.date, *, reason: str,
             actor_id: int | None = None, standing: profiles.Standing | None = None,
             kinds: frozenset[Reference] | None = None) -> Outcome:
    """Make this member's flags agree with what the rules find in ``[span_start, span_end]``. Nothing
    happens without a standing consent and profile (``standing``: already read, and logged, by the caller;
    a member without a flag has none to read).

    ``kinds``: only these kinds of evidence changed, so only the rules that read one of them run, on only
    the evidence they read (``None``: everything, as after a change of profile). The reads come first and
    write nothing; the flags' writes, if any, go in one savepoint, so a failure leaves the caller's unit of
    work as it was (``triggers``: flags never block)."""
    if standing is None:
        # What the caller changed is what the rules must read (a caller with the profile in hand flushed
        # before reading it).
        session.flush()
        standing = profiles.standing_profiles(session, {person_id}, actor_id=actor_id, reason=reason).get(person_id)
    if standing is None:
        return Outcome()
    profile = standing.profile
    rules = applicable(profile)
    running = rules if kinds is None else [rule for rule in rules if rule.reads & kinds]
    outcome = Outcome(members=1)
    if not running and kinds is not None:
        return outcome
    found, banks = _find(session, person_id, span_start, span_end, profile, running, standing.holds)
    flags = {(flag.rule_id, flag.key): flag for flag in session.scalars(
        _flags_of(every_rule=kinds is None),
        {"person_id": person_id, "rule_ids": sorted(rule.id for rule in running)})} if standing.flagged else {}
    fallback_bank: list[int | None] = []

    def bank_of(finding: Finding) -> int | None:
        bank = _bank_of(finding, banks)
        if bank is None:  # no record of its own names a bank: the member's first account's
            if not fallback_bank:
                fallback_bank.append(session.scalar(sa.select(Account.time_bank_id).where(
                    Account.holder_id == person_id).order_by(Account.id).limit(1)))
            bank = fallback_bank[0]
        return bank

    ruled, ran = {rule.id for rule in rules}, {rule.id for rule in running}
    changes = [(flag, finding, evidence) for key, finding in found.items()
               if _differs(flag := flags.get(key), finding, evidence := evidence_of(finding))]
    gone = [(flag, NO_LONGER_APPLIES if flag.rule_id not in ruled else EVIDENCE_GONE)
            for key, flag in flags.items()
            if key not in found and flag.state is not FlagState.RESOLVED
            and (flag.rule_id not in ruled or (flag.rule_id in ran and span_start <= flag.window_end <= span_end))]
    if found or gone:
        profiles.log_at_once(session, actor_id, (person_id,), Subject.FLAG, AccessKind.CHANGE, reason)
    if changes or gone:
        run = _Run(session, person_id, actor_id, outcome)
        with session.begin_nested():
            for flag, finding, evidence in changes:
                bank = bank_of(finding)
                if bank is not None:  # a member always has an account, so always in practice
                    _agree(run, flag, finding, evidence, bank)
            for gone_flag, note in gone:
                _resolve_itself(run, gone_flag, note)
            session.flush()
    return outcome


@functools.cache
def _flags_of(*, every_rule: bool) -> sa.Select[tuple[BenefitFlag]]:
    """A member's flags: of every rule, or of the rules that run (built once, like ``evidence``'s)."""
    query = sa.select(BenefitFlag).where(BenefitFlag.person_id == sa.bindparam("person_id"))
    return query if every_rule else query.where(BenefitFlag.rule_id.in_(sa.bindparam("rule_ids", expanding=True)))


def _find(session: Session, person_id: int, span_start: dt.date, span_end: dt.date, profile: Profile,
          rules: list[Rule], held: frozenset[Reference],
          ) -> tuple[dict[tuple[str, str], Finding], dict[tuple[Reference, int], int]]:
    """What ``rules`` find, reading only the evidence they read, of the kinds the member has any record of
    (``held``: of the others there is nothing to read), and the bank of each record read."""
    if not rules:
        return {}, {}
    lookback = max(rule.lookback_days for rule in rules)
    loaded = evidence_loader.load(session, person_id, span_start - dt.timedelta(days=lookback),
                                  span_end + dt.timedelta(days=AHEAD_DAYS),
                                  frozenset().union(*(rule.reads for rule in rules)) & held)
    context = Context(profile=profile, evidence=loaded.evidence, figures=figure_book(), span_start=span_start,
                      span_end=span_end)
    found = find(rules, context)
    _warn_of_missing_years(context.figures)
    return found, loaded.banks


#: The tax years already warned of in this process.
_warned: set[str] = set()


def _warn_of_missing_years(figures: Any) -> None:
    """A tax year without its thresholds file fell back to the latest figures: say so to the admins' logs,
    once per process (``benefits run`` says it too)."""
    missing = set(getattr(figures, "missing_tax_years", ())) - _warned
    if missing:
        _warned.update(missing)
        log.warning("benefit thresholds for %s are not configured; the latest figures were used",
                    ", ".join(sorted(missing)))


def _differs(flag: BenefitFlag | None, finding: Finding, evidence: dict[str, Any]) -> bool:
    """Whether the flag must be raised or updated to agree with the finding (the same evidence: no)."""
    return flag is None or not (
        flag.evidence == evidence and flag.severity is finding.severity
        and flag.window_start == finding.window_start and flag.window_end == finding.window_end)


def _agree(run: _Run, flag: BenefitFlag | None, finding: Finding, evidence: dict[str, Any], bank: int) -> None:
    if flag is None:
        flag = BenefitFlag(person_id=run.person_id, time_bank_id=bank, rule_id=finding.rule_id, key=finding.key,
                           severity=finding.severity, state=FlagState.OPEN, window_start=finding.window_start,
                           window_end=finding.window_end, evidence=evidence)
        run.session.add(flag)
        run.session.flush()
        run.event(flag, FlagAction.RAISED)
        run.outcome.raised += 1
        return
    previous = flag.evidence
    flag.evidence, flag.severity, flag.time_bank_id = evidence, finding.severity, bank
    flag.window_start, flag.window_end, flag.updated_at = finding.window_start, finding.window_end, utcnow()
    run.event(flag, FlagAction.UPDATED, previous=previous)
    run.outcome.updated += 1
    if flag.state is FlagState.RESOLVED:
        flag.state, flag.resolved_at, flag.resolution, flag.resolution_note, flag.resolved_by_id = (
            FlagState.OPEN, None, None, None, None)
        run.event(flag, FlagAction.REOPENED, note=CHANGED_AFTER_RESOLVED)


def _resolve_itself(run: _Run, flag: BenefitFlag, note: str) -> None:
    flag.state, flag.resolved_at, flag.resolution, flag.resolved_by_id = (
        FlagState.RESOLVED, utcnow(), Resolution.EVIDENCE_GONE, None)
    flag.resolution_note = note
    run.event(flag, FlagAction.RESOLVED, note=note)
    run.outcome.resolved += 1
