"""Recording money and value given to members: expenses, payments and redemptions. Only flushes.

Nothing here moves hours except ``redeem``, and it does so through ``ledger.service``: the credits a
member spends with a spend partner are an ordinary exchange (partner gave, member received) confirmed
in the same step on the member's behalf; the redemption then records what was received for them.

Who records: the admins of the organisation that paid (or, for a redemption, of the spend partner) and
the brokers of the bank; admins have brokers' powers everywhere. Who reads: the member the record is
about, the organisation's admins, and the bank's brokers. Funders see aggregates only, never these.
Records are never edited or deleted: a mistake is put right by recording the right figure.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from timebank import dates
from timebank.activities.models import Activity
from timebank.audit import service as audit
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.db import add_once
from timebank.ledger import errors as ledger_errors
from timebank.ledger import service as ledger
from timebank.ledger.models import Account, Exchange, ExchangeState
from timebank.listings import service as listings
from timebank.listings.service import SpendOffer
from timebank.members import policy
from timebank.members.models import Holder, Organisation, OrganisationAdmin, Person
from timebank.money import errors
from timebank.money.models import (
    CASH_LIKE,
    MAX_ITEM,
    MAX_NOTE,
    MAX_PENCE,
    Expense,
    ExpenseKind,
    Payment,
    PaymentKind,
    Redemption,
)
from timebank.pagination import Page, paginate
from timebank.picker import PICK_LIMIT, Candidate, pick
from timebank.receipts import RedeemedFor

#: The category of a redemption that does not come from a spend offer.
TIME_FOR_TIME = "time-for-time"
#: The rate per mile a form suggests: HMRC's approved rate for the first 10,000 miles by car.
SUGGESTED_RATE_PER_MILE_PENCE = 45
MAX_RECEIPTS = 1000
MAX_RATE_PER_MILE_PENCE = 1000
MAX_MILES_TENTHS = 1_000_000

_POUNDS = re.compile(r"^(?:(?P<grouped>[0-9]{1,3}(?:,[0-9]{3})+)|(?P<plain>[0-9]+))?(?:\.(?P<pence>[0-9]{1,2}))?$")
_MILES = re.compile(r"^(?P<whole>[0-9]{1,7})(?:\.(?P<tenths>[0-9]))?$")


# --- amounts as people type them --------------------------------------------------------------------


def parse_pounds(raw: str, field: str = "amount") -> int:
    """Pounds as typed ("12.50", "£12.50", "£1,250", "0.5") in whole pence. Refuses negatives, more than
    two decimal places and anything above £100,000."""
    text = "".join(raw.split()).removeprefix("£")
    match = _POUNDS.match(text) if len(text) <= 16 else None
    if match is None or not any(match.group("grouped", "plain", "pence")):
        raise errors.InvalidAmount(field=field)
    pounds = int((match["grouped"] or match["plain"] or "0").replace(",", ""))
    pence = pounds * 100 + int((match["pence"] or "0").ljust(2, "0"))
    if pence > MAX_PENCE:
        raise errors.InvalidAmount(field=field)
    return pence


def pounds_text(pence: int) -> str:
    """Whole pence as pounds to type back into a form: 1250 → "12.50"."""
    return f"{pence // 100}.{pence % 100:02d}"


def parse_miles(raw: str) -> int:
    """Miles as typed ("12", "12.5") in tenths of a mile."""
    match = _MILES.match(raw.strip())
    if match is None:
        raise errors.InvalidMiles()
    tenths = int(match["whole"]) * 10 + int(match["tenths"] or "0")
    if not 1 <= tenths <= MAX_MILES_TENTHS:
        raise errors.InvalidMiles()
    return tenths


def _check_pence(pence: int | None, field: str, *, minimum: int = 0) -> None:
    if pence is None or not minimum <= pence <= MAX_PENCE:
        raise errors.InvalidAmount(field=field)


def _clean_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise errors.NoteTooLong()
    return note


# --- who may record, for whom ------------------------------------------------------------------------


def _administered(session: Session, actor: Person) -> set[int]:
    return set(session.scalars(sa.select(OrganisationAdmin.organisation_id).where(
        OrganisationAdmin.person_id == actor.id)))


def may_record(session: Session, actor: Person) -> bool:
    """Organisation admins, brokers and admins record money; residents and funders never do."""
    return bool(actor.is_admin or _administered(session, actor) or policy.broker_bank_ids(session, actor))


def require_recorder(session: Session, actor: Person) -> None:
    if not may_record(session, actor):
        raise errors.NotRecorder()


def _recording_banks(session: Session, actor: Person, organisation: Organisation) -> set[int]:
    """The banks where the actor may record for the organisation: every bank it holds an account in,
    for its own admins; the banks among those that the actor brokers, for anyone else."""
    banks = set(session.scalars(sa.select(Account.time_bank_id).where(Account.holder_id == organisation.id)))
    if organisation.id in _administered(session, actor):
        return banks
    return banks & policy.broker_bank_ids(session, actor)


def _organisation(session: Session, actor: Person, organisation_id: int) -> tuple[Organisation, set[int]]:
    """The organisation and the banks the actor records for it in; one they may not record for does
    not exist for them."""
    require_recorder(session, actor)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.pseudonymised_at is not None:
        raise errors.OrganisationNotFound()
    banks = _recording_banks(session, actor, organisation)
    if not banks:
        raise errors.OrganisationNotFound()
    return organisation, banks


def _organisation_account(session: Session, actor: Person, organisation_id: int, time_bank_id: int) -> Account:
    organisation, banks = _organisation(session, actor, organisation_id)
    if time_bank_id not in banks:
        raise errors.NotInBank()
    return ledger.require_account_of(session, organisation.id, time_bank_id)


def _member_account(session: Session, person_id: int, time_bank_id: int) -> Account:
    """The account in the bank of a person who has not left."""
    person = session.get(Person, person_id)
    account = None if person is None or person.pseudonymised_at is not None else ledger.account_of(
        session, person.id, time_bank_id)
    if account is None:
        raise errors.MemberNotInBank()
    return account


def _check_activity(session: Session, activity_id: int | None, organisation_id: int, time_bank_id: int) -> None:
    if activity_id is None:
        return
    activity = session.get(Activity, activity_id)
    if activity is None or (activity.organisation_id, activity.time_bank_id) != (organisation_id, time_bank_id):
        raise errors.ActivityNotFound()


@dataclass(frozen=True)
class OrganisationChoice:
    organisation: Organisation
    bank_names: list[str]


def recordable_organisations(session: Session, actor: Person) -> list[OrganisationChoice]:
    """Every organisation the actor may record money for, by name, with the banks they record it in."""
    require_recorder(session, actor)
    brokered = policy.broker_bank_ids(session, actor)
    in_scope = sa.or_(Account.holder_id.in_(_administered(session, actor)), Account.time_bank_id.in_(brokered))
    rows = session.execute(
        sa.select(Organisation, Account.time_bank_id, TimeBank.name)
        .join(Account, Account.holder_id == Organisation.id)
        .join(TimeBank, TimeBank.id == Account.time_bank_id)
        .where(in_scope, Organisation.pseudonymised_at.is_(None))
        .order_by(Organisation.display_name, Organisation.id, TimeBank.name)
    ).all()
    administered = _administered(session, actor)
    choices: dict[int, OrganisationChoice] = {}
    for organisation, bank_id, bank_name in rows:
        if organisation.id in administered or bank_id in brokered:
            choices.setdefault(organisation.id, OrganisationChoice(organisation, [])).bank_names.append(bank_name)
    return list(choices.values())


@dataclass(frozen=True)
class RecordingChoices:
    """What a form offers once the organisation is chosen."""

    organisation: Organisation
    #: The banks whose members the actor may record for (``member_choices``).
    bank_ids: frozenset[int]
    activities: list[Activity]
    #: Spend offers of the organisation (for redemptions).
    listings: list[SpendOffer]


def recording_choices(session: Session, actor: Person, organisation_id: int) -> RecordingChoices:
    """The banks, activities and spend offers the actor may record against for the organisation."""
    organisation, banks = _organisation(session, actor, organisation_id)
    activities = session.scalars(
        sa.select(Activity).where(Activity.organisation_id == organisation.id, Activity.time_bank_id.in_(banks))
        .order_by(Activity.title, Activity.id)
    )
    return RecordingChoices(organisation, frozenset(banks), list(activities),
                            listings.spend_offers_of(session, organisation.id, banks))


def member_choices(session: Session, bank_ids: Collection[int], text: str = "", *, limit: int = PICK_LIMIT + 1,
                   only: Collection[int] | None = None) -> list[Candidate[Account]]:
    """Members of these banks who have not left (their accounts), by name: those whose name contains
    ``text``, at most ``limit``, or those of ``only`` (``picker.pick``). Each says its bank where there are
    several."""
    rows = pick(
        session,
        sa.select(Account.id, Person.display_name, Person.postcode_district, TimeBank.name, Account)
        .join(Person, Person.id == Account.holder_id)
        .join(TimeBank, TimeBank.id == Account.time_bank_id)
        .where(Account.time_bank_id.in_(list(bank_ids)), Person.pseudonymised_at.is_(None)),
        key=Account.id, name=Person.display_name, text=text, limit=limit, only=only,
    )
    several = len(bank_ids) > 1
    return [Candidate(account_id, name, ", ".join(filter(None, (district, bank_name if several else None))) or None,
                      account)
            for account_id, name, district, bank_name, account in rows]


def spend_offer(session: Session, actor: Person, listing_id: int) -> SpendOffer:
    """A spend offer the actor may record a redemption against."""
    offer = listings.spend_offer(session, listing_id)
    if offer is None:
        raise errors.RecordNotFound()
    _, banks = _organisation(session, actor, offer.holder_id)
    if offer.time_bank_id not in banks:
        raise errors.RecordNotFound()
    return offer


# --- idempotency for records outside the ledger ------------------------------------------------------


Recorded = TypeVar("Recorded", Expense, Payment)


def _check_key(key: str) -> None:
    if not 1 <= len(key) <= ledger.MAX_IDEMPOTENCY_KEY:
        raise ledger_errors.InvalidIdempotencyKey()


def _fingerprint(data: ExpenseInput | PaymentInput, note: str) -> str:
    """The facts of a request without its key, to tell a replay from a key sent again with other facts."""
    return ledger.request_fingerprint_of(**{**vars(data), "note": note, "idempotency_key": None})


def _record_once(session: Session, record: Recorded) -> tuple[Recorded, bool]:
    """Insert ``record`` unless its recorder already sent its idempotency key: then return the first record
    (``created`` is ``False``) if the facts are the same, and refuse the key if they differ. The UNIQUE key
    per recorder decides between two copies sent at once."""
    model = type(record)

    def earlier() -> Recorded | None:
        found = session.scalar(sa.select(model).where(model.recorded_by_id == record.recorded_by_id,
                                                      model.idempotency_key == record.idempotency_key))
        if found is not None and found.request_fingerprint != record.request_fingerprint:
            raise errors.KeyReused()
        return found

    return add_once(session, record, earlier)


def _audit_recording(session: Session, actor: Person, action: str, *, person_id: int, time_bank_id: int,
                     record_id: int, organisation_id: int, on_behalf: bool | None = None, **details: Any) -> None:
    """Every money record is audited against the member it is about. ``on_behalf`` says the actor acted
    for someone else: by default, for an organisation they do not run themselves (a broker)."""
    if on_behalf is None:
        on_behalf = organisation_id not in _administered(session, actor)
    audit.record(session, action, actor_id=actor.id, subject_type="person", subject_id=person_id,
                 time_bank_id=time_bank_id, record_id=record_id, organisation_id=organisation_id,
                 on_behalf=on_behalf, **details)


# --- expenses ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpenseInput:
    organisation_id: int
    time_bank_id: int
    person_id: int
    paid_on: dt.date
    kind: ExpenseKind
    amount_paid_pence: int
    amount_receipted_pence: int
    receipts_count: int
    idempotency_key: str
    flat_rate: bool = False
    activity_id: int | None = None
    miles_tenths: int | None = None
    rate_per_mile_pence: int | None = None
    note: str = ""


def _check_mileage(data: ExpenseInput) -> None:
    if data.kind is not ExpenseKind.MILEAGE:
        if data.miles_tenths is not None or data.rate_per_mile_pence is not None:
            raise errors.MileageOnly()
        return
    if data.miles_tenths is None:
        raise errors.MilesRequired()
    if not 1 <= data.miles_tenths <= MAX_MILES_TENTHS:
        raise errors.InvalidMiles()
    if data.rate_per_mile_pence is None:
        raise errors.RateRequired()
    if not 0 <= data.rate_per_mile_pence <= MAX_RATE_PER_MILE_PENCE:
        raise errors.InvalidRate()


def record_expense(session: Session, actor: Person, data: ExpenseInput) -> tuple[Expense, bool]:
    """Record an expense an organisation reimbursed a member. Amounts paid above what receipts show,
    flat rates and missing receipts are recorded as given: that is what the benefit rules look for.
    Returns ``(expense, created)``; a replay of the same key returns the first expense."""
    account = _organisation_account(session, actor, data.organisation_id, data.time_bank_id)
    _member_account(session, data.person_id, data.time_bank_id)
    _check_activity(session, data.activity_id, data.organisation_id, data.time_bank_id)
    dates.happened(session, data.time_bank_id).check(data.paid_on, "paid_on")
    _check_pence(data.amount_paid_pence, "amount_paid", minimum=1)
    _check_pence(data.amount_receipted_pence, "amount_receipted")
    if not 0 <= data.receipts_count <= MAX_RECEIPTS:
        raise errors.InvalidReceipts()
    if data.receipts_count == 0 and data.amount_receipted_pence:
        raise errors.ReceiptsNeeded()
    _check_mileage(data)
    note = _clean_note(data.note)
    _check_key(data.idempotency_key)
    expense, created = _record_once(session, Expense(
        time_bank_id=account.time_bank_id, organisation_id=data.organisation_id, person_id=data.person_id,
        activity_id=data.activity_id, paid_on=data.paid_on, kind=data.kind,
        amount_paid_pence=data.amount_paid_pence, amount_receipted_pence=data.amount_receipted_pence,
        receipts_count=data.receipts_count, miles_tenths=data.miles_tenths,
        rate_per_mile_pence=data.rate_per_mile_pence, flat_rate=data.flat_rate, note=note,
        recorded_by_id=actor.id, idempotency_key=data.idempotency_key, request_fingerprint=_fingerprint(data, note),
    ))
    if not created:
        return expense, False
    _audit_recording(session, actor, "money.expense_recorded", person_id=data.person_id,
                     time_bank_id=data.time_bank_id, record_id=expense.id, organisation_id=data.organisation_id,
                     kind=data.kind.value, amount_paid_pence=data.amount_paid_pence,
                     amount_receipted_pence=data.amount_receipted_pence)
    return expense, True


PAID_MORE_THAN_RECEIPTED = _l("More was paid than the receipts show. The difference may count as income for "
                              "benefits.")
FLAT_RATE = _l("This is a fixed sum, not the actual costs.")
NO_RECEIPTS = _l("There are no receipts for this payment.")


def expense_warnings(expense: Expense) -> list[Any]:
    """Plain words on what about an expense the benefit rules may look at (it is recorded all the same)."""
    warnings = []
    if expense.amount_paid_pence > expense.amount_receipted_pence:
        warnings.append(PAID_MORE_THAN_RECEIPTED)
    if expense.flat_rate:
        warnings.append(FLAT_RATE)
    if expense.receipts_count == 0:
        warnings.append(NO_RECEIPTS)
    return warnings


# --- payments and gifts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentInput:
    organisation_id: int
    time_bank_id: int
    person_id: int
    paid_on: dt.date
    kind: PaymentKind
    amount_pence: int
    idempotency_key: str
    activity_id: int | None = None
    note: str = ""


def record_payment(session: Session, actor: Person, data: PaymentInput) -> tuple[Payment, bool]:
    """Record a payment or gift an organisation made to a member. Returns ``(payment, created)``."""
    account = _organisation_account(session, actor, data.organisation_id, data.time_bank_id)
    _member_account(session, data.person_id, data.time_bank_id)
    _check_activity(session, data.activity_id, data.organisation_id, data.time_bank_id)
    dates.happened(session, data.time_bank_id).check(data.paid_on, "paid_on")
    _check_pence(data.amount_pence, "amount", minimum=1)
    note = _clean_note(data.note)
    _check_key(data.idempotency_key)
    payment, created = _record_once(session, Payment(
        time_bank_id=account.time_bank_id, organisation_id=data.organisation_id, person_id=data.person_id,
        activity_id=data.activity_id, paid_on=data.paid_on, kind=data.kind, amount_pence=data.amount_pence,
        note=note, recorded_by_id=actor.id, idempotency_key=data.idempotency_key,
        request_fingerprint=_fingerprint(data, note),
    ))
    if not created:
        return payment, False
    _audit_recording(session, actor, "money.payment_recorded", person_id=data.person_id,
                     time_bank_id=data.time_bank_id, record_id=payment.id, organisation_id=data.organisation_id,
                     kind=data.kind.value, amount_pence=data.amount_pence)
    return payment, True


# --- redemptions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RedemptionInput:
    partner_id: int
    time_bank_id: int
    person_id: int
    item: str
    redeemed_for: RedeemedFor
    credit_minutes: int
    occurred_on: dt.date
    idempotency_key: str
    face_value_pence: int | None = None
    listing_id: int | None = None


def _check_received(item: str, redeemed_for: RedeemedFor, face_value_pence: int | None) -> str:
    item = item.strip()
    if not item or len(item) > MAX_ITEM:
        raise errors.InvalidItem()
    if redeemed_for in CASH_LIKE and face_value_pence is None:
        raise errors.FaceValueRequired()
    if face_value_pence is not None:
        _check_pence(face_value_pence, "face_value")
    return item


def _redemption_category(session: Session, data: RedemptionInput) -> int:
    """The spend offer's category, or time-for-time when the redemption comes from no offer."""
    if data.listing_id is None:
        return session.execute(sa.select(Category.id).where(Category.code == TIME_FOR_TIME)).scalar_one()
    offer = listings.spend_offer(session, data.listing_id)
    if offer is None or (offer.holder_id, offer.time_bank_id) != (data.partner_id, data.time_bank_id):
        raise errors.ListingNotFound()
    return offer.category_id


