"""TB-01: credits turned into cash or something with a cash value (cash, a gift card, a voucher with a face
value). Time credits stay outside the benefit system only while they cannot become money or goods
(the 2000 disregard [S1, S2]; LETS credits were treated as earnings [S5]). A general check: it runs for
every member and names no benefit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Benefit, Severity
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window, hours, pounds
from timebank.receipts import RedeemedFor

CASH_LIKE = frozenset({RedeemedFor.CASH, RedeemedFor.GIFT_CARD, RedeemedFor.VOUCHER_FIXED_VALUE})


def evaluate(ctx: Context) -> list[Finding]:
    findings = []
    for redeemed in ctx.evidence.redeemed:
        if redeemed.redeemed_for not in CASH_LIKE or not ctx.in_span(redeemed.occurred_on):
            continue
        least = ctx.figures.get("tb01_min_value_gbp", redeemed.occurred_on)
        value = redeemed.face_value_pence
        # A cash-like redemption without a recorded face value is flagged too: what it was worth is unknown.
        if value is not None and value < least.value * 100:
            continue
        findings.append(Finding(
            rule_id=RULE.id, key=f"redemption:{redeemed.redemption_id}", severity=Severity.HIGH,
            window_start=redeemed.occurred_on, window_end=redeemed.occurred_on,
            references=((Reference.REDEMPTION, redeemed.redemption_id),),
            thresholds=(least,),
            computed={"credits_hours": hours(redeemed.credit_minutes),
                      "face_value": pounds(value) if value is not None else "?"},
            params={"credits": hours(redeemed.credit_minutes), "item": redeemed.item,
                    "value": pounds(value) if value is not None else "?", "date": redeemed.occurred_on,
                    "partner": redeemed.partner_name},
        ))
    return findings


RULE = Rule(
    id="TB-01",
    title=_l("Credits turned into cash or cash-like value"),
    benefits=frozenset(Benefit),
    reads=frozenset({Reference.REDEMPTION}),
    window=Window.EVENT,
    lookback_days=0,
    member_text=_l(
        "On %(date)s you swapped %(credits)s hours of time credits for %(item)s. It has a money value "
        "(%(value)s). Things with a money value can change the money you get from benefits. You might want to "
        "tell the office that pays your benefits. Free advice can help you first."
    ),
    broker_text=_l(
        "%(member)s redeemed %(credits)s hours of credits for %(item)s (face value %(value)s) with %(partner)s "
        "on %(date)s. Time credits are only disregarded by the benefit system while they can't be turned into "
        "money, goods or vouchers. A cash-value reward may be treated as income or earnings. Check what was "
        "given. If the member received something with a cash value, suggest they tell DWP or the council and "
        "get independent advice. Consider whether this redemption option should exist at all."
    ),
    evaluate=evaluate,
    for_everyone=True,
)
