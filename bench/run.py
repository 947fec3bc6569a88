"""``make bench``: timebank at the scale of a city, on PostgreSQL, over HTTP, each figure against a baseline
measured in the same run. See bench/README.md.

    .venv/bin/python bench/run.py            # 1,000,000 exchanges among 10,000 members, plus a small bank
    .venv/bin/python bench/run.py --quick    # 50,000 exchanges, short runs: for trying it
    .venv/bin/python bench/run.py --readme   # rewrite README.md's bench table from bench/results/latest.json

It makes a database of its own (``timebank_bench_<pid>``) on the server that ``TIMEBANK_BENCH_POSTGRES_URL``
(or ``TIMEBANK_TEST_POSTGRES_URL``, or postgres@127.0.0.1:5432) names, and drops it, its restored copy and the
pgbench database afterwards. Each in-process step runs in a child process so that its peak memory
(``ru_maxrss``) is its own. Prints one line per figure; exits 1 if any target is missed. Results go to
bench/results/latest.json and latest.svg.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import contextlib
import datetime as dt
import functools
import html
import http.client
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"
sys.path.insert(0, str(ROOT))  # run as a script: make ``config`` and ``timebank`` importable

POSTGRES_VARS = ("TIMEBANK_BENCH_POSTGRES_URL", "TIMEBANK_TEST_POSTGRES_URL")
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
#: The seeds of the two synthetic banks: the big one and the small one (``synthetic-1``, ``synthetic-2``).
BIG, SMALL = 1, 2
BANKS = {"big": BIG, "small": SMALL}
SMALL_MEMBERS, SMALL_EXCHANGES = 100, 1_000
#: This bench's ports: the app, the bare Flask baseline, and the app on the database of the small bank alone.
APP_PORT, BARE_PORT, ALONE_PORT = 5130, 5131, 5132
#: Each figure compared with a baseline is measured in this many rounds, the figure and its baseline taking
#: turns, each round starting one further along (A B C, B C A, C A B), so that neither a machine growing busier
#: or quieter during the run nor going first or last favours one of them; the rounds' results are averaged.
ROUNDS = 3
#: wrk's load, and the record + confirm clients': 16 connections over 2 threads.
CONNECTIONS, THREADS = 16, 2
#: The production gunicorn settings (``timebank/serving.py``, from the environment: 2 x cores + 1 threaded
#: workers unless TIMEBANK_WEB_WORKERS says otherwise), for the app and the baseline alike.
GUNICORN_SETTINGS = ("--config", "python:timebank.serving")
#: The Redis the served app's task queue uses (production under gunicorn needs one; the bench sends no job).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
#: Where the seq-scan check looks: the ledger's big tables.
BIG_TABLES = frozenset({"exchanges", "postings"})


def peak_rss_mb() -> float:
    # Linux reports kilobytes (macOS bytes; this bench targets Linux).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- figures ---------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One line of the report: a value, and where it has one, the baseline measured in the same run, the
    ratio of the two and the target that ratio must meet (``>=`` or ``<=``)."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: float | None = None
    #: ``>=`` (at least the target) or ``<=`` (at most); the ratio is compared, or the value if no baseline.
    compare: str = ">="
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None:
            return None
        return self.value / self.baseline if self.baseline else float("inf")

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            return None
        measured = self.ratio if self.ratio is not None else self.value
        return measured >= self.target if self.compare == ">=" else measured <= self.target

    def line(self) -> str:
        baseline = (f"baseline {_number(self.baseline)} ({self.baseline_name})" if self.baseline is not None
                    else "baseline -")
        ratio = f"ratio {self.ratio:.3f}" if self.ratio is not None else "ratio -"
        target = f"target {self.compare} {self.target:g}" if self.target is not None else "target -"
        verdict = {True: "pass", False: "FAIL", None: "-"}[self.passed]
        note = f"  ({self.note})" if self.note else ""
        return (f"{self.name:<52} {_number(self.value):>12} {self.unit:<14} {baseline:<36} {ratio:<12} "
                f"{target:<14} {verdict}{note}")

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "passed": self.passed}


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.2f}"


# --- steps: each runs in a child process and prints one JSON line ---------------------------------


def _app(url: str) -> Any:
    import config
    from timebank import create_app

    settings = config.TestingConfig()
    settings.SQLALCHEMY_DATABASE_URI = url
    return create_app(settings)


def step_schema(app: Any, _args: argparse.Namespace) -> dict[str, Any]:
    from flask_migrate import upgrade

    started = time.perf_counter()
    upgrade()
    return {"seconds": time.perf_counter() - started}


def step_seed(app: Any, args: argparse.Namespace) -> dict[str, Any]:
    import click

    from timebank.db import db
    from timebank.demo import seed

    started = time.perf_counter()
    with click.progressbar(length=args.exchanges, label=f"  seeding {seed.slug_for(args.bank)}",
                           file=sys.stderr) as bar:
        result = seed.seed(db.session.connection(), members=args.members, exchanges=args.exchanges, seed=args.bank,
                           batch_size=args.batch_size, progress=bar.update)
        db.session.commit()
    seconds = time.perf_counter() - started
    # Statistics and the visibility map as a database in steady state has them, so that what follows measures
    # the app, not autovacuum catching up with the seed (nor plans made from no statistics). Not timed.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
        # And the seed's dirty pages written out now, not by a checkpoint during the timed steps.
        connection.exec_driver_sql("CHECKPOINT")
    return {"seconds": seconds, "members": result.members, "exchanges": result.exchanges, "events": result.events,
            "postings": result.postings, "rows": result.rows, "rows_per_second": result.rows / seconds}


def step_verify(app: Any, _args: argparse.Namespace) -> dict[str, Any]:
    """Every check of ``flask ledger verify``, timed one by one; rows/s over the rows the checks read."""
    import sqlalchemy as sa

    from timebank.db import db
    from timebank.ledger.checks import CHECKS

    rows = db.session.scalar(sa.text("SELECT (SELECT count(*) FROM exchanges) + (SELECT count(*) FROM postings) "
                                     "+ (SELECT count(*) FROM exchange_events) + (SELECT count(*) FROM accounts)"))
    started = time.perf_counter()
    per_check, problems = {}, 0
    for name, check in CHECKS.items():
        check_started = time.perf_counter()
        problems += len(check(db.session))
        per_check[name] = time.perf_counter() - check_started
    db.session.rollback()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "problems": problems, "checks": per_check, "rows": rows,
            "rows_per_second": rows / seconds}


def _viewers(session: Any, sizes: list[str]) -> dict[str, dict[str, int]]:
    """Per bank of ``sizes`` (big, small): its broker and its first member, as person ids."""
    import sqlalchemy as sa

    from timebank.banks.models import TimeBank
    from timebank.demo.seed import slug_for
    from timebank.ledger.models import Account
    from timebank.members.models import BankRole, BankRoleName

    found: dict[str, dict[str, int]] = {}
    for size in sizes:
        bank_id = session.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug_for(BANKS[size])))
        found[size] = {
            "bank_id": bank_id,
            "broker": session.scalar(sa.select(BankRole.person_id).where(BankRole.time_bank_id == bank_id,
                                                                         BankRole.role == BankRoleName.BROKER)),
            "member": session.scalar(sa.select(Account.holder_id).where(Account.time_bank_id == bank_id,
                                                                        Account.holder_id.is_not(None))
                                     .order_by(Account.id).limit(1)),
        }
    return found


def step_prepare(app: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Logins for the HTTP steps: an email and password for the broker and a member of each bank of
    ``args.sizes``, and a bearer token for each of them; with the big bank, tokens for the members of the
    record + confirm pairs too (members with room to give and receive, each pair its own two people so
    that the writes do not collide)."""
    import sqlalchemy as sa

    from timebank.auth import tokens
    from timebank.auth.models import TokenScope
    from timebank.auth.passwords import hash_password
    from timebank.db import db
    from timebank.ledger.models import Account, HolderKind
    from timebank.members.models import Person

    session = db.session
    password_hash = hash_password(args.password)
    viewers = _viewers(session, args.sizes.split(","))

    def token_for(person_id: int) -> str:
        raw, _ = tokens.make_token(session, session.get(Person, person_id), name="bench", scope=TokenScope.WRITE,
                                   expires_in_days=1)
        return raw

    logins: dict[str, Any] = {}
    for size, found in viewers.items():
        for role in ("broker", "member"):
            email = f"bench-{size}-{role}@example.org"
            session.execute(sa.update(Person).where(Person.id == found[role])
                            .values(email=email, password_hash=password_hash))
            logins.setdefault(size, {})[role] = {"email": email, "token": token_for(found[role]),
                                                 "person_id": found[role]}
    if "big" not in viewers:
        session.commit()
        return {"logins": logins}
    low = Account.credits_posted_minutes - Account.debits_posted_minutes - Account.debits_pending_minutes
    high = Account.credits_posted_minutes + Account.credits_pending_minutes - Account.debits_posted_minutes
    accounts = session.execute(
        sa.select(Account.id, Account.holder_id)
        .where(Account.time_bank_id == viewers["big"]["bank_id"], Account.holder_kind == HolderKind.RESIDENT,
               Account.holder_id != viewers["big"]["member"], low > -8 * 60, high < 8 * 60)
        .order_by(Account.id.desc()).limit(2 * CONNECTIONS)
    ).all()
    pairs = [[{"account_id": account_id, "token": token_for(holder_id)} for account_id, holder_id in accounts[i:i + 2]]
             for i in range(0, len(accounts), 2)]
    session.commit()
    return {"logins": logins, "pairs": pairs, "today": dt.date.today().isoformat()}


