"""You, your accounts and contact details, and the organisations people act for.

Each write is: parse → one ``members.service`` call → respond (the blueprint commits).
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from timebank.api.core import ApiBlueprint
from timebank.db import db
from timebank.exchanges import service as exchanges
from timebank.ledger.models import Account
from timebank.members import policy, service
from timebank.members.models import Organisation, Person
from timebank.members.schemas import (
    AccountOut,
    AdminIn,
    AdminOut,
    ContactIn,
    ContactOut,
    MeOut,
    OrganisationIn,
    OrganisationOut,
)
from timebank.profiles.service import contributions_of
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_members", __name__, url_prefix="/api/v1",
    description="You: your details, time accounts and organisations; contact details; registering and "
                "running an organisation.",
)

ORGANISATION = f"/organisations/<{ID_CONVERTER}:organisation_id>"


@bp.route("/me")
@bp.token_required
@bp.response(200, MeOut)
def me(actor: Person) -> dict[str, Any]:
    """Who the token belongs to: contact details, roles, organisations and their own accounts' balances."""
    return {
        "id": actor.id,
        "display_name": actor.display_name,
        "email": actor.email,
        "phone": actor.phone,
        "postcode": actor.postcode,
        "contact_by": actor.contact_by,
        "preferred_language": actor.preferred_language,
        "is_admin": actor.is_admin,
        "bank_roles": actor.bank_roles,
        "organisations": actor.organisations,
        "accounts": policy.own_accounts(db.session, actor),
    }


@bp.route(f"/accounts/<{ID_CONVERTER}:account_id>")
@bp.token_required
@bp.response(200, AccountOut)
@bp.problems(404)
def account(account_id: int, actor: Person) -> Account:
    """One account's balances, if you may act for it (your own, your organisation's, or as a broker)."""
    return exchanges.account_for(db.session, actor, account_id)


@bp.route(f"/people/<{ID_CONVERTER}:person_id>/contact", methods=["PUT"])
@bp.access(service.managed_person)
@bp.arguments(ContactIn)
@bp.response(200, ContactOut)
@bp.problems(404, 409)
def put_contact(details: dict[str, Any], person_id: int, actor: Person) -> Person:
    """Change a name and contact details: your own, or (brokers) a member's."""
    person = service.update_contact(db.session, actor, person_id, service.ContactDetails(**details))
    return person


def _organisation(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.id,
        "display_name": organisation.display_name,
        "organisation_type": organisation.organisation_type,
        "holder_kind": organisation.holder_kind,
        "charity_number": organisation.charity_number,
        "contact_email": organisation.contact_email,
        "phone": organisation.phone,
        "postcode": organisation.postcode,
        "admins": organisation.admins,
        "contributions": contributions_of(db.session, organisation.id),
    }


def _location(organisation_id: int) -> dict[str, str]:
    return {"Location": url_for("api_members.get_organisation", organisation_id=organisation_id)}


@bp.route("/organisations", methods=["POST"])
@bp.token_required
@bp.arguments(OrganisationIn)
@bp.response(201, OrganisationOut)
def register_organisation(details: dict[str, Any], actor: Person) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Register an organisation; you become the first person who acts for it.

    It then applies to a time bank like anyone else (POST /applications)."""
    organisation = service.register_organisation(db.session, actor, service.OrganisationDetails(**details))
    return _organisation(organisation), 201, _location(organisation.id)


@bp.route(ORGANISATION)
@bp.token_required
@bp.response(200, OrganisationOut)
@bp.problems(404)
def get_organisation(organisation_id: int, actor: Person) -> dict[str, Any]:
    """An organisation's details, the people who act for it and what it offers besides hours.

    For the people who act for it, and for brokers of its time banks."""
    return _organisation(service.managed_organisation(db.session, actor, organisation_id))


@bp.route(ORGANISATION, methods=["PUT"])
@bp.access(service.managed_organisation)
@bp.arguments(OrganisationIn)
@bp.response(200, OrganisationOut)
@bp.problems(404)
def put_organisation(details: dict[str, Any], organisation_id: int, actor: Person) -> dict[str, Any]:
    """Change an organisation's details."""
    organisation = service.update_organisation(
        db.session, actor, organisation_id, service.OrganisationDetails(**details)
    )
    return _organisation(organisation)


@bp.route(f"{ORGANISATION}/admins", methods=["POST"])
@bp.access(service.managed_organisation)
@bp.arguments(AdminIn)
@bp.response(201, AdminOut)
@bp.problems(404, 409)
def add_admin(body: dict[str, Any], organisation_id: int, actor: Person) -> Person:
    """Someone who has already joined starts acting for the organisation."""
    person = service.add_organisation_admin(db.session, actor, organisation_id, body["email"])
    return person


@bp.route(f"{ORGANISATION}/admins/<{ID_CONVERTER}:person_id>", methods=["DELETE"])
@bp.token_required
@bp.response(204)
@bp.problems(404, 409)
def remove_admin(organisation_id: int, person_id: int, actor: Person) -> None:
    """Someone stops acting for the organisation. The last one cannot: add another first."""
    service.remove_organisation_admin(db.session, actor, organisation_id, person_id)
