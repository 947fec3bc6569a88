"""The activity pages: browsing, publishing an activity, its partners, roles and sessions. No
JavaScript; every action is a form that posts, then redirects. Who may see or run an activity is
``activities.access``'s answer, asked through ``activities.service`` before any input is read: someone
who cannot see the activity gets a 404, someone who may only look gets a 403."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_time, ngettext
from flask_babel import lazy_gettext as _l

from timebank.activities import access, service
from timebank.activities.forms import (
    CELL_NAMES,
    DIRECTION_LABELS,
    FORM_EXPLANATIONS,
    FORM_LABELS,
    NOTICE_CHOICES,
    PARTY_LABELS,
    STATUS_LABELS,
    ActivityDetailsForm,
    CloseActivityForm,
    FilterForm,
    NewActivityForm,
    NewRoleForm,
    PartnerForm,
    RoleForm,
    SessionForm,
)
from timebank.activities.models import Role
from timebank.auth.guards import current_person, members_only
from timebank.banks.models import TimeBank
from timebank.banks.service import bank_choices
from timebank.categories.service import categories as active_categories
from timebank.db import db
from timebank.forms import ButtonForm, ServiceForm, int_arg, unit_of_work
from timebank.members import policy
from timebank.members.service import display_names
from timebank.safeguarding.clearances import LABELS as CLEARANCE_LABELS
from timebank.types import ID_CONVERTER

bp = Blueprint("activities", __name__)
bp.before_request(members_only)

ACTIVITY = f"/activities/<{ID_CONVERTER}:activity_id>"
ROLE = f"{ACTIVITY}/roles/<{ID_CONVERTER}:activity_role_id>"


@bp.context_processor
def activity_words() -> dict[str, Any]:
    """The words and formats the activity templates use for stored codes and moments (UK time)."""
    return {
        "form_label": FORM_LABELS.get,
        "form_explanation": FORM_EXPLANATIONS.get,
        "party_label": PARTY_LABELS.get,
        "cell_name": lambda activity: CELL_NAMES[(activity.designed_by, activity.delivered_by)],
        "cell_names": CELL_NAMES,
        "party_labels": PARTY_LABELS,
        "status_label": STATUS_LABELS.get,
        "direction_label": DIRECTION_LABELS.get,
        "clearance_label": lambda clearance: CLEARANCE_LABELS[clearance] if clearance else _l("None"),
        "notice_label": lambda hours: NOTICE_CHOICES.get(hours) or _l("%(num)d hours", num=hours),
        "day_of": lambda moment: format_date(moment, "full"),
        "clock": lambda moment: format_time(moment, "HH:mm"),
    }


def _page(template: str, form: ServiceForm, **context: Any) -> tuple[str, int]:
    return render_template(template, form=form, **context), 422 if form.errors else 200


def _visible_banks() -> list[tuple[int, str]]:
    actor = current_person()
    return bank_choices(db.session,
                        policy.member_bank_ids(db.session, actor) | policy.broker_bank_ids(db.session, actor))


# --- browsing --------------------------------------------------------------------------------------


@bp.route("/activities")
def index() -> Any:
    actor = current_person()
    banks = _visible_banks()
    form = FilterForm(request.args, banks=banks, categories=active_categories(db.session))
    page = None
    if form.validate():
        page = service.list_activities(db.session, actor, form.filters(), page=int_arg("page") or 1,
                                       per_page=current_app.config["PAGE_SIZE"])
    activities = page.items if page else []
    roles = [role for activity in activities for role in activity.roles]
    may_publish = bool(service.organisations_to_run(db.session, actor))
    return render_template(
        "activities/index.html",
        form=form,
        page=page,
        filters=form.in_use(),
        several_banks=len(banks) > 1,
        may_publish=may_publish,
        bank_names=dict(banks),
        names=display_names(db.session, [a.organisation_id for a in activities]
                            + [p.organisation_id for a in activities for p in a.partners]),
        codes=service.ability_codes(db.session, roles),
        upcoming=service.upcoming_sessions(db.session, [role.id for role in roles]),
    ), 422 if form.errors else 200


# --- one activity ----------------------------------------------------------------------------------


@bp.route("/activities/new", methods=["GET", "POST"])
def new() -> Any:
    actor = current_person()
    choices = service.require_something_to_run(db.session, actor)
    form = NewActivityForm()
    organisations = {organisation.id: organisation.display_name for organisation, _ in choices}
    form.set_choices(bank_choices(db.session, {bank_id for _, bank_id in choices}), list(organisations.items()))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            activity, _ = service.create_activity(db.session, actor, form.to_new(), form.idempotency_key.data)
        if work.done:
            flash(_l("The activity is saved as a draft. Add its roles and sessions, then publish it."), "success")
            return redirect(url_for("activities.detail", activity_id=activity.id))
    return _page("activities/new.html", form)


def _render_detail(activity_id: int, status: int = 200, *, partner_form: PartnerForm | None = None,
                   button_form: ButtonForm | None = None, close_form: CloseActivityForm | None = None) -> Any:
    actor = current_person()
    activity = service.visible_activity(db.session, actor, activity_id)
    runs = access.may_run(db.session, actor, activity)
    partners = service.partner_ids(activity)
    if partner_form is None:
        partner_form = PartnerForm(formdata=None)
    if runs:
        partner_form.set_choices([(o.id, o.display_name) for o in service.organisations_in_bank(
            db.session, activity.time_bank_id) if o.id != activity.organisation_id and o.id not in partners])
    return render_template(
        "activities/detail.html",
        activity=activity,
        runs=runs,
        bank=db.session.get(TimeBank, activity.time_bank_id),
        names=display_names(db.session, [activity.organisation_id, *partners]),
        partners=partners,
        codes=service.ability_codes(db.session, activity.roles),
        upcoming=service.upcoming_sessions(db.session, [role.id for role in activity.roles]),
        partner_form=partner_form,
        button_form=button_form or ButtonForm(formdata=None),
        close_form=close_form or CloseActivityForm(formdata=None),
        failed=any(form is not None and form.errors for form in (partner_form, button_form, close_form)),
    ), status


@bp.route(ACTIVITY)
def detail(activity_id: int) -> Any:
    return _render_detail(activity_id)


@bp.route(f"{ACTIVITY}/edit", methods=["GET", "POST"])
def edit(activity_id: int) -> Any:
    actor = current_person()
    activity = service.activity_to_run(db.session, actor, activity_id)
    form = ActivityDetailsForm(data=None if request.method == "POST" else ActivityDetailsForm.initial(activity))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.update_activity(db.session, actor, activity_id, form.to_details())
        if work.done:
            flash(_l("The activity is saved."), "success")
            return redirect(url_for("activities.detail", activity_id=activity_id))
    return _page("activities/edit.html", form, activity=activity)


#: The forms of the buttons on an activity's page, by the name the page knows them by.
_BUTTON_FORMS: dict[str, type[ServiceForm]] = {"button_form": ButtonForm, "close_form": CloseActivityForm}


def _button(activity_id: int, action: Any, done: Any, form_name: str = "button_form") -> Any:
    """Publish or close: check the viewer runs the activity, then one service call. Closing asks for a tick
    box first."""
    actor = current_person()
    service.activity_to_run(db.session, actor, activity_id)
    form = _BUTTON_FORMS[form_name]()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            action(db.session, actor, activity_id)
        if work.done:
            flash(done, "success")
            return redirect(url_for("activities.detail", activity_id=activity_id))
    return _render_detail(activity_id, 422, **{form_name: form})


@bp.route(f"{ACTIVITY}/publish", methods=["POST"])
def publish(activity_id: int) -> Any:
    return _button(activity_id, service.publish, _l("The activity is published. Members of the time bank can see it."))


@bp.route(f"{ACTIVITY}/close", methods=["POST"])
def close(activity_id: int) -> Any:
    return _button(activity_id, service.close, _l("The activity is closed. Its history is kept."), "close_form")


@bp.route(f"{ACTIVITY}/partners", methods=["POST"])
def add_partner(activity_id: int) -> Any:
    actor = current_person()
    activity = service.activity_to_run(db.session, actor, activity_id)
    form = PartnerForm()
    form.set_choices([(o.id, o.display_name) for o in service.organisations_in_bank(db.session, activity.time_bank_id)])
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.add_partner(db.session, actor, activity_id, form.organisation_id.data)
        if work.done:
            flash(_l("The partner is added."), "success")
            return redirect(url_for("activities.detail", activity_id=activity_id))
    return _render_detail(activity_id, 422, partner_form=form)


@bp.route(f"{ACTIVITY}/partners/<{ID_CONVERTER}:organisation_id>/remove", methods=["POST"])
def remove_partner(activity_id: int, organisation_id: int) -> Any:
    return _button(activity_id, lambda session, actor, activity_id: service.remove_partner(
        session, actor, activity_id, organisation_id), _l("The partner is removed."))


# --- roles -----------------------------------------------------------------------------------------


def _role_codes(role: Role | None) -> dict[int, str]:
    return service.ability_codes(db.session, [role]) if role is not None else {}


@bp.route(f"{ACTIVITY}/roles/new", methods=["GET", "POST"])
def new_role(activity_id: int) -> Any:
    actor = current_person()
    activity = service.activity_to_run(db.session, actor, activity_id)
    form = NewRoleForm(categories=active_categories(db.session))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.add_role(db.session, actor, activity_id, form.to_details(), form.idempotency_key.data)
        if work.done:
            flash(_l("The role is added. Now add its sessions."), "success")
            return redirect(url_for("activities.detail", activity_id=activity_id))
    return _page("activities/role_form.html", form, activity=activity, role=None)


@bp.route(ROLE)
def role(activity_id: int, activity_role_id: int) -> Any:
    actor = current_person()
    found = service.role_of(db.session, actor, activity_id, activity_role_id)
    earlier = request.args.get("earlier") == "1"
    sessions = service.role_sessions(db.session, found, earlier=earlier, page=int_arg("page") or 1,
                                     per_page=current_app.config["PAGE_SIZE"])
    return render_template("activities/role.html", activity=found.activity, role=found, sessions=sessions,
                           earlier=earlier, runs=access.may_run(db.session, actor, found.activity),
                           codes=_role_codes(found))


@bp.route(f"{ROLE}/edit", methods=["GET", "POST"])
def edit_role(activity_id: int, activity_role_id: int) -> Any:
    actor = current_person()
    found = service.role_of(db.session, actor, activity_id, activity_role_id, to_run=True)
    initial = None if request.method == "POST" else RoleForm.initial(found, _role_codes(found))
    form = RoleForm(categories=active_categories(db.session), data=initial)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.update_role(db.session, actor, activity_id, activity_role_id, form.to_details())
        if work.done:
            flash(_l("The role is saved."), "success")
            return redirect(url_for("activities.role", activity_id=activity_id, activity_role_id=activity_role_id))
    return _page("activities/role_form.html", form, activity=found.activity, role=found)


@bp.route(f"{ROLE}/sessions/new", methods=["GET", "POST"])
def new_sessions(activity_id: int, activity_role_id: int) -> Any:
    actor = current_person()
    found = service.role_of(db.session, actor, activity_id, activity_role_id, to_run=True)
    form = SessionForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            made, _ = service.add_sessions(db.session, actor, activity_id, activity_role_id, form.to_new(),
                                           form.idempotency_key.data)
        if work.done:
            flash(ngettext("%(num)d session is added.", "%(num)d sessions are added.", len(made)), "success")
            return redirect(url_for("activities.role", activity_id=activity_id, activity_role_id=activity_role_id))
    return _page("activities/session_form.html", form, activity=found.activity, role=found)
