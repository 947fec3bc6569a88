"""Joining a time bank: signing up, applying, broker review, community vouching, the decision.
Only flushes; every step is audited.

Who may do what:

* The applicant (or whoever filled the application in for them, or their organisation's admin) reads
  it, adds referees while it is open, and withdraws it.
* Brokers of the bank (and admins) read every application in it, record the interview and what the
  referees said, and approve or decline. Nobody else decides.
* Where the bank uses community vouching, its members may read an open application's name and
  statement and vouch for it; enough vouches send it to the brokers for sign-off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank import dates
from timebank.audit import service as audit
from timebank.auth.passwords import check_new_password, hash_password
from timebank.banks.models import TimeBank
from timebank.clock import uk_today
from timebank.errors import Conflict, Forbidden, NotFound
from timebank.ledger import service as ledger
from timebank.ledger.models import Account
from timebank.members import policy
from timebank.members import service as members
from timebank.members.models import ContactMethod, Holder, Language, Person
from timebank.membership import errors
from timebank.membership.models import (
    MAX_DECISION_NOTE,
    MAX_KNOWN_HOW,
    MAX_REFEREE_CONTACT,
    MAX_REFEREE_NAME,
    MAX_REFERENCES,
    MAX_STATEMENT,
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    MissingCheck,
    Reference,
    ReferenceOutcome,
    Vouch,
)
from timebank.pagination import Page, paginate
from timebank.types import utcnow


class ApplicationNotFound(NotFound):
    code = "application-not-found"
    title = _l("There is no such application")


class AlreadyApplied(Conflict):
    code = "already-applied"
    title = _l("There is already an open application to this time bank")


class AlreadyMember(Conflict):
    code = "already-member"
    title = _l("Already a member of this time bank")


class ApplicationClosed(Conflict):
    code = "application-closed"
    title = _l("This application has already been decided or withdrawn")


class NotABroker(Forbidden):
    code = "not-a-broker"
    title = _l("Only a broker of this time bank can do that")


def open_application_banks(holder_id: int) -> sa.Select[tuple[int]]:
    """An open application ties the applicant to the bank (``policy.add_bank_tie``): its brokers reach
    them while it is open. Once it is declined or withdrawn they no longer do; they still read the
    application itself."""
    return sa.select(Application.time_bank_id).where(Application.holder_id == holder_id,
                                                      Application.status.in_(OPEN_STATUSES))


@dataclass(frozen=True)
class Referee:
    name: str
    contact: str
    known_how: str = ""


@dataclass(frozen=True)
class SignUp:
    """Everything a new resident gives on the joining form."""

    display_name: str
    email: str | None
    password: str | None
    phone: str | None
    postcode: str | None
    preferred_language: Language
    contact_by: ContactMethod
    time_bank_id: int
    statement: str = ""
    referees: tuple[Referee, ...] = ()


# --- applying --------------------------------------------------------------------------------------


def bank(session: Session, time_bank_id: int) -> TimeBank:
    found = session.get(TimeBank, time_bank_id)
    if found is None:
        raise errors.UnknownTimeBank(_l("Choose a time bank from the list"), field="time_bank_id")
    return found


def _clean_statement(statement: str) -> str:
    statement = statement.strip()
    if len(statement) > MAX_STATEMENT:
        raise errors.StatementTooLong(_l("Keep this to 2,000 characters or fewer"), field="statement")
    return statement


def _clean_referee(referee: Referee, field: str) -> Referee:
    name = " ".join(referee.name.split())
    contact = " ".join(referee.contact.split())
    if not name:
        raise errors.RefereeNameMissing(_l("Enter the referee's name"), field=f"{field}_name")
    if not contact:
        raise errors.RefereeContactMissing(_l("Enter an email address or phone number for the referee"),
                                           field=f"{field}_contact")
    if len(name) > MAX_REFEREE_NAME or len(contact) > MAX_REFEREE_CONTACT or len(referee.known_how) > MAX_KNOWN_HOW:
        raise errors.RefereeDetailsTooLong(_l("Keep each answer about the referee to 200 characters or fewer"),
                                           field=f"{field}_name")
    return Referee(name, contact, " ".join(referee.known_how.split()))


def sign_up(session: Session, form: SignUp, *, broker: Person | None = None) -> tuple[Person, Application]:
    """A new resident joins: their person record and their first application, in one go. With
    ``broker``, a broker enrols someone who is not online: no password, and the broker is recorded as
    having filled the application in."""
    bank(session, form.time_bank_id)
    if broker is not None:
        if not policy.is_broker(session, broker, form.time_bank_id):
            raise NotABroker()
        if form.password is not None:
            raise errors.PasswordNotForEnrolment(_l("Members enrolled by a broker set their own password later"),
                                                 field="password")
    elif form.email is None or form.password is None:
        field = "email" if form.email is None else "password"
        raise errors.SignInDetailsMissing(
            _l("Enter your email address and choose a password, or ask a broker to enrol you"), field=field)
    person = members.create_person(
        session,
        display_name=form.display_name,
        email=form.email,
        password_hash=(hash_password(check_new_password(form.password, email=form.email))
                       if form.password is not None else None),
        phone=form.phone,
        postcode=members.clean_postcode(form.postcode, required=True),
        preferred_language=form.preferred_language,
        contact_by=form.contact_by,
        actor_id=broker.id if broker is not None else None,
    )
    application = apply(session, broker or person, holder_id=person.id, time_bank_id=form.time_bank_id,
                        statement=form.statement, referees=form.referees)
    return person, application


def apply(
    session: Session,
    actor: Person,
    *,
    holder_id: int,
    time_bank_id: int,
    statement: str = "",
    referees: tuple[Referee, ...] = (),
) -> Application:
    """Apply to a bank for oneself or for an organisation one acts for; a broker of the bank also applies
    for someone they enrol (see ``_broker_may_apply_for``)."""
    bank(session, time_bank_id)
    holder = session.get(Holder, holder_id)
    may = holder is not None and (
        holder.id in policy.own_holder_ids(session, actor) or _broker_may_apply_for(session, actor, holder,
                                                                                    time_bank_id)
    )
    if holder is None or not may or holder.pseudonymised_at is not None:
        raise errors.UnknownApplicant(_l("Choose who is joining from the list"), field="holder_id")
    if ledger.account_of(session, holder.id, time_bank_id) is not None:
        raise AlreadyMember(field="time_bank_id")
    if _open_application(session, holder.id, time_bank_id) is not None:
        raise AlreadyApplied(field="time_bank_id")
    if len(referees) > MAX_REFERENCES:
        raise errors.TooManyReferees(_l("Name up to 4 referees"), field="referees")
    cleaned = [_clean_referee(referee, f"referee_{n}") for n, referee in enumerate(referees, start=1)]
    application = Application(
        time_bank_id=time_bank_id, holder_id=holder.id, submitted_by_id=actor.id,
        status=ApplicationStatus.SUBMITTED, statement=_clean_statement(statement),
    )
    application.references = [Reference(referee_name=r.name, referee_contact=r.contact, known_how=r.known_how)
                              for r in cleaned]
    session.add(application)
    try:
        with session.begin_nested():
            session.flush()
    except sa.exc.IntegrityError:
        # Two submissions at once: the partial UNIQUE index let only one through.
        raise AlreadyApplied(field="time_bank_id") from None
    audit.record(session, "membership.applied", actor_id=actor.id, subject_type=holder.type.value,
                 subject_id=holder.id, time_bank_id=time_bank_id, application_id=application.id)
    return application


def _broker_may_apply_for(session: Session, actor: Person, holder: Holder, time_bank_id: int) -> bool:
    """A broker applies for someone new to every bank (just enrolled) or already in one of theirs. Never
    for someone else's member: an open application would let the broker change their details."""
    if not policy.is_broker(session, actor, time_bank_id):
        return False
    return policy.brokers_holder(session, actor, holder.id) or not policy.holder_bank_ids(session, holder.id)


