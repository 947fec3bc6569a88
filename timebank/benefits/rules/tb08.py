"""TB-08: a regular unpaid role that looks like a job. Unpaid work someone would normally be paid for can be
treated as paid a wage ("notional earnings"). UC's exemption covers services to a charitable or voluntary
organisation only (UC Regs 2013 reg 60(3)-(4) as made [S20]); the older benefits' also covers "a
volunteer", where it is reasonable to give the service free (HB reg 42(9) [S22], JSA reg 105(13A) [S21], CA
reg 4(2) [S25], Wales CTR [S23]); R(IS) 12/92 [S26]; DWP's view of roles "normally paid within the private
or profit-making sector" [S12, S13b].

One role at a time: for a business or a public body, or a role the organisation says it would normally pay
for, at least a number of sessions in 28 days, or a number of hours a week averaged over them (both
heuristics). Keyed by the role; the window is the latest 28 days in the span where it holds."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Benefit, Counterparty, Given, RoleFacts, Severity
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window, hours
from timebank.benefits.rules.common import (
    WINDOW_DAYS,
    ByDate,
    Coded,
    latest_window,
    minutes,
    references,
    sum_minutes,
    window_changes,
)

BENEFITS = frozenset({Benefit.UC, Benefit.ESA_IR, Benefit.HB, Benefit.CTR, Benefit.CA, Benefit.CSP})
#: Organisations UC's notional-earnings exemption names (charitable or voluntary organisations).
VOLUNTARY = frozenset({Counterparty.REGISTERED_CHARITY, Counterparty.VOLUNTARY_GROUP})
WEEKS = 4  # 28 days


def severity_of(role: RoleFacts, on_uc: bool) -> Severity | None:
    if role.counterparty == Counterparty.BUSINESS:
        return Severity.HIGH
    if role.normally_paid:
        return Severity.LOW if role.counterparty in VOLUNTARY else Severity.HIGH
    if role.counterparty == Counterparty.PUBLIC_BODY:
        return Severity.MEDIUM if on_uc else Severity.LOW
    return None


def sessions(given: list[Given] | tuple[Given, ...]) -> int:
    """Occasions: an activity session once however many exchanges record it, else each exchange."""
    return len({("session", g.activity_session_id) if g.activity_session_id is not None else ("exchange", g.exchange_id)
                for g in given})


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(BENEFITS):
        return []
    on_uc = Benefit.UC in ctx.profile.benefits
    by_role: dict[int, list[Given]] = defaultdict(list)
    roles: dict[int, RoleFacts] = {}
    for given in ctx.evidence.given:
        if given.role is not None:
            by_role[given.role.role_id].append(given)
            roles[given.role.role_id] = given.role
    findings = []
    for role_id, given in sorted(by_role.items()):
        role = roles[role_id]
        severity = severity_of(role, on_uc)
        if severity is None:
            continue
        dated = ByDate(given, lambda g: g.occurred_on)

        def holds(start, end, dated=dated):
            window = list(dated.between(start, end))
            least_sessions = ctx.figures.get("tb08_min_sessions_28d", end)
            weekly = ctx.figures.get("tb08_min_hours_per_week", end)
            if window and (sessions(window) >= least_sessions.value
                           or sum_minutes(window) >= minutes(weekly) * WEEKS):
                return window, least_sessions, weekly
            return None

        found = latest_window(ctx, holds, window_changes(dated.days, 0, WINDOW_DAYS))
        if found is None:
            continue
        start, end, (window, least_sessions, weekly) = found
        total = sum_minutes(window)
        findings.append(Finding(
            rule_id=RULE.id, key=f"role:{role_id}", severity=severity,
            window_start=start, window_end=end,
            references=references(Reference.EXCHANGE, (g.exchange_id for g in window)),
            thresholds=(least_sessions, weekly),
            computed={"hours": hours(total), "sessions": str(sessions(window)),
                      "hours_per_week": hours(Decimal(total) / WEEKS)},
            params={"hours": hours(total), "sessions": str(sessions(window)), "role": role.title,
                    "organisation": role.organisation_name, "type": CounterpartyName(role.counterparty)},
        ))
    return findings


COUNTERPARTIES = {
    "resident": _l("a resident"),
    "registered_charity": _l("a registered charity"),
    "voluntary_group": _l("a voluntary group"),
    "social_enterprise": _l("a social enterprise"),
    "public_body": _l("a public body"),
    "business": _l("a business"),
    "other": _l("other"),
}


class CounterpartyName(Coded):
    """A counterparty type as stored (``public_body``), read in the reader's language."""

    __slots__ = ()
    LABELS = COUNTERPARTIES


RULE = Rule(
    id="TB-08",
    title=_l("Regular unpaid role that looks like a job"),
    benefits=BENEFITS,
    reads=frozenset({Reference.EXCHANGE}),
    window=Window.ROLLING_28_DAYS,
    lookback_days=27,
    member_text=_l(
        "In 28 days you gave %(hours)s hours, in %(sessions)s sessions, as %(role)s for %(organisation)s. This "
        "is the kind of job people are sometimes paid for. The benefit office may ask about it. You might want "
        "to tell your work coach or the council about it, and keep the role description."
    ),
    broker_text=_l(
        "%(member)s has given %(hours)s hours in %(sessions)s sessions over 28 days as '%(role)s' for "
        "%(organisation)s (%(type)s). If DWP or the council thinks this is work someone would normally be paid "
        "for, they can treat the member as if they were paid a wage ('notional earnings'). For Universal Credit "
        "the protection mainly covers charities and voluntary groups. Check the role is genuinely voluntary and "
        "not covering a paid post, and suggest the member tells their work coach and keeps the role description."
    ),
    evaluate=evaluate,
)
