"""A council's co-delivery activity with one role and its sessions, built straight from the models (the
activities pages that publish them are tested on their own), and the people who take part."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.activities.conftest import council, officer, resident  # noqa: F401 (fixtures shared with this directory)
from tests.api.conftest import anonymous, api_as  # noqa: F401 (fixtures shared with this directory)
from tests.safeguarding.conftest import (  # noqa: F401 (fixtures shared with this directory)
    audited,
    hear_from_referees,
    make_application,
    make_dbs_check,
    make_joined,
    make_reference,
)
from timebank.activities.models import (
    Activity,
    ActivitySession,
    ActivityStatus,
    CoProductionForm,
    Party,
    Role,
    RoleDirection,
    SignUp,
)
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.categories.models import Category
from timebank.ledger.models import Account, Exchange
from timebank.members.models import BankRoleName, Organisation, Person
from timebank.types import utcnow


@pytest.fixture
def organiser(officer: Person) -> Person:  # noqa: F811 (the imported fixture)
    """Runs the council's activities: an admin of the council, with no account of their own."""
    return officer


@pytest.fixture
def make_session(db_session: Session, bank: TimeBank, council: Organisation,  # noqa: F811 (the imported fixture)
                 organiser: Person) -> Callable[..., ActivitySession]:
    """A session of the council's community garden, two days from now unless told otherwise."""
    category_id = db_session.scalar(sa.select(Category.id).where(Category.code == "gardening"))

    def make(*, places: int = 3, starts_in: dt.timedelta = dt.timedelta(days=2),
             length: dt.timedelta = dt.timedelta(hours=2), status: ActivityStatus = ActivityStatus.PUBLISHED,
             organisation: Organisation | None = None, time_bank: TimeBank | None = None,
             title: str = "Community garden", **role: Any) -> ActivitySession:
        activity = Activity(
            time_bank_id=(time_bank or bank).id, organisation_id=(organisation or council).id, title=title,
            summary="Growing food together in the old bowling green.", form=CoProductionForm.CO_DELIVERING,
            designed_by=Party.SHARED, delivered_by=Party.SHARED, place="Old bowling green, Mill Lane",
            status=status, created_by_id=organiser.id, published_at=utcnow(),
        )
        role.setdefault("direction", RoleDirection.GIVES)
        garden_role = Role(activity=activity, title=role.pop("role_title", "Garden helper"),
                           category_id=category_id, places=places, **role)
        starts_at = utcnow() + starts_in
        activity_session = ActivitySession(role=garden_role, starts_at=starts_at, ends_at=starts_at + length,
                                           places=places)
        db_session.add_all([activity, garden_role, activity_session])
        db_session.flush()
        return activity_session

    return make


@pytest.fixture
def start(db_session: Session) -> Callable[[ActivitySession], ActivitySession]:
    """Move a session so it began an hour ago (and lasts as long as before): attendance can be marked."""

    def begin(activity_session: ActivitySession) -> ActivitySession:
        length = activity_session.ends_at - activity_session.starts_at
        activity_session.starts_at = utcnow() - dt.timedelta(hours=1)
        activity_session.ends_at = activity_session.starts_at + length
        db_session.flush()
        return activity_session

    return begin


@pytest.fixture
def members(make_member: Callable[..., Any], bank: TimeBank) -> Callable[[int], list[tuple[Person, Account]]]:
    """``n`` residents of the bank, with no password (so none can sign in, and making them is quick)."""

    def make(n: int, prefix: str = "Member") -> list[tuple[Person, Account]]:
        return [make_member(bank, f"{prefix} {i:02d}", email=None) for i in range(1, n + 1)]

    return make


def session_sign_ups(db_session: Session, activity_session: ActivitySession) -> list[SignUp]:
    db_session.expire_all()
    return list(db_session.scalars(
        sa.select(SignUp).where(SignUp.session_id == activity_session.id).order_by(SignUp.id)))


def session_exchanges(db_session: Session, activity_session: ActivitySession) -> list[Exchange]:
    return list(db_session.scalars(
        sa.select(Exchange).where(Exchange.session_id == activity_session.id).order_by(Exchange.id)))


# --- reading the words in a PDF --------------------------------------------------------------------

_OBJECT = re.compile(rb"\n(\d+) 0 obj(.*?)endobj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _stream(body: bytes) -> bytes:
    match = re.search(rb"stream\r?\n(.*)\r?\nendstream", body, re.S)
    assert match, "no stream in the object"
    data = match.group(1)
    return zlib.decompress(data) if b"/FlateDecode" in body[:match.start()] else data


def pdf_text(data: bytes) -> str:
    """The text fpdf2 wrote, one line per text-showing operator. Its fonts are subset with glyph codes,
    so each code is read back through the font's ToUnicode map, as a PDF reader would."""
    objects = {int(number): body for number, body in _OBJECT.findall(data)}
    maps: dict[int, dict[int, str]] = {}
    for number, body in objects.items():
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if to_unicode:
            pairs = re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})>", _stream(objects[int(to_unicode[1])]))
            maps[number] = {int(code, 16): chr(int(char, 16)) for code, char in pairs}
    fonts = {name: maps[int(ref)] for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", data) if int(ref) in maps}
    lines = []
    for ref in re.findall(rb"/Contents (\d+) 0 R", data):
        font: dict[int, str] = {}
        for match in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", _stream(objects[int(ref)]), re.S):
            if match[1]:
                font = fonts[match[1]]
                continue
            raw = re.sub(rb"\\([nrtbf()\\]|[0-7]{1,3})",
                         lambda m: _ESCAPES.get(m[1]) or bytes([int(m[1], 8)]), match[2])
            lines.append("".join(font.get(int.from_bytes(raw[i:i + 2]), "?") for i in range(0, len(raw), 2)))
    return "\n".join(lines)


@pytest.fixture
def funder(db_session: Session, make_person: Callable[..., Person], bank: TimeBank) -> Person:
    """Funds the bank and holds no account: sees aggregate reports only."""
    person = make_person("Fran Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=person.id, role=BankRoleName.FUNDER, actor_id=None)
    return person
