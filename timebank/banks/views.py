"""A bank's own pages: its joining settings (its brokers) and who staffs it (admins). The rules live in
``banks.service``; a broker of another bank gets a 403, a bank that does not exist a 404."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from timebank.auth.guards import current_person, members_only
from timebank.banks import service
from timebank.banks.forms import SettingsForm, StaffForm
from timebank.banks.models import (
    MAX_DBS_RENEWAL_MONTHS,
    MAX_VOUCHES,
    MIN_DBS_RENEWAL_MONTHS,
    MIN_VOUCHES,
    TimeBank,
)
from timebank.db import db, transaction
from timebank.errors import NotFound
from timebank.forms import ButtonForm, unit_of_work
from timebank.members.models import BankRoleName
from timebank.types import ID_CONVERTER

bp = Blueprint("banks", __name__)
bp.before_request(members_only)

BANK = f"/banks/<{ID_CONVERTER}:bank_id>"


@bp.route(f"{BANK}/settings", methods=["GET", "POST"])
def settings(bank_id: int) -> Any:
    actor = current_person()
    bank = service.brokered_bank(db.session, actor, bank_id)
    form = SettingsForm(obj=bank)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.update_settings(db.session, actor, bank.id, form.settings)
        if work.done:
            flash(_l("The settings are saved."), "success")
            return redirect(url_for("banks.settings", bank_id=bank.id))
    return render_template("banks/settings.html", bank=bank, form=form, min_vouches=MIN_VOUCHES,
                           max_vouches=MAX_VOUCHES, min_renewal_months=MIN_DBS_RENEWAL_MONTHS,
                           max_renewal_months=MAX_DBS_RENEWAL_MONTHS), 422 if form.errors else 200


@bp.route(f"{BANK}/staff", methods=["GET", "POST"])
def staff(bank_id: int) -> Any:
    actor = current_person()
    roles = service.staff(db.session, actor, bank_id)
    bank = db.session.get(TimeBank, bank_id)
    if bank is None:
        raise NotFound(_l("There is no such time bank"))
    form = StaffForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            grant = service.give_role(db.session, actor, bank.id, form.email.data or "", BankRoleName(form.role.data))
        if work.done:
            flash(_l("%(name)s now has the role.", name=grant.person.display_name), "success")
            return redirect(url_for("banks.staff", bank_id=bank.id))
    return render_template("banks/staff.html", bank=bank, roles=roles, form=form,
                           remove_form=ButtonForm(formdata=None)), 422 if form.errors else 200


@bp.route(f"{BANK}/staff/<{ID_CONVERTER}:role_id>/remove", methods=["POST"])
def remove_staff(bank_id: int, role_id: int) -> Any:
    # The CSRF token is checked for every POST by ``CSRFProtect``; there is nothing else to read.
    with transaction():
        service.revoke_role(db.session, current_person(), bank_id, role_id)
    flash(_l("The role is removed."), "success")
    return redirect(url_for("banks.staff", bank_id=bank_id))
