"""Pages for contact details and organisations: change how someone is reached, register an
organisation, and run it (who acts for it, what it offers besides hours). No JavaScript; every form
posts, then redirects. The rules are ``members.service``'s and ``profiles.service``'s."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from timebank.auth.guards import current_person, members_only
from timebank.db import db
from timebank.forms import ButtonForm, ServiceForm, unit_of_work
from timebank.members import service
from timebank.members.forms import AdminForm, ContactForm, ContributionForm, OrganisationForm
from timebank.profiles import service as profiles
from timebank.types import ID_CONVERTER

bp = Blueprint("members", __name__)
bp.before_request(members_only)

ORGANISATION = f"/organisations/<{ID_CONVERTER}:organisation_id>"


# --- contact details -------------------------------------------------------------------------------


@bp.route(f"/people/<{ID_CONVERTER}:person_id>/contact", methods=["GET", "POST"])
def contact(person_id: int) -> Any:
    actor = current_person()
    person = service.managed_person(db.session, actor, person_id)
    form = ContactForm(data=ContactForm.initial(person))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.update_contact(db.session, actor, person.id, form.details())
        if work.done:
            flash(_l("Contact details saved."), "success")
            return redirect(url_for("profiles.show", holder_id=person.id))
    return render_template("profiles/contact.html", form=form, person=person,
                           is_self=person.id == actor.id), 422 if form.errors else 200


# --- registering and editing an organisation -------------------------------------------------------


@bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation() -> Any:
    form = OrganisationForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            organisation = service.register_organisation(db.session, current_person(), form.details())
        if work.done:
            flash(_l("%(name)s is registered, and you act for it. Next, apply for it to join a time bank.",
                     name=organisation.display_name), "success")
            return redirect(url_for("members.organisation", organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=None), 422 if form.errors else 200


@bp.route(f"{ORGANISATION}/edit", methods=["GET", "POST"])
def edit_organisation(organisation_id: int) -> Any:
    actor = current_person()
    organisation = service.managed_organisation(db.session, actor, organisation_id)
    form = OrganisationForm(data=OrganisationForm.initial(organisation))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.update_organisation(db.session, actor, organisation.id, form.details())
        if work.done:
            flash(_l("The organisation's details are saved."), "success")
            return redirect(url_for("members.organisation", organisation_id=organisation_id))
    return render_template("organisations/form.html", form=form,
                           organisation=organisation), 422 if form.errors else 200


# --- running an organisation -----------------------------------------------------------------------


def _render_organisation(organisation_id: int, status: int = 200, *, error: Any = None,
                         forms: dict[str, ServiceForm] | None = None) -> tuple[str, int]:
    organisation = service.managed_organisation(db.session, current_person(), organisation_id)
    forms = forms or {}
    return render_template(
        "organisations/detail.html",
        organisation=organisation,
        contributions=profiles.contributions_of(db.session, organisation.id),
        error=error,
        admin_form=forms.get("admin") or AdminForm(formdata=None),
        contribution_form=forms.get("contribution") or ContributionForm(formdata=None),
        button_form=ButtonForm(formdata=None),
    ), status


@bp.route(ORGANISATION)
def organisation(organisation_id: int) -> Any:
    return _render_organisation(organisation_id)


def _change(organisation_id: int, form: ServiceForm, form_key: str, change: Any, done: Any,
            then: str | None = None) -> Any:
    """Validate the form, make the one change, commit, flash and go back to the organisation's page
    (or ``then``). A refusal is shown next to its field, or at the top of the page."""
    if not form.validate_on_submit():
        return _render_organisation(organisation_id, 422, forms={form_key: form})
    with unit_of_work(form) as work:
        change()
    if work.error is not None:
        if work.on_field:
            return _render_organisation(organisation_id, work.status, forms={form_key: form})
        return _render_organisation(organisation_id, work.status, error=work.error.message)
    flash(done, "success")
    return redirect(then or url_for("members.organisation", organisation_id=organisation_id))


@bp.route(f"{ORGANISATION}/admins", methods=["POST"])
def add_admin(organisation_id: int) -> Any:
    form = AdminForm()
    return _change(
        organisation_id, form, "admin",
        lambda: service.add_organisation_admin(db.session, current_person(), organisation_id, form.email.data or ""),
        _l("They now act for the organisation."),
    )


@bp.route(f"{ORGANISATION}/admins/<{ID_CONVERTER}:person_id>/remove", methods=["POST"])
def remove_admin(organisation_id: int, person_id: int) -> Any:
    actor = current_person()
    if person_id == actor.id:
        # Someone who stops acting for the organisation may no longer see its page.
        done, then = _l("You no longer act for the organisation."), url_for("profiles.show", holder_id=actor.id)
    else:
        done, then = _l("They no longer act for the organisation."), None
    return _change(
        organisation_id, ButtonForm(), "button",
        lambda: service.remove_organisation_admin(db.session, actor, organisation_id, person_id), done, then,
    )


@bp.route(f"{ORGANISATION}/contributions", methods=["POST"])
def add_contribution(organisation_id: int) -> Any:
    form = ContributionForm()
    return _change(
        organisation_id, form, "contribution",
        lambda: profiles.add_contribution(db.session, current_person(), organisation_id,
                                          form.contribution_kind, form.description.data or ""),
        _l("Added to what the organisation offers."),
    )


@bp.route(f"{ORGANISATION}/contributions/<{ID_CONVERTER}:contribution_id>/remove", methods=["POST"])
def remove_contribution(organisation_id: int, contribution_id: int) -> Any:
    return _change(
        organisation_id, ButtonForm(), "button",
        lambda: profiles.remove_contribution(db.session, current_person(), organisation_id, contribution_id),
        _l("Removed from what the organisation offers."),
    )
