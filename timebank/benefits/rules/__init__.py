"""The fifteen benefit rules, TB-01 … TB-15 (``docs/benefit-rules.md``), one module each, in order; the
words a broker reads for the figures a finding computed (``Finding.computed``'s keys); and how to read a
stored finding's params again.

A finding's ``params`` hold strings, dates (``dt.date``, for the display to write in the reader's
language), and a few values that store codes but read as words in whoever's language the message is
shown in: a tuple of benefit codes (``benefits``), of expense reasons (``reasons``), a payment's kind
(``kind``), a counterparty's type (``type``), a pattern (``pattern``). Each is a ``str`` or ``tuple``
subclass, so it stores as its codes (JSON: a string or a list); ``PARAM_READERS`` turns them back.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.benefits.rulebook import Rule
from timebank.benefits.rules import (
    tb01,
    tb02,
    tb03,
    tb04,
    tb05,
    tb06,
    tb07,
    tb08,
    tb09,
    tb10,
    tb11,
    tb12,
    tb13,
    tb14,
    tb15,
)
from timebank.benefits.rules.common import BenefitNames

RULES: tuple[Rule, ...] = tuple(module.RULE for module in (
    tb01, tb02, tb03, tb04, tb05, tb06, tb07, tb08, tb09, tb10, tb11, tb12, tb13, tb14, tb15,
))
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

#: The params that store codes, and what reads them as words again (after loading a flag's params).
PARAM_READERS = {
    "benefits": BenefitNames,
    "reasons": tb03.ExpenseReasons,
    "kind": tb04.PaymentKindName,
    "type": tb08.CounterpartyName,
    "pattern": tb10.PatternName,
}

#: ``Finding.computed``'s keys as a broker reads them.
COMPUTED_LABELS = {
    "credits_hours": _l("Credits (hours)"),
    "face_value": _l("Face value"),
    "paid": _l("Paid"),
    "receipted": _l("Receipts"),
    "allowed": _l("Actual costs allowed (receipts and approved mileage)"),
    "excess": _l("Paid above actual costs"),
    "receipts": _l("Number of receipts"),
    "miles": _l("Miles"),
    "rate_per_mile": _l("Rate paid per mile"),
    "amount": _l("Amount"),
    "week_total": _l("Payments and extra expenses in the week"),
    "paid_hours": _l("Hours given in activities that paid the member"),
    "warning_from": _l("Warning from"),
    "total": _l("Payments and extra expenses in the period"),
    "above_work_allowance": _l("Above the lower UC work allowance"),
    "above_pc_disregard": _l("Above the Pension Credit earnings disregard"),
    "above_hb_disregard": _l("Above the Housing Benefit earnings disregard"),
    "hours": _l("Hours"),
    "sessions": _l("Sessions"),
    "hours_per_week": _l("Hours a week (average over 28 days)"),
    "week_hours": _l("Hours of such help in the week"),
    "recipients": _l("Different people or organisations"),
    "average_hours_per_week": _l("Average hours a week (latest 28 days)"),
    "expected_hours": _l("Expected work-search hours a week"),
    "voluntary_cap_hours": _l("Most work-search hours volunteering can replace"),
    "agreed_voluntary_hours": _l("Voluntary hours agreed in the Claimant Commitment"),
    "release_notice_hours": _l("Notice asked to drop a session (hours)"),
    "days_away": _l("Days away"),
    "baseline_hours_per_week": _l("Average hours a week in the 8 weeks before"),
}
