"""What the rules read, loaded from the database for one member and one stretch of dates
(``facts.Evidence``): the time they gave (confirmed exchanges, not reversed), what they received for
credits, the expenses and payments organisations recorded for them, and the sessions they are booked on.

A handful of statements per member, each bounded by the member (their accounts, their person id) and
the dates, through the indexes those tables have.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from timebank.activities.models import Activity, ActivitySession, Role, SignUp, SignUpStatus
from timebank.benefits.facts import (
    Booking,
    Counterparty,
    Evidence,
    ExpensePaid,
    Given,
    PaymentReceived,
    Redeemed,
    Relationship,
    RoleFacts,
)
from timebank.benefits.rulebook import Reference, tax_year_of
from timebank.categories.models import Category
from timebank.clock import UK, uk_day
from timebank.ledger.models import Account, Exchange, ExchangeKind, ExchangeState, FamilyTie
from timebank.members.models import Holder, Organisation, OrganisationType
from timebank.money.models import Expense, Payment, Redemption

PUBLIC_BODIES = frozenset({OrganisationType.COUNCIL, OrganisationType.NHS, OrganisationType.SCHOOL,
                           OrganisationType.POLICE, OrganisationType.OTHER_PUBLIC_BODY})
_TIES = {None: Relationship.NONE, FamilyTie.HOUSEHOLD: Relationship.HOUSEHOLD,
         FamilyTie.CLOSE_RELATIVE: Relationship.CLOSE_RELATIVE}


def counterparty(organisation_type: OrganisationType | None, charity_number: str | None,
                 is_person: bool) -> Counterparty:
    """How the rules tell apart whoever the member's time went to."""
    if is_person:
        return Counterparty.RESIDENT
    if organisation_type is None:
        return Counterparty.OTHER
    if organisation_type is OrganisationType.CHARITY:
        return Counterparty.REGISTERED_CHARITY if charity_number else Counterparty.VOLUNTARY_GROUP
    if organisation_type is OrganisationType.VOLUNTARY_GROUP:
        return Counterparty.VOLUNTARY_GROUP
    if organisation_type is OrganisationType.SOCIAL_ENTERPRISE:
        return Counterparty.SOCIAL_ENTERPRISE
    if organisation_type is OrganisationType.BUSINESS:
        return Counterparty.BUSINESS
    return Counterparty.PUBLIC_BODY if organisation_type in PUBLIC_BODIES else Counterparty.OTHER


#: The organisations table itself: joining the ``Organisation`` entity beside ``Holder`` (its base, on the same
#: ``holders`` table) would make SQLAlchemy alias it behind our back (an SAWarning).
_ORGANISATIONS = Organisation.__table__


@dataclass(frozen=True)
class Loaded:
    evidence: Evidence
    #: The bank of each record behind the evidence, for the flag's queue.
    banks: dict[tuple[Reference, int], int]


