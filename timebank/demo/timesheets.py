"""The demo's paper timesheets and their background jobs, so the imports page and the admins' jobs page
have something to show: one file recorded by its job, and one whose job failed because the same file had
already been recorded from the command line while the job waited (the job is refused, nothing twice)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.orm import Session

from timebank.imports import service as imports
from timebank.jobs import runner
from timebank.ledger.models import Account
from timebank.members.models import Person

#: Half-hour visits passed round four residents, so every balance ends where it began.
VISITS = ("Shopping trip", "Lift to the surgery", "Help with a form", "Garden tidy")


class Side(Protocol):
    account: Account


def _sheet(parties: Sequence[Side], day: dt.date, visits: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("date", "giver", "receiver", "hours", "category", "description"))
    for number, visit in enumerate(visits):
        giver, receiver = parties[number % len(parties)], parties[(number + 1) % len(parties)]
        writer.writerow((day.strftime("%d/%m/%Y"), giver.account.id, receiver.account.id, "0.5", "gardening", visit))
    return out.getvalue()


def load_timesheets(session: Session, broker: Person, bank_id: int, residents: Sequence[Side], today: dt.date) -> None:
    parties = residents[:len(VISITS)]
    recorded = imports.check(session, broker, time_bank_id=bank_id, filename="drop-in-sheet-week-1.csv",
                             content=_sheet(parties, today - dt.timedelta(days=9), VISITS))
    runner.run_here(imports.enqueue_apply(session, broker, recorded.id))

    twice = imports.check(session, broker, time_bank_id=bank_id, filename="drop-in-sheet-week-2.csv",
                          content=_sheet(parties, today - dt.timedelta(days=2), VISITS))
    job = imports.enqueue_apply(session, broker, twice.id)
    imports.apply(session, broker, twice.id)  # `flask imports apply --commit`, while the job waited
    runner.run_here(job)
