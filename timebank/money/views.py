"""The money pages: a member's own "money and gifts recorded for you", the records an organisation or a
broker keeps, and the forms that record an expense, a payment or gift, or a redemption. No JavaScript;
each form posts, then redirects. The rules live in ``money.service``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_currency, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank import heads_up as heads_ups
from timebank.auth.guards import current_person, members_only
from timebank.db import commit, db
from timebank.forms import finding, int_arg, unit_of_work
from timebank.members.models import Person
from timebank.money import service
from timebank.money.forms import (
    EXPENSE_KINDS,
    PAYMENT_KINDS,
    RECEIVED,
    ExpenseForm,
    FilterForm,
    PaymentForm,
    RedemptionForm,
)
from timebank.money.service import RecordType
from timebank.types import MAX_ID

bp = Blueprint("money", __name__)
bp.before_request(members_only)

#: What each kind of record is called in the lists, by its code.
KIND_LABELS: dict[RecordType, dict[Any, Any]] = {
    RecordType.EXPENSE: EXPENSE_KINDS, RecordType.PAYMENT: PAYMENT_KINDS, RecordType.REDEMPTION: RECEIVED,
}
RECORDED = {
    RecordType.EXPENSE: _l("The expense is recorded."),
    RecordType.PAYMENT: _l("The payment is recorded."),
    RecordType.REDEMPTION: _l("The credits spent are recorded and have moved."),
}
ALREADY_RECORDED = _l("You had already sent this, so it was recorded only once.")


@bp.app_template_filter("pounds")
def pounds(pence: int | None) -> str:
    """Whole pence as money in the reader's language: 1250 → £12.50."""
    if pence is None:
        return ""
    return format_currency(Decimal(pence).scaleb(-2), "GBP")


# --- reading -----------------------------------------------------------------------------------------


@bp.route("/money")
def index() -> Any:
    """Money and gifts recorded for the member themselves, one list per kind of record."""
    actor = current_person()
    pages = {
        record: service.list_records(db.session, actor, record, own_only=True,
                                     page=int_arg(f"{record.value}_page") or 1, per_page=10)
        for record in RecordType
    }
    everything = [item for found in pages.values() for item in found.page.items]
    return render_template("money/index.html", pages=pages, names=service.names_for(db.session, everything),
                           labels=KIND_LABELS, RecordType=RecordType,
                           may_record=service.may_record(db.session, actor))


@bp.route("/money/<any(expenses, payments, redemptions):record>")
def records(record: str) -> Any:
    """An organisation's records (for its admins) or a bank's (for its brokers), with filters and totals."""
    record_type = RecordType(record)
    actor = current_person()
    service.require_recorder(db.session, actor)
    form = FilterForm(formdata=request.args)
    form.set_choices(service.filter_choices(db.session, actor, record_type), KIND_LABELS[record_type])
    valid = form.validate()
    found = service.list_records(db.session, actor, record_type, form.filters() if valid else None,
                                 page=int_arg("page") or 1)
    return render_template(
        "money/records.html", record=record_type, form=form, found=found, query=form.query() if valid else {},
        names=service.names_for(db.session, found.page.items), labels=KIND_LABELS, RecordType=RecordType,
        warnings=service.expense_warnings if record_type is RecordType.EXPENSE else None,
    ), 200 if valid else 422


# --- recording ---------------------------------------------------------------------------------------

_Form = ExpenseForm | PaymentForm | RedemptionForm


def _record_expense(session: Session, actor: Person, form: Any) -> tuple[Any, bool]:
    expense, created = service.record_expense(session, actor, form.expense())
    if created:
        for warning in service.expense_warnings(expense):
            flash(warning, "warning")
    return expense, created


RECORDERS: dict[RecordType, tuple[type[_Form], Callable[[Session, Person, Any], tuple[Any, bool]]]] = {
    RecordType.EXPENSE: (ExpenseForm, _record_expense),
    RecordType.PAYMENT: (PaymentForm, lambda session, actor, form: service.record_payment(session, actor,
                                                                                         form.payment())),
    RecordType.REDEMPTION: (RedemptionForm, lambda session, actor, form: service.redeem(session, actor,
                                                                                       form.redemption())),
}


def _posted_organisation() -> int:
    """The organisation chosen on the first step and carried in the form."""
    raw = request.form.get("organisation", "")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        abort(400, description=gettext("This form is out of date. Please start again."))
    return int(raw)


def _new(record_type: RecordType) -> Any:
    """Choose the organisation (unless there is only one, or a spend offer names it), then record."""
    actor = current_person()
    service.require_recorder(db.session, actor)
    listing_id = int_arg("listing_id") if record_type is RecordType.REDEMPTION else None
    listing = service.spend_offer(db.session, actor, listing_id) if listing_id is not None else None
    if request.method == "POST":
        organisation_id: int | None = _posted_organisation()
    else:
        organisation_id = listing.holder_id if listing is not None else int_arg("organisation")
    if organisation_id is None:
        organisations = service.recordable_organisations(db.session, actor)
        if len(organisations) != 1:
            return render_template("money/choose_organisation.html", record=record_type,
                                   organisations=organisations, RecordType=RecordType)
        organisation_id = organisations[0].organisation.id

    form_class, record = RECORDERS[record_type]
    choices = service.recording_choices(db.session, actor, organisation_id)
    form = form_class()
    form.set_choices(choices)
    form.set_members(partial(service.member_choices, db.session, choices.bank_ids))
    if listing is not None and isinstance(form, RedemptionForm) and request.method == "GET":
        form.prefill(listing.id)
    if not finding() and form.validate_on_submit():
        told = _heads_up_before_redeeming(actor, form) if isinstance(form, RedemptionForm) else []
        if told:
            commit()  # the benefit profile's read is logged (the one commit)
            return render_template(f"money/new_{record_type.name.lower()}.html", form=form, choices=choices,
                                   record=record_type, heads_up=told)
        with unit_of_work(form) as work:
            _, created = record(db.session, actor, form)
        if work.done:
            flash(RECORDED[record_type] if created else ALREADY_RECORDED, "success")
            return redirect(url_for("money.records", record=record_type.value, organisation=organisation_id))
    return render_template(f"money/new_{record_type.name.lower()}.html", form=form, choices=choices,
                           record=record_type), 422 if form.errors else 200


def _heads_up_before_redeeming(actor: Person, form: RedemptionForm) -> list[str]:
    """What to tell the member (or their broker) before the credits are spent (``timebank.heads_up``); asked
    once: the form sent again with ``go_ahead`` records it."""
    if request.form.get("go_ahead") == "1":
        return []
    data = form.redemption()
    return heads_ups.for_redemption(db.session, actor, heads_ups.ProposedRedemption(
        person_id=data.person_id, time_bank_id=data.time_bank_id, partner_id=data.partner_id,
        occurred_on=data.occurred_on, credit_minutes=data.credit_minutes, redeemed_for=data.redeemed_for,
        item=data.item, face_value_pence=data.face_value_pence))


@bp.route("/money/expenses/new", methods=["GET", "POST"])
def new_expense() -> Any:
    return _new(RecordType.EXPENSE)


@bp.route("/money/payments/new", methods=["GET", "POST"])
def new_payment() -> Any:
    return _new(RecordType.PAYMENT)


@bp.route("/money/redemptions/new", methods=["GET", "POST"])
def new_redemption() -> Any:
    return _new(RecordType.REDEMPTION)