def load(session: Session, person_id: int, start: dt.date, end: dt.date) -> Loaded:
    banks: dict[tuple[Reference, int], int] = {}
    mine = sa.select(Account.id).where(Account.holder_id == person_id).scalar_subquery()
    receiver = aliased(Account)
    given_rows = session.execute(
        sa.select(Exchange.id, Exchange.occurred_on, Exchange.amount_minutes, Exchange.time_bank_id, Exchange.role_id,
                  Exchange.session_id, Exchange.family_tie, Category.code, receiver.holder_id, Holder.display_name,
                  Holder.type, _ORGANISATIONS.c.organisation_type, _ORGANISATIONS.c.charity_number)
        .join(receiver, receiver.id == Exchange.receiver_account_id)
        .join(Category, Category.id == Exchange.category_id)
        .outerjoin(Holder, Holder.id == receiver.holder_id)
        .outerjoin(_ORGANISATIONS, _ORGANISATIONS.c.id == receiver.holder_id)
        .where(Exchange.giver_account_id.in_(mine), Exchange.state == ExchangeState.CONFIRMED,
               Exchange.kind == ExchangeKind.EXCHANGE, Exchange.occurred_on.between(start, end))
        .order_by(Exchange.occurred_on, Exchange.id)
    ).all()
    booking_rows = session.execute(
        sa.select(SignUp.id, SignUp.session_id, ActivitySession.starts_at, ActivitySession.ends_at,
                  ActivitySession.role_id, Activity.time_bank_id)
        .join(ActivitySession, ActivitySession.id == SignUp.session_id)
        .join(Role, Role.id == ActivitySession.role_id)
        .join(Activity, Activity.id == Role.activity_id)
        .where(SignUp.person_id == person_id, SignUp.status.in_((SignUpStatus.BOOKED, SignUpStatus.ATTENDED)),
               ActivitySession.cancelled_at.is_(None),
               ActivitySession.starts_at >= dt.datetime.combine(start - dt.timedelta(days=1), dt.time(), UK),
               ActivitySession.starts_at < dt.datetime.combine(end + dt.timedelta(days=2), dt.time(), UK))
    ).all()
    roles = _roles(session, {row.role_id for row in given_rows if row.role_id} | {row.role_id for row in booking_rows})

    given = []
    for row in given_rows:
        banks[(Reference.EXCHANGE, row.id)] = row.time_bank_id
        given.append(Given(
            exchange_id=row.id, occurred_on=row.occurred_on, minutes=row.amount_minutes,
            counterpart_holder_id=row.holder_id, counterpart_name=row.display_name or "",
            counterparty=counterparty(row.organisation_type, row.charity_number, row.type == "person"),
            category_code=row.code, role=roles.get(row.role_id) if row.role_id else None,
            activity_session_id=row.session_id, relationship=_TIES[row.family_tie],
        ))
    bookings = []
    for row in booking_rows:
        starts_on, ends_on = uk_day(row.starts_at), uk_day(row.ends_at)
        if ends_on < start or starts_on > end:
            continue
        banks[(Reference.SIGN_UP, row.id)] = row.time_bank_id
        bookings.append(Booking(sign_up_id=row.id, activity_session_id=row.session_id, starts_on=starts_on,
                                ends_on=ends_on, role=roles[row.role_id]))

    partner = aliased(Holder)
    redeemed = []
    for redemption, name in session.execute(
        sa.select(Redemption, partner.display_name)
        .join(partner, partner.id == Redemption.partner_id)
        .join(Exchange, Exchange.id == Redemption.exchange_id)
        .where(Redemption.person_id == person_id, Redemption.occurred_on.between(start, end),
               Exchange.state == ExchangeState.CONFIRMED)
        .order_by(Redemption.occurred_on, Redemption.id)
    ).all():
        banks[(Reference.REDEMPTION, redemption.id)] = redemption.time_bank_id
        redeemed.append(Redeemed(
            redemption_id=redemption.id, occurred_on=redemption.occurred_on, credit_minutes=redemption.credit_minutes,
            redeemed_for=redemption.redeemed_for, item=redemption.item, face_value_pence=redemption.face_value_pence,
            partner_name=name,
        ))

    payer = aliased(Holder)
    # Expenses from the start of the tax year: mileage rates depend on the miles claimed so far in it.
    expenses_from = min(start, tax_year_of(start)[0])
    expenses = []
    for expense, name in session.execute(
        sa.select(Expense, payer.display_name).join(payer, payer.id == Expense.organisation_id)
        .where(Expense.person_id == person_id, Expense.paid_on.between(expenses_from, end))
        .order_by(Expense.paid_on, Expense.id)
    ).all():
        banks[(Reference.EXPENSE, expense.id)] = expense.time_bank_id
        expenses.append(ExpensePaid(
            expense_id=expense.id, paid_on=expense.paid_on, organisation_name=name, kind=expense.kind.value,
            amount_paid_pence=expense.amount_paid_pence, amount_receipted_pence=expense.amount_receipted_pence,
            receipts_count=expense.receipts_count, miles_tenths=expense.miles_tenths,
            rate_per_mile_pence=expense.rate_per_mile_pence, flat_rate=expense.flat_rate,
        ))

    involvement = sa.exists().where(Role.activity_id == Payment.activity_id, Role.service_user_involvement)
    payments = []
    for payment, name, service_user in session.execute(
        sa.select(Payment, payer.display_name, involvement).join(payer, payer.id == Payment.organisation_id)
        .where(Payment.person_id == person_id, Payment.paid_on.between(start, end))
        .order_by(Payment.paid_on, Payment.id)
    ).all():
        banks[(Reference.PAYMENT, payment.id)] = payment.time_bank_id
        payments.append(PaymentReceived(
            payment_id=payment.id, paid_on=payment.paid_on, organisation_name=name, kind=payment.kind.value,
            amount_pence=payment.amount_pence, service_user_involvement=bool(service_user),
        ))

    earlier = frozenset(session.scalars(
        sa.select(receiver.holder_id).distinct()
        .join(Exchange, Exchange.receiver_account_id == receiver.id)
        .where(Exchange.giver_account_id.in_(mine), Exchange.state == ExchangeState.CONFIRMED,
               Exchange.kind == ExchangeKind.EXCHANGE, Exchange.occurred_on < start,
               receiver.holder_id.is_not(None), receiver.holder_kind != "resident")
    ))
    return Loaded(
        evidence=Evidence(start=start, end=end, given=tuple(given), redeemed=tuple(redeemed),
                          expenses=tuple(expenses), payments=tuple(payments), bookings=tuple(bookings),
                          earlier_organisations=earlier),
        banks=banks,
    )


def _roles(session: Session, role_ids: set[int]) -> dict[int, RoleFacts]:
    if not role_ids:
        return {}
    rows = session.execute(
        sa.select(Role.id, Role.title, Role.normally_paid, Role.service_user_involvement, Role.release_notice_hours,
                  Role.away_overnight, Activity.organisation_id, Holder.display_name,
                  _ORGANISATIONS.c.organisation_type, _ORGANISATIONS.c.charity_number)
        .join(Activity, Activity.id == Role.activity_id)
        .join(Holder, Holder.id == Activity.organisation_id)
        .join(_ORGANISATIONS, _ORGANISATIONS.c.id == Activity.organisation_id)
        .where(Role.id.in_(role_ids))
    ).all()
    return {row.id: RoleFacts(
        role_id=row.id, title=row.title, organisation_id=row.organisation_id, organisation_name=row.display_name,
        counterparty=counterparty(row.organisation_type, row.charity_number, False),
        normally_paid=row.normally_paid, service_user_involvement=row.service_user_involvement,
        release_notice_hours=row.release_notice_hours, away_overnight=row.away_overnight,
    ) for row in rows}
