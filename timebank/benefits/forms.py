"""Benefit-safe checks on pages: the consent wording (versioned), the profile form (only the fields of
``facts.Profile``), a broker's actions on a flag, the queue's filters, and the plain words pages and the API
show for the closed lists and a flag's figures.

The forms check only the shape of what was typed; the rules (hours from 0 to 168, a work group only with
Universal Credit, no date in the future, a snooze after today) are ``profiles`` and ``flags``' own, and their
refusals come back next to the field they name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from timebank.benefits.facts import Benefit, Jurisdiction, Profile, Severity, UcWorkGroup
from timebank.benefits.models import (
    BROKER_RESOLUTIONS,
    MAX_NOTE,
    AccessKind,
    FlagAction,
    FlagState,
    Resolution,
    Subject,
)
from timebank.benefits.profiles import MAX_WEEKLY_HOURS, WORDING_VERSION
from timebank.benefits.rulebook import FigureKind
from timebank.benefits.wording import fill
from timebank.forms import DayMonthYearField, ServiceForm
from timebank.profiles.forms import CheckboxesField
from timebank.types import MAX_ID

# --- the consent wording -----------------------------------------------------------------------------

#: The words a member agrees to, by version (``profiles.WORDING_VERSION``; each consent records the one
#: agreed to). A new wording is a new version here, never an edit of an old one.
CONSENT_TEXT: dict[str, tuple[Any, ...]] = {
    "2026-12-v1": (
        _l("I want the time bank to help me keep my time-bank activity benefit-safe."),
        _l("I agree that the time bank may keep a note of which benefits I get, from a list, and a few facts "
           "about them. It may use my exchange, expense, payment and credit records to give my broker "
           "reminders."),
        _l("Only the brokers of my time bank, and I, will see this. Organisations, funders and other members "
           "will not. Nobody outside the time bank is told."),
        _l("A reminder is never a decision. It never stops me doing anything and never changes my hours."),
        _l("I can switch this off at any time. Then my benefit information and reminders are deleted at once."),
    ),
}


def consent_wording(version: str = WORDING_VERSION) -> tuple[Any, ...]:
    return CONSENT_TEXT[version]


# --- the closed lists, in plain words ------------------------------------------------------------------

BENEFIT_LABELS = {
    Benefit.UC: _l("Universal Credit"),
    Benefit.NS_JSA: _l("New Style Jobseeker's Allowance (JSA)"),
    Benefit.NS_ESA: _l("New Style Employment and Support Allowance (ESA)"),
    Benefit.ESA_IR: _l("Income-related Employment and Support Allowance (the older kind of ESA)"),
    Benefit.PIP: _l("Personal Independence Payment (PIP)"),
    Benefit.ADP: _l("Adult Disability Payment (in Scotland)"),
    Benefit.DLA: _l("Disability Living Allowance (DLA)"),
    Benefit.AA: _l("Attendance Allowance"),
    Benefit.CA: _l("Carer's Allowance"),
    Benefit.CSP: _l("Carer Support Payment (in Scotland)"),
    Benefit.PC: _l("Pension Credit"),
    Benefit.HB: _l("Housing Benefit"),
    Benefit.CTR: _l("Council Tax Reduction (help to pay council tax)"),
    Benefit.SP: _l("State Pension"),
}
WORK_GROUP_LABELS = {
    UcWorkGroup.ALL_REQUIREMENTS: _l("All work-related requirements: you look for work and are ready to start"),
    UcWorkGroup.WORK_PREPARATION: _l("Work preparation: you get ready to work later on"),
    UcWorkGroup.WORK_FOCUSED_INTERVIEW: _l("Work-focused interview only: you meet your work coach now and then"),
    UcWorkGroup.NO_REQUIREMENTS: _l("No work-related requirements"),
    UcWorkGroup.LCW: _l("Limited capability for work (LCW)"),
    UcWorkGroup.LCWRA: _l("Limited capability for work and work-related activity (LCWRA)"),
}
JURISDICTION_LABELS = {
    Jurisdiction.ENGLAND: _l("England"),
    Jurisdiction.WALES: _l("Wales"),
    Jurisdiction.SCOTLAND: _l("Scotland"),
    Jurisdiction.NORTHERN_IRELAND: _l("Northern Ireland"),
}
WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
            _l("Sunday"))
SEVERITY_LABELS = {
    Severity.HIGH: _l("High"),
    Severity.MEDIUM: _l("Medium"),
    Severity.LOW: _l("Low"),
    Severity.INFO: _l("For the record"),
}
STATE_LABELS = {
    FlagState.OPEN: _l("Open"),
    FlagState.ACKNOWLEDGED: _l("Acknowledged"),
    FlagState.SNOOZED: _l("Put aside"),
    FlagState.RESOLVED: _l("Resolved"),
}
RESOLUTION_LABELS = {
    Resolution.TOLD_DWP: _l("The member has told DWP or the council"),
    Resolution.RECEIPTS_SEEN: _l("I have seen the receipts"),
    Resolution.NOT_APPLICABLE: _l("It does not apply to this member"),
    Resolution.REFERRED_TO_ADVICE: _l("The member was referred to independent advice"),
    Resolution.EVIDENCE_GONE: _l("The records behind it no longer show it"),
}
ACTION_LABELS = {
    FlagAction.RAISED: _l("Raised"),
    FlagAction.UPDATED: _l("Updated: the records behind it changed"),
    FlagAction.REOPENED: _l("Open again"),
    FlagAction.ACKNOWLEDGED: _l("Acknowledged"),
    FlagAction.SNOOZED: _l("Put aside"),
    FlagAction.RESOLVED: _l("Resolved"),
}
SUBJECT_LABELS = {
    Subject.CONSENT: _l("Consent"),
    Subject.PROFILE: _l("Benefit profile"),
    Subject.FLAG: _l("Flags"),
    Subject.SUMMARY: _l("Activity summary"),
}
ACCESS_KIND_LABELS = {AccessKind.READ: _l("Read"), AccessKind.CHANGE: _l("Changed")}
#: Why data was read or changed (``BenefitAccess.reason``); a code not here is shown as it is.
REASON_LABELS = {
    "own_view": _l("The member looked at their own"),
    "broker_review": _l("A broker looked at a flag"),
    "broker_queue": _l("A broker looked at the review queue"),
    "broker_member": _l("A broker looked at the member's page"),
    "rules_run": _l("The checks ran"),
    "consent_given": _l("Consent given"),
    "consent_withdrawn": _l("Consent withdrawn"),
    "profile_saved": _l("Profile saved"),
    "broker_acknowledged": _l("A broker acknowledged a flag"),
    "broker_resolved": _l("A broker resolved a flag"),
    "broker_snoozed": _l("A broker put a flag aside"),
    "summary": _l("An activity summary was made"),
}

#: Independent advice, for every member and on every flag.
SIGNPOSTS = (
    (_l("Citizens Advice"), "https://www.citizensadvice.org.uk/benefits/",
     _l("Free, private advice about benefits, by phone, online or in person.")),
    (_l("Your local welfare rights service"), None,
     _l("Most councils have one. Ask at the council or your library for free benefits advice.")),
    (_l("Carers UK"), "https://www.carersuk.org/",
     _l("Advice for people who care for someone, including about Carer's Allowance.")),
    (_l("Turn2us"), "https://www.turn2us.org.uk/",
     _l("A free benefits calculator, and help to find grants.")),
)
#: The footer of every flag a broker reads.
BROKER_FOOTER = _l("This is a prompt for you to check, not a decision. Don't tell the member what they are "
                   "entitled to — signpost independent advice.")
#: What every flag a member reads says first.
MEMBER_PROMPT = _l("This is a reminder, not a decision. Nobody has decided anything about your benefits, and "
                   "nothing has been stopped or changed.")
MEMBER_NEXT_STEPS = (
    _l("Talk to your broker about it."),
    _l("If something has changed, you might want to tell the office that pays your benefits."),
    _l("If you are not sure, get free advice first."),
)
HEURISTIC_NOTE = _l("A rule of thumb we use, not a legal limit.")
STATUTORY_NOTE = _l("Set by the benefit rules.")
UNVERIFIED_NOTE = _l("We are still checking this figure.")
HEALTH_WARNING = _l("Do not write anything about health or disability here. Write only what was done, for example "
                    "\u201creceipts seen\u201d.")
RETIRED_RULE = _l("A check that is no longer used (%(rule)s)")


# --- a flag's words ----------------------------------------------------------------------------------


def rule_title(view: Any) -> str:
    return str(view.rule.title) if view.rule is not None else str(RETIRED_RULE) % {"rule": view.flag.rule_id}


def member_words(view: Any) -> str:
    return fill(view.rule.member_text, view.params) if view.rule is not None else ""


def broker_words(view: Any) -> str:
    return fill(view.rule.broker_text, view.params) if view.rule is not None else ""


def computed_label(name: str) -> str:
    """What a finding computed, in words (the rules' ``COMPUTED_LABELS``, once they name it)."""
    from timebank.benefits import rules

    labels = getattr(rules, "COMPUTED_LABELS", {})
    return str(labels[name]) if name in labels else name.replace("_", " ").capitalize()


#: A figure's unit after the slash ("GBP/week"), in words.
PER = {"week": _l("a week"), "month": _l("a month"), "hour": _l("an hour"), "day": _l("a day"), "year": _l("a year")}


def figure_text(threshold: Mapping[str, Any]) -> str:
    """A figure with its unit as a reader says it: "GBP/week" 20.00 → "£20.00 a week"."""
    value, unit = str(threshold.get("value", "")), str(threshold.get("unit", ""))
    amount, _, per = unit.partition("/")
    text = f"£{value}" if amount == "GBP" else f"{value} {amount}".strip()
    return f"{text} {PER[per]}" if per in PER else f"{text}/{per}" if per else text


def threshold_notes(threshold: Mapping[str, Any]) -> list[str]:
    """What a reader is told about a figure: statutory or a rule of thumb, and whether it is checked."""
    notes = [str(HEURISTIC_NOTE if threshold.get("kind") == FigureKind.HEURISTIC.value else STATUTORY_NOTE)]
    if not threshold.get("verified"):
        notes.append(str(UNVERIFIED_NOTE))
    return notes


# --- consent -----------------------------------------------------------------------------------------


class ConsentForm(ServiceForm):
    agree = BooleanField(_l("Yes, I agree. Switch on benefit-safe checks for me."),
                         validators=[DataRequired(message=_l("Tick the box if you agree. If you do not, leave "
                                                             "this page: nothing changes."))])


class BrokerConsentForm(ServiceForm):
    agree = BooleanField(_l("I have read these words to the member, and they told me they agree."),
                         validators=[DataRequired(message=_l("Tick the box only if the member agreed."))])


class WithdrawForm(ServiceForm):
    """Switching checks off: the button is the whole form."""


# --- the profile -------------------------------------------------------------------------------------

_YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


def _optional_choice(value: Any) -> Any:
    return value or None


class ProfileForm(ServiceForm):
    benefits = CheckboxesField(
        _l("Which benefits do you get?"),
        choices=[SelectChoice(benefit.value, label) for benefit, label in BENEFIT_LABELS.items()],
        validators=[DataRequired(message=_l("Tick at least one benefit"))],
        invalid_choice_message=_l("Choose benefits from the list"))
    uc_work_group = RadioField(
        _l("Your Universal Credit work group"), coerce=_optional_choice, default="",
        choices=[SelectChoice("", _l("I do not get Universal Credit, or I am not sure")),
                 *(SelectChoice(group.value, label) for group, label in WORK_GROUP_LABELS.items())],
        invalid_choice_message=_l("Choose a work group from the list"))
    uc_expected_hours = IntegerField(
        _l("Hours of work search a week in your Claimant Commitment"), validators=[Optional()],
        invalid_value_message=_l("Enter hours as a whole number, like 35"),
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_WEEKLY_HOURS},
        description=_l("Only for Universal Credit. Leave it empty if you do not know."))
    agreed_voluntary_hours = IntegerField(
        _l("Hours of volunteering a week agreed with your work coach"), validators=[Optional()],
        invalid_value_message=_l("Enter hours as a whole number, like 10"),
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_WEEKLY_HOURS},
        description=_l("Only if your Claimant Commitment says so. Leave it empty if not."))
    couple = RadioField(_l("Do you claim as a couple?"), choices=_YES_NO, default="no",
                        invalid_choice_message=_l("Say whether you claim as a couple"))
    jurisdiction = RadioField(
        _l("Where do you live?"), default=Jurisdiction.ENGLAND.value,
        choices=[SelectChoice(place.value, label) for place, label in JURISDICTION_LABELS.items()],
        invalid_choice_message=_l("Choose where you live"))
    last_told_on = DayMonthYearField(_l("When did you last tell DWP or the council about your volunteering?"),
                                     validators=[Optional()])
    benefit_week_starts = SelectField(
        _l("The day your benefit week starts"), coerce=int, default=0,
        choices=[SelectChoice(str(day), label) for day, label in enumerate(WEEKDAYS)],
        invalid_choice_message=_l("Choose a day from the list"),
        invalid_value_message=_l("Choose a day from the list"))
    uc_assessment_day = IntegerField(
        _l("The day of the month your Universal Credit assessment period starts"), validators=[Optional()],
        invalid_value_message=_l("Enter a day of the month as a number, like 14"),
        render_kw={"inputmode": "numeric", "min": 1, "max": 31})

    def profile(self) -> Profile:
        return Profile(
            benefits=frozenset(Benefit(code) for code in self.benefits.data or ()),
            jurisdiction=Jurisdiction(self.jurisdiction.data),
            uc_work_group=UcWorkGroup(self.uc_work_group.data) if self.uc_work_group.data else None,
            uc_expected_hours=self.uc_expected_hours.data,
            agreed_voluntary_hours=self.agreed_voluntary_hours.data,
            couple=self.couple.data == "yes",
            last_told_on=self.last_told_on.data,
            benefit_week_starts=self.benefit_week_starts.data or 0,
            uc_assessment_day=self.uc_assessment_day.data,
        )

    @staticmethod
    def data_of(profile: Profile | None) -> dict[str, Any]:
        """The form's starting values for a saved profile."""
        if profile is None:
            return {}
        return {
            "benefits": sorted(benefit.value for benefit in profile.benefits),
            "uc_work_group": profile.uc_work_group.value if profile.uc_work_group else None,
            "uc_expected_hours": profile.uc_expected_hours,
            "agreed_voluntary_hours": profile.agreed_voluntary_hours,
            "couple": "yes" if profile.couple else "no",
            "jurisdiction": profile.jurisdiction.value,
            "last_told_on": profile.last_told_on,
            "benefit_week_starts": profile.benefit_week_starts,
            "uc_assessment_day": profile.uc_assessment_day,
        }