def _open_application(session: Session, holder_id: int, time_bank_id: int) -> Application | None:
    return session.scalar(sa.select(Application).where(
        Application.holder_id == holder_id, Application.time_bank_id == time_bank_id,
        Application.status.in_(OPEN_STATUSES),
    ))


# --- reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """What a viewer may do with an application."""

    is_broker: bool
    is_applicant: bool
    may_vouch: bool


def access(session: Session, actor: Person, application: Application) -> Access | None:
    """``None``: the application does not exist for this actor."""
    broker = policy.is_broker(session, actor, application.time_bank_id)
    applicant = (application.holder_id in policy.own_holder_ids(session, actor)
                 or application.submitted_by_id == actor.id)
    voucher = _may_vouch(session, actor, application) and not applicant
    if not (broker or applicant or voucher):
        return None
    return Access(is_broker=broker, is_applicant=applicant, may_vouch=voucher)


def _may_vouch(session: Session, actor: Person, application: Application) -> bool:
    time_bank = session.get(TimeBank, application.time_bank_id)
    return (
        time_bank is not None
        and time_bank.vouching_enabled
        and application.is_open
        and ledger.account_of(session, actor.id, application.time_bank_id) is not None
    )


def visible_application(session: Session, actor: Person, application_id: int) -> tuple[Application, Access]:
    application = session.get(Application, application_id)
    found = access(session, actor, application) if application is not None else None
    if application is None or found is None:
        raise ApplicationNotFound()
    return application, found


