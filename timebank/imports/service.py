"""Paper timesheets: read a CSV file, check every row against the books, and apply it whole or not at all.

Checking changes no hours: it stores the import with its row-by-row report (``checked`` or
``rejected``). Applying checks again against the books as they are now (balances move between the
two), then records and confirms one exchange per row through ``ledger.service`` inside a savepoint; the
first row the ledger refuses rolls every row back and the import is marked ``rejected`` with that row
named. Only flushes: the background job (``imports.tasks``, asked for by the page and the API) or the
CLI commits once.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from timebank import dates
from timebank.activities.models import Activity, ActivitySession, Role
from timebank.audit import service as audit
from timebank.banks.service import brokered_bank
from timebank.categories.models import Category
from timebank.errors import DomainError, Forbidden
from timebank.i18n import format_minutes
from timebank.imports import errors
from timebank.imports.models import MAX_BYTES, MAX_ROWS, ImportStatus, TimesheetImport
from timebank.jobs import service as jobs
from timebank.jobs.models import Job
from timebank.ledger import service as ledger
from timebank.ledger.errors import DescriptionTooLong
from timebank.ledger.limits import Balance, Limit, Movement, simulate_movements
from timebank.ledger.models import MAX_EXCHANGE_MINUTES, Account
from timebank.ledger.service import MAX_DESCRIPTION, Source
from timebank.members import policy
from timebank.members.models import Holder, Person
from timebank.pagination import Page, paginate
from timebank.types import MAX_ID, utcnow

#: The columns of a timesheet, in the template's order (see docs/timesheet-format.md).
COLUMNS = ("date", "giver", "giver_name", "receiver", "receiver_name", "hours", "category", "description",
           "activity", "role", "session")
REQUIRED_COLUMNS = ("date", "giver", "receiver", "hours", "category")
SOURCE_COLUMNS = ("activity", "role", "session")
#: A report longer than this helps nobody; the rest is counted in one last line.
MAX_PROBLEMS = 1000
MAX_FILENAME = 200
TEMPLATE_ROWS = (
    ("27/03/2026", "12", "Aled Jones", "15", "Bea Evans", "1:30", "gardening", "Weeded the front garden", "", "",
     ""),
    ("2026-03-28", "15", "", "12", "", "2", "lifts", "Lift to the hospital", "", "", ""),
)

Progress = Callable[[int, int], None]
#: The background job that records a checked import (declared in ``imports.tasks``).
APPLY_JOB = "imports.apply"


# --- reading the file ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    #: The row's number in the spreadsheet: the heading row is 1.
    number: int
    cells: dict[str, str]
    #: Non-blank values beyond the heading row's columns.
    extra_values: bool = False


@dataclass(frozen=True)
class Sheet:
    text: str
    sha256: str
    rows: list[SheetRow]


def template_csv() -> str:
    """The downloadable template: the heading row and two example rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue()


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        text = content.removeprefix("\ufeff")
        if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
            raise errors.FileTooLarge()
        return text
    if len(content) > MAX_BYTES:
        raise errors.FileTooLarge()
    try:
        return content.decode("utf-8-sig")  # takes off the byte order mark Excel writes, if there is one
    except UnicodeDecodeError:
        raise errors.NotUtf8() from None


def _column_name(raw: str) -> str:
    """``"Giver name "`` → ``"giver_name"``: people retype headings with capitals and spaces."""
    return "_".join(raw.strip().lower().split())


def _heading(record: list[str]) -> list[str]:
    if len(record) == 1 and (";" in record[0] or "\t" in record[0]):
        raise errors.WrongDelimiter()
    names = [_column_name(cell) for cell in record]
    named = [name for name in names if name]
    unknown = sorted({name for name in named if name not in COLUMNS})
    if unknown:
        raise errors.BadHeading(gettext("The heading row has columns we do not know: %(columns)s. "
                                        "Copy the heading row from the template.", columns=", ".join(unknown)))
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        raise errors.BadHeading(gettext("The heading row names these columns twice: %(columns)s.",
                                        columns=", ".join(twice)))
    missing = [name for name in REQUIRED_COLUMNS if name not in named]
    if missing:
        raise errors.BadHeading(gettext("The heading row is missing these columns: %(columns)s. "
                                        "Copy the heading row from the template.", columns=", ".join(missing)))
    return names


