"""Brokerage over the JSON API: introductions (made by a bank's brokers, answered by each side or a broker
for them), each member's own introductions and messages, the brokers' lists, contact notes, the
dashboard's figures and the bank's conversion. Each call: parse → one service call → respond; the
blueprint commits."""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import PageArgs, page_fields
from timebank.banks.service import brokered_bank
from timebank.brokerage import contact, queries, service
from timebank.brokerage.models import BrokerNote, Introduction, Message
from timebank.brokerage.schemas import (
    AnswerIn,
    ContactNoteIn,
    ContactNoteListArgs,
    ContactNoteOut,
    ContactNotePageOut,
    ConversionArgs,
    ConversionOut,
    DashboardOut,
    IntroduceIn,
    IntroductionListArgs,
    IntroductionOut,
    IntroductionPageOut,
    MessageIn,
    MessageListArgs,
    MessageOut,
    MessagePageOut,
    MyMessageIn,
    PassedOnOut,
)
from timebank.clock import uk_today
from timebank.db import db, writes
from timebank.mail import service as mail
from timebank.members.models import Person
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_brokerage", __name__, url_prefix="/api/v1",
    description="Brokerage: introductions between members and requests or roles, brokers' contact notes, "
                "messages between members and their brokers, and the broker's dashboard.",
)

INTRODUCTION = f"/brokerage/introductions/<{ID_CONVERTER}:introduction_id>"
BANK = f"/brokerage/banks/<{ID_CONVERTER}:bank_id>"


def _require_broker_of(session: Any, actor: Person, bank_id: int) -> None:
    brokered_bank(session, actor, bank_id)


@bp.route("/brokerage/introductions", methods=["POST"])
@bp.access(service.require_a_broker)
@bp.arguments(IntroduceIn)
@bp.response(201, IntroductionOut(many=True))
@bp.problems(403, 404, 409)
def introduce(body: dict[str, Any], actor: Person) -> list[Introduction]:
    """Introduce members to a request or a role (perhaps one session of it). Both sides are told."""
    return service.introduce(db.session, actor, service.NewIntroduction(**body))


@bp.route(INTRODUCTION)
@bp.token_required
@bp.response(200, IntroductionOut)
@bp.problems(404)
def get_introduction(introduction_id: int, actor: Person) -> Introduction:
    """An introduction: for the person introduced, the other side and the bank's brokers."""
    return service.visible_introduction(db.session, actor, introduction_id).introduction


@bp.route(f"{INTRODUCTION}/answer", methods=["POST"])
@bp.access(service.visible_introduction)
@bp.arguments(AnswerIn)
@bp.response(200, IntroductionOut)
@bp.problems(403, 404, 409)
def answer(body: dict[str, Any], introduction_id: int, actor: Person) -> Introduction:
    """Answer for one side. When both have accepted, the pending exchange or the sign-up is made."""
    return service.answer(db.session, actor, introduction_id, body["side"], body["answer"], body["reason"])


@bp.route(f"{INTRODUCTION}/withdraw", methods=["POST"])
@bp.token_required
@bp.response(200, IntroductionOut)
@bp.problems(403, 404, 409)
def withdraw(introduction_id: int, actor: Person) -> Introduction:
    """Withdraw a live introduction (brokers of its bank). What an accepted one led to stays."""
    return service.withdraw(db.session, actor, introduction_id)


