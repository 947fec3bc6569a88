"""Money and value records over the JSON API: expenses, payments and gifts, and redemptions.

Each write is: parse → one ``money.service`` call → respond (the blueprint commits). Organisation admins
record for their organisation and brokers for their bank; members read their own records, organisation
admins their organisation's and brokers their bank's. Funders get a 403; a record they may not see is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import fields_named_as_in_request, page_fields
from timebank.db import db
from timebank.members import policy
from timebank.members.models import Person
from timebank.money import service
from timebank.money.schemas import (
    ExpenseIn,
    ExpenseListArgs,
    ExpenseOut,
    ExpensePageOut,
    PaymentIn,
    PaymentListArgs,
    PaymentOut,
    PaymentPageOut,
    RedemptionIn,
    RedemptionListArgs,
    RedemptionOut,
    RedemptionPageOut,
)
from timebank.money.service import RecordFilters, RecordType
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_money", __name__, url_prefix="/api/v1",
    description="Money and value records: expenses, payments and redemptions (never hours). Amounts are "
                "whole pence. Records are never changed or deleted.",
)

#: The service names fields as the pages' forms do; the request bodies name them by id and unit.
_PAID_FIELDS = {
    "organisation": "organisation_id", "time_bank": "time_bank_id", "member": "person_id",
    "activity": "activity_id", "amount_paid": "amount_paid_pence", "amount_receipted": "amount_receipted_pence",
    "miles": "miles_tenths", "rate_per_mile": "rate_per_mile_pence", "amount": "amount_pence",
}
_REDEMPTION_FIELDS = {
    "organisation": "partner_id", "time_bank": "time_bank_id", "member": "person_id", "listing": "listing_id",
    "face_value": "face_value_pence", "credits": "credit_minutes", "minutes": "credit_minutes",
}


def _shown(record: RecordType, items: list[Any]) -> list[dict[str, Any]]:
    """Records ready for their ``…Out`` schema, with the names they mention (one query each)."""
    names = service.names_for(db.session, items)
    shown = []
    for item in items:
        row = {column.key: getattr(item, column.key) for column in item.__table__.columns}
        row["person_name"] = names.holders.get(item.person_id, "")
        if record is RecordType.REDEMPTION:
            row["partner_name"] = names.holders.get(item.partner_id, "")
        else:
            row["organisation_name"] = names.holders.get(item.organisation_id, "")
        if record is RecordType.EXPENSE:
            row["warnings"] = [str(warning) for warning in service.expense_warnings(item)]
        shown.append(row)
    return shown


def _list(record: RecordType, query: dict[str, Any], actor: Person, organisation_arg: str) -> dict[str, Any]:
    page, per_page = query.pop("page"), query.pop("per_page")
    kind = query.pop("redeemed_for" if record is RecordType.REDEMPTION else "kind", None)
    filters = RecordFilters(organisation_id=query.pop(organisation_arg, None), kind=kind, **query)
    found = service.list_records(db.session, actor, record, filters, page=page, per_page=per_page)
    return {"items": _shown(record, found.page.items), "totals": found.totals, **page_fields(found.page)}


def _one(record: RecordType, record_id: int, actor: Person) -> dict[str, Any]:
    return _shown(record, [service.get_record(db.session, actor, record, record_id)])[0]


def _created(record: RecordType, endpoint: str, fields: dict[str, str], actor: Person,
             write: Callable[[], tuple[Any, bool]]) -> tuple[dict[str, Any], int, dict[str, str]]:
    with fields_named_as_in_request(fields):
        item, created = write()
    location = url_for(f"api_money.{endpoint}", **{f"{endpoint.removeprefix('get_')}_id": item.id})
    return _one(record, item.id, actor), 201 if created else 200, {"Location": location}


_REPLAY = "A replay of an earlier request with the same idempotency key: nothing new."


# --- expenses ----------------------------------------------------------------------------------------


@bp.route("/expenses")
@bp.access(policy.require_member_access)
@bp.arguments(ExpenseListArgs, location="query")
@bp.response(200, ExpensePageOut)
@bp.problems(403)
def list_expenses(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Expenses you may see (your own; your organisations'; a broker's banks'), newest first, with totals."""
    return _list(RecordType.EXPENSE, query, actor, "organisation_id")


