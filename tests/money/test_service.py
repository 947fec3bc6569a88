"""The money service, worked like bookkeeping: what each record holds, what the credits of a redemption
do to both balances, what is refused (and that a refusal leaves nothing behind), and who sees what."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.money.conftest import RACERS, balances, category_id
from timebank.activities.models import Activity, CoProductionForm, Party
from timebank.audit.models import AuditEvent
from timebank.banks import service as banks
from timebank.dates import DateOutOfRange
from timebank.errors import Forbidden, NotFound
from timebank.ledger.models import Exchange, ExchangeEvent, ExchangeState
from timebank.members.models import BankRoleName, Person
from timebank.money import errors, service
from timebank.money.models import Expense, ExpenseKind, Payment, PaymentKind
from timebank.money.service import RecordFilters, RecordType
from timebank.receipts import RedeemedFor


def events(db_session, action, person):
    return list(db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action,
                                                               AuditEvent.subject_id == person.id)))


def expenses_of(db_session, person):
    return list(db_session.scalars(sa.select(Expense).where(Expense.person_id == person.id)))


# --- expenses ----------------------------------------------------------------------------------------


def test_an_organisation_records_mileage(db_session, council, member, activity, expense_input, today):
    expense, created = service.record_expense(db_session, council.admin, expense_input(activity_id=activity.id))
    assert created
    assert (expense.person_id, expense.organisation_id, expense.activity_id, expense.kind, expense.miles_tenths,
            expense.rate_per_mile_pence, expense.amount_paid_pence, expense.paid_on, expense.recorded_by_id) == (
        member.person.id, council.organisation.id, activity.id, ExpenseKind.MILEAGE, 400, 45, 1800, today,
        council.admin.id)
    assert service.expense_warnings(expense) == []
    [event] = events(db_session, "money.expense_recorded", member.person)
    assert event.details["record_id"] == expense.id and event.details["on_behalf"] is False


def test_paid_more_than_receipted_flat_rate_and_no_receipts_are_recorded_with_warnings(
        db_session, council, member, expense_input):
    expense, _ = service.record_expense(db_session, council.admin, expense_input(
        kind=ExpenseKind.TRAVEL, miles_tenths=None, rate_per_mile_pence=None, amount_paid_pence=1000,
        amount_receipted_pence=0, receipts_count=0, flat_rate=True))
    assert expenses_of(db_session, member.person) == [expense]
    assert service.expense_warnings(expense) == [
        service.PAID_MORE_THAN_RECEIPTED, service.FLAT_RATE, service.NO_RECEIPTS]
    assert [str(warning).endswith("may count as income for benefits.") for warning in
            service.expense_warnings(expense)] == [True, False, False], "said once, not repeated"


@pytest.mark.parametrize(("changes", "error"), [
    ({"miles_tenths": None}, errors.MilesRequired),
    ({"rate_per_mile_pence": None}, errors.RateRequired),
    ({"miles_tenths": 0}, errors.InvalidMiles),
    ({"rate_per_mile_pence": 1001}, errors.InvalidRate),
    ({"kind": ExpenseKind.MEALS}, errors.MileageOnly),
    ({"amount_paid_pence": 0}, errors.InvalidAmount),
    ({"amount_receipted_pence": -1}, errors.InvalidAmount),
    ({"amount_paid_pence": 10_000_001}, errors.InvalidAmount),
    ({"receipts_count": 0}, errors.ReceiptsNeeded),
    ({"receipts_count": 1001}, errors.InvalidReceipts),
    ({"paid_on": dt.date(1999, 12, 31)}, DateOutOfRange),
    ({"note": "x" * 1001}, errors.NoteTooLong),
])
def test_a_bad_expense_is_refused_and_nothing_recorded(db_session, council, member, expense_input, changes, error):
    with pytest.raises(error):
        service.record_expense(db_session, council.admin, expense_input(**changes))
    assert expenses_of(db_session, member.person) == []


def test_an_expense_cannot_be_dated_tomorrow(db_session, council, member, expense_input, today):
    with pytest.raises(DateOutOfRange) as refused:
        service.record_expense(db_session, council.admin, expense_input(paid_on=today + dt.timedelta(days=1)))
    assert refused.value.field == "paid_on"


def test_the_member_and_the_activity_must_belong_with_the_organisation(
        db_session, council, partner, member, other_bank, make_member, expense_input):
    outsider, _ = make_member(other_bank, "Iolo Outsider")
    with pytest.raises(errors.MemberNotInBank):
        service.record_expense(db_session, council.admin, expense_input(person_id=outsider.id))
    with pytest.raises(errors.NotInBank):
        service.record_expense(db_session, council.admin, expense_input(time_bank_id=other_bank.id))
    elsewhere = service.recording_choices(db_session, partner.admin, partner.organisation.id)
    assert elsewhere.activities == []
    theirs = Activity(time_bank_id=member.account.time_bank_id, organisation_id=partner.organisation.id,
                      title="Swim club", form=CoProductionForm.CO_DELIVERING, designed_by=Party.SHARED,
                      delivered_by=Party.SHARED, created_by_id=partner.admin.id)
    db_session.add(theirs)
    db_session.flush()
    with pytest.raises(errors.ActivityNotFound):
        service.record_expense(db_session, council.admin, expense_input(activity_id=theirs.id))


def with_key(db_session, model, recorder, key):
    return list(db_session.scalars(sa.select(model).where(model.recorded_by_id == recorder.id,
                                                          model.idempotency_key == key)))


def test_sending_the_same_expense_twice_records_it_once(db_session, council, member, expense_input):
    data = expense_input()
    first, created = service.record_expense(db_session, council.admin, data)
    again, created_again = service.record_expense(db_session, council.admin, data)
    assert (created, created_again, again.id) == (True, False, first.id)
    assert with_key(db_session, Expense, council.admin, data.idempotency_key) == [first]
    assert len(first.request_fingerprint) == 64
    assert len(expenses_of(db_session, member.person)) == 1
    assert len(events(db_session, "money.expense_recorded", member.person)) == 1


@pytest.mark.parametrize("changes", [{"amount_paid_pence": 1900}, {"note": "Second trip"},
                                     {"kind": ExpenseKind.TRAVEL, "miles_tenths": None, "rate_per_mile_pence": None}])
def test_the_same_expense_key_with_other_facts_is_refused_and_nothing_changes(
        db_session, council, member, expense_input, changes):
    data = expense_input()
    first, _ = service.record_expense(db_session, council.admin, data)
    with pytest.raises(errors.KeyReused) as refused:
        service.record_expense(db_session, council.admin, dataclasses.replace(data, **changes))
    assert refused.value.field == "idempotency_key"
    db_session.expire_all()
    assert expenses_of(db_session, member.person) == [first]
    assert (first.amount_paid_pence, first.kind, first.note) == (1800, ExpenseKind.MILEAGE, "")
    assert len(events(db_session, "money.expense_recorded", member.person)) == 1


def test_a_key_belongs_to_its_recorder(db_session, broker, council, member, expense_input):
    """Two people who happen to choose the same key record two expenses."""
    data = expense_input(idempotency_key="shared-key")
    mine, _ = service.record_expense(db_session, council.admin, data)
    theirs, created = service.record_expense(db_session, broker, data)
    assert created and theirs.id != mine.id and theirs.idempotency_key == mine.idempotency_key == "shared-key"


def test_copies_of_an_expense_sent_at_once_record_it_once(race, today):
    data = service.ExpenseInput(
        organisation_id=race.organisation_id, time_bank_id=race.bank_id, person_id=race.member_id, paid_on=today,
        kind=ExpenseKind.TRAVEL, amount_paid_pence=450, amount_receipted_pence=450, receipts_count=1,
        idempotency_key=uuid.uuid4().hex)

    def send(session):
        expense, created = service.record_expense(session, session.get_one(Person, race.admin_id), data)
        return expense.id, created

    results = race.at_once(send)
    assert sorted(created for _, created in results) == [False] * (RACERS - 1) + [True]
    assert len({expense_id for expense_id, _ in results}) == 1
    with Session(race.engine) as session:
        assert len(with_key(session, Expense, session.get_one(Person, race.admin_id), data.idempotency_key)) == 1


# --- payments ----------------------------------------------------------------------------------------


def test_an_organisation_records_an_honorarium(db_session, council, member, payment_input):
    payment, created = service.record_payment(db_session, council.admin, payment_input())
    assert created and (payment.amount_pence, payment.kind, payment.note) == (2500, PaymentKind.HONORARIUM,
                                                                               "Panel member, March")
    assert events(db_session, "money.payment_recorded", member.person)[0].details["record_id"] == payment.id


def test_sending_the_same_payment_twice_records_it_once_and_other_facts_are_refused(
        db_session, council, member, payment_input):
    data = payment_input()
    first, _ = service.record_payment(db_session, council.admin, data)
    again, created = service.record_payment(db_session, council.admin, data)
    assert (again.id, created) == (first.id, False)
    with pytest.raises(errors.KeyReused):
        service.record_payment(db_session, council.admin, dataclasses.replace(data, kind=PaymentKind.GIFT))
    assert with_key(db_session, Payment, council.admin, data.idempotency_key) == [first]
    assert first.kind is PaymentKind.HONORARIUM
    assert len(events(db_session, "money.payment_recorded", member.person)) == 1


@pytest.mark.parametrize("amount", [0, -100, 10_000_001])
def test_a_payment_needs_an_amount_in_range(db_session, council, member, payment_input, amount):
    with pytest.raises(errors.InvalidAmount):
        service.record_payment(db_session, council.admin, payment_input(amount_pence=amount))
    assert db_session.scalar(sa.select(Payment.id).where(Payment.person_id == member.person.id)) is None


# --- redemptions -------------------------------------------------------------------------------------


def test_a_redemption_moves_the_credits_and_names_the_exchange(
        db_session, partner, member, spend_offer, redemption_input, redemptions_of):
    redemption, created = service.redeem(db_session, partner.admin, redemption_input(
        listing_id=spend_offer.id, item="A swim at Hollinbridge Pool"))
    assert created
    assert balances(db_session, member.account, partner.account) == [-60, 60]
    exchange = db_session.get_one(Exchange, redemption.exchange_id)
    assert (exchange.state, exchange.receiver_account_id, exchange.giver_account_id, exchange.amount_minutes,
            exchange.category_id) == (ExchangeState.CONFIRMED, member.account.id, partner.account.id, 60,
                                      spend_offer.category_id)
    confirmed = db_session.scalar(sa.select(ExchangeEvent).where(
        ExchangeEvent.exchange_id == exchange.id, ExchangeEvent.to_state == ExchangeState.CONFIRMED))
    assert (confirmed.actor_id, confirmed.acting_for_account_id) == (partner.admin.id, member.account.id)
    assert redemptions_of(member.person) == [redemption]
    assert (redemption.credit_minutes, redemption.listing_id, redemption.partner_id) == (
        60, spend_offer.id, partner.organisation.id)
    [event] = events(db_session, "money.redemption_recorded", member.person)
    assert event.details["exchange_id"] == exchange.id and event.details["on_behalf"] is True


def test_a_redemption_without_an_offer_is_time_for_time(db_session, broker, partner, member, redemption_input):
    redemption, _ = service.redeem(db_session, broker, redemption_input())
    exchange = db_session.get_one(Exchange, redemption.exchange_id)
    assert exchange.category_id == category_id(db_session, service.TIME_FOR_TIME)
    [event] = events(db_session, "money.redemption_recorded", member.person)
    assert event.details["on_behalf"] is True and event.actor_id == broker.id


@pytest.mark.parametrize("kind", [RedeemedFor.CASH, RedeemedFor.GIFT_CARD, RedeemedFor.VOUCHER_FIXED_VALUE])
def test_cash_like_without_a_face_value_is_refused(db_session, partner, member, redemption_input, exchanges_of,
                                                   kind):
    with pytest.raises(errors.FaceValueRequired):
        service.redeem(db_session, partner.admin, redemption_input(redeemed_for=kind))
    assert exchanges_of(member.account) == []
    redemption, _ = service.redeem(db_session, partner.admin, redemption_input(redeemed_for=kind,
                                                                                face_value_pence=500))
    assert redemption.face_value_pence == 500


def test_spending_below_the_floor_is_refused_and_nothing_moves(
        db_session, partner, member, redemption_input, exchanges_of, redemptions_of):
    with pytest.raises(service.NotEnoughCredits) as refused:
        service.redeem(db_session, partner.admin, redemption_input(credit_minutes=11 * 60))
    assert refused.value.field == "credits"
    assert exchanges_of(member.account) == [] and redemptions_of(member.person) == []
    assert balances(db_session, member.account, partner.account) == [0, 0]


def test_an_offer_of_another_partner_is_refused(db_session, council, member, spend_offer, redemption_input):
    with pytest.raises(errors.ListingNotFound):
        service.redeem(db_session, council.admin, redemption_input(partner_id=council.organisation.id,
                                                                   listing_id=spend_offer.id))


def test_sending_a_redemption_twice_moves_the_credits_once(db_session, partner, member, redemption_input):
    data = redemption_input()
    first, _ = service.redeem(db_session, partner.admin, data)
    again, created = service.redeem(db_session, partner.admin, data)
    assert (again.id, created) == (first.id, False)
    assert balances(db_session, member.account, partner.account) == [-60, 60]


# --- who may record ----------------------------------------------------------------------------------


def test_residents_and_funders_never_record(db_session, bank, member, make_person, expense_input):
    funder = make_person("Ffion Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER,
                     actor_id=None)
    for person in (member.person, funder):
        with pytest.raises(errors.NotRecorder):
            service.record_expense(db_session, person, expense_input())


def test_other_organisations_and_other_banks_brokers_cannot_record(
        db_session, partner, other_bank, make_broker, expense_input):
    with pytest.raises(errors.OrganisationNotFound):
        service.record_expense(db_session, partner.admin, expense_input())
    with pytest.raises(errors.OrganisationNotFound):
        service.record_expense(db_session, make_broker(other_bank, "Bryn Elsewhere"), expense_input())


def test_a_broker_records_for_any_organisation_in_the_bank(db_session, broker, council, member, expense_input):
    expense, _ = service.record_expense(db_session, broker, expense_input())
    assert expense.recorded_by_id == broker.id
    assert events(db_session, "money.expense_recorded", member.person)[0].details["on_behalf"] is True
    assert [c.organisation.id for c in service.recordable_organisations(db_session, broker)] == [
        council.organisation.id]


# --- who sees what -----------------------------------------------------------------------------------


@pytest.fixture
def recorded(db_session, council, partner, member, other_member, expense_input, redemption_input):
    """An expense each for Mair and Owen from the council, and a redemption by Mair with the partner."""
    mine, _ = service.record_expense(db_session, council.admin, expense_input())
    theirs, _ = service.record_expense(db_session, council.admin, expense_input(
        person_id=other_member.person.id, amount_paid_pence=700, amount_receipted_pence=500))
    redemption, _ = service.redeem(db_session, partner.admin, redemption_input())
    return mine, theirs, redemption


def ids(found):
    return [item.id for item in found.page.items]


def test_a_member_sees_only_their_own_records(db_session, member, recorded):
    mine, theirs, redemption = recorded
    assert ids(service.list_records(db_session, member.person, RecordType.EXPENSE)) == [mine.id]
    assert ids(service.list_records(db_session, member.person, RecordType.REDEMPTION)) == [redemption.id]
    assert service.get_record(db_session, member.person, RecordType.EXPENSE, mine.id) == mine
    with pytest.raises(NotFound):
        service.get_record(db_session, member.person, RecordType.EXPENSE, theirs.id)


def test_an_organisation_sees_its_own_and_a_broker_the_banks(db_session, council, partner, broker, recorded):
    mine, theirs, redemption = recorded
    council_sees = service.list_records(db_session, council.admin, RecordType.EXPENSE)
    assert ids(council_sees) == [theirs.id, mine.id]
    assert council_sees.totals == {"amount_paid_pence": 2500, "amount_receipted_pence": 2300}
    assert ids(service.list_records(db_session, partner.admin, RecordType.EXPENSE)) == []
    assert ids(service.list_records(db_session, broker, RecordType.REDEMPTION)) == [redemption.id]
    assert service.list_records(db_session, broker, RecordType.REDEMPTION).totals == {
        "credit_minutes": 60, "face_value_pence": 0}


def test_filters_narrow_the_list_and_its_totals(db_session, broker, member, recorded, today):
    mine, _, _ = recorded
    found = service.list_records(db_session, broker, RecordType.EXPENSE, RecordFilters(person_id=member.person.id))
    assert (ids(found), found.totals["amount_paid_pence"]) == ([mine.id], 1800)
    assert ids(service.list_records(db_session, broker, RecordType.EXPENSE,
                                    RecordFilters(kind="travel"))) == []
    assert ids(service.list_records(db_session, broker, RecordType.EXPENSE,
                                    RecordFilters(date_from=today + dt.timedelta(days=1)))) == []


def test_other_banks_brokers_and_funders_see_nothing(db_session, bank, other_bank, make_broker, make_person, recorded):
    mine, _, _ = recorded
    elsewhere = make_broker(other_bank, "Bryn Elsewhere")
    assert ids(service.list_records(db_session, elsewhere, RecordType.EXPENSE)) == []
    with pytest.raises(NotFound):
        service.get_record(db_session, elsewhere, RecordType.EXPENSE, mine.id)
    funder = make_person("Ffion Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER,
                     actor_id=None)
    with pytest.raises(Forbidden):
        service.list_records(db_session, funder, RecordType.EXPENSE)
