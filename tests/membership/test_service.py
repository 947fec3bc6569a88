"""Joining a time bank, below the pages and the API: signing up, applying, broker review, vouching and
the decision. Each test reads like the workflow it checks."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask_babel import format_date

from tests.membership.conftest import REFEREES
from timebank.banks import service as banks
from timebank.banks.service import BankSettings
from timebank.errors import Conflict, DomainError, Forbidden, NotFound
from timebank.ledger.models import Account, HolderKind
from timebank.members import policy
from timebank.members import service as members
from timebank.members.models import BankRoleName, ContactMethod, OrganisationType, Person
from timebank.members.service import OrganisationDetails
from timebank.membership import service as membership
from timebank.membership.models import Application, ApplicationStatus, ReferenceOutcome
from timebank.membership.service import (
    AlreadyApplied,
    AlreadyMember,
    AlreadyVouched,
    ApplicationClosed,
    ApplicationNotFound,
    CannotVouchForSelf,
    ChecksMissing,
    NotABroker,
    Referee,
)
from timebank.privacy import service as privacy
from timebank.safeguarding import service as safeguarding
from timebank.safeguarding.models import DbsLevel


def account_in(session, holder, bank):
    return session.scalar(sa.select(Account).where(Account.holder_id == holder.id, Account.time_bank_id == bank.id))


def use_vouching(session, bank, broker, vouches_needed=2):
    banks.update_settings(session, broker, bank.id, BankSettings(
        vouching_enabled=True, vouches_needed=vouches_needed, dbs_renewal_months=bank.dbs_renewal_months))


# --- signing up ------------------------------------------------------------------------------------


def test_a_resident_signs_up_and_their_application_waits_for_a_broker(db_session, make_bank, sign_up_form,
                                                                       audited):
    bank = make_bank(name="Hollinbridge Time Bank")

    person, application = membership.sign_up(db_session, sign_up_form(bank, email="Megan@Example.org "))

    assert person.display_name == "Megan Hughes"
    assert person.email == "megan@example.org"
    assert person.password_hash is not None
    assert (person.postcode, person.postcode_district) == ("HB3 2QT", "HB3")
    assert person.contact_by == ContactMethod.EMAIL
    assert application.status == ApplicationStatus.SUBMITTED
    assert (application.holder_id, application.submitted_by_id) == (person.id, person.id)
    assert [(r.referee_name, r.outcome) for r in application.references] == [
        ("Rhys Evans", ReferenceOutcome.AWAITED), ("Siân Morgan", ReferenceOutcome.AWAITED)]
    assert account_in(db_session, person, bank) is None, "no account until a broker approves"
    [applied] = audited("membership.applied")
    assert (applied.actor_id, applied.subject_id, applied.time_bank_id) == (person.id, person.id, bank.id)


def test_signing_up_yourself_needs_an_email_and_a_password(db_session, make_bank, sign_up_form):
    bank = make_bank()
    with pytest.raises(DomainError) as no_email:
        membership.sign_up(db_session, sign_up_form(bank, email=None, contact_by=ContactMethod.BROKER))
    with pytest.raises(DomainError) as no_password:
        membership.sign_up(db_session, sign_up_form(bank, password=None))
    with pytest.raises(DomainError) as no_postcode:
        membership.sign_up(db_session, sign_up_form(bank, postcode=" "))
    with pytest.raises(DomainError) as short_password:
        membership.sign_up(db_session, sign_up_form(bank, password="short"))
    assert (no_email.value.field, no_password.value.field) == ("email", "password")
    assert (no_postcode.value.field, short_password.value.field) == ("postcode", "password")
    assert db_session.scalar(sa.select(sa.func.count(Application.id))) == 0


def test_a_broker_enrols_someone_who_is_not_online(db_session, make_bank, make_broker, sign_up_form, audited):
    bank = make_bank()
    broker = make_broker(bank)
    form = sign_up_form(bank, display_name="Idris Thomas", email=None, password=None, phone=None,
                        contact_by=ContactMethod.BROKER)

    person, application = membership.sign_up(db_session, form, broker=broker)

    assert (person.email, person.password_hash, person.contact_by) == (None, None, ContactMethod.BROKER)
    assert application.submitted_by_id == broker.id
    [created] = [e for e in audited("member.person_created") if e.subject_id == person.id]
    assert created.actor_id == broker.id
    [applied] = audited("membership.applied")
    assert (applied.actor_id, applied.subject_id) == (broker.id, person.id)
    _, access = membership.visible_application(db_session, broker, application.id)
    assert access.is_broker and access.is_applicant


def test_only_a_broker_of_the_bank_enrols_and_never_sets_a_password(db_session, make_bank, make_broker,
                                                                     make_member, sign_up_form):
    bank, other = make_bank(), make_bank()
    broker = make_broker(bank)
    member, _ = make_member(bank)
    offline = {"email": None, "password": None, "contact_by": ContactMethod.BROKER}

    with pytest.raises(NotABroker) as resident:
        membership.sign_up(db_session, sign_up_form(bank, **offline), broker=member)
    with pytest.raises(NotABroker):
        membership.sign_up(db_session, sign_up_form(other, **offline), broker=broker)
    with pytest.raises(DomainError) as password:
        membership.sign_up(db_session, sign_up_form(bank, email=None, contact_by=ContactMethod.BROKER), broker=broker)

    assert resident.value.status == 403
    assert password.value.field == "password"
    assert db_session.scalar(sa.select(sa.func.count(Application.id))) == 0


def test_a_bank_that_does_not_exist_is_refused(db_session, make_bank, sign_up_form):
    form = sign_up_form(make_bank())
    with pytest.raises(DomainError) as error:
        membership.sign_up(db_session, type(form)(**{**vars(form), "time_bank_id": 999_999}))
    assert error.value.field == "time_bank_id"


# --- one open application per holder per bank ------------------------------------------------------


def test_an_organisation_admin_applies_for_their_organisation(db_session, make_bank, make_broker, make_person,
                                                              make_application):
    bank = make_bank()
    broker = make_broker(bank)
    admin = make_person("Carys Lloyd")
    charity = members.register_organisation(db_session, admin, OrganisationDetails(
        display_name="Hollinbridge Food Share", organisation_type=OrganisationType.CHARITY, charity_number="1123456"))

    application = make_application(bank, charity, statement="We can lend our hall on Tuesdays.")
    # An organisation has no DBS check to have: only its interview is wanting.
    assert [check.code for check in membership.missing_checks(db_session, application)] == ["interview"]
    membership.approve(db_session, broker, application.id, approve_anyway=True)

    assert (application.holder_id, application.submitted_by_id) == (charity.id, admin.id)
    assert account_in(db_session, charity, bank).holder_kind == HolderKind.THIRD_SECTOR
    _, access = membership.visible_application(db_session, admin, application.id)
    assert access.is_applicant and not access.is_broker


def test_nobody_applies_for_someone_they_do_not_act_for(db_session, make_bank, make_person, make_organisation):
    bank = make_bank()
    stranger, neighbour = make_person("Stranger"), make_person("Neighbour")
    charity, _ = make_organisation(make_bank(), admins=(neighbour,))
    for holder_id in (neighbour.id, charity.id, 999_999):
        with pytest.raises(DomainError) as error:
            membership.apply(db_session, stranger, holder_id=holder_id, time_bank_id=bank.id)
        assert error.value.field == "holder_id"


def test_a_broker_applies_only_for_someone_new_or_already_theirs(db_session, make_bank, make_broker, make_member,
                                                                 make_person):
    bank, other = make_bank(), make_bank()
    broker, other_broker = make_broker(bank), make_broker(other)
    ours, _ = make_member(bank, "Member of ours")
    banks.grant_role(db_session, time_bank_id=other.id, person_id=broker.id, role=BankRoleName.BROKER, actor_id=None)
    new = make_person("New to every bank", email=None)

    with pytest.raises(DomainError) as refused:  # it would let them change a stranger's details
        membership.apply(db_session, other_broker, holder_id=ours.id, time_bank_id=other.id)
    assert refused.value.field == "holder_id"
    assert membership.apply(db_session, broker, holder_id=ours.id, time_bank_id=other.id).submitted_by_id == broker.id
    assert membership.apply(db_session, other_broker, holder_id=new.id, time_bank_id=other.id).holder_id == new.id


def test_one_open_application_per_holder_per_bank(db_session, make_bank, make_broker, make_person,
                                                  make_application):
    bank, other = make_bank(), make_bank()
    broker = make_broker(bank)
    person = make_person("Gwen Davies")
    first = make_application(bank, person)

    with pytest.raises(AlreadyApplied) as again:
        make_application(bank, person)
    assert (again.value.status, again.value.field) == (409, "time_bank_id")
    assert make_application(other, person).time_bank_id == other.id, "a person may join several banks"

    membership.decline(db_session, broker, first.id, "We could not reach either referee.")
    second = make_application(bank, person)
    membership.withdraw(db_session, person, second.id)
    third = make_application(bank, person)

    statuses = db_session.scalars(sa.select(Application.status).where(
        Application.holder_id == person.id, Application.time_bank_id == bank.id).order_by(Application.id))
    assert list(statuses) == [ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN, ApplicationStatus.SUBMITTED]
    assert third.is_open


def test_the_database_keeps_one_open_application_even_if_the_service_is_bypassed(db_session, make_bank,
                                                                                make_person, make_application):
    bank = make_bank()
    person = make_person()
    make_application(bank, person)
    duplicate = Application(time_bank_id=bank.id, holder_id=person.id, submitted_by_id=person.id)
    with pytest.raises(sa.exc.IntegrityError), db_session.begin_nested():
        db_session.add(duplicate)
        db_session.flush()


def test_a_member_cannot_apply_again(db_session, make_bank, make_member):
    bank = make_bank()
    member, _ = make_member(bank)
    with pytest.raises(AlreadyMember) as error:
        membership.apply(db_session, member, holder_id=member.id, time_bank_id=bank.id)
    assert error.value.status == 409


def test_applications_check_what_is_typed(db_session, make_bank, make_person):
    bank = make_bank()
    person = make_person()

    def refused(**kw):
        with pytest.raises(DomainError) as error:
            membership.apply(db_session, person, holder_id=person.id, time_bank_id=bank.id, **kw)
        return error.value.field

    assert refused(statement="x" * 2001) == "statement"
    assert refused(referees=REFEREES * 3) == "referees"
    assert refused(referees=(Referee(" ", "a@example.org"),)) == "referee_1_name"
    assert refused(referees=(REFEREES[0], Referee("Ann", "  "))) == "referee_2_contact"
    assert db_session.scalar(sa.select(sa.func.count(Application.id))) == 0


# --- broker review and the decision ----------------------------------------------------------------


def test_a_broker_takes_an_application_from_submission_to_approval(
    db_session, make_bank, make_broker, sign_up_form, today, audited,
):
    bank = make_bank(name="Hollinbridge Time Bank")
    broker = make_broker(bank, "Bethan (broker)")
    person, application = membership.sign_up(db_session, sign_up_form(bank))
    first, second = application.references

    membership.record_interview(db_session, broker, application.id, today)
    assert (application.status, application.interview_on, application.interviewed_by_id) == (
        ApplicationStatus.IN_REVIEW, today, broker.id)
    membership.record_reference_outcome(db_session, broker, application.id, first.id,
                                        ReferenceOutcome.SATISFACTORY, today - dt.timedelta(days=1))
    membership.record_reference_outcome(db_session, broker, application.id, second.id,
                                        ReferenceOutcome.SATISFACTORY, today)
    assert account_in(db_session, person, bank) is None
    # Interviewed and both references good, but no DBS check: the broker must say to approve anyway.
    assert [check.code for check in membership.missing_checks(db_session, application)] == ["dbs-check"]
    with pytest.raises(ChecksMissing) as missing:
        membership.approve(db_session, broker, application.id, note="Lovely to meet Megan.")
    assert (missing.value.status, missing.value.field) == (409, "approve_anyway")
    assert "a current DBS check at basic level or above" in str(missing.value.message)
    assert application.is_open and account_in(db_session, person, bank) is None

    membership.approve(db_session, broker, application.id, note="Lovely to meet Megan.", approve_anyway=True)

    assert application.status == ApplicationStatus.APPROVED
    assert (application.decided_by_id, application.decision_note) == (broker.id, "Lovely to meet Megan.")
    assert application.decided_at is not None and not application.is_open
    assert [r.recorded_by_id for r in application.references] == [broker.id, broker.id]
    account = account_in(db_session, person, bank)
    assert (account.holder_kind, account.balance_minutes) == (HolderKind.RESIDENT, 0)
    assert [e.subject_id for e in audited("membership.applied")] == [person.id]
    [approved] = audited("membership.approved")
    assert (approved.actor_id, approved.subject_id, approved.details) == (
        broker.id, person.id, {"application_id": application.id, "approved_anyway": True, "missing": ["dbs-check"]})
    assert [e.details["account_id"] for e in audited("member.joined_bank")] == [account.id]
    assert [e.details["outcome"] for e in audited("membership.reference_recorded")] == ["satisfactory"] * 2


def test_what_an_approval_would_go_ahead_without(db_session, make_bank, make_broker, make_application,
                                                 hear_from_referees, today):
    """The interview until it has taken place, and (from safeguarding's rule for home visits, the first
    clearance) two satisfactory references and a current DBS check."""
    bank = make_bank()
    broker = make_broker(bank)
    application = make_application(bank)
    first, _second = application.references

    def missing() -> list[tuple[str, str]]:
        return [(check.code, str(check)) for check in membership.missing_checks(db_session, application)]

    assert missing() == [("interview", "an interview (none is recorded)"),
                         ("references", "two satisfactory references (0 so far)"),
                         ("dbs-check", "a current DBS check at basic level or above")]
    booked = today + dt.timedelta(days=6)
    membership.record_interview(db_session, broker, application.id, booked)
    membership.record_reference_outcome(db_session, broker, application.id, first.id,
                                        ReferenceOutcome.SATISFACTORY, today)
    assert missing()[:2] == [
        ("interview", f"an interview: the one booked for {format_date(booked)} has not happened yet"),
        ("references", "two satisfactory references (1 so far)")]

    membership.record_interview(db_session, broker, application.id, today)
    hear_from_referees(application, broker)
    safeguarding.record_dbs_check(db_session, broker, application.holder_id, bank.id,
                                  safeguarding.DbsCheckInput(level=DbsLevel.BASIC, issued_on=today))
    assert missing() == []


def test_with_every_check_done_an_approval_needs_no_more(db_session, make_bank, make_broker, make_application,
                                                         hear_from_referees, today, audited):
    bank = make_bank()
    broker = make_broker(bank)
    application = make_application(bank)
    membership.record_interview(db_session, broker, application.id, today - dt.timedelta(days=2))
    hear_from_referees(application, broker)
    safeguarding.record_dbs_check(db_session, broker, application.holder_id, bank.id,
                                  safeguarding.DbsCheckInput(level=DbsLevel.STANDARD, issued_on=today))

    membership.approve(db_session, broker, application.id)

    assert application.status == ApplicationStatus.APPROVED
    [approved] = audited("membership.approved")
    assert approved.details == {"application_id": application.id}


def test_declining_needs_a_reason_and_opens_no_account(db_session, make_bank, make_broker, make_application,
                                                        audited):
    bank = make_bank()
    broker = make_broker(bank)
    application = make_application(bank)

    with pytest.raises(DomainError) as error:
        membership.decline(db_session, broker, application.id, "   ")
    assert error.value.field == "note"
    assert application.status == ApplicationStatus.SUBMITTED

    membership.decline(db_session, broker, application.id, "  Both referees declined to vouch.  ")

    assert (application.status, application.decision_note) == (ApplicationStatus.DECLINED,
                                                               "Both referees declined to vouch.")
    assert application.decided_by_id == broker.id and application.decided_at is not None
    assert account_in(db_session, db_session.get(Person, application.holder_id), bank) is None
    [declined] = audited("membership.declined")
    assert (declined.actor_id, declined.details["holder_id"]) == (broker.id, application.holder_id)


@pytest.mark.parametrize("decide", [
    lambda s, actor, app_id: membership.approve(s, actor, app_id),
    lambda s, actor, app_id: membership.decline(s, actor, app_id, "No"),
    lambda s, actor, app_id: membership.decline(s, actor, app_id, ""),
    lambda s, actor, app_id: membership.record_interview(s, actor, app_id, dt.date.today()),
], ids=["approve", "decline", "decline-without-reason", "interview"])
def test_a_decision_by_a_non_broker_is_refused_and_nothing_changes(db_session, make_bank, make_broker,
                                                                    make_member, make_person, make_application,
                                                                    decide, audited):
    bank = make_bank()
    use_vouching(db_session, bank, make_broker(bank))
    applicant = make_person("Applicant")
    application = make_application(bank, applicant)
    fellow_member, _ = make_member(bank, "Fellow member")
    other_broker = make_broker(make_bank(), "Broker elsewhere")

    for insider in (applicant, fellow_member):  # they can see the application, so they are told why
        with pytest.raises(NotABroker) as refused:
            decide(db_session, insider, application.id)
        assert refused.value.status == 403
    with pytest.raises(ApplicationNotFound) as hidden:
        decide(db_session, other_broker, application.id)
    assert hidden.value.status == 404

    db_session.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED
    assert (application.decided_by_id, application.decided_at, application.interview_on) == (None, None, None)
    assert account_in(db_session, applicant, bank) is None
    assert audited("membership.approved") == audited("membership.declined") == []


def test_a_closed_application_refuses_every_change(db_session, make_bank, make_broker, make_person,
                                                   make_application, today):
    bank = make_bank()
    broker = make_broker(bank)
    applicant = make_person()
    application = make_application(bank, applicant)
    reference = application.references[0]
    membership.approve(db_session, broker, application.id, approve_anyway=True)

    attempts = [
        lambda: membership.approve(db_session, broker, application.id),
        lambda: membership.decline(db_session, broker, application.id, "Changed our mind"),
        lambda: membership.record_interview(db_session, broker, application.id, today),
        lambda: membership.add_reference(db_session, broker, application.id, Referee("Late", "late@example.org")),
        lambda: membership.add_reference(db_session, applicant, application.id, Referee("Late", "l@example.org")),
        lambda: membership.record_reference_outcome(db_session, broker, application.id, reference.id,
                                                    ReferenceOutcome.UNSATISFACTORY, today),
        lambda: membership.withdraw(db_session, applicant, application.id),
    ]
    for attempt in attempts:
        with pytest.raises(ApplicationClosed) as closed:
            attempt()
        assert closed.value.status == 409
    assert application.status == ApplicationStatus.APPROVED
    assert reference.outcome == ReferenceOutcome.AWAITED


def test_review_dates_are_checked(db_session, make_bank, make_broker, make_application, today):
    bank = make_bank()
    broker = make_broker(bank)
    application = make_application(bank)
    reference = application.references[0]

    with pytest.raises(DomainError) as interview:
        membership.record_interview(db_session, broker, application.id, today + dt.timedelta(days=800))
    with pytest.raises(DomainError) as outcome:
        membership.record_reference_outcome(db_session, broker, application.id, reference.id,
                                            ReferenceOutcome.SATISFACTORY, today + dt.timedelta(days=1))
    with pytest.raises(NotFound):
        membership.record_reference_outcome(db_session, broker, application.id, 999_999,
                                            ReferenceOutcome.SATISFACTORY, today)
    assert (interview.value.field, outcome.value.field) == ("interview_on", "outcome_on")
    assert application.status == ApplicationStatus.SUBMITTED


def test_referees_are_added_by_the_applicant_or_a_broker_up_to_four(db_session, make_bank, make_broker,
                                                                    make_person, make_member, make_application):
    bank = make_bank()
    broker = make_broker(bank)
    applicant = make_person()
    application = make_application(bank, applicant)

    membership.add_reference(db_session, applicant, application.id, Referee("Nia", "nia@example.org", "Aunt"))
    membership.add_reference(db_session, broker, application.id, Referee("Owain", "01632 960 999"))
    with pytest.raises(Conflict) as too_many:
        membership.add_reference(db_session, applicant, application.id, Referee("Fifth", "f@example.org"))
    with pytest.raises(ApplicationNotFound):
        membership.add_reference(db_session, make_member(bank)[0], application.id, Referee("X", "x@example.org"))

    assert too_many.value.status == 409
    assert [r.referee_name for r in application.references] == ["Rhys Evans", "Siân Morgan", "Nia", "Owain"]


# --- withdrawing -----------------------------------------------------------------------------------


def test_only_the_applicant_withdraws(db_session, make_bank, make_broker, make_person, make_application, audited):
    bank = make_bank()
    broker = make_broker(bank)
    applicant = make_person()
    application = make_application(bank, applicant)

    with pytest.raises(Forbidden):
        membership.withdraw(db_session, broker, application.id)
    with pytest.raises(ApplicationNotFound):
        membership.withdraw(db_session, make_person("Stranger"), application.id)
    assert application.status == ApplicationStatus.SUBMITTED

    membership.withdraw(db_session, applicant, application.id)

    assert application.status == ApplicationStatus.WITHDRAWN and application.decided_by_id is None
    assert [e.actor_id for e in audited("membership.withdrawn")] == [applicant.id]


# --- community vouching ----------------------------------------------------------------------------


def test_two_vouches_send_an_application_to_the_broker(db_session, make_bank, make_broker, make_member,
                                                       make_application, audited):
    bank = make_bank()
    broker = make_broker(bank)
    use_vouching(db_session, bank, broker, vouches_needed=2)
    alun, _ = make_member(bank, "Alun")
    bronwen, _ = make_member(bank, "Bronwen")
    application = make_application(bank)

    membership.vouch(db_session, alun, application.id)
    assert application.status == ApplicationStatus.SUBMITTED
    membership.vouch(db_session, bronwen, application.id)
    assert application.status == ApplicationStatus.VOUCHED
    assert [v.voucher_id for v in application.vouches] == [alun.id, bronwen.id]
    assert [e.details["vouches"] for e in audited("membership.vouched")] == [1, 2]

    membership.approve(db_session, broker, application.id, approve_anyway=True)
    assert application.status == ApplicationStatus.APPROVED


def test_vouching_refuses_yourself_twice_and_outsiders(db_session, make_bank, make_broker, make_member,
                                                       make_person, make_organisation, make_application):
    bank, quiet_bank = make_bank(), make_bank()
    use_vouching(db_session, bank, make_broker(bank), vouches_needed=2)
    member, _ = make_member(bank, "Member")
    applicant = make_person("Applicant")
    application = make_application(bank, applicant)
    charity_admin = make_person("Charity admin")
    charity, _ = make_organisation(bank, admins=(charity_admin,))
    charity_application = make_application(make_bank(), charity)

    with pytest.raises(CannotVouchForSelf) as own:
        membership.vouch(db_session, applicant, application.id)
    assert own.value.status == 403
    membership.vouch(db_session, member, application.id)
    with pytest.raises(AlreadyVouched) as twice:
        membership.vouch(db_session, member, application.id)
    assert twice.value.status == 409
    with pytest.raises(CannotVouchForSelf):
        membership.vouch(db_session, charity_admin, charity_application.id)
    with pytest.raises(ApplicationNotFound):
        membership.vouch(db_session, make_person("Not a member"), application.id)
    with pytest.raises(ApplicationNotFound):
        membership.vouch(db_session, member, 999_999)

    quiet_member, _ = make_member(quiet_bank, "Quiet bank member")
    quiet_application = make_application(quiet_bank)
    with pytest.raises(ApplicationNotFound):
        membership.vouch(db_session, quiet_member, quiet_application.id)
    with pytest.raises(Forbidden):  # a broker sees the application but is not a member to vouch
        membership.vouch(db_session, make_broker(bank, "Broker, not member"), application.id)

    assert [v.voucher_id for v in application.vouches] == [member.id]
    assert application.status == ApplicationStatus.SUBMITTED
    assert quiet_application.vouches == [] and charity_application.vouches == []


def test_no_vouching_on_a_closed_application(db_session, make_bank, make_broker, make_member, make_application):
    bank = make_bank()
    broker = make_broker(bank)
    use_vouching(db_session, bank, broker)
    member, _ = make_member(bank)
    application = make_application(bank)
    membership.decline(db_session, broker, application.id, "Moved away")
    with pytest.raises(ApplicationNotFound):
        membership.vouch(db_session, member, application.id)
    assert application.vouches == []


# --- who sees which application --------------------------------------------------------------------


def test_who_sees_which_application(db_session, make_bank, make_broker, make_member, make_person,
                                    make_organisation, make_application):
    bank, other = make_bank(), make_bank()
    broker, other_broker = make_broker(bank), make_broker(other)
    use_vouching(db_session, bank, broker)
    applicant = make_person("Applicant")
    application = make_application(bank, applicant)
    elsewhere = make_application(other)
    voucher, _ = make_member(bank, "Voucher")
    admin = make_person("Admin of a member charity")
    make_organisation(bank, admins=(admin,))  # acts for a member, but is not one
    stranger = make_person("Stranger")

    def ids(actor, **kw):
        return [a.id for a in membership.list_applications(db_session, actor, **kw).items]

    assert ids(broker) == [application.id]
    assert ids(other_broker) == [elsewhere.id]
    assert ids(applicant) == [application.id]
    assert ids(applicant, to_vouch=True) == []
    assert ids(voucher) == []
    assert ids(voucher, to_vouch=True) == [application.id]
    assert ids(admin, to_vouch=True) == [], "only members themselves vouch"
    assert ids(stranger) == ids(stranger, to_vouch=True) == []
    assert ids(broker, status=ApplicationStatus.APPROVED) == []

    assert membership.visible_application(db_session, voucher, application.id)[1] == membership.Access(
        is_broker=False, is_applicant=False, may_vouch=True)
    for outsider in (stranger, other_broker, admin):
        with pytest.raises(ApplicationNotFound):
            membership.visible_application(db_session, outsider, application.id)

    membership.approve(db_session, broker, application.id, approve_anyway=True)
    assert ids(voucher, to_vouch=True) == []
    assert ids(broker, status=ApplicationStatus.APPROVED) == [application.id]
    with pytest.raises(ApplicationNotFound):  # a voucher's view ends with the application
        membership.visible_application(db_session, voucher, application.id)


def test_applications_are_listed_newest_first_a_page_at_a_time(db_session, make_bank, make_broker,
                                                               make_application):
    bank = make_bank()
    broker = make_broker(bank)
    made = [make_application(bank).id for _ in range(5)]

    first = membership.list_applications(db_session, broker, per_page=2)
    last = membership.list_applications(db_session, broker, per_page=2, page=3)

    assert (first.total, first.pages) == (5, 3)
    assert [a.id for a in first.items] == made[::-1][:2]
    assert [a.id for a in last.items] == made[:1]


def test_a_declined_applicant_is_no_longer_the_bank_s_to_manage(db_session, make_bank, make_broker, make_person,
                                                                 make_application):
    bank = make_bank()
    broker = make_broker(bank)
    applicant = make_person("Applicant")
    application = make_application(bank, applicant)
    assert policy.brokers_holder(db_session, broker, applicant.id), "while it is open, the broker reviews them"

    membership.decline(db_session, broker, application.id, "Not this time")

    assert not policy.brokers_holder(db_session, broker, applicant.id)
    assert not policy.may_manage_holder(db_session, broker, applicant)
    with pytest.raises(NotFound):
        privacy.leave(db_session, broker, applicant.id)
    assert membership.visible_application(db_session, broker, application.id)[1].is_broker, \
        "the decided application itself stays on the bank's list"
