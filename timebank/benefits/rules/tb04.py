"""TB-04: a payment, fee, stipend, voucher or gift recorded for the member. Payments for volunteering,
one-off thank-yous included, count as earnings [S6, S8]. Service-user involvement has an easement (a person
may decline, take less or redirect a payment [S10]): it is shown, but the time bank does not record a
declined or reduced payment, so the flag stays high (see docs/benefit-rules.md). The limits of each benefit
are TB-05 to TB-07's."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Benefit, Severity
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window, pounds
from timebank.benefits.rules.common import Coded, benefits_of

BENEFITS = frozenset(Benefit)

KINDS = {
    "fee": _l("fee"),
    "honorarium": _l("honorarium"),
    "gift": _l("gift"),
    "voucher": _l("voucher"),
    "stipend": _l("stipend"),
}


class PaymentKindName(Coded):
    """A payment's kind as stored (``fee``), read as a word in the reader's language."""

    __slots__ = ()
    LABELS = KINDS


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(BENEFITS):
        return []
    findings = []
    for payment in ctx.evidence.payments:
        if not ctx.in_span(payment.paid_on) or payment.amount_pence <= 0:
            continue
        findings.append(Finding(
            rule_id=RULE.id, key=f"payment:{payment.payment_id}", severity=Severity.HIGH,
            window_start=payment.paid_on, window_end=payment.paid_on,
            references=((Reference.PAYMENT, payment.payment_id),),
            computed={"amount": pounds(payment.amount_pence)},
            params={"organisation": payment.organisation_name, "amount": pounds(payment.amount_pence),
                    "kind": PaymentKindName(payment.kind), "date": payment.paid_on,
                    "benefits": benefits_of(ctx, BENEFITS),
                    "service_user_involvement": payment.service_user_involvement},
        ))
    return findings


RULE = Rule(
    id="TB-04",
    title=_l("Payment, fee, stipend or gift recorded"),
    benefits=BENEFITS,
    reads=frozenset({Reference.PAYMENT}),
    window=Window.EVENT,
    lookback_days=0,
    member_text=_l(
        "On %(date)s %(organisation)s gave you %(amount)s (%(kind)s). Money or gifts for helping out can "
        "change the money you get from benefits, even a one-off thank-you. You might want to tell the office "
        "that pays your benefits. Free advice can help you before you take more."
    ),
    broker_text=_l(
        "%(organisation)s recorded a %(amount)s %(kind)s to %(member)s on %(date)s. Payments for "
        "volunteering, including one-off thank-yous, usually count as earnings and must be reported for "
        "%(benefits)s. The member may need to tell DWP before accepting similar payments (for ESA, a "
        "permitted-work notification). If it was for service-user involvement, the member can decline it, "
        "take less or ask for it to go to charity. Suggest independent advice before future payments."
    ),
    evaluate=evaluate,
)