def read_sheet(content: bytes | str) -> Sheet:
    """Decode and split the file into rows, refusing what cannot be a timesheet as a whole. Blank rows
    (Excel leaves some at the end) are skipped; row numbers still count them, as the spreadsheet does."""
    text = _decode(content)
    if "\x00" in text:
        raise errors.NotACsvFile()
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise errors.NotACsvFile() from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise errors.EmptyFile()
    names = _heading(records[0])
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {name: value.strip() for name, value in zip(names, record, strict=False) if name}
        extra = any(value.strip() for value in record[len(names):])
        rows.append(SheetRow(index, {name: cells.get(name, "") for name in COLUMNS}, extra))
        if len(rows) > MAX_ROWS:
            raise errors.TooManyRows()
    if not rows:
        raise errors.EmptyFile()
    return Sheet(text, hashlib.sha256(text.encode("utf-8")).hexdigest(), rows)


# --- reading one value -----------------------------------------------------------------------------


class _Bad(Exception):
    """A value that cannot be used; the message says why, for the report."""


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_HOURS_MINUTES = re.compile(r"^(\d{1,2}):(\d{2})$")
_DECIMAL_HOURS = re.compile(r"^\d{1,2}(\.\d+)?$|^\.\d+$")
_NUMBER = re.compile(r"^\d{1,10}$")


def parse_date(value: str) -> dt.date:
    if dmy := _DMY.match(value):
        day, month, year = (int(part) for part in dmy.groups())
    elif iso := _ISO.match(value):
        year, month, day = (int(part) for part in iso.groups())
    else:
        raise _Bad(gettext("Write the date as DD/MM/YYYY or YYYY-MM-DD, for example 27/03/2026."))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _Bad(gettext("There is no such date.")) from None


def parse_minutes(value: str) -> int:
    """``"1:30"``, ``"1.5"`` and ``"2"`` are hours; the result is whole minutes from 1 to 24 hours."""
    if hm := _HOURS_MINUTES.match(value):
        hours, minutes = int(hm[1]), int(hm[2])
        if minutes > 59:
            raise _Bad(gettext("Write the minutes after the colon as 00 to 59, for example 1:30."))
        total = hours * 60 + minutes
    elif _DECIMAL_HOURS.match(value):
        try:
            exact = Decimal(value) * 60
        except InvalidOperation:
            raise _Bad(gettext("Write the hours as 1.5, 1:30 or 2.")) from None
        if exact != exact.to_integral_value():
            raise _Bad(gettext("The hours must come to whole minutes: write 1:20 rather than 1.33."))
        total = int(exact)
    else:
        raise _Bad(gettext("Write the hours as 1.5, 1:30 or 2."))
    if not 1 <= total <= MAX_EXCHANGE_MINUTES:
        raise _Bad(gettext("The time must be between 1 minute and 24 hours."))
    return total


def parse_number(value: str) -> int:
    """A member number or a record id: a whole number of 1 or more."""
    if not _NUMBER.match(value) or not 1 <= int(value) <= MAX_ID:
        raise _Bad(gettext("Write a number, such as 12."))
    return int(value)


def readable(values: Iterable[str], read: Callable[[str], Any]) -> list[Any]:
    """The values that can be read; the check reports the others."""
    found = []
    for value in values:
        with contextlib.suppress(_Bad):
            found.append(read(value))
    return found


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# --- checking the rows against the books -----------------------------------------------------------


@dataclass(frozen=True)
class CheckedRow:
    number: int
    occurred_on: dt.date
    giver_account_id: int
    receiver_account_id: int
    minutes: int
    category_id: int
    description: str
    source: Source | None


def problem(row: int | None, column: str | None, message: object, **extra: Any) -> dict[str, Any]:
    return {"row": row, "column": column, "message": str(message), **extra}


