"""Personal statements: what a member has given and received, their balance, and their recent
exchanges, for the member, their organisation's admins, and the brokers who print it for members who
are not online. Reads only.

The figures are the account's cached counters, the ones ``ledger verify`` re-derives: hours given and
received are net of reversals, as the member's balance is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_date, get_locale, gettext
from sqlalchemy.orm import Session

from timebank.banks.models import TimeBank
from timebank.clock import uk_today
from timebank.dates import add_months
from timebank.errors import Forbidden
from timebank.exchanges.service import category_labels, holder_names
from timebank.i18n import format_minutes
from timebank.ledger import errors as ledger_errors
from timebank.ledger.models import Account, Exchange, ExchangeKind, ExchangeState
from timebank.members import policy
from timebank.members.models import Person
from timebank.members.service import display_names
from timebank.paper.pdf import Document

#: The statement lists the exchanges of the last three months, or the last 30 if that is more…
RECENT_MONTHS = 3
RECENT_AT_LEAST = 30
#: …but never more than fit on a few sheets of paper.
MAX_LINES = 200
#: Large print (points) for reading at home, and the table's columns (mm across the A4 page): date, with
#: whom, what, hours, given or received.
STATEMENT_TYPE_SIZE = 14
STATEMENT_WIDTHS = (30, 38, 50, 32, 30)


@dataclass(frozen=True)
class StatementLine:
    exchange_id: int
    occurred_on: dt.date
    #: The other side's name.
    with_name: str
    category: str
    description: str
    minutes: int
    #: True when the hours came into this account: help given (or, for a reversal, hours given back).
    credited: bool
    is_reversal: bool


@dataclass(frozen=True)
class Statement:
    account: Account
    name: str
    bank_name: str
    made_on: dt.date
    #: The start of the three months the lines cover (older lines appear only to make up 30).
    since: dt.date
    lines: list[StatementLine]
    #: True when there were more lines than ``MAX_LINES``.
    shortened: bool

    @property
    def given_minutes(self) -> int:
        return self.account.given_minutes

    @property
    def received_minutes(self) -> int:
        return self.account.received_minutes

    @property
    def balance_minutes(self) -> int:
        return self.account.balance_minutes

    @property
    def pending_in_minutes(self) -> int:
        return self.account.credits_pending_minutes

    @property
    def pending_out_minutes(self) -> int:
        return self.account.debits_pending_minutes


def statement_account(session: Session, actor: Person, account_id: int) -> Account:
    """The account, if the actor holds it, runs the organisation that does, or brokers its bank."""
    if policy.sees_aggregates_only(session, actor):
        raise Forbidden(gettext("Funders see reports of the whole time bank, not members' statements"))
    account = session.get(Account, account_id)
    if account is None or not policy.may_act_for(session, actor, account):
        raise ledger_errors.AccountNotFound()
    return account


def statement(session: Session, actor: Person, account_id: int) -> Statement:
    account = statement_account(session, actor, account_id)
    today = uk_today()
    since = add_months(today, -RECENT_MONTHS)
    posted = (
        sa.select(Exchange)
        .where(
            sa.or_(Exchange.receiver_account_id == account.id, Exchange.giver_account_id == account.id),
            Exchange.state.in_((ExchangeState.CONFIRMED, ExchangeState.REVERSED)),
        )
        .order_by(Exchange.occurred_on.desc(), Exchange.id.desc())
    )
    exchanges = list(session.scalars(posted.where(Exchange.occurred_on >= since).limit(MAX_LINES + 1)))
    if len(exchanges) < RECENT_AT_LEAST:
        exchanges = list(session.scalars(posted.limit(RECENT_AT_LEAST)))
    shortened = len(exchanges) > MAX_LINES
    exchanges = exchanges[:MAX_LINES]
    names = holder_names(session, exchanges)
    categories = category_labels(session, exchanges)
    bank = session.get(TimeBank, account.time_bank_id)
    bank_name = bank.name if bank else ""
    if account.holder_id is None:
        name = gettext("%(bank)s community pot", bank=bank_name)
    else:
        name = display_names(session, [account.holder_id]).get(account.holder_id, "")
    lines = [
        StatementLine(
            exchange_id=e.id,
            occurred_on=e.occurred_on,
            with_name=names.get(e.receiver_account_id if e.giver_account_id == account.id else e.giver_account_id, ""),
            category=categories.get(e.category_id, ""),
            description=e.description,
            minutes=e.amount_minutes,
            credited=e.giver_account_id == account.id,
            is_reversal=e.kind is ExchangeKind.REVERSAL,
        )
        for e in exchanges
    ]
    return Statement(account, name, bank_name, today, since, lines, shortened)


def direction(line: StatementLine) -> str:
    """Which way the hours went, in the member's words."""
    if line.is_reversal:
        return gettext("Given back to you") if line.credited else gettext("Taken back")
    return gettext("You gave") if line.credited else gettext("You received")


def what(line: StatementLine) -> str:
    return f"{line.category}: {line.description}" if line.description else line.category


def statement_pdf(statement: Statement) -> bytes:
    """The statement on paper, in large print and the reader's language."""
    locale = get_locale()
    document = Document(
        title=gettext("Time bank statement: %(name)s", name=statement.name),
        language=str(locale).replace("_", "-") if locale else "en",
        footer=gettext("Statement for member %(number)d, %(day)s", number=statement.account.id,
                       day=format_date(statement.made_on, "long")),
        body_size=STATEMENT_TYPE_SIZE,
    )
    document.facts([
        (gettext("Name"), statement.name),
        (gettext("Member number"), str(statement.account.id)),
        (gettext("Time bank"), statement.bank_name),
        (gettext("Date"), format_date(statement.made_on, "long")),
    ], label_width=50)
    document.heading(gettext("Your hours"))
    document.facts([
        (gettext("Hours given"), format_minutes(statement.given_minutes)),
        (gettext("Hours received"), format_minutes(statement.received_minutes)),
        (gettext("Balance"), format_minutes(statement.balance_minutes)),
        (gettext("Waiting, coming in"), format_minutes(statement.pending_in_minutes)),
        (gettext("Waiting, going out"), format_minutes(statement.pending_out_minutes)),
    ], label_width=50)
    document.paragraph(gettext("“Waiting” is time recorded but not yet confirmed by the other person."))
    document.heading(gettext("Recent exchanges"))
    if not statement.lines:
        document.paragraph(gettext("No exchanges yet."))
        return document.to_bytes()
    document.paragraph(_lines_note(statement))
    document.grid(
        [gettext("Date"), gettext("With"), gettext("What"), gettext("Hours"), gettext("Given or received")],
        [[format_date(line.occurred_on), line.with_name, what(line), format_minutes(line.minutes), direction(line)]
         for line in statement.lines],
        widths=STATEMENT_WIDTHS, line_height=7,
    )
    return document.to_bytes()


def _lines_note(statement: Statement) -> str:
    if statement.shortened:
        return gettext("The %(num)d most recent exchanges, newest first. Ask your broker for older ones.",
                       num=len(statement.lines))
    return gettext("Exchanges since %(day)s (or your last 30), newest first.", day=format_date(statement.since, "long"))