def brokered_application(session: Session, actor: Person, application_id: int) -> Application:
    """The application, for one of its bank's brokers: 404 if the actor cannot see it, 403 if they only
    may read it (a member vouching, the applicant)."""
    application, found = visible_application(session, actor, application_id)
    if not found.is_broker:
        raise NotABroker()
    return application


def application_to_add_referees(session: Session, actor: Person, application_id: int) -> Application:
    """The application, for its applicant or one of its bank's brokers (a voucher may only read it)."""
    application, found = visible_application(session, actor, application_id)
    if not (found.is_broker or found.is_applicant):
        raise Forbidden(_l("Only the applicant or a broker can add a referee"))
    return application


def require_enroller(session: Session, actor: Person) -> set[int]:
    """The banks the actor may enrol people into: those they broker; someone who brokers none is refused."""
    brokered = policy.broker_bank_ids(session, actor)
    if not brokered:
        raise NotABroker()
    return brokered


def list_applications(
    session: Session,
    actor: Person,
    *,
    time_bank_id: int | None = None,
    status: ApplicationStatus | None = None,
    to_vouch: bool = False,
    page: int = 1,
    per_page: int = 20,
) -> Page[Application]:
    """Brokers: the applications in their banks. Members: their own (and their organisations'), or with
    ``to_vouch`` the open applications in their banks that use vouching."""
    own = sa.or_(Application.holder_id.in_(policy.own_holder_ids(session, actor)),
                 Application.submitted_by_id == actor.id)
    if to_vouch:
        # Members vouch as themselves (``_may_vouch``), not as the organisations they act for.
        own_banks = sa.select(Account.time_bank_id).where(Account.holder_id == actor.id)
        vouching_banks = sa.select(TimeBank.id).where(TimeBank.vouching_enabled, TimeBank.id.in_(own_banks))
        visible = sa.and_(Application.time_bank_id.in_(vouching_banks), Application.status.in_(OPEN_STATUSES),
                          sa.not_(own))
    else:
        visible = sa.or_(own, Application.time_bank_id.in_(policy.broker_bank_ids(session, actor)))
    query = sa.select(Application).where(visible)
    if time_bank_id is not None:
        query = query.where(Application.time_bank_id == time_bank_id)
    if status is not None:
        query = query.where(Application.status == status)
    query = query.order_by(Application.created_at.desc(), Application.id.desc())
    return paginate(session, query, page=page, per_page=per_page)


# --- broker review ---------------------------------------------------------------------------------


def _require_open(application: Application) -> None:
    if not application.is_open:
        raise ApplicationClosed()


def _start_review(application: Application) -> None:
    if application.status == ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.IN_REVIEW


def interview_days(session: Session, time_bank_id: int) -> dates.DateRange:
    """An interview is planned, up to the planning horizon ahead, but is often recorded after it took
    place: so its earliest day is the bank's opening, not today."""
    return dates.planned(since=dates.opened_on(session, time_bank_id))


@dates.dated_from_opening
def earliest_record(session: Session, time_bank_id: int) -> dt.date | None:
    """The bank's earliest interview or referee's reply: its books may not open after them."""
    interview = session.scalar(sa.select(sa.func.min(Application.interview_on))
                               .where(Application.time_bank_id == time_bank_id))
    reply = session.scalar(sa.select(sa.func.min(Reference.outcome_on)).join(Application)
                           .where(Application.time_bank_id == time_bank_id))
    return min((day for day in (interview, reply) if day is not None), default=None)


