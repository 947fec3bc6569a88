"""What the notices introductions raise say (``notices.messages``): an introduction made, and an answer
given. Each is about an introduction and links to its page, where both sides answer."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy.orm import Session

from timebank.brokerage.models import Introduction, IntroductionState
from timebank.brokerage.service import Labels, labelled
from timebank.notices.messages import Renderer, Said, link, subject_ids
from timebank.notices.models import Notice, NoticeKind


@dataclass(frozen=True)
class Subjects:
    introductions: dict[int, Introduction]
    labels: Labels


def _load(session: Session, notices: list[Notice]) -> Subjects:
    return Subjects(*labelled(session, subject_ids(notices, NoticeKind.INTRODUCTION_MADE,
                                                   NoticeKind.INTRODUCTION_ANSWERED)))


def _words(notice: Notice, subjects: Subjects) -> tuple[Introduction, dict[str, str], bool] | None:
    introduction = subjects.introductions.get(notice.subject_id)
    if introduction is None:
        return None
    words = {"name": subjects.labels.names.get(introduction.candidate_id, ""),
             "thing": subjects.labels.titles.get(introduction.id, "")}
    return introduction, words, notice.person_id == introduction.candidate_id


def _made(notice: Notice, subjects: Subjects) -> Said | None:
    found = _words(notice, subjects)
    if found is None:
        return None
    introduction, words, theirs = found
    text = (gettext("Your broker has introduced you to “%(thing)s”. Please say whether you would like to help.",
                    **words) if theirs else
            gettext("Your broker has introduced %(name)s to “%(thing)s”. Please say whether it suits you.", **words))
    return text, link("brokerage.introduction", introduction_id=introduction.id)


def _answered(notice: Notice, subjects: Subjects) -> Said | None:
    found = _words(notice, subjects)
    if found is None:
        return None
    introduction, words, _theirs = found
    if introduction.state is IntroductionState.ACCEPTED:
        text = gettext("Both sides have accepted the introduction of %(name)s to “%(thing)s”.", **words)
    elif introduction.state is IntroductionState.DECLINED:
        text = gettext("The introduction of %(name)s to “%(thing)s” was declined.", **words)
    else:
        text = gettext("One side has answered the introduction of %(name)s to “%(thing)s”.", **words)
    return text, link("brokerage.introduction", introduction_id=introduction.id)


RENDERERS = {
    NoticeKind.INTRODUCTION_MADE: Renderer(_load, _made),
    NoticeKind.INTRODUCTION_ANSWERED: Renderer(_load, _answered),
}
