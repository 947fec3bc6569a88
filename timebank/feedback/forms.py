"""The "how did it go?" form, and the broker's paper version of it (who answered, then the same
questions). Every question may be left empty; ``feedback.service.check_answers`` says what must be
said, and its refusals come back next to the field they name (or at the top of the form)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from timebank.feedback.models import MAX_COMMENT, Again, FeedbackAnswer
from timebank.feedback.service import Answers
from timebank.forms import ServiceForm

#: The five-point scale in words, 1 to 5: the form's choices, the answers' list and the reports' rows.
HOW_IT_WENT_LABELS = {1: _l("Very poorly"), 2: _l("Poorly"), 3: _l("OK"), 4: _l("Well"), 5: _l("Very well")}
#: The replies to "Would you do it again?", as a reply to that question (Welsh answers a "would" question
#: with "Byddwn" or "Na fyddwn", not a bare yes or no; the English says as much so the two keep apart).
AGAIN_LABELS = {Again.YES: _l("Yes, I would"), Again.NO: _l("No, I would not"), Again.NOT_SURE: _l("Not sure")}


def _optional_int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def _optional_again(value: Any) -> Again | None:
    return None if value in (None, "") else Again(value)


class AnswerForm(ServiceForm):
    how_it_went = RadioField(
        _l("How did it go?"), coerce=_optional_int, validate_choice=False,
        choices=[SelectChoice(str(value), label) for value, label in HOW_IT_WENT_LABELS.items()])
    again = RadioField(
        _l("Would you do it again?"), coerce=_optional_again, validate_choice=False,
        choices=[SelectChoice(value.value, label) for value, label in AGAIN_LABELS.items()])
    comment = TextAreaField(
        _l("Anything else you'd like to tell us?"),
        validators=[Length(max=MAX_COMMENT, message=_l("Keep it to 2,000 characters or fewer"))])

    @property
    def answers(self) -> Answers:
        return Answers(self.how_it_went.data, self.again.data, self.comment.data or "")

    @staticmethod
    def initial(row: FeedbackAnswer | None) -> dict[str, Any]:
        if row is None:
            return {}
        return {"how_it_went": row.how_it_went, "again": row.again, "comment": row.comment}


class PaperAnswerForm(AnswerForm):
    person_id = SelectField(_l("Who answered"), coerce=_optional_int, validate_choice=False)

    def set_people(self, people: list[tuple[int, str]]) -> None:
        self.person_id.choices = [SelectChoice("", _l("Choose a person")),
                                  *(SelectChoice(str(person_id), name) for person_id, name in people)]
