"""TB-15: Carer's Allowance (or Carer Support Payment) and the 35 hours of caring a week. Volunteering does
not affect the allowance while the member still cares for at least 35 hours a week [S17, S18]; breaks from
caring have their own rules (not researched). Both triggers are heuristics that ask the broker to check:
hours given in a benefit week at or above a number (``week:<start>``), or a booking away overnight for
more than a number of days (``sign_up:<id>``, dated by the session's first day)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import CARERS, Severity
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window, benefit_week, hours
from timebank.benefits.rules.common import minutes, references, sum_minutes, weeks_ending_in
from timebank.benefits.rules.tb12 import days_away


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(CARERS):
        return []
    findings = []
    for start, end in weeks_ending_in(ctx):
        level = ctx.figures.get("tb15_prompt_hours_per_week", start)
        caring = ctx.figures.get("ca_min_caring_hours_weekly", start)
        week = [g for g in ctx.evidence.given if start <= g.occurred_on <= end]
        total = sum_minutes(week)
        if total < minutes(level):
            continue
        findings.append(Finding(
            rule_id=RULE.id, key=f"week:{start.isoformat()}", severity=Severity.LOW,
            window_start=start, window_end=end,
            references=references(Reference.EXCHANGE, (g.exchange_id for g in week)),
            thresholds=(level, caring),
            computed={"hours": hours(total)},
            params={"hours": hours(total), "week": start, "days": "0"},
        ))
    for booking in ctx.evidence.bookings:
        if not booking.role.away_overnight or not ctx.in_span(booking.starts_on):
            continue
        most_days = ctx.figures.get("tb15_max_days_away", booking.starts_on)
        caring = ctx.figures.get("ca_min_caring_hours_weekly", booking.starts_on)
        days = days_away(booking.starts_on, booking.ends_on)
        if days <= most_days.value:
            continue
        start, end = benefit_week(booking.starts_on, ctx.profile.benefit_week_starts)
        total = sum_minutes(g for g in ctx.evidence.given if start <= g.occurred_on <= end)
        findings.append(Finding(
            rule_id=RULE.id, key=f"sign_up:{booking.sign_up_id}", severity=Severity.LOW,
            window_start=booking.starts_on, window_end=booking.ends_on,
            references=((Reference.SIGN_UP, booking.sign_up_id),),
            thresholds=(most_days, caring),
            computed={"days_away": str(days), "hours": hours(total)},
            params={"hours": hours(total), "week": start, "days": str(days)},
        ))
    return findings


RULE = Rule(
    id="TB-15",
    title=_l("Carer's Allowance: caring hours check"),
    benefits=CARERS,
    reads=frozenset({Reference.EXCHANGE, Reference.SIGN_UP}),
    window=Window.BENEFIT_WEEK,
    lookback_days=6,
    member_text=_l(
        "In the week starting %(week)s you gave %(hours)s hours to the time bank (days booked away from home: "
        "%(days)s). Volunteering is usually fine with Carer's Allowance, as long as you still care for the "
        "person you look after for 35 hours a week. You might want to check that this is still true, or tell "
        "the Carer's Allowance office about any break from caring."
    ),
    broker_text=_l(
        "%(member)s gets Carer's Allowance and gave %(hours)s hours to the time bank in the week starting "
        "%(week)s (and is booked away for %(days)s days). Volunteering doesn't affect CA as long as they still "
        "provide at least 35 hours of care a week. Check this is still the case, or that any break from caring "
        "has been reported."
    ),
    evaluate=evaluate,
)
