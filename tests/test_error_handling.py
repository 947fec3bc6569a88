"""No failure answers anything but the error page or a problem document: never werkzeug's own page.

The views here break things on purpose: invalid SQL (on PostgreSQL it aborts the transaction), a flush
that fails (the session then refuses every query until rolled back), a refusal raised after such a
flush. They are registered on an app of their own that, unlike the test app, does not hand exceptions
to the test but answers them as production does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tests.api.support import assert_problem
from tests.conftest import PASSWORD, Backend, make_app
from tests.security_headers import missing_security_headers
from timebank.api.auth import token_required
from timebank.auth import tokens
from timebank.db import db
from timebank.errors import Conflict
from timebank.members.models import Language, Person
from timebank.notices.models import Notice, NoticeKind


def _fail(how: str, person_id: int) -> None:
    if how == "invalid-sql":
        db.session.execute(sa.text("SELECT no_such_column FROM people"))
    try:
        for _ in range(2):  # one key twice: the UNIQUE constraint fails the flush
            db.session.add(Notice(person_id=person_id, kind=NoticeKind.LISTING_REVIEW, subject_id=1, key="twice"))
        db.session.flush()
    except IntegrityError:
        if how == "refused-after-failed-flush":
            raise Conflict("Those two notices clash.") from None
        raise


def _failing_app(backend: Backend, **settings: Any) -> Flask:
    app = make_app(backend)
    app.config.update(PROPAGATE_EXCEPTIONS=False, **settings)
    bp = Blueprint("failing", __name__)

    @bp.route("/failing/<how>")
    def page(how: str) -> str:
        _fail(how, current_user.id)
        return "not reached"

    @bp.route("/api/v1/failing/<how>")
    @token_required
    def api(how: str, actor: Person) -> str:
        _fail(how, actor.id)
        return "not reached"

    app.register_blueprint(bp)
    return app


@pytest.fixture
def failing(backend: Backend, db_session: Session,
            make_person: Callable[..., Person]) -> tuple[FlaskClient, FlaskClient, dict[str, str]]:
    """A page client signed in as a Welsh speaker (so even choosing the language reads the database), an
    API client, and her token."""
    person = make_person("Gwen Methiant", preferred_language=Language.WELSH)
    token, _ = tokens.issue_token(db_session, person, dt.timedelta(hours=1))
    db_session.commit()
    app = _failing_app(backend)
    pages = app.test_client()
    assert pages.post("/sign-in", data={"email": person.email, "password": PASSWORD}).status_code == 302
    return pages, app.test_client(), {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("how", ["invalid-sql", "failed-flush"])
def test_a_view_that_breaks_the_session_gets_the_error_page(failing, how) -> None:
    pages, _api, _headers = failing

    response = pages.get(f"/failing/{how}")

    assert response.status_code == 500
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "<title>Sorry, something went wrong – Time bank</title>" in text  # our page, not werkzeug's
    assert 'action="/sign-out"' in text  # still signed in, though nothing was read to say so
    assert missing_security_headers(response) == []


@pytest.mark.parametrize("how", ["invalid-sql", "failed-flush"])
def test_an_api_call_that_breaks_the_session_gets_a_problem(failing, how) -> None:
    _pages, api, headers = failing

    response = api.get(f"/api/v1/failing/{how}", headers=headers)

    assert assert_problem(response, 500)["code"] == "internal-server-error"
    assert missing_security_headers(response) == []


def test_a_refusal_after_a_failed_flush_gets_its_own_page_and_problem(failing) -> None:
    pages, api, headers = failing

    response = pages.get("/failing/refused-after-failed-flush")
    assert response.status_code == 409 and response.mimetype == "text/html"
    assert "Those two notices clash." in response.get_data(as_text=True)
    # The session was rolled back before the page was made, so the page could still use the database:
    # it is in her language.
    assert 'lang="cy"' in response.get_data(as_text=True)

    body = assert_problem(api.get("/api/v1/failing/refused-after-failed-flush", headers=headers), 409)
    assert body["code"] == "conflict" and body["detail"] == "Those two notices clash."


def test_when_even_the_error_page_fails_a_fixed_problem_answers(backend: Backend, db_session: Session) -> None:
    app = _failing_app(backend)

    @app.context_processor
    def broken() -> dict[str, Any]:  # every page, the error page too, fails to render
        raise RuntimeError("a bug in a template helper")

    response = app.test_client().get("/sign-in")

    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == {"type": "about:blank", "title": "Sorry, something went wrong", "status": 500}
    assert missing_security_headers(response) == []