#: The list pages measured for a member (or broker) of the small bank and of the big bank: name, path,
#: who looks, and whether it is a page (session cookie) or the API (bearer token).
LIST_PAGES = (
    ("exchanges page", "/exchanges", "member", "page"),
    ("GET /api/v1/exchanges", "/api/v1/exchanges", "member", "api"),
    ("listings", "/listings", "member", "page"),
    ("activities", "/activities", "member", "page"),
    ("people search", "/people?q=garden", "member", "page"),
    ("notices", "/notices", "member", "page"),
    ("disputes queue", "/disputes", "broker", "page"),
    ("applications", "/applications", "broker", "page"),
    ("broker home", "/", "broker", "page"),
    ("broker dashboard", "/brokerage", "broker", "page"),
)
#: Pages whose query plans are checked too (besides the lists): the member's home and the API's /me.
PLANNED_PAGES = (*LIST_PAGES, ("member home", "/", "member", "page"), ("GET /api/v1/me", "/api/v1/me", "member", "api"))


def _seq_scans(plan: dict[str, Any]) -> Iterator[str]:
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        yield plan["Relation Name"]
    for child in plan.get("Plans", ()):
        yield from _seq_scans(child)


def step_plans(app: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Each page of ``PLANNED_PAGES`` as the big bank's viewer, in-process with the test client: the SQL
    statements it runs (with their parameters, from a ``before_cursor_execute`` listener), each SELECT
    EXPLAINed on PostgreSQL; any Seq Scan on exchanges or postings is reported with its statement."""
    import sqlalchemy as sa

    from timebank.db import db

    logins = json.loads(args.logins)["big"]
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, executemany: bool) -> None:
        captured.append((statement, None if executemany else parameters))

    clients = {}
    for role in ("member", "broker"):
        client = app.test_client()
        response = client.post("/sign-in", data={"email": logins[role]["email"], "password": args.password})
        if response.status_code != 302:
            raise SystemExit(f"bench: signing in as the big bank's {role} answered {response.status_code}")
        clients[role] = client

    pages: dict[str, Any] = {}
    for name, path, role, kind in PLANNED_PAGES:
        headers = {"Authorization": f"Bearer {logins[role]['token']}"} if kind == "api" else {}
        client = app.test_client() if kind == "api" else clients[role]
        captured.clear()
        sa.event.listen(db.engine, "before_cursor_execute", capture)
        try:
            status = client.get(path, headers=headers).status_code
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", capture)
        statements = list(captured)
        scans = []
        with db.engine.connect() as connection:
            for statement, parameters in statements:
                if parameters is None or not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar()
                tables = sorted(set(_seq_scans(plan[0]["Plan"])))
                if tables:
                    scans.append({"tables": tables, "statement": " ".join(statement.split())})
        pages[f"{name} ({role})"] = {"path": path, "status": status, "statements": len(statements),
                                     "seq_scans": scans}
    return {"pages": pages}


#: What the search step asks, as the seeded bank's broker and as one of its members.
SEARCHES = {
    "ability": {"ability": "gardening"},
    "word": {"q": "garden"},
    "district_weekday": {"district": "HB3", "weekday": 2},
}
SEARCH_LABELS = {"ability": "ability", "word": "full-text word", "district_weekday": "district + weekday"}
#: Samples of each search however slow it is, so that the median means something.
MIN_SEARCH_SAMPLES = 5


def step_search(app: Any, args: argparse.Namespace) -> dict[str, Any]:
    """``profiles.search.search`` for the first page of results, with a fresh session each time as each
    request would have: each query once to warm up, then ``args.search`` times or for
    ``args.search_seconds``, whichever is sooner (but at least ``MIN_SEARCH_SAMPLES`` times)."""
    import sqlalchemy as sa

    from timebank.banks.models import TimeBank
    from timebank.db import db
    from timebank.demo.seed import slug_for
    from timebank.ledger.models import Account
    from timebank.members.models import BankRole, BankRoleName, Person
    from timebank.profiles.search import Criteria, search

    session = db.session
    bank_id = session.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug_for(BIG)))
    viewer_ids = {
        "broker": session.scalar(sa.select(BankRole.person_id).where(BankRole.time_bank_id == bank_id,
                                                                     BankRole.role == BankRoleName.BROKER)),
        "member": session.scalar(sa.select(Account.holder_id).where(Account.time_bank_id == bank_id,
                                                                    Account.holder_id.is_not(None))
                                 .order_by(Account.id).limit(1)),
    }
    session.close()

    def run_once(viewer_id: int, criteria: dict[str, Any]) -> tuple[float, int]:
        started = time.perf_counter()
        found = search(session, session.get(Person, viewer_id), Criteria(**criteria)).total
        session.close()
        return (time.perf_counter() - started) * 1000, found

    results: dict[str, Any] = {}
    for viewer_name, viewer_id in viewer_ids.items():
        for name, criteria in SEARCHES.items():
            _, found = run_once(viewer_id, criteria)
            samples: list[float] = []
            until = time.perf_counter() + args.search_seconds
            while len(samples) < args.search and (len(samples) < MIN_SEARCH_SAMPLES or time.perf_counter() < until):
                samples.append(run_once(viewer_id, criteria)[0])
            results.setdefault(viewer_name, {})[name] = {**summary(samples), "found": found, "samples": len(samples)}
    return results


#: One member in this many of a bank consents to benefit-safe checks in the benefits step (issue 12: 10 %).
CONSENTING_EVERY = 10
#: Confirmations timed for each side of the rules' cost (members who consented, members who did not).
CONFIRMS_TIMED = 60
#: The profiles the consenting members get, in turn: a UC claimant who must look for work, a carer, an ESA
#: and PIP claimant, a pensioner on Pension Credit.
BENCH_PROFILES = (("uc",), ("ca",), ("ns_esa", "pip"), ("pc", "hb"))


def step_benefits(app: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Issue 12's figures, in-process on the seeded bank ``args.bank``: one member in ten consents (a profile
    each); the cost the rules add to confirming an exchange, giver consenting ÷ giver not, each the median of
    ``CONFIRMS_TIMED``: as a member confirms one (``POST /api/v1/exchanges/<id>/confirm`` through the app,
    in this process: the exchange recorded beforehand, untimed), and in the ledger's own calls alone (record
    + confirm + commit, the least there is to compare with); then ``benefits run`` over the bank's
    consenting members for the last 12 weeks, timed, with this process's peak memory."""
    import sqlalchemy as sa

    from timebank.auth import tokens as auth_tokens
    from timebank.auth.models import TokenScope
    from timebank.banks.models import TimeBank
    from timebank.benefits import engine, profiles
    from timebank.benefits.facts import Benefit, Profile, UcWorkGroup
    from timebank.categories.models import Category
    from timebank.clock import uk_today
    from timebank.db import db
    from timebank.demo.seed import slug_for
    from timebank.ledger import service as ledger
    from timebank.ledger.models import Account, HolderKind
    from timebank.members.models import Person

    session = db.session
    today = uk_today()
    bank_id = session.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug_for(args.bank)))
    low = Account.credits_posted_minutes - Account.debits_posted_minutes - Account.debits_pending_minutes
    high = Account.credits_posted_minutes + Account.credits_pending_minutes - Account.debits_posted_minutes
    accounts = session.execute(
        sa.select(Account.id, Account.holder_id)
        .where(Account.time_bank_id == bank_id, Account.holder_kind == HolderKind.RESIDENT, Account.closed_at.is_(None))
        .order_by(Account.id)
    ).all()
    consenting = [holder for index, (_, holder) in enumerate(accounts) if index % CONSENTING_EVERY == 0]
    for index, person_id in enumerate(consenting):
        person = session.get(Person, person_id)
        profiles.give_consent(session, person, person_id)
        benefits = BENCH_PROFILES[index % len(BENCH_PROFILES)]
        profiles.save_profile(session, person, person_id, Profile(
            benefits=frozenset(Benefit(b) for b in benefits),
            uc_work_group=UcWorkGroup.ALL_REQUIREMENTS if "uc" in benefits else None))
    session.commit()  # the consents and profiles: the rules run for them here, over the last 90 days

    roomy = set(session.scalars(sa.select(Account.id).where(
        Account.time_bank_id == bank_id, Account.holder_kind == HolderKind.RESIDENT, Account.closed_at.is_(None),
        low > -8 * 60, high < 8 * 60)))
    gardening = session.scalar(sa.select(Category.id).where(Category.code == "gardening"))
    consenting_set = set(consenting)
    givers = {True: [a for a, h in accounts if h in consenting_set and a in roomy],
              False: [a for a, h in accounts if h not in consenting_set and a in roomy]}
    receivers = [a for a, h in accounts if h not in consenting_set and a in roomy][::-1]
    holder_of = dict(accounts)

    def record(giver: int, receiver: int) -> int:
        exchange, _ = ledger.record_exchange(
            session, proposer_account_id=giver, counterpart_account_id=receiver, proposer_is_giver=True,
            amount_minutes=30, occurred_on=today, category_id=gardening, description="Bench: benefit rules",
            recorded_by_id=holder_of[giver], idempotency_key=uuid.uuid4().hex)
        return exchange.id

    def ledger_once(giver: int, receiver: int) -> float:
        started = time.perf_counter()
        exchange_id = record(giver, receiver)
        ledger.confirm_exchange(session, exchange_id, actor_id=holder_of[receiver], acting_for_account_id=receiver)
        session.commit()  # the rules run here for a giver who consented
        return (time.perf_counter() - started) * 1000

    tokens: dict[int, str] = {}
    client = app.test_client()

    def api_once(giver: int, receiver: int) -> float:
        exchange_id = record(giver, receiver)
        if receiver not in tokens:
            tokens[receiver], _ = auth_tokens.make_token(
                session, session.get(Person, holder_of[receiver]), name="bench", scope=TokenScope.WRITE,
                expires_in_days=1)
        session.commit()
        started = time.perf_counter()
        with app.app_context():  # a context of its own, as each request has when served (g, the session)
            answer = client.post(f"/api/v1/exchanges/{exchange_id}/confirm",
                                 headers={"Authorization": f"Bearer {tokens[receiver]}"})
        elapsed = (time.perf_counter() - started) * 1000
        if answer.status_code != 200:
            raise SystemExit(f"bench: confirming through the API answered {answer.status_code}: {answer.text}")
        return elapsed

    timed: dict[str, dict[bool, list[float]]] = {"api": {True: [], False: []}, "ledger": {True: [], False: []}}
    for turn in range(CONFIRMS_TIMED):
        for with_rules in (turn % 2 == 0, turn % 2 == 1):  # in turns, so that neither side goes first always
            giver = givers[with_rules][turn % len(givers[with_rules])]
            receiver = next(r for r in receivers[turn % len(receivers):] + receivers if r != giver)
            timed["api"][with_rules].append(api_once(giver, receiver))
            timed["ledger"][with_rules].append(ledger_once(giver, receiver))

    started = time.perf_counter()
    outcome = engine.Outcome()
    for first in range(0, len(consenting), 50):
        for person_id in consenting[first:first + 50]:
            outcome.add(engine.evaluate(session, person_id, today - dt.timedelta(weeks=12),
                                        today + dt.timedelta(days=27), reason="rules_run"))
        session.commit()
    run_seconds = time.perf_counter() - started
    return {
        "consenting": len(consenting),
        "confirm_with_rules": summary(timed["api"][True]), "confirm_without_rules": summary(timed["api"][False]),
        "ledger_with_rules": summary(timed["ledger"][True]),
        "ledger_without_rules": summary(timed["ledger"][False]),
        "run_seconds": run_seconds, "run_members_per_second": len(consenting) / run_seconds if run_seconds else 0,
        "flags_raised": outcome.raised, "flags_updated": outcome.updated,
    }


