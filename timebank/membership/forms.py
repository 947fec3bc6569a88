"""Forms for joining and for applications. They check the shape of what was typed (required answers,
lengths, a date that is a date); the rules (a real postcode, a long enough password, one open
application per bank) are ``membership.service``'s, and its errors come back next to the matching field.

No form here asks about needs, conditions, problems or benefits: people join for what they can do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from timebank.auth.forms import new_password_field, repeat_password_field
from timebank.auth.passwords import check_new_password
from timebank.clock import uk_today
from timebank.errors import DomainError
from timebank.forms import DayMonthYearField, ServiceForm
from timebank.members import service as members
from timebank.members.models import ContactMethod, Language
from timebank.membership.models import MAX_DECISION_NOTE, MAX_STATEMENT, ReferenceOutcome
from timebank.membership.service import Referee, SignUp

#: Referees the joining and application forms offer; more can be added on the application later.
REFEREES_ON_FORM = 2

LANGUAGE_CHOICES = [SelectChoice(Language.ENGLISH.value, "English"), SelectChoice(Language.WELSH.value, "Cymraeg")]
CONTACT_CHOICES = [
    SelectChoice(ContactMethod.EMAIL.value, _l("Email")),
    SelectChoice(ContactMethod.PHONE.value, _l("Phone call")),
    SelectChoice(ContactMethod.TEXT.value, _l("Text message")),
    SelectChoice(ContactMethod.BROKER.value, _l("Through my broker")),
]


def _optional_int(value: Any) -> int | None:
    """Coerce a select's value; the empty "choose…" option is ``None``."""
    if value is None or value == "":
        return None
    return int(value)


def _blank_as_none(value: str | None) -> str | None:
    return (value or "").strip() or None


def _referee_field(label: Any, max_length: int) -> StringField:
    return StringField(label, validators=[
        Length(max=max_length, message=_l("Keep this to %(max)d characters or fewer", max=max_length))])


class ApplicationFields(ServiceForm):
    """What every application asks: which bank, what they would like to do, and two referees."""

    time_bank_id = SelectField(
        _l("Which time bank?"),
        coerce=_optional_int,
        validators=[DataRequired(_l("Choose a time bank"))],
        invalid_choice_message=_l("Choose a time bank from the list"),
        invalid_value_message=_l("Choose a time bank from the list"),
    )
    statement = TextAreaField(
        _l("What would you like to do in the time bank? (optional)"),
        validators=[Length(max=MAX_STATEMENT, message=_l("Keep this to 2,000 characters or fewer"))],
    )
    referee_1_name = _referee_field(_l("First referee's name"), 200)
    referee_1_contact = _referee_field(_l("Their email address or phone number"), 254)
    referee_1_known_how = _referee_field(_l("How do they know you?"), 200)
    referee_2_name = _referee_field(_l("Second referee's name"), 200)
    referee_2_contact = _referee_field(_l("Their email address or phone number"), 254)
    referee_2_known_how = _referee_field(_l("How do they know you?"), 200)

    def set_banks(self, banks: list[tuple[int, str]]) -> None:
        self.time_bank_id.choices = [SelectChoice("", _l("Choose…")),
                                     *(SelectChoice(str(bank_id), name) for bank_id, name in banks)]

    def _referee_parts(self, number: int) -> tuple[Any, Any, Any]:
        return (self[f"referee_{number}_name"], self[f"referee_{number}_contact"],
                self[f"referee_{number}_known_how"])

    @property
    def referees(self) -> tuple[Referee, ...]:
        """The referees filled in, in order. ``validate`` has made sure a started one is complete, so
        the service's numbering (``referee_1_…``) matches the form's."""
        filled = []
        for number in range(1, REFEREES_ON_FORM + 1):
            name, contact, known_how = (f.data or "" for f in self._referee_parts(number))
            if name.strip() or contact.strip() or known_how.strip():
                filled.append(Referee(name=name, contact=contact, known_how=known_how))
        return tuple(filled)

    def validate(self, extra_validators: Any = None) -> bool:
        """Referees are optional, but one that is started needs a name and a way to reach them; the
        second can only be given with the first."""
        valid = super().validate(extra_validators)
        started = []
        for number in range(1, REFEREES_ON_FORM + 1):
            name, contact, known_how = self._referee_parts(number)
            started.append(any((f.data or "").strip() for f in (name, contact, known_how)))
            if not started[-1]:
                continue
            if not (name.data or "").strip() and not name.errors:
                name.errors.append(_l("Enter the referee's name"))
                valid = False
            if not (contact.data or "").strip() and not contact.errors:
                contact.errors.append(_l("Enter an email address or phone number for the referee"))
                valid = False
        if started[1] and not started[0]:
            self.referee_1_name.errors.append(_l("Fill in the first referee before the second"))
            valid = False
        return valid