@dataclass
class _Books:
    """Everything the rows refer to, loaded in one query per table."""

    accounts: dict[int, tuple[Account, str | None]]
    categories: dict[str, Category]
    activities: dict[int, Activity]
    roles: dict[int, Role]
    sessions: dict[int, ActivitySession]

    @classmethod
    def load(cls, session: Session, rows: list[SheetRow]) -> _Books:
        def numbers(*columns: str) -> set[int]:
            return set(readable((row.cells[column] for row in rows for column in columns), parse_number))

        accounts = {
            account.id: (account, name)
            for account, name in session.execute(
                sa.select(Account, Holder.display_name)
                .outerjoin(Holder, Holder.id == Account.holder_id)
                .where(Account.id.in_(numbers("giver", "receiver")))
            )
        }
        categories = {c.code: c for c in session.scalars(sa.select(Category).where(Category.is_active))}

        def by_id(model: Any, column: str) -> dict[int, Any]:
            wanted = numbers(column)
            if not wanted:
                return {}
            return {record.id: record for record in session.scalars(sa.select(model).where(model.id.in_(wanted)))}

        return cls(accounts, categories, by_id(Activity, "activity"), by_id(Role, "role"),
                   by_id(ActivitySession, "session"))


class _RowChecker:
    """Checks one row at a time, noting every problem it finds in the row (not only the first)."""

    def __init__(self, books: _Books, time_bank_id: int, problems: list[dict[str, Any]],
                 days: dates.DateRange) -> None:
        self.books = books
        self.time_bank_id = time_bank_id
        self.problems = problems
        #: The days a row may be dated: the ledger's own rule for the bank (``dates.happened``).
        self.days = days

    def _value(self, row: SheetRow, column: str, read: Callable[[str], Any]) -> Any:
        value = row.cells[column]
        if not value:
            self.problems.append(problem(row.number, column, gettext("This is empty; fill it in.")))
            return None
        try:
            return read(value)
        except _Bad as bad:
            self.problems.append(problem(row.number, column, bad))
            return None

    def _account(self, row: SheetRow, column: str) -> Account | None:
        number = self._value(row, column, parse_number)
        if number is None:
            return None
        found = self.books.accounts.get(number)
        message = None
        if found is None:
            message = gettext("There is no member number %(number)d.", number=number)
        elif found[0].time_bank_id != self.time_bank_id:
            message = gettext("Member number %(number)d belongs to another time bank.", number=number)
        elif found[0].holder_id is None or found[0].is_closed:
            # Found early, for the row-by-row report, with the fact the ledger refuses by (and the
            # community pot, which no timesheet row moves hours to or from).
            message = gettext("The account with member number %(number)d is closed.", number=number)
        if message is not None:
            self.problems.append(problem(row.number, column, message))
            return None
        account, name = found  # type: ignore[misc]
        written = row.cells[f"{column}_name"]
        if written and not _same_name(written, name or ""):
            self.problems.append(problem(row.number, f"{column}_name", gettext(
                "Member number %(number)d is %(name)s, not “%(written)s”. Check the number and the name.",
                number=number, name=name, written=written)))
            return None
        return account

    def _source(self, row: SheetRow) -> Source | None:
        if not any(row.cells[column] for column in SOURCE_COLUMNS):
            return None
        before = len(self.problems)
        activity_id = self._value(row, "activity", parse_number)
        role_id = self._value(row, "role", parse_number)
        session_id = self._value(row, "session", parse_number) if row.cells["session"] else None
        if len(self.problems) > before:
            return None
        activity = self.books.activities.get(activity_id)
        if activity is None or activity.time_bank_id != self.time_bank_id:
            self.problems.append(problem(row.number, "activity", gettext(
                "There is no activity %(number)d in this time bank.", number=activity_id)))
            return None
        role = self.books.roles.get(role_id)
        if role is None or role.activity_id != activity.id:
            self.problems.append(problem(row.number, "role", gettext(
                "Role %(role)d is not a role in activity %(activity)d.", role=role_id, activity=activity_id)))
            return None
        if session_id is not None:
            found = self.books.sessions.get(session_id)
            if found is None or found.role_id != role.id:
                self.problems.append(problem(row.number, "session", gettext(
                    "Session %(session)d is not a session of role %(role)d.", session=session_id, role=role_id)))
                return None
        return Source(activity_id=activity.id, role_id=role.id, session_id=session_id)

    def check(self, row: SheetRow) -> CheckedRow | None:
        before = len(self.problems)
        if row.extra_values:
            self.problems.append(problem(row.number, None, gettext(
                "This row has more values than the heading row has columns.")))
        occurred_on = self._value(row, "date", parse_date)
        if occurred_on is not None and occurred_on not in self.days:
            self.problems.append(problem(row.number, "date", self.days.message()))
        giver = self._account(row, "giver")
        receiver = self._account(row, "receiver")
        if giver is not None and receiver is not None and giver.id == receiver.id:
            self.problems.append(problem(row.number, "receiver", gettext(
                "The giver and the receiver are the same member.")))
        minutes = self._value(row, "hours", parse_minutes)
        category = self._value(row, "category", lambda code: self.books.categories.get(code.lower()))
        if row.cells["category"] and category is None:
            self.problems.append(problem(row.number, "category", gettext(
                "There is no category “%(code)s”. Use a category code from the list.", code=row.cells["category"])))
        description = row.cells["description"]
        if len(description) > MAX_DESCRIPTION:
            self.problems.append(problem(row.number, "description", DescriptionTooLong.title))
        source = self._source(row)
        if len(self.problems) > before or giver is None or receiver is None or category is None:
            return None
        return CheckedRow(row.number, occurred_on, giver.id, receiver.id, minutes, category.id, description, source)