#: Sessions marked at once, and paper timesheets imported, in the co-delivery step.
ATTENDANCE_SIZES = (20, 200)
IMPORT_SIZES = (200, 2_000)


def step_codelivery(app: Any, _args: argparse.Namespace) -> dict[str, Any]:
    """In the seeded bank: a council marks attendance for a whole session (N attendees, one transaction,
    N exchanges recorded and confirmed through the ledger, then one commit), and its broker checks then
    applies a paper timesheet of N rows (all or nothing). Each is timed from the service call to the
    commit, as one request would be, without HTTP."""
    import sqlalchemy as sa

    from timebank.activities.models import (
        Activity,
        ActivitySession,
        ActivityStatus,
        CoProductionForm,
        Party,
        Role,
    )
    from timebank.attendance import service as attendance
    from timebank.banks.models import TimeBank
    from timebank.categories.models import Category
    from timebank.clock import uk_today
    from timebank.db import db
    from timebank.demo.seed import slug_for
    from timebank.imports import service as imports
    from timebank.ledger.models import Account, HolderKind
    from timebank.members import service as members
    from timebank.members.models import BankRole, BankRoleName, OrganisationType, Person

    session = db.session
    bank_id = session.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug_for(BIG)))
    broker = session.scalar(sa.select(Person).join(BankRole, BankRole.person_id == Person.id)
                            .where(BankRole.time_bank_id == bank_id, BankRole.role == BankRoleName.BROKER))
    officer = members.create_person(session, display_name="Bench Officer", email=None)
    council = members.create_organisation(session, display_name="Bench Borough Council",
                                          organisation_type=OrganisationType.COUNCIL, admin_ids=(officer.id,))
    members.join_bank(session, council, bank_id, actor_id=None)
    category_id = session.scalar(sa.select(Category.id).where(Category.code == "community-events"))
    activity = Activity(time_bank_id=bank_id, organisation_id=council.id, title="Bench warm space",
                        form=CoProductionForm.CO_DELIVERING, designed_by=Party.SHARED, delivered_by=Party.SHARED,
                        status=ActivityStatus.PUBLISHED, created_by_id=officer.id)
    session.add(activity)
    session.flush()
    role = Role(activity_id=activity.id, title="Host", category_id=category_id, places=max(ATTENDANCE_SIZES))
    session.add(role)
    session.flush()
    # Residents with room above their floor and below their ceiling, pending hours included, in a fixed order.
    low = Account.credits_posted_minutes - Account.debits_posted_minutes - Account.debits_pending_minutes
    high = Account.credits_posted_minutes + Account.credits_pending_minutes - Account.debits_posted_minutes
    people = session.execute(
        sa.select(Account.id, Account.holder_id)
        .where(Account.time_bank_id == bank_id, Account.holder_kind == HolderKind.RESIDENT,
               low > -8 * 60, high < 100 * 60)
        .order_by(Account.id).limit(max(ATTENDANCE_SIZES) + 50)
    ).all()
    session.commit()

    results: dict[str, Any] = {"attendance": {}, "import": {}}
    started_on = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    for size in ATTENDANCE_SIZES:
        occasion = ActivitySession(role_id=role.id, starts_at=started_on, ends_at=started_on + dt.timedelta(hours=2),
                                   places=max(ATTENDANCE_SIZES))
        session.add(occasion)
        session.commit()
        marks = [attendance.Mark(person_id=holder_id, attended=True) for _, holder_id in people[:size]]
        started = time.perf_counter()
        result = attendance.mark_attendance(session, officer, occasion.id, marks)
        session.commit()
        seconds = time.perf_counter() - started
        results["attendance"][str(size)] = {"seconds": seconds, "exchanges": len(result.exchanges),
                                            "ms_per_attendee": seconds * 1000 / size}

    accounts = [account_id for account_id, _ in people[:50]]
    today = uk_today().strftime("%d/%m/%Y")
    for size in IMPORT_SIZES:
        lines = ["date,giver,receiver,hours,category,description"]
        for row in range(size):
            # Pairs of neighbours help each other in turn, so nobody drifts towards a balance limit.
            pair = (row // 2) % 25
            giver, receiver = accounts[2 * pair], accounts[2 * pair + 1]
            if row % 2:
                giver, receiver = receiver, giver
            lines.append(f"{today},{giver},{receiver},1,gardening,Bench row {row} of {size}")
        content = "\r\n".join(lines) + "\r\n"
        started = time.perf_counter()
        timesheet = imports.check(session, broker, time_bank_id=bank_id, filename=f"bench-{size}.csv",
                                  content=content)
        session.commit()
        checked = time.perf_counter()
        if timesheet.problems:
            raise SystemExit(f"bench import of {size} rows has problems: {timesheet.problems[:3]}")
        imports.apply(session, broker, timesheet.id)
        session.commit()
        applied = time.perf_counter()
        results["import"][str(size)] = {"check_seconds": checked - started, "apply_seconds": applied - checked,
                                        "rows_per_second": size / (applied - started)}
    return results




#: The matching step's own bank (issue 13): this many members with profiles, and exchanges among them (so
#: recent load and reciprocity have something to read, and the broker's dashboard has a big bank's books);
#: top-20 for one role timed this many times.
MATCHING_BANK = 3
MATCHING_MEMBERS, EXCHANGES_PER_MEMBER = 100_000, 10
MATCHING_RUNS = 50
#: The broker's dashboard (issue 13): the matching bank's against a bank of this many members (with as many
#: exchanges each), each page this many times, in turns.
DASHBOARD_BANK, DASHBOARD_MEMBERS, DASHBOARD_TIMED = 4, 1_000, 40


def step_matching(app: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Issue 13's matching figure: seed bank ``synthetic-3`` with ``args.members`` members with profiles (the
    seed's bulk insert: abilities, languages, availability, districts HB1–HB12, travel districts), give it a
    council with a role (lifts, with a session next week in HB3), then time ``matching.engine.find`` (the
    left-out counts, the clearance, the ranking: every query of a page) for that role ``MATCHING_RUNS`` times
    with a fresh session each, and print the ranking statement's EXPLAIN (ANALYZE, BUFFERS)."""
    import sqlalchemy as sa

    from timebank.activities.models import Activity, ActivitySession, ActivityStatus, CoProductionForm, Party, Role
    from timebank.categories.service import category_by_code
    from timebank.clock import UK
    from timebank.db import db
    from timebank.demo import seed
    from timebank.ledger.models import Account, HolderKind
    from timebank.matching import engine
    from timebank.members import service as members
    from timebank.members.models import OrganisationType
    from timebank.types import utcnow

    session = db.session
    started = time.perf_counter()
    result = seed.seed(session.connection(), members=args.members, exchanges=args.exchanges, seed=MATCHING_BANK,
                       batch_size=args.batch_size)
    session.commit()
    seed_seconds = time.perf_counter() - started
    council = members.create_organisation(session, display_name="Hollinbridge Borough Council",
                                          organisation_type=OrganisationType.COUNCIL)
    council.postcode_district = "HB3"
    members.join_bank(session, council, result.time_bank_id, actor_id=None)
    creator = session.scalar(sa.select(Account.holder_id).where(Account.time_bank_id == result.time_bank_id,
                                                                Account.holder_kind == HolderKind.RESIDENT).limit(1))
    activity = Activity(time_bank_id=result.time_bank_id, organisation_id=council.id, title="Hospital transport",
                        form=CoProductionForm.CO_DELIVERING, designed_by=Party.SHARED, delivered_by=Party.SHARED,
                        status=ActivityStatus.PUBLISHED, created_by_id=creator)
    role = Role(activity=activity, title="Volunteer driver", category_id=category_by_code(session, "lifts").id,
                places=2)
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=7), dt.time(10), tzinfo=UK)
    session.add_all([activity, role, ActivitySession(role=role, starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                                     places=2)])
    session.commit()
    role_id = role.id
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
        connection.exec_driver_sql("CHECKPOINT")
    session.close()

    def run_once() -> tuple[float, engine.Matches]:
        began = time.perf_counter()
        found = engine.find(session, engine.role_thing(session, session.get(Role, role_id)))
        session.close()
        return (time.perf_counter() - began) * 1000, found

    _, found = run_once()
    samples = [run_once()[0] for _ in range(MATCHING_RUNS)]
    thing = engine.role_thing(session, session.get(Role, role_id))
    statement = engine.ranking_statement(thing, engine.weights_of(session, thing.time_bank_id),
                                         engine.related_of(session, thing), None, today=dt.date.today(),
                                         now=utcnow(), able_only=True).limit(engine.PER_PAGE)
    compiled = statement.compile(dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    plan = "\n".join(row[0] for row in session.connection().exec_driver_sql(
        f"EXPLAIN (ANALYZE, BUFFERS) {compiled}", compiled.params))
    session.close()
    print(plan, file=sys.stderr)
    return {**summary(samples), "samples": len(samples), "members": result.members, "exchanges": result.exchanges,
            "seed_seconds": seed_seconds, "listed": found.candidates.total,
            "left_out": asdict(found.left_out), "top": [c.total for c in found.candidates.items[:3]], "plan": plan}


def step_dashboard(app: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Issue 13's dashboard figure: seed bank ``synthetic-4`` with ``DASHBOARD_MEMBERS`` members (the matching
    bank's exchanges per member), then the broker's dashboard page (``GET /brokerage/banks/<id>``, every
    section) as each bank's broker, through the app in this process, ``DASHBOARD_TIMED`` times each in
    turns; the medians, and the statements each page sent."""
    import sqlalchemy as sa

    from timebank.auth.passwords import hash_password
    from timebank.banks.models import TimeBank
    from timebank.db import db
    from timebank.demo import seed
    from timebank.demo.seed import slug_for
    from timebank.members.models import BankRole, BankRoleName, Person

    session = db.session
    password = secrets.token_urlsafe(16)
    seed.seed(session.connection(), members=DASHBOARD_MEMBERS, exchanges=DASHBOARD_MEMBERS * EXCHANGES_PER_MEMBER,
              seed=DASHBOARD_BANK, batch_size=args.batch_size)
    session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
        connection.exec_driver_sql("CHECKPOINT")
    clients: dict[str, tuple[Any, int]] = {}
    for name, number in (("big", MATCHING_BANK), ("small", DASHBOARD_BANK)):
        bank_id = session.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug_for(number)))
        broker = session.scalars(sa.select(Person).join(BankRole, BankRole.person_id == Person.id).where(
            BankRole.time_bank_id == bank_id, BankRole.role == BankRoleName.BROKER)).first()
        if broker is None:
            raise SystemExit(f"bench: bank {number} has no broker")
        email = f"bench-dashboard-{number}@example.org"
        broker.email, broker.password_hash = email, hash_password(password)
        session.commit()
        client = app.test_client()
        with app.app_context():
            signed_in = client.post("/sign-in", data={"email": email, "password": password})
        if signed_in.status_code != 302:
            raise SystemExit(f"bench: the broker of bank {number} could not sign in ({signed_in.status_code})")
        clients[name] = (client, bank_id)
    session.close()
    statements: dict[str, int] = {}

    def page(name: str) -> float:
        client, bank_id = clients[name]
        sent = [0]

        def count(*_: Any) -> None:
            sent[0] += 1

        sa.event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        with app.app_context():  # a context of its own, as each request has when served (g, the session)
            answer = client.get(f"/brokerage/banks/{bank_id}")
        elapsed = (time.perf_counter() - started) * 1000
        sa.event.remove(db.engine, "before_cursor_execute", count)
        if answer.status_code != 200:
            raise SystemExit(f"bench: the dashboard of bank {bank_id} answered {answer.status_code}")
        statements[name] = sent[0]
        return elapsed

    for name in clients:
        page(name)  # warm: templates compiled, statements cached
    timed: dict[str, list[float]] = {"big": [], "small": []}
    for turn in range(DASHBOARD_TIMED):
        for name in (("big", "small") if turn % 2 == 0 else ("small", "big")):
            timed[name].append(page(name))
    return {name: {**summary(samples), "statements": statements[name]} for name, samples in timed.items()}


#: Each bank's contribution report and its raw SQL, timed this many times each, in turns.
REPORTS_TIMED = 20
#: The report's period: the 12 months to this one (the synthetic banks' year of exchanges).
REPORT_MONTHS = 12


def step_reports(app: Any, _args: argparse.Namespace) -> dict[str, Any]:
    """Issue 14's figures: a bank's contribution report for the 12 months to this one (``reports.compute``:
    every table for the period and the one before, through disclosure control) against the raw SQL it is
    built from alone (each ``reports.queries`` aggregate for both periods), in the big bank and the small one,
    through the app's code in this process, ``REPORTS_TIMED`` times each in turns; the medians, and the
    statements the report sent."""
    import sqlalchemy as sa

    from timebank.banks.models import TimeBank
    from timebank.clock import uk_today
    from timebank.dates import add_months
    from timebank.db import db
    from timebank.demo.seed import slug_for
    from timebank.reports import compute, queries

    session = db.session
    this_month = uk_today().replace(day=1)
    period, previous = compute.periods(add_months(this_month, 1 - REPORT_MONTHS), this_month)
    banks = {name: session.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug_for(number)))
             for name, number in BANKS.items()}
    hours = (queries.kinds, queries.categories, queries.forms, queries.matrix, queries.months, queries.people,
             queries.age_bands, queries.districts, queries.in_kind, queries.introductions, queries.answers_how,
             queries.answers_again, queries.benefit_flags)
    statements: dict[str, int] = {}

    def timed(name: str, work: Callable[[], Any]) -> float:
        sent = [0]

        def count(*_: Any) -> None:
            sent[0] += 1

        sa.event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        work()
        elapsed = (time.perf_counter() - started) * 1000
        sa.event.remove(db.engine, "before_cursor_execute", count)
        session.rollback()
        statements[name] = sent[0]
        return elapsed

    def report(size: str) -> float:
        return timed(f"report {size}", lambda: compute.bank_report(session, banks[size], period))

    def raw(size: str) -> float:
        scopes = [(banks[size], None, None)]
        return timed(f"raw {size}", lambda: [query(session, scopes, each) for each in (period, previous)
                                             for query in hours])

    measures = {f"{kind} {size}": functools.partial(work, size) for size in BANKS for kind, work in
                (("report", report), ("raw", raw))}
    for measure in measures.values():
        measure()  # warm: statements cached, pages in memory
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for turn in range(REPORTS_TIMED):
        names = list(measures)
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            samples[name].append(measures[name]())
    big = compute.bank_report(session, banks["big"], period)
    return {"period": [period.first.isoformat(), period.last.isoformat()],
            "big_minutes": big.table("kinds").total.value if big.table("kinds").total else None,
            **{name: {**summary(found), "statements": statements[name]} for name, found in samples.items()}}


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median_ms": statistics.median(ordered), "p95_ms": ordered[int(0.95 * (len(ordered) - 1))]}


STEPS = {"schema": step_schema, "seed": step_seed, "verify": step_verify, "prepare": step_prepare,
         "plans": step_plans, "search": step_search, "codelivery": step_codelivery, "benefits": step_benefits,
         "matching": step_matching, "dashboard": step_dashboard, "reports": step_reports}


def run_step_here(args: argparse.Namespace) -> None:
    app = _app(args.url)
    with app.app_context():
        result = STEPS[args.step](app, args)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


# --- the driver ------------------------------------------------------------------------------------


def run_step(step: str, url: str, args: argparse.Namespace, **extra: Any) -> dict[str, Any]:
    """Run ``step`` in a child process against the database at ``url``; its last line of output is JSON."""
    params = {"exchanges": args.exchanges, "members": args.members, "bank": BIG, "sizes": "big,small",
              "search": args.search,
              "search_seconds": args.search_seconds, "batch_size": args.batch_size, "password": args.password,
              "logins": "{}", **extra}
    command = [sys.executable, __file__, "--step", step, "--url", url]
    for name, value in params.items():
        command += [f"--{name.replace('_', '-')}", str(value)]
    quiet = step == "schema"  # Alembic's log lines are noise here
    completed = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE if quiet else None,
                               text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr or "")
        raise SystemExit(f"bench step {step!r} failed with status {completed.returncode}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


class Postgres:
    """The server the bench runs on: its databases (made and dropped here) and libpq arguments for the
    command-line tools (pg_dump, pg_restore, pgbench)."""

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        self.url = sa.engine.make_url(url)
        self.admin = sa.create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.made: list[str] = []

    def url_of(self, database: str) -> str:
        return self.url.set(database=database).render_as_string(hide_password=False)

    def libpq(self) -> list[str]:
        """Host, port and user. The database goes after them: positional for pg_dump and pgbench (whose
        ``-d`` is --debug), ``-d`` for pg_restore."""
        return ["-h", self.url.host or "127.0.0.1", "-p", str(self.url.port or 5432), "-U",
                self.url.username or "postgres"]

    def environment(self) -> dict[str, str]:
        return {**os.environ, **({"PGPASSWORD": self.url.password} if self.url.password else {})}

    def create(self, database: str) -> str:
        import sqlalchemy as sa

        with self.admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
        self.made.append(database)
        return self.url_of(database)

    def scalar(self, query: str) -> Any:
        import sqlalchemy as sa

        with self.admin.connect() as connection:
            return connection.scalar(sa.text(query))

    def drop_all(self) -> None:
        import sqlalchemy as sa

        with self.admin.connect() as connection:
            for database in reversed(self.made):
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        self.admin.dispose()


# --- HTTP ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def served(app: str, port: int, environment: dict[str, str], log: Path) -> Iterator[None]:
    """gunicorn serving ``app`` on 127.0.0.1:``port`` with the production settings, until the block ends."""
    command = [str(Path(sys.executable).parent / "gunicorn"), *GUNICORN_SETTINGS, "--bind", f"127.0.0.1:{port}",
               app]
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"bench: gunicorn for {app} stopped (status {process.returncode}); see {log}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: gunicorn for {app} did not answer on port {port}; see {log}")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def request(port: int, method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes | None = None,
            connection: http.client.HTTPConnection | None = None) -> tuple[int, http.client.HTTPResponse, bytes]:
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response, response.read()
    finally:
        if own:
            connection.close()


def _session_cookie(response: http.client.HTTPResponse) -> str | None:
    for header in response.headers.get_all("Set-Cookie") or ():
        if header.startswith("session="):
            return header.split(";", 1)[0]
    return None


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the form as a browser would: the page's CSRF token and cookie, then the POST.
    Returns the ``Cookie`` header of the signed-in session."""
    from urllib.parse import urlencode

    status, response, body = request(port, "GET", "/sign-in")
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    cookie = _session_cookie(response)
    if status != 200 or not found or not cookie:
        raise SystemExit(f"bench: the sign-in page answered {status} without a CSRF token or cookie")
    form = urlencode({"csrf_token": found.group(1).decode(), "email": email, "password": password}).encode()
    status, response, _ = request(port, "POST", "/sign-in", body=form, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    signed_in = _session_cookie(response)
    if status != 302 or not signed_in:
        raise SystemExit(f"bench: signing in as {email} answered {status}")
    return signed_in


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
#: wrk gives up on a request after this many seconds (its default, 2, is less than a slow list takes under
#: load: those are counted as timeouts and reported, not errors).
WRK_TIMEOUT = 60


def wrk(port: int, path: str, seconds: float, headers: dict[str, str], *, connections: int = CONNECTIONS,
        threads: int = THREADS) -> dict[str, float]:
    """wrk with ``connections`` connections on ``threads`` threads: requests/s and latency percentiles (ms)."""
    status, _, _ = request(port, "GET", path, headers=headers)
    if status != 200:
        raise SystemExit(f"bench: GET {path} answered {status} before the load started")
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "--timeout",
               f"{WRK_TIMEOUT}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                            check=True).stdout
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if "Non-2xx or 3xx responses" in output or (errors and any(map(int, errors.groups()[:3]))):
        raise SystemExit(f"bench: wrk on {path} saw errors:\n{output}")
    result = {"requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
              "requests": int(re.search(r"(\d+) requests in", output).group(1)),
              "timeouts": int(errors.group(4)) if errors else 0}
    for percent, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE):
        result[f"p{percent}_ms"] = float(value) * _WRK_UNITS[unit]
    return result


def signed_in(port: int, logins: dict[str, Any], password: str) -> dict[str, dict[str, dict[str, str]]]:
    """The ``Cookie`` header of each viewer of ``logins`` (per bank, per role), signed in through the form."""
    return {size: {role: {"Cookie": sign_in(port, login["email"], password)} for role, login in roles.items()}
            for size, roles in logins.items()}


def list_page(port: int, path: str, kind: str, login: dict[str, Any], cookie: dict[str, str],
              seconds: float) -> dict[str, float]:
    """wrk on one list page as one viewer (the API with their bearer token, a page with their session), one
    request at a time: the page's own cost, without the queueing of a saturated server, which made the ratios
    of pages costing a few milliseconds move by several times from run to run."""
    return wrk(port, path, seconds, {"Authorization": f"Bearer {login['token']}"} if kind == "api" else cookie,
               connections=1, threads=1)


def in_turns(measures: dict[str, Callable[[float], dict[str, Any]]], seconds: float) -> dict[str, dict[str, Any]]:
    """Run each measure for ``seconds`` in all, split over ``ROUNDS`` rounds in which they take turns; per
    measure, the mean of its rounds' figures (counts, such as requests, are summed)."""
    rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in measures}
    names = list(measures)
    for turn in range(ROUNDS):
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            rounds[name].append(measures[name](seconds / ROUNDS))
    return {name: {key: (sum(result[key] for result in results) if isinstance(results[0][key], int)
                         else statistics.fmean(result[key] for result in results))
                   for key in results[0]}
            for name, results in rounds.items()}


def record_and_confirm(port: int, pairs: list[list[dict[str, Any]]], today: str, seconds: float) -> dict[str, Any]:
    """Each pair of members on its own keep-alive connection, ``len(pairs)`` at once: one records an exchange
    (POST /api/v1/exchanges) and the other confirms it, turn and turn about so that neither drifts to a
    limit, for ``seconds``. Returns exchanges/s and the latency of record + confirm."""
    deadline = time.monotonic() + seconds

    def client(pair: list[dict[str, Any]]) -> list[float]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies, turn = [], 0
        while time.monotonic() < deadline:
            giver, receiver = pair if turn % 2 == 0 else pair[::-1]
            turn += 1
            body = json.dumps({"account_id": giver["account_id"], "side": "giver",
                               "counterpart_account_id": receiver["account_id"], "minutes": 30,
                               "occurred_on": today, "category": "gardening", "description": "Bench: gardening",
                               "idempotency_key": uuid.uuid4().hex}).encode()
            started = time.perf_counter()
            status, _, answer = request(port, "POST", "/api/v1/exchanges", connection=connection, body=body, headers={
                "Authorization": f"Bearer {giver['token']}", "Content-Type": "application/json"})
            if status != 201:
                raise RuntimeError(f"recording answered {status}: {answer[:300]!r}")
            exchange_id = json.loads(answer)["id"]
            status, _, answer = request(port, "POST", f"/api/v1/exchanges/{exchange_id}/confirm",
                                        connection=connection, headers={"Authorization": f"Bearer {receiver['token']}"})
            if status != 200:
                raise RuntimeError(f"confirming answered {status}: {answer[:300]!r}")
            latencies.append((time.perf_counter() - started) * 1000)
        connection.close()
        return latencies

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(len(pairs)) as pool:
        latencies = [ms for result in pool.map(client, pairs) for ms in result]
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"exchanges": len(latencies), "exchanges_per_second": len(latencies) / elapsed,
            "p50_ms": statistics.median(ordered), "p95_ms": ordered[int(0.95 * (len(ordered) - 1))]}


