"""Notices as people read them: the page and the API, each kind in words with a link, unread first,
marking read, and the daily ``flask notices send`` command."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.api.support import ApiClient, assert_problem
from timebank.activities.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    CoProductionForm,
    Party,
    Role,
    SignUp,
    SignUpStatus,
)
from timebank.attendance import service as attendance
from timebank.banks import service as banks
from timebank.clock import uk_today
from timebank.exchanges import disputes
from timebank.exchanges.disputes import Outcome
from timebank.ledger import service as ledger
from timebank.listings.models import Listing, ListingKind
from timebank.members.models import BankRoleName
from timebank.notices import messages
from timebank.notices.cli import send_command
from timebank.notices.models import Notice, NoticeKind
from timebank.types import MAX_ID, utcnow


@pytest.fixture
def aled(make_member, bank):
    return make_member(bank, "Aled Pryce")


@pytest.fixture
def bea(make_member, bank):
    return make_member(bank, "Bea Okafor")


def texts(lines) -> list[str]:
    return [line.text for line in lines]


# --- each kind in words ----------------------------------------------------------------------------


def test_exchange_and_dispute_notices_say_what_happened_and_link_to_it(
    db_session, app, broker, aled, bea, exchange_of, give_notice
):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    pending = exchange_of(aled_account, bea_account, 90, by=aled_person)
    confirmed = exchange_of(aled_account, bea_account, 30, by=aled_person, confirm_by=bea_person)
    dispute, _ = disputes.raise_dispute(db_session, bea_person, confirmed.id, "It was shorter")
    disputes.resolve(db_session, broker, dispute.id, Outcome.REVERSE, "Agreed")
    db_session.commit()

    with app.test_request_context():
        lines = messages.lines_for(db_session, [
            give_notice(bea_person, NoticeKind.EXCHANGE_PENDING, pending.id),
            *db_session.scalars(sa.select(Notice).where(
                Notice.kind.in_([NoticeKind.DISPUTE_RAISED, NoticeKind.DISPUTE_RESOLVED]),
                Notice.subject_id == dispute.id).order_by(Notice.id)),
        ])
    pending_line, raised_line, resolved_line = lines
    assert pending_line.text.startswith("An exchange is waiting for an answer: Aled Pryce gave Bea Okafor "
                                        "1 hour 30 minutes of help on")
    assert pending_line.url == f"/exchanges/{pending.id}"
    assert raised_line.text.startswith("Someone has asked a broker to look at an exchange: Aled Pryce gave")
    assert raised_line.url == f"/disputes/{dispute.id}"
    assert "it was reversed, so its hours went back" in resolved_line.text
    assert resolved_line.url == f"/disputes/{dispute.id}"

    ledger.confirm_exchange(db_session, pending.id, actor_id=bea_person.id, acting_for_account_id=bea_account.id)
    with app.test_request_context():
        (answered,) = messages.lines_for(db_session, [lines[0].notice])
    assert answered.text.startswith("An exchange that was waiting for an answer has been answered")


@pytest.fixture
def olwen(make_person):
    """Runs the council's community garden."""
    return make_person("Olwen Admin")


@pytest.fixture
def garden_session(db_session, make_organisation, bank, gardening, olwen):
    """A published session of the council's community garden: ``starts`` (UTC), 48 hours' notice to drop."""

    def make(starts: dt.datetime) -> ActivitySession:
        council, _ = make_organisation(bank, "Hollinbridge Council", admins=(olwen,))
        activity = Activity(time_bank_id=bank.id, organisation_id=council.id, title="Community garden",
                            form=CoProductionForm.CO_DELIVERING, designed_by=Party.SHARED, delivered_by=Party.SHARED,
                            status=ActivityStatus.PUBLISHED, created_by_id=olwen.id)
        role = Role(activity=activity, title="Gardener", category_id=gardening.id, release_notice_hours=48)
        activity_session = ActivitySession(role=role, starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                                           places=5)
        db_session.add_all([activity, role, activity_session])
        db_session.flush()
        return activity_session

    return make


@pytest.fixture
def aleds_listing_and_place(db_session, bank, aled, gardening, garden_session) -> tuple[Listing, SignUp]:
    """Aled's offer, due for review on 1 December 2026, and his place on the garden on 1 June 2026."""
    aled_person, _ = aled
    listing = Listing(time_bank_id=bank.id, holder_id=aled_person.id, kind=ListingKind.OFFER, title="Bike repairs",
                      category_id=gardening.id, review_on=dt.date(2026, 12, 1), created_by_id=aled_person.id)
    db_session.add(listing)
    activity_session = garden_session(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC))
    sign_up = SignUp(session_id=activity_session.id, person_id=aled_person.id, status=SignUpStatus.BOOKED,
                     signed_up_by_id=aled_person.id)
    db_session.add(sign_up)
    db_session.flush()
    return listing, sign_up