def _duplicates(rows: list[CheckedRow]) -> list[dict[str, Any]]:
    """A row that repeats an earlier one (same date, giver, receiver, hours and category, and no other
    description) is most likely keyed twice."""
    seen: dict[tuple[Any, ...], int] = {}
    found = []
    for row in rows:
        key = (row.occurred_on, row.giver_account_id, row.receiver_account_id, row.minutes, row.category_id,
               " ".join(row.description.split()).casefold())
        if key in seen:
            found.append(problem(row.number, None, gettext(
                "This row repeats row %(row)d: the same date, giver, receiver, hours and category. If both "
                "happened, say how they differ in the description; if not, remove one.", row=seen[key])))
        else:
            seen[key] = row.number
    return found


def _balance_problem(session: Session, books: _Books, rows: list[CheckedRow]) -> dict[str, Any] | None:
    """Apply the rows in order to copies of the balances, as the ledger will (``ledger.limits``), and name
    the first row that would take an account below its floor or above its ceiling."""
    accounts = [books.accounts[number][0]
                for number in {row.giver_account_id for row in rows} | {row.receiver_account_id for row in rows}]
    found = simulate_movements(
        ledger.effective_limits_of(session, accounts),
        {account.id: Balance.of(account) for account in accounts},
        # The giver is paid: the receiver of the help is the receiver.
        (Movement(row.receiver_account_id, row.giver_account_id, row.minutes) for row in rows),
    )
    if found is None:
        return None
    who = gettext("%(name)s (member %(number)d)", name=books.accounts[found.account_id][1] or "",
                  number=found.account_id)
    if found.limit is Limit.FLOOR:
        message = gettext(
            "After the rows above, this would take %(who)s below the lowest balance allowed (%(limit)s).",
            who=who, limit=format_minutes(found.limit_minutes))
    else:
        message = gettext(
            "After the rows above, this would take %(who)s above the highest balance allowed (%(limit)s).",
            who=who, limit=format_minutes(found.limit_minutes))
    return problem(rows[found.index].number, "hours", message)


def check_rows(
    session: Session, time_bank_id: int, sheet: Sheet, progress: Progress | None = None
) -> tuple[list[CheckedRow], list[dict[str, Any]]]:
    """Every row checked against the books as they are now; the rows are usable only if the problems
    list is empty."""
    books = _Books.load(session, sheet.rows)
    problems: list[dict[str, Any]] = []
    checker = _RowChecker(books, time_bank_id, problems, dates.happened(session, time_bank_id))
    rows = []
    for done, sheet_row in enumerate(sheet.rows, start=1):
        checked = checker.check(sheet_row)
        if checked is not None:
            rows.append(checked)
        if progress is not None:
            progress(done, len(sheet.rows))
    problems += _duplicates(rows)
    balance = _balance_problem(session, books, rows)
    if balance is not None:
        problems.append(balance)
    problems.sort(key=lambda p: p["row"] or 0)
    return rows, problems


def _capped(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS],
            problem(None, None, gettext("…and %(num)d more problems not listed here.", num=rest))]


