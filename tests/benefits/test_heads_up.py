"""The heads-up before a member goes ahead (issue 12, item 5): what the rules would newly find, in the member's
words, before they confirm time they gave, spend credits or take a place; never for a member who did not
consent, never to an organisation's admin, and never in the way: going ahead still works.

The rules here are written for the test (``timebank.benefits.rules.RULES`` is replaced), so these tests say
how the heads-up works whatever the fifteen rules find."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_babel import format_date
from sqlalchemy.orm import Session

from tests.activities.conftest import council, officer  # noqa: F401 (fixtures shared with this directory)
from tests.api.conftest import api_as  # noqa: F401 (fixtures shared with this directory)
from tests.attendance.conftest import make_session, organiser  # noqa: F401 (fixtures shared with this directory)
from timebank import heads_up as registry
from timebank.activities.models import ActivitySession, SignUp
from timebank.banks.models import TimeBank
from timebank.benefits import engine, heads_up, profiles, rules
from timebank.benefits.facts import Benefit, Profile, Relationship, Severity
from timebank.benefits.models import AccessKind, BenefitAccess, BenefitFlag, Subject
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window
from timebank.categories.models import Category
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange, ExchangeState, FamilyTie
from timebank.members.models import Organisation, Person
from timebank.money.models import Redemption
from timebank.receipts import RedeemedFor

FAMILY_TEXT = "You helped family for %(hours)s minutes on %(day)s. Helping family is not volunteering."
GOODS_TEXT = "You are getting goods (%(item)s) for credits. Goods may count as income."
NOTICE_TEXT = "'%(role)s' asks for %(notice)s hours' notice to drop a session."


def _family(context: Context) -> list[Finding]:
    return [Finding("TB-T9", f"exchange:{given.exchange_id}", Severity.LOW, given.occurred_on, given.occurred_on,
                    ((Reference.EXCHANGE, given.exchange_id),),
                    params={"hours": given.minutes, "day": given.occurred_on.isoformat()})
            for given in context.evidence.given
            if given.relationship is not Relationship.NONE and context.in_span(given.occurred_on)]


def _goods(context: Context) -> list[Finding]:
    return [Finding("TB-T2", f"redemption:{redeemed.redemption_id}", Severity.MEDIUM, redeemed.occurred_on,
                    redeemed.occurred_on, ((Reference.REDEMPTION, redeemed.redemption_id),),
                    params={"item": redeemed.item})
            for redeemed in context.evidence.redeemed if redeemed.redeemed_for is RedeemedFor.GOODS]


def _notice(context: Context) -> list[Finding]:
    return [Finding("TB-T12", f"role:{booking.role.role_id}", Severity.LOW, booking.starts_on, booking.ends_on,
                    ((Reference.SIGN_UP, booking.sign_up_id),),
                    params={"role": booking.role.title, "notice": booking.role.release_notice_hours})
            for booking in context.evidence.bookings if booking.role.release_notice_hours > 48]


def _rule(rule_id: str, text: str, evaluate: Callable[[Context], list[Finding]], reads: Reference) -> Rule:
    """A stand-in rule; what it reads says when it runs (a heads-up runs the rules reading the proposed kind)."""
    return Rule(id=rule_id, title=rule_id, benefits=frozenset({Benefit.UC}), reads=frozenset({reads}),
                window=Window.EVENT, lookback_days=0, member_text=text, broker_text="Broker: " + text,
                evaluate=evaluate)


@pytest.fixture(autouse=True)
def test_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    made = (_rule("TB-T9", FAMILY_TEXT, _family, Reference.EXCHANGE),
            _rule("TB-T2", GOODS_TEXT, _goods, Reference.REDEMPTION),
            _rule("TB-T12", NOTICE_TEXT, _notice, Reference.SIGN_UP))
    monkeypatch.setattr(rules, "RULES", made)
    monkeypatch.setattr(engine, "RULES", made)


@pytest.fixture
def consenting(db_session: Session) -> Callable[[Person], None]:
    def consent(person: Person) -> None:
        profiles.give_consent(db_session, person, person.id)
        profiles.save_profile(db_session, person, person.id, Profile(benefits=frozenset({Benefit.UC})))
        db_session.commit()

    return consent


@pytest.fixture
def ann(bank: TimeBank, make_member: Callable[..., tuple[Person, Account]]) -> tuple[Person, Account]:
    return make_member(bank, "Ann Giver")


@pytest.fixture
def bob(bank: TimeBank, make_member: Callable[..., tuple[Person, Account]]) -> tuple[Person, Account]:
    return make_member(bank, "Bob Brother")


@pytest.fixture
def help_from_ann(db_session: Session, ann: Any, bob: Any, today: dt.date) -> Callable[..., Exchange]:
    """Bob records that Ann helped him (so Ann confirms, as the giver), her brother: a close relative."""

    def record(tie: FamilyTie | None = FamilyTie.CLOSE_RELATIVE) -> Exchange:
        category = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))
        exchange, _ = ledger.record_exchange(
            db_session, proposer_account_id=bob[1].id, counterpart_account_id=ann[1].id, proposer_is_giver=False,
            amount_minutes=90, occurred_on=today, category_id=category, description="Dug the veg patch",
            recorded_by_id=bob[0].id, idempotency_key=uuid.uuid4().hex, family_tie=tie)
        db_session.commit()
        return exchange

    return record


def _heading(html: str) -> bool:
    return "Before you go ahead…" in html


# --- the unit ----------------------------------------------------------------------------------------


def test_the_heads_up_says_what_the_proposed_record_would_raise(db_session: Session, ann: Any, bob: Any,
                                                                 help_from_ann: Callable[..., Exchange],
                                                                 consenting: Callable[[Person], None],
                                                                 today: dt.date) -> None:
    consenting(ann[0])
    exchange = help_from_ann()
    given = heads_up.given_of(db_session, exchange)
    assert given.relationship is Relationship.CLOSE_RELATIVE
    [told] = heads_up.heads_up(db_session, ann[0].id, given, actor_id=ann[0].id)
    assert (told.rule_id, told.severity) == ("TB-T9", Severity.LOW)
    # The same words a flag's page would show: the date in the reader's language, not ISO.
    assert told.message == FAMILY_TEXT % {"hours": 90, "day": format_date(today, "long")}
    read = db_session.scalars(sa.select(BenefitAccess).where(BenefitAccess.person_id == ann[0].id,
                                                             BenefitAccess.reason == "heads_up")).all()
    assert [(r.subject, r.kind, r.actor_id) for r in read] == [(Subject.PROFILE, AccessKind.READ, ann[0].id)]

    # Nothing new when the finding is already a flag, in any state.
    db_session.add(BenefitFlag(person_id=ann[0].id, time_bank_id=exchange.time_bank_id, rule_id="TB-T9",
                               key=f"exchange:{exchange.id}", severity=Severity.LOW, window_start=today,
                               window_end=today, evidence={}))
    db_session.flush()
    assert heads_up.heads_up(db_session, ann[0].id, given) == []


def test_nothing_without_consent_or_without_a_finding(db_session: Session, ann: Any,
                                                      help_from_ann: Callable[..., Exchange],
                                                      consenting: Callable[[Person], None]) -> None:
    exchange = help_from_ann()
    given = heads_up.given_of(db_session, exchange)
    assert heads_up.heads_up(db_session, ann[0].id, given) == []
    assert db_session.scalar(sa.select(sa.func.count()).select_from(BenefitAccess)) == 0
    consenting(ann[0])
    plain = heads_up.given_of(db_session, help_from_ann(None))
    assert heads_up.heads_up(db_session, ann[0].id, plain) == []


def test_what_stands_already_is_not_news(db_session: Session, ann: Any, help_from_ann: Callable[..., Exchange],
                                         consenting: Callable[[Person], None]) -> None:
    """A finding the member's records show without the proposed one (the rules not yet run) is not about this
    step, so the heads-up leaves it to the flags."""
    consenting(ann[0])
    first = help_from_ann()
    ledger.confirm_exchange(db_session, first.id, actor_id=ann[0].id, acting_for_account_id=ann[1].id)
    db_session.commit()
    second = heads_up.given_of(db_session, help_from_ann())
    assert [told.rule_id for told in heads_up.heads_up(db_session, ann[0].id, second)] == ["TB-T9"]
    assert f"exchange:{first.id}" not in str(heads_up.heads_up(db_session, ann[0].id, second))


def test_the_registry_answers_with_no_provider(db_session: Session, ann: Any, monkeypatch: pytest.MonkeyPatch,
                                               help_from_ann: Callable[..., Exchange]) -> None:
    monkeypatch.setattr(registry, "_providers", [])
    assert registry.for_exchange(db_session, ann[0], help_from_ann()) == []


# --- confirming an exchange ----------------------------------------------------------------------------


def test_shown_before_confirming_and_going_ahead_still_works(
        db_session: Session, ann: Any, help_from_ann: Callable[..., Exchange], consenting: Callable[[Person], None],
        as_person: Callable[[Person], FlaskClient]) -> None:
    consenting(ann[0])
    exchange = help_from_ann()
    client = as_person(ann[0])
    asked = client.post(f"/exchanges/{exchange.id}/confirm", data={})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and _heading(html)
    assert "Helping family is not volunteering." in html and "you can still go ahead" in html
    assert 'name="go_ahead" value="1"' in html
    db_session.expire_all()
    assert db_session.get(Exchange, exchange.id).state is ExchangeState.PENDING
    gone_ahead = client.post(f"/exchanges/{exchange.id}/confirm", data={"go_ahead": "1"})
    assert gone_ahead.status_code == 302
    db_session.expire_all()
    assert db_session.get(Exchange, exchange.id).state is ExchangeState.CONFIRMED


def test_a_broker_is_told_when_confirming_for_the_member(
        db_session: Session, ann: Any, broker: Person, help_from_ann: Callable[..., Exchange],
        consenting: Callable[[Person], None], as_person: Callable[[Person], FlaskClient]) -> None:
    consenting(ann[0])
    exchange = help_from_ann()
    asked = as_person(broker).post(f"/exchanges/{exchange.id}/confirm", data={"return_to": "pending"})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and _heading(html)
    assert 'name="return_to" value="pending"' in html


def test_not_shown_without_consent(db_session: Session, ann: Any, help_from_ann: Callable[..., Exchange],
                                   as_person: Callable[[Person], FlaskClient]) -> None:
    exchange = help_from_ann()
    response = as_person(ann[0]).post(f"/exchanges/{exchange.id}/confirm", data={})
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Exchange, exchange.id).state is ExchangeState.CONFIRMED


def test_not_shown_to_the_receiver(db_session: Session, ann: Any, bob: Any, today: dt.date,
                                   consenting: Callable[[Person], None],
                                   as_person: Callable[[Person], FlaskClient]) -> None:
    """Ann records help she gave her brother: he confirms, and hears nothing of her benefits."""
    consenting(ann[0])
    category = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))
    exchange, _ = ledger.record_exchange(
        db_session, proposer_account_id=ann[1].id, counterpart_account_id=bob[1].id, proposer_is_giver=True,
        amount_minutes=60, occurred_on=today, category_id=category, description="Dug", recorded_by_id=ann[0].id,
        idempotency_key=uuid.uuid4().hex, family_tie=FamilyTie.CLOSE_RELATIVE)
    db_session.commit()
    assert as_person(bob[0]).post(f"/exchanges/{exchange.id}/confirm", data={}).status_code == 302


def test_the_api_dry_run(db_session: Session, ann: Any, bob: Any, help_from_ann: Callable[..., Exchange],
                         consenting: Callable[[Person], None], api_as: Callable[[Person], Any]) -> None:  # noqa: F811
    consenting(ann[0])
    exchange = help_from_ann()
    ann_api = api_as(ann[0])
    dry = ann_api.post(f"/exchanges/{exchange.id}/confirm?dry_run=true")
    assert dry.status_code == 200
    assert (dry.json["dry_run"], dry.json["state"]) == (True, "pending")
    assert [w for w in dry.json["warnings"] if "Helping family" in w] == dry.json["warnings"] != []
    # The receiver may not confirm it: a dry run refuses as the real thing would.
    assert api_as(bob[0]).post(f"/exchanges/{exchange.id}/confirm?dry_run=true").status_code in (403, 409)
    real = ann_api.post(f"/exchanges/{exchange.id}/confirm")
    assert (real.status_code, real.json["state"], real.json["warnings"]) == (200, "confirmed", [])


def test_the_api_dry_run_without_consent_has_no_warnings(ann: Any, help_from_ann: Callable[..., Exchange],
                                                         api_as: Callable[[Person], Any]) -> None:  # noqa: F811
    dry = api_as(ann[0]).post(f"/exchanges/{help_from_ann().id}/confirm?dry_run=true")
    assert (dry.status_code, dry.json["warnings"]) == (200, [])


# --- spending credits -----------------------------------------------------------------------------------


@pytest.fixture
def partner(bank: TimeBank, make_person: Callable[..., Person], make_organisation: Callable[..., Any]) -> Any:
    admin = make_person("Pat Partner")
    organisation, _account = make_organisation(bank, "Hollinbridge Garden Centre", admins=(admin,))
    return admin, organisation


def _redemption(client: FlaskClient, organisation: Organisation, account: Account, today: dt.date,
                **changes: str) -> dict[str, str]:
    page = client.get(f"/money/redemptions/new?organisation={organisation.id}").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]+)"', page).group(1)
    return {"organisation": str(organisation.id), "member": str(account.id), "listing": "", "item": "A spade",
            "redeemed_for": "goods", "hours": "1", "minutes": "", "face_value": "12.00",
            "occurred_on": today.isoformat(), "idempotency_key": key, **changes}


def _redemptions(db_session: Session, person: Person) -> list[Redemption]:
    return list(db_session.scalars(sa.select(Redemption).where(Redemption.person_id == person.id)))


def test_a_broker_is_told_before_spending_on_goods(db_session: Session, ann: Any, broker: Person, partner: Any,
                                                  consenting: Callable[[Person], None], today: dt.date,
                                                  as_person: Callable[[Person], FlaskClient]) -> None:
    consenting(ann[0])
    client = as_person(broker)
    data = _redemption(client, partner[1], ann[1], today)
    asked = client.post("/money/redemptions/new", data=data)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and _heading(html)
    assert "You are getting goods (A spade) for credits." in html
    assert _redemptions(db_session, ann[0]) == []
    assert client.post("/money/redemptions/new", data={**data, "go_ahead": "1"}).status_code == 302
    assert len(_redemptions(db_session, ann[0])) == 1


def test_an_organisation_is_never_told(db_session: Session, ann: Any, partner: Any, today: dt.date,
                                       consenting: Callable[[Person], None],
                                       as_person: Callable[[Person], FlaskClient]) -> None:
    """The spend partner records the same: it goes through at once, and nothing of Ann's benefits shows."""
    consenting(ann[0])
    client = as_person(partner[0])
    page = client.get(f"/money/redemptions/new?organisation={partner[1].id}").get_data(as_text=True)
    assert "Credits and benefits: time credits are ignored by the benefit system only while they stay time." in page
    assert client.post("/money/redemptions/new", data=_redemption(client, partner[1], ann[1], today)).status_code == 302
    assert len(_redemptions(db_session, ann[0])) == 1
    assert db_session.scalar(sa.select(sa.func.count()).select_from(BenefitAccess).where(
        BenefitAccess.reason == "heads_up")) == 0