def pgbench(postgres: Postgres) -> Callable[[float], dict[str, float]]:
    """pgbench's builtin tpcb-like transaction, ``CONNECTIONS`` clients on ``THREADS`` threads, in a database
    of its own initialised here with ``pgbench -i`` (scale 1): a measure to run for some seconds."""
    database = f"timebank_bench_{os.getpid()}_pgbench"
    postgres.create(database)
    env = postgres.environment()
    libpq = [*postgres.libpq(), database]
    subprocess.run(["pgbench", "-i", "-q", *libpq], env=env, check=True, capture_output=True)

    def run(seconds: float) -> dict[str, float]:
        output = subprocess.run(["pgbench", "-c", str(CONNECTIONS), "-j", str(THREADS), "-T",
                                 f"{max(1, round(seconds))}", *libpq],
                                env=env, check=True, capture_output=True, text=True).stdout
        return {"tps": float(re.search(r"tps = ([\d.]+)", output).group(1))}

    return run


def flask_command(environment: dict[str, str], *arguments: str) -> float:
    """Run ``flask --app wsgi <arguments>`` as an operator would, with the served app's settings; seconds."""
    started = time.perf_counter()
    completed = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", *arguments], cwd=ROOT,
                               env=environment, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"bench: flask {' '.join(arguments)} failed:\n{completed.stdout}{completed.stderr}")
    return time.perf_counter() - started


