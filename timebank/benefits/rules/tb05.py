"""TB-05: ESA and payments against the permitted-work limits. Unpaid voluntary work is exempt work whatever
its hours (ESA Regulations 2008 reg 45(6)); payments are not. Each benefit week: payments plus any extra
expenses TB-03 finds, against the lower limit (medium) and the higher one (high), and the hours given in
activities that paid the member that week against the paid permitted-work hours (reg 45(2)-(4) [S19]).
The limits are those in force on the benefit week's first day: an uprating applies from the first benefit
week that starts on or after it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import ESA, Severity
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window, hours, pounds
from timebank.benefits.rules.common import (
    minutes,
    money_between,
    paid_given,
    pence,
    pounds_of,
    references,
    sum_minutes,
    weeks_ending_in,
)


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(ESA):
        return []
    findings = []
    for start, end in weeks_ending_in(ctx):
        lower = ctx.figures.get("esa_permitted_work_lower_weekly", start)
        higher = ctx.figures.get("esa_permitted_work_higher_weekly", start)
        paid_hours = ctx.figures.get("esa_permitted_work_max_paid_hours", start)
        money = money_between(ctx, start, end)
        paid = paid_given(ctx, start, end)
        paid_minutes = sum_minutes(paid)
        if money.total_pence > pence(higher) or paid_minutes >= minutes(paid_hours):
            severity = Severity.HIGH
        elif money.total_pence > pence(lower):
            severity = Severity.MEDIUM
        else:
            continue
        findings.append(Finding(
            rule_id=RULE.id, key=f"week:{start.isoformat()}", severity=severity,
            window_start=start, window_end=end,
            references=money.references + references(Reference.EXCHANGE, (g.exchange_id for g in paid)),
            thresholds=(lower, higher, paid_hours, *money.thresholds),
            computed={"week_total": pounds(money.total_pence), "paid_hours": hours(paid_minutes)},
            params={"week_total": pounds(money.total_pence), "week": start, "paid_hours": hours(paid_minutes),
                    "lower": pounds_of(lower), "higher": pounds_of(higher),
                    "max_paid_hours": hours(minutes(paid_hours)), "tax_year": higher.tax_year},
        ))
    return findings


RULE = Rule(
    id="TB-05",
    title=_l("ESA: payments against the permitted-work limits"),
    benefits=ESA,
    reads=frozenset({Reference.PAYMENT, Reference.EXPENSE, Reference.EXCHANGE}),
    window=Window.BENEFIT_WEEK,
    lookback_days=6,
    member_text=_l(
        "In the week starting %(week)s you were paid %(week_total)s. Helping out for free does not usually change "
        "ESA. Being paid can. You might want to tell DWP about the money, and get free advice."
    ),
    broker_text=_l(
        "%(member)s received %(week_total)s in payments and extra expenses in the week starting %(week)s, and "
        "gave %(paid_hours)s hours that week in activities that paid them. The ESA permitted-work limits for "
        "%(tax_year)s are %(lower)s a week (lower limit) and %(higher)s a week (higher limit), for paid work of "
        "less than %(max_paid_hours)s hours a week. Unpaid volunteering doesn't affect ESA, but payments do. "
        "Paid work above the higher limit, or of %(max_paid_hours)s paid hours or more, can end ESA for that "
        "period. Check the member has told DWP and signpost advice."
    ),
    evaluate=evaluate,
)
