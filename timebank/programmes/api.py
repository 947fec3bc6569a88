"""Funders, programmes, outcome tags and in-kind records over the JSON API. Each call: decide access
(``programmes.policy`` or the service's own check) → parse → one service call → respond; the blueprint
commits. Another funder's programme is a 404, as if it did not exist."""

from __future__ import annotations

from typing import Any

from timebank.activities.models import InKindContribution
from timebank.api.core import ApiBlueprint
from timebank.api.schemas import page_fields
from timebank.db import db
from timebank.members.models import Person
from timebank.programmes import policy, service
from timebank.programmes.models import Funder, Programme, ProgrammeOutcome, ProgrammeScope
from timebank.programmes.schemas import (
    FunderDetailOut,
    FunderIn,
    FunderMemberIn,
    FunderOut,
    InKindArgs,
    InKindIn,
    InKindOut,
    InKindPageOut,
    OutcomeIn,
    OutcomeOut,
    OutcomeSetIn,
    ProgrammeDetailOut,
    ProgrammeDetailsIn,
    ProgrammeIn,
    ProgrammeOut,
    ScopeIn,
    ScopeOut,
    TagsIn,
    TagsOut,
)
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_programmes", __name__, url_prefix="/api/v1",
    description="Funders and the programmes they fund: scopes, outcomes (their own or the seven well-being goals "
                "of Wales), the outcome tags organisations put on activities and roles, and in-kind contributions.",
)

FUNDER = f"/funders/<{ID_CONVERTER}:funder_id>"
PROGRAMME = f"/programmes/<{ID_CONVERTER}:programme_id>"
IN_KIND = f"/organisations/<{ID_CONVERTER}:organisation_id>/in-kind"


# --- funders (admins) --------------------------------------------------------------------------------


def _funder_out(funder: Funder) -> dict[str, Any]:
    return {"id": funder.id, "name": funder.name, "name_cy": funder.name_cy, "created_at": funder.created_at,
            "members": service.funder_members(db.session, funder.id)}


@bp.route("/funders")
@bp.access(policy.require_admin)
@bp.response(200, FunderOut(many=True))
@bp.problems(403)
def list_funders(actor: Person) -> list[Funder]:
    """Every funder, by name (admins)."""
    return service.funders(db.session)


@bp.route("/funders", methods=["POST"])
@bp.access(policy.require_admin)
@bp.arguments(FunderIn)
@bp.response(201, FunderOut)
@bp.problems(403, 409)
def create_funder(body: dict[str, Any], actor: Person) -> Funder:
    """Add a funder (admins)."""
    return service.create_funder(db.session, actor, body["name"], body["name_cy"])


@bp.route(FUNDER)
@bp.access(service.get_funder)
@bp.response(200, FunderDetailOut)
@bp.problems(403, 404)
def get_funder(funder_id: int, actor: Person) -> dict[str, Any]:
    """A funder and who reads its reports (admins)."""
    return _funder_out(service.get_funder(db.session, actor, funder_id))


@bp.route(FUNDER, methods=["PUT"])
@bp.access(service.get_funder)
@bp.arguments(FunderIn)
@bp.response(200, FunderOut)
@bp.problems(403, 404, 409)
def rename_funder(body: dict[str, Any], funder_id: int, actor: Person) -> Funder:
    """Rename a funder, in English and Welsh (admins)."""
    return service.rename_funder(db.session, actor, funder_id, body["name"], body["name_cy"])


@bp.route(f"{FUNDER}/members", methods=["POST"])
@bp.access(service.get_funder)
@bp.arguments(FunderMemberIn)
@bp.response(201, FunderDetailOut)
@bp.problems(403, 404, 409)
def add_funder_member(body: dict[str, Any], funder_id: int, actor: Person) -> dict[str, Any]:
    """Let someone already signed up read the funder's programmes (admins). Holding no account and
    brokering nothing, they then see aggregates only."""
    service.add_funder_member(db.session, actor, funder_id, body["email"])
    return _funder_out(service.get_funder(db.session, actor, funder_id))


@bp.route(f"{FUNDER}/members/<{ID_CONVERTER}:reader_id>", methods=["DELETE"])
@bp.access(service.get_funder)
@bp.response(204)
@bp.problems(403, 404)
def remove_funder_member(funder_id: int, reader_id: int, actor: Person) -> None:
    """They no longer read the funder's programmes (admins)."""
    service.remove_funder_member(db.session, actor, funder_id, reader_id)