class NotEnoughCredits(ledger_errors.ExceedsBalanceFloor):
    code = "not-enough-credits"
    title = _l("The member does not have enough credits for this: it would take their balance below the "
               "lowest allowed.")
    field = "credits"


def redeem(session: Session, actor: Person, data: RedemptionInput) -> tuple[Redemption, bool]:
    """A member spends credits with a spend partner: the credits move (partner gave, member received,
    confirmed at once on the member's behalf) and what they received is recorded beside the exchange.
    Returns ``(redemption, created)``; a replay of the same key returns the first redemption."""
    partner_account = _organisation_account(session, actor, data.partner_id, data.time_bank_id)
    member_account = _member_account(session, data.person_id, data.time_bank_id)
    item = _check_received(data.item, data.redeemed_for, data.face_value_pence)
    category_id = _redemption_category(session, data)
    try:
        exchange, created = ledger.record_exchange(
            session, proposer_account_id=partner_account.id, counterpart_account_id=member_account.id,
            proposer_is_giver=True, amount_minutes=data.credit_minutes, occurred_on=data.occurred_on,
            category_id=category_id, description=item, recorded_by_id=actor.id,
            idempotency_key=data.idempotency_key,
        )
    except ledger_errors.ExceedsBalanceFloor as error:
        raise NotEnoughCredits() from error
    if not created:
        existing = session.scalar(sa.select(Redemption).where(Redemption.exchange_id == exchange.id))
        if existing is None:  # the key recorded an exchange, not a redemption
            raise ledger_errors.IdempotencyKeyReused()
        return existing, False
    ledger.confirm_exchange(session, exchange.id, actor_id=actor.id, acting_for_account_id=member_account.id)
    redemption = add_redemption(
        session, exchange=exchange, person_id=data.person_id, partner_id=data.partner_id, item=item,
        redeemed_for=data.redeemed_for, occurred_on=data.occurred_on, recorded_by_id=actor.id,
        face_value_pence=data.face_value_pence, listing_id=data.listing_id,
    )
    _audit_recording(session, actor, "money.redemption_recorded", person_id=data.person_id,
                     time_bank_id=data.time_bank_id, record_id=redemption.id, organisation_id=data.partner_id,
                     on_behalf=True,  # whoever records it confirms the spending for the member
                     exchange_id=exchange.id, redeemed_for=data.redeemed_for.value,
                     credit_minutes=data.credit_minutes, face_value_pence=data.face_value_pence)
    return redemption, True


