"""Matching over the JSON API: the ranked candidates for a request, a role or a session (brokers of its
bank), a bank's weights (read and set, brokers), and the things the caller could help with. Each call is:
parse → one ``matching`` call → respond."""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import page_fields
from timebank.db import db
from timebank.matching import engine, for_me, service
from timebank.matching.schemas import ForMeArgs, MatchArgs, MatchesOut, SuggestionsOut, WeightsIn, WeightsOut
from timebank.members.models import Person
from timebank.types import ID_CONVERTER

bp = ApiBlueprint("api_matching", __name__, url_prefix="/api/v1",
                  description="Explainable matching: candidates for requests, roles and sessions ranked with "
                              "their reasons (brokers), each bank's weights, and what you could help with.")


def _matches(thing: engine.Thing, page: int) -> dict[str, Any]:
    matches = service.find(db.session, thing, page)
    return {**page_fields(matches.candidates), "thing": thing, "weights": matches.weights,
            "left_out": matches.left_out, "items": [
                {"person_id": c.person_id, "name": c.name, "district": c.district, "total": c.total,
                 "components": [{"name": p.name, "score": p.score, "weight": p.weight, "points": p.points,
                                 "reason": str(p.reason)} for p in c.components]}
                for c in matches.candidates.items]}


@bp.route(f"/matching/requests/<{ID_CONVERTER}:request_id>")
@bp.access(service.require_broker)
@bp.arguments(MatchArgs, location="query")
@bp.response(200, MatchesOut)
@bp.problems(403, 404)
def for_request(query: dict[str, Any], request_id: int, actor: Person) -> dict[str, Any]:
    """People who could help with a request, best first, each with the reasons for their score, and how many
    were left out for each reason."""
    return _matches(service.request_for(db.session, actor, request_id), query["page"])


@bp.route(f"/matching/roles/<{ID_CONVERTER}:activity_role_id>")
@bp.access(service.require_broker)
@bp.arguments(MatchArgs, location="query")
@bp.response(200, MatchesOut)
@bp.problems(403, 404)
def for_role(query: dict[str, Any], activity_role_id: int, actor: Person) -> dict[str, Any]:
    """People who could take a role, best first (a clearance the role needs is checked for today)."""
    return _matches(service.role_for(db.session, actor, activity_role_id), query["page"])


@bp.route(f"/matching/sessions/<{ID_CONVERTER}:session_id>")
@bp.access(service.require_broker)
@bp.arguments(MatchArgs, location="query")
@bp.response(200, MatchesOut)
@bp.problems(403, 404)
def for_session(query: dict[str, Any], session_id: int, actor: Person) -> dict[str, Any]:
    """People who could help at one session, best first (a clearance is checked for the session's day)."""
    return _matches(service.session_for(db.session, actor, session_id), query["page"])


@bp.route(f"/matching/banks/<{ID_CONVERTER}:bank_id>/weights")
@bp.access(service.require_broker)
@bp.response(200, WeightsOut)
@bp.problems(403, 404)
def get_weights(bank_id: int, actor: Person) -> dict[str, int]:
    """The bank's weight for each part of a candidate's score (the defaults until a broker sets them)."""
    return service.weights_for(db.session, actor, bank_id)


@bp.route(f"/matching/banks/<{ID_CONVERTER}:bank_id>/weights", methods=["PUT"])
@bp.access(service.require_broker)
@bp.arguments(WeightsIn)
@bp.response(200, WeightsOut)
@bp.problems(403, 404)
def put_weights(body: dict[str, int], bank_id: int, actor: Person) -> dict[str, int]:
    """Set every weight, each a whole number from 0 (not counted) to 100. Audited."""
    return service.set_weights(db.session, actor, bank_id, body)


@bp.route("/me/could-help-with")
@bp.token_required
@bp.arguments(ForMeArgs, location="query")
@bp.response(200, SuggestionsOut)
def could_help_with(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Open requests and sessions still to come, in your time banks, that fit what you can do, best fit first.
    Never a session whose role needs a clearance you will not hold on its day."""
    found = for_me.things_for(db.session, actor, page=query["page"])
    return {**page_fields(found), "items": found.items}
