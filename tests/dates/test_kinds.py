"""One rule for dated records (``timebank.dates``, docs/dates.md): for any date, each kind of date is
accepted exactly when it is within its bounds, and the service, the page's form and the API agree.

* happened in the bank: an exchange, from the bank's opening day to today;
* planned: a session, from today to the planning horizon;
* a document's date: a DBS certificate, from the first DBS certificate to today.

Each example runs in a savepoint that is rolled back, so the books are as they were for the next; the
service is called with the app's current session (``db.session``), the one the savepoint's ends close.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import hypothesis.strategies as st
from hypothesis import given, settings
from sqlalchemy.orm import Session

from tests.support import examples
from timebank.activities import service as activities
from timebank.activities.models import CoProductionForm, Party, RoleDirection
from timebank.auth import tokens
from timebank.clock import uk_today
from timebank.dates import FIRST_DBS_CERTIFICATE, PLANNING_HORIZON_MONTHS, DateOutOfRange, DateRange, add_months
from timebank.db import db
from timebank.exchanges import service as exchanges
from timebank.exchanges.service import Proposal, Side
from timebank.members.models import OrganisationType, Person
from timebank.safeguarding import service as safeguarding
from timebank.safeguarding.models import DbsLevel

EXAMPLES = settings(max_examples=examples(0.3), deadline=None)


def days_around(*bounds: dt.date) -> st.SearchStrategy[dt.date]:
    """Any date at all, and often one just either side of a bound (where a rule is most likely wrong)."""
    near = st.sampled_from(bounds).flatmap(lambda bound: st.integers(-2, 2).map(lambda n: bound + dt.timedelta(n)))
    return st.one_of(st.dates(), near)


@contextmanager
def undone(db_session: Session) -> Iterator[None]:
    """Run inside a savepoint that is rolled back. The session is closed first, so the savepoint it
    opens for the work is inside ours, not around it."""
    db.session.remove()
    savepoint = db_session.get_bind().begin_nested()
    try:
        yield
    finally:
        db.session.remove()
        savepoint.rollback()


def bearer(db_session: Session, person) -> dict[str, str]:
    raw, _ = tokens.issue_token(db_session, person, dt.timedelta(hours=1))
    db_session.commit()
    return {"Authorization": f"Bearer {raw}"}


def agree(db_session: Session, allowed: DateRange, channels: dict[str, Callable[[dt.date], bool]]):
    """A hypothesis test: for any day, every channel accepts it exactly when ``allowed`` holds it."""

    @EXAMPLES
    @given(day=days_around(allowed.earliest, allowed.latest), channel=st.sampled_from(sorted(channels)))
    def check(day: dt.date, channel: str) -> None:
        with undone(db_session):
            assert channels[channel](day) is (day in allowed), (channel, day)

    return check


# --- happened in the bank ------------------------------------------------------------------------------


def test_an_exchange_is_accepted_iff_it_happened_between_the_opening_and_today(
        app, db_session, make_bank, make_member, browser):
    opened_on = uk_today() - dt.timedelta(days=400)
    bank = make_bank(opened_on=opened_on)
    aled, aled_account = make_member(bank, "Aled Pryce")
    _bea, bea_account = make_member(bank, "Bea Okafor")
    ids = {"account": aled_account.id, "counterpart": bea_account.id, "aled": aled.id}
    page, headers, api = browser(aled), bearer(db_session, aled), app.test_client()

    def service(day: dt.date) -> bool:
        try:
            exchanges.propose(db.session, db.session.get(Person, ids["aled"]), Proposal(
                account_id=ids["account"], side=Side.GIVER, counterpart_account_id=ids["counterpart"], minutes=60,
                occurred_on=day, category="gardening", description="", idempotency_key=uuid.uuid4().hex))
        except DateOutOfRange as refused:
            assert refused.field == "occurred_on"
            return False
        return True

    def form(day: dt.date) -> bool:
        response = page.post("/exchanges/new", data={
            "account": ids["account"], "side": "giver", "counterpart": ids["counterpart"], "hours": "1",
            "minutes": "0", "occurred_on": day.isoformat(), "category": "gardening", "description": "",
            "idempotency_key": uuid.uuid4().hex})
        assert response.status_code in (302, 422)
        assert response.status_code == 302 or 'id="occurred_on-error"' in response.get_data(as_text=True)
        return response.status_code == 302

    def json(day: dt.date) -> bool:
        response = api.post("/api/v1/exchanges", headers=headers, json={
            "account_id": ids["account"], "side": "giver", "counterpart_account_id": ids["counterpart"],
            "minutes": 60, "occurred_on": day.isoformat(), "category": "gardening",
            "idempotency_key": uuid.uuid4().hex})
        assert response.status_code == 201 or "occurred_on" in response.get_json()["errors"]
        return response.status_code == 201

    today = uk_today()
    agree(db_session, DateRange(opened_on, today, today), {"service": service, "form": form, "api": json})()


# --- planned -----------------------------------------------------------------------------------------------


def test_a_session_is_accepted_iff_it_is_planned_from_today_to_the_horizon(
        app, db_session, make_bank, make_person, make_organisation, browser):
    bank = make_bank()
    officer = make_person("Olwen Officer")
    council, _ = make_organisation(bank, "Hollinbridge Council", admins=(officer,),
                                   organisation_type=OrganisationType.COUNCIL)
    activity, _ = activities.create_activity(db_session, officer, activities.NewActivity(
        title="Warm space", summary="", place="The library", form=CoProductionForm.CO_DELIVERING,
        designed_by=Party.SHARED, delivered_by=Party.SHARED, time_bank_id=bank.id, organisation_id=council.id))
    role, _ = activities.add_role(db_session, officer, activity.id, activities.RoleDetails(
        title="Host", description="", category="gardening", abilities=(), direction=RoleDirection.GIVES, places=4,
        credit_minutes=None, clearance=None, normally_paid=False, service_user_involvement=False,
        release_notice_hours=0, away_overnight=False))
    path = f"/activities/{activity.id}/roles/{role.id}/sessions"
    ids = {"activity": activity.id, "role": role.id, "officer": officer.id}
    page, headers, api = browser(officer), bearer(db_session, officer), app.test_client()

    def service(day: dt.date) -> bool:
        try:
            activities.add_sessions(db.session, db.session.get(Person, ids["officer"]), ids["activity"],
                                    ids["role"], activities.NewSessions(on=day, start_time=dt.time(23, 58),
                                                                        end_time=dt.time(23, 59)))
        except DateOutOfRange as refused:
            assert refused.field == "on"
            return False
        return True

    def form(day: dt.date) -> bool:
        response = page.post(f"{path}/new", data={
            "on": day.isoformat(), "start_time": "23:58", "end_time": "23:59", "place": "", "places": "",
            "weeks": "1", "idempotency_key": uuid.uuid4().hex})
        assert response.status_code == 302 or 'id="on-error"' in response.get_data(as_text=True)
        return response.status_code == 302

    def json(day: dt.date) -> bool:
        response = api.post(f"/api/v1{path}", headers=headers, json={
            "on": day.isoformat(), "start_time": "23:58", "end_time": "23:59", "idempotency_key": uuid.uuid4().hex})
        assert response.status_code == 201 or "on" in response.get_json()["errors"]
        return response.status_code == 201

    today = uk_today()
    allowed = DateRange(today, add_months(today, PLANNING_HORIZON_MONTHS), today)
    agree(db_session, allowed, {"service": service, "form": form, "api": json})()


# --- a document's date -------------------------------------------------------------------------------------


def test_a_dbs_certificate_is_accepted_iff_it_is_dated_from_the_first_one_to_today(
        app, db_session, make_bank, make_member, make_broker, browser):
    bank = make_bank()
    broker = make_broker(bank)
    member, _ = make_member(bank)
    ids = {"bank": bank.id, "member": member.id, "broker": broker.id}
    page, headers, api = browser(broker), bearer(db_session, broker), app.test_client()

    def service(day: dt.date) -> bool:
        try:
            safeguarding.record_dbs_check(db.session, db.session.get(Person, ids["broker"]), ids["member"],
                                          ids["bank"], safeguarding.DbsCheckInput(level=DbsLevel.BASIC, issued_on=day))
        except DateOutOfRange as refused:
            assert refused.field == "issued_on"
            return False
        return True

    def form(day: dt.date) -> bool:
        response = page.post(f"/people/{ids['member']}/safeguarding/dbs-checks", data={
            "time_bank_id": str(ids["bank"]), "level": "basic", "workforce": "", "certificate_number": "",
            "issued_on": day.isoformat(), "update_service": "no", "status_checked_on": ""})
        assert response.status_code == 302 or 'id="issued_on-error"' in response.get_data(as_text=True)
        return response.status_code == 302

    def json(day: dt.date) -> bool:
        response = api.post(f"/api/v1/people/{ids['member']}/dbs-checks", headers=headers, json={
            "time_bank_id": ids["bank"], "level": "basic", "issued_on": day.isoformat()})
        assert response.status_code == 201 or "issued_on" in response.get_json()["errors"]
        return response.status_code == 201

    today = uk_today()
    agree(db_session, DateRange(FIRST_DBS_CERTIFICATE, today, today),
          {"service": service, "form": form, "api": json})()
