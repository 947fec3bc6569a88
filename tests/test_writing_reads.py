"""A GET that writes (an audited download) must not fail when another request writes at the same time.

On SQLite a deferred transaction that has read cannot take the write lock while another connection
writes: SQLite refuses at once, and the download was a 500. Views marked ``@writes`` begin ``IMMEDIATE``
and wait their turn instead. (``tests/permissions`` finds every GET that writes; this is the issue's case,
for real: a database file, real commits, threads.) These tests commit, so they make their own people, on a
database of their own.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from flask import Flask

from tests.conftest import PASSWORD
from timebank.auth import tokens
from timebank.auth.passwords import hash_password
from timebank.banks import service as banks
from timebank.db import db
from timebank.members import service as members

READERS = 20


def _committed_members(app: Flask) -> tuple[dict[str, int], dict[str, str]]:
    """Two members of a new bank, committed, with an API token each."""
    with app.app_context():
        bank = banks.create_bank(db.session, slug=f"reads-{uuid.uuid4().hex[:8]}", name="Reads Time Bank",
                                 agency_name="Reads Action", actor_id=None)
        people = {role: members.create_person(db.session, display_name=f"Rhian {role.title()}",
                                               email=f"{role}-{uuid.uuid4().hex[:8]}@example.org",
                                               password_hash=hash_password(PASSWORD))
                  for role in ("reader", "writer")}
        for person in people.values():
            members.join_bank(db.session, person, bank.id, actor_id=None)
        issued = {role: tokens.issue_token(db.session, person, dt.timedelta(hours=1))[0]
                  for role, person in people.items()}
        ids = {role: person.id for role, person in people.items()}
        db.session.commit()
        db.session.remove()
    return ids, issued


@pytest.fixture
def app(app_on_own_database: Callable[..., AbstractContextManager[Flask]]) -> Iterator[Flask]:
    """An app on a database of its own: these tests commit, and what they commit must not stay for later tests
    (one that lists every bank would see theirs)."""
    with app_on_own_database() as application:
        yield application


@pytest.mark.slow
def test_twenty_exports_while_someone_saves_their_profile_all_succeed(app: Flask) -> None:
    ids, issued = _committed_members(app)
    stop = threading.Event()
    saves: Counter[int | str] = Counter()
    exports: list[int | str] = []
    barrier = threading.Barrier(READERS)

    def outcome(method: str, path: str, token: str, **kwargs: object) -> int | str:
        try:
            response = app.test_client().open(path, method=method, headers={"Authorization": f"Bearer {token}"},
                                              **kwargs)
        except Exception as error:  # the app under test raises when it would answer 500
            return f"{type(error).__name__}: {error}"
        return response.status_code

    def save_profile() -> None:
        round_ = 0
        while not stop.is_set():
            round_ += 1
            saves[outcome("PUT", f"/api/v1/people/{ids['writer']}/profile", issued["writer"],
                          json={"about": f"Gardening, round {round_}"})] += 1

    def export() -> None:
        barrier.wait()
        for _ in range(3):
            exports.append(outcome("GET", "/api/v1/me/export", issued["reader"]))

    writer = threading.Thread(target=save_profile)
    readers = [threading.Thread(target=export) for _ in range(READERS)]
    writer.start()
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join(timeout=120)
    stop.set()
    writer.join(timeout=120)

    assert Counter(exports) == Counter({200: READERS * 3})
    assert set(saves) == {200} and saves[200] > 0
