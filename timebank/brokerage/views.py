"""The brokerage pages: introducing people (the choose-someone page, and ``brokerage.introduce``, which the
matching page posts to as well), an introduction's page where both sides answer, each member's own list,
the brokers' lists, contact notes, and messages between members and their brokers.

Thin: each reads its form, calls one service function and redirects, or shows the form again with the
refusal next to its field. Funders who see aggregates only get a 403 before anything is read.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_time, gettext
from flask_babel import lazy_gettext as _l

from timebank.audit.labels import action_label
from timebank.auth.guards import current_person, members_only
from timebank.banks.service import bank_choices, brokered_bank
from timebank.benefits.forms import SEVERITY_LABELS
from timebank.brokerage import contact, queries, service
from timebank.brokerage.forms import AnswerForm, IntroduceForm, MessageForm, NoteForm
from timebank.brokerage.models import Answer, IntroductionState
from timebank.clock import uk_today
from timebank.db import db, writes
from timebank.errors import NotFound
from timebank.forms import ServiceForm, int_arg, unit_of_work
from timebank.mail import service as mail
from timebank.members import policy
from timebank.members.forms import CONTACT_METHOD_LABELS
from timebank.members.models import Person
from timebank.members.service import display_names
from timebank.notices import messages
from timebank.notices.messages import NoticeLine
from timebank.notices.models import Notice
from timebank.profiles import search
from timebank.types import ID_CONVERTER, MAX_ID

bp = Blueprint("brokerage", __name__)

INTRODUCTION = f"/introductions/<{ID_CONVERTER}:introduction_id>"
BANK = f"/brokerage/banks/<{ID_CONVERTER}:bank_id>"
NOTES = f"/people/<{ID_CONVERTER}:person_id>/broker-notes"
#: People shown to choose from on the introduce page, per search.
CHOICES = 20

STATE_LABELS = {
    IntroductionState.PROPOSED: _l("Waiting for answers"),
    IntroductionState.ACCEPTED: _l("Accepted"),
    IntroductionState.DECLINED: _l("Declined"),
    IntroductionState.EXPIRED: _l("Ran out of time"),
    IntroductionState.WITHDRAWN: _l("Withdrawn"),
}
ANSWER_LABELS = {Answer.ACCEPTED: _l("Accepted"), Answer.DECLINED: _l("Declined")}


#: Where the dashboard's recent activity links each kind of subject the audit log names: (endpoint, its id).
SUBJECT_PAGES = {
    "person": ("profiles.show", "holder_id"), "organisation": ("profiles.show", "holder_id"),
    "application": ("membership.detail", "application_id"),
    "introduction": ("brokerage.introduction", "introduction_id"),
    "exchange": ("exchanges.detail", "exchange_id"), "dispute": ("exchanges.dispute_detail", "dispute_id"),
    "listing": ("listings.detail", "listing_id"), "activity": ("activities.detail", "activity_id"),
    "activity_session": ("attendance.session_page", "session_id"), "timesheet_import": ("imports.detail", "import_id"),
}


@bp.before_request
def _members_only() -> Any:
    return members_only()


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"state_labels": STATE_LABELS, "answer_labels": ANSWER_LABELS, "Side": service.Side,
            "when": lambda moment: f"{format_date(moment, 'medium')}, {format_time(moment, 'HH:mm')}",
            "contact_labels": CONTACT_METHOD_LABELS, "subject_pages": SUBJECT_PAGES, "action_label": action_label}


# --- introducing ------------------------------------------------------------------------------------


def _render_new(form: IntroduceForm, status: int = 200) -> Any:
    """The choose-someone page for the thing the form names (or, with only a person, the things to choose)."""
    actor = current_person()
    service.require_a_broker(db.session, actor)
    if form.listing_id.data is None and form.role_id.data is None:
        return _render_things(actor)
    thing = service.load_thing(db.session, listing_id=form.listing_id.data, role_id=form.role_id.data,
                               session_id=form.session_id.data)
    service.require_broker_of(db.session, actor, thing.time_bank_id)
    q = (request.args.get("q") or "").strip()[:search.MAX_QUERY]
    found = (search.search(db.session, actor, search.Criteria(q=q, time_bank_id=thing.time_bank_id),
                           per_page=CHOICES).items if q else [])
    chosen = list(form.candidate_ids.data or [])
    if (person_id := int_arg("person_id")) is not None and person_id not in chosen:
        chosen.append(person_id)
    return render_template(
        "brokerage/new.html", form=form, thing=thing, q=q, found=[c for c in found if not c.is_organisation],
        chosen=display_names(db.session, chosen), chosen_ids=set(chosen),
    ), status


def _render_things(actor: Person) -> Any:
    """From a member's page: the bank's open requests and roles still to come, to introduce them to."""
    person_id = int_arg("person_id")
    bank_id = int_arg("bank")
    if person_id is None:
        abort(400, description=gettext("Choose a request or a role first."))
    if bank_id is None:
        shared = policy.broker_bank_ids(db.session, actor) & policy.holder_bank_ids(db.session, person_id)
        if not shared:
            raise NotFound(_l("There is no such member"))
        bank_id = min(shared)
    bank = brokered_bank(db.session, actor, bank_id)
    return render_template("brokerage/things.html", bank=bank, person_id=person_id,
                           names=display_names(db.session, [person_id]),
                           requests=queries.open_requests(db.session, bank.id, page=int_arg("page", default=1) or 1),
                           roles=queries.unfilled_sessions(db.session, bank.id, page=1))


@bp.route("/introductions/new")
def new() -> Any:
    return _render_new(IntroduceForm(formdata=request.args, meta={"csrf": False}))


@bp.route("/introductions", methods=["POST"])
def introduce() -> Any:
    form = IntroduceForm()
    actor = current_person()
    service.require_a_broker(db.session, actor)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            made = service.introduce(db.session, actor, form.introduction)
            made_ids, bank_id = [row.id for row in made], made[0].time_bank_id
        if work.done:
            flash(_l("Introduced. Both sides have been told and can answer on the introduction's page."), "success")
            if len(made_ids) == 1:
                return redirect(url_for("brokerage.introduction", introduction_id=made_ids[0]))
            return redirect(url_for("brokerage.bank_introductions", bank_id=bank_id, state="proposed"))
        return _render_new(form, work.status)
    return _render_new(form, 422)


# --- one introduction ---------------------------------------------------------------------------------


def _render_introduction(introduction_id: int, status: int = 200, form: AnswerForm | None = None) -> Any:
    actor = current_person()
    view = service.visible_introduction(db.session, actor, introduction_id)
    introduction = view.introduction
    answerable = view.answerable
    if form is None:
        form = AnswerForm(formdata=None, side=answerable[0] if len(answerable) == 1 else None)
    people = [introduction.candidate_id, introduction.introduced_by_id, introduction.candidate_answered_by_id,
              introduction.other_answered_by_id, view.thing.other_holder_id]
    names = display_names(db.session, people)
    # Name each side, so a broker answering for someone sees whom.
    form.side.choices = [(side, names.get(holder_id, label)) for side, holder_id, label in (
        (service.Side.CANDIDATE, introduction.candidate_id, _l("The person introduced")),
        (service.Side.OTHER, view.thing.other_holder_id, _l("The other side"))) if side in answerable]
    return render_template("brokerage/introduction.html", view=view, introduction=introduction, form=form,
                           answerable=answerable, names=names,
                           sign_up=service.sign_up_of(db.session, introduction)), status


@bp.route(INTRODUCTION)
def introduction(introduction_id: int) -> Any:
    return _render_introduction(introduction_id)


@bp.route(f"{INTRODUCTION}/answer", methods=["POST"])
def answer(introduction_id: int) -> Any:
    form = AnswerForm()
    service.visible_introduction(db.session, current_person(), introduction_id)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.answer(db.session, current_person(), introduction_id, form.side.data, Answer(form.answer.data),
                           form.reason.data or "")
        if work.done:
            flash(_l("Thank you: your answer is recorded."), "success")
            return redirect(url_for("brokerage.introduction", introduction_id=introduction_id))
        return _render_introduction(introduction_id, work.status, form)
    return _render_introduction(introduction_id, 422, form)


@bp.route(f"{INTRODUCTION}/withdraw", methods=["POST"])
def withdraw(introduction_id: int) -> Any:
    form = AnswerForm()  # only its CSRF token is read
    service.require_a_broker(db.session, current_person())
    with unit_of_work(form) as work:
        service.withdraw(db.session, current_person(), introduction_id)
    if work.done:
        flash(_l("The introduction is withdrawn."), "success")
        return redirect(url_for("brokerage.introduction", introduction_id=introduction_id))
    return _render_introduction(introduction_id, work.status, form)


# --- lists ------------------------------------------------------------------------------------------


@bp.route("/introductions")
def introductions_mine() -> Any:
    page = service.my_introductions(db.session, current_person(), page=int_arg("page", default=1) or 1)
    return render_template("brokerage/mine.html", page=page, labels=service.labels_for(db.session, page.items))


@bp.route(f"{BANK}/introductions")
def bank_introductions(bank_id: int) -> Any:
    actor = current_person()
    bank = brokered_bank(db.session, actor, bank_id)
    raw = request.args.get("state") or None
    if raw is not None and raw not in {s.value for s in IntroductionState}:
        abort(400, description=gettext("That page address has a value we do not understand."))
    state = IntroductionState(raw) if raw else None
    page = service.bank_introductions(db.session, actor, bank.id, state=state, page=int_arg("page", default=1) or 1)
    return render_template("brokerage/bank_introductions.html", bank=bank, page=page, state=state,
                           labels=service.labels_for(db.session, page.items))


# --- contact notes ----------------------------------------------------------------------------------


def _note_bank(person_id: int) -> int:
    bank_id = int_arg("bank")
    if bank_id is None:
        shared = (policy.broker_bank_ids(db.session, current_person())
                  & policy.holder_bank_ids(db.session, person_id))
        if not shared:
            raise NotFound(_l("There is no such member"))
        bank_id = min(shared)
    return bank_id


def _render_notes(person_id: int, bank_id: int, form: NoteForm | None = None, status: int = 200) -> Any:
    actor = current_person()
    page = contact.notes_of(db.session, actor, person_id, bank_id, page=int_arg("page", default=1) or 1)
    shared = policy.broker_bank_ids(db.session, actor) & policy.holder_bank_ids(db.session, person_id)
    return render_template(
        "brokerage/notes.html", page=page, person_id=person_id, bank_id=bank_id,
        names=display_names(db.session, [person_id, *(n.author_id for n in page.items)]),
        other_banks=[bank for bank in bank_choices(db.session, shared) if bank[0] != bank_id],
        form=form or NoteForm(formdata=None, time_bank_id=bank_id, contacted_on=uk_today()),
    ), status


@bp.route(NOTES)
def notes(person_id: int) -> Any:
    service.require_a_broker(db.session, current_person())
    return _render_notes(person_id, _note_bank(person_id))


@bp.route(NOTES, methods=["POST"])
def add_note(person_id: int) -> Any:
    service.require_a_broker(db.session, current_person())
    form = NoteForm()
    form.time_bank_id.validate(form)
    bank_id = form.time_bank_id.data
    if form.time_bank_id.errors or bank_id is None or not 1 <= bank_id <= MAX_ID:
        abort(400, description=gettext("This form is out of date. Please start again."))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            contact.add_note(db.session, current_person(), person_id, bank_id, form.contacted_on.data,
                             form.body.data or "")
        if work.done:
            flash(_l("The note is added."), "success")
            return redirect(url_for("brokerage.notes", person_id=person_id, bank=bank_id))
        return _render_notes(person_id, bank_id, form, work.status)
    return _render_notes(person_id, bank_id, form, 422)


# --- messages ---------------------------------------------------------------------------------------


@bp.route("/messages")
def my_banks() -> Any:
    """A member's conversations: one per bank they belong to."""
    actor = current_person()
    return render_template("brokerage/my_banks.html",
                           banks=bank_choices(db.session, policy.holder_bank_ids(db.session, actor.id)))


