"""What the introduction notices say (``notices.messages``): a broker introduced someone to a request or a
role, and one side answered. The subject is the introduction; the words name the thing and, for the
other side, the candidate."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.orm import Session

from timebank.activities.models import Role
from timebank.brokerage.models import Answer, Introduction
from timebank.listings.models import Listing
from timebank.members.service import display_names
from timebank.notices.messages import Renderer, Said, link, subject_ids
from timebank.notices.models import Notice, NoticeKind

_KINDS = (NoticeKind.INTRODUCTION_MADE, NoticeKind.INTRODUCTION_ANSWERED)


@dataclass(frozen=True)
class Subjects:
    introductions: dict[int, Introduction]
    #: Introduction id → the title of the request or role it is about.
    things: dict[int, str]
    people: dict[int, str]


def _load(session: Session, notices: list[Notice]) -> Subjects:
    ids = subject_ids(notices, *_KINDS)
    if not ids:
        return Subjects({}, {}, {})
    rows = session.execute(
        sa.select(Introduction, sa.func.coalesce(Listing.title, Role.title))
        .outerjoin(Listing, Listing.id == Introduction.listing_id).outerjoin(Role, Role.id == Introduction.role_id)
        .where(Introduction.id.in_(ids))
    ).all()
    introductions = {row[0].id: row[0] for row in rows}
    return Subjects(introductions, {row[0].id: row[1] for row in rows},
                    display_names(session, [i.candidate_id for i in introductions.values()]))


def _made(notice: Notice, subjects: Subjects) -> Said | None:
    introduction = subjects.introductions.get(notice.subject_id)
    if introduction is None:
        return None
    thing = subjects.things[introduction.id]
    if notice.person_id == introduction.candidate_id:
        text = gettext("Your time bank thinks you could help with “%(thing)s”. Please say whether you can.",
                       thing=thing)
    else:
        text = gettext("Your time bank has introduced %(name)s for “%(thing)s”. Please say whether it suits you.",
                       name=subjects.people.get(introduction.candidate_id, ""), thing=thing)
    return text, link("brokerage.introduction", introduction_id=introduction.id)


def _answered(notice: Notice, subjects: Subjects) -> Said | None:
    introduction = subjects.introductions.get(notice.subject_id)
    if introduction is None:
        return None
    thing = subjects.things[introduction.id]
    if Answer.DECLINED in (introduction.candidate_answer, introduction.other_answer):
        text = gettext("The introduction for “%(thing)s” was declined.", thing=thing)
    else:
        text = gettext("The introduction for “%(thing)s” has an answer: it was accepted.", thing=thing)
    return text, link("brokerage.introduction", introduction_id=introduction.id)


RENDERERS = {NoticeKind.INTRODUCTION_MADE: Renderer(_load, _made),
             NoticeKind.INTRODUCTION_ANSWERED: Renderer(_load, _answered)}