# --- a broker's actions ------------------------------------------------------------------------------


def _note(form: str) -> TextAreaField:
    """The optional note of one of the flag page's three forms, with an id of its own (``form``-note)."""
    return TextAreaField(_l("Note (optional)"), id=f"{form}-note", validators=[Length(
        max=MAX_NOTE, message=_l("Keep the note to 1,000 characters."))])


class AcknowledgeForm(ServiceForm):
    note = _note("acknowledge")


class ResolveForm(ServiceForm):
    resolution = RadioField(
        _l("Why is it resolved?"),
        choices=[SelectChoice(reason.value, RESOLUTION_LABELS[reason]) for reason in BROKER_RESOLUTIONS],
        invalid_choice_message=_l("Choose why it is resolved"))
    note = _note("resolve")


class SnoozeForm(ServiceForm):
    until = DayMonthYearField(_l("Put it aside until"),
                              validators=[DataRequired(message=_l("Enter the date to put it aside until"))])
    note = _note("snooze")


# --- the queue's filters -----------------------------------------------------------------------------


def _optional_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(value)


class QueueFilterForm(ServiceForm):
    """The filters above a bank's review queue, sent in the address (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    #: Chosen by the page (the broker's only bank, or the one asked for); the service refuses another.
    bank_id = SelectField(_l("Time bank"), coerce=_optional_int, validate_choice=False)
    severity = SelectField(_l("How urgent"), validators=[Optional()],
                           invalid_choice_message=_l("Choose how urgent from the list"))
    rule = SelectField(_l("Check"), validators=[Optional()], invalid_choice_message=_l("Choose a check from the list"))
    state = SelectField(_l("State"), validators=[Optional()], invalid_choice_message=_l("Choose a state from the list"))
    person_id = IntegerField(_l("Member number"), validators=[Optional(), NumberRange(
        min=1, max=MAX_ID, message=_l("Enter a member's number"))], render_kw={"inputmode": "numeric"},
        invalid_value_message=_l("Enter a member's number"))

    def set_choices(self, banks: list[tuple[int, str]], rules: list[tuple[str, str]]) -> None:
        self.bank_id.choices = [SelectChoice(str(i), name) for i, name in banks]
        self.severity.choices = [SelectChoice("", _l("Any"))] + [
            SelectChoice(severity.value, label) for severity, label in SEVERITY_LABELS.items()]
        self.rule.choices = [SelectChoice("", _l("Any"))] + [SelectChoice(i, f"{i}: {title}") for i, title in rules]
        self.state.choices = [SelectChoice("", _l("Still to look at"))] + [
            SelectChoice(state.value, label) for state, label in STATE_LABELS.items()]

    def query(self) -> dict[str, Any]:
        """The filters as the address's arguments, for the page links."""
        return {name: value for name, value in (
            ("bank_id", self.bank_id.data), ("severity", self.severity.data), ("rule", self.rule.data),
            ("state", self.state.data), ("person_id", self.person_id.data)) if value not in (None, "")}
