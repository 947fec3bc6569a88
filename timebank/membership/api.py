"""Joining a time bank over the JSON API: signing up, applications, broker review, community vouching
and the decision.

Each write is: parse → one ``membership.service`` call → respond (the blueprint commits). Every rule (who
may read, review, vouch or decide) is the service's; what each reader sees of an application follows the
``Access`` the service grants them (``schemas.APPLICATION_FIELDS``).
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import fields_named_as_in_request, page_fields
from timebank.auth import limits
from timebank.db import db
from timebank.members.models import Holder, Person
from timebank.membership import service
from timebank.membership.models import MAX_REFERENCES, Application, Reference, Vouch
from timebank.membership.schemas import (
    APPLICATION_FIELDS,
    ApplicationApproveIn,
    ApplicationDeclineIn,
    ApplicationIn,
    ApplicationListArgs,
    ApplicationOut,
    ApplicationPageOut,
    EnrolIn,
    InterviewIn,
    RefereeIn,
    ReferenceOut,
    ReferenceOutcomeIn,
    SignedUpOut,
    SignUpIn,
    VouchOut,
)
from timebank.pagination import Page
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_membership", __name__, url_prefix="/api/v1",
    description="Joining a time bank: signing up, applications, references, community vouches, and the "
                "broker's decision.",
)

APPLICATION = f"/applications/<{ID_CONVERTER}:application_id>"

#: The service names each referee's fields as the joining form does; a request sends them as a list.
_REFEREES = {f"referee_{n}_{part}": "referees" for n in range(1, MAX_REFERENCES + 1) for part in ("name", "contact")}
#: …and names a single referee's fields as the form does too.
_REFEREE = {"referee_name": "name", "referee_contact": "contact"}


def _sign_up(body: dict[str, Any], broker: Person | None = None) -> tuple[Person, Application]:
    form = service.SignUp(**{
        "password": None, **body,
        "referees": tuple(service.Referee(**referee) for referee in body["referees"]),
    })
    with fields_named_as_in_request(_REFEREES):
        person, application = service.sign_up(db.session, form, broker=broker)
    return person, application


def _signed_up(person: Person, application: Application) -> dict[str, int]:
    return {"person_id": person.id, "application_id": application.id}


def _location(application_id: int) -> dict[str, str]:
    return {"Location": url_for("api_membership.get_application", application_id=application_id)}


@bp.route("/signups", methods=["POST"])
@limits.sign_up
@bp.arguments(SignUpIn)
@bp.response(201, SignedUpOut, description="Joined, with an application waiting for the time bank's brokers.")
@bp.problems(409, 429)
def sign_up(body: dict[str, Any]) -> tuple[dict[str, int], int, dict[str, str]]:
    """Join a time bank: your details and your application, in one go.

    No token needed. Take one (POST /tokens) to follow the application."""
    person, application = _sign_up(body)
    return _signed_up(person, application), 201, _location(application.id)


@bp.route("/people", methods=["POST"])
@bp.access(service.require_enroller)
@bp.arguments(EnrolIn)
@bp.response(201, SignedUpOut, description="Enrolled, with an application to review.")
@bp.problems(403, 409)
def enrol(body: dict[str, Any], actor: Person) -> tuple[dict[str, int], int, dict[str, str]]:
    """Brokers: enrol someone who is not online, with their application to your time bank.

    If they have an email address, POST /people/{person_id}/password-links makes them a link to choose a
    password, so that they can sign in."""
    person, application = _sign_up(body, broker=actor)
    return _signed_up(person, application), 201, {
        "Location": url_for("api_profiles.get_profile", holder_id=person.id)
    }


def _summary(application: Application) -> dict[str, Any]:
    holder = db.session.get(Holder, application.holder_id)
    assert holder is not None
    return {"id": application.id, "time_bank_id": application.time_bank_id, "name": holder.display_name,
            "status": application.status, "submitted_at": application.created_at}


def _detail(actor: Person, application_id: int) -> dict[str, Any]:
    """The application as ``ApplicationOut`` shows it to this actor: only their audience's fields."""
    application, access = service.visible_application(db.session, actor, application_id)
    time_bank = service.bank(db.session, application.time_bank_id)
    everything = {
        **_summary(application),
        "holder_id": application.holder_id,
        "statement": application.statement,
        "submitted_by_id": application.submitted_by_id,
        "interview_on": application.interview_on,
        "interviewed_by_id": application.interviewed_by_id,
        "references": application.references,
        "vouches": len(application.vouches),
        "vouches_needed": time_bank.vouches_needed if time_bank.vouching_enabled else None,
        "decided_by_id": application.decided_by_id,
        "decided_at": application.decided_at,
        "decision_note": application.decision_note,
        "missing_checks": service.missing_checks(db.session, application)
        if access.is_broker and application.is_open else [],
        "access": access,
    }
    audience = "broker" if access.is_broker else "applicant" if access.is_applicant else "voucher"
    return {name: value for name, value in everything.items() if name in APPLICATION_FIELDS[audience]}