def add_redemption(
    session: Session,
    *,
    exchange: Exchange,
    person_id: int,
    partner_id: int,
    item: str,
    redeemed_for: RedeemedFor,
    occurred_on: dt.date,
    recorded_by_id: int,
    face_value_pence: int | None = None,
    listing_id: int | None = None,
) -> Redemption:
    """Record what a member received for the credits ``exchange`` moved (member → spend partner).

    The exchange must already be confirmed; attendance at a spend partner's session and ``redeem`` both
    call this after confirming it.
    """
    item = _check_received(item, redeemed_for, face_value_pence)
    if exchange.state is not ExchangeState.CONFIRMED:
        raise errors.ExchangeNotConfirmed()
    redemption = Redemption(
        time_bank_id=exchange.time_bank_id,
        person_id=person_id,
        partner_id=partner_id,
        listing_id=listing_id,
        exchange_id=exchange.id,
        credit_minutes=exchange.amount_minutes,
        redeemed_for=redeemed_for,
        item=item,
        face_value_pence=face_value_pence,
        occurred_on=occurred_on,
        recorded_by_id=recorded_by_id,
    )
    session.add(redemption)
    session.flush()
    return redemption


# --- reading -----------------------------------------------------------------------------------------


class RecordType(enum.StrEnum):
    EXPENSE = "expenses"
    PAYMENT = "payments"
    REDEMPTION = "redemptions"


