"""Profile pages: see what someone can do, edit a profile, find people. No JavaScript; the edit form
posts, then redirects. Who may see and change what is ``profiles.service``'s and ``members.policy``'s.

A profile says what a member can do, would like to learn or share, and would enjoy. These pages never
show or ask for needs, conditions or problems.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from timebank.auth.guards import current_person, members_only
from timebank.banks.service import bank_choices
from timebank.categories.service import categories as active_categories
from timebank.categories.taxonomy import label_for
from timebank.db import db
from timebank.errors import DomainError
from timebank.forms import int_arg, unit_of_work
from timebank.members import policy
from timebank.members import service as members
from timebank.members.forms import CONTACT_METHOD_LABELS, CONTRIBUTION_KIND_LABELS, ORGANISATION_TYPE_LABELS
from timebank.members.models import Organisation, Person
from timebank.profiles import search as finder
from timebank.profiles import service
from timebank.profiles.forms import (
    PERIOD_LABELS,
    ProfileForm,
    SearchForm,
    grouped_labels,
    week_rows,
)
from timebank.profiles.languages import LANGUAGES
from timebank.profiles.models import Period
from timebank.types import ID_CONVERTER

bp = Blueprint("profiles", __name__)
bp.before_request(members_only)


def language_list(codes: Iterable[str]) -> str:
    """Language names in the list's order (English, Welsh and BSL first), joined by commas."""
    wanted = set(codes)
    return ", ".join(str(label) for code, label in LANGUAGES.items() if code in wanted)


@bp.app_context_processor
def profile_labels() -> dict[str, Any]:
    """The words the profile and organisation templates use for stored codes."""
    return {
        "language_list": language_list,
        "ability_label": label_for,
        "contact_by_label": lambda method: CONTACT_METHOD_LABELS.get(method, ""),
        "organisation_type_label": lambda kind: ORGANISATION_TYPE_LABELS.get(kind, ""),
        "contribution_kind_label": lambda kind: CONTRIBUTION_KIND_LABELS.get(kind, ""),
    }


@bp.route("/profile")
def mine() -> Any:
    return redirect(url_for("profiles.show", holder_id=current_person().id))


# --- one profile -----------------------------------------------------------------------------------


@bp.route(f"/people/<{ID_CONVERTER}:holder_id>")
def show(holder_id: int) -> Any:
    actor = current_person()
    view = service.view_profile(db.session, actor, holder_id)
    holder = view.holder
    slots = {(slot.weekday, slot.period) for slot in view.profile.availability}
    # Brokers of the member's banks see the safeguarding record and may record that they leave.
    brokers = isinstance(holder, Person) and policy.brokers_holder(db.session, actor, holder.id)
    return render_template(
        "profiles/show.html",
        view=view,
        holder=holder,
        is_self=holder.id == actor.id,
        is_person=isinstance(holder, Person),
        is_organisation=isinstance(holder, Organisation),
        manages=view.full and holder.pseudonymised_at is None,
        brokers=brokers,
        # A broker prints statements for members who are not online.
        statements=service.brokered_accounts(db.session, actor, holder.id) if brokers else [],
        ability_groups=grouped_labels(category.code for category in view.abilities),
        # (day, short name, [available that morning, afternoon, evening]) for the weekly grid.
        grid=[(name, short, [(day, period) in slots for period in Period]) for day, name, short in week_rows()],
        periods=list(PERIOD_LABELS.values()),
    )


# --- editing a profile -----------------------------------------------------------------------------


@bp.route(f"/people/<{ID_CONVERTER}:holder_id>/profile", methods=["GET", "POST"])
def edit(holder_id: int) -> Any:
    actor = current_person()
    holder = members.managed_holder(db.session, actor, holder_id)
    categories = active_categories(db.session)
    initial = ProfileForm.initial(service.profile_of(db.session, holder.id), categories)
    form = ProfileForm(data=initial, holder=holder, categories=categories)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.update_profile(db.session, actor, holder.id, form.update())
        if work.done:
            flash(_l("Profile saved."), "success")
            return redirect(url_for("profiles.show", holder_id=holder_id))
    status = 422 if form.errors else 200
    return render_template("profiles/edit.html", form=form, holder=holder, is_self=holder.id == actor.id), status


# --- finding people --------------------------------------------------------------------------------


@bp.route("/people")
def search() -> Any:
    actor = current_person()
    page_number = int_arg("page", default=1)
    # The banks the viewer may search in: those they broker or belong to.
    searchable = policy.broker_bank_ids(db.session, actor) | policy.member_bank_ids(db.session, actor)
    banks = bank_choices(db.session, searchable)
    form = SearchForm(request.args, categories=active_categories(db.session), banks=banks)
    page = None
    if form.validate():
        try:
            page = finder.search(db.session, actor, form.criteria(), page=page_number)
        except DomainError as error:
            if error.field is None:
                raise
            form.add_service_error(error.field, error.message)
    return render_template(
        "profiles/search.html",
        form=form,
        page=page,
        filters=form.filters(),
        several_banks=len(banks) > 1,
    ), 422 if form.errors else 200