# --- the run ---------------------------------------------------------------------------------------


def machine(postgres: Postgres) -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory_kib / 2**20, 1),
            "postgresql": postgres.scalar("SHOW server_version"), "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}"}


def bench(args: argparse.Namespace, postgres: Postgres) -> tuple[list[Figure], dict[str, Any]]:
    figures: list[Figure] = []
    details: dict[str, Any] = {}
    database = f"timebank_bench_{os.getpid()}"
    url = postgres.create(database)
    environment = {**os.environ, "TIMEBANK_ENV": "production", "TIMEBANK_SECRET_KEY": secrets.token_urlsafe(48),
                   "TIMEBANK_BENEFIT_KEYS": os.environ["TIMEBANK_BENEFIT_KEYS"],
                   "TIMEBANK_RATELIMIT_ENABLED": "false", "TIMEBANK_DATABASE_URL": url,
                   "TIMEBANK_QUEUE_URL": os.environ.get("TIMEBANK_BENCH_REDIS_URL", DEFAULT_REDIS_URL),
                   "TIMEBANK_QUEUE_NAMESPACE": database, "TIMEBANK_LOG_LEVEL": "WARNING"}
    log = RESULTS / "gunicorn.log"
    log.unlink(missing_ok=True)
    say(f"database {database}: the schema from the migrations; and {database}_alone for the small bank alone")
    alone_url = postgres.create(f"{database}_alone")
    run_step("schema", url, args)
    run_step("schema", alone_url, args)

    # The small bank first, in both databases (the same seed makes the same rows): its seed and verify at a
    # small size, to compare memory with the big ones; and on its own database, the baseline that shows
    # whether a big bank next to it slows its members' pages down, measured in turns with the pages of the
    # database that holds both (below).
    say(f"seeding the small bank: {SMALL_MEMBERS:,} members, {SMALL_EXCHANGES:,} exchanges")
    small = {"bank": SMALL, "members": SMALL_MEMBERS, "exchanges": SMALL_EXCHANGES}
    small_seed = run_step("seed", url, args, **small)
    small_verify = run_step("verify", url, args)
    run_step("seed", alone_url, args, **small)
    alone_logins = run_step("prepare", alone_url, args, sizes="small")["logins"]
    say(f"seeding the big bank: {args.members:,} members, {args.exchanges:,} exchanges")
    big_seed = run_step("seed", url, args)
    say("ledger verify")
    big_verify = run_step("verify", url, args)
    for name, result in (("small seed", small_seed), ("small verify", small_verify), ("big verify", big_verify)):
        if result.get("problems"):
            raise SystemExit(f"bench: {name}: ledger verify found {result['problems']} problem(s)")
    details.update(seed={"small": small_seed, "big": big_seed}, verify={"small": small_verify, "big": big_verify})
    figures += [
        Figure("seed rate", big_seed["rows_per_second"], "rows/s",
               note=f"{big_seed['rows']:,} rows in {big_seed['seconds']:.0f} s"),
        Figure("seed peak memory", big_seed["peak_rss_mb"], "MB", small_seed["peak_rss_mb"], "small bank's seed",
               note=f"{big_seed['exchanges']:,} vs {small_seed['exchanges']:,} exchanges"),
        Figure("ledger verify rate", big_verify["rows_per_second"], "rows/s",
               note=f"{big_verify['rows']:,} rows in {big_verify['seconds']:.0f} s"),
        Figure("ledger verify peak memory", big_verify["peak_rss_mb"], "MB", small_verify["peak_rss_mb"],
               "verify of the small bank alone"),
    ]

    say("logins for the HTTP steps")
    prepared = run_step("prepare", url, args)
    logins = prepared["logins"]

    say("query plans of the list and home pages")
    plans = run_step("plans", url, args, logins=json.dumps(logins))["pages"]
    details["plans"] = plans
    scanning = {page: found for page, found in plans.items() if found["seq_scans"]}
    for page, found in scanning.items():
        for scan in found["seq_scans"]:
            # Select lists say nothing about the plan: only the FROM … WHERE … of each SELECT is shown.
            shown = re.sub(r"SELECT .*? FROM ", "SELECT … FROM ", scan["statement"])
            say(f"Seq Scan on {', '.join(scan['tables'])} in {page}: {shown}")
    figures.append(Figure("pages with a Seq Scan on exchanges/postings", len(scanning), "pages", target=0,
                          compare="<=", note=", ".join(scanning) or f"{len(plans)} pages checked"))

    say("serving the app, the bare baseline and the app on the small bank alone with gunicorn")
    seconds, list_seconds = args.seconds, args.list_seconds
    alone_environment = {**environment, "TIMEBANK_DATABASE_URL": alone_url,
                         "TIMEBANK_QUEUE_NAMESPACE": f"{database}_alone"}
    postgres_bench = pgbench(postgres)
    with (served("bench.bare:app", BARE_PORT, environment, log), served("wsgi:app", APP_PORT, environment, log),
          served("wsgi:app", ALONE_PORT, alone_environment, log)):
        say("GET /api/v1/me and the member home page, in turns with the bare baseline")
        member_token = {"Authorization": f"Bearer {logins['big']['member']['token']}"}
        cookies = signed_in(APP_PORT, logins, args.password)
        alone_cookies = signed_in(ALONE_PORT, alone_logins, args.password)
        throughput = in_turns({
            "bare": lambda s: wrk(BARE_PORT, "/", s, {}),
            "healthz": lambda s: wrk(APP_PORT, "/healthz", s, {}),
            "me": lambda s: wrk(APP_PORT, "/api/v1/me", s, member_token),
            "home": lambda s: wrk(APP_PORT, "/", s, cookies["big"]["member"]),
        }, seconds)
        bare, me, home = throughput["bare"], throughput["me"], throughput["home"]
        figures += [
            # No target: the cost of the app's own stack on a request that reads nothing (what every route
            # pays before its own work), for reading the two figures after it.
            Figure("GET /healthz (the app's floor)", throughput["healthz"]["requests_per_second"], "req/s",
                   bare["requests_per_second"], "bare Flask JSON"),
            Figure("GET /api/v1/me", me["requests_per_second"], "req/s", bare["requests_per_second"],
                   "bare Flask JSON", 0.25),
            Figure("member home page GET /", home["requests_per_second"], "req/s", bare["requests_per_second"],
                   "bare Flask JSON", 0.1),
        ]
        details["http"] = {**throughput, "lists": {}}
        for name, path, role, kind in LIST_PAGES:
            say(f"{name}: the small bank's {role} alone, with the big bank, and the big bank's, in turns")
            viewers = {"small alone": (ALONE_PORT, alone_logins["small"][role], alone_cookies["small"][role]),
                       **{size: (APP_PORT, logins[size][role], cookies[size][role]) for size in ("small", "big")}}
            measured = in_turns({size: functools.partial(list_page, port, path, kind, login, cookie)
                                 for size, (port, login, cookie) in viewers.items()}, list_seconds)
            alone = measured["small alone"]
            details["http"]["lists"][name] = measured
            figures += [
                Figure(f"{name}: big ÷ small bank", measured["big"]["p50_ms"], "ms (p50)",
                       measured["small"]["p50_ms"], f"small bank's {role}", 1.2, "<=",
                       note=f"{measured['big']['requests']} vs {measured['small']['requests']} requests"),
                Figure(f"{name}: small bank, with ÷ without big", measured["small"]["p50_ms"], "ms (p50)",
                       alone["p50_ms"], "small bank alone", 1.2, "<=",
                       note=f"{measured['small']['requests']} vs {alone['requests']} requests"),
            ]
        say(f"record + confirm over HTTP, {len(prepared['pairs'])} clients, in turns with pgbench tpcb-like, "
            f"{CONNECTIONS} clients, {seconds:g} s each")
        written = in_turns({
            "pgbench": postgres_bench,
            "writes": lambda s: record_and_confirm(APP_PORT, prepared["pairs"], prepared["today"], s),
        }, seconds)
        writes, tpcb = written["writes"], written["pgbench"]
    details["http"].update(record_and_confirm=writes, pgbench=tpcb)
    figures += [
        Figure("record + confirm over HTTP", writes["exchanges_per_second"], "exchanges/s", tpcb["tps"],
               "pgbench tpcb-like tps", 0.05),
        Figure("record + confirm p50", writes["p50_ms"], "ms"),
        Figure("record + confirm p95", writes["p95_ms"], "ms"),
    ]

    say("search")
    searched = run_step("search", url, args)
    details["search"] = searched
    for viewer in ("broker", "member"):
        for name, label in SEARCH_LABELS.items():
            figures.append(Figure(f"search as {viewer}: {label}", searched[viewer][name]["median_ms"], "ms (median)",
                                  note=f"{searched[viewer][name]['found']:,} found"))
    say(f"co-delivery: attendance for sessions of {' and '.join(map(str, ATTENDANCE_SIZES))}, timesheets of "
        f"{' and '.join(f'{n:,}' for n in IMPORT_SIZES)} rows")
    codelivery = run_step("codelivery", url, args)
    details["codelivery"] = codelivery
    for size in ATTENDANCE_SIZES:
        figures.append(Figure(f"attendance for {size} in one step", codelivery["attendance"][str(size)]["seconds"],
                              "s"))
    for size in IMPORT_SIZES:
        figures.append(Figure(f"timesheet of {size:,} rows: check + apply",
                              codelivery["import"][str(size)]["rows_per_second"], "rows/s"))

    say(f"benefit-safe checks: one member in {CONSENTING_EVERY} consents, in the small bank then the big one; the "
        "rules' cost on a confirm, and `benefits run`")
    small_rules = run_step("benefits", url, args, bank=SMALL)
    big_rules = run_step("benefits", url, args)
    details["benefits"] = {"small": small_rules, "big": big_rules}
    figures += [
        Figure("confirm with the benefit rules ÷ without", big_rules["confirm_with_rules"]["median_ms"], "ms (p50)",
               big_rules["confirm_without_rules"]["median_ms"], "confirm, giver not consenting", 1.2, "<=",
               note=f"POST /api/v1/exchanges/<id>/confirm through the app in-process, {CONFIRMS_TIMED} each"),
        # No target: the ledger's calls alone, the least a confirmation costs, so the rules' share is largest.
        Figure("ledger calls with the benefit rules ÷ without", big_rules["ledger_with_rules"]["median_ms"],
               "ms (p50)", big_rules["ledger_without_rules"]["median_ms"], "the same, giver not consenting",
               note=f"record + confirm + commit in-process, {CONFIRMS_TIMED} each"),
        Figure("benefits run over the big bank", big_rules["run_seconds"], "s",
               note=f"{big_rules['consenting']:,} consenting members, 12 weeks; "
                    f"{big_rules['run_members_per_second']:.0f} members/s"),
        Figure("benefits run peak memory", big_rules["peak_rss_mb"], "MB", small_rules["peak_rss_mb"],
               "the same over the small bank", note=f"{big_rules['consenting']:,} vs {small_rules['consenting']:,} "
                                                    "members"),
    ]

    matching_members = MATCHING_MEMBERS // 10 if args.quick else MATCHING_MEMBERS
    say(f"matching: {matching_members:,} members with profiles in a bank of their own; top 20 for one role, "
        f"{MATCHING_RUNS} times")
    matched = run_step("matching", url, args, members=matching_members,
                       exchanges=EXCHANGES_PER_MEMBER * matching_members)
    say("the matching statement's plan (EXPLAIN ANALYZE):\n" + matched["plan"])
    details["matching"] = matched
    figures += [
        Figure(f"matching: top 20 of {matching_members:,} for a role", matched["p95_ms"], "ms (p95)", target=300,
               compare="<=", note=f"p50 {matched['median_ms']:.0f} ms, {matched['samples']} runs, in-process: every "
                                  "query of a page (counts, clearance, ranking)"),
    ]
    say(f"the broker's dashboard: the matching bank's ({matching_members:,} members) against a bank of "
        f"{DASHBOARD_MEMBERS:,}, in turns")
    board = run_step("dashboard", url, args)
    details["dashboard"] = board
    figures.append(Figure(f"broker dashboard: {matching_members:,} ÷ {DASHBOARD_MEMBERS:,} members",
                          board["big"]["median_ms"], "ms (p50)", board["small"]["median_ms"],
                          f"the same page, {DASHBOARD_MEMBERS:,} members", 1.5, "<=",
                          note=f"{EXCHANGES_PER_MEMBER} exchanges a member; {board['big']['statements']} vs "
                               f"{board['small']['statements']} statements; in-process, {DASHBOARD_TIMED} each"))

    say(f"contribution reports: a bank's report for {REPORT_MONTHS} months against its raw SQL, and the big bank's "
        "against the small bank's, in turns")
    reported = run_step("reports", url, args)
    details["reports"] = reported
    figures += [
        Figure("contribution report ÷ its raw SQL (big bank)", reported["report big"]["median_ms"], "ms (p50)",
               reported["raw big"]["median_ms"], "the report's reports.queries alone", 2, "<=",
               note=f"{REPORT_MONTHS} months and the {REPORT_MONTHS} before; {reported['report big']['statements']} "
                    f"statements; in-process, {REPORTS_TIMED} each"),
        Figure("contribution report: big ÷ small bank", reported["report big"]["median_ms"], "ms (p50)",
               reported["report small"]["median_ms"], f"the same report, {SMALL_EXCHANGES:,} exchanges", 3, "<=",
               note=f"{reported['report small']['median_ms']:.1f} ms for the small bank; raw SQL of the small "
                    f"{reported['raw small']['median_ms']:.1f} ms"),
    ]

    say("backup and restore (flask backup create, flask backup restore: it runs ledger verify on the copy)")
    with tempfile.TemporaryDirectory(prefix="timebank-bench-") as directory:
        dump = Path(directory) / "bench.dump"
        backup_seconds = flask_command(environment, "backup", "create", str(dump))
        dump_mb = dump.stat().st_size / 2**20
        restored = f"{database}_restored"
        postgres.made.append(restored)  # made by the restore; dropped with the others
        restore_seconds = flask_command(environment, "backup", "restore", str(dump), "--into",
                                        postgres.url_of(restored))
    details["backup"] = {"backup_seconds": backup_seconds, "dump_mb": dump_mb,
                         "restore_and_verify_seconds": restore_seconds}
    figures += [
        Figure("backup (flask backup create)", backup_seconds, "s", note=f"{dump_mb:,.0f} MB dump"),
        Figure("restore + ledger verify of the copy (flask backup restore)", restore_seconds, "s",
               note="exits 1 on any problem, which stops the bench"),
    ]
    details["database_mb"] = postgres.scalar(f"SELECT pg_database_size('{database}')") / 2**20
    return figures, details


