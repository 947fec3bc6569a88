"""Leaving: a member is pseudonymised, their pending exchanges are closed through the ledger, and the
books (every balance, every posting and the hash chain) are exactly as they were. Ends with
``ledger verify``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from timebank.activities.models import CalendarFeed, SignUpStatus
from timebank.attendance import errors as attendance_errors
from timebank.attendance import service as attendance
from timebank.auth import tokens
from timebank.auth.models import ApiToken
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.errors import DomainError, NotFound
from timebank.ledger import checks
from timebank.ledger import errors as ledger_errors
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange, ExchangeState, Posting
from timebank.listings.models import Listing, ListingKind, ListingStatus
from timebank.members import service as members
from timebank.members.models import BankRole, BankRoleName, ContactMethod, Organisation, Person
from timebank.membership import service as membership
from timebank.membership.models import Application, ApplicationStatus, Reference
from timebank.notices.models import Notice, NoticeKind
from timebank.personal_data import REMOVED
from timebank.privacy import service as privacy
from timebank.privacy.service import AlreadyLeft
from timebank.profiles import search
from timebank.profiles import service as profiles
from timebank.profiles.models import Ability, Profile
from timebank.safeguarding.models import DbsCheck, SafeguardingNote
from timebank.safeguarding.service import add_note


@dataclass
class Leaver:
    """Ffion, who has been busy: a profile, hours given and asked for, a DBS check, a role in another
    bank, an organisation she helps run, an API token and an application still open elsewhere."""

    person: Person
    account: Account
    neighbour: Person
    neighbour_account: Account
    broker: Person
    confirmed: Exchange
    proposed_by_her: Exchange
    proposed_to_her: Exchange
    charity: Organisation
    open_application: Application


@pytest.fixture
def leaver(db_session, make_bank, make_broker, make_member, make_person, make_joined, make_profile,
           make_dbs_check, make_application, make_organisation, today) -> Leaver:
    bank, funded, applied_to = make_bank(name="Hollinbridge"), make_bank(name="Funded"), make_bank(name="Applied")
    broker = make_broker(bank)
    person, _ = make_joined(bank, broker, "Ffion Ellis", email="ffion@example.org", phone="01632 960 111",
                            postcode="HB3 2QT")
    account = db_session.scalar(sa.select(Account).where(Account.holder_id == person.id))
    neighbour, neighbour_account = make_member(bank, "Gareth Neighbour")
    make_profile(person, abilities=("gardening", "welsh"), about="I grow vegetables", languages=("cy", "en"),
                 travel_districts=("HB4",))
    make_dbs_check(person, bank, broker, certificate_number="001234567890")
    add_note(db_session, broker, person.id, bank.id, "Prefers morning visits.")
    tokens.issue_token(db_session, person, dt.timedelta(days=30), name="Ffion's laptop")
    banks.grant_role(db_session, time_bank_id=funded.id, person_id=person.id, role=BankRoleName.FUNDER,
                     actor_id=None)
    co_admin = make_person("Co-admin")
    charity, _ = make_organisation(bank, "Hollinbridge Food Share", admins=(person, co_admin))
    open_application = make_application(applied_to, person)

    gardening = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))

    def record(proposer, counterpart, key, *, giver=True):
        exchange, _ = ledger.record_exchange(
            db_session, proposer_account_id=proposer.id, counterpart_account_id=counterpart.id,
            proposer_is_giver=giver, amount_minutes=90, occurred_on=today, category_id=gardening,
            description="Weeding", recorded_by_id=person.id, idempotency_key=key)
        return exchange

    confirmed = record(account, neighbour_account, "given")
    ledger.confirm_exchange(db_session, confirmed.id, actor_id=neighbour.id,
                            acting_for_account_id=neighbour_account.id)
    proposed_by_her = record(account, neighbour_account, "proposed-by-her", giver=False)
    proposed_to_her = record(neighbour_account, account, "proposed-to-her")
    return Leaver(person, account, neighbour, neighbour_account, broker, confirmed, proposed_by_her,
                  proposed_to_her, charity, open_application)


def books(session):
    """Everything ``leave`` must not change: the postings (with their chain) and posted balances."""
    session.expire_all()
    postings = session.execute(sa.select(Posting.id, Posting.account_id, Posting.amount_minutes, Posting.sequence,
                                         Posting.prev_hash, Posting.entry_hash).order_by(Posting.id)).all()
    balances = session.execute(sa.select(Account.id, Account.debits_posted_minutes, Account.credits_posted_minutes,
                                         Account.given_minutes, Account.received_minutes).order_by(Account.id)).all()
    return postings, balances


def test_a_member_who_leaves_is_pseudonymised_and_the_books_still_verify(db_session, leaver, audited):
    person = leaver.person
    before = books(db_session)
    assert before[0], "there are postings to keep"

    privacy.leave(db_session, person, person.id)

    assert person.display_name.startswith("Former member ")
    assert (person.email, person.phone, person.postcode, person.postcode_district, person.password_hash) == (
        None, None, None, None, None)
    assert (person.contact_by, person.is_active, person.is_admin) == (ContactMethod.BROKER, False, False)
    assert person.pseudonymised_at is not None
    assert db_session.get(Profile, person.id) is None
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Ability).where(Ability.holder_id == person.id)) == 0

    referees = db_session.execute(
        sa.select(Reference.referee_name, Reference.referee_contact, Reference.known_how)
        .join(Application).where(Application.holder_id == person.id)).all()
    assert referees and set(referees) == {(REMOVED, REMOVED, "")}
    statements = db_session.scalars(sa.select(Application.statement).where(Application.holder_id == person.id))
    assert set(statements) == {""}
    assert leaver.open_application.status == ApplicationStatus.WITHDRAWN
    [dbs] = db_session.scalars(sa.select(DbsCheck).where(DbsCheck.person_id == person.id))
    assert dbs.certificate_number is None and dbs.level.value == "enhanced_barred", "the level and date stay"
    [note] = db_session.scalars(sa.select(SafeguardingNote).where(SafeguardingNote.person_id == person.id))
    assert note.body == "Prefers morning visits.", "safeguarding notes are kept for the bank"

    [token] = db_session.scalars(sa.select(ApiToken).where(ApiToken.person_id == person.id))
    assert token.revoked_at is not None and token.name == "(removed)", "revoked, and its name wiped"
    assert db_session.scalars(sa.select(BankRole).where(BankRole.person_id == person.id)).all() == []
    assert person.organisations == [] and person.bank_roles == []
    db_session.expire(leaver.charity, ["admins"])
    assert [admin.display_name for admin in leaver.charity.admins] == ["Co-admin"]
    [role_revoked] = audited("bank.role_revoked")
    assert (role_revoked.subject_id, role_revoked.details) == (person.id, {"role": "funder", "reason": "left"})
    [admin_removed] = audited("member.organisation_admin_removed")
    assert (admin_removed.subject_id, admin_removed.details) == (
        leaver.charity.id, {"person_id": person.id, "reason": "left"})
    [left] = audited("member.left")
    assert (left.actor_id, left.subject_id) == (person.id, person.id)
    assert left.details == {"pseudonym": person.display_name, "by_broker": False}

    # The books: pending requests closed through the ledger, everything posted untouched.
    assert leaver.confirmed.state == ExchangeState.CONFIRMED
    assert leaver.proposed_by_her.state == ExchangeState.CANCELLED
    assert leaver.proposed_to_her.state == ExchangeState.DECLINED
    for account in (leaver.account, leaver.neighbour_account):
        assert (account.debits_pending_minutes, account.credits_pending_minutes) == (0, 0)
    assert (leaver.account.balance_minutes, leaver.neighbour_account.balance_minutes) == (90, -90)
    assert books(db_session) == before
    assert checks.verify(db_session) == []


def test_a_broker_can_close_a_member_s_account_for_them(db_session, leaver, audited):
    privacy.leave(db_session, leaver.broker, leaver.person.id)

    [left] = audited("member.left")
    assert (left.actor_id, left.details["by_broker"]) == (leaver.broker.id, True)
    declined = leaver.proposed_to_her.events[-1]
    assert (declined.actor_id, declined.acting_for_account_id) == (leaver.broker.id, leaver.account.id)
    assert checks.verify(db_session) == []


def test_leaving_closes_every_account_of_theirs_so_no_route_can_add_to_it(db_session, leaver, make_bank, today):
    """Her accounts in every bank close; her charity's stays open. From then on the ledger itself refuses
    any new exchange with her, whatever asks it (here the service directly, as any future feature would)."""
    elsewhere = members.join_bank(db_session, leaver.person, make_bank(name="Elsewhere").id, actor_id=None)
    charity_account = db_session.scalar(sa.select(Account).where(Account.holder_id == leaver.charity.id))

    privacy.leave(db_session, leaver.broker, leaver.person.id)

    assert leaver.account.closed_at is not None and elsewhere.closed_at is not None
    assert charity_account.closed_at is None
    gardening = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))
    with pytest.raises(ledger_errors.AccountClosed):
        ledger.record_exchange(
            db_session, proposer_account_id=leaver.neighbour_account.id, counterpart_account_id=leaver.account.id,
            proposer_is_giver=True, amount_minutes=30, occurred_on=today, category_id=gardening,
            description="", recorded_by_id=leaver.neighbour.id, idempotency_key="after-she-left")
    assert checks.verify(db_session) == []


def test_only_the_member_or_their_broker_may_make_them_leave(db_session, leaver, make_broker, make_bank,
                                                             make_person):
    outsiders = (leaver.neighbour, make_broker(make_bank(), "Broker elsewhere"), make_person("Stranger"))
    for outsider in outsiders:
        with pytest.raises(NotFound):
            privacy.leave(db_session, outsider, leaver.person.id)
    with pytest.raises(NotFound):
        privacy.leave(db_session, leaver.broker, 999_999)
    assert leaver.person.pseudonymised_at is None
    assert leaver.proposed_by_her.state == ExchangeState.PENDING


def test_leaving_twice_is_refused(db_session, leaver):
    privacy.leave(db_session, leaver.person, leaver.person.id)
    pseudonym = leaver.person.display_name
    for actor in (leaver.person, leaver.broker):
        with pytest.raises(AlreadyLeft) as again:
            privacy.leave(db_session, actor, leaver.person.id)
        assert again.value.status == 409
    assert leaver.person.display_name == pseudonym


def test_someone_who_has_left_cannot_sign_in_apply_or_be_found(db_session, leaver, make_bank, make_person):
    raw, _ = tokens.issue_token(db_session, leaver.person, dt.timedelta(days=1))
    privacy.leave(db_session, leaver.person, leaver.person.id)

    assert tokens.valid_token(db_session, raw) is None
    with pytest.raises(DomainError) as apply:
        membership.apply(db_session, leaver.broker, holder_id=leaver.person.id, time_bank_id=make_bank().id)
    assert apply.value.field == "holder_id"
    with pytest.raises(NotFound):
        profiles.view_profile(db_session, leaver.neighbour, leaver.person.id)
    assert search.search(db_session, leaver.broker, search.Criteria(q="Ffion")).total == 0
    assert make_person("Someone new", email="ffion@example.org").email == "ffion@example.org", \
        "the address is free for someone else"


def test_a_member_with_nothing_pending_or_no_account_leaves_cleanly(db_session, make_person, audited):
    person = make_person("Only signed up", phone="01632 960 222")
    privacy.leave(db_session, person, person.id)
    assert person.phone is None and person.display_name.startswith("Former member")
    assert len(audited("member.left")) == 1


def test_a_leaver_gives_up_their_places_calendar_and_listings(db_session, leaver, make_session, make_organisation,
                                                              make_bank, make_member, organiser, start, today,
                                                              audited):
    """Her places on sessions to come go to the first person waiting (who is told), even in a bank her
    broker does not look after; her place on a session already under way goes too (her account is closed,
    so she could not be credited, and the organiser's list no longer offers her); her
    calendar address stops working; her listings are closed and say nothing of hers any more."""
    ffion, neighbour = leaver.person, leaver.neighbour
    home = db_session.get(TimeBank, leaver.account.time_bank_id)
    council, _ = make_organisation(home, "Hollinbridge Council", admins=(organiser,))
    full = make_session(places=1, time_bank=home, organisation=council, starts_in=dt.timedelta(hours=3),
                        release_notice_hours=48)
    waited = make_session(places=1, time_bank=home, organisation=council)
    under_way = make_session(places=2, time_bank=home, organisation=council)
    away = make_bank(name="Away")
    members.join_bank(db_session, ffion, away.id, actor_id=None)
    elsewhere = make_session(time_bank=away, organisation=make_organisation(away, "Away Council",
                                                                            admins=(organiser,))[0])
    her_place = attendance.sign_up(db_session, ffion, full.id)[0]
    neighbour_waiting = attendance.sign_up(db_session, neighbour, full.id)[0]
    attendance.sign_up(db_session, make_member(home, "First in")[0], waited.id)
    her_waiting = attendance.sign_up(db_session, ffion, waited.id)[0]
    her_elsewhere = attendance.sign_up(db_session, ffion, elsewhere.id)[0]
    her_now = attendance.sign_up(db_session, ffion, under_way.id)[0]
    start(under_way)
    feed_address = attendance.make_calendar_feed(db_session, ffion)
    gardening = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))

    def listing(**columns):
        row = Listing(time_bank_id=home.id, holder_id=ffion.id, category_id=gardening, review_on=today,
                      created_by_id=ffion.id, place="Allotment 4, Mill Lane", details="Call me on 01632 960 111",
                      **columns)
        db_session.add(row)
        return row

    offer = listing(kind=ListingKind.OFFER, title="Help with your garden")
    done = listing(kind=ListingKind.REQUEST, title="A lift to Ffion's hospital visit", needed_on=today,
                   status=ListingStatus.CLOSED)
    others = Listing(time_bank_id=home.id, holder_id=neighbour.id, kind=ListingKind.OFFER, title="Bike repairs",
                     category_id=gardening, review_on=today, created_by_id=neighbour.id)
    db_session.add(others)
    db_session.flush()

    privacy.leave(db_session, leaver.broker, ffion.id)

    db_session.expire_all()
    assert (her_place.status, her_waiting.status, her_elsewhere.status, her_now.status) == (
        SignUpStatus.CANCELLED, SignUpStatus.CANCELLED, SignUpStatus.CANCELLED, SignUpStatus.CANCELLED)
    assert not any(row.cancelled_late for row in (her_place, her_waiting, her_elsewhere, her_now)), \
        "leaving is never late"
    assert neighbour_waiting.status is SignUpStatus.BOOKED
    told = db_session.execute(sa.select(Notice.kind, Notice.subject_id).where(Notice.person_id == neighbour.id))
    assert told.all() == [(NoticeKind.SESSION_PLACE, neighbour_waiting.id)]
    assert db_session.scalars(sa.select(Notice.id).where(Notice.person_id == organiser.id)).all() == []
    cancelled = audited("attendance.cancelled")
    assert sorted(event.subject_id for event in cancelled) == sorted([her_place.id, her_waiting.id,
                                                                      her_elsewhere.id, her_now.id])
    assert attendance.attendance_sheet(db_session, organiser, under_way.id).booked == []
    assert {(event.actor_id, event.details["reason"], event.details["late"]) for event in cancelled} == {
        (leaver.broker.id, "left", False)}
    assert [event.details["promoted"] for event in cancelled if event.subject_id == her_place.id] == [
        [neighbour_waiting.id]]

    assert db_session.scalars(sa.select(CalendarFeed).where(CalendarFeed.person_id == ffion.id)).all() == []
    with pytest.raises(attendance_errors.CalendarFeedNotFound):
        attendance.feed_owner(db_session, feed_address)
    [stopped] = audited("attendance.calendar_address_stopped")
    assert (stopped.actor_id, stopped.subject_id, stopped.details) == (leaver.broker.id, ffion.id, {"reason": "left"})

    for row in (offer, done):
        assert (row.status, row.title, row.details, row.place) == (ListingStatus.CLOSED, "Removed", "", "")
    assert (others.status, others.title) == (ListingStatus.OPEN, "Bike repairs")
    assert [(event.subject_id, event.details["reason"]) for event in audited("listing.closed")] == [(offer.id, "left")]
    assert [event.subject_id for event in audited("listing.wiped")] == [done.id]
    assert checks.verify(db_session) == []


def test_a_leaver_with_no_places_feed_or_listings_leaves_as_before(db_session, leaver, audited):
    privacy.leave(db_session, leaver.person, leaver.person.id)
    for action in ("attendance.cancelled", "attendance.calendar_address_stopped", "listing.closed"):
        assert audited(action) == []
