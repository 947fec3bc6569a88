"""The safeguarding pages: a person's record (DBS checks, derived clearances, notes) and the checks
about to run out. Brokers only: residents, organisation admins and funders get a 403 before anything
is read. The record is always read for one bank, the broker's, and every reading is audited."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from timebank.attendance import service as attendance
from timebank.auth.guards import current_person, members_only
from timebank.banks.service import bank_choices, brokered_bank
from timebank.clock import uk_today
from timebank.db import db, transaction, writes
from timebank.errors import NotFound
from timebank.forms import int_arg, unit_of_work
from timebank.members import policy
from timebank.members.service import display_names
from timebank.safeguarding import service
from timebank.safeguarding.forms import DbsCheckForm, NoteForm
from timebank.types import ID_CONVERTER, MAX_ID

bp = Blueprint("safeguarding", __name__)

PERSON = f"/people/<{ID_CONVERTER}:person_id>/safeguarding"


@bp.before_request
def _brokers_only() -> Any:
    refused = members_only()
    if refused is not None:
        return refused
    service.require_broker(db.session, current_person())
    return None


def _render_record(person_id: int, time_bank_id: int, status: int = 200,
                   check_form: DbsCheckForm | None = None, note_form: NoteForm | None = None) -> Any:
    actor = current_person()
    with transaction():  # the reading is audited
        record = service.record_for(db.session, actor, person_id, time_bank_id)
    shared = policy.broker_bank_ids(db.session, actor) & policy.holder_bank_ids(db.session, person_id)
    return render_template(
        "safeguarding/record.html",
        record=record,
        names=display_names(db.session, [c.recorded_by_id for c in record.checks]
                            + [n.author_id for n in record.notes]),
        other_banks=[bank for bank in bank_choices(db.session, shared) if bank[0] != time_bank_id],
        check_form=check_form or DbsCheckForm(formdata=None, time_bank_id=time_bank_id),
        note_form=note_form or NoteForm(formdata=None, time_bank_id=time_bank_id),
        today=uk_today(),
    ), status


@bp.route(PERSON)
@writes  # every reading is audited
def record(person_id: int) -> Any:
    time_bank_id = int_arg("bank")
    if time_bank_id is None:
        # The first bank the broker runs that the person belongs to or has applied to.
        shared = policy.broker_bank_ids(db.session, current_person()) & policy.holder_bank_ids(db.session, person_id)
        if not shared:
            raise NotFound(_l("There is no such member"))
        time_bank_id = min(shared)
    return _render_record(person_id, time_bank_id)


def _posted_bank(form: DbsCheckForm | NoteForm) -> int:
    """The bank the record was shown for. Without a usable one there is no page to go back to."""
    form.time_bank_id.validate(form)
    bank_id = form.time_bank_id.data
    if form.time_bank_id.errors or bank_id is None or not 1 <= bank_id <= MAX_ID:
        abort(400, description=gettext("This form is out of date. Please start again."))
    return int(bank_id)


@bp.route(f"{PERSON}/dbs-checks", methods=["POST"])
def add_check(person_id: int) -> Any:
    form = DbsCheckForm()
    time_bank_id = _posted_bank(form)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.record_dbs_check(db.session, current_person(), person_id, time_bank_id, form.check)
        if work.done:
            flash(_l("The DBS check is recorded."), "success")
            return redirect(url_for("safeguarding.record", person_id=person_id, bank=time_bank_id))
    return _render_record(person_id, time_bank_id, 422, check_form=form)


@bp.route(f"{PERSON}/notes", methods=["POST"])
def add_note(person_id: int) -> Any:
    form = NoteForm()
    time_bank_id = _posted_bank(form)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.add_note(db.session, current_person(), person_id, time_bank_id, form.body.data or "")
        if work.done:
            flash(_l("The note is added."), "success")
            return redirect(url_for("safeguarding.record", person_id=person_id, bank=time_bank_id))
    return _render_record(person_id, time_bank_id, 422, note_form=form)


@bp.route(f"/banks/<{ID_CONVERTER}:bank_id>/expiring-checks")
def expiring(bank_id: int) -> Any:
    actor = current_person()
    time_bank = brokered_bank(db.session, actor, bank_id)
    return render_template("safeguarding/expiring.html", bank=time_bank, today=uk_today(),
                           checks=service.expiring_checks(db.session, actor, time_bank.id),
                           bookings=attendance.bookings_needing_clearance(db.session, actor, time_bank.id))
