"""Exchanges over the JSON API: propose, answer, cancel, reverse, list and read.

Each write is: parse → one ``exchanges.service`` call → respond (the blueprint commits). Every rule is the
service's; a refusal is a ``DomainError`` that the app-wide handler rolls back and turns into problem+json.
"""

from __future__ import annotations

from typing import Any

from flask import g, url_for
from sqlalchemy.orm import Session

from timebank import heads_up as heads_ups
from timebank.api.core import ApiBlueprint
from timebank.api.schemas import fields_named_as_in_request
from timebank.db import db
from timebank.exchanges import disputes, service
from timebank.exchanges.models import Dispute
from timebank.exchanges.schemas import (
    ConfirmArgs,
    ConfirmOut,
    DeclineIn,
    DisputeIn,
    DisputeListArgs,
    DisputeOut,
    DisputePageOut,
    ExchangeIn,
    ExchangeListArgs,
    ExchangeOut,
    ExchangePageOut,
    ResolveIn,
    ReverseIn,
)
from timebank.ledger.models import Exchange
from timebank.members.models import Person
from timebank.pagination import Page
from timebank.types import ID_CONVERTER

bp = ApiBlueprint("api_exchanges", __name__, url_prefix="/api/v1", description="Exchanges of time.")

EXCHANGE = f"/exchanges/<{ID_CONVERTER}:exchange_id>"
DISPUTE = f"/disputes/<{ID_CONVERTER}:dispute_id>"

#: The service names fields as the pages' form does; the API's request body names them by id.
_REQUEST_FIELDS = {"account": "account_id", "counterpart": "counterpart_account_id"}


def _summaries(exchanges: list[Exchange]) -> list[dict[str, Any]]:
    """Exchanges ready for ``ExchangeSummaryOut``: names and category codes in one query each."""
    names = service.holder_names(db.session, exchanges)
    codes = service.category_codes(db.session, exchanges)
    return [_summary(exchange, names, codes) for exchange in exchanges]


def _summary(exchange: Exchange, names: dict[int, str], codes: dict[int, str]) -> dict[str, Any]:
    return {
        "id": exchange.id,
        "time_bank_id": exchange.time_bank_id,
        "kind": exchange.kind,
        "state": exchange.state,
        "receiver_account_id": exchange.receiver_account_id,
        "receiver_name": names.get(exchange.receiver_account_id, ""),
        "giver_account_id": exchange.giver_account_id,
        "giver_name": names.get(exchange.giver_account_id, ""),
        "proposer_account_id": exchange.proposer_account_id,
        "amount_minutes": exchange.amount_minutes,
        "occurred_on": exchange.occurred_on,
        "category": codes.get(exchange.category_id, ""),
        "description": exchange.description,
        "family_tie": exchange.family_tie,
        "reverses_exchange_id": exchange.reverses_exchange_id,
        "recorded_by_id": exchange.recorded_by_id,
        "created_at": exchange.created_at,
    }


def _detail(actor: Person, exchange_id: int) -> dict[str, Any]:
    """One exchange as ``ExchangeOut`` shows it to this actor, with its history and their actions. A route
    that has just written the exchange passes the id of the one it holds, so it is not read again (the
    session keeps only objects someone holds)."""
    page = service.exchange_page(db.session, actor, exchange_id)
    exchange = page.exchange
    return {
        **_summary(exchange, page.names, {exchange.category_id: page.category_code}),
        "recorded_by_name": page.recorded_by_name,
        "reversed_by_exchange_id": page.reversed_by_id,
        "history": [
            {
                "from_state": entry.event.from_state,
                "to_state": entry.event.to_state,
                "actor_id": entry.event.actor_id,
                "actor_name": entry.actor_name,
                "acting_for_account_id": entry.acting_for_account_id,
                "on_behalf": entry.on_behalf,
                "at": entry.event.at,
                "note": entry.event.note,
            }
            for entry in page.history
        ],
        "allowed_actions": sorted(page.actions),
    }


