"""A job worker in a process of its own, for ``test_worker_killed``: ``python -m tests.jobs.worker_process
REDIS_URL NAMESPACE [--stall-at ROW --marker FILE]``, on the database in ``TIMEBANK_TEST_DATABASE_URL``.

It is ``flask jobs worker`` (``queue.run_worker``) with the test's settings: a one-second heartbeat, and a
look for dead workers' messages on every Redis command. With ``--stall-at`` the import's job stops for good
at that row, in the middle of its transaction, after writing ``FILE``: the test then kills it."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import config
from timebank import create_app
from timebank.imports import service
from timebank.jobs.queue import run_worker


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("redis_url")
    parser.add_argument("namespace")
    parser.add_argument("--stall-at", type=int, default=None)
    parser.add_argument("--marker", type=Path, default=None)
    args = parser.parse_args()

    settings = config.TestingConfig()
    settings.QUEUE_URL = args.redis_url
    settings.QUEUE_NAMESPACE = args.namespace
    settings.QUEUE_HEARTBEAT_TIMEOUT_MS = 1000
    settings.QUEUE_MAINTENANCE_CHANCE = 1_000_000
    settings.QUEUE_WORKER_THREADS = 1
    app = create_app(settings)
    if args.stall_at is not None:
        record = service._record

        def stalling(session, actor, timesheet, row):  # type: ignore[no-untyped-def]
            if row.number == args.stall_at:
                args.marker.write_text("stalled mid-transaction")
                time.sleep(3600)
            record(session, actor, timesheet, row)

        service._record = stalling
    run_worker(app)


if __name__ == "__main__":
    main()
