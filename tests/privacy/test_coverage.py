"""Every table that holds a person's id is someone's part of the data export and of leaving
(``timebank.personal_data``), or is declared exempt with the reason; the parts forget in the order the
architecture page gives; and a member busy in every feature gets every section, then leaves no
identifying words behind in any table a part covers.

Which columns hold a person's id is read from the metadata, not listed by hand, so a new feature's
table is found the day it is added. A column holds one if

1. it has a foreign key (composite ones too) to ``holders.id`` or ``people.id``, or to another column
   that holds one (``abilities.holder_id`` → ``profiles.holder_id`` → ``holders.id``). Not followed: the
   key of a holder kind that is not a person (``organisations.id`` → ``holders.id`` is joined-table
   inheritance; it names an organisation);
2. it is the one-column primary key of a table whose rows are someone's (the table has a ``person_id`` or
   ``holder_id`` that holds a person's id): an account, an application or a listing is its holder's, so
   whatever refers to one holds a person's id at one remove (``postings.account_id``,
   ``references.application_id``);
3. or its name says so (``person_id``, ``holder_id``, ``actor_id``, ``author_id``, ``voucher_id``, any
   ``…_person_id`` or ``…_by_id``), foreign key or not, so a column added without one is caught too.
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from timebank import personal_data
from timebank.activities.models import SignUp
from timebank.attendance import service as attendance
from timebank.auth import service as auth
from timebank.auth import tokens
from timebank.banks import service as banks
from timebank.benefits import profiles as benefit_profiles
from timebank.benefits.facts import Benefit, Severity
from timebank.benefits.facts import Profile as BenefitFacts
from timebank.benefits.models import BenefitAccess, BenefitConsent, BenefitFlag, BenefitProfile
from timebank.brokerage import contact
from timebank.brokerage import service as brokerage
from timebank.brokerage.models import Answer, Introduction, IntroductionState
from timebank.categories.models import Category
from timebank.db import Base
from timebank.exchanges import disputes
from timebank.feedback import service as feedback
from timebank.feedback.models import Channel
from timebank.jobs import service as jobs
from timebank.ledger import service as ledger
from timebank.ledger.models import Account
from timebank.listings.models import Listing, ListingKind
from timebank.mail import service as mail
from timebank.mail.models import EmailKind
from timebank.members.models import BankRoleName, Holder, Person
from timebank.membership import service as membership
from timebank.membership.models import Vouch
from timebank.membership.service import Referee
from timebank.money import service as money
from timebank.money.models import ExpenseKind, PaymentKind
from timebank.notices.models import NoticeKind
from timebank.notices.service import notify
from timebank.personal_data import Part
from timebank.privacy import service as privacy
from timebank.privacy.schemas import ExportOut
from timebank.programmes import service as programmes
from timebank.receipts import RedeemedFor
from timebank.safeguarding.service import add_note

ARCHITECTURE = pathlib.Path(__file__).parents[2] / "docs" / "architecture.md"
_NAMED_AS_PERSON = re.compile(r"^(?:.*_)?(?:person|holder|actor|author|voucher)_id$|^.+_by_id$")


def person_id_columns(metadata: sa.MetaData) -> dict[str, list[str]]:
    """Table → the columns that hold a person's id, by the rule in this module's docstring."""
    not_people = {mapper.local_table for mapper in sa.inspect(Holder).self_and_descendants
                  if mapper.class_ not in (Holder, Person)}
    found: set[sa.Column[Any]] = {metadata.tables["holders"].c.id, metadata.tables["people"].c.id}
    grown = True
    while grown:
        grown = False
        for table in metadata.tables.values():
            owner_key = list(table.primary_key.columns)
            for column in table.columns:
                if column in found or (table in not_people and column.primary_key):
                    continue
                if any(key.column in found for key in column.foreign_keys) or _NAMED_AS_PERSON.match(column.name):
                    found.add(column)
                    grown = True
            rows_are_someones = any(table.c.get(name) in found for name in ("person_id", "holder_id"))
            if rows_are_someones and len(owner_key) == 1 and owner_key[0] not in found:
                found.add(owner_key[0])
                grown = True
    columns: dict[str, list[str]] = {}
    for column in found:
        columns.setdefault(column.table.name, []).append(column.name)
    return {table: sorted(names) for table, names in sorted(columns.items())}


def test_the_rule_finds_the_person_ids_we_know_of():
    """The rule, checked on tables whose answer is plain."""
    found = person_id_columns(Base.metadata)
    assert found["people"] == ["id"] and found["holders"] == ["id"]
    assert found["accounts"] == ["holder_id", "id"]
    assert found["postings"] == ["account_id"], "one remove: an account is its holder's"
    assert found["abilities"] == ["holder_id"], "through profiles.holder_id"
    assert found["references"] == ["application_id", "recorded_by_id"]
    assert "organisation_id" not in found["expenses"], "an organisation is not a person"
    for table in ("organisations", "contributions", "activity_partners", "time_banks", "categories", "roles"):
        assert table not in found


def test_every_table_that_holds_a_person_id_is_exported_or_exempt_with_a_reason(app: Flask):
    registry = app.extensions["timebank.personal_data"]
    holding = person_id_columns(Base.metadata)
    left_out = {table: columns for table, columns in holding.items()
                if table not in registry.covered and table not in registry.exempt}
    assert not left_out, (
        f"these tables hold a person's id but no feature's part (timebank/<feature>/personal_data.py) exports "
        f"them or declares them exempt with a reason: {left_out}")
    declared = set(registry.covered) | set(registry.exempt)
    assert declared <= set(holding), f"declared, but holding no person's id (or gone): {declared - set(holding)}"
    assert all(reason.strip() for reason in registry.exempt.values())


def test_the_registry_refuses_parts_that_do_not_fit_together(app: Flask):
    parts = app.extensions["timebank.personal_data"].parts
    with pytest.raises(ValueError, match="claimed twice"):
        personal_data.Registry([*parts, Part(name="again", exempt={"accounts": "a second claim"})])
    with pytest.raises(ValueError, match="same section"):
        personal_data.Registry([*parts, Part(name="again", sections=("profile",), export=lambda *_: {},
                                             kept="nothing")])
    with pytest.raises(ValueError, match="FORGET_ORDER"):
        personal_data.Registry([*parts, Part(name="newcomer", tables=("x",), forget=lambda *_: None)])
    with pytest.raises(ValueError, match="kept"):
        Part(name="silent", tables=("x",), sections=("x",), export=lambda *_: {})
    with pytest.raises(ValueError, match="reason"):
        Part(name="vague", exempt={"x": " "})


def test_the_parts_forget_in_the_order_the_architecture_page_gives(app: Flask):
    [leaving] = [line for line in ARCHITECTURE.read_text().split("\n- ") if line.startswith("Leaving (")]
    order = leaving.split("in this order:", 1)[1]
    assert tuple(re.findall(r"`(\w+)`", order)) == personal_data.FORGET_ORDER
    assert [part.name for part in app.extensions["timebank.personal_data"].forgetting] == list(
        personal_data.FORGET_ORDER)


def test_the_api_schema_documents_every_section(app: Flask):
    registry = app.extensions["timebank.personal_data"]
    assert set(ExportOut().fields) == {*registry.sections, "withheld"}
    for name, field in ExportOut().fields.items():
        assert field.metadata.get("description"), name


def test_a_member_busy_in_every_feature_gets_every_section_and_leaves_nothing_identifying(
    db_session, bank, make_bank, make_broker, make_member, make_person, make_organisation, make_application,
    hear_from_referees, make_profile, make_dbs_check, make_session, organiser, council, today,
):
    """Ffion has something in every feature. Her download has every section, filled; after she leaves,
    none of her identifying words (name, contact details, her own words in what leaving wipes) are left
    in any table a part covers. The words the books keep (an exchange's description, a dispute's reason,
    a payment's note) are chosen here to name nobody."""
    tag = uuid.uuid4().hex[:8]  # other tests may have committed their own Ffion
    broker = make_broker(bank)
    name, email, phone, postcode = f"Ffion {tag}", f"ffion.{tag}@example.org", "01632 960 777", "HB9 9QZ"
    person = make_person(name, email=email, phone=phone, postcode=postcode)
    referee = Referee(f"Referee {tag}", f"referee.{tag}@example.org", f"Neighbour of {tag}")
    application = make_application(bank, person, referees=(referee, Referee("Second referee", "0161 496 0000", "")),
                                   statement=f"Statement {tag}")
    hear_from_referees(application, broker)
    membership.approve(db_session, broker, application.id, approve_anyway=True)
    account = db_session.scalar(sa.select(Account).where(Account.holder_id == person.id))
    neighbour, neighbour_account = make_member(bank, "Gareth")
    partner_admin = make_person("Pat Partner")
    partner, _ = make_organisation(bank, "Leisure Trust", admins=(partner_admin, person))

    make_profile(person, abilities=("gardening",), about=f"About {tag}", languages=("cy",))
    make_dbs_check(person, bank, broker, certificate_number="009876543210")
    add_note(db_session, broker, person.id, bank.id, "Prefers morning visits.")
    tokens.issue_token(db_session, person, dt.timedelta(days=30), name=f"Token {tag}")
    auth.make_password_link(db_session, broker, person.id, auth.LinkLifetimes(dt.timedelta(days=7),
                                                                              dt.timedelta(days=1)))
    banks.grant_role(db_session, time_bank_id=make_bank().id, person_id=person.id, role=BankRoleName.FUNDER,
                     actor_id=None)
    db_session.add(Vouch(application_id=make_application(bank).id, voucher_id=person.id))

    gardening = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))
    given, _ = ledger.record_exchange(
        db_session, proposer_account_id=account.id, counterpart_account_id=neighbour_account.id,
        proposer_is_giver=True, amount_minutes=120, occurred_on=today, category_id=gardening,
        description="Weeding", recorded_by_id=person.id, idempotency_key=uuid.uuid4().hex)
    ledger.confirm_exchange(db_session, given.id, actor_id=neighbour.id, acting_for_account_id=neighbour_account.id)
    asked, _ = ledger.record_exchange(
        db_session, proposer_account_id=neighbour_account.id, counterpart_account_id=account.id,
        proposer_is_giver=True, amount_minutes=30, occurred_on=today, category_id=gardening,
        description="Pruning", recorded_by_id=neighbour.id, idempotency_key=uuid.uuid4().hex)
    feedback.answer(db_session, feedback.own_exchange(db_session, person, given.id), person.id,
                    feedback.Answers(how_it_went=2, comment=f"Comment {tag}"), channel=Channel.PAGE)
    disputes.raise_dispute(db_session, person, given.id, "The hours were wrong.")
    notify(db_session, {person.id}, NoticeKind.EXCHANGE_PENDING, asked.id, key=f"pending:{asked.id}",
           time_bank_id=asked.time_bank_id)
    mail.set_wanted(db_session, person.id, {EmailKind.LISTING_REVIEW: False})

    full = make_session(places=1)
    attendance.sign_up(db_session, neighbour, full.id)
    waiting, _ = attendance.sign_up(db_session, person, full.id)
    booked, _ = attendance.sign_up(db_session, person, make_session().id)
    attendance.make_calendar_feed(db_session, person)
    jobs.enqueue(db_session, "notices.send", payload={"day": today.isoformat()}, requested_by_id=person.id)
    db_session.add(Listing(time_bank_id=bank.id, holder_id=person.id, kind=ListingKind.OFFER,
                           title=f"Listing {tag}", details=f"Call {phone}", place=f"Place {tag}",
                           category_id=gardening, review_on=today, created_by_id=person.id))
    money.record_expense(db_session, organiser, money.ExpenseInput(
        organisation_id=council.id, time_bank_id=bank.id, person_id=person.id, paid_on=today,
        kind=ExpenseKind.TRAVEL, amount_paid_pence=450, amount_receipted_pence=450, receipts_count=1,
        idempotency_key=uuid.uuid4().hex, note="Bus fare"))
    money.record_payment(db_session, organiser, money.PaymentInput(
        organisation_id=council.id, time_bank_id=bank.id, person_id=person.id, paid_on=today,
        kind=PaymentKind.HONORARIUM, amount_pence=2500, idempotency_key=uuid.uuid4().hex, note="Panel member"))
    money.redeem(db_session, partner_admin, money.RedemptionInput(
        partner_id=partner.id, time_bank_id=bank.id, person_id=person.id, item="A swim",
        redeemed_for=RedeemedFor.TIME_BASED_ACTIVITY, credit_minutes=60, occurred_on=today,
        idempotency_key=uuid.uuid4().hex))
    benefit_profiles.give_consent(db_session, person, person.id)
    benefit_profiles.save_profile(db_session, person, person.id, BenefitFacts(benefits=frozenset({Benefit.UC})))
    db_session.add(BenefitFlag(person_id=person.id, time_bank_id=bank.id, rule_id="TB-04", key="payment:1",
                               severity=Severity.HIGH, window_start=today, window_end=today,
                               evidence={"references": [], "params": {"organisation": "Council"}}))
    request = Listing(time_bank_id=bank.id, holder_id=neighbour.id, kind=ListingKind.REQUEST, title="Hedge",
                      needed_on=today, category_id=gardening, review_on=today, created_by_id=neighbour.id)
    db_session.add(request)
    db_session.flush()
    [introduction] = brokerage.introduce(db_session, broker, brokerage.NewIntroduction(
        [person.id], listing_id=request.id, message=f"Introduced {tag}"))
    brokerage.answer(db_session, person, introduction.id, brokerage.Side.CANDIDATE, Answer.ACCEPTED, f"Reason {tag}")
    contact.write_to_brokers(db_session, person, bank.id, f"Message {tag}")
    admin = make_person("Ada Admin")
    admin.is_admin = True
    fund = programmes.create_funder(db_session, admin, f"Fund {uuid.uuid4().hex[:8]}")
    programmes.add_funder_member(db_session, admin, fund.id, email)
    db_session.flush()

    registry = personal_data.registry()
    for part in registry.parts:
        if part.export is not None:
            assert set(part.export(db_session, person)) == set(part.sections), part.name
    data = privacy.export_data(db_session, person)
    assert list(data) == [*registry.sections, "withheld"]
    assert [section for section, value in data.items() if not value] == [], "every section has something"
    assert {row["status"] for row in data["sign_ups"]} == {"waiting", "booked"}
    assert data["calendar_feed"]["made_at"] and "token" not in json.dumps(data["calendar_feed"])
    assert data["listings"][0]["title"] == f"Listing {tag}"
    assert [row["reason"] for row in data["disputes"]] == ["The hours were wrong."]
    assert (data["expenses"][0]["amount_paid_pence"], data["payments"][0]["amount_pence"],
            data["redemptions"][0]["item"]) == (450, 2500, "A swim")
    assert [row["kind"] for row in data["notices"]] == ["exchange_confirmed", "exchange_pending", "introduction_made"]
    assert [(row["kind"], row["to"]) for row in data["emails"]] == [("exchange_confirmed", email),
                                                                   ("exchange_pending", email),
                                                                   ("introduction_made", email)]
    assert data["feedback_answers"][0]["comment"] == f"Comment {tag}"
    assert data["email_preferences"][0]["wanted"] is False
    assert data["introductions"][0]["your_reason"] == f"Reason {tag}"
    assert [row["funder_id"] for row in data["funder_memberships"]] == [fund.id]
    text = json.dumps(data)
    assert all(word in text for word in (name, email, phone, postcode, f"Referee {tag}", f"Token {tag}"))

    privacy.leave(db_session, broker, person.id)

    db_session.expire_all()
    identifying = (tag, "Ffion", email, phone, postcode, "009876543210")
    for table in sorted(registry.covered):
        rows = db_session.execute(sa.select(Base.metadata.tables[table])).mappings().all()
        for row in rows:
            words = json.dumps({key: value for key, value in row.items()}, default=str)
            assert not [word for word in identifying if word in words], f"{table} still holds {words}"
    for model in (BenefitConsent, BenefitProfile, BenefitFlag, BenefitAccess):
        assert not db_session.scalars(sa.select(model).where(model.person_id == person.id)).all(), model
    assert db_session.get(Introduction, introduction.id).state is IntroductionState.WITHDRAWN
    assert programmes.funder_members(db_session, fund.id) == []
    assert db_session.get(SignUp, waiting.id).status.value == db_session.get(SignUp, booked.id).status.value \
        == "cancelled"