class ContactFields(ApplicationFields):
    """A new person's name and how to reach them: for joining, and for a broker enrolling someone."""

    display_name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter a name")), Length(max=200)],
                               render_kw={"autocomplete": "name"})
    email = EmailField(_l("Email address"), validators=[Length(max=254)],
                       render_kw={"autocomplete": "email", "spellcheck": "false"})
    phone = TelField(_l("Phone number (optional)"), validators=[Length(max=40)], render_kw={"autocomplete": "tel"})
    postcode = StringField(_l("Postcode"), validators=[DataRequired(_l("Enter a postcode")), Length(max=10)],
                           render_kw={"autocomplete": "postal-code", "spellcheck": "false"})
    preferred_language = RadioField(
        _l("Which language should we use?"),
        choices=LANGUAGE_CHOICES,
        default=Language.ENGLISH.value,
        invalid_choice_message=_l("Choose English or Cymraeg"),
    )
    contact_by = RadioField(
        _l("How should we get in touch?"),
        choices=CONTACT_CHOICES,
        default=ContactMethod.EMAIL.value,
        invalid_choice_message=_l("Choose how to be contacted"),
    )

    #: The service's own checks, run here too so that every problem shows in one round.
    CLEANERS: ClassVar[dict[str, Callable[[str], object]]] = {
        "email": members.clean_email,
        "phone": members.clean_phone,
        "postcode": members.clean_postcode,
    }

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for name, clean in self.CLEANERS.items():
            field = self[name]
            if field.data and not field.errors:
                try:
                    clean(field.data)
                except DomainError as error:
                    field.errors.append(error.message)
                    valid = False
        return valid

    def to_sign_up(self, password: str | None) -> SignUp:
        return SignUp(
            display_name=self.display_name.data or "",
            email=_blank_as_none(self.email.data),
            password=password,
            phone=_blank_as_none(self.phone.data),
            postcode=self.postcode.data,
            preferred_language=Language(self.preferred_language.data),
            contact_by=ContactMethod(self.contact_by.data),
            time_bank_id=self.time_bank_id.data,
            statement=self.statement.data or "",
            referees=self.referees,
        )


class JoinForm(ContactFields):
    email = EmailField(_l("Email address"),
                       validators=[DataRequired(_l("Enter your email address")), Length(max=254)],
                       render_kw={"autocomplete": "email", "spellcheck": "false"})
    password = new_password_field(_l("Choose a password"))
    confirm_password = repeat_password_field("password")

    def validate_password(self, field: PasswordField) -> None:
        """The password rule, here as well as in the service so that every problem shows in one round."""
        try:
            check_new_password(field.data or "", email=self.email.data)
        except DomainError as error:
            raise ValidationError(str(error.message)) from None


class NewMemberForm(ContactFields):
    """A broker enrols someone who is not online: no password, email optional."""

    email = EmailField(_l("Email address (optional)"), validators=[Length(max=254)],
                       render_kw={"spellcheck": "false"})
    contact_by = RadioField(
        _l("How should we get in touch?"),
        choices=CONTACT_CHOICES,
        default=ContactMethod.BROKER.value,
        invalid_choice_message=_l("Choose how to be contacted"),
    )


class ApplyForm(ApplicationFields):
    """A signed-in person applies to another bank, for themselves or for an organisation they act for."""

    holder_id = SelectField(
        _l("Who is joining?"),
        coerce=_optional_int,
        validators=[DataRequired(_l("Choose who is joining"))],
        invalid_choice_message=_l("Choose who is joining from the list"),
        invalid_value_message=_l("Choose who is joining from the list"),
    )

    def set_holders(self, holders: list[tuple[int, str]]) -> None:
        self.holder_id.choices = [SelectChoice(str(holder_id), name) for holder_id, name in holders]


# --- on the application page -----------------------------------------------------------------------


class InterviewForm(ServiceForm):
    interview_on = DayMonthYearField(
        _l("Date of the interview"),
        default=uk_today,
        validators=[InputRequired(_l("Enter the date of the interview"))],
    )


class RefereeForm(ServiceForm):
    referee_name = StringField(_l("Referee's name"), validators=[DataRequired(_l("Enter the referee's name")),
                                                                  Length(max=200)])
    referee_contact = StringField(
        _l("Their email address or phone number"),
        validators=[DataRequired(_l("Enter an email address or phone number for the referee")), Length(max=254)],
    )
    known_how = StringField(_l("How do they know the applicant? (optional)"), validators=[Length(max=200)])

    SERVICE_FIELDS = {"referee_known_how": "known_how"}

    @property
    def referee(self) -> Referee:
        return Referee(self.referee_name.data or "", self.referee_contact.data or "", self.known_how.data or "")


OUTCOME_CHOICES = [
    SelectChoice(ReferenceOutcome.SATISFACTORY.value, _l("Satisfactory")),
    SelectChoice(ReferenceOutcome.UNSATISFACTORY.value, _l("Not satisfactory")),
    SelectChoice(ReferenceOutcome.NO_REPLY.value, _l("No reply")),
]


class ReferenceOutcomeForm(ServiceForm):
    """Shown once per reference, so it is made with a ``prefix`` naming the reference."""

    outcome = RadioField(_l("What did the referee say?"), choices=OUTCOME_CHOICES,
                         invalid_choice_message=_l("Choose what the referee said"))
    outcome_on = DayMonthYearField(
        _l("Date of their reply"),
        default=uk_today,
        validators=[InputRequired(_l("Enter the date of their reply"))],
    )


def reference_prefix(reference_id: int) -> str:
    return f"reference-{reference_id}"


class ApproveForm(ServiceForm):
    approval_note = TextAreaField(
        _l("Anything to note about the approval? (optional)"),
        validators=[Length(max=MAX_DECISION_NOTE, message=_l("Keep the note to 1,000 characters or fewer"))],
    )
    #: Shown only when checks are not done yet (``service.missing_checks``); the service judges it.
    approve_anyway = BooleanField(_l("Approve anyway, without the checks listed above"))

    SERVICE_FIELDS = {"note": "approval_note"}


class DeclineForm(ServiceForm):
    reason = TextAreaField(
        _l("Why is the application being declined?"),
        validators=[Length(max=MAX_DECISION_NOTE, message=_l("Keep the reason to 1,000 characters or fewer"))],
    )

    SERVICE_FIELDS = {"note": "reason"}


