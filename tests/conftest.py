"""Test harness: every database test runs on SQLite and, when configured, on PostgreSQL.

* Each kind of database is built once per run (per xdist worker) **by the migrations** (a fresh SQLite
  file; a fresh PostgreSQL database, dropped afterwards), and copied for the suite's app and for anything
  that needs a database of its own. The demo bank is loaded once per kind the same way (``demo_template``).
* Each test runs inside a transaction that is rolled back; the app's session joins it through
  savepoints, so views may commit.
* After every database test the ledger invariants are checked (``ledger verify``): a test that leaves
  the books inconsistent fails even if its own assertions pass. Tests that tamper on purpose use the
  ``tampers`` marker.
* Factories are fixtures that return callables.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request
from flask.testing import FlaskClient
from hypothesis import settings
from openapi_schema_validator import OAS30Validator
from sqlalchemy.orm import Session

import config
from tests.jobs.support import drop_queued_messages
from tests.support import app_sessions_on, assert_books_verify, service_url
from timebank import create_app
from timebank.auth.passwords import hash_password
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.db import configure_engine, db
from timebank.demo import service as demo_service
from timebank.demo.cli import demo_command
from timebank.demo.service import DemoSummary
from timebank.ledger.models import Account
from timebank.members import service as members
from timebank.members.models import BankRoleName, Organisation, OrganisationType, Person

POSTGRES_URL_VAR = "TIMEBANK_TEST_POSTGRES_URL"
#: Every database test runs on each (``--database`` chooses one).
DATABASES = ("sqlite", "postgresql")
PASSWORD = "correct horse battery staple"


#: Hypothesis profiles, chosen by ``HYPOTHESIS_PROFILE`` (README, "Testing: time, workers and profiles"):
#: ``dev`` by default, ``ci`` in ``.ci/run``, ``thorough`` for a long run now and then. A property test runs
#: its share of ``max_examples`` (``tests.support.examples``); a plain ``@given`` runs them all.
settings.register_profile("dev", max_examples=50)
settings.register_profile("ci", max_examples=100)  # Hypothesis' own default: the counts the tests were written with
settings.register_profile("thorough", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "tampers: the test breaks the books on purpose; skip the verify")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--database", choices=DATABASES, default=None,
                     help="run the database tests on this kind of database only (the others run as usual)")


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--database KIND`` leaves out the database tests on the other kind. Under pytest-xdist with
    ``--dist loadgroup`` (``make test``), the tests that use the demo bank on one kind of database run in one
    worker, so each run loads the demo once per kind (``demo_template``)."""
    only = config.getoption("database")
    kept, left_out = [], []
    for item in items:
        kind = _database_of(item)
        if only and kind and kind != only:
            left_out.append(item)
            continue
        kept.append(item)
        if kind and "demo_template" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(f"demo-{kind}"))
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def _database_of(item: pytest.Item) -> str | None:
    """The kind of database a test runs on, or ``None`` if it needs none."""
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("migrated_database") if callspec else None


@dataclass
class Backend:
    name: str
    url: str
    engine_options: dict[str, Any]

    def engine(self, **extra: Any) -> sa.Engine:
        engine = sa.create_engine(self.url, **{**self.engine_options, **extra})
        configure_engine(engine)
        return engine


def _reach_postgres(url: str) -> None:
    with sa.create_engine(url).connect() as connection:
        connection.execute(sa.text("SELECT 1"))


def _postgres_url() -> str:
    return service_url(POSTGRES_URL_VAR, "PostgreSQL", _reach_postgres, sa.exc.OperationalError)


def _sqlite_copy(source: Path, target: Path) -> None:
    # SQLite's online backup copies a consistent database whatever its journal (WAL) holds.
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)