def test_listing_and_session_notices(db_session, app, aled, aleds_listing_and_place, give_notice):
    aled_person, _ = aled
    listing, sign_up = aleds_listing_and_place
    activity_session = sign_up.activity_session

    with app.test_request_context():
        review, place, cancelled, late = messages.lines_for(db_session, [
            give_notice(aled_person, NoticeKind.LISTING_REVIEW, listing.id),
            give_notice(aled_person, NoticeKind.SESSION_PLACE, sign_up.id),
            give_notice(aled_person, NoticeKind.SESSION_CANCELLED, sign_up.id),
            give_notice(aled_person, NoticeKind.SIGN_UP_CANCELLED_LATE, sign_up.id),
        ])
    assert review.text == "Your listing “Bike repairs” is due for review on 1 Dec 2026. Renew it to keep it showing."
    assert review.url == f"/listings/{listing.id}"
    # 09:00 UTC in June is 10:00 in the UK.
    assert place.text.startswith("A place came free and it is yours: Community garden, Gardener, on 1 Jun 2026")
    assert "10:00" in place.text
    assert cancelled.text.startswith("Sorry: the organiser has cancelled Community garden, Gardener, on 1 Jun 2026")
    assert cancelled.text.endswith("so you do not need to go.")
    assert late.text.startswith("Aled Pryce has cancelled their place on Community garden, Gardener, on 1 Jun 2026")
    assert late.text.endswith("with less notice than the role asks for.")
    assert {line.url for line in (place, cancelled, late)} == {f"/sessions/{activity_session.id}"}


def test_a_welsh_reader_reads_the_activitys_welsh_title(db_session, app, aled, aleds_listing_and_place,
                                                      give_notice):
    aled_person, _ = aled
    _, sign_up = aleds_listing_and_place
    activity_session = sign_up.activity_session
    activity_session.role.title_cy = "Garddwr"
    activity_session.role.activity.title_cy = "Gardd gymunedol"
    db_session.flush()
    notices = [give_notice(aled_person, NoticeKind.SESSION_CANCELLED, sign_up.id),
               give_notice(aled_person, NoticeKind.SESSION_ATTENDED, activity_session.id)]
    with app.test_request_context("/?lang=cy"):
        cancelled, attended = texts(messages.lines_for(db_session, notices))
    assert "Gardd gymunedol, Garddwr" in cancelled and "“Gardd gymunedol”" in attended
    with app.test_request_context("/?lang=en"):
        cancelled, attended = texts(messages.lines_for(db_session, notices))
    assert "Community garden, Gardener" in cancelled and "“Community garden”" in attended


def test_a_broker_reads_a_members_notices_about_the_member(db_session, app, broker, aled, bea,
                                                          aleds_listing_and_place, exchange_of, give_notice):
    """A broker told for a member who is not online reads whose listing, place or dispute it is, not "your"."""
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    listing, sign_up = aleds_listing_and_place
    confirmed = exchange_of(aled_account, bea_account, 30, by=aled_person, confirm_by=bea_person)
    dispute, _ = disputes.raise_dispute(db_session, bea_person, confirmed.id, "It was shorter")
    disputes.resolve(db_session, broker, dispute.id, Outcome.NOTE, "It stands")
    db_session.flush()

    with app.test_request_context():
        review, place, cancelled, resolved = messages.lines_for(db_session, [
            give_notice(broker, NoticeKind.LISTING_REVIEW, listing.id),
            give_notice(broker, NoticeKind.SESSION_PLACE, sign_up.id),
            give_notice(broker, NoticeKind.SESSION_CANCELLED, sign_up.id),
            give_notice(broker, NoticeKind.DISPUTE_RESOLVED, dispute.id),
        ])
    assert review.text == ("The listing “Bike repairs” by Aled Pryce is due for review on 1 Dec 2026. Renew it to "
                           "keep it showing.")
    assert place.text.startswith("A place came free for Aled Pryce: Community garden, Gardener, on 1 Jun 2026")
    assert cancelled.text.startswith("The organiser has cancelled Community garden, Gardener, on 1 Jun 2026")
    assert cancelled.text.endswith("so Aled Pryce does not need to go.")
    assert resolved.text.startswith("A broker has dealt with what was raised about an exchange (")
    assert resolved.text.endswith("it stands. Read their note.")


