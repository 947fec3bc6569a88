"""TB-14: a sharp rise in activity for a member on a health-related benefit (ESA, UC with limited
capability for work, PIP or ADP), so the broker can make sure the member has told DWP. Voluntary work has
no hours cap for ESA (exempt work, reg 45 [S19]; NCVO on the "16-hour" myth [S6]); activity may be
discussed at a reassessment [S13b]; "Right to Try" protections (2026) [S31, S32]. Both triggers are
heuristics: the latest 28 days' average at or above a number of hours a week, or at least a number of times
the average of the 8 weeks before (when there was activity then). Keyed ``activity``: the window is the
latest 28 days in the span where it holds."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Benefit, Severity, UcWorkGroup
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window, hours
from timebank.benefits.rules.common import (
    DAY,
    WINDOW_DAYS,
    ByDate,
    latest_window,
    minutes,
    references,
    sum_minutes,
    window_changes,
)

BENEFITS = frozenset({Benefit.NS_ESA, Benefit.ESA_IR, Benefit.UC, Benefit.PIP, Benefit.ADP})
HEALTH_ONLY = frozenset({Benefit.NS_ESA, Benefit.ESA_IR, Benefit.PIP, Benefit.ADP})
LIMITED_CAPABILITY = frozenset({UcWorkGroup.LCW, UcWorkGroup.LCWRA})
WEEKS = 4  # the latest 28 days
BASELINE_WEEKS = 8  # the 8 weeks before them


def applies(ctx: Context) -> bool:
    return ctx.profile.has_any(HEALTH_ONLY) or (
        Benefit.UC in ctx.profile.benefits and ctx.profile.uc_work_group in LIMITED_CAPABILITY)


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(BENEFITS) or not applies(ctx):
        return []
    dated = ByDate(ctx.evidence.given, lambda g: g.occurred_on)

    def holds(start, end):
        window = list(dated.between(start, end))
        if not window:
            return None
        level = ctx.figures.get("tb14_prompt_hours_per_week", end)
        factor = ctx.figures.get("tb14_increase_factor", end)
        average = Decimal(sum_minutes(window)) / WEEKS
        before = Decimal(sum_minutes(dated.between(start - BASELINE_WEEKS * 7 * DAY, start - DAY))) / BASELINE_WEEKS
        if average >= minutes(level) or (before > 0 and average >= before * factor.value):
            return window, average, before, level, factor
        return None

    # A day's hours are in the latest 28 days for 28 days, then in the 8 weeks before them for 56.
    found = latest_window(ctx, holds, window_changes(dated.days, 0, WINDOW_DAYS, WINDOW_DAYS + BASELINE_WEEKS * 7))
    if found is None:
        return []
    start, end, (window, average, before, level, factor) = found
    return [Finding(
        rule_id=RULE.id, key="activity", severity=Severity.LOW, window_start=start, window_end=end,
        references=references(Reference.EXCHANGE, (g.exchange_id for g in window)),
        thresholds=(level, factor),
        computed={"average_hours_per_week": hours(average), "baseline_hours_per_week": hours(before)},
        params={"average": hours(average), "baseline": hours(before)},
    )]


RULE = Rule(
    id="TB-14",
    title=_l("Health-related benefit: a sharp rise in activity"),
    benefits=BENEFITS,
    reads=frozenset({Reference.EXCHANGE}),
    window=Window.ROLLING_28_DAYS,
    # The latest 28 days and the 8 weeks before them.
    lookback_days=27 + BASELINE_WEEKS * 7,
    member_text=_l(
        "You are doing more with the time bank: about %(average)s hours a week lately. That is great. There is "
        "no limit on how much you volunteer. But it may come up if DWP reviews your benefit. You might want to "
        "make sure DWP knows about your volunteering, and keep a note of any help you get to do it."
    ),
    broker_text=_l(
        "%(member)s's time-bank activity has increased to about %(average)s hours a week (%(baseline)s a week in "
        "the 8 weeks before). There's no hours limit on volunteering for ESA, UC health or PIP, and DWP says "
        "volunteering shouldn't trigger a reassessment, but activity can be discussed if a review happens. Make "
        "sure the member has told DWP about their volunteering. If they want to, they can keep a note of any "
        "support or adjustments they get in their roles."
    ),
    evaluate=evaluate,
)
