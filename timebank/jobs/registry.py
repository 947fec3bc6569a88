"""The one place a kind of job is declared. A feature that has work to do off the request declares a
``JobKind`` in its own ``tasks.py`` (the imports' apply, the daily notices) and ``create_app`` registers it
here; this package imports no feature. Later kinds (sending email, re-running benefit rules) do the same.

A kind's ``run(session, job, progress)`` does the work inside the job's transaction: it only flushes (the
runner commits once, with the job marked done), reads its arguments from ``job.payload`` and may call
``progress(done, total)`` as it goes; its ``on_failure`` notes a failed attempt on the kind's own rows.
It must be safe to run again after a worker died mid-way: its transaction was rolled back, so it starts
from the books as they are. A ``DomainError`` it raises is a
refusal, final at once; any other error is retried with back-off until ``max_attempts`` are spent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from timebank.jobs.models import MAX_KIND, Job

Progress = Callable[[int, int], None]
Run = Callable[[Session, Job, Progress], None]
#: ``(session, job, error, final)``: a kind's own record of a failed attempt, in the transaction that notes it.
OnFailure = Callable[[Session, Job, BaseException, bool], None]

#: Attempts unless a kind says otherwise: with the default back-off the last is about 4 minutes after the first.
DEFAULT_MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class JobKind:
    #: ``feature.verb``: stored on every job of this kind, so never renamed.
    name: str
    run: Run
    #: What admins see on the jobs page (a lazy string).
    label: Any
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    #: Called when an attempt fails (its work rolled back), with whether it was the last: a kind that keeps
    #: its own state (an email's attempts and error) writes it here, where it is committed.
    on_failure: OnFailure | None = None

    def __post_init__(self) -> None:
        if not 0 < len(self.name) <= MAX_KIND or self.max_attempts < 1:
            raise ValueError(f"job kind {self.name!r}: a name of 1 to {MAX_KIND} characters and one attempt or more")


_KINDS: dict[str, JobKind] = {}


def register(kinds: Iterable[JobKind]) -> None:
    """Called by ``create_app`` with each feature's kinds; registering the same kind again changes nothing."""
    for kind in kinds:
        known = _KINDS.setdefault(kind.name, kind)
        if known is not kind and known.run is not kind.run:
            raise ValueError(f"two job kinds are named {kind.name!r}")


def kind_named(name: str) -> JobKind | None:
    return _KINDS.get(name)


def label_of(name: str) -> Any:
    """What admins see for a job of this kind: the kind's label, or its stored name if none is registered."""
    registered = kind_named(name)
    return registered.label if registered is not None else name