@bp.route("/me/introductions")
@bp.token_required
@bp.arguments(PageArgs, location="query")
@bp.response(200, IntroductionPageOut)
def my_introductions(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Your introductions, as the person introduced or the side asking, newest first."""
    page = service.my_introductions(db.session, actor, page=query["page"], per_page=query["per_page"])
    return {"items": page.items, **page_fields(page)}


@bp.route(f"{BANK}/introductions")
@bp.access(_require_broker_of)
@bp.arguments(IntroductionListArgs, location="query")
@bp.response(200, IntroductionPageOut)
@bp.problems(403, 404)
def bank_introductions(query: dict[str, Any], bank_id: int, actor: Person) -> dict[str, Any]:
    """The bank's introductions, oldest first; by state if asked."""
    page = service.bank_introductions(db.session, actor, bank_id, state=query["state"], page=query["page"],
                                      per_page=query["per_page"])
    return {"items": page.items, **page_fields(page)}


@bp.route(f"{BANK}/to-pass-on/<{ID_CONVERTER}:unsent_email_id>", methods=["POST"])
@bp.access(_require_broker_of)
@bp.response(200, PassedOnOut)
@bp.problems(403, 404)
def passed_on(bank_id: int, unsent_email_id: int, actor: Person) -> Any:
    """Mark what an email would have told a member who hears through their broker as passed on (the
    dashboard's to-pass-on section lists them). Marking it again changes nothing."""
    return mail.mark_passed_on(db.session, actor, unsent_email_id)


@bp.route(f"{BANK}/conversion")
@bp.access(_require_broker_of)
@bp.arguments(ConversionArgs, location="query")
@bp.response(200, ConversionOut)
@bp.problems(403, 404)
def conversion(query: dict[str, Any], bank_id: int, actor: Person) -> queries.Conversion:
    """Of the introductions made in the period: how many were accepted, and led to an exchange or a sign-up."""
    return queries.conversion(db.session, bank_id, query["first"], query["last"])


@bp.route(BANK)
@bp.access(_require_broker_of)
@bp.response(200, DashboardOut)
@bp.problems(403, 404)
def dashboard(bank_id: int, actor: Person) -> dict[str, Any]:
    """The broker's dashboard in figures: each section counted, with its first page's ids."""
    bank = brokered_bank(db.session, actor, bank_id)
    board = queries.dashboard(db.session, actor, bank, uk_today())
    return {
        "time_bank_id": bank.id,
        "sections": {name: {"total": page.total, "total_is_lower_bound": page.total_is_lower_bound,
                            "ids": [item.id for item in page.items]} for name, page in board.sections.items()},
        "quiet_members": board.sections["quiet-members"].items,
        "expiring_checks": len(board.expiring_checks),
        "waiting_flags": (None if board.waiting_flags is None else
                          [{"severity": severity, "count": count} for severity, count in board.waiting_flags.items()]),
        "conversion": board.conversion,
    }


# --- contact notes ----------------------------------------------------------------------------------


@bp.route(f"/brokerage/people/<{ID_CONVERTER}:person_id>/notes")
@bp.access(service.require_a_broker)
@bp.arguments(ContactNoteListArgs, location="query")
@bp.response(200, ContactNotePageOut)
@bp.problems(403, 404)
def notes(query: dict[str, Any], person_id: int, actor: Person) -> dict[str, Any]:
    """A bank's contact notes about a member, newest first. Brokers of the bank only."""
    page = contact.notes_of(db.session, actor, person_id, query["time_bank_id"], page=query["page"],
                            per_page=query["per_page"])
    return {"items": page.items, **page_fields(page)}


@bp.route(f"/brokerage/people/<{ID_CONVERTER}:person_id>/notes", methods=["POST"])
@bp.access(service.require_a_broker)
@bp.arguments(ContactNoteIn)
@bp.response(201, ContactNoteOut)
@bp.problems(403, 404)
def add_note(body: dict[str, Any], person_id: int, actor: Person) -> BrokerNote:
    """Add a dated contact note. Never health or benefit details; never changed afterwards."""
    return contact.add_note(db.session, actor, person_id, body["time_bank_id"], body["contacted_on"], body["body"])


# --- messages ---------------------------------------------------------------------------------------


@bp.route("/me/messages")
@writes  # reading marks the brokers' replies read
@bp.access(contact.require_some_bank)
@bp.arguments(MessageListArgs, location="query")
@bp.response(200, MessagePageOut)
@bp.problems(404)
def my_messages(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Your conversation with a bank's brokers, newest first."""
    page = contact.conversation(db.session, actor, actor.id, query["time_bank_id"], page=query["page"],
                                per_page=query["per_page"])
    return {"items": page.items, **page_fields(page)}


@bp.route("/me/messages", methods=["POST"])
@bp.access(contact.require_some_bank)
@bp.arguments(MyMessageIn)
@bp.response(201, MessageOut)
@bp.problems(404)
def write(body: dict[str, Any], actor: Person) -> Message:
    """Write to the brokers of a bank you belong to."""
    return contact.write_to_brokers(db.session, actor, body["time_bank_id"], body["body"])


@bp.route(f"{BANK}/messages")
@bp.access(_require_broker_of)
@bp.arguments(PageArgs, location="query")
@bp.response(200, MessagePageOut)
@bp.problems(403, 404)
def waiting(query: dict[str, Any], bank_id: int, actor: Person) -> dict[str, Any]:
    """Members' messages waiting for a reply, oldest first."""
    page = contact.waiting(db.session, actor, bank_id, page=query["page"], per_page=query["per_page"])
    return {"items": page.items, **page_fields(page)}


@bp.route(f"{BANK}/messages/<{ID_CONVERTER}:person_id>")
@bp.access(_require_broker_of)
@bp.arguments(PageArgs, location="query")
@bp.response(200, MessagePageOut)
@bp.problems(403, 404)
def conversation(query: dict[str, Any], bank_id: int, person_id: int, actor: Person) -> dict[str, Any]:
    """A member's conversation with the bank's brokers, newest first."""
    page = contact.conversation(db.session, actor, person_id, bank_id, page=query["page"],
                                per_page=query["per_page"])
    return {"items": page.items, **page_fields(page)}


@bp.route(f"{BANK}/messages/<{ID_CONVERTER}:person_id>", methods=["POST"])
@bp.access(_require_broker_of)
@bp.arguments(MessageIn)
@bp.response(201, MessageOut)
@bp.problems(403, 404)
def reply(body: dict[str, Any], bank_id: int, person_id: int, actor: Person) -> Message:
    """Reply to a member: it answers every message of theirs still waiting."""
    return contact.reply(db.session, actor, person_id, bank_id, body["body"])