# --- reporting -------------------------------------------------------------------------------------


def svg(report: dict[str, Any]) -> str:
    """Each figure with a target, as a bar of its ratio (or value) over its target: the black line is the
    target, the same for every row; green if met, red if missed. Bars stop at twice the target; a target of
    0 (a count of problems) shows a full red bar when any is found."""
    rows = [f for f in report["figures"] if f["target"] is not None]
    width, left, bar_height, gap = 900, 380, 18, 6
    half = (width - left - 150) / 2
    target_x = left + half
    out: list[str] = []
    y = 50
    for figure in rows:
        measured = figure["ratio"] if figure["ratio"] is not None else figure["value"]
        share = min(2.0, measured / figure["target"]) if figure["target"] else (2.0 if measured else 0.0)
        colour = "#2e7d32" if figure["passed"] else "#c0392b"
        out.append(f'<text x="10" y="{y + 13}">{html.escape(figure["name"])}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{max(1.0, share * half):.1f}" height="{bar_height}" '
                   f'fill="{colour}"/>')
        out.append(f'<line x1="{target_x:.1f}" y1="{y - 2}" x2="{target_x:.1f}" y2="{y + bar_height + 2}" '
                   'stroke="black" stroke-width="2"/>')
        out.append(f'<text x="{left + 2 * half + 8:.1f}" y="{y + 13}">{measured:,.3g} '
                   f'({html.escape(figure["compare"])} {figure["target"]:g})</text>')
        y += bar_height + gap
    heading = (f"timebank bench {report['generated_at'][:10]}: {report['exchanges']:,} exchanges; each ratio "
               "against its target (black line)")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y + 20}" viewBox="0 0 {width} {y + 20}" '
        f'font-family="sans-serif" font-size="12">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n'
        f'<text x="10" y="24" font-size="14" font-weight="bold">{html.escape(heading)}</text>\n'
        + "\n".join(out)
        + "\n</svg>\n"
    )


