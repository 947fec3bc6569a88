"""Measure the ledger at scale on SQLite and PostgreSQL: bulk seed, ``ledger verify``, the latency of one
exchange through the service, and finding people with ``profiles.search``. See bench/README.md.

    .venv/bin/python bench/run.py                 # 1,000,000 exchanges
    .venv/bin/python bench/run.py --quick         # 20,000 exchanges, fewer samples
    .venv/bin/python bench/run.py --exchanges 200000 --only sqlite

PostgreSQL is measured when ``TIMEBANK_BENCH_POSTGRES_URL`` (or ``TIMEBANK_TEST_POSTGRES_URL``) is set, in
a fresh schema that is dropped afterwards. Each step runs in its own process so that its peak memory
(``ru_maxrss``) is its own. Results go to bench/results/latest.json and latest.svg.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))  # run as a script: make ``config`` and ``timebank`` importable

POSTGRES_VARS = ("TIMEBANK_BENCH_POSTGRES_URL", "TIMEBANK_TEST_POSTGRES_URL")
SEED = 1


def peak_rss_mb() -> float:
    # Linux reports kilobytes (macOS bytes; this bench targets Linux).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- steps: each runs in a child process and prints one JSON line ---------------------------------


def _app(url: str, schema: str | None) -> Any:
    import config
    from timebank import create_app

    settings = config.TestingConfig()
    settings.SQLALCHEMY_DATABASE_URI = url
    settings.SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}
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
    with click.progressbar(length=args.exchanges, label="  seeding", file=sys.stderr) as bar:
        result = seed.seed(db.session.connection(), members=args.members, exchanges=args.exchanges, seed=SEED,
                           batch_size=args.batch_size, progress=bar.update)
        db.session.commit()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "members": result.members,
        "exchanges": result.exchanges,
        "events": result.events,
        "postings": result.postings,
        "rows": result.rows,
        "rows_per_second": result.rows / seconds,
        "exchanges_per_second": result.exchanges / seconds,
        "time_bank_id": result.time_bank_id,
    }


def step_verify(app: Any, _args: argparse.Namespace) -> dict[str, Any]:
    from timebank.db import db
    from timebank.ledger.checks import CHECKS

    started = time.perf_counter()
    per_check, problems = {}, 0
    for name, check in CHECKS.items():
        check_started = time.perf_counter()
        problems += len(check(db.session))
        per_check[name] = time.perf_counter() - check_started
    db.session.rollback()
    return {"seconds": time.perf_counter() - started, "problems": problems, "checks": per_check}


def step_latency(app: Any, args: argparse.Namespace) -> dict[str, Any]:
    """Record and confirm one exchange at a time, committing after each as two requests would, between
    two members of the seeded bank (so the chain and the tables are as big as the seed made them)."""
    import sqlalchemy as sa

    from timebank.banks.models import TimeBank
    from timebank.categories.models import Category
    from timebank.clock import uk_today
    from timebank.db import db
    from timebank.demo.seed import slug_for
    from timebank.ledger import service as ledger
    from timebank.ledger.models import Account

    session = db.session
    bank_id = session.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug_for(SEED)))
    available = Account.credits_posted_minutes - Account.debits_posted_minutes - Account.debits_pending_minutes
    pair = session.execute(
        sa.select(Account.id, Account.holder_id)
        .where(Account.time_bank_id == bank_id, Account.holder_id.is_not(None), available >= 120)
        .order_by(Account.id)
        .limit(2)
    ).all()
    category_id = session.scalar(sa.select(Category.id).where(Category.code == "gardening"))
    today = uk_today()
    session.commit()
    run = uuid.uuid4().hex[:8]
    record_ms, confirm_ms, both_ms = [], [], []
    for i in range(args.latency):
        (giver, giver_person), (receiver, receiver_person) = pair if i % 2 == 0 else pair[::-1]
        started = time.perf_counter()
        exchange, _ = ledger.record_exchange(
            session, proposer_account_id=giver, counterpart_account_id=receiver, proposer_is_giver=True,
            amount_minutes=60, occurred_on=today, category_id=category_id, description="Bench: an hour of gardening",
            recorded_by_id=giver_person, idempotency_key=f"bench-{run}-{i}",
        )
        exchange_id = exchange.id
        session.commit()
        recorded = time.perf_counter()
        ledger.confirm_exchange(session, exchange_id, actor_id=receiver_person, acting_for_account_id=receiver)
        session.commit()
        done = time.perf_counter()
        record_ms.append((recorded - started) * 1000)
        confirm_ms.append((done - recorded) * 1000)
        both_ms.append((done - started) * 1000)

    return {"count": args.latency, "record_and_confirm": summary(both_ms), "record": summary(record_ms),
            "confirm": summary(confirm_ms)}


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
    bank_id = session.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug_for(SEED)))
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
    bank_id = session.scalar(sa.select(TimeBank.id).where(TimeBank.slug == slug_for(SEED)))
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


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median_ms": statistics.median(ordered), "p95_ms": ordered[int(0.95 * (len(ordered) - 1))]}


STEPS = {"schema": step_schema, "seed": step_seed, "verify": step_verify, "latency": step_latency,
         "search": step_search, "codelivery": step_codelivery}


def run_step_here(args: argparse.Namespace) -> None:
    app = _app(args.url, args.schema)
    with app.app_context():
        result = STEPS[args.step](app, args)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


# --- the driver ------------------------------------------------------------------------------------


def run_step(step: str, url: str, schema: str | None, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--step", step, "--url", url, "--exchanges", str(args.exchanges),
               "--members", str(args.members), "--latency", str(args.latency), "--search", str(args.search),
               "--search-seconds", str(args.search_seconds), "--batch-size", str(args.batch_size)]
    if schema:
        command += ["--schema", schema]
    quiet = step == "schema"  # Alembic's log lines are noise here
    completed = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE if quiet else None,
                               text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr or "")
        raise SystemExit(f"bench step {step!r} failed with status {completed.returncode}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run_backend(name: str, url: str, schema: str | None, args: argparse.Namespace) -> dict[str, Any]:
    print(f"{name}: building the schema with the migrations", file=sys.stderr)
    results: dict[str, Any] = {"schema": run_step("schema", url, schema, args)}
    print(f"{name}: seeding {args.exchanges:,} exchanges among {args.members:,} members", file=sys.stderr)
    results["seed"] = run_step("seed", url, schema, args)
    print(f"{name}: ledger verify", file=sys.stderr)
    results["verify"] = run_step("verify", url, schema, args)
    if results["verify"]["problems"]:
        raise SystemExit(f"{name}: ledger verify found {results['verify']['problems']} problem(s)")
    print(f"{name}: {args.latency:,} exchanges recorded and confirmed one by one", file=sys.stderr)
    results["latency"] = run_step("latency", url, schema, args)
    print(f"{name}: searching {args.members:,} profiles, up to {args.search:,} times or {args.search_seconds:g} s "
          "per query", file=sys.stderr)
    results["search"] = run_step("search", url, schema, args)
    print(f"{name}: attendance for sessions of {' and '.join(map(str, ATTENDANCE_SIZES))}, paper timesheets of "
          f"{' and '.join(f'{n:,}' for n in IMPORT_SIZES)} rows", file=sys.stderr)
    results["codelivery"] = run_step("codelivery", url, schema, args)
    verified = run_step("verify", url, schema, args)
    if verified["problems"]:
        raise SystemExit(f"{name}: ledger verify found {verified['problems']} problem(s) after co-delivery")
    return results


def bench_sqlite(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="timebank-bench-") as directory:
        path = Path(directory) / "bench.sqlite"
        results = run_backend("sqlite", f"sqlite:///{path}", None, args)
        results["database_mb"] = sum(p.stat().st_size for p in Path(directory).iterdir()) / 2**20
        return results


def bench_postgres(args: argparse.Namespace, url: str) -> dict[str, Any]:
    import sqlalchemy as sa

    schema = f"tb_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        results = run_backend("postgresql", url, schema, args)
        with admin.connect() as connection:
            results["database_mb"] = float(connection.scalar(
                sa.text(
                    "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname = :s AND c.relkind = 'r'"
                ),
                {"s": schema},
            )) / 2**20
        return results
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# --- reporting -------------------------------------------------------------------------------------


def table(report: dict[str, Any]) -> str:
    backends = list(report["results"])
    rows: list[tuple[str, ...]] = [("", *backends)]

    def add(label: str, fn: Any) -> None:
        rows.append((label, *(fn(report["results"][b]) for b in backends)))

    add(f"seed {report['exchanges']:,} exchanges", lambda r: f"{r['seed']['seconds']:.1f} s")
    add("  rows/s (all tables)", lambda r: f"{r['seed']['rows_per_second']:,.0f}")
    add("  exchanges/s", lambda r: f"{r['seed']['exchanges_per_second']:,.0f}")
    add("  peak memory", lambda r: f"{r['seed']['peak_rss_mb']:.0f} MB")
    add("ledger verify", lambda r: f"{r['verify']['seconds']:.1f} s")
    add("  slowest check", lambda r: "{} {:.1f} s".format(*max(r["verify"]["checks"].items(), key=lambda kv: kv[1])))
    add("  peak memory", lambda r: f"{r['verify']['peak_rss_mb']:.0f} MB")
    add(f"record+confirm ×{report['latency']:,}", lambda r: "")
    add("  median", lambda r: f"{r['latency']['record_and_confirm']['median_ms']:.1f} ms")
    add("  p95", lambda r: f"{r['latency']['record_and_confirm']['p95_ms']:.1f} ms")
    add("  peak memory", lambda r: f"{r['latency']['peak_rss_mb']:.0f} MB")
    for viewer in ("broker", "member"):
        add(f"search as {viewer}: median / p95 (found, runs)", lambda r: "")
        for name, label in SEARCH_LABELS.items():
            add(f"  {label}", lambda r, viewer=viewer, name=name: (
                "{median_ms:.1f} / {p95_ms:.1f} ms ({found:,}, ×{samples})".format(**r["search"][viewer][name])))
    for size in ATTENDANCE_SIZES:
        add(f"attendance for {size} in one step", lambda r, size=size: "{:.2f} s ({:.1f} ms each)".format(
            r["codelivery"]["attendance"][str(size)]["seconds"],
            r["codelivery"]["attendance"][str(size)]["ms_per_attendee"]))
    for size in IMPORT_SIZES:
        add(f"timesheet of {size:,} rows: check / apply", lambda r, size=size: "{:.2f} / {:.2f} s".format(
            r["codelivery"]["import"][str(size)]["check_seconds"],
            r["codelivery"]["import"][str(size)]["apply_seconds"]))
    add("database size", lambda r: f"{r['database_mb']:,.0f} MB")
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
        for row in rows
    )


COLOURS = {"sqlite": "#3b6ea5", "postgresql": "#c0392b"}


def svg(report: dict[str, Any]) -> str:
    """Three panels of horizontal bars: seconds for seed and verify, milliseconds for one exchange, and
    milliseconds for one search (median)."""
    results = report["results"]
    panels: list[tuple[str, list[tuple[str, Any]]]] = [
        ("Seconds", [(f"seed {report['exchanges']:,}", lambda r: r["seed"]["seconds"]),
                     ("ledger verify", lambda r: r["verify"]["seconds"])]),
        ("Milliseconds per record + confirm", [
            ("median", lambda r: r["latency"]["record_and_confirm"]["median_ms"]),
            ("p95", lambda r: r["latency"]["record_and_confirm"]["p95_ms"]),
        ]),
        ("Seconds per step of co-delivery", [
            *((f"attendance for {size}", lambda r, size=size: r["codelivery"]["attendance"][str(size)]["seconds"])
              for size in ATTENDANCE_SIZES),
            *((f"import {size:,} rows", lambda r, size=size: r["codelivery"]["import"][str(size)]["check_seconds"]
               + r["codelivery"]["import"][str(size)]["apply_seconds"]) for size in IMPORT_SIZES),
        ]),
        ("Milliseconds per search (median)", [
            (f"{viewer}: {label}", lambda r, viewer=viewer, name=name: r["search"][viewer][name]["median_ms"])
            for viewer in ("broker", "member") for name, label in SEARCH_LABELS.items()
        ]),
    ]
    width, left, bar_height, gap, label_width = 760, 300, 18, 6, 80
    plot = width - left - label_width
    out: list[str] = []
    y = 40
    for title, measures in panels:
        out.append(f'<text x="10" y="{y}" font-weight="bold">{html.escape(title)}</text>')
        y += 12
        values = [(label, backend, measure(results[backend])) for label, measure in measures for backend in results]
        top = max(value for _, _, value in values) or 1
        for label, backend, value in values:
            length = max(1.0, plot * value / top)
            out.append(f'<text x="10" y="{y + 13}">{html.escape(label)} ({backend})</text>')
            out.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                       f'fill="{COLOURS.get(backend, "#777")}"/>')
            out.append(f'<text x="{left + length + 6:.1f}" y="{y + 13}">{value:,.1f}</text>')
            y += bar_height + gap
        y += 24
    heading = (f"timebank bench {report['generated_at'][:10]}: {report['exchanges']:,} exchanges, "
               f"{report['members']:,} members")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" viewBox="0 0 {width} {y}" '
        f'font-family="sans-serif" font-size="12">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n'
        f'<text x="10" y="20" font-size="14" font-weight="bold">{html.escape(heading)}</text>\n'
        + "\n".join(out)
        + "\n</svg>\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exchanges", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true",
                        help="20,000 exchanges, 500 latency samples, each search up to 50 times or 3 s")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--latency", type=int, default=2_000, help="exchanges recorded and confirmed one by one")
    parser.add_argument("--search", type=int, default=200, help="times each search is run, per viewer, at most")
    parser.add_argument("--search-seconds", type=float, default=30,
                        help="seconds each search is repeated for, at most (it runs at least 5 times)")
    parser.add_argument("--batch-size", type=int, default=20_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--step", choices=tuple(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--schema", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        run_step_here(args)
        return
    if args.quick:
        args.exchanges, args.latency, args.search, args.search_seconds = 20_000, 500, 50, 3

    results: dict[str, Any] = {}
    if args.only in (None, "sqlite"):
        results["sqlite"] = bench_sqlite(args)
    postgres_url = next((os.environ[var] for var in POSTGRES_VARS if os.environ.get(var)), None)
    if args.only in (None, "postgresql"):
        if postgres_url:
            results["postgresql"] = bench_postgres(args, postgres_url)
        else:
            print(f"PostgreSQL skipped: set {POSTGRES_VARS[0]} to measure it", file=sys.stderr)
    if not results:
        raise SystemExit("nothing measured")

    import sqlalchemy

    report = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "exchanges": args.exchanges,
        "members": args.members,
        "latency": args.latency,
        "search": args.search,
        "search_seconds": args.search_seconds,
        "batch_size": args.batch_size,
        "python": platform.python_version(),
        "sqlalchemy": sqlalchemy.__version__,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "latest.svg").write_text(svg(report))
    print(table(report))
    print(f"\nWritten {RESULTS / 'latest.json'} and {RESULTS / 'latest.svg'}")


if __name__ == "__main__":
    main()