@dataclass(frozen=True)
class _Columns:
    """Where each record type keeps what the lists filter, sort and add up by."""

    model: Any
    organisation: Any
    day: Any
    kind: Any
    totals: tuple[Any, ...]


_COLUMNS = {
    RecordType.EXPENSE: _Columns(Expense, Expense.organisation_id, Expense.paid_on, Expense.kind,
                                 (Expense.amount_paid_pence, Expense.amount_receipted_pence)),
    RecordType.PAYMENT: _Columns(Payment, Payment.organisation_id, Payment.paid_on, Payment.kind,
                                 (Payment.amount_pence,)),
    RecordType.REDEMPTION: _Columns(Redemption, Redemption.partner_id, Redemption.occurred_on,
                                    Redemption.redeemed_for, (Redemption.credit_minutes, Redemption.face_value_pence)),
}

@dates.dated_from_opening
def earliest_record(session: Session, time_bank_id: int) -> dt.date | None:
    """The bank's earliest expense, payment or redemption day: its books may not open after it."""
    days = [session.scalar(sa.select(sa.func.min(columns.day)).where(columns.model.time_bank_id == time_bank_id))
            for columns in _COLUMNS.values()]
    return min((day for day in days if day is not None), default=None)


#: The kinds each record type can be filtered by.
KINDS: dict[RecordType, type[enum.StrEnum]] = {
    RecordType.EXPENSE: ExpenseKind, RecordType.PAYMENT: PaymentKind, RecordType.REDEMPTION: RedeemedFor,
}


