"""TB-13: a new regular activity the member may not have told the benefit office about yet. Benefit offices
ask to be told about volunteering before it starts: hours, days, regularity, role, expenses, anything
received [S7, S15b]; the Jobcentre's VOLWORK1JP process [S13]. Record-keeping (info).

A pattern with one counterpart (an organisation or a resident) is new when it is either at least a number
of sessions in 28 days (a heuristic) with none in the 28 days before the first of them, or the member's
first exchange ever with an organisation (``Evidence.earlier_organisations`` holds those before the
evidence). It is flagged while the member last told the benefit office before the pattern began
(``Profile.last_told_on``), or never. Keyed by the counterpart; the window is the latest 28 days in the span
where it holds."""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Benefit, Counterparty, Given, Severity
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window, hours
from timebank.benefits.rules.common import DAY, ByDate, latest_window, references, sum_minutes, window_changes
from timebank.benefits.rules.tb08 import sessions

BENEFITS = frozenset(Benefit)
WINDOW = 28


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(BENEFITS):
        return []
    told = ctx.profile.last_told_on
    by_counterpart: dict[tuple[str, int], list[Given]] = defaultdict(list)
    for given in ctx.evidence.given:
        if given.counterpart_holder_id is None:
            continue
        kind = "person" if given.counterparty == Counterparty.RESIDENT else "organisation"
        by_counterpart[(kind, given.counterpart_holder_id)].append(given)
    findings = []
    for (kind, holder_id), given in sorted(by_counterpart.items()):
        dated = ByDate(given, lambda g: g.occurred_on)
        first_ever = None
        if kind == "organisation" and holder_id not in ctx.evidence.earlier_organisations:
            first_ever = dated.days[0]

        def holds(start, end, dated=dated, first_ever=first_ever):
            window = list(dated.between(start, end))
            if not window:
                return None
            least = ctx.figures.get("tb13_min_sessions_28d", end)
            began = window[0].occurred_on
            new_pattern = (sessions(window) >= least.value
                           and not dated.between(began - WINDOW * DAY, began - DAY))
            new_organisation = first_ever is not None and start <= first_ever <= end
            if not (new_pattern or new_organisation):
                return None
            began = first_ever if new_organisation else began
            if told is not None and told >= began:
                return None
            return window, began, least

        found = latest_window(ctx, holds, window_changes(dated.days, 0, WINDOW))
        if found is None:
            continue
        start, end, (window, began, least) = found
        findings.append(Finding(
            rule_id=RULE.id, key=f"{kind}:{holder_id}", severity=Severity.INFO, window_start=start, window_end=end,
            references=references(Reference.EXCHANGE, (g.exchange_id for g in window)),
            thresholds=(least,),
            computed={"sessions": str(sessions(window)), "hours": hours(sum_minutes(window))},
            params={"counterpart": window[-1].counterpart_name, "sessions": str(sessions(window)), "start": began,
                    "last_told": told if told is not None else "—"},
        ))
    return findings


RULE = Rule(
    id="TB-13",
    title=_l("New regular activity, not yet reported"),
    benefits=BENEFITS,
    reads=frozenset({Reference.EXCHANGE}),
    window=Window.ROLLING_28_DAYS,
    # The 28-day window, and the 28 days before its first session (to tell a new pattern from a going one).
    lookback_days=55,
    member_text=_l(
        "Since %(start)s you have helped %(counterpart)s %(sessions)s times. The office that pays your benefits "
        "likes to know about volunteering: the hours, the days, what you do and any expenses. You might want to "
        "ask your broker for a summary of your activity to show them."
    ),
    broker_text=_l(
        "%(member)s has started regular activity with %(counterpart)s (%(sessions)s sessions since %(start)s; "
        "last told the benefit office: %(last_told)s). Benefit offices ask to be told about volunteering: "
        "hours, days, what the role is, and any expenses. Offer the member the activity summary (hours, role, "
        "expenses) to share with their work coach or council."
    ),
    evaluate=evaluate,
)