def test_cancellations_reach_the_notices_page(db_session, browser, aled, bea, olwen, garden_session):
    """Through the attendance service: a late cancellation tells the organiser, a session called off
    tells the people on it, and each reads it on their notices page with a link to the session."""
    (aled_person, _), (bea_person, _) = aled, bea
    activity_session = garden_session(utcnow() + dt.timedelta(hours=10))
    for person in (aled_person, bea_person):
        attendance.sign_up(db_session, person, activity_session.id)
    assert attendance.cancel_sign_up(db_session, aled_person, activity_session.id).late
    attendance.cancel_session(db_session, olwen, activity_session.id)
    link = f'href="/sessions/{activity_session.id}"'

    organiser_page = browser(olwen).get("/notices")
    assert organiser_page.status_code == 200
    page = organiser_page.get_data(as_text=True)
    assert "Aled Pryce has cancelled their place on Community garden, Gardener, on" in page and link in page
    assert "the organiser has cancelled" not in page

    page = browser(bea_person).get("/notices").get_data(as_text=True)
    assert "Sorry: the organiser has cancelled Community garden, Gardener, on" in page and link in page
    page = browser(aled_person).get("/notices").get_data(as_text=True)
    assert "cancelled" not in page, "he had already dropped out"


def test_a_subject_that_is_gone_gives_a_plain_line(db_session, browser, app, aled, give_notice):
    aled_person, _ = aled
    for kind in NoticeKind:
        give_notice(aled_person, kind, MAX_ID)
    with app.test_request_context():
        lines = messages.lines_for(db_session, list(db_session.scalars(
            sa.select(Notice).where(Notice.person_id == aled_person.id))))
    assert len(lines) == len(NoticeKind)
    assert {line.url for line in lines} == {None}
    assert set(texts(lines)) == {"This notice was about something that is no longer here."}
    page = browser(aled_person).get("/notices")
    assert page.status_code == 200 and "no longer here" in page.get_data(as_text=True)


# --- the page --------------------------------------------------------------------------------------


def test_the_page_shows_unread_first_and_marks_read(db_session, browser, aled, bea, exchange_of, give_notice):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    made = [exchange_of(aled_account, bea_account, 10 + n, by=aled_person) for n in range(3)]
    first, second, third = (give_notice(bea_person, NoticeKind.EXCHANGE_PENDING, e.id) for e in made)
    client = browser(bea_person)
    assert "You have 3 new notices" in client.get("/").get_data(as_text=True)

    response = client.post(f"/notices/{third.id}/read")
    assert response.status_code == 302 and response.location.endswith("/notices")
    db_session.expire_all()
    assert db_session.get(Notice, third.id).read_at is not None
    assert client.post(f"/notices/{third.id}/read").status_code == 302  # again: nothing changes
    page = client.get("/notices").get_data(as_text=True)
    assert "You have 2 unread notices." in page
    # Unread first (newest first), then the read one.
    positions = [page.index(f"/exchanges/{e.id}\"") for e in (made[1], made[0], made[2])]
    assert positions == sorted(positions)
    unread_only = client.get("/notices?show=unread").get_data(as_text=True)
    assert f"/exchanges/{made[2].id}\"" not in unread_only and f"/exchanges/{made[0].id}\"" in unread_only

    response = client.post("/notices/read-all?show=unread")
    assert response.status_code == 302 and response.location.endswith("/notices?show=unread")
    db_session.expire_all()
    assert all(db_session.get(Notice, n.id).read_at is not None for n in (first, second))
    assert "You have no new notices." in client.get("/").get_data(as_text=True)


def test_the_page_is_paginated(db_session, browser, aled, give_notice):
    aled_person, _ = aled
    for n in range(21):
        give_notice(aled_person, NoticeKind.EXCHANGE_PENDING, MAX_ID, key=f"gone:{n}")
    client = browser(aled_person)
    first = client.get("/notices").get_data(as_text=True)
    assert "Page 1 of 2" in first and first.count('<li class="item') == 20
    assert client.get("/notices?page=2").get_data(as_text=True).count('<li class="item') == 1
    assert client.get("/notices?page=x").status_code == 400