@dataclass(frozen=True)
class RecordFilters:
    time_bank_id: int | None = None
    organisation_id: int | None = None
    person_id: int | None = None
    kind: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class RecordPage:
    page: Page[Any]
    #: Column name → the sum over every record the filters match (not just this page).
    totals: dict[str, int]


def _visible(session: Session, actor: Person, columns: _Columns, *, own_only: bool) -> sa.ColumnElement[bool]:
    own = columns.model.person_id == actor.id
    if own_only:
        return own
    if actor.is_admin:
        return sa.true()
    return sa.or_(own, columns.organisation.in_(_administered(session, actor)),
                  columns.model.time_bank_id.in_(policy.broker_bank_ids(session, actor)))


def _filtered(session: Session, actor: Person, record: RecordType, filters: RecordFilters,
              own_only: bool) -> tuple[_Columns, list[sa.ColumnElement[bool]]]:
    columns = _COLUMNS[record]
    model = columns.model
    where = [_visible(session, actor, columns, own_only=own_only)]
    if filters.time_bank_id is not None:
        where.append(model.time_bank_id == filters.time_bank_id)
    if filters.organisation_id is not None:
        where.append(columns.organisation == filters.organisation_id)
    if filters.person_id is not None:
        where.append(model.person_id == filters.person_id)
    if filters.kind is not None:
        where.append(columns.kind == KINDS[record](filters.kind))
    if filters.date_from is not None:
        where.append(columns.day >= filters.date_from)
    if filters.date_to is not None:
        where.append(columns.day <= filters.date_to)
    return columns, where


