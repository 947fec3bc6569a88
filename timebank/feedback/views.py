"""Pages for participants' voice: "How did it go?" for a session one came to or an exchange one was a
side of (signed in, or through the email's signed link, which needs no sign-in), a broker typing in an
answer given on paper, and the answers with their comments for the bank's brokers and the
organisation's admins. The rules are ``feedback.service``'s."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from timebank.auth.guards import current_person, signed_in_only
from timebank.banks.models import TimeBank
from timebank.db import db
from timebank.feedback import links, service
from timebank.feedback.forms import AGAIN_LABELS, HOW_IT_WENT_LABELS, AnswerForm, PaperAnswerForm
from timebank.feedback.models import Channel
from timebank.feedback.service import Thing, ThingKind
from timebank.forms import int_arg, unit_of_work
from timebank.members.models import Organisation
from timebank.types import ID_CONVERTER

bp = Blueprint("feedback", __name__)

EXCHANGE = f"/exchanges/<{ID_CONVERTER}:exchange_id>/feedback"
SESSION = f"/sessions/<{ID_CONVERTER}:session_id>/feedback"
#: The email link's page: its address is its key, never cached, never named to another site.
_SECRET_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
SAVED = _l("Thank you: your answer is saved. You can change it here at any time.")


@bp.before_request
def _guard() -> Any:
    if request.endpoint == "feedback.by_link":
        return None
    return signed_in_only()


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"how_it_went_labels": HOW_IT_WENT_LABELS, "again_labels": AGAIN_LABELS}


def _back(thing: Thing) -> str:
    if thing.kind is ThingKind.SESSION:
        return url_for("attendance.session_page", session_id=thing.id)
    return url_for("exchanges.detail", exchange_id=thing.id)


def _answer(thing: Thing, person_id: int, channel: Channel, here: str, *, by_link: bool = False) -> Any:
    form = AnswerForm(data=AnswerForm.initial(service.current_answer(db.session, thing, person_id)))
    status = 200
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.answer(db.session, thing, person_id, form.answers, channel=channel)
        if work.done:
            flash(SAVED, "success")
            return redirect(here)
        status = work.status
    elif form.errors:
        status = 422
    return render_template("feedback/answer.html", form=form, thing=thing, action=here,
                           back=None if by_link else _back(thing)), status


@bp.route(EXCHANGE, methods=["GET", "POST"])
def exchange_answer(exchange_id: int) -> Any:
    actor = current_person()
    thing = service.own_exchange(db.session, actor, exchange_id)
    return _answer(thing, actor.id, Channel.PAGE, url_for("feedback.exchange_answer", exchange_id=exchange_id))


@bp.route(SESSION, methods=["GET", "POST"])
def session_answer(session_id: int) -> Any:
    actor = current_person()
    thing = service.own_session(db.session, actor, session_id)
    return _answer(thing, actor.id, Channel.PAGE, url_for("feedback.session_answer", session_id=session_id))


@bp.route("/feedback/<answer_token>", methods=["GET", "POST"])
def by_link(answer_token: str) -> Any:
    person, thing = links.read_answer_token(db.session, answer_token)
    response = make_response(_answer(thing, person.id, Channel.EMAIL,
                                     url_for("feedback.by_link", answer_token=answer_token), by_link=True))
    response.headers.update(_SECRET_PAGE_HEADERS)
    return response


def _paper(thing: Thing, here: str) -> Any:
    actor = current_person()
    form = PaperAnswerForm()
    form.set_people(service.participants(db.session, thing))
    status = 200
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.answer(db.session, thing, form.person_id.data or 0, form.answers, channel=Channel.PAPER,
                           recorded_by_id=actor.id)
        if work.done:
            flash(_l("The answer on paper is saved."), "success")
            return redirect(here)
        status = work.status
    elif form.errors:
        status = 422
    return render_template("feedback/paper.html", form=form, thing=thing, action=here, back=_back(thing)), status


@bp.route(f"{EXCHANGE}/paper", methods=["GET", "POST"])
def exchange_paper(exchange_id: int) -> Any:
    thing = service.brokered_exchange(db.session, current_person(), exchange_id)
    return _paper(thing, url_for("feedback.exchange_paper", exchange_id=exchange_id))


@bp.route(f"{SESSION}/paper", methods=["GET", "POST"])
def session_paper(session_id: int) -> Any:
    thing = service.brokered_session(db.session, current_person(), session_id)
    return _paper(thing, url_for("feedback.session_paper", session_id=session_id))


def _list(page: Any, heading: str, endpoint: str, args: dict[str, int]) -> Any:
    return render_template("feedback/answers.html", page=page, heading=heading,
                           names=service.names_of(db.session, page.items),
                           titles=service.thing_titles(db.session, page.items), endpoint=endpoint, args=args)


@bp.route(f"/feedback/banks/<{ID_CONVERTER}:bank_id>")
def bank_answers(bank_id: int) -> Any:
    page = service.bank_answers(db.session, current_person(), bank_id, page=int_arg("page") or 1,
                                per_page=current_app.config["PAGE_SIZE"])
    bank = db.session.get(TimeBank, bank_id)
    return _list(page, bank.name if bank else "", "feedback.bank_answers", {"bank_id": bank_id})


@bp.route(f"/feedback/organisations/<{ID_CONVERTER}:organisation_id>")
def organisation_answers(organisation_id: int) -> Any:
    page = service.organisation_answers(db.session, current_person(), organisation_id, page=int_arg("page") or 1,
                                        per_page=current_app.config["PAGE_SIZE"])
    organisation = db.session.get(Organisation, organisation_id)
    return _list(page, organisation.display_name if organisation else "", "feedback.organisation_answers",
                 {"organisation_id": organisation_id})
