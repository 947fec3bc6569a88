"""The programmes pages: funders and who reads for them (admins), programmes with their scopes and outcomes
(read by their funders' people, brokers and admins; managed by admins and brokers of every bank they
cover), the outcome tags of an activity and its roles (those who run it), and an organisation's in-kind
contributions (its admins, and the bank's brokers).

Thin: each decides access through ``programmes.policy`` or the service's own check before reading input,
reads its form, calls one service function and redirects, or shows the form again with the refusal next to
its field. Another funder's programme is a 404 page, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from timebank.auth.guards import current_person, members_only, signed_in_only
from timebank.db import db
from timebank.errors import NotFound
from timebank.forms import ButtonForm, ServiceForm, int_arg, unit_of_work
from timebank.i18n import local_text
from timebank.members import policy as member_policy
from timebank.members.forms import CONTRIBUTION_KIND_LABELS
from timebank.members.models import Organisation
from timebank.programmes import policy, service
from timebank.programmes.forms import (
    FunderForm,
    FunderMemberForm,
    InKindForm,
    NewProgrammeForm,
    OutcomeForm,
    OutcomeSetForm,
    ProgrammeForm,
    ScopeForm,
    TagsForm,
)
from timebank.programmes.models import Funder
from timebank.types import ID_CONVERTER

bp = Blueprint("programmes", __name__)

#: Pages about an organisation's own work: a funder who sees aggregates only is refused them (403).
_MEMBER_PAGES = {"programmes.tags", "programmes.role_tags", "programmes.in_kind", "programmes.correct_in_kind"}

FUNDER = f"/funders/<{ID_CONVERTER}:funder_id>"
PROGRAMME = f"/programmes/<{ID_CONVERTER}:programme_id>"
TAGS = f"/activities/<{ID_CONVERTER}:activity_id>/outcomes"
IN_KIND = f"/organisations/<{ID_CONVERTER}:organisation_id>/in-kind"


def _failed(*forms: ServiceForm | None) -> bool:
    return any(form is not None and form.errors for form in forms)


@bp.before_request
def _guard() -> Any:
    """Programme pages are for whoever may read one (a funder's people included); the rest for members."""
    return members_only() if request.endpoint in _MEMBER_PAGES else signed_in_only()


@bp.context_processor
def _words() -> dict[str, Any]:
    return {"kind_label": CONTRIBUTION_KIND_LABELS.get, "local_name": local_name,
            "pounds": lambda pence: f"£{pence // 100:,}.{pence % 100:02d}"}


def local_name(named: Any) -> str:
    """A funder's, programme's or outcome's name in the reader's language (Welsh where it has one)."""
    return local_text(named.name, named.name_cy)


# --- funders (admins) --------------------------------------------------------------------------------


@bp.route("/funders", methods=["GET", "POST"])
def funders() -> Any:
    actor = current_person()
    policy.require_admin(db.session, actor)
    form = FunderForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            funder = service.create_funder(db.session, actor, form.name.data or "", form.name_cy.data or "")
        if work.done:
            flash(_l("The funder is added. Now add the people who read its reports."), "success")
            return redirect(url_for("programmes.funder", funder_id=funder.id))
    return render_template("programmes/funders.html", form=form, funders=service.funders(db.session),
                           failed=_failed(form)), 422 if form.errors else 200


def _render_funder(funder_id: int, *, rename: FunderForm | None = None, add: FunderMemberForm | None = None,
                   status: int = 200) -> Any:
    funder = service.get_funder(db.session, current_person(), funder_id)
    rename = rename or FunderForm(formdata=None, data={"name": funder.name, "name_cy": funder.name_cy})
    return render_template("programmes/funder.html", funder=funder, rename=rename,
                           add=add or FunderMemberForm(formdata=None), button_form=ButtonForm(formdata=None),
                           members=service.funder_members(db.session, funder.id), failed=_failed(rename, add)), status


@bp.route(FUNDER, methods=["GET", "POST"])
def funder(funder_id: int) -> Any:
    actor = current_person()
    service.get_funder(db.session, actor, funder_id)
    form = FunderForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.rename_funder(db.session, actor, funder_id, form.name.data or "", form.name_cy.data or "")
        if work.done:
            flash(_l("The funder's name is saved."), "success")
            return redirect(url_for("programmes.funder", funder_id=funder_id))
        return _render_funder(funder_id, rename=form, status=work.status)
    return _render_funder(funder_id, rename=form if form.errors else None, status=422 if form.errors else 200)


@bp.route(f"{FUNDER}/members", methods=["POST"])
def add_funder_member(funder_id: int) -> Any:
    actor = current_person()
    service.get_funder(db.session, actor, funder_id)
    form = FunderMemberForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.add_funder_member(db.session, actor, funder_id, form.email.data or "")
        if work.done:
            flash(_l("They can now sign in and read this funder's programmes."), "success")
            return redirect(url_for("programmes.funder", funder_id=funder_id))
        return _render_funder(funder_id, add=form, status=work.status)
    return _render_funder(funder_id, add=form, status=422)


@bp.route(f"{FUNDER}/members/<{ID_CONVERTER}:reader_id>/remove", methods=["POST"])
def remove_funder_member(funder_id: int, reader_id: int) -> Any:
    actor = current_person()
    service.get_funder(db.session, actor, funder_id)
    form = ButtonForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.remove_funder_member(db.session, actor, funder_id, reader_id)
        if work.done:
            flash(_l("They no longer read this funder's programmes."), "success")
            return redirect(url_for("programmes.funder", funder_id=funder_id))
    return _render_funder(funder_id, status=422)


# --- programmes ------------------------------------------------------------------------------------


@bp.route("/programmes")
def index() -> Any:
    actor = current_person()
    return render_template("programmes/index.html", programmes=policy.readable_programmes(db.session, actor),
                           funder_names={f.id: f.name for f in service.funders(db.session)},
                           may_create=policy.may_create(db.session, actor), is_admin=actor.is_admin)


def _scope_form(form: ScopeForm) -> ScopeForm:
    choices = service.scope_choices(db.session, current_person())
    form.set_scope_choices(choices.banks, choices.organisations, choices.activities)
    return form


@bp.route("/programmes/new", methods=["GET", "POST"])
def new() -> Any:
    actor = current_person()
    policy.require_creator(db.session, actor)
    form = _scope_form(NewProgrammeForm(data=None if request.method == "POST" else ProgrammeForm.initial()))
    form.set_funders([(f.id, f.name) for f in service.funders(db.session)])
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            programme = service.create_programme(db.session, actor, form.funder_id.data, form.details(), form.scope())
        if work.done:
            flash(_l("The programme is added. Add its outcomes, and anything else it covers."), "success")
            return redirect(url_for("programmes.detail", programme_id=programme.id))
        return render_template("programmes/new.html", form=form, failed=True), work.status
    return render_template("programmes/new.html", form=form, failed=_failed(form)), 422 if form.errors else 200


def _set_form(form: OutcomeSetForm) -> OutcomeSetForm:
    form.set_choices(local_name)
    return form


def _render_detail(programme_id: int, status: int = 200, **forms: ServiceForm) -> Any:
    actor = current_person()
    programme = policy.require_readable(db.session, actor, programme_id)
    manages = policy.may_manage(db.session, actor, programme)
    shown: dict[str, ServiceForm] = {}
    if manages:
        shown = {"scope_form": _scope_form(forms.get("scope_form") or ScopeForm(formdata=None)),
                 "outcome_form": forms.get("outcome_form") or OutcomeForm(formdata=None),
                 "set_form": _set_form(forms.get("set_form") or OutcomeSetForm(formdata=None)),
                 "button_form": forms.get("button_form") or ButtonForm(formdata=None)}
    return render_template(
        "programmes/detail.html", programme=programme, manages=manages,
        funder=db.session.get(Funder, programme.funder_id),
        scopes=service.scope_lines(db.session, service.programme_scopes(db.session, programme.id)),
        outcomes=service.programme_outcomes(db.session, programme.id), failed=_failed(*forms.values()), **shown,
    ), status


@bp.route(PROGRAMME)
def detail(programme_id: int) -> Any:
    return _render_detail(programme_id)


@bp.route(f"{PROGRAMME}/edit", methods=["GET", "POST"])
def edit(programme_id: int) -> Any:
    actor = current_person()
    programme = policy.require_manageable(db.session, actor, programme_id)
    form = ProgrammeForm(data=None if request.method == "POST" else ProgrammeForm.initial(programme))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.update_programme(db.session, actor, programme_id, form.details())
        if work.done:
            flash(_l("The programme is saved."), "success")
            return redirect(url_for("programmes.detail", programme_id=programme_id))
        return render_template("programmes/edit.html", form=form, programme=programme, failed=True), work.status
    return render_template("programmes/edit.html", form=form, programme=programme,
                           failed=_failed(form)), 422 if form.errors else 200


def _change(programme_id: int, form: ServiceForm, form_name: str, action: Any, done: Any) -> Any:
    """One change to a programme from its page: check the actor manages it, then one service call."""
    policy.require_manageable(db.session, current_person(), programme_id)
    if isinstance(form, ScopeForm):
        _scope_form(form)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            action(form)
        if work.done:
            flash(done, "success")
            return redirect(url_for("programmes.detail", programme_id=programme_id))
        return _render_detail(programme_id, work.status, **{form_name: form})
    return _render_detail(programme_id, 422, **{form_name: form})


@bp.route(f"{PROGRAMME}/scopes", methods=["POST"])
def add_scope(programme_id: int) -> Any:
    return _change(programme_id, ScopeForm(), "scope_form", lambda form: service.add_scope(
        db.session, current_person(), programme_id, form.scope()), _l("The programme covers that now."))


@bp.route(f"{PROGRAMME}/scopes/<{ID_CONVERTER}:scope_id>/remove", methods=["POST"])
def remove_scope(programme_id: int, scope_id: int) -> Any:
    return _change(programme_id, ButtonForm(), "button_form", lambda _form: service.remove_scope(
        db.session, current_person(), programme_id, scope_id), _l("The programme no longer covers that."))


@bp.route(f"{PROGRAMME}/outcomes", methods=["POST"])
def add_outcome(programme_id: int) -> Any:
    return _change(programme_id, OutcomeForm(), "outcome_form", lambda form: service.add_outcome(
        db.session, current_person(), programme_id, form.name.data or "", form.name_cy.data or ""),
        _l("The outcome is added."))


@bp.route(f"{PROGRAMME}/outcome-sets", methods=["POST"])
def add_outcome_set(programme_id: int) -> Any:
    return _change(programme_id, _set_form(OutcomeSetForm()), "set_form", lambda form: service.add_outcome_set(
        db.session, current_person(), programme_id, form.set_code.data or ""), _l("The ready-made outcomes are added."))


@bp.route(f"{PROGRAMME}/outcomes/<{ID_CONVERTER}:outcome_id>/remove", methods=["POST"])
def remove_outcome(programme_id: int, outcome_id: int) -> Any:
    return _change(programme_id, ButtonForm(), "button_form", lambda _form: service.remove_outcome(
        db.session, current_person(), programme_id, outcome_id), _l("The outcome is removed, with its tags."))


# --- outcome tags ----------------------------------------------------------------------------------


def _render_tags(activity_id: int, status: int = 200, failed: TagsForm | None = None,
                 failed_role_id: int | None = None) -> Any:
    """The activity's tick boxes, and each role's: the form that was refused shows again with its error."""
    activity = service.activity_to_tag(db.session, current_person(), activity_id)

    def form_for(role_id: int | None) -> TagsForm:
        return failed if failed is not None and role_id == failed_role_id else TagsForm(formdata=None)

    return render_template(
        "programmes/tags.html", activity=activity,
        groups=[group for group in service.covering_outcomes_by_programme(db.session, activity) if group[1]],
        tags=service.tags_of(db.session, activity),
        form=form_for(None), role_forms={role.id: form_for(role.id) for role in activity.roles},
        failed=failed is not None,
    ), status


@bp.route(TAGS, methods=["GET", "POST"])
def tags(activity_id: int) -> Any:
    actor = current_person()
    service.activity_to_tag(db.session, actor, activity_id)
    form = TagsForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.set_activity_outcomes(db.session, actor, activity_id, form.outcome_ids.data)
        if work.done:
            flash(_l("The activity's outcomes are saved."), "success")
            return redirect(url_for("programmes.tags", activity_id=activity_id))
        return _render_tags(activity_id, work.status, form)
    if form.errors:
        return _render_tags(activity_id, 422, form)
    return _render_tags(activity_id)


@bp.route(f"{TAGS}/roles/<{ID_CONVERTER}:activity_role_id>", methods=["POST"])
def role_tags(activity_id: int, activity_role_id: int) -> Any:
    actor = current_person()
    role = service.role_to_tag(db.session, actor, activity_role_id)
    if role.activity_id != activity_id:
        raise NotFound()
    form = TagsForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.set_role_outcomes(db.session, actor, role.id, form.outcome_ids.data)
        if work.done:
            flash(_l("The outcomes of %(role)s are saved.", role=role.title), "success")
            return redirect(url_for("programmes.tags", activity_id=activity_id))
        return _render_tags(activity_id, work.status, form, role.id)
    return _render_tags(activity_id, 422, form, role.id)


# --- in-kind contributions ---------------------------------------------------------------------------


def _in_kind_form(form: InKindForm, organisation_id: int, bank_ids: list[int]) -> InKindForm:
    names = service.bank_names(db.session, bank_ids)
    form.set_choices([(i, names[i]) for i in bank_ids],
                     service.organisation_activities(db.session, organisation_id, bank_ids))
    return form


def _render_in_kind(organisation_id: int, form: InKindForm | None = None, status: int = 200) -> Any:
    actor = current_person()
    bank_ids = service.in_kind_banks(db.session, actor, organisation_id)
    bank_id = int_arg("bank") or bank_ids[0]
    page = service.list_in_kind(db.session, actor, organisation_id, bank_id, page=int_arg("page") or 1,
                                per_page=current_app.config["PAGE_SIZE"])
    if form is None:
        form = InKindForm(formdata=None, data={"time_bank_id": bank_id})
    return render_template(
        "programmes/in_kind.html", organisation=db.session.get(Organisation, organisation_id), page=page,
        form=_in_kind_form(form, organisation_id, bank_ids), bank_id=bank_id,
        banks=service.bank_names(db.session, bank_ids), failed=_failed(form),
        activity_titles=dict(service.organisation_activities(db.session, organisation_id, bank_ids)),
        corrects=actor.is_admin or organisation_id in member_policy.own_holder_ids(db.session, actor),
    ), status


@bp.route(IN_KIND, methods=["GET", "POST"])
def in_kind(organisation_id: int) -> Any:
    actor = current_person()
    bank_ids = service.in_kind_banks(db.session, actor, organisation_id)
    form = _in_kind_form(InKindForm(), organisation_id, bank_ids)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            record = service.record_in_kind(db.session, actor, organisation_id, form.details())
        if work.done:
            flash(_l("The contribution is recorded."), "success")
            return redirect(url_for("programmes.in_kind", organisation_id=organisation_id, bank=record.time_bank_id))
        return _render_in_kind(organisation_id, form, work.status)
    if form.errors:
        return _render_in_kind(organisation_id, form, 422)
    return _render_in_kind(organisation_id)


@bp.route(f"{IN_KIND}/<{ID_CONVERTER}:in_kind_id>/edit", methods=["GET", "POST"])
def correct_in_kind(organisation_id: int, in_kind_id: int) -> Any:
    actor = current_person()
    service.require_in_kind_corrector(db.session, actor, organisation_id, in_kind_id)
    record = service.in_kind_record(db.session, actor, organisation_id, in_kind_id)
    bank_ids = service.in_kind_banks(db.session, actor, organisation_id)
    form = InKindForm(data=None if request.method == "POST" else InKindForm.initial(record))
    _in_kind_form(form, organisation_id, bank_ids)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.correct_in_kind(db.session, actor, organisation_id, in_kind_id, form.details())
        if work.done:
            flash(_l("The record is corrected."), "success")
            return redirect(url_for("programmes.in_kind", organisation_id=organisation_id, bank=record.time_bank_id))
        status = work.status
    else:
        status = 422 if form.errors else 200
    return render_template("programmes/in_kind_edit.html", form=form, record=record, failed=_failed(form),
                           organisation=db.session.get(Organisation, organisation_id)), status
