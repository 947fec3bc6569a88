"""Forms for introductions, answers, contact notes and messages. They check the shape of what was sent;
the rules (who may be introduced, who answers, limits) are ``brokerage.service``'s and ``contact``'s,
and their refusals come back next to the field they name.

``IntroduceForm`` is posted by the introduce page and by the matching page of another feature, so its
field names are part of the contract: ``candidate_ids`` (several), ``listing_id`` or ``role_id``,
``session_id``, ``message``, ``expires_on``.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from timebank.brokerage.models import MAX_MESSAGE, MAX_NOTE, MAX_REASON, Answer
from timebank.brokerage.service import MAX_CANDIDATES, NewIntroduction, Side
from timebank.forms import DayMonthYearField, ServiceForm
from timebank.types import MAX_ID

_ID = [Optional(), NumberRange(min=1, max=MAX_ID, message=_l("This form is out of date. Please start again."))]


class IdsField(Field):
    """Several record ids under one name (ticked checkboxes, or the matching page's list)."""

    data: list[int]

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = []
        for raw in valuelist:
            if not str(raw).isdigit() or not 1 <= int(raw) <= MAX_ID:
                raise ValueError(_l("Choose people from the list"))
            self.data.append(int(raw))
        if len(self.data) > MAX_CANDIDATES:
            raise ValueError(_l("Introduce at most 20 people at once"))

    def _value(self) -> str:
        return ""


class IntroduceForm(ServiceForm):
    candidate_ids = IdsField(_l("Who to introduce"), default=list)
    listing_id = IntegerField(widget=HiddenInput(), validators=_ID)
    role_id = IntegerField(widget=HiddenInput(), validators=_ID)
    session_id = IntegerField(widget=HiddenInput(), validators=_ID)
    message = TextAreaField(
        _l("A message to both (optional)"),
        validators=[Length(max=MAX_MESSAGE, message=_l("Keep it to 4,000 characters or fewer"))])
    expires_on = DayMonthYearField(_l("Answer by (optional)"), validators=[Optional()])

    @property
    def introduction(self) -> NewIntroduction:
        return NewIntroduction(candidate_ids=self.candidate_ids.data or [], listing_id=self.listing_id.data,
                               role_id=self.role_id.data, session_id=self.session_id.data,
                               message=self.message.data or "", expires_on=self.expires_on.data)


class AnswerForm(ServiceForm):
    side = RadioField(_l("Answering for"), choices=[SelectChoice(Side.CANDIDATE, _l("The person introduced")),
                                                    SelectChoice(Side.OTHER, _l("The other side"))],
                      invalid_choice_message=_l("Say which side you answer for"))
    answer = RadioField(_l("Your answer"), choices=[SelectChoice(Answer.ACCEPTED.value, _l("Yes, let's go ahead")),
                                                    SelectChoice(Answer.DECLINED.value, _l("No, thank you"))],
                        invalid_choice_message=_l("Say yes or no"))
    reason = TextAreaField(_l("Anything to add? (optional)"),
                           validators=[Length(max=MAX_REASON, message=_l("Keep it to 500 characters or fewer"))])


class NoteForm(ServiceForm):
    time_bank_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    contacted_on = DayMonthYearField(_l("Day of the contact"),
                                     validators=[InputRequired(_l("Enter the day of the contact"))])
    body = TextAreaField(_l("Note"), validators=[
        InputRequired(_l("Write the note")),
        Length(max=MAX_NOTE, message=_l("Keep it to 4,000 characters or fewer"))])


class MessageForm(ServiceForm):
    body = TextAreaField(_l("Your message"), validators=[
        InputRequired(_l("Write your message")),
        Length(max=MAX_MESSAGE, message=_l("Keep it to 4,000 characters or fewer"))])