def record_interview(session: Session, actor: Person, application_id: int, interview_on: dt.date) -> Application:
    application = brokered_application(session, actor, application_id)
    _require_open(application)
    interview_days(session, application.time_bank_id).check(interview_on, "interview_on")
    application.interview_on = interview_on
    application.interviewed_by_id = actor.id
    _start_review(application)
    session.flush()
    audit.record(session, "membership.interview_recorded", actor_id=actor.id, subject_type="application",
                 subject_id=application.id, time_bank_id=application.time_bank_id, on=interview_on.isoformat())
    return application


def add_reference(session: Session, actor: Person, application_id: int, referee: Referee) -> Reference:
    application = application_to_add_referees(session, actor, application_id)
    _require_open(application)
    if len(application.references) >= MAX_REFERENCES:
        raise Conflict(_l("An application can name up to 4 referees"))
    cleaned = _clean_referee(referee, "referee")
    reference = Reference(referee_name=cleaned.name, referee_contact=cleaned.contact, known_how=cleaned.known_how)
    application.references.append(reference)
    session.flush()
    audit.record(session, "membership.referee_added", actor_id=actor.id, subject_type="application",
                 subject_id=application.id, time_bank_id=application.time_bank_id, reference_id=reference.id)
    return reference


def record_reference_outcome(
    session: Session, actor: Person, application_id: int, reference_id: int,
    outcome: ReferenceOutcome, outcome_on: dt.date,
) -> Reference:
    application = brokered_application(session, actor, application_id)
    reference = session.get(Reference, reference_id)
    if reference is None or reference.application_id != application.id:
        raise NotFound(_l("There is no such reference"))
    _require_open(application)
    dates.happened(session, application.time_bank_id).check(outcome_on, "outcome_on")
    reference.outcome = outcome
    reference.outcome_on = outcome_on
    reference.recorded_by_id = actor.id
    _start_review(application)
    session.flush()
    audit.record(session, "membership.reference_recorded", actor_id=actor.id, subject_type="application",
                 subject_id=application.id, time_bank_id=application.time_bank_id, reference_id=reference.id,
                 outcome=outcome.value)
    return reference


# --- vouching --------------------------------------------------------------------------------------


class CannotVouchForSelf(Forbidden):
    code = "cannot-vouch-for-self"
    title = _l("You cannot vouch for yourself")


class AlreadyVouched(Conflict):
    code = "already-vouched"
    title = _l("You have already vouched for this application")


def vouch(session: Session, actor: Person, application_id: int) -> Vouch:
    application = session.get(Application, application_id)
    if application is None:
        raise ApplicationNotFound()
    if application.holder_id in policy.own_holder_ids(session, actor) or application.submitted_by_id == actor.id:
        raise CannotVouchForSelf()
    if not _may_vouch(session, actor, application):
        if access(session, actor, application) is None:
            raise ApplicationNotFound()
        _require_open(application)
        raise Forbidden(_l("Only members of a time bank that uses community vouching can vouch"))
    if session.scalar(sa.select(Vouch.id).where(Vouch.application_id == application.id,
                                                Vouch.voucher_id == actor.id)) is not None:
        raise AlreadyVouched()
    voucher = Vouch(application_id=application.id, voucher_id=actor.id)
    session.add(voucher)
    session.flush()
    session.expire(application, ["vouches"])
    time_bank = session.get(TimeBank, application.time_bank_id)
    assert time_bank is not None
    if len(application.vouches) >= time_bank.vouches_needed and application.status != ApplicationStatus.VOUCHED:
        application.status = ApplicationStatus.VOUCHED
        session.flush()
    audit.record(session, "membership.vouched", actor_id=actor.id, subject_type="application",
                 subject_id=application.id, time_bank_id=application.time_bank_id, vouches=len(application.vouches))
    return voucher


# --- the decision ----------------------------------------------------------------------------------

#: Given an application, the checks it has not had that a feature above membership keeps: safeguarding's
#: references and DBS check, told to this one by the app factory (``add_approval_check``).
ApprovalCheck = Callable[[Session, Application], Iterable[MissingCheck]]
_approval_checks: list[ApprovalCheck] = []


