"""TB-09: help given to a close relative or someone in the member's household (``Given.relationship``, asked
on the exchange form). That is not "voluntary work" for benefit purposes (the JSA definition quoted by NCVO
[S6]; "you cannot volunteer for a close relative" [S15b]), and regular unpaid work in a relative's business
gave notional earnings in R(IS) 12/92 [S26]. One flag per exchange: low, medium when such help in its
benefit week is above a number of hours (a heuristic)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Benefit, Relationship, Severity
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window, benefit_week, hours
from timebank.benefits.rules.common import minutes, sum_minutes

BENEFITS = frozenset({Benefit.UC, Benefit.ESA_IR, Benefit.NS_JSA, Benefit.HB, Benefit.CTR})
FAMILY = frozenset({Relationship.HOUSEHOLD, Relationship.CLOSE_RELATIVE})


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(BENEFITS):
        return []
    family = [g for g in ctx.evidence.given if g.relationship in FAMILY]
    findings = []
    for given in family:
        if not ctx.in_span(given.occurred_on):
            continue
        start, end = benefit_week(given.occurred_on, ctx.profile.benefit_week_starts)
        week = sum_minutes(g for g in family if start <= g.occurred_on <= end)
        medium_above = ctx.figures.get("tb09_hours_per_week_medium", start)
        findings.append(Finding(
            rule_id=RULE.id, key=f"exchange:{given.exchange_id}",
            severity=Severity.MEDIUM if week > minutes(medium_above) else Severity.LOW,
            window_start=given.occurred_on, window_end=given.occurred_on,
            references=((Reference.EXCHANGE, given.exchange_id),),
            thresholds=(medium_above,),
            computed={"hours": hours(given.minutes), "week_hours": hours(week)},
            params={"hours": hours(given.minutes), "date": given.occurred_on, "week_hours": hours(week),
                    "week": start},
        ))
    return findings


RULE = Rule(
    id="TB-09",
    title=_l("Help given to a close relative or household member"),
    benefits=BENEFITS,
    reads=frozenset({Reference.EXCHANGE}),
    window=Window.EVENT,
    lookback_days=6,
    member_text=_l(
        "On %(date)s you helped someone in your family or your home for %(hours)s hours. Helping family is "
        "usually fine. But the benefit office does not count it as volunteering, and regular work in a family "
        "business can count as work. You might want to talk to your broker about it."
    ),
    broker_text=_l(
        "This exchange on %(date)s records %(member)s helping a close relative or household member for "
        "%(hours)s hours (%(week_hours)s hours of such help in the week starting %(week)s). That isn't "
        "'volunteering' for benefit purposes, and regular unpaid help in a relative's business could be treated "
        "as work. Usually ordinary family help is fine. Check it's not work in a family business, and consider "
        "whether it should be in the time bank at all."
    ),
    evaluate=evaluate,
)