def _render_conversation(bank_id: int, person_id: int, form: MessageForm | None = None, status: int = 200) -> Any:
    actor = current_person()
    page = contact.conversation(db.session, actor, person_id, bank_id, page=int_arg("page", default=1) or 1)
    [(_, bank_name)] = bank_choices(db.session, [bank_id])
    return render_template("brokerage/conversation.html", page=page, bank_id=bank_id, bank_name=bank_name,
                           person_id=person_id, as_broker=person_id != actor.id,
                           names=display_names(db.session, [person_id, *(m.author_id for m in page.items)]),
                           form=form or MessageForm(formdata=None)), status


@bp.route(f"/messages/<{ID_CONVERTER}:bank_id>")
@writes  # the member has now read their brokers' replies
def conversation(bank_id: int) -> Any:
    return _render_conversation(bank_id, current_person().id)


@bp.route(f"/messages/<{ID_CONVERTER}:bank_id>", methods=["POST"])
def write(bank_id: int) -> Any:
    form = MessageForm()
    actor = current_person()
    contact.require_member(db.session, actor, bank_id)
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            contact.write_to_brokers(db.session, actor, bank_id, form.body.data or "")
        if work.done:
            flash(_l("Sent. A broker will reply here."), "success")
            return redirect(url_for("brokerage.conversation", bank_id=bank_id))
        return _render_conversation(bank_id, actor.id, form, work.status)
    return _render_conversation(bank_id, actor.id, form, 422)