@bp.route("/expenses", methods=["POST"])
@bp.access(service.require_recorder)
@bp.arguments(ExpenseIn)
@bp.response(201, ExpenseOut, description="Recorded.")
@bp.alt_response(200, schema=ExpenseOut, success=True, description=_REPLAY)
@bp.problems(403, 404, 422)
def record_expense(body: dict[str, Any], actor: Person) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Organisation admins and brokers: record an expense paid to a member. More paid than receipted, a
    fixed sum or no receipts are recorded as given, with ``warnings`` saying what the benefit rules read."""
    return _created(RecordType.EXPENSE, "get_expense", _PAID_FIELDS, actor,
                    lambda: service.record_expense(db.session, actor, service.ExpenseInput(**body)))


@bp.route(f"/expenses/<{ID_CONVERTER}:expense_id>")
@bp.token_required
@bp.response(200, ExpenseOut)
@bp.problems(403, 404)
def get_expense(expense_id: int, actor: Person) -> dict[str, Any]:
    """One expense."""
    return _one(RecordType.EXPENSE, expense_id, actor)


# --- payments and gifts ------------------------------------------------------------------------------


@bp.route("/payments")
@bp.access(policy.require_member_access)
@bp.arguments(PaymentListArgs, location="query")
@bp.response(200, PaymentPageOut)
@bp.problems(403)
def list_payments(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Payments and gifts you may see, newest first, with totals."""
    return _list(RecordType.PAYMENT, query, actor, "organisation_id")


@bp.route("/payments", methods=["POST"])
@bp.access(service.require_recorder)
@bp.arguments(PaymentIn)
@bp.response(201, PaymentOut, description="Recorded.")
@bp.alt_response(200, schema=PaymentOut, success=True, description=_REPLAY)
@bp.problems(403, 404, 422)
def record_payment(body: dict[str, Any], actor: Person) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Organisation admins and brokers: record a fee, honorarium, gift, voucher or stipend given to a
    member. Payments usually count as earnings for benefits."""
    return _created(RecordType.PAYMENT, "get_payment", _PAID_FIELDS, actor,
                    lambda: service.record_payment(db.session, actor, service.PaymentInput(**body)))


@bp.route(f"/payments/<{ID_CONVERTER}:payment_id>")
@bp.token_required
@bp.response(200, PaymentOut)
@bp.problems(403, 404)
def get_payment(payment_id: int, actor: Person) -> dict[str, Any]:
    """One payment or gift."""
    return _one(RecordType.PAYMENT, payment_id, actor)


# --- redemptions -------------------------------------------------------------------------------------


@bp.route("/redemptions")
@bp.access(policy.require_member_access)
@bp.arguments(RedemptionListArgs, location="query")
@bp.response(200, RedemptionPageOut)
@bp.problems(403)
def list_redemptions(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Redemptions you may see (credits spent with spend partners), newest first, with totals."""
    return _list(RecordType.REDEMPTION, query, actor, "partner_id")


@bp.route("/redemptions", methods=["POST"])
@bp.access(service.require_recorder)
@bp.arguments(RedemptionIn)
@bp.response(201, RedemptionOut, description="Recorded: the credits have moved.")
@bp.alt_response(200, schema=RedemptionOut, success=True, description=_REPLAY)
@bp.problems(403, 404, 422)
def record_redemption(body: dict[str, Any], actor: Person) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Spend partner admins and brokers: a member spent credits with a spend partner. The credits move
    at once (a confirmed exchange, on the member's behalf) and what they received is recorded. Cash,
    gift cards and vouchers can be recorded because the benefit rules must see them, never because
    they are encouraged."""
    return _created(RecordType.REDEMPTION, "get_redemption", _REDEMPTION_FIELDS, actor,
                    lambda: service.redeem(db.session, actor, service.RedemptionInput(**body)))


@bp.route(f"/redemptions/<{ID_CONVERTER}:redemption_id>")
@bp.token_required
@bp.response(200, RedemptionOut)
@bp.problems(403, 404)
def get_redemption(redemption_id: int, actor: Person) -> dict[str, Any]:
    """One redemption, with the exchange that moved the credits."""
    return _one(RecordType.REDEMPTION, redemption_id, actor)
