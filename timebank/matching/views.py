"""The matching pages. Brokers: "find people" for a request, a role or a session of their bank (the ranked
list with every reason, the counts of those left out, a tick box per person when introductions are
available), and the bank's weights. Residents: the things they could help with. Each page loads its input,
calls ``matching.service`` (or ``matching.for_me``) once and renders; refusals are the 403 and 404 pages.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from timebank.auth.guards import current_person, members_only
from timebank.banks.service import brokered_bank
from timebank.brokerage.models import DEFAULT_WEIGHTS, WEIGHT_NAMES
from timebank.db import db
from timebank.forms import int_arg, unit_of_work
from timebank.matching import engine, for_me, service
from timebank.matching.forms import LABELS, ResetForm, WeightsForm
from timebank.members import policy
from timebank.types import ID_CONVERTER

bp = Blueprint("matching", __name__, url_prefix="/matching")

@bp.before_request
def _signed_in_members() -> Any:
    return members_only()


@bp.app_context_processor
def _find_people_links() -> dict[str, Any]:
    """``finds_people(bank_id)``: whether the pages of a request, a role or a session link to "find people"
    (for the bank's brokers; the access policy keeps its answer for the request)."""
    def finds_people(time_bank_id: int) -> bool:
        return current_user.is_authenticated and policy.is_broker(db.session, current_person(), time_bank_id)

    return {"finds_people": finds_people}


def _render(thing: engine.Thing, endpoint: str, **args: Any) -> Any:
    matches = service.find(db.session, thing, page=int_arg("page", default=1) or 1)
    return render_template("matching/find.html", matches=matches, thing=thing, labels=LABELS,
                           names=WEIGHT_NAMES, endpoint=endpoint, args=args)


@bp.route(f"/requests/<{ID_CONVERTER}:request_id>")
def for_request(request_id: int) -> Any:
    return _render(service.request_for(db.session, current_person(), request_id), "matching.for_request",
                   request_id=request_id)


@bp.route(f"/roles/<{ID_CONVERTER}:activity_role_id>")
def for_role(activity_role_id: int) -> Any:
    return _render(service.role_for(db.session, current_person(), activity_role_id), "matching.for_role",
                   activity_role_id=activity_role_id)


@bp.route(f"/sessions/<{ID_CONVERTER}:session_id>")
def for_session(session_id: int) -> Any:
    return _render(service.session_for(db.session, current_person(), session_id), "matching.for_session",
                   session_id=session_id)


def _weights_page(bank_id: int, form: WeightsForm | None = None, status: int = 200) -> Any:
    actor = current_person()
    weights = service.weights_for(db.session, actor, bank_id)
    time_bank = brokered_bank(db.session, actor, bank_id)
    return render_template("matching/weights.html", bank=time_bank, labels=LABELS, names=WEIGHT_NAMES,
                           defaults=DEFAULT_WEIGHTS, form=form or WeightsForm(formdata=None, data=weights),
                           reset_form=ResetForm(formdata=None)), status


@bp.route(f"/banks/<{ID_CONVERTER}:bank_id>/weights")
def weights(bank_id: int) -> Any:
    return _weights_page(bank_id)


@bp.route(f"/banks/<{ID_CONVERTER}:bank_id>/weights", methods=["POST"])
def save_weights(bank_id: int) -> Any:
    service.weights_for(db.session, current_person(), bank_id)  # refuses a non-broker before the form is read
    form = WeightsForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.set_weights(db.session, current_person(), bank_id, form.weights())
        if work.done:
            flash(_l("The weights are saved."), "success")
            return redirect(url_for("matching.weights", bank_id=bank_id))
        return _weights_page(bank_id, form, work.status)
    return _weights_page(bank_id, form, 422)


@bp.route(f"/banks/<{ID_CONVERTER}:bank_id>/weights/reset", methods=["POST"])
def reset_weights(bank_id: int) -> Any:
    service.weights_for(db.session, current_person(), bank_id)
    form = ResetForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.reset_weights(db.session, current_person(), bank_id)
        if work.done:
            flash(_l("The weights are back to the defaults."), "success")
    return redirect(url_for("matching.weights", bank_id=bank_id))


@bp.route("/for-me")
def things_for_me() -> Any:
    found = for_me.things_for(db.session, current_person(), page=int_arg("page", default=1) or 1)
    return render_template("matching/for_me.html", found=found)