def add_approval_check(check: ApprovalCheck) -> None:
    """Count the checks a feature above keeps among what an approval would go ahead without."""
    if check not in _approval_checks:
        _approval_checks.append(check)


class ChecksMissing(Conflict):
    """Approving would go ahead without some checks, and the broker did not say to approve anyway."""

    code = "checks-missing"
    title = _l("Some checks are not done yet")

    def __init__(self, missing: Iterable[MissingCheck]) -> None:
        super().__init__(_l("Not approved: still needed: %(missing)s. To approve without them, say you are "
                            "approving anyway.", missing="; ".join(str(check) for check in missing)),
                         field="approve_anyway")


def missing_checks(session: Session, application: Application) -> list[MissingCheck]:
    """What approving the application would go ahead without: an interview that has taken place, and what
    the features told of by ``add_approval_check`` say. The page warns of them before the broker decides;
    ``approve`` refuses unless told to approve anyway."""
    missing = []
    if application.interview_on is None:
        missing.append(MissingCheck("interview", _l("an interview (none is recorded)")))
    elif application.interview_on > uk_today():
        missing.append(MissingCheck("interview", _l("an interview: the one booked for %(day)s has not happened yet",
                                                    day=format_date(application.interview_on))))
    for check in _approval_checks:
        missing.extend(check(session, application))
    return missing


def _decide(session: Session, actor: Person, application_id: int, status: ApplicationStatus, note: str) -> Application:
    application = brokered_application(session, actor, application_id)
    _require_open(application)
    note = note.strip()
    if status == ApplicationStatus.DECLINED and not note:
        raise errors.DecisionNoteMissing(_l("Say why, so the applicant can be told"), field="note")
    if len(note) > MAX_DECISION_NOTE:
        raise errors.DecisionNoteTooLong(_l("Keep the note to 1,000 characters or fewer"), field="note")
    application.status = status
    application.decided_by_id = actor.id
    application.decided_at = utcnow()
    application.decision_note = note
    session.flush()
    return application


def approve(session: Session, actor: Person, application_id: int, note: str = "", *,
            approve_anyway: bool = False) -> Application:
    """The broker's yes: the applicant's account in the bank is opened. With checks not done yet
    (``missing_checks``) only when the broker says to approve anyway; the audit records which."""
    application = brokered_application(session, actor, application_id)
    _require_open(application)
    missing = missing_checks(session, application)
    if missing and not approve_anyway:
        raise ChecksMissing(missing)
    _decide(session, actor, application_id, ApplicationStatus.APPROVED, note)
    holder = session.get(Holder, application.holder_id)
    assert holder is not None
    members.join_bank(session, holder, application.time_bank_id, actor_id=actor.id)
    anyway = {"approved_anyway": True, "missing": [check.code for check in missing]} if missing else {}
    audit.record(session, "membership.approved", actor_id=actor.id, subject_type=holder.type.value,
                 subject_id=holder.id, time_bank_id=application.time_bank_id, application_id=application.id,
                 **anyway)
    return application


def decline(session: Session, actor: Person, application_id: int, note: str) -> Application:
    """The broker's no, with the reason the applicant will be told."""
    application = _decide(session, actor, application_id, ApplicationStatus.DECLINED, note)
    audit.record(session, "membership.declined", actor_id=actor.id, subject_type="application",
                 subject_id=application.id, time_bank_id=application.time_bank_id, holder_id=application.holder_id)
    return application


def applicants_application(session: Session, actor: Person, application_id: int) -> Application:
    """The application, for its applicant (or who acts for the applying organisation)."""
    application, found = visible_application(session, actor, application_id)
    if not found.is_applicant:
        raise Forbidden(_l("Only the applicant can withdraw an application"))
    return application


def withdraw(session: Session, actor: Person, application_id: int) -> Application:
    application = applicants_application(session, actor, application_id)
    _require_open(application)
    application.status = ApplicationStatus.WITHDRAWN
    session.flush()
    audit.record(session, "membership.withdrawn", actor_id=actor.id, subject_type="application",
                 subject_id=application.id, time_bank_id=application.time_bank_id)
    return application