def _location(exchange_id: int) -> dict[str, str]:
    return {"Location": url_for("api_exchanges.get_exchange", exchange_id=exchange_id)}


@bp.route("/exchanges")
@bp.token_required
@bp.arguments(ExchangeListArgs, location="query")
@bp.response(200, ExchangePageOut)
def list_exchanges(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Exchanges you may see (your own; a broker's whole bank), newest first: by the day of the help, then the
    order recorded."""
    page = service.list_exchanges(db.session, actor, **query)
    return {"items": _summaries(page.items), "per_page": page.per_page, "older": page.older, "newer": page.newer}


@bp.route("/exchanges", methods=["POST"])
@bp.access(service.require_an_account)
@bp.arguments(ExchangeIn)
@bp.response(201, ExchangeOut, description="Recorded, pending the other side's confirmation.")
@bp.alt_response(200, schema=ExchangeOut, success=True,
                 description="A replay of an earlier request with the same idempotency key: nothing new.")
@bp.problems(404, 409, 422)
def propose(proposal: dict[str, Any], actor: Person) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Record an exchange for an account you act for; the other side confirms or declines it."""
    with fields_named_as_in_request(_REQUEST_FIELDS):
        exchange, created = service.propose(db.session, actor, service.Proposal(**proposal))
    return _detail(actor, exchange.id), 201 if created else 200, _location(exchange.id)


@bp.route(EXCHANGE)
@bp.token_required
@bp.response(200, ExchangeOut)
@bp.problems(404)
def get_exchange(exchange_id: int, actor: Person) -> dict[str, Any]:
    """One exchange with its history and what you may do with it now."""
    return _detail(actor, exchange_id)


def _visible_and_held(session: Session, actor: Person, exchange_id: int) -> None:
    """``service.visible_exchange`` as the access rule, keeping the exchange for the request: the session keeps
    only objects someone holds, and confirming it would otherwise read it again."""
    g.exchange_held = service.visible_exchange(session, actor, exchange_id)


@bp.route(f"{EXCHANGE}/confirm", methods=["POST"])
@bp.access(_visible_and_held)
@bp.arguments(ConfirmArgs, location="query")
@bp.response(200, ConfirmOut)
@bp.problems(403, 404, 409, 422)
def confirm(query: dict[str, Any], exchange_id: int, actor: Person) -> dict[str, Any]:
    """Agree to an exchange the other side recorded: the minutes are posted.

    With ``dry_run=true`` nothing is posted: you get the exchange as it stands and any heads-up
    (``warnings``) to read before going ahead, then confirm without ``dry_run`` if you choose to."""
    if query["dry_run"]:
        exchange = service.actionable(db.session, actor, exchange_id, service.Action.CONFIRM)
        warnings = heads_ups.for_exchange(db.session, actor, exchange)
        return {**_detail(actor, exchange.id), "dry_run": True, "warnings": warnings}
    answered = service.confirm(db.session, actor, exchange_id)
    return {**_detail(actor, answered.id), "dry_run": False, "warnings": []}


@bp.route(f"{EXCHANGE}/decline", methods=["POST"])
@bp.access(service.visible_exchange)
@bp.arguments(DeclineIn, required=False)
@bp.response(200, ExchangeOut)
@bp.problems(403, 404, 409)
def decline(body: dict[str, Any], exchange_id: int, actor: Person) -> dict[str, Any]:
    """Say an exchange the other side recorded did not happen like that. Nothing is posted."""
    answered = service.decline(db.session, actor, exchange_id, note=body["note"])
    return _detail(actor, answered.id)


@bp.route(f"{EXCHANGE}/cancel", methods=["POST"])
@bp.token_required
@bp.response(200, ExchangeOut)
@bp.problems(403, 404, 409)
def cancel(exchange_id: int, actor: Person) -> dict[str, Any]:
    """Withdraw an exchange your side recorded, before it is confirmed."""
    answered = service.cancel(db.session, actor, exchange_id)
    return _detail(actor, answered.id)


@bp.route(f"{EXCHANGE}/reverse", methods=["POST"])
@bp.access(service.visible_exchange)
@bp.arguments(ReverseIn)
@bp.response(201, ExchangeOut, description="The reversal: a new, confirmed exchange the other way.")
@bp.problems(403, 404, 409, 422)
def reverse(body: dict[str, Any], exchange_id: int, actor: Person) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Brokers: undo a confirmed exchange with a new one the other way. Both exchanges stay in the records."""
    reversal = service.reverse(db.session, actor, exchange_id, body["reason"])
    return _detail(actor, reversal.id), 201, _location(reversal.id)


# --- disputes --------------------------------------------------------------------------------------


@bp.route(f"{EXCHANGE}/disputes")
@bp.token_required
@bp.response(200, DisputeOut(many=True))
@bp.problems(404)
def exchange_disputes(exchange_id: int, actor: Person) -> list[Dispute]:
    """The exchange's disputes you may see: your side's, or, for its brokers, all of them."""
    return disputes.disputes_of_exchange(db.session, actor, exchange_id)


@bp.route(f"{EXCHANGE}/disputes", methods=["POST"])
@bp.access(service.visible_exchange)
@bp.arguments(DisputeIn)
@bp.response(201, DisputeOut, description="Raised: the bank's brokers are told.")
@bp.alt_response(200, schema=DisputeOut, success=True,
                 description="The same dispute sent again (same side and reason) while it is open: the first "
                             "one, unchanged, and nobody is told twice. Any other dispute while one is open is a 409.")
@bp.problems(404, 409, 422)
def raise_dispute(body: dict[str, Any], exchange_id: int, actor: Person) -> tuple[Dispute, int, dict[str, str]]:
    """Ask the bank's brokers to look at a confirmed exchange you (or someone you act for) took part in.

    One open dispute per exchange. A broker ends it by reversing the exchange or with a note."""
    with fields_named_as_in_request({"account": "account_id"}):
        dispute, created = disputes.raise_dispute(db.session, actor, exchange_id, body["reason"], body["account_id"])
    return dispute, 201 if created else 200, {"Location": url_for("api_exchanges.get_dispute", dispute_id=dispute.id)}


@bp.route("/disputes")
@bp.access(disputes.require_brokers)
@bp.arguments(DisputeListArgs, location="query")
@bp.response(200, DisputePageOut)
@bp.problems(403)
def list_disputes(query: dict[str, Any], actor: Person) -> Page[Dispute]:
    """Brokers: disputes in the banks you run; open ones oldest first, ended ones latest first."""
    return disputes.queue(db.session, actor, status=query.get("status"), time_bank_id=query.get("time_bank_id"),
                          page=query["page"], per_page=query["per_page"])


@bp.route(DISPUTE)
@bp.token_required
@bp.response(200, DisputeOut)
@bp.problems(404)
def get_dispute(dispute_id: int, actor: Person) -> Dispute:
    """One dispute: for its bank's brokers and the side that raised it."""
    return disputes.visible_dispute(db.session, actor, dispute_id)


@bp.route(f"{DISPUTE}/resolve", methods=["POST"])
@bp.access(disputes.resolvable_dispute)
@bp.arguments(ResolveIn)
@bp.response(200, DisputeOut)
@bp.problems(403, 404, 409, 422)
def resolve_dispute(body: dict[str, Any], dispute_id: int, actor: Person) -> Dispute:
    """Brokers: end a dispute by reversing the exchange (the note is the reversal's reason) or with a note
    saying why it stands. The side that raised it gets a notice."""
    with fields_named_as_in_request({"reason": "note", "minutes": "outcome"}):
        dispute = disputes.resolve(db.session, actor, dispute_id, body["outcome"], body["note"])
    return dispute