def _applied_before(session: Session, time_bank_id: int, sha256: str) -> dict[str, Any] | None:
    earlier = session.scalar(sa.select(TimesheetImport).where(
        TimesheetImport.time_bank_id == time_bank_id, TimesheetImport.sha256 == sha256,
        TimesheetImport.status == ImportStatus.APPLIED))
    if earlier is None:
        return None
    return problem(None, None, gettext(
        "This file was already recorded in this time bank (import %(number)d). It cannot be recorded twice.",
        number=earlier.id), import_id=earlier.id)


def clean_filename(raw: str | None) -> str:
    """Only the file's own name, never a path from the sender's computer."""
    name = re.split(r"[\\/]", raw or "")[-1].strip()
    return name[:MAX_FILENAME] or "timesheet.csv"


def check(
    session: Session,
    actor: Person,
    *,
    time_bank_id: int,
    filename: str,
    content: bytes | str,
    progress: Progress | None = None,
) -> TimesheetImport:
    """Read and check a whole file for a bank the actor brokers; store it with its report. No hours move."""
    bank = brokered_bank(session, actor, time_bank_id)
    sheet = read_sheet(content)
    already = _applied_before(session, bank.id, sheet.sha256)
    if already is not None:
        rows, problems = [], [already]
    else:
        rows, problems = check_rows(session, bank.id, sheet, progress)
    timesheet = TimesheetImport(
        time_bank_id=bank.id,
        uploaded_by_id=actor.id,
        filename=clean_filename(filename),
        sha256=sheet.sha256,
        content=sheet.text,
        row_count=len(sheet.rows),
        total_minutes=sum(row.minutes for row in rows),
        status=ImportStatus.REJECTED if problems else ImportStatus.CHECKED,
        problems=_capped(problems),
    )
    session.add(timesheet)
    session.flush()
    audit.record(session, "import.checked", actor_id=actor.id, subject_type="timesheet_import",
                 subject_id=timesheet.id, time_bank_id=bank.id, status=timesheet.status.value,
                 rows=timesheet.row_count, problems=len(problems))
    return timesheet


# --- applying --------------------------------------------------------------------------------------


#: Where each ledger refusal belongs in the timesheet.
_LEDGER_COLUMNS = {"minutes": "hours", "occurred_on": "date", "category": "category", "description": "description",
                   "account": "giver", "counterpart": "receiver"}


def visible_import(session: Session, actor: Person, import_id: int) -> TimesheetImport:
    """An import of a bank the actor brokers; any other does not exist for them. Someone who brokers no
    bank may not use imports at all."""
    require_broker(session, actor)
    timesheet = session.get(TimesheetImport, import_id)
    if timesheet is None or not policy.is_broker(session, actor, timesheet.time_bank_id):
        raise errors.ImportNotFound()
    return timesheet


def require_ready(timesheet: TimesheetImport) -> None:
    if timesheet.status is ImportStatus.APPLIED:
        raise errors.ImportAlreadyApplied()
    if timesheet.status is ImportStatus.REJECTED:
        raise errors.ImportHasProblems()


def enqueue_apply(session: Session, actor: Person, import_id: int) -> Job:
    """Ask for a checked import to be recorded off the request (``imports.tasks``): the job, sent when the
    caller commits. Asking again while it waits or runs gives the same job; after it failed, sends it again."""
    timesheet = visible_import(session, actor, import_id)
    require_ready(timesheet)
    return jobs.enqueue(session, APPLY_JOB, payload={"import_id": timesheet.id}, key=apply_job_key(timesheet.id),
                        requested_by_id=actor.id, time_bank_id=timesheet.time_bank_id, total=timesheet.row_count)


def apply_job_key(import_id: int) -> str:
    return f"{APPLY_JOB}:{import_id}"


def apply_job(session: Session, timesheet: TimesheetImport) -> Job | None:
    """The job recording this import, if one was asked for."""
    return jobs.job_by_key(session, apply_job_key(timesheet.id))