def list_records(session: Session, actor: Person, record: RecordType, filters: RecordFilters | None = None, *,
                 own_only: bool = False, page: int = 1, per_page: int = 25) -> RecordPage:
    """Records the actor may see (their own; their organisations'; a broker's banks'), newest first,
    with totals over everything the filters match."""
    policy.require_member_access(session, actor)
    columns, where = _filtered(session, actor, record, filters or RecordFilters(), own_only)
    query = sa.select(columns.model).where(*where).order_by(columns.day.desc(), columns.model.id.desc())
    sums = session.execute(sa.select(*(sa.func.coalesce(sa.func.sum(c), 0) for c in columns.totals)).where(*where))
    totals = dict(zip((c.key for c in columns.totals), (int(total) for total in sums.one()), strict=True))
    return RecordPage(paginate(session, query, page=page, per_page=per_page), totals)


def get_record(session: Session, actor: Person, record: RecordType, record_id: int) -> Any:
    """One record, if the actor may see it; otherwise it does not exist for them."""
    policy.require_member_access(session, actor)
    columns = _COLUMNS[record]
    found = session.scalar(sa.select(columns.model).where(
        columns.model.id == record_id, _visible(session, actor, columns, own_only=False)))
    if found is None:
        raise errors.RecordNotFound()
    return found


