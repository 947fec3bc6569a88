"""TB-07: payments (and extra expenses) for members on means-tested benefits: Universal Credit, Pension
Credit, Housing Benefit, Council Tax Reduction, New Style JSA. Any payment is likely to count as earnings
and needs reporting [S34, S35, S29, S36].

For a UC member the window is the assessment period, with UC's figures taken on its first day (UC changes
for periods starting on or after the uprating date); for the others it is the benefit week. The work
allowance only applies to UC members with children or limited capability for work, and the time bank knows
only the latter (``uc_work_group``): for them the period's total is compared with the lower work allowance
(the one with housing costs, the cautious one). Pension Credit and Housing Benefit disregard a few pounds a
week (single or couple); a week's total within them is still shown, at the same severity, as reportable.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Benefit, Severity, UcWorkGroup
from timebank.benefits.rulebook import Context, Figure, Finding, Reference, Rule, Window, hours, pounds
from timebank.benefits.rules.common import (
    benefits_of,
    money_between,
    paid_given,
    pence,
    periods_ending_in,
    references,
    sum_minutes,
    weeks_ending_in,
)

BENEFITS = frozenset({Benefit.UC, Benefit.PC, Benefit.HB, Benefit.CTR, Benefit.NS_JSA})
LIMITED_CAPABILITY = frozenset({UcWorkGroup.LCW, UcWorkGroup.LCWRA})


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(BENEFITS):
        return []
    on_uc = Benefit.UC in ctx.profile.benefits
    windows = periods_ending_in(ctx) if on_uc else weeks_ending_in(ctx)
    findings = []
    for start, end in windows:
        money = money_between(ctx, start, end)
        if money.total_pence <= 0:
            continue
        thresholds: list[Figure] = []
        paid = []
        computed = {"total": pounds(money.total_pence)}
        if on_uc and ctx.profile.uc_work_group in LIMITED_CAPABILITY:
            allowance = ctx.figures.get("uc_work_allowance_lower_monthly", start)
            thresholds.append(allowance)
            computed["above_work_allowance"] = pounds(max(0, money.total_pence - pence(allowance)))
        if not on_uc:
            for benefit, figure_of in (("pc", "pc_earnings_disregard"), ("hb", "hb_earnings_disregard")):
                if Benefit(benefit) in ctx.profile.benefits:
                    disregard = ctx.figures.get(f"{figure_of}_{'couple' if ctx.profile.couple else 'single'}_weekly",
                                                start)
                    thresholds.append(disregard)
                    computed[f"above_{benefit}_disregard"] = pounds(max(0, money.total_pence - pence(disregard)))
            if Benefit.NS_JSA in ctx.profile.benefits:
                paid_hours = ctx.figures.get("ns_jsa_max_paid_hours", start)
                thresholds.append(paid_hours)
                paid = paid_given(ctx, start, end)
                computed["paid_hours"] = hours(sum_minutes(paid))
        findings.append(Finding(
            rule_id=RULE.id, key=f"{'period' if on_uc else 'week'}:{start.isoformat()}", severity=Severity.MEDIUM,
            window_start=start, window_end=end,
            references=money.references + references(Reference.EXCHANGE, (g.exchange_id for g in paid)),
            thresholds=(*thresholds, *money.thresholds),
            computed=computed,
            params={"total": pounds(money.total_pence), "start": start, "end": end,
                    "organisations": money.organisations, "benefits": benefits_of(ctx, BENEFITS)},
        ))
    return findings


RULE = Rule(
    id="TB-07",
    title=_l("Payments and means-tested benefits"),
    benefits=BENEFITS,
    reads=frozenset({Reference.PAYMENT, Reference.EXPENSE, Reference.EXCHANGE}),
    window=Window.ASSESSMENT_PERIOD,
    # An assessment period is at most 31 days long.
    lookback_days=30,
    member_text=_l(
        "From %(start)s to %(end)s you were paid %(total)s by %(organisations)s. Money like this usually needs "
        "to be reported, and it may change the money you get from benefits. Time credits and money back for "
        "real costs do not count. You might want to report it (for Universal Credit, in your journal) or "
        "get free advice."
    ),
    broker_text=_l(
        "%(member)s received %(total)s from %(start)s to %(end)s from %(organisations)s. For %(benefits)s this "
        "is likely to be treated as earnings and needs reporting (UC: in the journal). It may reduce their "
        "payment. Time credits and receipted expenses are not affected. Check the member knows to report it."
    ),
    evaluate=evaluate,
)