@bp.route("/applications")
@bp.token_required
@bp.arguments(ApplicationListArgs, location="query")
@bp.response(200, ApplicationPageOut)
def list_applications(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Applications you may see, newest first.

    Brokers: the applications to their time banks. Members: their own and their organisations', or with
    ``to_vouch`` the open ones they may vouch for."""
    page: Page[Application] = service.list_applications(db.session, actor, **query)
    return {"items": [_summary(application) for application in page.items],
            **page_fields(page)}



@bp.route("/applications", methods=["POST"])
@bp.token_required
@bp.arguments(ApplicationIn)
@bp.response(201, ApplicationOut)
@bp.problems(409)
def apply(body: dict[str, Any], actor: Person) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Apply to a time bank.

    For yourself, for an organisation you act for, or (brokers) for someone you enrol. One open
    application per applicant per bank."""
    referees = tuple(service.Referee(**referee) for referee in body.pop("referees"))
    with fields_named_as_in_request(_REFEREES):
        application = service.apply(db.session, actor, **body, referees=referees)
    return _detail(actor, application.id), 201, _location(application.id)


@bp.route(APPLICATION)
@bp.token_required
@bp.response(200, ApplicationOut)
@bp.problems(404)
def get_application(application_id: int, actor: Person) -> dict[str, Any]:
    """One application, with the fields your part in it lets you see."""
    return _detail(actor, application_id)


@bp.route(f"{APPLICATION}/interview", methods=["POST"])
@bp.access(service.brokered_application)
@bp.arguments(InterviewIn)
@bp.response(200, ApplicationOut)
@bp.problems(403, 404, 409)
def record_interview(body: dict[str, Any], application_id: int, actor: Person) -> dict[str, Any]:
    """Brokers: record the day of the applicant's interview."""
    service.record_interview(db.session, actor, application_id, body["interview_on"])
    return _detail(actor, application_id)


@bp.route(f"{APPLICATION}/references", methods=["POST"])
@bp.access(service.application_to_add_referees)
@bp.arguments(RefereeIn)
@bp.response(201, ReferenceOut)
@bp.problems(403, 404, 409)
def add_reference(body: dict[str, Any], application_id: int, actor: Person) -> Reference:
    """The applicant or a broker names another referee while the application is open (up to 4)."""
    with fields_named_as_in_request(_REFEREE):
        reference = service.add_reference(db.session, actor, application_id, service.Referee(**body))
    return reference


@bp.route(f"{APPLICATION}/references/<{ID_CONVERTER}:reference_id>", methods=["PUT"])
@bp.access(service.brokered_application)
@bp.arguments(ReferenceOutcomeIn)
@bp.response(200, ReferenceOut)
@bp.problems(403, 404, 409)
def record_reference_outcome(body: dict[str, Any], application_id: int, reference_id: int,
                             actor: Person) -> Reference:
    """Brokers: record what a referee said."""
    reference = service.record_reference_outcome(db.session, actor, application_id, reference_id, **body)
    return reference


@bp.route(f"{APPLICATION}/vouches", methods=["POST"])
@bp.token_required
@bp.response(201, VouchOut, description="Vouched. Enough vouches send the application to a broker for sign-off.")
@bp.problems(403, 404, 409)
def vouch(application_id: int, actor: Person) -> Vouch:
    """Members of a time bank that uses community vouching: say you know the applicant. Not for yourself."""
    voucher = service.vouch(db.session, actor, application_id)
    return voucher


@bp.route(f"{APPLICATION}/approve", methods=["POST"])
@bp.access(service.brokered_application)
@bp.arguments(ApplicationApproveIn, required=False)
@bp.response(200, ApplicationOut, description="Approved: the applicant's account in the time bank is open.")
@bp.problems(403, 404, 409)
def approve(body: dict[str, Any], application_id: int, actor: Person) -> dict[str, Any]:
    """Brokers: approve the application. Who decided and when are recorded.

    While checks are not done yet (the application's ``missing_checks``), it is approved only with
    ``approve_anyway``; otherwise the answer is a 409 ``checks-missing`` that lists them."""
    service.approve(db.session, actor, application_id, body["note"], approve_anyway=body["approve_anyway"])
    return _detail(actor, application_id)


@bp.route(f"{APPLICATION}/decline", methods=["POST"])
@bp.access(service.brokered_application)
@bp.arguments(ApplicationDeclineIn)
@bp.response(200, ApplicationOut)
@bp.problems(403, 404, 409)
def decline(body: dict[str, Any], application_id: int, actor: Person) -> dict[str, Any]:
    """Brokers: decline the application, saying why. Who decided and when are recorded."""
    service.decline(db.session, actor, application_id, body["note"])
    return _detail(actor, application_id)


@bp.route(f"{APPLICATION}/withdraw", methods=["POST"])
@bp.token_required
@bp.response(200, ApplicationOut)
@bp.problems(403, 404, 409)
def withdraw(application_id: int, actor: Person) -> dict[str, Any]:
    """The applicant: withdraw an open application."""
    service.withdraw(db.session, actor, application_id)
    return _detail(actor, application_id)