def apply(session: Session, actor: Person, import_id: int, progress: Progress | None = None) -> TimesheetImport:
    """Apply a checked import whole, or mark it rejected with the row that stopped it. Run by the import's
    job (``imports.tasks``) or the command line, inside their one transaction."""
    timesheet = visible_import(session, actor, import_id)
    require_ready(timesheet)
    # Locked, so a second apply waits here and then finds the import already applied.
    session.refresh(timesheet, with_for_update=True)
    if timesheet.status is not ImportStatus.CHECKED:
        return timesheet
    sheet = read_sheet(timesheet.content)
    already = _applied_before(session, timesheet.time_bank_id, timesheet.sha256)
    rows, problems = ([], [already]) if already is not None else check_rows(session, timesheet.time_bank_id, sheet)
    if problems:  # the books moved since the check
        _reject(session, actor, timesheet, problems)
        return timesheet
    current: CheckedRow | None = None
    try:
        with session.begin_nested():
            for done, current in enumerate(rows, start=1):
                _record(session, actor, timesheet, current)
                if progress is not None:
                    progress(done, len(rows))
    except DomainError as error:  # every row so far is rolled back with the savepoint
        number = current.number if current is not None else None
        _reject(session, actor, timesheet, [problem(number, _LEDGER_COLUMNS.get(error.field or ""), error.message)])
        return timesheet
    timesheet.status = ImportStatus.APPLIED
    timesheet.applied_at = utcnow()
    timesheet.applied_by_id = actor.id
    session.flush()
    audit.record(session, "import.applied", actor_id=actor.id, subject_type="timesheet_import",
                 subject_id=timesheet.id, time_bank_id=timesheet.time_bank_id, rows=len(rows),
                 minutes=sum(r.minutes for r in rows),
                 people=len({r.giver_account_id for r in rows} | {r.receiver_account_id for r in rows}))
    return timesheet


def _record(session: Session, actor: Person, timesheet: TimesheetImport, row: CheckedRow) -> None:
    """The broker keys the row for the giver and confirms it for the receiver: both events say so."""
    exchange, _created = ledger.record_exchange(
        session,
        proposer_account_id=row.giver_account_id,
        counterpart_account_id=row.receiver_account_id,
        proposer_is_giver=True,
        amount_minutes=row.minutes,
        occurred_on=row.occurred_on,
        category_id=row.category_id,
        description=row.description,
        recorded_by_id=actor.id,
        idempotency_key=f"import-{timesheet.sha256[:16]}-{row.number}",
        source=row.source,
    )
    ledger.confirm_exchange(session, exchange.id, actor_id=actor.id, acting_for_account_id=row.receiver_account_id)


def _reject(session: Session, actor: Person, timesheet: TimesheetImport, problems: list[dict[str, Any]]) -> None:
    timesheet.status = ImportStatus.REJECTED
    timesheet.problems = _capped(problems)
    session.flush()
    audit.record(session, "import.rejected", actor_id=actor.id, subject_type="timesheet_import",
                 subject_id=timesheet.id, time_bank_id=timesheet.time_bank_id, problems=len(problems))


# --- reading ---------------------------------------------------------------------------------------


def require_broker(session: Session, actor: Person) -> set[int]:
    """The banks the actor brokers; someone who brokers none may not use imports at all."""
    banks = policy.broker_bank_ids(session, actor)
    if not banks:
        raise Forbidden(gettext("Only brokers can import timesheets"))
    return banks


def list_imports(
    session: Session, actor: Person, *, time_bank_id: int | None = None, page: int = 1, per_page: int = 25
) -> Page[TimesheetImport]:
    """Imports of the banks the actor brokers (or of one of them), newest first."""
    banks = require_broker(session, actor)
    if time_bank_id is not None:
        banks &= {time_bank_id}
    query = (sa.select(TimesheetImport).where(TimesheetImport.time_bank_id.in_(banks))
             .order_by(TimesheetImport.id.desc()))
    return paginate(session, query, page=page, per_page=per_page)


@dataclass(frozen=True)
class Summary:
    rows: int
    #: Different members named as giver or receiver.
    people: int
    total_minutes: int
    first_on: dt.date | None
    last_on: dt.date | None


def summarise(timesheet: TimesheetImport) -> Summary:
    """What the file holds, read from the stored file (the values that could be read)."""
    rows = read_sheet(timesheet.content).rows
    dates = readable((row.cells["date"] for row in rows), parse_date)
    people = readable((row.cells[c] for row in rows for c in ("giver", "receiver")), parse_number)
    return Summary(len(rows), len(set(people)), timesheet.total_minutes, min(dates, default=None),
                   max(dates, default=None))
