"""TB-03: expenses that may not be a repayment of actual costs: paid above the receipts (beyond a small
tolerance), a flat rate, a claim with no receipt, or mileage above HMRC's approved rate for the member's
miles so far in the tax year. Only actual, reasonably incurred expenses are disregarded [S6, S21, S22,
S23]; HMRC's rates [S27, S28]. A general check: it runs for every member and names no benefit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Benefit, Severity
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window, pounds
from timebank.benefits.rules.common import check_expense, pence


def evaluate(ctx: Context) -> list[Finding]:
    findings = []
    for expense in ctx.evidence.expenses:
        if not ctx.in_span(expense.paid_on):
            continue
        check = check_expense(ctx, expense)
        if not check.reasons:
            continue
        medium_below = ctx.figures.get("tb03_medium_below_gbp", expense.paid_on)
        severity = Severity.MEDIUM if check.excess_pence < pence(medium_below) else Severity.HIGH
        computed = {"paid": pounds(expense.amount_paid_pence), "receipted": pounds(expense.amount_receipted_pence),
                    "allowed": pounds(check.allowed_pence), "excess": pounds(check.excess_pence),
                    "receipts": str(expense.receipts_count)}
        if expense.miles_tenths is not None:
            computed["miles"] = f"{expense.miles_tenths / 10:.1f}"
            computed["rate_per_mile"] = f"{expense.rate_per_mile_pence}p"
        findings.append(Finding(
            rule_id=RULE.id, key=f"expense:{expense.expense_id}", severity=severity,
            window_start=expense.paid_on, window_end=expense.paid_on,
            references=((Reference.EXPENSE, expense.expense_id),),
            thresholds=(*check.thresholds, medium_below),
            computed=computed,
            params={"date": expense.paid_on, "organisation": expense.organisation_name,
                    "paid": pounds(expense.amount_paid_pence), "receipted": pounds(expense.amount_receipted_pence),
                    "allowed": pounds(check.allowed_pence), "excess": pounds(check.excess_pence),
                    "reasons": ExpenseReasons(check.reasons)},
        ))
    return findings


REASONS = {
    "above_receipts": _l("paid more than the receipts"),
    "flat_rate": _l("a flat rate, not actual costs"),
    "no_receipt": _l("no receipt"),
    "mileage_rate": _l("mileage above HMRC's approved rate"),
}


class ExpenseReasons(tuple):
    """The reasons a flag stores as codes, read as words in the reader's language."""

    def __str__(self) -> str:
        return "; ".join(str(REASONS[code]) for code in self)


RULE = Rule(
    id="TB-03",
    title=_l("Expenses above actual costs"),
    benefits=frozenset(Benefit),
    reads=frozenset({Reference.EXPENSE}),
    window=Window.EVENT,
    lookback_days=0,
    member_text=_l(
        "On %(date)s %(organisation)s paid you %(paid)s for expenses. Your receipts and costs come to "
        "%(allowed)s. Expenses should only pay back what you spent. Any extra money can change the money you "
        "get from benefits. You might want to ask %(organisation)s to put it right, and keep copies of your "
        "receipts."
    ),
    broker_text=_l(
        "On %(date)s %(organisation)s paid %(member)s %(paid)s expenses against %(allowed)s of receipts and "
        "approved mileage (%(reasons)s). Volunteer expenses are only ignored by the benefit system when they "
        "repay actual costs; anything extra may be treated as earnings. Ask the organisation to correct it or "
        "to keep receipts, and make sure the member keeps copies."
    ),
    evaluate=evaluate,
    for_everyone=True,
)
