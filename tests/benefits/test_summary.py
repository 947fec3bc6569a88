"""My activity summary (issue 12, item 7): hours, days, roles, organisations, expenses and payments in a chosen
period, as a page and a PDF in English or Welsh; for every member, consent or not, and their broker; every
reading logged."""

from __future__ import annotations

import datetime as dt
import uuid
import zlib
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, ActivityStatus, CoProductionForm, Party, Role, RoleDirection
from timebank.banks.models import TimeBank
from timebank.benefits import summary as summaries
from timebank.benefits.models import AccessKind, BenefitAccess, Subject
from timebank.categories.models import Category
from timebank.ledger import service as ledger
from timebank.ledger.models import Account
from timebank.members.models import OrganisationType, Person
from timebank.money import service as money
from timebank.money.models import ExpenseKind, PaymentKind
from timebank.types import utcnow


@pytest.fixture
def world(db_session: Session, bank: TimeBank, make_member, make_person, make_organisation, today: dt.date) -> Any:
    """Mair gave 2 h in the council's "Library helper" role on two days, 1 h to her neighbour Nia, and had
    30 min of help from Nia (not hers to report); 3 h forty days ago (outside the period). The council paid her
    £6.40 of expenses against £6.40 of receipts and a £20 gift."""
    mair, mair_account = make_member(bank, "Mair Member")
    nia, nia_account = make_member(bank, "Nia Neighbour")
    officer = make_person("Olwen Officer")
    council, council_account = make_organisation(bank, "Hollinbridge Council", admins=(officer,),
                                                 organisation_type=OrganisationType.COUNCIL)
    gardening = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))
    activity = Activity(time_bank_id=bank.id, organisation_id=council.id, title="Library", summary="Books",
                        form=CoProductionForm.CO_DELIVERING, designed_by=Party.SHARED, delivered_by=Party.SHARED,
                        place="Library", status=ActivityStatus.PUBLISHED, created_by_id=officer.id,
                        published_at=utcnow())
    role = Role(activity=activity, title="Library helper", category_id=gardening, places=3,
                direction=RoleDirection.GIVES)
    db_session.add_all([activity, role])
    db_session.flush()

    def give(giver: Account, receiver: Account, minutes: int, on: dt.date, *, role_id: int | None = None) -> None:
        source = ledger.Source(activity_id=activity.id, role_id=role_id, session_id=None) if role_id else None
        exchange, _ = ledger.record_exchange(
            db_session, proposer_account_id=giver.id, counterpart_account_id=receiver.id, proposer_is_giver=True,
            amount_minutes=minutes, occurred_on=on, category_id=gardening, description="", recorded_by_id=mair.id,
            idempotency_key=uuid.uuid4().hex, source=source)
        ledger.confirm_exchange(db_session, exchange.id, actor_id=mair.id, acting_for_account_id=receiver.id)

    give(mair_account, council_account, 60, today - dt.timedelta(days=3), role_id=role.id)
    give(mair_account, council_account, 60, today - dt.timedelta(days=1), role_id=role.id)
    give(mair_account, nia_account, 60, today - dt.timedelta(days=1))
    give(nia_account, mair_account, 30, today)
    give(mair_account, council_account, 180, today - dt.timedelta(days=40), role_id=role.id)
    money.record_expense(db_session, officer, money.ExpenseInput(
        organisation_id=council.id, time_bank_id=bank.id, person_id=mair.id, paid_on=today - dt.timedelta(days=1),
        kind=ExpenseKind.TRAVEL, amount_paid_pence=640, amount_receipted_pence=640, receipts_count=1,
        idempotency_key=uuid.uuid4().hex))
    money.record_payment(db_session, officer, money.PaymentInput(
        organisation_id=council.id, time_bank_id=bank.id, person_id=mair.id, paid_on=today, kind=PaymentKind.GIFT,
        amount_pence=2000, idempotency_key=uuid.uuid4().hex))
    db_session.commit()
    return mair, nia, officer


def _period(today: dt.date) -> str:
    return f"from={(today - dt.timedelta(days=20)).isoformat()}&to={today.isoformat()}"


def test_the_summary_adds_up_the_period(db_session: Session, world: Any, today: dt.date) -> None:
    mair, _nia, _officer = world
    found = summaries.summary(db_session, mair, mair.id,
                              summaries.period(today - dt.timedelta(days=20), today, today), reason="test")
    assert found.given_minutes == 180  # 2 h in the role, 1 h for Nia; not what Nia gave, nor 40 days ago
    assert found.days == [today - dt.timedelta(days=3), today - dt.timedelta(days=1)]
    assert [(line.role, line.organisation, line.sessions, line.minutes) for line in found.roles] == [
        ("Library helper", "Hollinbridge Council", 2, 120), ("Help exchanged between members", "Another member", 1, 60)]
    assert found.organisations == [("Hollinbridge Council", 120)]
    assert (found.expenses_pence, found.receipted_pence, found.payments_pence) == (640, 640, 2000)
    assert "Nia" not in str(found)  # a neighbour's name stays off a paper for the work coach
    [logged] = db_session.scalars(sa.select(BenefitAccess).where(BenefitAccess.person_id == mair.id)).all()
    assert (logged.subject, logged.kind, logged.actor_id, logged.reason) == (
        Subject.SUMMARY, AccessKind.READ, mair.id, "test")