# --- taking a place ----------------------------------------------------------------------------------


def test_shown_before_signing_up(db_session: Session, ann: Any, consenting: Callable[[Person], None],
                                 make_session: Callable[..., ActivitySession],  # noqa: F811 (the imported fixture)
                                 as_person: Callable[[Person], FlaskClient]) -> None:
    consenting(ann[0])
    activity_session = make_session(release_notice_hours=72)
    db_session.commit()
    client = as_person(ann[0])
    asked = client.post(f"/sessions/{activity_session.id}/sign-up", data={})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and _heading(html)
    assert "asks for 72 hours&#39; notice" in html or "asks for 72 hours' notice" in html
    assert db_session.scalars(sa.select(SignUp).where(SignUp.person_id == ann[0].id)).all() == []
    assert client.post(f"/sessions/{activity_session.id}/sign-up", data={"go_ahead": "1"}).status_code == 302
    assert len(db_session.scalars(sa.select(SignUp).where(SignUp.person_id == ann[0].id)).all()) == 1


def test_signing_up_without_consent_goes_straight_through(
        db_session: Session, ann: Any, make_session: Callable[..., ActivitySession],  # noqa: F811
        as_person: Callable[[Person], FlaskClient]) -> None:
    activity_session = make_session(release_notice_hours=72)
    db_session.commit()
    assert as_person(ann[0]).post(f"/sessions/{activity_session.id}/sign-up", data={}).status_code == 302