@contextmanager
def new_database(kind: str, tmp_path_factory: pytest.TempPathFactory, *,
                 copy_of: Backend | None = None) -> Iterator[Backend]:
    """An empty database, or a copy of ``copy_of`` (which nobody may be connected to while it is copied):
    a new SQLite file, or a new PostgreSQL database (``CREATE DATABASE … TEMPLATE``) on the server of
    ``TIMEBANK_TEST_POSTGRES_URL``, dropped afterwards. A database per run, and per xdist worker, means
    nothing one run does (the seed's ``ANALYZE``, a lock, a commit) reaches another."""
    if kind == "sqlite":
        path = tmp_path_factory.mktemp("db") / "timebank.sqlite"
        if copy_of is not None:
            _sqlite_copy(Path(sa.make_url(copy_of.url).database or ""), path)
        yield Backend("sqlite", f"sqlite:///{path}", {})
        return
    url = sa.make_url(_postgres_url())
    name = f"tb_test_{uuid.uuid4().hex[:12]}"
    template = sa.make_url(copy_of.url).database if copy_of is not None else "template0"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield Backend("postgresql", url.set(database=name).render_as_string(hide_password=False), {})
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def migrate(database: Backend) -> None:
    """Build the schema in ``database`` by the migrations, and leave nobody connected to it."""
    from flask_migrate import upgrade

    application = make_app(database)
    with application.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def migrated_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """A database of each kind built by the migrations, once per run (per xdist worker), for the others to be
    copied from: nobody stays connected to it."""
    with new_database(request.param, tmp_path_factory) as database:
        migrate(database)
        yield database