def readme_table(report: dict[str, Any]) -> str:
    """The README's bench table: every figure of ``report`` (latest.json), with the date and the machine."""
    m = report["machine"]
    lines = [
        README_START,
        f"Measured {report['generated_at'][:10]} by `make bench{' BENCH_ARGS=--quick' if report['quick'] else ''}` "
        f"({report['exchanges']:,} exchanges among "
        f"{report['members']:,} members, plus a bank of {SMALL_EXCHANGES:,}) on {m['cpu']}, {m['cores']} cores, "
        f"{m['memory_gb']:g} GB, PostgreSQL {m['postgresql']}.",
        "",
        "| Figure | Value | Baseline | Ratio | Target | |",
        "|---|---:|---|---:|---|---|",
    ]
    for f in report["figures"]:
        baseline = f"{_number(f['baseline'])} ({f['baseline_name']})" if f["baseline"] is not None else ""
        ratio = f"{f['ratio']:.3f}" if f["ratio"] is not None else ""
        target = f"{f['compare']} {f['target']:g}" if f["target"] is not None else ""
        verdict = {True: "pass", False: "**missed**", None: ""}[f["passed"]]
        lines.append(f"| {f['name']} | {_number(f['value'])} {f['unit']} | {baseline} | {ratio} | {target} | "
                     f"{verdict} |")
    lines.append(README_END)
    return "\n".join(lines)


