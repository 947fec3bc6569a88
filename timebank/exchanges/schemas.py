"""What the exchanges API reads (``…In``, ``…Args``) and returns (``…Out``).

Input schemas check shape, type and size (with the ledger's own limits); the service decides what else
is allowed (dates, categories, accounts, balance limits) and names the field it refuses.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import (
    InputSchema,
    PageArgs,
    PageOut,
    boolean,
    choice,
    date,
    record_id,
    text,
    whole_number,
)
from timebank.categories.models import MAX_CODE
from timebank.dates import HAPPENED_IN_BANK
from timebank.exchanges.disputes import Outcome, QueueFilter
from timebank.exchanges.models import MAX_REASON, DisputeStatus
from timebank.exchanges.service import Action, Side
from timebank.ledger.models import MAX_EXCHANGE_MINUTES, ExchangeKind, ExchangeState, FamilyTie
from timebank.ledger.service import MAX_DESCRIPTION, MAX_IDEMPOTENCY_KEY
from timebank.pagination import MAX_PER_PAGE

FAMILY_TIE_DESCRIPTION = (
    "Whether the other side is someone the giver lives with (household) or a close relative (close_relative: a "
    "parent, in-law, child, step-family, brother or sister, or the partner of any of them). Help within a family "
    "is not volunteering for benefit purposes, so benefit-safe checks read it (TB-09).")


class ExchangeIn(InputSchema):
    account_id = record_id(required=True, metadata={"description": "The account you act for."})
    side = choice(
        Side, _l("Choose giver (you gave the help) or receiver (you received it)."), required=True,
        metadata={"description": "giver: the account gave the help and earns; receiver: it pays."},
    )
    counterpart_account_id = record_id(required=True, metadata={"description": "The other side's account."})
    minutes = whole_number(minimum=1, maximum=MAX_EXCHANGE_MINUTES, required=True,
                           metadata={"description": "Whole minutes, up to 24 hours."})
    occurred_on = date(required=True, metadata={"description": f"The day the help happened. {HAPPENED_IN_BANK}"})
    category = text(required=True, max_length=MAX_CODE, metadata={"description": "A category code."})
    description = text(load_default="", max_length=MAX_DESCRIPTION)
    idempotency_key = text(
        required=True, min_length=1, max_length=MAX_IDEMPOTENCY_KEY,
        metadata={"description": "Chosen by the client, unique per exchange: resending the same request "
                                 "returns the first result (200) instead of recording it twice."},
    )
    family_tie = choice(
        FamilyTie, _l("Choose household, close_relative, or leave it out."), load_default=None, allow_none=True,
        metadata={"description": FAMILY_TIE_DESCRIPTION + " Optional: leave it out (or send null) when the "
                                 "answer is no or not said. A replay must send the same answer."},
    )


class ExchangeListArgs(InputSchema):
    account_id = record_id(strict=False)
    time_bank_id = record_id(strict=False)
    state = choice(ExchangeState, _l("Choose pending, confirmed, declined, cancelled or reversed."))
    before = record_id(strict=False, metadata={
        "description": "Return the exchanges older than this one: the ``older`` of the page before."})
    after = record_id(strict=False, metadata={
        "description": "Return the exchanges newer than this one: the ``newer`` of the page before."})
    per_page = whole_number(minimum=1, maximum=MAX_PER_PAGE, strict=False, load_default=25,
                            error=_l("Enter 1 to 100."))

    @ma.validates_schema
    def _one_cursor(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("before") is not None and data.get("after") is not None:
            raise ma.ValidationError(_l("Give before or after, not both."), "after")


class DeclineIn(InputSchema):
    note = text(load_default="", max_length=MAX_DESCRIPTION,
                metadata={"description": "Why, for the person who recorded it."})


class ReverseIn(InputSchema):
    reason = text(required=True, max_length=MAX_DESCRIPTION,
                  metadata={"description": "Why the exchange is being reversed."})


class ExchangeSummaryOut(ma.Schema):
    id = fields.Integer()
    time_bank_id = fields.Integer()
    kind = fields.Enum(ExchangeKind, by_value=True)
    state = fields.Enum(ExchangeState, by_value=True)
    receiver_account_id = fields.Integer(metadata={"description": "Debited: the side that received the help."})
    receiver_name = fields.String()
    giver_account_id = fields.Integer(metadata={"description": "Credited: the side that gave the help."})
    giver_name = fields.String()
    proposer_account_id = fields.Integer()
    amount_minutes = fields.Integer()
    occurred_on = fields.Date()
    category = fields.String(metadata={"description": "Category code."})
    description = fields.String()
    family_tie = fields.Enum(FamilyTie, by_value=True, allow_none=True, metadata={
        "description": FAMILY_TIE_DESCRIPTION + " Null when the answer was no or not said."})
    reverses_exchange_id = fields.Integer(allow_none=True)
    recorded_by_id = fields.Integer()
    created_at = fields.DateTime()


class HistoryEventOut(ma.Schema):
    from_state = fields.Enum(ExchangeState, by_value=True, allow_none=True)
    to_state = fields.Enum(ExchangeState, by_value=True)
    actor_id = fields.Integer()
    actor_name = fields.String()
    acting_for_account_id = fields.Integer(allow_none=True)
    on_behalf = fields.Boolean(metadata={"description": "The actor acted for someone else (a broker)."})
    at = fields.DateTime()
    note = fields.String()


class ExchangeOut(ExchangeSummaryOut):
    recorded_by_name = fields.String()
    reversed_by_exchange_id = fields.Integer(allow_none=True)
    history = fields.List(fields.Nested(HistoryEventOut))
    allowed_actions = fields.List(
        fields.Enum(Action, by_value=True), metadata={"description": "What the caller may do now."}
    )


class ConfirmArgs(InputSchema):
    dry_run = boolean(strict=False, load_default=False, metadata={
        "description": "true: confirm nothing; check that you may confirm it now (the same refusals as a real "
                       "confirmation) and return the exchange as it stands with the heads-up (``warnings``) that "
                       "confirming would bring."})


class ConfirmOut(ExchangeOut):
    dry_run = fields.Boolean(metadata={"description": "Nothing was confirmed (``dry_run=true``)."})
    warnings = fields.List(fields.String(), metadata={
        "description": "On a dry run: plain-language heads-ups for the member who gave the help, when they (or "
                       "their broker) are about to confirm something the benefit-safe checks would flag. They "
                       "inform and never block: you can still go ahead. Only for a member who consented to those "
                       "checks, and only told to them or their broker. Always empty on a real confirmation."})


class ExchangePageOut(ma.Schema):
    """One page of exchanges, newest first (by the day of the help, then the order recorded), found by cursor:
    follow ``older`` (as ``before``) for the next page and ``newer`` (as ``after``) for the previous one. There
    is no total: counting every exchange would cost as much as reading them."""

    items = fields.List(fields.Nested(ExchangeSummaryOut))
    per_page = fields.Integer()
    older = fields.Integer(allow_none=True, metadata={
        "description": "Pass as ``before`` for the older exchanges; null on the oldest page."})
    newer = fields.Integer(allow_none=True, metadata={
        "description": "Pass as ``after`` for the newer exchanges; null on the newest page."})


class DisputeIn(InputSchema):
    reason = text(required=True, max_length=MAX_REASON, metadata={"description": "What is wrong with the exchange."})
    account_id = record_id(
        load_default=None, allow_none=True,
        metadata={"description": "The side you raise it for. Needed only when you could speak for either side "
                                 "(a broker); a party raises it for their own side."},
    )


class DisputeListArgs(PageArgs):
    status = choice(QueueFilter, _l("Choose open or closed."),
                    metadata={"description": "open, or closed (reversed or noted); all when left out."})
    time_bank_id = record_id(strict=False)


class ResolveIn(InputSchema):
    outcome = choice(Outcome, _l("Choose reverse or note."), required=True,
                     metadata={"description": "reverse: the exchange is reversed; note: it stands."})
    note = text(required=True, max_length=MAX_REASON,
                metadata={"description": "For the member; a reversal's reason too."})


class DisputeOut(ma.Schema):
    id = fields.Integer()
    exchange_id = fields.Integer()
    time_bank_id = fields.Integer()
    raised_by_id = fields.Integer()
    raised_for_account_id = fields.Integer(metadata={"description": "The side the dispute was raised for."})
    reason = fields.String()
    status = fields.Enum(DisputeStatus, by_value=True)
    resolution_note = fields.String()
    resolved_by_id = fields.Integer(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    reversal_id = fields.Integer(allow_none=True, metadata={"description": "The reversal, when it ended in one."})
    created_at = fields.DateTime()


class DisputePageOut(PageOut):
    items = fields.List(fields.Nested(DisputeOut))