# --- programmes ------------------------------------------------------------------------------------


def _programme_out(programme: Programme) -> dict[str, Any]:
    return {**{name: getattr(programme, name) for name in ProgrammeOut().fields},
            "scopes": service.programme_scopes(db.session, programme.id),
            "outcomes": service.programme_outcomes(db.session, programme.id)}


@bp.route("/programmes")
@bp.token_required
@bp.response(200, ProgrammeOut(many=True))
def list_programmes(actor: Person) -> list[Programme]:
    """The programmes you may read: your funders' (a funder's reader), those with a scope in a bank you broker
    (a broker), or all (an admin); latest first."""
    return policy.readable_programmes(db.session, actor)


@bp.route("/programmes", methods=["POST"])
@bp.access(policy.require_creator)
@bp.arguments(ProgrammeIn)
@bp.response(201, ProgrammeDetailOut)
@bp.problems(403, 404)
def create_programme(body: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Add a programme with what it covers first (admins; brokers, in a bank they broker)."""
    return _programme_out(service.create_programme(db.session, actor, body["funder_id"], body["details"],
                                                   body["scope"]))


@bp.route(PROGRAMME)
@bp.access(policy.require_readable)
@bp.response(200, ProgrammeDetailOut)
@bp.problems(404)
def get_programme(programme_id: int, actor: Person) -> dict[str, Any]:
    """A programme with its scopes and outcomes (404 for one you may not read)."""
    return _programme_out(policy.require_readable(db.session, actor, programme_id))


@bp.route(PROGRAMME, methods=["PUT"])
@bp.access(policy.require_manageable)
@bp.arguments(ProgrammeDetailsIn)
@bp.response(200, ProgrammeDetailOut)
@bp.problems(403, 404)
def update_programme(details: service.ProgrammeDetails, programme_id: int, actor: Person) -> dict[str, Any]:
    """Change a programme's details (admins; a broker of every bank it covers)."""
    return _programme_out(service.update_programme(db.session, actor, programme_id, details))


@bp.route(f"{PROGRAMME}/scopes", methods=["POST"])
@bp.access(policy.require_manageable)
@bp.arguments(ScopeIn)
@bp.response(201, ScopeOut)
@bp.problems(403, 404, 409)
def add_scope(body: dict[str, Any], programme_id: int, actor: Person) -> ProgrammeScope:
    """Cover a whole bank, one organisation's work in it, or one activity (a broker: in banks they broker)."""
    return service.add_scope(db.session, actor, programme_id, service.ScopeDetails(**body))


@bp.route(f"{PROGRAMME}/scopes/<{ID_CONVERTER}:scope_id>", methods=["DELETE"])
@bp.access(policy.require_manageable)
@bp.response(204)
@bp.problems(403, 404, 409)
def remove_scope(programme_id: int, scope_id: int, actor: Person) -> None:
    """Stop covering this (a programme keeps at least one scope)."""
    service.remove_scope(db.session, actor, programme_id, scope_id)


@bp.route(f"{PROGRAMME}/outcomes", methods=["POST"])
@bp.access(policy.require_manageable)
@bp.arguments(OutcomeIn)
@bp.response(201, OutcomeOut)
@bp.problems(403, 404, 409)
def add_outcome(body: dict[str, Any], programme_id: int, actor: Person) -> ProgrammeOutcome:
    """Add one of the programme's own outcomes."""
    return service.add_outcome(db.session, actor, programme_id, body["name"], body["name_cy"])


@bp.route(f"{PROGRAMME}/outcome-sets", methods=["POST"])
@bp.access(policy.require_manageable)
@bp.arguments(OutcomeSetIn)
@bp.response(201, OutcomeOut(many=True))
@bp.problems(403, 404)
def add_outcome_set(body: dict[str, Any], programme_id: int, actor: Person) -> list[ProgrammeOutcome]:
    """Copy a ready-made set's outcomes (those the programme lacks); returns the ones added."""
    return service.add_outcome_set(db.session, actor, programme_id, body["set_code"])


@bp.route(f"{PROGRAMME}/outcomes/<{ID_CONVERTER}:outcome_id>", methods=["DELETE"])
@bp.access(policy.require_manageable)
@bp.response(204)
@bp.problems(403, 404)
def remove_outcome(programme_id: int, outcome_id: int, actor: Person) -> None:
    """Remove an outcome, and every tag on it."""
    service.remove_outcome(db.session, actor, programme_id, outcome_id)


# --- outcome tags ----------------------------------------------------------------------------------

ACTIVITY_OUTCOMES = f"/activities/<{ID_CONVERTER}:activity_id>/outcomes"
ROLE_OUTCOMES = f"/roles/<{ID_CONVERTER}:activity_role_id>/outcomes"


@bp.route(ACTIVITY_OUTCOMES)
@bp.access(service.activity_to_tag)
@bp.response(200, TagsOut)
@bp.problems(403, 404)
def activity_outcomes(activity_id: int, actor: Person) -> dict[str, Any]:
    """The activity's outcome tags, and the outcomes it may have (those who run it)."""
    activity = service.activity_to_tag(db.session, actor, activity_id)
    return {"outcome_ids": sorted(service.tags_of(db.session, activity).activity),
            "available": service.covering_outcomes(db.session, activity)}


@bp.route(ACTIVITY_OUTCOMES, methods=["PUT"])
@bp.access(service.activity_to_tag)
@bp.arguments(TagsIn)
@bp.response(200, TagsOut)
@bp.problems(403, 404)
def set_activity_outcomes(body: dict[str, Any], activity_id: int, actor: Person) -> dict[str, Any]:
    """Tag the activity with exactly these outcomes of the programmes that cover it."""
    tagged = service.set_activity_outcomes(db.session, actor, activity_id, body["outcome_ids"])
    return {"outcome_ids": sorted(tagged),
            "available": service.covering_outcomes(db.session, service.activity_to_tag(db.session, actor, activity_id))}


def _role_tags(actor: Person, role_id: int) -> dict[str, Any]:
    role = service.role_to_tag(db.session, actor, role_id)
    return {"outcome_ids": sorted(service.role_outcome_ids(db.session, role.id)),
            "available": service.covering_outcomes(db.session, role.activity)}


@bp.route(ROLE_OUTCOMES)
@bp.access(service.role_to_tag)
@bp.response(200, TagsOut)
@bp.problems(403, 404)
def role_outcomes(activity_role_id: int, actor: Person) -> dict[str, Any]:
    """A role's outcome tags, and the outcomes it may have (those who run its activity)."""
    return _role_tags(actor, activity_role_id)


@bp.route(ROLE_OUTCOMES, methods=["PUT"])
@bp.access(service.role_to_tag)
@bp.arguments(TagsIn)
@bp.response(200, TagsOut)
@bp.problems(403, 404)
def set_role_outcomes(body: dict[str, Any], activity_role_id: int, actor: Person) -> dict[str, Any]:
    """Tag the role with exactly these outcomes of the programmes that cover its activity."""
    service.set_role_outcomes(db.session, actor, activity_role_id, body["outcome_ids"])
    return _role_tags(actor, activity_role_id)


# --- in-kind contributions ---------------------------------------------------------------------------


@bp.route(IN_KIND)
@bp.access(service.in_kind_banks)
@bp.arguments(InKindArgs, location="query")
@bp.response(200, InKindPageOut)
@bp.problems(403, 404)
def list_in_kind(query: dict[str, Any], organisation_id: int, actor: Person) -> dict[str, Any]:
    """The organisation's in-kind records in one bank, newest first (its admins; the bank's brokers)."""
    bank_id = query["time_bank_id"] or service.in_kind_banks(db.session, actor, organisation_id)[0]
    page = service.list_in_kind(db.session, actor, organisation_id, bank_id, page=query["page"],
                                per_page=query["per_page"])
    return {"items": page.items, **page_fields(page)}


@bp.route(IN_KIND, methods=["POST"])
@bp.access(service.in_kind_banks)
@bp.arguments(InKindIn)
@bp.response(201, InKindOut)
@bp.problems(403, 404)
def record_in_kind(details: service.InKindDetails, organisation_id: int, actor: Person) -> InKindContribution:
    """Record what the organisation gave on a day: a room, equipment, training, staff time, funds."""
    return service.record_in_kind(db.session, actor, organisation_id, details)


@bp.route(f"{IN_KIND}/<{ID_CONVERTER}:in_kind_id>", methods=["PUT"])
@bp.access(service.require_in_kind_corrector)
@bp.arguments(InKindIn)
@bp.response(200, InKindOut)
@bp.problems(403, 404)
def correct_in_kind(details: service.InKindDetails, organisation_id: int, in_kind_id: int,
                    actor: Person) -> InKindContribution:
    """Correct a mistake in one record (the organisation's admins; audited with what it said before)."""
    return service.correct_in_kind(db.session, actor, organisation_id, in_kind_id, details)