@dataclass(frozen=True)
class FilterChoices:
    banks: list[tuple[int, str]]
    organisations: list[tuple[int, str]]
    members: list[tuple[int, str]]


def filter_choices(session: Session, actor: Person, record: RecordType) -> FilterChoices:
    """The banks, organisations and members that appear in the records the actor may see."""
    columns = _COLUMNS[record]
    visible = sa.select(columns.model).where(_visible(session, actor, columns, own_only=False)).subquery()

    def named(holder_column: Any) -> list[tuple[int, str]]:
        ids = sa.select(holder_column).distinct()
        rows = session.execute(sa.select(Holder.id, Holder.display_name).where(Holder.id.in_(ids))
                               .order_by(Holder.display_name, Holder.id))
        return [(holder_id, name) for holder_id, name in rows]

    banks = session.execute(
        sa.select(TimeBank.id, TimeBank.name).where(TimeBank.id.in_(sa.select(visible.c.time_bank_id).distinct()))
        .order_by(TimeBank.name, TimeBank.id)
    )
    return FilterChoices(
        banks=[(bank_id, name) for bank_id, name in banks],
        organisations=named(visible.c[columns.organisation.key]),
        members=named(visible.c.person_id),
    )


@dataclass(frozen=True)
class RecordNames:
    holders: dict[int, str]
    banks: dict[int, str]
    #: Activity id → its title, and the title in Welsh where given.
    activities: dict[int, tuple[str, str | None]]


def names_for(session: Session, records: list[Any]) -> RecordNames:
    """The names a list of records shows (members, organisations, recorders, banks, activities), in
    one query each."""
    holder_ids = {r.person_id for r in records} | {r.recorded_by_id for r in records}
    holder_ids |= {getattr(r, "organisation_id", None) or getattr(r, "partner_id", None) for r in records}
    holder_ids.discard(None)
    activity_ids = {getattr(r, "activity_id", None) for r in records} - {None}
    bank_ids = {r.time_bank_id for r in records}
    holders = dict(session.execute(sa.select(Holder.id, Holder.display_name).where(Holder.id.in_(holder_ids))).all())
    banks = dict(session.execute(sa.select(TimeBank.id, TimeBank.name).where(TimeBank.id.in_(bank_ids))).all())
    activities = {i: (title, title_cy) for i, title, title_cy in session.execute(
        sa.select(Activity.id, Activity.title, Activity.title_cy).where(Activity.id.in_(activity_ids)))
    } if activity_ids else {}
    return RecordNames(holders, banks, activities)
