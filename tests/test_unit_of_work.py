"""One unit of work per request: pages commit only through ``forms.unit_of_work`` (or, with no form to
answer on, ``db.transaction``), CLI commands through ``db.transaction``. The helper commits what the
block flushed, or rolls all of it back and shows the service's refusal on the form."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, redirect
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from wtforms import HiddenField, StringField

import timebank
from tests.conftest import Backend, make_app
from timebank.audit import service as audit
from timebank.audit.models import AuditEvent
from timebank.db import db, transaction
from timebank.errors import Conflict, DomainError, Forbidden, NotFound
from timebank.forms import ServiceForm, unit_of_work

PACKAGE = Path(timebank.__file__).parent
#: Where ``.commit()`` may be written, and why.
MAY_COMMIT = {
    "db.py": "the one commit of every unit of work (db.commit), for pages, the API and the CLI",
}


def _may_commit(path: Path) -> bool:
    return str(path.relative_to(PACKAGE)) in MAY_COMMIT


def _commit_lines(source: str) -> list[int]:
    """The lines that call a ``commit`` attribute, however it is reached (``db.session``, a session)."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"]


def test_nothing_commits_by_hand():
    """Views, CLI commands and services never call ``.commit()``: services flush, and a page or command
    commits once, through the helper."""
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}" for path in sorted(PACKAGE.rglob("*.py"))
             if not _may_commit(path) for line in _commit_lines(path.read_text(encoding="utf-8"))]
    assert found == [], "commit through forms.unit_of_work or db.transaction instead: " + ", ".join(found)


def test_the_check_sees_every_kind_of_commit():
    source = "def page():\n    db.session.commit()\n    session().commit()\n    db.session.flush()\n"
    assert _commit_lines(source) == [2, 3]


# --- the helper --------------------------------------------------------------------------------------


class NameForm(ServiceForm):
    name = StringField("Name")
    reference = HiddenField()

    SERVICE_FIELDS = {"display_name": "name"}


@pytest.fixture
def request_context(app: Flask, db_session: Session) -> Iterator[None]:
    with app.test_request_context(method="POST", data={"name": "Aled", "reference": "r1"}):
        yield


@pytest.fixture
def form(request_context: None) -> NameForm:
    form = NameForm()
    assert form.validate()  # as a view's validate_on_submit does, before the service is called
    return form


def _record(action: str) -> None:
    audit.record(db.session, action, actor_id=None, subject_type="test")


def _recorded(action: str) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == action)) == 1


def test_done_is_committed(form):
    with unit_of_work(form) as work:
        _record("test.done")
    db.session.rollback()  # nothing left to undo: it is committed
    assert work.done and work.error is None and not form.errors
    assert _recorded("test.done")


@pytest.mark.parametrize("field", ["name", "display_name"])
def test_a_refusal_undoes_everything_and_sits_next_to_its_field(form, field):
    refusal = DomainError("That name is taken", field=field)
    with unit_of_work(form) as work:
        _record("test.refused")
        raise refusal
    assert not work.done and work.error is refusal and work.on_field and work.status == 422
    assert form.name.errors == ["That name is taken"] and form.form_errors == []
    assert not _recorded("test.refused")


@pytest.mark.parametrize("field", [None, "colour", "reference"])
def test_a_refusal_about_no_field_the_form_shows_goes_at_the_top_of_the_form(form, field):
    with unit_of_work(form) as work:
        _record("test.refused")
        raise Conflict("Someone changed it first", field=field)
    assert not work.done and not work.on_field and work.status == 409
    assert form.form_errors == ["Someone changed it first"] and form.name.errors == []
    assert not _recorded("test.refused")


@pytest.mark.parametrize("error", [NotFound("No such thing"), Forbidden("Not yours"),
                                   Forbidden("Not yours", field="reference")])
def test_not_found_and_forbidden_go_to_the_error_page(form, error):
    with pytest.raises(type(error)), unit_of_work(form):
        _record("test.refused")
        raise error
    assert not form.errors
    assert not _recorded("test.refused")


def test_not_found_naming_a_field_the_form_shows_is_about_what_was_chosen(form):
    with unit_of_work(form) as work:
        raise NotFound("Choose someone from the list", field="name")
    assert work.on_field and work.status == 404 and form.name.errors == ["Choose someone from the list"]


def test_any_other_error_is_rolled_back_and_goes_on(form):
    with pytest.raises(RuntimeError), unit_of_work(form):
        _record("test.failed")
        raise RuntimeError("the database went away")
    assert not form.errors
    assert not _recorded("test.failed")


def test_a_transaction_commits_or_rolls_back(request_context):
    with transaction():
        _record("test.kept")
    with transaction(keep=False):  # a dry run
        _record("test.dry_run")
    with pytest.raises(Conflict), transaction():
        _record("test.refused")
        raise Conflict()
    db.session.rollback()
    assert _recorded("test.kept")
    assert not _recorded("test.dry_run") and not _recorded("test.refused")


# --- on a page ---------------------------------------------------------------------------------------


@pytest.fixture
def page(backend: Backend, db_session: Session) -> FlaskClient:
    """A page that records the name it is sent, unless the service refuses it."""
    app = make_app(backend)

    @app.route("/test/names", methods=["POST"])
    def add_name() -> object:
        form = NameForm()
        if form.validate_on_submit():
            with unit_of_work(form) as work:
                _record(f"test.name.{form.name.data}")
                if form.name.data == "taken":
                    raise DomainError("That name is taken", field="display_name")
            if work.done:
                return redirect("/test/names")
        return f"<form>{form.name.errors}{form.form_errors}</form>", 422

    return app.test_client()


def test_a_page_redirects_after_its_commit_and_shows_a_refusal_with_422(page: FlaskClient):
    assert page.post("/test/names", data={"name": "free"}).status_code == 302
    refused = page.post("/test/names", data={"name": "taken"})
    assert refused.status_code == 422 and "That name is taken" in refused.get_data(as_text=True)
    assert _recorded("test.name.free") and not _recorded("test.name.taken")
