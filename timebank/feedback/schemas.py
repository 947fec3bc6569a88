"""What the participants' voice API reads (``…In``) and returns (``…Out``). Every limit here is the one the
service enforces. A comment is only ever returned to the person who gave it, the bank's brokers and the
organisation's admins (the only callers of these routes who are let in)."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l
from marshmallow import fields

from timebank.api.schemas import InputSchema, PageOut, choice, record_id, text, whole_number
from timebank.feedback.models import MAX_COMMENT, Again, Channel
from timebank.feedback.service import SCALE, Answers


class FeedbackIn(InputSchema):
    how_it_went = whole_number(minimum=min(SCALE), maximum=max(SCALE), load_default=None, allow_none=True,
                               metadata={"description": "1 very poorly, 2 poorly, 3 OK, 4 well, 5 very well."})
    again = choice(Again, _l("Send yes, no or not_sure."), load_default=None, allow_none=True,
                   metadata={"description": "Would you do it again?"})
    comment = text(max_length=MAX_COMMENT, load_default="", metadata={
        "description": "Read only by the bank's brokers and the organisation that ran it; never by funders."})

    @ma.post_load
    def answers(self, data: dict[str, object], **_kwargs: object) -> Answers:
        return Answers(**data)  # type: ignore[arg-type]


class PaperFeedbackIn(FeedbackIn):
    person_id = record_id(required=True, metadata={"description": "Who answered: someone who took part."})

    @ma.post_load
    def answers(self, data: dict[str, object], **_kwargs: object) -> dict[str, object]:  # type: ignore[override]
        person_id = data.pop("person_id")
        return {"person_id": person_id, "answers": Answers(**data)}  # type: ignore[arg-type]


class FeedbackOut(ma.Schema):
    id = fields.Integer()
    time_bank_id = fields.Integer()
    organisation_id = fields.Integer(allow_none=True)
    session_id = fields.Integer(allow_none=True)
    exchange_id = fields.Integer(allow_none=True)
    person_id = fields.Integer(allow_none=True, metadata={"description": "null once the person has left."})
    how_it_went = fields.Integer(allow_none=True)
    again = fields.Enum(Again, by_value=True, allow_none=True)
    comment = fields.String()
    channel = fields.Enum(Channel, by_value=True)
    answered_on = fields.Date(metadata={"description": "The UK day of the session or exchange."})
    updated_at = fields.DateTime()


class OwnFeedbackOut(ma.Schema):
    answer = fields.Nested(FeedbackOut, allow_none=True, metadata={"description": "null until you answer."})


class FeedbackPageOut(PageOut):
    items = fields.List(fields.Nested(FeedbackOut))