def test_only_your_own_notices(db_session, browser, make_person, bank, aled, bea, give_notice):
    (aled_person, _), (bea_person, _) = aled, bea
    notice = give_notice(bea_person, NoticeKind.EXCHANGE_PENDING, MAX_ID)
    assert browser(aled_person).post(f"/notices/{notice.id}/read").status_code == 404
    db_session.expire_all()
    assert db_session.get(Notice, notice.id).read_at is None
    anonymous = browser(None)
    assert "/sign-in" in anonymous.get("/notices").location
    assert "/sign-in" in anonymous.post("/notices/read-all").location
    funder = make_person("Fay Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER, actor_id=None)
    assert browser(funder).get("/notices").status_code == 200  # their own notices, not member pages


# --- the API ---------------------------------------------------------------------------------------


def test_the_api_lists_and_marks_read(db_session, api_as, anonymous_api, aled, bea, exchange_of, give_notice):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    exchange = exchange_of(aled_account, bea_account, 45, by=aled_person)
    old = give_notice(bea_person, NoticeKind.EXCHANGE_PENDING, exchange.id, key="a")
    new = give_notice(bea_person, NoticeKind.EXCHANGE_PENDING, exchange.id, key="b")
    api = api_as(bea_person)

    body = api.get("/me/notices").get_json()
    assert (body["total"], body["unread"]) == (2, 2)
    item = body["items"][0]
    assert item["id"] in (old.id, new.id) and item["kind"] == "exchange_pending" and item["read_at"] is None
    assert item["url"] == f"/exchanges/{exchange.id}" and "Aled Pryce gave Bea Okafor 45 minutes" in item["text"]

    read = api.post(f"/me/notices/{old.id}/read")
    assert read.status_code == 200 and read.get_json()["read_at"] is not None
    assert [n["id"] for n in api.get("/me/notices?unread=true").get_json()["items"]] == [new.id]
    assert [n["id"] for n in api.get("/me/notices?per_page=1&page=2").get_json()["items"]] == [old.id]
    assert api.post("/me/notices/read-all").get_json() == {"marked": 1}
    assert api.post("/me/notices/read-all").get_json() == {"marked": 0}
    assert api.get("/me/notices").get_json()["unread"] == 0

    assert_problem(api_as(aled_person).post(f"/me/notices/{new.id}/read"), 404)
    assert_problem(api.get("/me/notices?unread=perhaps"), 422, "unread")
    assert_problem(api.get("/me/notices?per_page=1000"), 422, "per_page")
    assert_problem(api.post(f"/me/notices/{MAX_ID + 1}/read"), 404)
    assert_problem(anonymous_api.get("/me/notices"), 401)
    assert_problem(anonymous_api.post("/me/notices/read-all"), 401)


@pytest.fixture
def anonymous_api(client):
    return ApiClient(client, None)


# --- the daily command -----------------------------------------------------------------------------


def test_flask_notices_send_makes_each_reminder_once(db_session, app, aled, bea, exchange_of):
    (aled_person, aled_account), (bea_person, bea_account) = aled, bea
    exchange = exchange_of(aled_account, bea_account, 60, by=aled_person)
    listing = Listing(time_bank_id=aled_account.time_bank_id, holder_id=aled_person.id, kind=ListingKind.OFFER,
                      title="Bike repairs", category_id=exchange.category_id,
                      review_on=uk_today() + dt.timedelta(days=5), created_by_id=aled_person.id)
    db_session.add(listing)
    db_session.commit()
    day = (uk_today() + dt.timedelta(days=3)).isoformat()

    runner = app.test_cli_runner()
    result = runner.invoke(send_command, ["--today", day])
    assert result.exit_code == 0, result.output
    # Other tests commit pending exchanges of their own, so the totals count at least ours.
    made = dict(line.rsplit(": ", 1) for line in result.output.strip().splitlines())
    assert int(made["Exchange reminders made"]) >= 1 and int(made["Listing review reminders made"]) >= 1
    again = runner.invoke(send_command, ["--today", day])
    assert "Exchange reminders made: 0" in again.output and "Listing review reminders made: 0" in again.output

    db_session.expire_all()
    kinds = db_session.execute(sa.select(Notice.person_id, Notice.kind).where(
        Notice.person_id.in_([aled_person.id, bea_person.id]))).all()
    assert sorted(kinds) == sorted([(bea_person.id, NoticeKind.EXCHANGE_PENDING),
                                    (aled_person.id, NoticeKind.LISTING_REVIEW)])
    assert runner.invoke(send_command, ["--today", "tomorrow"]).exit_code == 2


def test_every_kind_is_put_into_words_by_its_feature(app):
    """The app factory registers each feature's renderers; a kind nobody says would fail to be read."""
    assert messages.unsaid_kinds() == set()
    with pytest.raises(ValueError, match="two features"):
        messages.register({NoticeKind.PASSWORD_HELP: messages.Renderer(lambda session, notices: None,
                                                                       lambda notice, subjects: None)})
