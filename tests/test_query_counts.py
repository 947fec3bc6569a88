"""Each list page and each role's home page sends a bounded number of SQL statements on the demo bank, and
the same number when the viewer has more to see: no statement per row (N+1). Each is light, too: its HTML is
at most 100 KB.

The caps are today's counts with a little room; a change that needs more says so here, on purpose."""

from __future__ import annotations

import datetime as dt
import difflib
import uuid

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.support import statements_sent
from timebank.demo import data
from timebank.demo import service as demo
from timebank.exchanges import service as exchanges
from timebank.ledger.models import Account, HolderKind
from timebank.members import policy
from timebank.members.models import Person

#: (login role, page, most statements). The demo's resident, broker, organisation admins, funder and admin.
PAGES = [
    # The member's home lists the things they could help with (issue 13, matching.for_me): their profile's
    # facts, the requests and sessions, the roles' abilities, the category tree, the askers and the weights,
    # 12 → 16 (with 3 more for a bank's clearances when something that fits them needs one). Its first screen
    # (issue 15): their accounts, the exchanges waiting for their answer, the names in them, their sessions
    # coming up (their accounts read once, for the page), 16 → 19.
    ("resident", "/", 19),
    ("resident", "/exchanges", 13),
    ("resident", "/exchanges/pending", 12),
    ("resident", "/listings", 20),
    ("resident", "/listings/mine", 13),
    ("resident", "/activities", 29),
    ("resident", "/people", 26),
    # A page of notices loads each kind's subjects once: "how did it go?" (issue 14) reads the exchanges'
    # confirmers and the sessions' activities, 8 → 10.
    ("resident", "/notices", 10),
    ("resident", "/calendar", 13),
    ("resident", "/api-tokens", 7),
    # The forms that choose a member search for them (member pickers) rather than list the bank.
    ("resident", "/exchanges/new", 5),
    # The broker's home counts the benefit flags waiting in their banks: one aggregate (issue 12), 15 → 16.
    ("broker", "/", 16),
    ("broker", "/exchanges", 13),
    ("broker", "/exchanges?state=pending", 13),
    ("broker", "/disputes", 14),
    ("broker", "/applications", 13),
    ("broker", "/imports", 12),
    ("broker", "/money", 22),
    ("broker", "/people", 24),
    # Issue 15: the main pages of every role have a cap each (today's count and a little room).
    ("broker", "/brokerage", 48),
    ("broker", "/introductions", 6),
    # The flag queue logs the flags it shows in one statement (a row each, one INSERT).
    ("broker", "/benefits/queue", 24),
    ("broker", "/reports", 6),
    ("broker", "/reports/banks/1", 34),
    # An organisation admin's home adds the next steps (as a resident's) and the organisation's week: names,
    # sessions with places booked, volunteers and hours this month, in-kind contributions this year, 12 → 15.
    # Both demo organisations are spend partners: their open spend offers, each with how many were taken up
    # this month, and their latest credits spent, with the members' names, 15 → 17.
    ("charity", "/", 17),
    ("charity", "/exchanges", 9),
    ("charity", "/activities", 16),
    ("council", "/", 17),
    ("council", "/activities", 16),
    ("council", "/calendar", 7),
    ("council", "/money", 16),
    ("council", "/money/expenses/new", 12),
    ("funder", "/", 10),
    ("funder", "/reports", 5),
    ("funder", "/programmes", 6),
    ("funder", "/reports/programmes/1", 42),
    # An admin's home adds the banks' staff by role, the newest failed or running jobs and the audit log's
    # newest events with who did them: 11 → 14.
    ("admin", "/", 14),
    ("admin", "/exchanges", 11),
    ("admin", "/jobs", 6),
    ("admin", "/funders", 5),
]


def _login(session: Session, role: str) -> Person:
    email = next(login.email for login in demo.LOGINS if login.role == role)
    return session.scalar(sa.select(Person).where(Person.email == email))


@pytest.fixture
def signed_in(demo_app: Flask, demo_session: Session):
    def sign_in(role: str) -> FlaskClient:
        client = demo_app.test_client()
        person = _login(demo_session, role)
        response = client.post("/sign-in", data={"email": person.email, "password": data.DEMO_PASSWORD})
        assert response.status_code == 302
        return client

    return sign_in


def _statements(session: Session, client: FlaskClient, path: str) -> list[str]:
    session.expire_all()  # each request loads what it needs, as it would in its own session
    with statements_sent(session.connection()) as sent:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [s[:120].replace("\n", " ") for s in sent]


def _more_to_see(session: Session, role: str, count: int = 50) -> None:
    """``count`` more exchanges on one of the viewer's accounts (staff without one: on the resident's, in
    their bank), half of them confirmed, the rest waiting for the viewer's side."""
    viewer = _login(session, role)
    own = policy.own_accounts(session, viewer)
    holder = viewer if own else _login(session, "resident")
    mine = own[0] if own else policy.own_accounts(session, holder)[0]
    other = session.scalar(sa.select(Account).where(Account.time_bank_id == mine.time_bank_id,
                                                    Account.holder_kind == HolderKind.RESIDENT,
                                                    Account.holder_id.not_in([holder.id, viewer.id])).limit(1))
    counterpart = session.get(Person, other.holder_id)
    for n in range(count):
        exchange, _ = exchanges.propose(session, counterpart, exchanges.Proposal(
            account_id=other.id, side=(exchanges.Side.GIVER, exchanges.Side.RECEIVER)[n // 2 % 2],
            counterpart_account_id=mine.id, minutes=5,
            occurred_on=dt.date.today() - dt.timedelta(days=n % 20), category="gardening", description="",
            idempotency_key=uuid.uuid4().hex))
        if n % 2:
            exchanges.confirm(session, holder, exchange.id)
    session.flush()


@pytest.mark.parametrize(("role", "path", "cap"), PAGES)
def test_a_page_sends_a_bounded_number_of_statements(demo_session, signed_in, role, path, cap):
    client = signed_in(role)
    _statements(demo_session, client, path)  # the first request warms caches
    before = _statements(demo_session, client, path)
    _more_to_see(demo_session, role)
    # Confirming asks how it went, queueing an email's job in a savepoint, whose release forgets the access the
    # first request cached: warm it again, as for ``before``.
    _statements(demo_session, client, path)
    after = _statements(demo_session, client, path)
    assert len(after) == len(before), "\n".join(difflib.unified_diff(before, after, lineterm=""))
    assert len(before) <= cap, "\n".join(before)


#: The most HTML a page may send (issue 15): a phone on a slow connection still gets it in a few seconds.
MAX_HTML_BYTES = 100 * 1024


@pytest.mark.parametrize(("role", "path"), [getattr(page, "values", page)[:2] for page in PAGES])
def test_a_page_is_light(demo_session, signed_in, role, path):
    response = signed_in(role).get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response.mimetype == "text/html"
    size = len(response.get_data())
    assert size <= MAX_HTML_BYTES, f"{path} as {role} sends {size:,} bytes of HTML (at most {MAX_HTML_BYTES:,})"