def test_the_member_reads_it_without_consent(db_session: Session, world: Any, today: dt.date,
                                              as_person: Callable[[Person], FlaskClient]) -> None:
    mair, _nia, _officer = world
    response = as_person(mair).get(f"/benefits/summary?{_period(today)}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Library helper" in html and "Hollinbridge Council" in html and "3 hours" in html
    assert "£6.40" in html and "£20.00" in html
    assert db_session.scalar(sa.select(sa.func.count()).select_from(BenefitAccess).where(
        BenefitAccess.subject == Subject.SUMMARY, BenefitAccess.reason == "summary_page")) == 1


def test_without_a_period_it_is_the_last_13_weeks(world: Any, today: dt.date,
                                                  as_person: Callable[[Person], FlaskClient]) -> None:
    mair, _nia, _officer = world
    html = as_person(mair).get("/benefits/summary").get_data(as_text=True)
    assert (today - dt.timedelta(days=90)).isoformat() in html and "6 hours" in html


@pytest.mark.parametrize("query", [
    "from=2026-05-02&to=2026-05-01", "from=2024-01-01&to=2025-06-01", "from=nonsense", "to=2999-01-01"])
def test_a_period_it_cannot_show(world: Any, query: str, as_person: Callable[[Person], FlaskClient]) -> None:
    mair, _nia, _officer = world
    response = as_person(mair).get(f"/benefits/summary?{query}")
    assert response.status_code == 422
    assert "Library helper" not in response.get_data(as_text=True)


def _pdf_text(data: bytes) -> bytes:
    """Every stream of the PDF, inflated where it is compressed."""
    chunks = [data]
    for stream in data.split(b"stream")[1:]:
        body = stream.split(b"endstream")[0].strip(b"\r\n")
        try:
            chunks.append(zlib.decompress(body))
        except zlib.error:
            continue
    return b"".join(chunks)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_pdf_in_english_or_welsh(db_session: Session, world: Any, today: dt.date, language: str,
                                     as_person: Callable[[Person], FlaskClient]) -> None:
    mair, _nia, _officer = world
    response = as_person(mair).get(f"/benefits/summary.pdf?{_period(today)}&language={language}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert f"/Lang ({'en' if language == 'en' else 'cy'}".encode() in _pdf_text(response.data)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(BenefitAccess).where(
        BenefitAccess.reason == "summary_pdf")) == 1
    assert as_person(mair).get(f"/benefits/summary.pdf?{_period(today)}&language=fr").status_code == 400


def test_the_broker_reads_it_for_the_member(db_session: Session, world: Any, broker: Person, today: dt.date,
                                            as_person: Callable[[Person], FlaskClient]) -> None:
    mair, _nia, _officer = world
    client = as_person(broker)
    page = client.get(f"/benefits/members/{mair.id}/summary?{_period(today)}")
    assert page.status_code == 200 and "Activity summary: Mair Member" in page.get_data(as_text=True)
    assert client.get(f"/benefits/members/{mair.id}/summary.pdf?{_period(today)}").status_code == 200
    logged = db_session.scalars(sa.select(BenefitAccess).where(BenefitAccess.person_id == mair.id)).all()
    assert {(entry.actor_id, entry.reason) for entry in logged} == {(broker.id, "summary_page"),
                                                                    (broker.id, "summary_pdf")}


def test_the_broker_sees_only_the_banks_they_run(db_session: Session, world: Any, make_bank, make_broker,
                                                 make_organisation, today: dt.date,
                                                 as_person: Callable[[Person], FlaskClient]) -> None:
    from timebank.members import service as members

    mair, _nia, _officer = world
    elsewhere = make_bank(name="Elsewhere Time Bank")
    other_broker = make_broker(elsewhere, "Other Broker")
    members.join_bank(db_session, mair, elsewhere.id, actor_id=None)
    db_session.commit()
    html = as_person(other_broker).get(f"/benefits/members/{mair.id}/summary?{_period(today)}").get_data(as_text=True)
    assert "Library helper" not in html and "£20.00" not in html and "No time given in this period." in html


def test_nobody_else_reads_it(db_session: Session, world: Any, today: dt.date, make_person,
                              as_person: Callable[[Person], FlaskClient]) -> None:
    mair, nia, officer = world
    admin = make_person("Ada Admin", is_admin=True)
    db_session.commit()
    for person in (nia, officer, admin):
        for path in (f"/benefits/members/{mair.id}/summary?{_period(today)}",
                     f"/benefits/members/{mair.id}/summary.pdf", f"/benefits/members/{mair.id}/summary?from=junk"):
            assert as_person(person).get(path).status_code == 404, (person.display_name, path)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(BenefitAccess)) == 0
