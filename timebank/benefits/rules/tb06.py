"""TB-06: Carer's Allowance (or Carer Support Payment) and payments near or over the earnings limit. Each
benefit week: payments plus any extra expenses TB-03 finds, against the warning share of the limit (a
heuristic: medium) and the limit itself (high: £1 over loses that week's allowance [S17, S38]). The limit
is the one in force on the benefit week's first day. Time credits and genuine expenses are not earnings;
the limit is on net earnings, after allowed deductions the time bank does not know, so the week's gross
payments are compared (the cautious reading)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import CARERS, Severity
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window, pounds
from timebank.benefits.rules.common import money_between, pence, pounds_of, weeks_ending_in


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(CARERS):
        return []
    findings = []
    for start, end in weeks_ending_in(ctx):
        limit = ctx.figures.get("ca_earnings_limit_weekly", start)
        warning = ctx.figures.get("ca_warning_fraction", start)
        money = money_between(ctx, start, end)
        if money.total_pence > pence(limit):
            severity = Severity.HIGH
        elif money.total_pence > 0 and money.total_pence >= limit.value * warning.value * 100:
            severity = Severity.MEDIUM
        else:
            continue
        findings.append(Finding(
            rule_id=RULE.id, key=f"week:{start.isoformat()}", severity=severity,
            window_start=start, window_end=end,
            references=money.references,
            thresholds=(limit, warning, *money.thresholds),
            computed={"week_total": pounds(money.total_pence),
                      "warning_from": pounds(int(limit.value * warning.value * 100))},
            params={"week_total": pounds(money.total_pence), "week": start, "limit": pounds_of(limit),
                    "tax_year": limit.tax_year},
        ))
    return findings


RULE = Rule(
    id="TB-06",
    title=_l("Carer's Allowance: payments near or over the earnings limit"),
    benefits=CARERS,
    reads=frozenset({Reference.PAYMENT, Reference.EXPENSE}),
    window=Window.BENEFIT_WEEK,
    lookback_days=6,
    member_text=_l(
        "In the week starting %(week)s you were paid %(week_total)s. Carer's Allowance has a weekly limit on "
        "money you earn. Going over it, even by a little, can stop that week's payment. Time credits and "
        "money back for real costs do not count. You might want to check with Carers UK or free advice."
    ),
    broker_text=_l(
        "%(member)s gets Carer's Allowance and received %(week_total)s in the week starting %(week)s. The CA "
        "earnings limit for %(tax_year)s is %(limit)s a week after allowed deductions. Going even £1 over means "
        "no CA for that week, and overpayments are recovered. Time credits and genuine expenses don't count. "
        "Check with the member and signpost Carers UK or advice."
    ),
    evaluate=evaluate,
)
