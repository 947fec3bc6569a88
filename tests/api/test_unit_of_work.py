"""One unit of work per API request: the blueprint commits once, after the route returned.

The routes here are registered on an app of their own (which, unlike the test app, answers exceptions as
production does rather than handing them to the test). Each flushes a notice and then succeeds, refuses,
or meets a commit the database refuses; whether the notice is still there afterwards says whether the
work was kept. (The test's transaction is shared through savepoints, so a commit here is undone when the
test ends.)
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests.api.support import assert_problem
from tests.conftest import Backend, make_app
from timebank.api.core import ApiBlueprint
from timebank.db import db, writes
from timebank.errors import Conflict, keeping_work
from timebank.members.models import Person
from timebank.notices.models import Notice, NoticeKind

KEY = "unit-of-work"


def _flush_a_notice(person_id: int, key: str = KEY) -> None:
    db.session.add(Notice(person_id=person_id, kind=NoticeKind.LISTING_REVIEW, subject_id=1, key=key))
    db.session.flush()


class _SerializationFailure(Exception):
    """What psycopg raises when PostgreSQL gives up a transaction that overlapped another."""

    sqlstate = "40001"


def _app_with_routes(backend: Backend) -> Flask:
    app = make_app(backend)
    app.config.update(PROPAGATE_EXCEPTIONS=False)
    bp = ApiBlueprint("unit_of_work", __name__, url_prefix="/api/v1/unit-of-work")

    @bp.route("/<int:person_id>/<how>", methods=["POST"])
    def write(person_id: int, how: str) -> dict[str, str]:
        _flush_a_notice(person_id)
        if how == "refused":
            raise Conflict("Refused after flushing.")
        if how == "refused-but-recorded":
            raise keeping_work(Conflict("Refused, and the refusal is a record."))
        if how == "clashes-at-commit":  # not flushed: the commit's own flush breaks the UNIQUE key
            for _ in range(2):
                db.session.add(Notice(person_id=person_id, kind=NoticeKind.LISTING_REVIEW, subject_id=2, key="twice"))
        return {"done": how}

    @bp.route("/<int:person_id>/read")
    def read(person_id: int) -> dict[str, str]:
        _flush_a_notice(person_id)  # a GET that writes without the mark: its write is not kept
        return {"done": "read"}

    @bp.route("/<int:person_id>/audited-read")
    @writes
    def audited_read(person_id: int) -> dict[str, str]:
        _flush_a_notice(person_id)
        return {"done": "audited read"}

    app.register_blueprint(bp)
    return app


@pytest.fixture
def api(backend: Backend, db_session: Session, make_person: Callable[..., Person]) -> tuple[FlaskClient, int]:
    person = make_person("Uned Gwaith")
    db_session.commit()
    return _app_with_routes(backend).test_client(), person.id


def _kept(db_session: Session, person_id: int) -> bool:
    return db_session.scalar(sa.select(Notice.id).where(Notice.person_id == person_id, Notice.key == KEY)) is not None


def test_a_route_that_returns_is_committed(api, db_session) -> None:
    client, person_id = api

    assert client.post(f"/api/v1/unit-of-work/{person_id}/ok").get_json() == {"done": "ok"}
    assert _kept(db_session, person_id)


def test_a_refusal_is_rolled_back_and_answered_as_a_problem(api, db_session) -> None:
    client, person_id = api

    body = assert_problem(client.post(f"/api/v1/unit-of-work/{person_id}/refused"), 409)
    assert body["code"] == "conflict" and body["detail"] == "Refused after flushing."
    assert not _kept(db_session, person_id)


def test_a_refusal_whose_record_is_kept_commits_first(api, db_session) -> None:
    client, person_id = api

    assert assert_problem(client.post(f"/api/v1/unit-of-work/{person_id}/refused-but-recorded"), 409)
    assert _kept(db_session, person_id)


def test_a_commit_the_database_refuses_is_a_problem_and_nothing_is_saved(api, db_session) -> None:
    client, person_id = api

    body = assert_problem(client.post(f"/api/v1/unit-of-work/{person_id}/clashes-at-commit"), 409)
    assert body["code"] == "not-saved" and "nothing was saved" in body["detail"]
    assert not _kept(db_session, person_id)


def test_a_serialization_failure_at_commit_is_a_problem_and_nothing_is_saved(api, db_session, monkeypatch) -> None:
    client, person_id = api

    def commit() -> None:
        raise OperationalError("COMMIT", None, _SerializationFailure("could not serialize access"))

    monkeypatch.setattr(db.session, "commit", commit)
    body = assert_problem(client.post(f"/api/v1/unit-of-work/{person_id}/ok"), 409)
    monkeypatch.undo()
    assert body["code"] == "not-saved"
    assert not _kept(db_session, person_id)


def test_any_other_failure_at_commit_is_a_500_problem_never_a_success(api, db_session, monkeypatch) -> None:
    client, person_id = api

    def commit() -> None:
        raise OperationalError("COMMIT", None, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(db.session, "commit", commit)
    body = assert_problem(client.post(f"/api/v1/unit-of-work/{person_id}/ok"), 500)
    monkeypatch.undo()
    assert body["code"] == "internal-server-error"
    assert not _kept(db_session, person_id)


@pytest.mark.parametrize(("route", "kept"), [("read", False), ("audited-read", True)])
def test_a_get_commits_only_when_marked_as_writing(api, db_session, route, kept) -> None:
    client, person_id = api

    assert client.get(f"/api/v1/unit-of-work/{person_id}/{route}").status_code == 200
    assert _kept(db_session, person_id) is kept


def test_every_route_that_writes_documents_the_409_of_a_refused_commit(client) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                assert "409" in operation["responses"], (method, path)
