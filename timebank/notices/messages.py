"""What each kind of notice says, in the reader's language, and where it links.

A notice stores only its kind and the id of its subject; the words are made when it is read, from the
subject as it is now. The feature that raises a kind of notice says it: it gives a ``Renderer`` for the
kind (its ``notice_texts.RENDERERS``, which the app factory passes to ``register``), so this module
imports none of the features above it. Subjects are loaded for a whole page of notices at once: each
loader once, for every kind that shares it. A subject that no longer resolves (or a page that no longer
exists) gives a generic line without a link, never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import url_for
from flask_babel import gettext
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from timebank.notices.models import Notice, NoticeKind

#: A notice's words and the page to read more on (``None`` when that page is gone).
Said = tuple[str, str | None]
Subjects = TypeVar("Subjects")


@dataclass(frozen=True)
class NoticeLine:
    notice: Notice
    text: str
    #: Where to read more; ``None`` when the subject is gone.
    url: str | None


@dataclass(frozen=True)
class Renderer(Generic[Subjects]):
    """How one kind of notice is put into words."""

    #: The subjects of a page of notices (those of every kind that shares this loader), in a few queries.
    load: Callable[[Session, list[Notice]], Subjects]
    #: One notice's words and link, from what ``load`` gave; ``None`` when its subject is gone.
    say: Callable[[Notice, Subjects], Said | None]


_renderers: dict[NoticeKind, Renderer[Any]] = {}


def register(renderers: Mapping[NoticeKind, Renderer[Any]]) -> None:
    """Say how the given kinds are put into words (the app factory calls this for each feature)."""
    for kind, renderer in renderers.items():
        if _renderers.setdefault(kind, renderer) is not renderer:
            raise ValueError(f"two features say what a {kind.value} notice says")


def unsaid_kinds() -> set[NoticeKind]:
    """The kinds nobody has said how to put into words (none, once the app is made)."""
    return set(NoticeKind) - set(_renderers)


def subject_ids(notices: Iterable[Notice], *kinds: NoticeKind) -> set[int]:
    return {n.subject_id for n in notices if n.kind in kinds}


def link(endpoint: str, **values: Any) -> str | None:
    """The page's address, or ``None`` when the page is not there (any more): the words show without a link."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def lines_for(session: Session, notices: list[Notice]) -> list[NoticeLine]:
    """Each notice in words, with its link, in the order given."""
    by_loader: dict[Callable[[Session, list[Notice]], Any], list[Notice]] = {}
    for notice in notices:
        by_loader.setdefault(_renderers[notice.kind].load, []).append(notice)
    subjects = {load: load(session, batch) for load, batch in by_loader.items()}
    lines = []
    for notice in notices:
        renderer = _renderers[notice.kind]
        said = renderer.say(notice, subjects[renderer.load])
        if said is None:
            lines.append(NoticeLine(notice, gettext("This notice was about something that is no longer here."), None))
        else:
            lines.append(NoticeLine(notice, *said))
    return lines
