"""Time banks over the JSON API: the list to join from (public), a bank's joining settings (its
brokers) and its staff (administrators).

Each write is: parse → one ``banks.service`` call → respond (the blueprint commits).
"""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.banks import service
from timebank.banks.models import TimeBank
from timebank.banks.schemas import BankOut, BankSettingsIn, BankSettingsOut, StaffIn, StaffOut
from timebank.db import db
from timebank.members.models import BankRole, Person
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_banks", __name__, url_prefix="/api/v1",
    description="Time banks: the list to choose from when joining; for brokers, a bank's joining settings; "
                "for administrators, who staffs it.",
)

BANK = f"/banks/<{ID_CONVERTER}:bank_id>"


@bp.route("/banks")
@bp.response(200, BankOut(many=True))
def list_banks() -> list[TimeBank]:
    """Every time bank, by name, for choosing one to join. No token needed."""
    return service.all_banks(db.session)


@bp.route(f"{BANK}/settings")
@bp.token_required
@bp.response(200, BankSettingsOut)
@bp.problems(403, 404)
def get_settings(bank_id: int, actor: Person) -> TimeBank:
    """Brokers: how the bank takes on members (community vouching) and how long DBS checks count."""
    return service.brokered_bank(db.session, actor, bank_id)


@bp.route(f"{BANK}/settings", methods=["PUT"])
@bp.access(service.brokered_bank)
@bp.arguments(BankSettingsIn)
@bp.response(200, BankSettingsOut)
@bp.problems(403, 404)
def put_settings(settings: dict[str, Any], bank_id: int, actor: Person) -> TimeBank:
    """Brokers: change the bank's joining settings. The change is in the audit log."""
    bank = service.update_settings(db.session, actor, bank_id, service.BankSettings(**settings))
    return bank


@bp.route(f"{BANK}/staff")
@bp.token_required
@bp.response(200, StaffOut(many=True))
@bp.problems(403)
def list_staff(bank_id: int, actor: Person) -> list[BankRole]:
    """Administrators: the bank's brokers and funders."""
    return service.staff(db.session, actor, bank_id)


@bp.route(f"{BANK}/staff", methods=["POST"])
@bp.access(service.require_admin)
@bp.arguments(StaffIn)
@bp.response(201, StaffOut)
@bp.problems(403, 404, 409)
def add_staff(body: dict[str, Any], bank_id: int, actor: Person) -> BankRole:
    """Administrators: make someone who has joined a broker or funder of the bank."""
    role = service.give_role(db.session, actor, bank_id, body["email"], body["role"])
    return role


@bp.route(f"{BANK}/staff/<{ID_CONVERTER}:role_id>", methods=["DELETE"])
@bp.token_required
@bp.response(204)
@bp.problems(403, 404)
def remove_staff(bank_id: int, role_id: int, actor: Person) -> None:
    """Administrators: take a broker or funder role away."""
    service.revoke_role(db.session, actor, bank_id, role_id)