@pytest.fixture(scope="session")
def backend(migrated_database: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """The suite's database (the ``app``'s): a copy of the migrated one."""
    with new_database(migrated_database.name, tmp_path_factory, copy_of=migrated_database) as database:
        yield database


def make_app(backend: Backend, **overrides: Any) -> Flask:
    """The app on the backend, with the testing settings and any ``overrides`` (setting name → value)."""
    settings = config.TestingConfig()
    settings.SQLALCHEMY_DATABASE_URI = backend.url
    settings.SQLALCHEMY_ENGINE_OPTIONS = backend.engine_options
    for name, value in overrides.items():
        setattr(settings, name, value)
    application = create_app(settings)

    @application.teardown_request
    def _forget_request_state(_error: BaseException | None) -> None:
        # A test keeps one app context across its requests, so ``g`` would carry one request's caches
        # (Flask-Login's signed-in user, Flask-Babel's locale) into the next, as no real request does.
        for name in list(vars(g)):
            delattr(g, name)

    application.after_request(_note_undocumented_answer)
    return application


#: API answers, in any test, whose status the route's OpenAPI operation does not list (see ``db_session``).
UNDOCUMENTED_ANSWERS: list[str] = []


def _note_undocumented_answer(response: Response) -> Response:
    """Every status an API route really gives must be in the served document, and every body it returns
    must match the schema documented for that status, so clients and fuzzers can rely on the document:
    each test's answers are checked against it as they happen."""
    rule = request.url_rule
    if rule is None or not rule.rule.startswith("/api/v1/") or rule.endpoint == "api-docs.openapi_json":
        return response
    document = _document(current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"])
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
    operation = document["paths"].get(path, {}).get(request.method.lower())
    if operation is None:
        # A route a test registered for itself, or the OPTIONS and HEAD Flask answers for every route (every
        # real route and method is in the document: tests/api/test_openapi).
        return response
    answer = f"{request.method} {rule.rule} answered {response.status_code}"
    documented = operation["responses"].get(str(response.status_code))
    if documented is None:
        UNDOCUMENTED_ANSWERS.append(answer)
        return response
    if "$ref" in documented:
        documented = document["components"]["responses"][documented["$ref"].rsplit("/", 1)[1]]
    content = documented.get("content", {}).get(response.mimetype)
    if content is None:
        if response.status_code != 204:
            UNDOCUMENTED_ANSWERS.append(f"{answer} as {response.mimetype}")
        return response
    validator = OAS30Validator({**content["schema"], "components": document["components"]})
    for error in validator.iter_errors(response.get_json()):
        UNDOCUMENTED_ANSWERS.append(f"{answer} with {'.'.join(map(str, error.absolute_path))}: {error.message}")
    return response


@functools.cache
def _document(api: Any) -> dict[str, Any]:
    return api.spec.to_dict()


#: Set in the suite's own app: its database holds no committed bank when a test starts (``db_session``).
EMPTY_AT_START = "TESTS_DATABASE_EMPTY_AT_START"


@pytest.fixture(scope="session")
def app(backend: Backend) -> Flask:
    """The app on a schema built by the migrations, and nothing committed in it (a directory whose tests share
    a committed world overrides this fixture: ``tests/permissions``)."""
    application = make_app(backend)
    application.config[EMPTY_AT_START] = True
    return application


@pytest.fixture(scope="session")
def app_on_own_database(
    migrated_database: Backend, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., AbstractContextManager[Flask]]:
    """``app_on_own_database(copy_of=None, **overrides)``: another app, on a database of its own of the same
    kind, built by the migrations (a copy of ``migrated_database``) or a copy of ``copy_of``
    (``demo_template.database``, say), with any settings ``overrides`` (``make_app``): for tests whose requests
    commit for real. The database is gone when the ``with`` block ends."""

    @contextmanager
    def open_app(copy_of: Backend | None = None, **overrides: Any) -> Iterator[Flask]:
        source = copy_of or migrated_database
        with new_database(source.name, tmp_path_factory, copy_of=source) as database:
            application = make_app(database, **overrides)
            try:
                yield application
            finally:
                with application.app_context():
                    db.engine.dispose()

    return open_app


@contextmanager
def _session_rolled_back(application: Flask, request: pytest.FixtureRequest) -> Iterator[Session]:
    """A session inside a transaction on ``application``'s database that is rolled back after the test; the
    app uses it too. Afterwards, every API answer was one the OpenAPI document lists, and the books verify."""
    with application.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        UNDOCUMENTED_ANSWERS.clear()
        try:
            with app_sessions_on(connection):
                session = db.session()
                yield session
                assert not UNDOCUMENTED_ANSWERS, "answers the OpenAPI document does not list: " + "; ".join(
                    sorted(set(UNDOCUMENTED_ANSWERS)))
                if request.node.get_closest_marker("tampers") is None:
                    assert_books_verify(session)
        finally:
            outer.rollback()
            connection.close()
            # A committed request's jobs sent their messages to the in-memory broker: gone with the rows.
            drop_queued_messages()


@pytest.fixture
def db_session(app: Flask, request: pytest.FixtureRequest) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test; the app uses it too. The suite's
    database holds no time bank when it starts: a test that commits for real does so on a database of its own
    (``app_on_own_database``), or what it left would be seen by the tests after it (an admin sees every bank)."""
    with _session_rolled_back(app, request) as session:
        if app.config.get(EMPTY_AT_START):
            left = session.scalars(sa.select(TimeBank.name)).all()
            assert not left, f"a test before this one committed time banks on the suite's database: {left}"
        yield session


# --- the demo bank ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoTemplate:
    """The demo bank, loaded once per run and database kind by ``flask demo`` into a database of its own."""

    #: The database holding it, committed, for ``app_on_own_database(copy_of=…)``; nobody stays connected.
    database: Backend
    #: What ``demo.load_demo`` returned when it loaded it.
    summary: DemoSummary
    #: What ``flask demo`` printed then.
    output: str


@pytest.fixture(scope="session")
def demo_template(migrated_database: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoTemplate]:
    """Loading the demo takes longer than most test files: it is loaded once (by the command a developer
    runs) and each test that needs it gets a copy (``app_on_own_database``) or a rolled-back transaction
    on one (``demo_session``)."""
    with new_database(migrated_database.name, tmp_path_factory, copy_of=migrated_database) as database:
        application = make_app(database)
        summaries: list[DemoSummary] = []
        load = demo_service.load_demo

        def load_and_keep(*args: Any, **kw: Any) -> DemoSummary:
            summaries.append(load(*args, **kw))
            return summaries[-1]

        with pytest.MonkeyPatch.context() as patch, application.app_context():
            patch.setattr(demo_service, "load_demo", load_and_keep)
            result = application.test_cli_runner().invoke(demo_command)
            db.engine.dispose()
        assert result.exit_code == 0 and len(summaries) == 1, result.output
        yield DemoTemplate(database, summaries[0], result.output)


@pytest.fixture(scope="session")
def demo_app(demo_template: DemoTemplate,
             app_on_own_database: Callable[..., AbstractContextManager[Flask]]) -> Iterator[Flask]:
    """The app on a copy of the demo's database, shared by the tests that use ``demo_session``."""
    with app_on_own_database(copy_of=demo_template.database) as application:
        yield application


@pytest.fixture
def demo_session(demo_app: Flask, request: pytest.FixtureRequest) -> Iterator[Session]:
    """``db_session``, on ``demo_app``: the demo bank is there, and whatever the test does is rolled back."""
    with _session_rolled_back(demo_app, request) as session:
        yield session


@pytest.fixture
def client(app: Flask, db_session: Session) -> FlaskClient:
    return app.test_client()


# --- factories -------------------------------------------------------------------------------------


#: The day the test banks' books open: they kept records on paper long before, so a test may date what
#: happened in them any day since (tests of the opening day itself choose their own).
TEST_BANKS_OPENED_ON = dt.date(2000, 1, 1)


@pytest.fixture
def make_bank(db_session: Session) -> Callable[..., TimeBank]:
    def make(slug: str | None = None, name: str = "Test Vale Time Bank", *,
             opened_on: dt.date = TEST_BANKS_OPENED_ON) -> TimeBank:
        slug = slug or f"bank-{uuid.uuid4().hex[:8]}"
        return banks.create_bank(db_session, slug=slug, name=name, agency_name="Test Vale Action", actor_id=None,
                                 opened_on=opened_on)

    return make


@pytest.fixture
def make_person(db_session: Session) -> Callable[..., Person]:
    def make(name: str = "Test Person", *, email: str | None = "", password: str = PASSWORD, **kw: Any) -> Person:
        if email == "":
            email = f"{uuid.uuid4().hex[:10]}@example.org"
        return members.create_person(db_session, display_name=name, email=email,
                                     password_hash=hash_password(password) if email and password else None, **kw)

    return make


@pytest.fixture
def make_member(db_session: Session, make_person: Callable[..., Person]) -> Callable[..., tuple[Person, Account]]:
    """A resident with an account in the bank."""

    def make(bank: TimeBank, name: str = "Test Member", **kw: Any) -> tuple[Person, Account]:
        person = make_person(name, **kw)
        return person, members.join_bank(db_session, person, bank.id, actor_id=None)

    return make


@pytest.fixture
def make_organisation(db_session: Session) -> Callable[..., tuple[Organisation, Account]]:
    def make(bank: TimeBank, name: str = "Test Charity", *, admins: tuple[Person, ...] = (),
             organisation_type: OrganisationType = OrganisationType.CHARITY) -> tuple[Organisation, Account]:
        organisation = members.create_organisation(
            db_session, display_name=name, organisation_type=organisation_type,
            admin_ids=tuple(p.id for p in admins),
        )
        return organisation, members.join_bank(db_session, organisation, bank.id, actor_id=None)

    return make


@pytest.fixture
def make_broker(db_session: Session, make_person: Callable[..., Person]) -> Callable[..., Person]:
    def make(bank: TimeBank, name: str = "Test Broker") -> Person:
        person = make_person(name)
        banks.grant_role(db_session, time_bank_id=bank.id, person_id=person.id, role=BankRoleName.BROKER,
                         actor_id=None)
        return person

    return make


@pytest.fixture
def sign_in(client: FlaskClient) -> Callable[[Person], FlaskClient]:
    def sign_in_as(person: Person) -> FlaskClient:
        response = client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in_as


@pytest.fixture
def bank(make_bank: Callable[..., TimeBank]) -> TimeBank:
    return make_bank(name="Hollinbridge Time Bank")


@pytest.fixture
def broker(make_broker: Callable[..., Person], bank: TimeBank) -> Person:
    return make_broker(bank, "Nia Broker")


@pytest.fixture
def as_person(client: FlaskClient, sign_in: Callable[[Person], FlaskClient]) -> Callable[[Person], FlaskClient]:
    """Sign out whoever is signed in on the shared client, then sign in as this person."""

    def switch(person: Person) -> FlaskClient:
        client.post("/sign-out")
        return sign_in(person)

    return switch


@pytest.fixture
def browser(app: Flask, db_session: Session) -> Callable[[Person | None], FlaskClient]:
    """A browser of one's own (its own cookies), signed in as the person, or anonymous for ``None``.
    What the test set up so far is committed first, so a page that rolls back keeps it."""

    def open_as(person: Person | None) -> FlaskClient:
        db_session.commit()
        client = app.test_client()
        if person is not None:
            response = client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return open_as


@pytest.fixture
def today() -> dt.date:
    from timebank.clock import uk_today

    return uk_today()
