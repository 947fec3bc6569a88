"""TB-02: credits spent on goods. The 2000 position holds "where time bank participants do not receive goods
in exchange for time credits" [S1, S2]. Credits spent on a time-based activity (a swim, a class) stay within
Tempo's "no cash value" model [S3] and are flagged, as record-keeping only, when the data file says so
(``tb02_flag_time_based_activity``, off by default)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import MEANS_TESTED, Benefit, Severity
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window, hours
from timebank.benefits.rules.common import benefits_of
from timebank.receipts import RedeemedFor

#: As TB-01's, for members who said which benefits they get: the means-tested ones, ESA and Carer's Allowance.
BENEFITS = MEANS_TESTED | {Benefit.NS_ESA, Benefit.ESA_IR, Benefit.CA, Benefit.CSP}


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(BENEFITS):
        return []
    findings = []
    for redeemed in ctx.evidence.redeemed:
        if not ctx.in_span(redeemed.occurred_on):
            continue
        thresholds: tuple = ()
        if redeemed.redeemed_for == RedeemedFor.GOODS:
            severity = Severity.MEDIUM
        elif redeemed.redeemed_for == RedeemedFor.TIME_BASED_ACTIVITY:
            switch = ctx.figures.get("tb02_flag_time_based_activity", redeemed.occurred_on)
            if not switch.value:
                continue
            severity, thresholds = Severity.INFO, (switch,)
        else:
            continue
        findings.append(Finding(
            rule_id=RULE.id, key=f"redemption:{redeemed.redemption_id}", severity=severity,
            window_start=redeemed.occurred_on, window_end=redeemed.occurred_on,
            references=((Reference.REDEMPTION, redeemed.redemption_id),),
            thresholds=thresholds,
            computed={"credits_hours": hours(redeemed.credit_minutes)},
            params={"credits": hours(redeemed.credit_minutes), "item": redeemed.item, "date": redeemed.occurred_on,
                    "partner": redeemed.partner_name,
                    "benefits": benefits_of(ctx, BENEFITS)},
        ))
    return findings


RULE = Rule(
    id="TB-02",
    title=_l("Credits exchanged for goods"),
    benefits=BENEFITS,
    reads=frozenset({Reference.REDEMPTION}),
    window=Window.EVENT,
    lookback_days=0,
    member_text=_l(
        "On %(date)s you used %(credits)s hours of time credits to get %(item)s. Getting things, not time, for "
        "your credits can change the money you get from benefits. You might want to talk to your broker about it."
    ),
    broker_text=_l(
        "%(member)s used %(credits)s hours of credits to get goods (%(item)s) from %(partner)s on %(date)s. DWP "
        "guidance for time banks says credits should not buy goods; goods received this way could be counted "
        "for %(benefits)s. Talk to the member, note what was received, and consider whether this spending "
        "option is safe for members on benefits."
    ),
    evaluate=evaluate,
)