def rewrite_readme(path: Path) -> None:
    report = json.loads((RESULTS / "latest.json").read_text())
    text = path.read_text()
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise SystemExit(f"{path} has no {README_START} … {README_END} markers")
    path.write_text(text[:start] + readme_table(report) + text[end + len(README_END):])
    print(f"Rewrote the bench table in {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exchanges", type=int, default=1_000_000, help="exchanges in the big bank")
    parser.add_argument("--members", type=int, default=10_000, help="members of the big bank")
    parser.add_argument("--quick", action="store_true",
                        help="50,000 exchanges, 3 s of load per figure, 2 s per list page, shorter searches")
    parser.add_argument("--seconds", type=float, default=10, help="seconds of load for /me, home and the writes")
    parser.add_argument("--list-seconds", type=float, default=5, help="seconds of load per list page and bank")
    parser.add_argument("--search", type=int, default=200, help="times each search is run, per viewer, at most")
    parser.add_argument("--search-seconds", type=float, default=10,
                        help="seconds each search is repeated for, at most (it runs at least 5 times)")
    parser.add_argument("--batch-size", type=int, default=20_000)
    parser.add_argument("--readme", nargs="?", const=str(README), metavar="PATH",
                        help="only rewrite the bench table in README.md (or PATH) from bench/results/latest.json")
    parser.add_argument("--step", choices=tuple(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--bank", type=int, default=BIG, help=argparse.SUPPRESS)
    parser.add_argument("--password", default="", help=argparse.SUPPRESS)
    parser.add_argument("--logins", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="big,small", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        run_step_here(args)
        return
    if args.readme:
        rewrite_readme(Path(args.readme))
        return
    if args.quick:
        args.exchanges, args.seconds, args.list_seconds, args.search, args.search_seconds = 50_000, 3, 2, 20, 2
    if not shutil.which("wrk") or not shutil.which("pgbench"):
        raise SystemExit("bench: needs wrk and pgbench on the PATH (Debian: apt-get install wrk postgresql-client)")
    args.password = secrets.token_urlsafe(16)
    # One key for benefit data for the whole run: the steps (each a process of its own) and the servers read
    # what the others wrote.
    os.environ.setdefault("TIMEBANK_BENEFIT_KEYS", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    # Stopped with kill (or Ctrl-C, which a background job ignores), still stop the servers and drop the
    # databases: SIGTERM unwinds through the same ``finally`` blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    RESULTS.mkdir(parents=True, exist_ok=True)
    postgres = Postgres(next((os.environ[var] for var in POSTGRES_VARS if os.environ.get(var)), DEFAULT_POSTGRES_URL))
    started = time.perf_counter()
    try:
        figures, details = bench(args, postgres)
    finally:
        postgres.drop_all()
    import config

    served_with = config.web_server()
    report = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "exchanges": args.exchanges,
        "members": args.members,
        "quick": args.quick,
        "seconds": args.seconds,
        "list_seconds": args.list_seconds,
        "gunicorn": {"settings": list(GUNICORN_SETTINGS), "workers": served_with.workers,
                     "threads": served_with.threads},
        "machine": machine(postgres),
        "run_seconds": time.perf_counter() - started,
        "figures": [figure.as_json() for figure in figures],
        "details": details,
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "latest.svg").write_text(svg(report))
    print("\n".join(figure.line() for figure in figures))
    missed = [figure.name for figure in figures if figure.passed is False]
    print(f"\n{len(figures)} figures in {report['run_seconds'] / 60:.1f} min; written {RESULTS / 'latest.json'} and "
          f"{RESULTS / 'latest.svg'}")
    if missed:
        print(f"Missed {len(missed)} target(s): {'; '.join(missed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
