"""The database: declarative base with a naming convention, the Flask-SQLAlchemy handle, the
per-dialect connection set-up that the ledger's locking relies on, and the one commit of a unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: The attribute ``writes`` sets on a view function.
_WRITES = "timebank_writes"

V = TypeVar("V", bound=Callable[..., Any])


def writes(view: V) -> V:
    """Mark a view that writes although its HTTP method only reads: a download that records an audit
    row, a page that marks something seen. Put it right under the route decorator. On SQLite such a
    request begins ``IMMEDIATE`` like any POST (see ``request_writes``); ``tests/permissions`` fails for
    a GET that writes without it."""
    setattr(view, _WRITES, True)
    return view


def marked_writes(view: Callable[..., Any] | None) -> bool:
    """Whether ``view`` is marked with ``writes``."""
    return getattr(view, _WRITES, False)


def request_writes() -> bool:
    """Whether the current request may write: any method but GET, HEAD and OPTIONS, or a view marked
    with ``writes``. Outside a request (CLI commands, tests, the seed) the answer is yes."""
    if not has_request_context() or request.method not in READ_ONLY_METHODS:
        return True
    return marked_writes(current_app.view_functions.get(request.endpoint or ""))


def _sqlite_begin_statement() -> str:
    """SQLite has no row locks, so a transaction that may write starts with ``BEGIN IMMEDIATE``: it
    takes the write lock before its first read, and a read-then-write (check the floor, then post)
    can never be overtaken. A deferred transaction that has read cannot take the write lock while
    another connection writes: SQLite refuses at once, without waiting. So only requests that cannot
    write start deferred, and readers never queue behind writers."""
    return "BEGIN IMMEDIATE" if request_writes() else "BEGIN"


def configure_engine(engine: sa.Engine) -> None:
    """Attach per-dialect behaviour to an engine (the app's, a test's or a worker thread's)."""
    if engine.dialect.name == "postgresql":

        @sa.event.listens_for(engine, "checkout")
        def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            # A request that cannot write reads without a transaction: no BEGIN before its first query and
            # no ROLLBACK after its last, two round trips of the few it makes. It sees nothing less
            # consistent: under READ COMMITTED every statement takes its own snapshot anyway, and such a
            # request neither locks nor writes (a read that writes is marked ``writes``). Anything else,
            # outside a request too, runs in a transaction as usual.
            dbapi_connection.autocommit = not request_writes()

        return
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so BEGIN, SAVEPOINT and RELEASE behave.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql(_sqlite_begin_statement())


def init_app(app: Any) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)


#: PostgreSQL's class 40, "transaction rollback": a serialization failure (40001) or deadlock (40P01).
_TRANSACTION_ROLLBACK = "40"


def _transaction_rolled_back(error: OperationalError) -> bool:
    state = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None) or ""
    return str(state).startswith(_TRANSACTION_ROLLBACK)


def commit() -> None:
    """The one commit of a unit of work, for pages, the API and the CLI alike. If the database refuses it
    because of other work (a serialization failure or deadlock, a constraint checked only at commit), the
    answer is ``errors.NotSaved``, a 409; any other failure (the connection lost) propagates as a 500.
    Either way nobody hears of work that was not kept."""
    from timebank.errors import NotSaved  # errors imports this module, so not at the top

    try:
        db.session.commit()
    except IntegrityError as error:
        raise NotSaved() from error
    except OperationalError as error:
        if _transaction_rolled_back(error):
            raise NotSaved() from error
        raise


@contextmanager
def transaction(*, keep: bool = True) -> Iterator[None]:
    """One unit of work: services only flush, and this commits once, when the block ends. If anything in
    the block raises, everything it flushed is rolled back and the error goes on. ``keep=False`` rolls
    back at the end all the same: a dry run.

    Pages with a form use ``forms.unit_of_work``, which adds showing a refusal on the form; CLI
    commands, pages that write with no form to show a refusal on (their refusals are error pages) and the
    streamed import page use this directly."""
    try:
        yield
    except BaseException:  # a closed stream (GeneratorExit) or Ctrl-C too: nothing half-done is kept
        db.session.rollback()
        raise
    if keep:
        commit()
    else:
        db.session.rollback()


T = TypeVar("T")


def add_once(session: Session, row: T, earlier: Callable[[], T | None]) -> tuple[T, bool]:
    """Insert ``row`` unless ``earlier()`` finds the row an earlier request with the same idempotency key
    made; return ``(row, created)``. Under a race the UNIQUE constraint on the key decides, and the loser
    gets the winner's row back. ``earlier`` is the lookup by key (and by creator or parent)."""
    found = earlier()
    if found is not None:
        return found, False
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        found = earlier()
        if found is None:
            raise
        return found, False
    return row, True
