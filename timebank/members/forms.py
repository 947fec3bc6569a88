"""Forms for contact details and organisations. They check the shape of what was sent; the rules
(valid email, postcode, charity number, a way of being contacted that works) are ``members.service``'s,
and its errors go back next to the matching field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from timebank.forms import ServiceForm
from timebank.members.models import ContactMethod, Language, Organisation, OrganisationType, Person
from timebank.members.service import MAX_NAME, ContactDetails, OrganisationDetails
from timebank.profiles.models import ContributionKind
from timebank.profiles.service import MAX_CONTRIBUTION

CONTRIBUTION_KIND_LABELS = {
    ContributionKind.ROOM: _l("A room or space"),
    ContributionKind.EQUIPMENT: _l("Equipment"),
    ContributionKind.TRAINING: _l("Training"),
    ContributionKind.STAFF_TIME: _l("Staff time"),
    ContributionKind.FUNDS: _l("Funds"),
    ContributionKind.OTHER: _l("Something else"),
}

ORGANISATION_TYPE_LABELS = {
    OrganisationType.CHARITY: _l("Registered charity"),
    OrganisationType.VOLUNTARY_GROUP: _l("Voluntary or community group"),
    OrganisationType.SOCIAL_ENTERPRISE: _l("Social enterprise or community interest company (CIC)"),
    OrganisationType.COUNCIL: _l("Council"),
    OrganisationType.NHS: _l("NHS organisation"),
    OrganisationType.SCHOOL: _l("School or college"),
    OrganisationType.POLICE: _l("Police"),
    OrganisationType.OTHER_PUBLIC_BODY: _l("Another public body"),
    OrganisationType.BUSINESS: _l("Business"),
}

CONTACT_METHOD_LABELS = {
    ContactMethod.EMAIL: _l("Email"),
    ContactMethod.PHONE: _l("Phone call"),
    ContactMethod.TEXT: _l("Text message"),
    ContactMethod.BROKER: _l("Through the time bank's broker"),
}

#: Each language in its own name, as people look for it.
LANGUAGE_LABELS = {Language.ENGLISH: "English", Language.WELSH: "Cymraeg"}

_NAME_LENGTH = Length(max=MAX_NAME, message=_l("Keep the name to 200 characters or fewer"))
_EMAIL_LENGTH = Length(max=254, message=_l("Enter an email address like name@example.org"))
_PHONE_LENGTH = Length(max=40, message=_l("Enter a phone number, like 01632 960 123"))
_POSTCODE_LENGTH = Length(max=10, message=_l("Enter a UK postcode, like HB3 2QT"))


class ContactForm(ServiceForm):
    display_name = StringField(_l("Name"), validators=[_NAME_LENGTH])
    email = EmailField(_l("Email address (optional)"), validators=[_EMAIL_LENGTH])
    phone = TelField(_l("Phone number (optional)"), validators=[_PHONE_LENGTH])
    postcode = StringField(_l("Postcode (optional)"), validators=[_POSTCODE_LENGTH])
    preferred_language = RadioField(
        _l("Which language would you like us to use?"),
        choices=[SelectChoice(language.value, label) for language, label in LANGUAGE_LABELS.items()],
        invalid_choice_message=_l("Choose English or Welsh"),
    )
    contact_by = RadioField(
        _l("How would you like to be contacted?"),
        choices=[SelectChoice(method.value, label) for method, label in CONTACT_METHOD_LABELS.items()],
        invalid_choice_message=_l("Choose a way to be contacted"),
    )

    @staticmethod
    def initial(person: Person) -> dict[str, Any]:
        return {
            "display_name": person.display_name, "email": person.email, "phone": person.phone,
            "postcode": person.postcode, "preferred_language": person.preferred_language.value,
            "contact_by": person.contact_by.value,
        }

    def details(self) -> ContactDetails:
        return ContactDetails(
            display_name=self.display_name.data or "",
            email=self.email.data,
            phone=self.phone.data,
            postcode=self.postcode.data,
            contact_by=ContactMethod(self.contact_by.data),
            preferred_language=Language(self.preferred_language.data),
        )


class OrganisationForm(ServiceForm):
    display_name = StringField(_l("Name of the organisation"), validators=[_NAME_LENGTH])
    organisation_type = RadioField(
        _l("What kind of organisation is it?"),
        choices=[SelectChoice(kind.value, label) for kind, label in ORGANISATION_TYPE_LABELS.items()],
        invalid_choice_message=_l("Choose what kind of organisation it is"),
    )
    charity_number = StringField(_l("Registered charity number"), validators=[
        Length(max=20, message=_l("Enter a charity number like 1234567, SC012345 or NIC100123"))])
    contact_email = EmailField(_l("Email address for the organisation (optional)"), validators=[_EMAIL_LENGTH])
    phone = TelField(_l("Phone number (optional)"), validators=[_PHONE_LENGTH])
    postcode = StringField(_l("Postcode (optional)"), validators=[_POSTCODE_LENGTH])

    @staticmethod
    def initial(organisation: Organisation) -> dict[str, Any]:
        return {
            "display_name": organisation.display_name,
            "organisation_type": organisation.organisation_type.value,
            "charity_number": organisation.charity_number, "contact_email": organisation.contact_email,
            "phone": organisation.phone, "postcode": organisation.postcode,
        }

    def details(self) -> OrganisationDetails:
        return OrganisationDetails(
            display_name=self.display_name.data or "",
            organisation_type=OrganisationType(self.organisation_type.data),
            charity_number=self.charity_number.data,
            contact_email=self.contact_email.data,
            phone=self.phone.data,
            postcode=self.postcode.data,
        )


class AdminForm(ServiceForm):
    email = EmailField(_l("Their email address"), validators=[
        DataRequired(_l("Enter the email address they joined with")), _EMAIL_LENGTH])


class ContributionForm(ServiceForm):
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice("", _l("Choose…")),
                 *(SelectChoice(kind.value, label) for kind, label in CONTRIBUTION_KIND_LABELS.items())],
        validators=[DataRequired(_l("Choose what kind of thing you offer"))],
        invalid_choice_message=_l("Choose a kind from the list"),
    )
    description = TextAreaField(_l("What you offer"), validators=[
        Length(max=MAX_CONTRIBUTION, message=_l("Keep this to 500 characters or fewer"))])

    @property
    def contribution_kind(self) -> ContributionKind:
        return ContributionKind(self.kind.data)

