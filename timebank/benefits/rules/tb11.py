"""TB-11: Universal Credit work search. Voluntary work can count for at most half of the work-search hours
in a claimant commitment (UC Regs reg 95 as councils describe it [S14, S15, S16b]; expected hours 35 by
default, reg 88 [S16]); the rest must still be job search. It is not a limit on volunteering. For members
in the all-work-related-requirements group and New Style JSA members: the average weekly hours given over 28
days against half the expected hours (the profile's, or the default figure), and against the voluntary
hours agreed in the claimant commitment when recorded. Keyed ``claimant_commitment``: the window is the
latest 28 days in the span where it holds."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Benefit, Severity, UcWorkGroup
from timebank.benefits.rulebook import Context, Figure, Finding, Reference, Rule, Window, hours
from timebank.benefits.rules.common import WINDOW_DAYS, ByDate, latest_window, references, sum_minutes, window_changes

BENEFITS = frozenset({Benefit.UC, Benefit.NS_JSA})
WEEKS = 4  # 28 days


def applies(ctx: Context) -> bool:
    on_uc_search = (Benefit.UC in ctx.profile.benefits
                    and ctx.profile.uc_work_group == UcWorkGroup.ALL_REQUIREMENTS)
    return on_uc_search or Benefit.NS_JSA in ctx.profile.benefits


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(BENEFITS) or not applies(ctx):
        return []
    dated = ByDate(ctx.evidence.given, lambda g: g.occurred_on)
    agreed = ctx.profile.agreed_voluntary_hours

    def holds(start, end):
        window = list(dated.between(start, end))
        fraction = ctx.figures.get("uc_voluntary_work_max_fraction", end)
        thresholds: list[Figure] = [fraction]
        if ctx.profile.uc_expected_hours is not None:
            expected = Decimal(ctx.profile.uc_expected_hours)
        else:
            default = ctx.figures.get("uc_expected_hours_default", end)
            thresholds.append(default)
            expected = default.value
        cap = expected * fraction.value
        average = Decimal(sum_minutes(window)) / WEEKS  # minutes a week
        if window and (average > cap * 60 or (agreed is not None and average > agreed * 60)):
            return window, expected, cap, tuple(thresholds)
        return None

    found = latest_window(ctx, holds, window_changes(dated.days, 0, WINDOW_DAYS))
    if found is None:
        return []
    start, end, (window, expected, cap, thresholds) = found
    average = Decimal(sum_minutes(window)) / WEEKS
    computed = {"average_hours_per_week": hours(average), "expected_hours": hours(minutes_of(expected)),
                "voluntary_cap_hours": hours(minutes_of(cap))}
    if agreed is not None:
        computed["agreed_voluntary_hours"] = str(agreed)
    return [Finding(
        rule_id=RULE.id, key="claimant_commitment", severity=Severity.MEDIUM, window_start=start, window_end=end,
        references=references(Reference.EXCHANGE, (g.exchange_id for g in window)),
        thresholds=thresholds,
        computed=computed,
        params={"average": hours(average), "expected": hours(minutes_of(expected)), "cap": hours(minutes_of(cap)),
                "agreed": str(agreed) if agreed is not None else "—"},
    )]


def minutes_of(hours_value: Decimal) -> Decimal:
    return hours_value * 60


RULE = Rule(
    id="TB-11",
    title=_l("Universal Credit work search and volunteering hours"),
    benefits=BENEFITS,
    reads=frozenset({Reference.EXCHANGE}),
    window=Window.ROLLING_28_DAYS,
    lookback_days=27,
    member_text=_l(
        "In the last 28 days you gave about %(average)s hours a week. You can volunteer as much as you like. "
        "But volunteering can only take the place of part of your job search. You might want to tell your work "
        "coach, so your Claimant Commitment matches what you do."
    ),
    broker_text=_l(
        "%(member)s averaged %(average)s hours a week over the last 28 days. Volunteering can count for at most "
        "half of the %(expected)s hours of work search in their Claimant Commitment (%(cap)s hours); the rest "
        "still has to be job search. Hours of voluntary work agreed in the Claimant Commitment: %(agreed)s. "
        "There is no limit on volunteering itself. Suggest the member tells their work coach so the Claimant "
        "Commitment reflects it, and that time-bank exchanges are recorded as voluntary work."
    ),
    evaluate=evaluate,
)