@bp.route(f"{BANK}/messages")
def waiting(bank_id: int) -> Any:
    actor = current_person()
    bank = brokered_bank(db.session, actor, bank_id)
    page = contact.waiting(db.session, actor, bank.id, page=int_arg("page", default=1) or 1)
    return render_template("brokerage/waiting.html", bank=bank, page=page,
                           names=display_names(db.session, [m.person_id for m in page.items]))


@bp.route(f"{BANK}/messages/<{ID_CONVERTER}:person_id>")
def broker_conversation(bank_id: int, person_id: int) -> Any:
    service.require_a_broker(db.session, current_person())
    return _render_conversation(bank_id, person_id)


@bp.route(f"{BANK}/messages/<{ID_CONVERTER}:person_id>", methods=["POST"])
def reply(bank_id: int, person_id: int) -> Any:
    actor = current_person()
    service.require_a_broker(db.session, actor)
    form = MessageForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            contact.reply(db.session, actor, person_id, bank_id, form.body.data or "")
        if work.done:
            flash(_l("Your reply is sent."), "success")
            return redirect(url_for("brokerage.broker_conversation", bank_id=bank_id, person_id=person_id))
        return _render_conversation(bank_id, person_id, form, work.status)
    return _render_conversation(bank_id, person_id, form, 422)


