"""The world the permission table is checked in: one bank, one person per role, and one of each thing
a route can name. The table in ``docs/permissions.md`` says what each role gets for each route when the
route's ids name the things built here.

* **resident**: a member of the bank who is not a party to the exchange, not the subject and not the
  applicant.
* **organisation admin**: acts for the organisation, which is a party to the exchange.
* **broker**: brokers the bank. **funder**: funds the bank and holds no account. **admin**: runs the install.
* The subject (``holder_id``, ``person_id``, ``account_id``) is another resident of the bank, with a live
  password link (``secret``) the broker made; the
  application (``application_id``, ``reference_id``) is a newcomer's open application; the bank uses
  community vouching, so members may read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities import service as activities
from timebank.activities.models import CoProductionForm, Party, RoleDirection
from timebank.attendance import service as attendance
from timebank.auth import service as auth
from timebank.auth import tokens
from timebank.auth.passwords import hash_password
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.benefits import profiles as benefit_profiles
from timebank.benefits.facts import Benefit, Profile, Severity
from timebank.benefits.models import BenefitFlag
from timebank.brokerage import contact
from timebank.brokerage import service as brokerage
from timebank.clock import uk_today
from timebank.exchanges import disputes
from timebank.exchanges import service as exchanges
from timebank.exchanges.service import Proposal, Side
from timebank.feedback import links
from timebank.feedback.service import ThingKind
from timebank.imports import service as imports
from timebank.jobs.models import Job, JobState
from timebank.listings import service as listings
from timebank.listings.models import ListingKind
from timebank.mail import service as mail
from timebank.mail.models import EmailKind, EmailStatus, OutboundEmail
from timebank.members import service as members
from timebank.members.models import BankRoleName, ContactMethod, Language, OrganisationType, Person
from timebank.membership import service as membership
from timebank.membership.service import Referee, SignUp
from timebank.money import service as money
from timebank.money.models import ExpenseKind, PaymentKind
from timebank.notices import service as notices_service
from timebank.notices.models import Notice, NoticeKind
from timebank.profiles import service as profiles
from timebank.profiles.models import ContributionKind
from timebank.programmes import service as programmes
from timebank.receipts import RedeemedFor
from timebank.types import utcnow

PASSWORD = "correct horse battery"
ROLES = ("anonymous", "resident", "organisation admin", "broker", "funder", "admin")


@dataclass
class World:
    #: Each role's email (``None``: anonymous) and bearer token.
    emails: dict[str, str | None]
    tokens: dict[str, str | None]
    ids: dict[str, int]

    def bodies(self) -> dict[tuple[str, str], dict[str, Any]]:
        """A valid JSON body for each API write whose body is checked before access: with it, a role
        that is let in gets past validation and is refused (if at all) for who they are."""
        ids, today = self.ids, uk_today().isoformat()
        organisation = {"display_name": "Permissions Charity", "organisation_type": "charity",
                        "charity_number": "1234567"}
        week = (uk_today() + dt.timedelta(days=7)).isoformat()
        activity = {"title": "Garden", "form": "co_delivering", "designed_by": "shared", "delivered_by": "shared"}
        role = {"title": "Helper", "category": "gardening", "places": 4}
        paid = {"organisation_id": ids["organisation_id"], "time_bank_id": ids["bank_id"],
                "person_id": ids["person_id"], "paid_on": today}
        return {
            ("POST", "/api/v1/activities"): {**activity, "time_bank_id": ids["bank_id"],
                                              "organisation_id": ids["organisation_id"], "idempotency_key": "perm-a"},
            ("PUT", "/api/v1/activities/<activity_id>"): activity,
            ("POST", "/api/v1/activities/<activity_id>/roles"): {**role, "idempotency_key": "perm-r"},
            ("PUT", "/api/v1/activities/<activity_id>/roles/<activity_role_id>"): role,
            ("POST", "/api/v1/activities/<activity_id>/roles/<activity_role_id>/sessions"): {
                "on": week, "start_time": "10:00", "end_time": "12:00", "idempotency_key": "perm-s"},
            ("POST", "/api/v1/listings"): {"time_bank_id": ids["bank_id"], "holder_id": ids["organisation_id"],
                                           "kind": "request", "title": "Stewards", "category": "community-events",
                                           "needed_on": week},
            ("PATCH", "/api/v1/listings/<listing_id>"): {"title": "A longer swim"},
            ("PUT", "/api/v1/sessions/<session_id>"): {"on": week, "start_time": "14:00", "end_time": "16:00",
                                                      "place": "The church hall"},
            ("PUT", "/api/v1/me/email-preferences"): {"kinds": [{"kind": "listing_review", "wanted": False}]},
            ("POST", "/api/v1/expenses"): {**paid, "kind": "travel", "amount_paid_pence": 1000,
                                           "amount_receipted_pence": 1000, "receipts_count": 1,
                                           "idempotency_key": "perm-e"},
            ("POST", "/api/v1/payments"): {**paid, "kind": "gift", "amount_pence": 1500, "idempotency_key": "perm-p"},
            ("POST", "/api/v1/redemptions"): {
                "partner_id": ids["organisation_id"], "time_bank_id": ids["bank_id"], "person_id": ids["person_id"],
                "item": "A swim", "credit_minutes": 60, "occurred_on": today, "idempotency_key": "perm-x"},
            ("POST", "/api/v1/sessions/<session_id>/attendance"): {
                "attendees": [{"person_id": ids["person_id"], "attended": True}]},
            ("POST", "/api/v1/exchanges/<exchange_id>/disputes"): {"reason": "It was one hour, not two."},
            ("POST", "/api/v1/disputes/<dispute_id>/resolve"): {"outcome": "note", "note": "Checked with both."},
            ("POST", "/api/v1/imports"): {
                "time_bank_id": ids["bank_id"], "filename": "march.csv",
                "content": f"date,giver,receiver,hours,category\r\n{today},{ids['account_id']},"
                           f"{ids['organisation_account_id']},1,gardening\r\n"},
            ("POST", "/api/v1/applications/<application_id>/decline"): {"note": "Not this time"},
            ("POST", "/api/v1/applications/<application_id>/interview"): {"interview_on": today},
            ("POST", "/api/v1/applications/<application_id>/references"): {
                "name": "Rita Ref", "contact": "01632 960001"},
            ("PUT", "/api/v1/applications/<application_id>/references/<reference_id>"): {
                "outcome": "satisfactory", "outcome_on": today},
            ("PUT", "/api/v1/banks/<bank_id>/settings"): {
                "vouching_enabled": True, "vouches_needed": 2, "dbs_renewal_months": 24,
                "attendance_without_clearance": False},
            ("POST", "/api/v1/banks/<bank_id>/staff"): {"email": "resident@perm.example", "role": "funder"},
            ("POST", "/api/v1/exchanges"): {
                "account_id": ids["organisation_account_id"], "side": "receiver",
                "counterpart_account_id": ids["account_id"], "minutes": 30, "occurred_on": today,
                "category": "gardening", "description": "", "idempotency_key": "permissions-api"},
            ("POST", "/api/v1/exchanges/<exchange_id>/reverse"): {"reason": "Recorded twice"},
            ("PUT", "/api/v1/organisations/<organisation_id>"): organisation,
            ("POST", "/api/v1/organisations/<organisation_id>/admins"): {"email": "resident@perm.example"},
            ("POST", "/api/v1/organisations/<organisation_id>/contributions"): {
                "kind": "room", "description": "A hall"},
            ("POST", "/api/v1/people"): {
                "display_name": "Olwen Offline", "postcode": "HB3 2QT", "contact_by": "broker",
                "time_bank_id": ids["bank_id"]},
            ("POST", "/api/v1/me/password"): {"current_password": PASSWORD, "new_password": "a brand new password"},
            ("PUT", "/api/v1/people/<person_id>/contact"): {
                "display_name": "Sian Subject", "email": "subject@perm.example", "contact_by": "email",
                "preferred_language": "en"},
            ("POST", "/api/v1/people/<person_id>/dbs-checks"): {
                "time_bank_id": ids["bank_id"], "level": "basic", "issued_on": today},
            ("POST", "/api/v1/people/<person_id>/safeguarding-notes"): {
                "time_bank_id": ids["bank_id"], "body": "Met at the hall."},
            **self.benefit_bodies(),
            **self.brokerage_bodies(),
            **self.programme_bodies(),
            **self.feedback_bodies(),
        }

    def programme_bodies(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Issue 14's: a funder, a reader, a programme in the bank, a scope, outcomes, tags, an in-kind record."""
        ids, today = self.ids, uk_today().isoformat()
        given = {"time_bank_id": ids["bank_id"], "kind": "room", "description": "The hall", "given_on": today}
        period = {"name": "Permissions Programme", "starts_on": today, "ends_on": today}
        return {
            ("POST", "/api/v1/funders"): {"name": "Another Permissions Fund"},
            ("PUT", "/api/v1/funders/<funder_id>"): {"name": "Permissions Fund", "name_cy": "Cronfa Caniatâd"},
            ("POST", "/api/v1/funders/<funder_id>/members"): {"email": "resident@perm.example"},
            ("POST", "/api/v1/programmes"): {**period, "funder_id": ids["funder_id"],
                                             "scope": {"time_bank_id": ids["bank_id"]}},
            ("PUT", "/api/v1/programmes/<programme_id>"): period,
            ("POST", "/api/v1/programmes/<programme_id>/scopes"): {"time_bank_id": ids["bank_id"],
                                                                   "organisation_id": ids["organisation_id"]},
            ("POST", "/api/v1/programmes/<programme_id>/outcomes"): {"name": "Fewer people lonely"},
            ("POST", "/api/v1/programmes/<programme_id>/outcome-sets"): {"set_code": "wales-wellbeing-goals"},
            ("PUT", "/api/v1/activities/<activity_id>/outcomes"): {"outcome_ids": [ids["outcome_id"]]},
            ("PUT", "/api/v1/roles/<activity_role_id>/outcomes"): {"outcome_ids": [ids["outcome_id"]]},
            ("POST", "/api/v1/organisations/<organisation_id>/in-kind"): given,
            ("PUT", "/api/v1/organisations/<organisation_id>/in-kind/<in_kind_id>"): given,
        }

    def feedback_bodies(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Issue 14's a broker (or an admin) may send: an answer given on paper by the subject, who has not come
        to the session (so it is refused naming ``person_id``). Nobody here may answer for themselves, and the
        exchange's paper form refuses before reading (the exchange is pending): no bodies."""
        return {("POST", "/api/v1/sessions/<session_id>/feedback/paper"): {
            "how_it_went": 4, "again": "yes", "comment": "Good", "person_id": self.ids["person_id"]}}

    def brokerage_bodies(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Issue 13's: introduce the resident to the charity's request; answer for the charity's side; a note
        and a reply. (A member's own message has no body here: only members write, and an admin is none.)"""
        ids = self.ids
        return {
            ("POST", "/api/v1/brokerage/introductions"): {"candidate_ids": [ids["resident_id"]],
                                                          "listing_id": ids["request_id"]},
            ("POST", "/api/v1/brokerage/introductions/<introduction_id>/answer"): {"side": "other",
                                                                                   "answer": "declined"},
            ("POST", "/api/v1/brokerage/people/<person_id>/notes"): {
                "time_bank_id": ids["bank_id"], "contacted_on": uk_today().isoformat(), "body": "Rang them."},
            ("POST", "/api/v1/brokerage/banks/<bank_id>/messages/<person_id>"): {"body": "Thank you."},
        }

    def benefit_bodies(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Issue 12's writes anyone may make for themselves: consent to the current wording, and a profile.
        (A broker's writes on a member's data or a flag get an empty body: a broker is let in and told what
        is missing; an admin as such is not let in at all, so they are no bodies "an admin may send".)"""
        return {
            ("PUT", "/api/v1/benefits/consent"): {"wording_version": benefit_profiles.WORDING_VERSION, "agree": True},
            ("PUT", "/api/v1/benefits/profile"): {"benefits": ["uc"], "jurisdiction": "england", "couple": False},
        }

    def query(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Query parameters a route needs before it decides access."""
        bank = {"time_bank_id": self.ids["bank_id"]}
        today = uk_today().isoformat()
        return {("GET", "/api/v1/people/<person_id>/safeguarding"): bank,
                ("GET", "/api/v1/brokerage/people/<person_id>/notes"): bank,
                ("GET", "/api/v1/me/messages"): bank,
                ("GET", "/api/v1/brokerage/banks/<bank_id>/conversion"): {"first": today, "last": today}}


def _person(session: Session, name: str, email: str) -> Person:
    return members.create_person(session, display_name=name, email=email, password_hash=hash_password(PASSWORD),
                                 postcode="HB1 1AA")


def build(session: Session) -> World:
    bank: TimeBank = banks.create_bank(session, slug="permissions", name="Permissions Time Bank",
                                       agency_name="Permissions Action", actor_id=None,
                                       opened_on=uk_today() - dt.timedelta(days=365))
    bank.vouching_enabled = True
    admin = _person(session, "Ada Admin", "admin@perm.example")
    admin.is_admin = True
    resident = _person(session, "Rhys Resident", "resident@perm.example")
    subject = _person(session, "Sian Subject", "subject@perm.example")
    org_admin = _person(session, "Owen Orgadmin", "orgadmin@perm.example")
    broker = _person(session, "Beth Broker", "broker@perm.example")
    funder = _person(session, "Fred Funder", "funder@perm.example")
    for person in (resident, subject):
        members.join_bank(session, person, bank.id, actor_id=None)
    organisation = members.create_organisation(session, display_name="Permissions Charity",
                                               organisation_type=OrganisationType.CHARITY, admin_ids=(org_admin.id,))
    members.join_bank(session, organisation, bank.id, actor_id=None)
    banks.grant_role(session, time_bank_id=bank.id, person_id=broker.id, role=BankRoleName.BROKER, actor_id=None)
    funder_role = banks.grant_role(session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER,
                                   actor_id=None)
    profiles.update_profile(session, subject, subject.id, profiles.ProfileUpdate(abilities=("gardening",)))
    profiles.update_profile(session, org_admin, organisation.id, profiles.ProfileUpdate(abilities=("cooking",)))
    contribution = profiles.add_contribution(session, org_admin, organisation.id, ContributionKind.ROOM,
                                             "The hall on Tuesdays")
    subject_account = exchanges.accounts_to_act_for(session, subject)[0].account
    organisation_account = exchanges.accounts_to_act_for(session, org_admin)[0].account
    exchange, _ = exchanges.propose(session, subject, Proposal(
        account_id=subject_account.id, side=Side.GIVER, counterpart_account_id=organisation_account.id,
        minutes=60, occurred_on=uk_today() - dt.timedelta(days=1), category="gardening", description="",
        idempotency_key="permissions-world",
    ))
    _, application = membership.sign_up(session, SignUp(
        display_name="Alys Applicant", email="applicant@perm.example", password=PASSWORD, phone=None,
        postcode="HB2 2BB", preferred_language=Language.ENGLISH, contact_by=ContactMethod.EMAIL,
        time_bank_id=bank.id, statement="Gardening", referees=(Referee("Rob Referee", "rob@perm.example"),),
    ))
    codelivery = _codelivery(session, bank.id, organisation.id, org_admin, broker, resident, subject,
                             subject_account.id, organisation_account.id)
    secret, _ = auth.make_password_link(session, broker, subject.id,
                                        auth.LinkLifetimes(dt.timedelta(days=7), dt.timedelta(hours=24)))
    people: dict[str, Person | None] = {
        "anonymous": None, "resident": resident, "organisation admin": org_admin, "broker": broker,
        "funder": funder, "admin": admin,
    }
    issued = {role: tokens.issue_token(session, person, dt.timedelta(hours=1))[0] if person else None
              for role, person in people.items()}
    emails = {role: person.email if person else None for role, person in people.items()}
    ids: dict[str, Any] = {
        "bank_id": bank.id, "holder_id": subject.id, "person_id": subject.id, "account_id": subject_account.id,
        "organisation_id": organisation.id, "exchange_id": exchange.id, "application_id": application.id,
        "reference_id": application.references[0].id, "role_id": funder_role.id,
        "contribution_id": contribution.id, "organisation_account_id": organisation_account.id,
        "organisation_admin_id": org_admin.id, "secret": secret, **codelivery,
        "token_id": tokens.issue_token(session, resident, dt.timedelta(days=1), name="Resident's script")[1].id,
        "email_id": _outbox_email(session, resident),
        "unsent_email_id": _unsent_email(session, subject, bank.id),
        "unsubscribe_token": mail.unsubscribe_token(subject.id, EmailKind.EXCHANGE_PENDING),
        # The subject's link about the exchange: still pending, so it opens nothing (yet).
        "answer_token": links.answer_token(subject.id, ThingKind.EXCHANGE, exchange.id),
    }
    ids.update(_brokerage(session, bank.id, organisation.id, org_admin, broker, subject, resident))
    ids.update(_programmes(session, bank.id, organisation.id, org_admin, broker, funder, admin))
    session.commit()
    ids["flag_id"] = _benefits(session, subject, bank.id)
    return World(emails=emails, tokens=issued, ids=ids)


def _brokerage(session: Session, bank_id: int, organisation_id: int, org_admin: Person, broker: Person,
               subject: Person, resident: Person) -> dict[str, Any]:
    """Issue 13's: the charity asks for help (``request_id``); the broker introduced the subject to it
    (``introduction_id``: the organisation admin answers for the other side); the subject wrote to the
    bank's brokers. ``section`` is one of the dashboard's "see all" lists."""
    request, _ = listings.create_listing(
        session, org_admin, holder_id=organisation_id, time_bank_id=bank_id, kind=ListingKind.REQUEST,
        details=listings.ListingDetails(title="Stewards for the fair", category="gardening",
                                        needed_on=uk_today() + dt.timedelta(days=7)))
    [introduction] = brokerage.introduce(session, broker, brokerage.NewIntroduction([subject.id],
                                                                                    listing_id=request.id))
    contact.write_to_brokers(session, subject, bank_id, "Could I help at the fair?")
    return {"request_id": request.id, "introduction_id": introduction.id, "resident_id": resident.id,
            "section": "requests"}


def _programmes(session: Session, bank_id: int, organisation_id: int, org_admin: Person, broker: Person,
                funder: Person, admin: Person) -> dict[str, Any]:
    """Issue 14's: a funder whose one reader is the world's funder; its programme, made by the broker, covering
    the whole bank with one outcome; a room the charity gave, recorded by its admin."""
    fund = programmes.create_funder(session, admin, "Permissions Fund")
    programmes.add_funder_member(session, admin, fund.id, funder.email or "")
    programme = programmes.create_programme(session, broker, fund.id, programmes.ProgrammeDetails(
        name="Permissions Programme", starts_on=uk_today() - dt.timedelta(days=30), ends_on=uk_today()),
        programmes.ScopeDetails(time_bank_id=bank_id))
    [scope] = programmes.programme_scopes(session, programme.id)
    outcome = programmes.add_outcome(session, broker, programme.id, "Healthier people")
    given = programmes.record_in_kind(session, org_admin, organisation_id, programmes.InKindDetails(
        time_bank_id=bank_id, kind=ContributionKind.ROOM, description="The hall", given_on=uk_today()))
    return {"funder_id": fund.id, "reader_id": funder.id, "programme_id": programme.id, "scope_id": scope.id,
            "outcome_id": outcome.id, "in_kind_id": given.id,
            # A charted table of every report (the reports' chart routes).
            "table_key": "kinds"}


def _benefits(session: Session, subject: Person, bank_id: int) -> int:
    """Issue 12's: the subject has switched benefit-safe checks on and has a benefit profile (committed, so the
    rules have run for them), and a flag a rule raised on them in the bank long ago (``flag_id``). Its rule may
    not exist on every branch: a flag whose rule is unknown is still shown."""
    benefit_profiles.give_consent(session, subject, subject.id)
    benefit_profiles.save_profile(session, subject, subject.id, Profile(benefits=frozenset({Benefit.UC})))
    session.commit()
    long_ago = uk_today() - dt.timedelta(days=400)
    flag = BenefitFlag(person_id=subject.id, time_bank_id=bank_id, rule_id="TB-01", key="permissions-world",
                       severity=Severity.HIGH, window_start=long_ago, window_end=long_ago,
                       evidence={"references": [], "computed": {}, "thresholds": [], "params": {}})
    session.add(flag)
    session.flush()
    flag_id = flag.id
    session.commit()  # and nothing read after it: the caller's next transaction starts where it chooses
    return flag_id


def _outbox_email(session: Session, person: Person) -> int:
    """An email kept in the outbox (no mail server), for the resident."""
    email = OutboundEmail(person_id=person.id, kind=EmailKind.LISTING_REVIEW, language="en",
                          to_address=person.email, status=EmailStatus.SENT, attempts=1, sent_at=utcnow(),
                          subject_line="A listing of yours is due for review", text_body="Hello",
                          html_body="<p>Hello</p>")
    session.add(email)
    session.flush()
    return email.id


def _unsent_email(session: Session, person: Person, time_bank_id: int) -> int:
    """An email not sent to the subject, who hears through their broker: for the broker to pass on."""
    email = OutboundEmail(person_id=person.id, time_bank_id=time_bank_id, kind=EmailKind.EXCHANGE_PENDING,
                          language="en", status=EmailStatus.FOR_BROKER, attempts=0)
    session.add(email)
    session.flush()
    return email.id


def _codelivery(session: Session, bank_id: int, organisation_id: int, org_admin: Person, broker: Person,
                resident: Person, subject: Person, subject_account_id: int,
                organisation_account_id: int) -> dict[str, Any]:
    """Issue 4's things, all the organisation's: a published activity with a role and a session the
    subject has booked, a spend offer, money records paid to the subject, a dispute the organisation
    raised on a confirmed exchange, a notice of the resident's, a checked timesheet import, and the
    subject's calendar address."""
    today = uk_today()
    activity, _ = activities.create_activity(session, org_admin, activities.NewActivity(
        title="Permissions garden", summary="", place="The hall", form=CoProductionForm.CO_DELIVERING,
        designed_by=Party.SHARED, delivered_by=Party.SHARED, time_bank_id=bank_id, organisation_id=organisation_id,
    ))
    role, _ = activities.add_role(session, org_admin, activity.id, activities.RoleDetails(
        title="Grower", description="", category="gardening", abilities=(), direction=RoleDirection.GIVES,
        places=4, credit_minutes=None, clearance=None, normally_paid=False, service_user_involvement=False,
        release_notice_hours=0, away_overnight=False,
    ))
    activities.publish(session, org_admin, activity.id)
    (occasion,), _ = activities.add_sessions(session, org_admin, activity.id, role.id, activities.NewSessions(
        on=today + dt.timedelta(days=7), start_time=dt.time(10), end_time=dt.time(12),
    ))
    attendance.sign_up(session, subject, occasion.id)
    offer, _ = listings.create_listing(
        session, org_admin, holder_id=organisation_id, time_bank_id=bank_id, kind=ListingKind.SPEND,
        details=listings.ListingDetails(title="A swim", category="leisure-pass", price_minutes=60,
                                        receives=RedeemedFor.TIME_BASED_ACTIVITY),
    )
    # Matching's: a request of the charity's that brokers find people for.
    needed, _ = listings.create_listing(
        session, org_admin, holder_id=organisation_id, time_bank_id=bank_id, kind=ListingKind.REQUEST,
        details=listings.ListingDetails(title="A lift to the depot", category="lifts",
                                        needed_on=today + dt.timedelta(days=3)),
    )
    paid = {"organisation_id": organisation_id, "time_bank_id": bank_id, "person_id": subject.id, "paid_on": today}
    expense, _ = money.record_expense(session, org_admin, money.ExpenseInput(
        **paid, kind=ExpenseKind.TRAVEL, amount_paid_pence=460, amount_receipted_pence=460, receipts_count=1,
        idempotency_key="permissions-expense",
    ))
    payment, _ = money.record_payment(session, org_admin, money.PaymentInput(
        **paid, kind=PaymentKind.GIFT, amount_pence=1000, idempotency_key="permissions-payment",
    ))
    redemption, _ = money.redeem(session, org_admin, money.RedemptionInput(
        partner_id=organisation_id, time_bank_id=bank_id, person_id=subject.id, item="A swim",
        redeemed_for=RedeemedFor.TIME_BASED_ACTIVITY, credit_minutes=60, occurred_on=today,
        idempotency_key="permissions-redemption", listing_id=offer.id,
    ))
    confirmed, _ = exchanges.propose(session, org_admin, Proposal(
        account_id=organisation_account_id, side=Side.RECEIVER, counterpart_account_id=subject_account_id,
        minutes=120, occurred_on=today, category="gardening", description="", idempotency_key="permissions-disputed",
    ))
    exchanges.confirm(session, subject, confirmed.id)
    dispute, _ = disputes.raise_dispute(session, org_admin, confirmed.id, "It was one hour, not two.")
    notices_service.notify(session, [resident.id], NoticeKind.LISTING_REVIEW, offer.id, "permissions-notice",
                           time_bank_id=bank_id)
    notice_id = session.scalar(sa.select(Notice.id).where(Notice.person_id == resident.id))
    timesheet = imports.check(session, broker, time_bank_id=bank_id, filename="paper.csv",
                              content=f"date,giver,receiver,hours,category\r\n{today:%d/%m/%Y},"
                                      f"{subject_account_id},{organisation_account_id},1,gardening\r\n")
    failed = Job(kind="imports.apply", key=f"permissions-{timesheet.id}", payload={"import_id": timesheet.id},
                 state=JobState.FAILED, attempts=5, max_attempts=5, last_error="builtins.RuntimeError",
                 requested_by_id=broker.id, time_bank_id=bank_id, finished_at=utcnow())
    session.add(failed)
    session.flush()
    return {
        "job_id": failed.id,
        "activity_id": activity.id, "activity_role_id": role.id, "session_id": occasion.id,
        "listing_id": offer.id, "request_id": needed.id, "kind": "request", "expense_id": expense.id,
        "payment_id": payment.id,
        "redemption_id": redemption.id, "record": "expenses", "dispute_id": dispute.id, "notice_id": notice_id,
        "import_id": timesheet.id, "token": attendance.make_calendar_feed(session, subject),
    }
