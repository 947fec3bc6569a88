"""The demo's participants' voice: answers about the year's sessions and members' exchanges, through
``feedback.service`` as in real use (some typed in from paper by the broker), and residents' age bands,
about six in ten with their consent to be counted in funders' reports. Deterministic: one seeded random.
Only flushes.

Most answers are good (mostly "well" and "very well", a few "OK" or "poorly", some "not sure" about
another time); about one in five has a comment, kind and specific, naming nobody outside the demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.activities.models import Activity, ActivitySession, Role, SignUp, SignUpStatus
from timebank.feedback import service as feedback
from timebank.feedback.models import Again, Channel
from timebank.feedback.service import Answers
from timebank.ledger.models import Exchange, ExchangeKind, ExchangeState
from timebank.members.models import Person
from timebank.profiles.models import AgeBand, Profile
from timebank.types import utcnow

SEED = 1414
#: How likely someone who took part answers: a session, a member's exchange (per person side).
ANSWERS_SESSION, ANSWERS_EXCHANGE = 0.55, 0.3
#: Of the answers: given on paper at the session (the broker types them in); with a comment.
ON_PAPER, WITH_COMMENT = 0.12, 0.2
#: The share of residents who give their age band and agree to be counted in reports.
COUNTED = 0.6
SCALE_WEIGHTS = {5: 46, 4: 34, 3: 12, 2: 6, 1: 2}
AGAIN_WEIGHTS = {Again.YES: 74, Again.NOT_SURE: 19, Again.NO: 7}
AGE_WEIGHTS = {AgeBand.UNDER_25: 8, AgeBand.FROM_25_TO_34: 14, AgeBand.FROM_35_TO_49: 22,
               AgeBand.FROM_50_TO_64: 24, AgeBand.FROM_65_TO_74: 20, AgeBand.FROM_75: 12}
SESSION_COMMENTS = (
    "The tea urn was a godsend on a cold morning. More of these please.",
    "I was nervous coming on my own but Bethan showed me round and I felt at home straight away.",
    "Lovely group. Could we start half an hour later in winter? The bus gets in at ten past.",
    "I learnt how to take cuttings from the fuchsias. My nan would have been proud.",
    "A bit chaotic at first because the key holder was late, but we got loads done.",
    "Really good to be outside and talking to people. It's the only time I see anyone some weeks.",
    "Nobody explained where the toilets were at the chapel vestry. Otherwise a smashing afternoon.",
    "The young lads from the college were brilliant with the older residents.",
)
EXCHANGE_COMMENTS = (
    "Dave fixed the wobbly shelf in ten minutes and then stayed for a cuppa. Grand chap.",
    "Margaret's lift to the surgery meant I didn't have to miss my appointment. Thank you.",
    "Helping with the forms was easier than I thought. Hodan explained everything twice without fuss.",
    "My garden looks like a garden again. Would happily have him back in the spring.",
    "It took longer than we said but we both enjoyed the chat, so no complaints.",
)


@dataclass(frozen=True)
class FeedbackSummary:
    answers: int
    on_paper: int
    counted: int


T = TypeVar("T")


def _weighted(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _answers(rng: random.Random, comments: tuple[str, ...]) -> Answers:
    how = _weighted(rng, SCALE_WEIGHTS)
    again = _weighted(rng, AGAIN_WEIGHTS) if rng.random() < 0.9 else None
    if how <= 2 and again is Again.YES:
        again = Again.NOT_SURE  # nobody who found it poor is keen to go again
    comment = rng.choice(comments) if rng.random() < WITH_COMMENT else ""
    return Answers(how_it_went=how, again=again, comment=comment)


def load_feedback(session: Session, broker: Person, bank_id: int, residents: list[Person]) -> FeedbackSummary:
    """Answers and age bands for the demo bank; how many of each."""
    rng = random.Random(SEED)
    answers = on_paper = 0
    attended = session.execute(
        sa.select(SignUp.session_id, SignUp.person_id)
        .join(ActivitySession, ActivitySession.id == SignUp.session_id)
        .join(Role, Role.id == ActivitySession.role_id).join(Activity, Activity.id == Role.activity_id)
        .where(Activity.time_bank_id == bank_id, SignUp.status == SignUpStatus.ATTENDED)
        .order_by(SignUp.session_id, SignUp.person_id)).all()
    for session_id, person_id in attended:
        if rng.random() >= ANSWERS_SESSION:
            continue
        paper = rng.random() < ON_PAPER
        feedback.answer(session, feedback.session_thing(session, session_id), person_id,
                        _answers(rng, SESSION_COMMENTS), channel=Channel.PAPER if paper else Channel.PAGE,
                        recorded_by_id=broker.id if paper else None)
        answers, on_paper = answers + 1, on_paper + paper
    exchanges = session.scalars(sa.select(Exchange).where(
        Exchange.time_bank_id == bank_id, Exchange.session_id.is_(None), Exchange.kind == ExchangeKind.EXCHANGE,
        Exchange.state == ExchangeState.CONFIRMED).order_by(Exchange.id)).all()
    for exchange in exchanges:
        thing = feedback.exchange_thing(session, exchange)
        for person_id in sorted(thing.participant_ids):
            if rng.random() < ANSWERS_EXCHANGE:
                channel = Channel.EMAIL if rng.random() < 0.5 else Channel.PAGE
                feedback.answer(session, thing, person_id, _answers(rng, EXCHANGE_COMMENTS), channel=channel)
                answers += 1
    counted = 0
    for person in residents:
        if rng.random() >= COUNTED:
            continue
        profile = session.get(Profile, person.id)
        if profile is None:
            profile = Profile(holder_id=person.id)
            session.add(profile)
        profile.age_band = _weighted(rng, AGE_WEIGHTS)
        profile.in_reports_at = utcnow()
        counted += 1
    session.flush()
    return FeedbackSummary(answers, on_paper, counted)
