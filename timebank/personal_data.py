"""What the time bank holds about a person, feature by feature: the registry behind the data export and
leaving (``privacy.service``).

Every feature that keeps rows about a person contributes one ``Part`` from its own ``personal_data.py``,
and ``create_app`` hands the list to ``init_app``. The coordinator (privacy) imports only this module, so
a new feature (benefit profiles, broker notes, introductions) joins the export and leaving by adding its
part, without privacy knowing it exists. A part says:

* ``export(session, person)``: its sections of the download, JSON-ready, keyed by ``sections``;
* ``forget(session, actor, person)``: its share of leaving (pseudonymise, wipe, close, cancel). It only
  flushes, and changes only its own feature's tables (another feature's only through that feature's
  service). A part without one says in ``kept`` why leaving keeps its rows as they are;
* ``tables``: the tables it answers for, and ``exempt``: tables of its feature that hold a person's id
  but are deliberately neither exported nor forgotten, each with the reason. ``tests/privacy/
  test_coverage.py`` fails for any table that holds a person id and is in neither;
* ``withheld``: what the download leaves out and how to ask for it, in the member's words, and
  ``withheld_actions``: the audit actions about the person that the activity log leaves out with it.

Sections come in the order of the list ``create_app`` gives. Forgetting runs in ``FORGET_ORDER``, inside
the caller's one transaction; docs/architecture.md ("Leaving") says the same, and a test compares them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy.orm import Session

#: What wiped words are replaced with where a column must hold something (a referee's name, a token's).
REMOVED = "(removed)"

#: The order in which a leaver's parts are forgotten. Their accounts close first, under each account's
#: lock, so that an exchange being recorded with them now either got in first (and is settled next) or is
#: refused; then what is pending on them is settled, their places given up, their listings closed, and
#: the rest wiped; they are renamed to their pseudonym last, when nothing else still needs their name.
FORGET_ORDER = (
    "ledger",  # closes their accounts
    "exchanges",  # settles their pending exchanges: cancels what they proposed, declines what was asked of them
    "attendance",  # gives up places and waiting-list entries on sessions not yet marked; stops the calendar
    "listings",  # closes their open listings and wipes the words of every one
    "membership",  # withdraws open applications; wipes statements and the referees they named
    "safeguarding",  # wipes DBS certificate numbers (levels and dates stay, and so do the notes)
    "auth",  # ends their sessions; revokes API tokens (names wiped) and password links
    "banks",  # revokes their broker and funder roles
    "programmes",  # removes them from the funders whose reports they read
    "profiles",  # deletes the profile
    "benefits",  # deletes consents, the benefit profile, flags and the log of access to them
    "brokerage",  # withdraws live introductions; wipes their words and the bodies of messages with brokers
    "feedback",  # takes them off their answers (which still count) and wipes the comments
    "mail",  # deletes email choices; wipes each email's address and words, and sends none still queued
    "members",  # removes them as an organisation's admin, then renames them to a pseudonym and wipes contact
)

Export = Callable[[Session, Any], dict[str, Any]]
#: ``(session, actor, person)``: the actor is the person themselves or a broker who may make them leave.
Forget = Callable[[Session, Any, Any], None]


@dataclass(frozen=True)
class Part:
    """One feature's share of what is held about a person."""

    name: str
    tables: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    export: Export | None = None
    forget: Forget | None = None
    #: Why leaving keeps this part's rows as they are (only for a part with tables and no ``forget``).
    kept: str = ""
    #: Table name → why it is neither exported nor forgotten.
    exempt: Mapping[str, str] = field(default_factory=dict)
    #: What the download leaves out, and how to ask for it (lazy strings, shown in the member's language).
    withheld: tuple[Any, ...] = ()
    #: Audit actions (prefixes, "safeguarding.") whose entries about the person the download leaves out.
    withheld_actions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if bool(self.sections) != (self.export is not None):
            raise ValueError(f"part {self.name!r}: an export function needs sections, and sections one")
        if self.tables and self.forget is None and not self.kept:
            raise ValueError(f"part {self.name!r}: say in `kept` why leaving keeps its tables as they are")
        if any(not reason.strip() for reason in self.exempt.values()):
            raise ValueError(f"part {self.name!r}: every exempt table needs its reason")


def iso(value: Any) -> Any:
    """A date or time as ISO 8601 text for the export; ``None`` stays ``None``."""
    return value.isoformat() if value is not None else None


class Registry:
    """The parts one app was built with, checked once when the app is made."""

    def __init__(self, parts: Iterable[Part]) -> None:
        self.parts = tuple(parts)
        names = [part.name for part in self.parts]
        if len(set(names)) != len(names):
            raise ValueError(f"a feature registered twice: {names}")
        sections = [section for part in self.parts for section in part.sections]
        if len(set(sections)) != len(sections):
            raise ValueError(f"two parts export the same section: {sections}")
        claims = [table for part in self.parts for table in (*part.tables, *part.exempt)]
        if len(set(claims)) != len(claims):
            raise ValueError(f"a table is claimed twice: {sorted(claims)}")
        forgetting = {part.name: part for part in self.parts if part.forget is not None}
        if set(forgetting) != set(FORGET_ORDER):
            raise ValueError(f"the parts that forget {sorted(forgetting)} are not FORGET_ORDER {FORGET_ORDER}")
        #: The parts with a forget step, in ``FORGET_ORDER``.
        self.forgetting = tuple(forgetting[name] for name in FORGET_ORDER)

    @property
    def sections(self) -> tuple[str, ...]:
        return tuple(section for part in self.parts for section in part.sections)

    @property
    def covered(self) -> dict[str, str]:
        """Table → the part that exports it (and forgets, or says why it keeps, what is in it)."""
        return {table: part.name for part in self.parts for table in part.tables}

    @property
    def exempt(self) -> dict[str, str]:
        """Table → why it is neither exported nor forgotten."""
        return {table: reason for part in self.parts for table, reason in part.exempt.items()}

    @property
    def withheld(self) -> tuple[Any, ...]:
        return tuple(note for part in self.parts for note in part.withheld)

    @property
    def withheld_actions(self) -> tuple[str, ...]:
        return tuple(action for part in self.parts for action in part.withheld_actions)


_EXTENSION = "timebank.personal_data"


def init_app(app: Flask, parts: Iterable[Part]) -> None:
    app.extensions[_EXTENSION] = Registry(parts)


def registry() -> Registry:
    """The current app's parts."""
    return current_app.extensions[_EXTENSION]  # type: ignore[no-any-return]
