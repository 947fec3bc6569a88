"""Participants' voice over the JSON API: the caller's own answer about a session they came to or an
exchange they were a side of, a broker's entry of an answer given on paper, and the answers with their
comments for the bank's brokers and the organisation's admins. Each call: parse → one service call →
respond; the blueprint commits."""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import PageArgs, page_fields
from timebank.db import db
from timebank.feedback import service
from timebank.feedback.models import Channel, FeedbackAnswer
from timebank.feedback.schemas import FeedbackIn, FeedbackOut, FeedbackPageOut, OwnFeedbackOut, PaperFeedbackIn
from timebank.feedback.service import Answers, ThingKind
from timebank.members.models import Person
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_feedback", __name__, url_prefix="/api/v1",
    description="Participants' voice: how a session or an exchange went, said by those who took part (or "
                "typed in from paper by a broker), read with comments only by the bank's brokers and the "
                "organisation's admins. Reports see counts only.",
)

EXCHANGE = f"/exchanges/<{ID_CONVERTER}:exchange_id>/feedback"
SESSION = f"/sessions/<{ID_CONVERTER}:session_id>/feedback"


def _own(kind: ThingKind, thing_id: int, actor: Person) -> dict[str, Any]:
    thing = service.own(db.session, actor, kind, thing_id)
    return {"answer": service.current_answer(db.session, thing, actor.id)}


def _put(kind: ThingKind, thing_id: int, actor: Person, answers: Answers) -> FeedbackAnswer:
    thing = service.own(db.session, actor, kind, thing_id)
    return service.answer(db.session, thing, actor.id, answers, channel=Channel.PAGE)


def _paper(kind: ThingKind, thing_id: int, actor: Person, body: dict[str, Any]) -> FeedbackAnswer:
    thing = service.brokered(db.session, actor, kind, thing_id)
    return service.answer(db.session, thing, body["person_id"], body["answers"], channel=Channel.PAPER,
                          recorded_by_id=actor.id)


@bp.route(EXCHANGE)
@bp.access(service.own_exchange)
@bp.response(200, OwnFeedbackOut)
@bp.problems(403, 404, 409)
def get_exchange_answer(exchange_id: int, actor: Person) -> dict[str, Any]:
    """Your answer about a confirmed exchange you were a side of (about its session, for attendance)."""
    return _own(ThingKind.EXCHANGE, exchange_id, actor)


@bp.route(EXCHANGE, methods=["PUT"])
@bp.access(service.own_exchange)
@bp.arguments(FeedbackIn)
@bp.response(200, FeedbackOut)
@bp.problems(403, 404, 409)
def put_exchange_answer(answers: Answers, exchange_id: int, actor: Person) -> FeedbackAnswer:
    """Say how it went, or change what you said. Every question is optional, but answer at least one."""
    return _put(ThingKind.EXCHANGE, exchange_id, actor, answers)


@bp.route(SESSION)
@bp.access(service.own_session)
@bp.response(200, OwnFeedbackOut)
@bp.problems(403, 404)
def get_session_answer(session_id: int, actor: Person) -> dict[str, Any]:
    """Your answer about a session you came to."""
    return _own(ThingKind.SESSION, session_id, actor)


@bp.route(SESSION, methods=["PUT"])
@bp.access(service.own_session)
@bp.arguments(FeedbackIn)
@bp.response(200, FeedbackOut)
@bp.problems(403, 404)
def put_session_answer(answers: Answers, session_id: int, actor: Person) -> FeedbackAnswer:
    """Say how the session went, or change what you said."""
    return _put(ThingKind.SESSION, session_id, actor, answers)


@bp.route(f"{SESSION}/paper", methods=["POST"])
@bp.access(service.brokered_session)
@bp.arguments(PaperFeedbackIn)
@bp.response(200, FeedbackOut)
@bp.problems(403, 404)
def paper_session_answer(body: dict[str, Any], session_id: int, actor: Person) -> FeedbackAnswer:
    """A broker of the bank types in an answer someone who came gave on paper."""
    return _paper(ThingKind.SESSION, session_id, actor, body)


@bp.route(f"{EXCHANGE}/paper", methods=["POST"])
@bp.access(service.brokered_exchange)
@bp.arguments(PaperFeedbackIn)
@bp.response(200, FeedbackOut)
@bp.problems(403, 404, 409)
def paper_exchange_answer(body: dict[str, Any], exchange_id: int, actor: Person) -> FeedbackAnswer:
    """A broker of the bank types in an answer a person side of the exchange gave on paper."""
    return _paper(ThingKind.EXCHANGE, exchange_id, actor, body)


@bp.route(f"/banks/<{ID_CONVERTER}:bank_id>/feedback")
@bp.access(service.require_bank_reader)
@bp.arguments(PageArgs, location="query")
@bp.response(200, FeedbackPageOut)
@bp.problems(403)
def bank_answers(query: dict[str, Any], bank_id: int, actor: Person) -> dict[str, Any]:
    """The bank's answers with comments, newest first: for its brokers."""
    page = service.bank_answers(db.session, actor, bank_id, page=query["page"], per_page=query["per_page"])
    return {"items": page.items, **page_fields(page)}


@bp.route(f"/organisations/<{ID_CONVERTER}:organisation_id>/feedback")
@bp.access(service.require_organisation_reader)
@bp.arguments(PageArgs, location="query")
@bp.response(200, FeedbackPageOut)
@bp.problems(403)
def organisation_answers(query: dict[str, Any], organisation_id: int, actor: Person) -> dict[str, Any]:
    """The answers about an organisation's sessions and exchanges, newest first: for its admins."""
    page = service.organisation_answers(db.session, actor, organisation_id, page=query["page"],
                                        per_page=query["per_page"])
    return {"items": page.items, **page_fields(page)}
