"""My activity summary: what a member did in a period they choose, fit to hand to a work coach or the council
(issue 12, item 7). Benefit offices ask to be told about volunteering: the hours, the days, what the role is,
who it is for, and any expenses or payments. This puts all of it on one page, and on paper.

It is the member's own activity, so every member has it, consent or not, and it says nothing of benefits:
no profile, no flags. Their broker may make it for them (a member who is not online), for the banks the
broker runs only. Every reading is logged like the rest of a member's benefit data (``Subject.SUMMARY``).

A handful of statements, each bounded by the member's accounts or person id and the dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_date, get_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, aliased

from timebank.activities.models import Activity, Role
from timebank.benefits import errors, profiles
from timebank.benefits.models import AccessKind, Subject
from timebank.benefits.rulebook import pounds
from timebank.errors import DomainError
from timebank.i18n import format_minutes
from timebank.ledger.models import Account, Exchange, ExchangeKind, ExchangeState
from timebank.members.models import Holder, Person
from timebank.money.models import Expense, ExpenseKind, Payment, PaymentKind
from timebank.paper.pdf import Document

#: The longest period one summary covers: a year and a day (a tax year, a leap year's too).
MAX_DAYS = 366
#: Without a choice: the last 13 weeks, today included.
DEFAULT_DAYS = 91

EXPENSE_LABELS = {
    ExpenseKind.MILEAGE: _l("Mileage"),
    ExpenseKind.TRAVEL: _l("Fares"),
    ExpenseKind.MEALS: _l("Meals and drinks"),
    ExpenseKind.CARE: _l("Care while volunteering"),
    ExpenseKind.OTHER: _l("Other costs"),
}
PAYMENT_LABELS = {
    PaymentKind.FEE: _l("Fee"),
    PaymentKind.HONORARIUM: _l("Honorarium (a thank-you payment)"),
    PaymentKind.GIFT: _l("Gift"),
    PaymentKind.VOUCHER: _l("Voucher"),
    PaymentKind.STIPEND: _l("Stipend (a regular allowance)"),
}


class SummaryPeriodBackwards(DomainError):
    code = "summary-period-backwards"
    title = _l("The start of the period must be on or before its end.")
    field = "from"


class SummaryPeriodInFuture(DomainError):
    code = "summary-period-in-future"
    title = _l("The period must end today or earlier.")
    field = "to"


class SummaryPeriodTooLong(DomainError):
    code = "summary-period-too-long"
    title = _l("Choose a period of up to a year (366 days).")
    field = "from"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period(start: dt.date | None, end: dt.date | None, today: dt.date) -> Period:
    """The period asked for, or the last 13 weeks; refused if it runs backwards, is longer than a year or
    ends after today."""
    end = end or today
    start = start or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise SummaryPeriodBackwards()
    if end > today:
        raise SummaryPeriodInFuture()
    if (end - start).days + 1 > MAX_DAYS:
        raise SummaryPeriodTooLong()
    return Period(start, end)


@dataclass(frozen=True)
class RoleLine:
    """Time given in one role (or, with no role, to one organisation or person), in the period."""

    role: str
    organisation: str
    sessions: int
    minutes: int
    first_on: dt.date
    last_on: dt.date


@dataclass(frozen=True)
class MoneyLine:
    paid_on: dt.date
    organisation: str
    kind: str
    amount_pence: int
    #: Expenses only: the receipts shown for it.
    receipted_pence: int | None = None


@dataclass(frozen=True)
class Summary:
    person_id: int
    name: str
    period: Period
    given_minutes: int
    #: The days on which the member gave time.
    days: list[dt.date]
    roles: list[RoleLine]
    organisations: list[tuple[str, int]]
    expenses: list[MoneyLine]
    payments: list[MoneyLine]

    @property
    def expenses_pence(self) -> int:
        return sum(line.amount_pence for line in self.expenses)

    @property
    def receipted_pence(self) -> int:
        return sum(line.receipted_pence or 0 for line in self.expenses)

    @property
    def payments_pence(self) -> int:
        return sum(line.amount_pence for line in self.payments)

    @property
    def empty(self) -> bool:
        return not (self.days or self.expenses or self.payments)


def banks_for(session: Session, actor: Person, person_id: int) -> set[int] | None:
    """``None`` (every bank) for the member themselves; for their broker, the banks they run that the member
    belongs to. Anyone else: the member does not exist for them."""
    if actor.id == person_id:
        return None
    banks = profiles.brokers_banks_of(session, actor, person_id)
    if not banks:
        raise errors.BenefitDataNotFound()
    return banks


def summary(session: Session, actor: Person, person_id: int, chosen: Period, *, reason: str) -> Summary:
    """The member's activity in the period, for them or their broker (logged)."""
    banks = banks_for(session, actor, person_id)
    name = session.scalar(sa.select(Holder.display_name).where(Holder.id == person_id)) or ""
    accounts = sa.select(Account.id).where(Account.holder_id == person_id)
    if banks is not None:
        accounts = accounts.where(Account.time_bank_id.in_(banks))
    receiver = aliased(Account)
    receiving = aliased(Holder)
    rows = session.execute(
        sa.select(Exchange.occurred_on, Exchange.amount_minutes, Exchange.session_id, Role.title,
                  Activity.organisation_id, receiving.display_name, receiving.type)
        .join(receiver, receiver.id == Exchange.receiver_account_id)
        .outerjoin(receiving, receiving.id == receiver.holder_id)
        .outerjoin(Role, Role.id == Exchange.role_id)
        .outerjoin(Activity, Activity.id == Role.activity_id)
        .where(Exchange.giver_account_id.in_(accounts.scalar_subquery()), Exchange.state == ExchangeState.CONFIRMED,
               Exchange.kind == ExchangeKind.EXCHANGE, Exchange.occurred_on.between(chosen.start, chosen.end))
        .order_by(Exchange.occurred_on, Exchange.id)
    ).all()
    organisation_names = _names(session, {row.organisation_id for row in rows if row.organisation_id})

    roles: dict[tuple[str, str], list[tuple[dt.date, int]]] = {}
    organisations: dict[str, int] = {}
    for row in rows:
        # Time in a role goes to the role's organisation; other time to whoever received it (a neighbour's
        # name stays off the summary: "a member").
        if row.organisation_id:
            organisation = organisation_names.get(row.organisation_id, "")
        elif row.type == "person":
            organisation = gettext("Another member")
        else:
            organisation = row.display_name or gettext("The time bank")
        role = row.title or gettext("Help exchanged between members")
        roles.setdefault((role, organisation), []).append((row.occurred_on, row.amount_minutes))
        if row.organisation_id or row.type != "person":
            organisations[organisation] = organisations.get(organisation, 0) + row.amount_minutes
    role_lines = sorted((RoleLine(role, organisation, len(times), sum(m for _, m in times), times[0][0], times[-1][0])
                         for (role, organisation), times in roles.items()), key=lambda line: -line.minutes)

    payer = aliased(Holder)
    expense_query = (sa.select(Expense, payer.display_name).join(payer, payer.id == Expense.organisation_id)
                     .where(Expense.person_id == person_id, Expense.paid_on.between(chosen.start, chosen.end))
                     .order_by(Expense.paid_on, Expense.id))
    payment_query = (sa.select(Payment, payer.display_name).join(payer, payer.id == Payment.organisation_id)
                     .where(Payment.person_id == person_id, Payment.paid_on.between(chosen.start, chosen.end))
                     .order_by(Payment.paid_on, Payment.id))
    if banks is not None:
        expense_query = expense_query.where(Expense.time_bank_id.in_(banks))
        payment_query = payment_query.where(Payment.time_bank_id.in_(banks))
    expenses = [MoneyLine(expense.paid_on, organisation, str(EXPENSE_LABELS[expense.kind]), expense.amount_paid_pence,
                          expense.amount_receipted_pence)
                for expense, organisation in session.execute(expense_query)]
    payments = [MoneyLine(payment.paid_on, organisation, str(PAYMENT_LABELS[payment.kind]), payment.amount_pence)
                for payment, organisation in session.execute(payment_query)]

    profiles.log(session, actor.id, person_id, Subject.SUMMARY, AccessKind.READ, reason)
    return Summary(
        person_id=person_id, name=name, period=chosen, given_minutes=sum(row.amount_minutes for row in rows),
        days=sorted({row.occurred_on for row in rows}), roles=role_lines,
        organisations=sorted(organisations.items(), key=lambda item: -item[1]), expenses=expenses, payments=payments,
    )


