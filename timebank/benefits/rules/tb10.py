"""TB-10: trade-like activity. LETS participation was treated as work and its credits as earnings [S5];
non-monetary trading receipts are taxable (HMRC BIM40051 [S30]); notional earnings [S20].

The research asks for the skills a member also sells for money ("trade skills"); the benefit profile does
not hold them (its fields are closed), so this rule looks for two patterns it can see, both keyed by what
they are about with the latest 28 days in the span where they hold:

* credits earned from a business (``organisation:<holder id>``);
* help in one category given to residents, to at least a number of different people or for at least a
  number of hours in 28 days (``category:<code>``; both heuristics). Help to organisations is TB-08's."""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Benefit, Counterparty, Given, Severity
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

BENEFITS = frozenset({Benefit.UC, Benefit.ESA_IR, Benefit.HB, Benefit.CTR})


def recipients(given) -> int:
    return len({g.counterpart_holder_id if g.counterpart_holder_id is not None else g.counterpart_name
                for g in given})


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(BENEFITS):
        return []
    businesses: dict[int, list[Given]] = defaultdict(list)
    categories: dict[str, list[Given]] = defaultdict(list)
    for given in ctx.evidence.given:
        if given.counterparty == Counterparty.BUSINESS and given.counterpart_holder_id is not None:
            businesses[given.counterpart_holder_id].append(given)
        elif given.counterparty == Counterparty.RESIDENT:
            categories[given.category_code].append(given)
    findings = []
    for holder_id, given in sorted(businesses.items()):
        dated = ByDate(given, lambda g: g.occurred_on)
        found = latest_window(ctx, lambda start, end, dated=dated: list(dated.between(start, end)) or None,
                              window_changes(dated.days, 0, WINDOW_DAYS))
        if found is not None:
            start, end, window = found
            findings.append(finding(f"organisation:{holder_id}", start, end, window, (), "business",
                                    window[-1].counterpart_name))
    for code, given in sorted(categories.items()):
        dated = ByDate(given, lambda g: g.occurred_on)

        def holds(start, end, dated=dated):
            window = list(dated.between(start, end))
            people = ctx.figures.get("tb10_min_recipients_28d", end)
            least = ctx.figures.get("tb10_min_hours_28d", end)
            if window and (recipients(window) >= people.value or sum_minutes(window) >= minutes(least)):
                return window, people, least
            return None

        found = latest_window(ctx, holds, window_changes(dated.days, 0, WINDOW_DAYS))
        if found is not None:
            start, end, (window, people, least) = found
            findings.append(finding(f"category:{code}", start, end, window, (people, least), "category", code))
    return findings


PATTERNS = {
    "business": _l("credits earned from a business"),
    "category": _l("the same kind of help to many residents"),
}


class PatternName(Coded):
    """Which pattern was found, as stored (``business``), read in the reader's language."""

    __slots__ = ()
    LABELS = PATTERNS


def finding(key, start, end, window, thresholds, pattern, subject) -> Finding:
    total = sum_minutes(window)
    return Finding(
        rule_id=RULE.id, key=key, severity=Severity.MEDIUM, window_start=start, window_end=end,
        references=references(Reference.EXCHANGE, (g.exchange_id for g in window)),
        thresholds=thresholds,
        computed={"hours": hours(total), "recipients": str(recipients(window))},
        params={"hours": hours(total), "people": str(recipients(window)), "pattern": PatternName(pattern),
                "subject": subject},
    )


RULE = Rule(
    id="TB-10",
    title=_l("Trade-like activity"),
    benefits=BENEFITS,
    reads=frozenset({Reference.EXCHANGE}),
    window=Window.ROLLING_28_DAYS,
    lookback_days=27,
    member_text=_l(
        "In 28 days you gave %(hours)s hours of help to %(people)s people or businesses (%(pattern)s). Help like "
        "this can start to look like running a business. The benefit and tax offices may then ask about it. "
        "You might want to talk to your broker about the mix of help you give."
    ),
    broker_text=_l(
        "%(member)s has provided %(hours)s hours of help to %(people)s different people or organisations in 28 "
        "days (%(pattern)s: %(subject)s). A pattern like this can look like running a business "
        "rather than neighbourly exchange, which is what keeps time credits outside the benefit and tax rules. "
        "Talk with the member about the balance of their exchanges."
    ),
    evaluate=evaluate,
)