# --- the dashboard ----------------------------------------------------------------------------------

#: The sections whose "see all" page is this one; introductions and messages have their own lists.
_SEE_ALL = "any({})".format(", ".join(f"'{name}'" for name in queries.SECTIONS
                                      if name not in ("introductions", "messages")))


def _section_names(name: str, items: list[Any]) -> dict[int, str]:
    """The names a section's rows show, in one query."""
    if name == "applications":
        return display_names(db.session, [a.holder_id for a in items])
    if name == "quiet-members":
        return {p.id: p.display_name for p in items}
    if name == "recent":
        return display_names(db.session, [e.actor_id for e in items])
    if name == "to-pass-on":
        return display_names(db.session, [e.person_id for e in items])
    if name in ("introductions", "messages"):
        return display_names(db.session, [getattr(i, "candidate_id", None) or getattr(i, "person_id", None)
                                          for i in items])
    return {}


def _told(items: list[Any]) -> dict[int, NoticeLine]:
    """What each email not sent would have said (the notice's own words, in the broker's language), for the
    broker to pass on; in one query and the notices' own."""
    notice_ids = {email.notice_id for email in items if getattr(email, "notice_id", None)}
    if not notice_ids:
        return {}
    said = {line.notice.id: line for line in messages.lines_for(
        db.session, list(db.session.scalars(sa.select(Notice).where(Notice.id.in_(notice_ids)))))}
    return {email.id: said[email.notice_id] for email in items if email.notice_id in said}


@bp.route(f"{BANK}/to-pass-on/<{ID_CONVERTER}:unsent_email_id>", methods=["POST"])
def passed_on(bank_id: int, unsent_email_id: int) -> Any:
    """The broker has told a member what an email would have (they hear through their broker)."""
    form = ServiceForm()  # only its CSRF token is read
    actor = current_person()
    brokered_bank(db.session, actor, bank_id)
    with unit_of_work(form) as work:
        mail.mark_passed_on(db.session, actor, unsent_email_id)
    if work.done:
        flash(_l("Marked as passed on."), "success")
    return redirect(url_for("brokerage.dashboard", bank_id=bank_id, _anchor="to-pass-on"))


@bp.route("/brokerage")
def dashboards() -> Any:
    """The broker's dashboard, for someone who runs one bank; the banks to choose from, for more."""
    actor = current_person()
    service.require_a_broker(db.session, actor)
    banks = bank_choices(db.session, policy.broker_bank_ids(db.session, actor))
    if len(banks) == 1:
        return dashboard(banks[0][0])
    return render_template("brokerage/dashboards.html", banks=banks)


@bp.route(BANK)
def dashboard(bank_id: int) -> Any:
    actor = current_person()
    bank = brokered_bank(db.session, actor, bank_id)
    board = queries.dashboard(db.session, actor, bank, uk_today())
    intros = board.sections["introductions"].items
    return render_template(
        "brokerage/dashboard.html", board=board, bank=bank, today=uk_today(),
        names={name: _section_names(name, page.items) for name, page in board.sections.items()},
        labels=service.labels_for(db.session, intros), told=_told(board.sections["to-pass-on"].items),
        quiet_days=queries.QUIET_DAYS, pending_days=queries.PENDING_DAYS, severity_labels=SEVERITY_LABELS,
    )


@bp.route(f"{BANK}/<{_SEE_ALL}:section>")
def see_all(bank_id: int, section: str) -> Any:
    actor = current_person()
    bank = brokered_bank(db.session, actor, bank_id)
    page = queries.section(db.session, bank, section, uk_today(), page=int_arg("page", default=1) or 1,
                           per_page=20)
    return render_template(
        "brokerage/section.html", bank=bank, section=section, page=page, today=uk_today(),
        names=_section_names(section, page.items), quiet_days=queries.QUIET_DAYS,
        pending_days=queries.PENDING_DAYS, told=_told(page.items) if section == "to-pass-on" else {},
    )
