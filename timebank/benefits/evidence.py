"""What the rules read, loaded from the database for one member and one stretch of dates
(``facts.Evidence``): the time they gave (confirmed exchanges, not reversed), what they received for
credits, the expenses and payments organisations recorded for them, and the sessions they are booked on.

A handful of statements per member, each bounded by the member (their accounts, their person id) and
the dates, through the indexes those tables have; only the kinds of evidence asked for (``kinds``: the
rules that run read no others, ``Rule.reads``), so a confirmed exchange reads no redemptions. Read as
plain rows through the session's connection: no mapped objects are made (making them cost more than the
statements), and nothing is flushed first (the callers have flushed what the rules must read).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

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

#: The tables, not the mapped classes: an organisation is a holder (joined inheritance), and these queries
#: join both for one row of each.
HOLDERS, ORGANISATIONS = Holder.__table__, Organisation.__table__
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


@dataclass(frozen=True)
class Loaded:
    evidence: Evidence
    #: The bank of each record behind the evidence, for the flag's queue.
    banks: dict[tuple[Reference, int], int]


#: Every kind of evidence.
EVERY_KIND = frozenset(Reference)

_PERSON, _START, _END = sa.bindparam("person_id"), sa.bindparam("start"), sa.bindparam("end")


@dataclass(frozen=True)
class _Statements:
    given: sa.Select[Any]
    bookings: sa.Select[Any]
    redeemed: sa.Select[Any]
    expenses: sa.Select[Any]
    payments: sa.Select[Any]
    earlier: sa.Select[Any]
    roles: sa.Select[Any]


@functools.cache
def _statements() -> _Statements:
    """The loader's statements, built once with bound parameters: building a statement costs more than
    running it (these run inside the member's own commit, ``triggers``)."""
    mine = sa.select(Account.id).where(Account.holder_id == _PERSON).scalar_subquery()
    receiver = aliased(Account)
    partner, payer = HOLDERS.alias("partner"), HOLDERS.alias("payer")
    involvement = sa.exists().where(Role.activity_id == Payment.activity_id, Role.service_user_involvement)
    return _Statements(
        given=sa.select(Exchange.id, Exchange.occurred_on, Exchange.amount_minutes, Exchange.time_bank_id,
                        Exchange.role_id, Exchange.session_id, Exchange.family_tie, Category.code, receiver.holder_id,
                        HOLDERS.c.display_name, HOLDERS.c.type, ORGANISATIONS.c.organisation_type,
                        ORGANISATIONS.c.charity_number)
        .join(receiver, receiver.id == Exchange.receiver_account_id)
        .join(Category, Category.id == Exchange.category_id)
        .outerjoin(HOLDERS, HOLDERS.c.id == receiver.holder_id)
        .outerjoin(ORGANISATIONS, ORGANISATIONS.c.id == receiver.holder_id)
        .where(Exchange.giver_account_id.in_(mine), Exchange.state == ExchangeState.CONFIRMED,
               Exchange.kind == ExchangeKind.EXCHANGE, Exchange.occurred_on.between(_START, _END))
        .order_by(Exchange.occurred_on, Exchange.id),
        # Sessions starting a day either side of the dates, so that the UK days can be compared exactly.
        bookings=sa.select(SignUp.id, SignUp.session_id, ActivitySession.starts_at, ActivitySession.ends_at,
                           ActivitySession.role_id, Activity.time_bank_id)
        .join(ActivitySession, ActivitySession.id == SignUp.session_id)
        .join(Role, Role.id == ActivitySession.role_id)
        .join(Activity, Activity.id == Role.activity_id)
        .where(SignUp.person_id == _PERSON, SignUp.status.in_((SignUpStatus.BOOKED, SignUpStatus.ATTENDED)),
               ActivitySession.cancelled_at.is_(None), ActivitySession.starts_at >= sa.bindparam("from_moment"),
               ActivitySession.starts_at < sa.bindparam("to_moment")),
        redeemed=sa.select(Redemption.id, Redemption.time_bank_id, Redemption.occurred_on, Redemption.credit_minutes,
                           Redemption.redeemed_for, Redemption.item, Redemption.face_value_pence,
                           partner.c.display_name)
        .join(partner, partner.c.id == Redemption.partner_id)
        .join(Exchange, Exchange.id == Redemption.exchange_id)
        .where(Redemption.person_id == _PERSON, Redemption.occurred_on.between(_START, _END),
               Exchange.state == ExchangeState.CONFIRMED)
        .order_by(Redemption.occurred_on, Redemption.id),
        # From the start of the tax year: mileage rates depend on the miles claimed so far in it.
        expenses=sa.select(Expense.id, Expense.time_bank_id, Expense.paid_on, Expense.kind, Expense.amount_paid_pence,
                           Expense.amount_receipted_pence, Expense.receipts_count, Expense.miles_tenths,
                           Expense.rate_per_mile_pence, Expense.flat_rate, payer.c.display_name)
        .join(payer, payer.c.id == Expense.organisation_id)
        .where(Expense.person_id == _PERSON, Expense.paid_on.between(sa.bindparam("expenses_from"), _END))
        .order_by(Expense.paid_on, Expense.id),
        payments=sa.select(Payment.id, Payment.time_bank_id, Payment.paid_on, Payment.kind, Payment.amount_pence,
                           Payment.activity_id, payer.c.display_name, involvement.label("service_user"))
        .join(payer, payer.c.id == Payment.organisation_id)
        .where(Payment.person_id == _PERSON, Payment.paid_on.between(_START, _END))
        .order_by(Payment.paid_on, Payment.id),
        earlier=sa.select(receiver.holder_id).distinct()
        .join(Exchange, Exchange.receiver_account_id == receiver.id)
        .where(Exchange.giver_account_id.in_(mine), Exchange.state == ExchangeState.CONFIRMED,
               Exchange.kind == ExchangeKind.EXCHANGE, Exchange.occurred_on < _START,
               receiver.holder_id.in_(sa.bindparam("organisations", expanding=True))),
        roles=sa.select(Role.id, Role.title, Role.normally_paid, Role.service_user_involvement,
                        Role.release_notice_hours, Role.away_overnight, Role.activity_id, Activity.organisation_id,
                        HOLDERS.c.display_name, ORGANISATIONS.c.organisation_type, ORGANISATIONS.c.charity_number)
        .join(Activity, Activity.id == Role.activity_id)
        .join(HOLDERS, HOLDERS.c.id == Activity.organisation_id)
        .join(ORGANISATIONS, ORGANISATIONS.c.id == Activity.organisation_id)
        .where(Role.id.in_(sa.bindparam("role_ids", expanding=True))),
    )


def load(session: Session, person_id: int, start: dt.date, end: dt.date,
         kinds: frozenset[Reference] = EVERY_KIND, also_organisations: frozenset[int] = frozenset()) -> Loaded:
    """The member's evidence of these kinds between ``start`` and ``end``; ``also_organisations``: more
    organisations to ask "gave time to before?" of (a proposed exchange's, for a heads-up)."""
    statements, connection = _statements(), session.connection()
    dates = {"person_id": person_id, "start": start, "end": end}
    banks: dict[tuple[Reference, int], int] = {}
    given_rows = connection.execute(statements.given, dates).all() if Reference.EXCHANGE in kinds else []
    booking_rows = connection.execute(statements.bookings, {
        "person_id": person_id, "from_moment": dt.datetime.combine(start - dt.timedelta(days=1), dt.time(), UK),
        "to_moment": dt.datetime.combine(end + dt.timedelta(days=2), dt.time(), UK),
    }).all() if Reference.SIGN_UP in kinds else []
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

    redeemed = []
    for row in connection.execute(statements.redeemed, dates) if Reference.REDEMPTION in kinds else ():
        banks[(Reference.REDEMPTION, row.id)] = row.time_bank_id
        redeemed.append(Redeemed(
            redemption_id=row.id, occurred_on=row.occurred_on, credit_minutes=row.credit_minutes,
            redeemed_for=row.redeemed_for, item=row.item, face_value_pence=row.face_value_pence,
            partner_name=row.display_name,
        ))

    expenses = []
    for row in (connection.execute(statements.expenses, {**dates, "expenses_from": min(start, tax_year_of(start)[0])})
                if Reference.EXPENSE in kinds else ()):
        banks[(Reference.EXPENSE, row.id)] = row.time_bank_id
        expenses.append(ExpensePaid(
            expense_id=row.id, paid_on=row.paid_on, organisation_name=row.display_name, kind=row.kind.value,
            amount_paid_pence=row.amount_paid_pence, amount_receipted_pence=row.amount_receipted_pence,
            receipts_count=row.receipts_count, miles_tenths=row.miles_tenths,
            rate_per_mile_pence=row.rate_per_mile_pence, flat_rate=row.flat_rate,
        ))

    payments = []
    for row in connection.execute(statements.payments, dates) if Reference.PAYMENT in kinds else ():
        banks[(Reference.PAYMENT, row.id)] = row.time_bank_id
        payments.append(PaymentReceived(
            payment_id=row.id, paid_on=row.paid_on, organisation_name=row.display_name, kind=row.kind.value,
            amount_pence=row.amount_pence, service_user_involvement=bool(row.service_user),
            activity_id=row.activity_id,
        ))

    # Of the organisations in the evidence, those the member gave time to before it (none to ask about
    # when it holds none, as for most exchanges between residents).
    organisations = also_organisations | {g.counterpart_holder_id for g in given
                                          if g.counterparty is not Counterparty.RESIDENT
                                          and g.counterpart_holder_id is not None}
    earlier = frozenset(connection.scalars(statements.earlier, {**dates, "organisations": sorted(organisations)})
                        ) if organisations else frozenset()
    return Loaded(
        evidence=Evidence(start=start, end=end, given=tuple(given), redeemed=tuple(redeemed),
                          expenses=tuple(expenses), payments=tuple(payments), bookings=tuple(bookings),
                          earlier_organisations=earlier),
        banks=banks,
    )


def _roles(session: Session, role_ids: set[int]) -> dict[int, RoleFacts]:
    if not role_ids:
        return {}
    rows = session.connection().execute(_statements().roles, {"role_ids": sorted(role_ids)}).all()
    return {row.id: RoleFacts(
        role_id=row.id, title=row.title, organisation_id=row.organisation_id, organisation_name=row.display_name,
        counterparty=counterparty(row.organisation_type, row.charity_number, False),
        normally_paid=row.normally_paid, service_user_involvement=row.service_user_involvement,
        release_notice_hours=row.release_notice_hours, away_overnight=row.away_overnight,
        activity_id=row.activity_id,
    ) for row in rows}