def _names(session: Session, holder_ids: set[int]) -> dict[int, str]:
    if not holder_ids:
        return {}
    return {holder_id: name for holder_id, name in session.execute(
        sa.select(Holder.id, Holder.display_name).where(Holder.id.in_(holder_ids)))}


# --- on paper ----------------------------------------------------------------------------------------


def summary_pdf(found: Summary, made_on: dt.date) -> bytes:
    """The summary on paper, in the reader's language (call it inside ``force_locale`` for another)."""
    locale = get_locale()
    document = Document(
        title=gettext("My activity summary: %(name)s", name=found.name),
        language=str(locale).replace("_", "-") if locale else "en",
        footer=gettext("Activity summary made on %(day)s", day=format_date(made_on, "long")),
    )
    document.facts([
        (gettext("Name"), found.name),
        (gettext("Period"), gettext("%(start)s to %(end)s", start=format_date(found.period.start, "long"),
                                    end=format_date(found.period.end, "long"))),
        (gettext("Hours given"), format_minutes(found.given_minutes)),
        (gettext("Days"), str(len(found.days))),
        (gettext("Expenses paid"), pounds(found.expenses_pence)),
        (gettext("Payments and gifts"), pounds(found.payments_pence)),
    ], label_width=50)
    document.paragraph(gettext("Time credits are not money. Hours given are unpaid time, recorded by the time bank "
                               "and confirmed by the person or group helped."))
    document.heading(gettext("Roles and organisations"))
    if found.roles:
        document.grid(
            [gettext("Role"), gettext("For"), gettext("Times"), gettext("Hours"), gettext("From"), gettext("To")],
            [[line.role, line.organisation, str(line.sessions), format_minutes(line.minutes),
              format_date(line.first_on), format_date(line.last_on)] for line in found.roles],
            widths=(44, 44, 16, 26, 25, 25), line_height=7,
        )
    else:
        document.paragraph(gettext("No time given in this period."))
    document.heading(gettext("Days"))
    document.paragraph(", ".join(format_date(day) for day in found.days) or gettext("None."))
    document.heading(gettext("Expenses paid"))
    if found.expenses:
        document.grid(
            [gettext("Date"), gettext("Paid by"), gettext("For"), gettext("Paid"), gettext("Receipts")],
            [[format_date(line.paid_on), line.organisation, line.kind, pounds(line.amount_pence),
              pounds(line.receipted_pence or 0)] for line in found.expenses],
            widths=(28, 50, 46, 28, 28), line_height=7,
        )
    else:
        document.paragraph(gettext("None."))
    document.heading(gettext("Payments and gifts"))
    if found.payments:
        document.grid(
            [gettext("Date"), gettext("From"), gettext("What"), gettext("Amount")],
            [[format_date(line.paid_on), line.organisation, line.kind, pounds(line.amount_pence)]
             for line in found.payments],
            widths=(30, 60, 60, 30), line_height=7,
        )
    else:
        document.paragraph(gettext("None."))
    return document.to_bytes()
