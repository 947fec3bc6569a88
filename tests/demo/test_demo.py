"""The demo bank: its people and roles, their profiles and applications, safeguarding records, and nearly
two years of exchanges in every state, all through the services."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
import sqlalchemy as sa

from timebank.activities.models import Activity, ActivitySession, ActivityStatus, Role, SignUp, SignUpStatus
from timebank.auth.passwords import verify_password
from timebank.banks.models import TimeBank
from timebank.demo import data
from timebank.demo import service as demo
from timebank.demo.cli import demo_command, seed_command
from timebank.exchanges.models import Dispute, DisputeStatus
from timebank.ledger import checks
from timebank.ledger.models import Account, Exchange, ExchangeKind, ExchangeState
from timebank.listings.models import Listing, ListingKind
from timebank.members.models import (
    BankRole,
    BankRoleName,
    ContactMethod,
    Language,
    Organisation,
    OrganisationType,
    Person,
)
from timebank.membership.models import Application, ApplicationStatus, ReferenceOutcome
from timebank.money.models import Expense, ExpenseKind, Payment, Redemption
from timebank.profiles import service as profiles
from timebank.profiles.models import ContributionKind, Profile
from timebank.profiles.search import Criteria, search
from timebank.receipts import RedeemedFor
from timebank.safeguarding import service as safeguarding
from timebank.safeguarding.clearances import Clearance
from timebank.types import utcnow

#: Ofcom's numbers for drama: 01632 960000 to 960999 and 07700 900000 to 900999.
DRAMA_PHONE = re.compile(r"(01632 960|07700 900)[0-9]{3}")
#: Words a deficit profile would use. The demo's profiles start from abilities and never use them.
DEFICIT_WORDS = re.compile(
    r"\b(needs?|needed|needing|problems?|conditions?|illness\w*|disabilit\w*|diagnos\w*|struggl\w*)\b", re.I
)


def _person(session, email):
    return session.scalar(sa.select(Person).where(Person.email == email))


def test_the_demo_bank_has_its_people_and_two_years_of_exchanges(demo_template, demo_session, today):
    summary = demo_template.summary

    assert summary.created
    bank = demo_session.get(TimeBank, summary.time_bank_id)
    assert bank.name == data.BANK_NAME

    # Eight logins, all with the demo password, each in its role (the applicant has none yet).
    logins = {login.role: _person(demo_session, login.email) for login in demo.LOGINS}
    assert len(logins) == 8 and all(logins.values())
    assert all(verify_password(person.password_hash, data.DEMO_PASSWORD) for person in logins.values())
    roles = set(
        demo_session.execute(sa.select(BankRole.person_id, BankRole.role).where(BankRole.time_bank_id == bank.id))
    )
    assert (logins["broker"].id, BankRoleName.BROKER) in roles
    assert (logins["funder"].id, BankRoleName.FUNDER) in roles
    assert logins["admin"].is_admin
    org_types = {org.organisation_type for person in ("charity", "council") for org in logins[person].organisations}
    assert org_types == {OrganisationType.CHARITY, OrganisationType.COUNCIL}

    # About forty residents, a few of them offline.
    resident_accounts = demo_session.scalars(
        sa.select(Account).where(Account.time_bank_id == bank.id, Account.holder_kind == "resident")
    ).all()
    assert 35 <= len(resident_accounts) == summary.residents <= 45
    offline = demo_session.scalar(
        sa.select(sa.func.count()).select_from(Person)
        .join(Account, Account.holder_id == Person.id)
        .where(Account.time_bank_id == bank.id, Person.email.is_(None))
    )
    assert 3 <= offline <= 8

    # About a thousand exchanges over nearly two years, in every state.
    exchanges = demo_session.scalars(sa.select(Exchange).where(Exchange.time_bank_id == bank.id)).all()
    # The occasions, plus co-delivery attendance, introductions' help and redemptions.
    assert 800 <= len(exchanges) <= 1300
    states = summary.exchanges_by_state
    assert set(states) == {state.value for state in ExchangeState}
    assert states["confirmed"] > 0.8 * len(exchanges)
    occurred = [exchange.occurred_on for exchange in exchanges]
    assert (today - min(occurred)).days > 600 and max(occurred) <= today
    assert all(exchange.amount_minutes <= 240 for exchange in exchanges)
    assert sum(exchange.amount_minutes % 15 == 0 for exchange in exchanges) > 0.9 * len(exchanges)

    # Some wait for the demo resident to confirm; reversals are the broker's, with a reason.
    carys = demo_session.scalar(sa.select(Account).where(Account.holder_id == logins["resident"].id))
    waiting = [e for e in exchanges if e.state is ExchangeState.PENDING and e.confirmer_account_id == carys.id]
    assert len(waiting) >= 3
    reversals = [e for e in exchanges if e.kind is ExchangeKind.REVERSAL]
    assert reversals and all(e.recorded_by_id == logins["broker"].id and e.description for e in reversals)
    # The broker keys for offline members; the charity and council give credits to volunteers.
    assert sum(e.recorded_by_id == logins["broker"].id and e.kind is ExchangeKind.EXCHANGE for e in exchanges) >= 5
    organisations = dict(
        demo_session.execute(
            sa.select(Account.id, Organisation.organisation_type)
            .join(Organisation, Organisation.id == Account.holder_id)
        ).all()
    )
    paying = {organisations[e.receiver_account_id] for e in exchanges if e.receiver_account_id in organisations}
    assert paying == {OrganisationType.CHARITY, OrganisationType.COUNCIL}

    assert checks.verify(demo_session) == []


def test_the_demo_command_loads_once_and_then_only_prints_the_logins(demo_template, demo_app, demo_session):
    # The suite's demo is loaded by the command (``demo_template``): this is what it said then.
    first = demo_template.output
    assert "Loaded Hollinbridge" in first
    assert "Applications: 6 approved, 1 declined, 1 in review, 1 submitted" in first
    assert "DBS checks: 6, 1 ending within 30 days" in first
    def counts():
        return (
            demo_session.scalar(sa.select(sa.func.count(Exchange.id))),
            demo_session.scalar(sa.select(sa.func.count(Person.id))),
            demo_session.scalar(sa.select(sa.func.count()).select_from(TimeBank)
                                .where(TimeBank.slug == data.BANK_SLUG)),
        )

    before = counts()

    second = demo_app.test_cli_runner().invoke(demo_command)
    assert second.exit_code == 0, second.output
    assert "already loaded" in second.output
    for login in demo.LOGINS:
        assert login.email in second.output
    assert counts() == before
    assert before[2] == 1


def _members(session, bank_id, kind=Person):
    return session.scalars(
        sa.select(kind).join(Account, Account.holder_id == kind.id).where(Account.time_bank_id == bank_id)
    ).all()


def test_every_resident_has_contact_details_and_an_abilities_first_profile(demo_template, demo_session):
    summary = demo_template.summary
    residents = _members(demo_session, summary.time_bank_id)
    assert len(residents) == summary.residents
    assert summary.profiles == summary.residents + 2  # and the two organisations

    profiles_by_id = {person.id: demo_session.get(Profile, person.id) for person in residents}
    for person in residents:
        assert re.fullmatch(r"HB[1-4] [0-9][A-Z]{2}", person.postcode)
        assert person.postcode_district == person.postcode.split()[0]
        assert person.phone is None or DRAMA_PHONE.fullmatch(person.phone)
        assert (person.email is None) == (person.contact_by is ContactMethod.BROKER)
        profile = profiles_by_id[person.id]
        assert 1 <= len(profile.abilities) <= 4
        assert profile.about and profile.learn_or_share and profile.enjoys
        assert profile.languages and profile.availability
        assert profile.about in profile.search_text
        for name in profiles.TEXT_FIELDS:
            assert not DEFICIT_WORDS.search(getattr(profile, name)), (person.display_name, name)
    assert sum(person.phone is not None for person in residents) > 0.8 * len(residents)
    assert {person.contact_by for person in residents} == set(ContactMethod)

    # English for most; Welsh for everyone who prefers it; a BSL signer; Polish and Urdu speakers.
    languages = {person.id: {language.code for language in profiles_by_id[person.id].languages}
                 for person in residents}
    spoken = Counter(code for codes in languages.values() for code in codes)
    assert spoken["en"] > 0.9 * len(residents) and spoken["cy"] >= 5
    assert spoken["bfi"] == 1 and spoken["pl"] >= 1 and spoken["ur"] >= 1
    assert all("cy" in languages[p.id] for p in residents if p.preferred_language is Language.WELSH)

    # Most travel to one or two neighbouring districts; a few not at all.
    profiles_list = list(profiles_by_id.values())
    not_at_all = [p for p in profiles_list if not p.can_travel]
    assert 2 <= len(not_at_all) <= 6 and not any(p.travel_districts for p in not_at_all)
    assert sum(1 <= len(p.travel_districts) <= 2 for p in profiles_list) > 0.75 * len(profiles_list)
    # Most show their name, area and abilities; a few keep their name or area to brokers; a few show contact.
    assert all(p.show_abilities for p in profiles_list)
    assert 1 <= sum(not p.show_name for p in profiles_list) <= 4
    assert 1 <= sum(not p.show_area for p in profiles_list) <= 4
    assert 1 <= sum(p.show_contact for p in profiles_list) <= 6

    # The organisations: contact details, a charity number, and what they bring besides hours.
    organisations = {org.organisation_type: org for org in _members(demo_session, summary.time_bank_id, Organisation)}
    charity, council = organisations[OrganisationType.CHARITY], organisations[OrganisationType.COUNCIL]
    assert re.fullmatch(r"[0-9]{7}", charity.charity_number) and council.charity_number is None
    for org in (charity, council):
        assert org.contact_email.endswith("@example.org") and DRAMA_PHONE.fullmatch(org.phone)
        assert org.postcode_district == "HB1" and demo_session.get(Profile, org.id).abilities
    assert {ContributionKind.ROOM, ContributionKind.TRAINING} <= {
        c.kind for c in profiles.contributions_of(demo_session, charity.id)}
    assert {ContributionKind.ROOM, ContributionKind.FUNDS} <= {
        c.kind for c in profiles.contributions_of(demo_session, council.id)}


def test_brokers_and_members_find_people_by_ability_words_and_area(demo_template, demo_session):
    summary = demo_template.summary
    broker = _person(demo_session, data.BROKER.email)
    carys = _person(demo_session, "resident@example.org")

    def names(viewer, **criteria):
        return {card.name for card in search(demo_session, viewer, Criteria(**criteria), per_page=100).items}

    speakers = {r.name for r in data.RESIDENTS if "welsh" in r.abilities}
    assert names(broker, ability="welsh") == names(carys, ability="welsh") == speakers
    assert {"Gethin Llewellyn", "Eleri Vaughan"} <= names(carys, q="Welsh")
    # A member who keeps their name to brokers is found without it; the broker sees it.
    assert None in names(carys, ability="pet-care") and "Isla Mackintosh" in names(broker, ability="pet-care")
    in_carreg_wen_on_mondays = names(broker, district="HB3", weekday=0)
    assert "Gethin Llewellyn" in in_carreg_wen_on_mondays and "Carys Pritchard" not in in_carreg_wen_on_mondays
    assert search(demo_session, broker, Criteria(time_bank_id=summary.time_bank_id)).total == summary.profiles


def test_applications_references_vouches_and_safeguarding(demo_template, demo_session, today):
    summary = demo_template.summary
    bank = demo_session.get(TimeBank, summary.time_bank_id)
    broker = _person(demo_session, data.BROKER.email)
    assert bank.vouching_enabled and bank.vouches_needed == 3

    def application_of(applicant):
        return demo_session.scalar(
            sa.select(Application).join(Person, Person.id == Application.holder_id)
            .where(Person.email == applicant.email)
        )

    # Signed up online; interview booked; one referee has replied, the other is awaited.
    pending = application_of(data.PENDING_APPLICANT)
    assert pending.status is ApplicationStatus.IN_REVIEW and pending.interview_on > today
    assert [reference.outcome for reference in pending.references] == [
        ReferenceOutcome.SATISFACTORY, ReferenceOutcome.AWAITED]
    assert verify_password(_person(demo_session, data.PENDING_APPLICANT.email).password_hash, data.DEMO_PASSWORD)
    # Two members have vouched; it takes three, so it is still open.
    vouched = application_of(data.VOUCHED_APPLICANT)
    assert vouched.is_open and vouched.status is ApplicationStatus.SUBMITTED and len(vouched.vouches) == 2
    declined = application_of(data.DECLINED_APPLICANT)
    assert declined.status is ApplicationStatus.DECLINED and declined.decided_by_id == broker.id
    assert declined.decision_note == data.DECLINE_REASON
    vetted = [r for r in data.RESIDENTS if r.vetting is not None]
    assert summary.applications_by_status == {"approved": len(vetted), "declined": 1, "in_review": 1, "submitted": 1}

    # Vetted residents joined with two satisfactory references and a DBS check: their clearances follow.
    for resident in vetted:
        person = _person(demo_session, resident.email)
        granted = {c for c, status in safeguarding.clearances_for(demo_session, person.id, bank.id).items()
                   if status.granted}
        assert Clearance.HOME_VISITS in granted, resident.name
        barred = {"children": {Clearance.CHILDREN}, "adults": {Clearance.ADULTS_AT_RISK},
                  "both": {Clearance.CHILDREN, Clearance.ADULTS_AT_RISK}}
        assert granted - {Clearance.HOME_VISITS} == barred.get(resident.vetting.workforce, set()), resident.name
    assert summary.dbs_checks == len(vetted)

    # One check ends within the month: brokers see it on the list to renew.
    expiring = safeguarding.expiring_checks(demo_session, broker, bank.id)
    assert [item.person.display_name for item in expiring] == ["Ray Thornton"]
    assert today <= expiring[0].valid_until <= today + dt.timedelta(days=30)
    assert summary.expiring_checks == 1
    for name, body in data.SAFEGUARDING_NOTES:
        person = demo_session.scalar(sa.select(Person).where(Person.display_name == name))
        notes = safeguarding.record_for(demo_session, broker, person.id, bank.id).notes
        assert [(note.body, note.author_id) for note in notes] == [(body, broker.id)]

    # Loading again changes nothing.
    def counts():
        return [demo_session.scalar(sa.select(sa.func.count()).select_from(table))
                for table in (Person, Application, Profile, Exchange)]

    before = counts()
    again = demo.load_demo(demo_session)
    assert not again.created and again.time_bank_id == bank.id
    assert counts() == before
    assert checks.verify(demo_session) == []


def test_co_delivery_activities_sessions_attendance_listings_and_money(demo_template, demo_session, today):
    """The issue's demo: a council activity with sessions and sign-ups, attendance credited through the
    ledger, a full session with a waiting list, a charity's spend offers, expenses with and without
    receipts, a payment, and an open dispute."""
    summary = demo_template.summary
    bank_id = summary.time_bank_id
    council = demo_session.scalar(sa.select(Organisation).where(Organisation.display_name == data.COUNCIL_NAME))
    charity = demo_session.scalar(sa.select(Organisation).where(Organisation.display_name == data.CHARITY_NAME))

    council_activities = demo_session.scalars(sa.select(Activity).where(
        Activity.time_bank_id == bank_id, Activity.organisation_id == council.id)).all()
    assert council_activities and all(a.status is ActivityStatus.PUBLISHED and a.roles for a in council_activities)
    statuses = Counter(demo_session.scalars(
        sa.select(SignUp.status).join(ActivitySession).join(Role).join(Activity)
        .where(Activity.time_bank_id == bank_id)))
    assert statuses[SignUpStatus.BOOKED] >= 10 and statuses[SignUpStatus.WAITING] >= 1
    assert statuses[SignUpStatus.ATTENDED] == summary.codelivery.attended > 20
    upcoming = demo_session.scalar(sa.select(sa.func.count()).select_from(ActivitySession).join(Role).join(Activity)
                                 .where(Activity.time_bank_id == bank_id, ActivitySession.starts_at > utcnow()))
    assert upcoming >= 10

    # Every attendance is a confirmed exchange that names its session; spending ones have a redemption.
    attended = demo_session.scalars(sa.select(Exchange).where(Exchange.time_bank_id == bank_id,
                                                            Exchange.session_id.is_not(None))).all()
    assert len(attended) == summary.codelivery.attended
    assert all(e.state in (ExchangeState.CONFIRMED, ExchangeState.REVERSED) for e in attended)
    redemptions = demo_session.scalars(sa.select(Redemption).where(Redemption.time_bank_id == bank_id)).all()
    assert {r.redeemed_for for r in redemptions} == {RedeemedFor.TIME_BASED_ACTIVITY}
    assert any(r.partner_id == charity.id for r in redemptions) and any(r.partner_id == council.id for r in redemptions)

    spend_offers = demo_session.scalars(sa.select(Listing).where(
        Listing.time_bank_id == bank_id, Listing.kind == ListingKind.SPEND, Listing.holder_id == charity.id)).all()
    assert len(spend_offers) >= 2
    kinds = {listing.kind
             for listing in demo_session.scalars(sa.select(Listing).where(Listing.time_bank_id == bank_id))}
    assert kinds == set(ListingKind)

    expenses = demo_session.scalars(sa.select(Expense).where(Expense.time_bank_id == bank_id)).all()
    assert any(e.receipts_count > 0 for e in expenses) and any(e.receipts_count == 0 for e in expenses)
    assert any(e.flat_rate for e in expenses) and any(e.kind is ExpenseKind.MILEAGE for e in expenses)
    assert demo_session.scalar(sa.select(sa.func.count()).select_from(Payment).where(Payment.time_bank_id == bank_id))
    assert demo_session.scalar(sa.select(sa.func.count()).select_from(Dispute).where(
        Dispute.time_bank_id == bank_id, Dispute.status == DisputeStatus.OPEN)) == 1
    assert checks.verify(demo_session) == []


@pytest.mark.parametrize(("command", "arguments"), [(demo_command, []), (seed_command, ["--members", "2",
                                                                                         "--exchanges", "0"])])
@pytest.mark.parametrize("environment", ["production", None])
def test_demo_and_seed_refuse_to_add_made_up_people_in_production(app, db_session, monkeypatch, command, arguments,
                                                                  environment):
    """Demo logins share a published password; on a live time bank they would be a way in for anyone."""
    if environment is None:  # an app whose configuration does not say counts as production
        monkeypatch.delitem(app.config, "TIMEBANK_ENV")
    else:
        monkeypatch.setitem(app.config, "TIMEBANK_ENV", environment)
    people = db_session.scalar(sa.select(sa.func.count(Person.id)))

    refused = app.test_cli_runner().invoke(command, arguments)

    assert refused.exit_code == 1
    assert "refuses to run in production" in refused.output and "TIMEBANK_ENV=development" in refused.output
    assert db_session.scalar(sa.select(sa.func.count(Person.id))) == people
    assert demo.find_demo_bank(db_session) is None
