"""The exchange pages: record, answer, list and look at exchanges. No JavaScript; every action is a
form that posts, then redirects. The rules live in ``exchanges.service`` and ``members.policy``."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from timebank import dates
from timebank import heads_up as heads_ups
from timebank.auth.guards import current_person, members_only
from timebank.banks.service import bank_choices
from timebank.categories.service import categories as active_categories
from timebank.db import commit, db
from timebank.errors import DomainError
from timebank.exchanges import disputes, service
from timebank.exchanges.disputes import Outcome, QueueFilter
from timebank.exchanges.forms import ActionForm, DeclineForm, DisputeForm, ExchangeForm, ResolveForm, ReverseForm
from timebank.exchanges.models import DisputeStatus
from timebank.exchanges.service import Action, Proposal, Side
from timebank.feedback import service as feedback
from timebank.forms import finding, int_arg, unit_of_work
from timebank.ledger.models import ExchangeState
from timebank.members import policy
from timebank.types import ID_CONVERTER

bp = Blueprint("exchanges", __name__)

DONE_MESSAGES = {
    Action.CONFIRM: _l("Thank you. The exchange is confirmed and the hours have moved."),
    Action.DECLINE: _l("You declined the exchange. No hours have moved."),
    Action.CANCEL: _l("You cancelled the exchange. No hours have moved."),
    Action.REVERSE: _l("The exchange has been reversed. Both balances are back as they were."),
}



bp.before_request(members_only)


# --- recording -------------------------------------------------------------------------------------


def _chosen(actable: list[service.ActableAccount], raw: str | None) -> service.ActableAccount | None:
    """The account picked on the first step, or the person's only own account. A broker always
    chooses the member explicitly, so nobody records for the wrong person by pressing Continue."""
    if raw:
        return next((a for a in actable if str(a.account.id) == raw), None)
    return actable[0] if len(actable) == 1 and not actable[0].on_behalf else None


@bp.route("/exchanges/new", methods=["GET", "POST"])
def new() -> Any:
    actor = current_person()
    actable = service.accounts_to_act_for(db.session, actor)
    raw = request.form.get("account") if request.method == "POST" else request.args.get("account")
    chosen = _chosen(actable, raw)
    if chosen is None:
        # First step, or it was sent without a valid choice: choose who the exchange is for.
        account_error = raw is not None
        return render_template("exchanges/new.html", actable=actable, chosen=None, form=None,
                               account_error=account_error), 422 if account_error else 200

    form = ExchangeForm()
    form.set_choices(chosen, partial(service.counterpart_choices, db.session, chosen.account),
                     active_categories(db.session), dates.happened(db.session, chosen.account.time_bank_id))
    if not finding() and form.validate_on_submit():
        proposal = Proposal(
            account_id=chosen.account.id,
            side=Side(form.side.data),
            counterpart_account_id=form.counterpart.data,
            minutes=form.total_minutes,
            occurred_on=form.occurred_on.data,
            category=form.category.data,
            description=form.description.data or "",
            idempotency_key=form.idempotency_key.data,
            family_tie=form.family_tie_answer,
        )
        with unit_of_work(form) as work:
            exchange, created = service.propose(db.session, actor, proposal)
            exchange_id = exchange.id  # read before the commit, which expires it
        if work.done:
            if created:
                flash(_l("Exchange recorded. It is waiting for the other side to confirm it."), "success")
            else:
                flash(_l("You had already sent this exchange, so it was recorded only once."), "success")
            return redirect(url_for("exchanges.detail", exchange_id=exchange_id))
    status = 422 if form.errors else 200
    return render_template("exchanges/new.html", actable=actable, chosen=chosen, form=form,
                           account_error=False), status


# --- lists -----------------------------------------------------------------------------------------


@bp.route("/exchanges/pending")
def pending() -> Any:
    actor = current_person()
    lists = service.pending(db.session, actor)
    everything = lists.to_answer + lists.awaiting_others
    return render_template(
        "exchanges/pending.html",
        lists=lists,
        parties=service.parties(db.session, actor, everything),
        categories=service.category_labels(db.session, everything),
        action_form=ActionForm(),
    )


@bp.route("/exchanges")
def index() -> Any:
    raw_state = request.args.get("state", "")
    if raw_state and raw_state not in {s.value for s in ExchangeState}:
        abort(400, description=gettext("That page address has a value we do not understand."))
    state = ExchangeState(raw_state) if raw_state else None
    filters = {"account": int_arg("account"), "bank": int_arg("bank"), "state": raw_state or None}
    actor = current_person()
    page = service.list_exchanges(
        db.session,
        actor,
        account_id=filters["account"],
        time_bank_id=filters["bank"],
        state=state,
        before=int_arg("before"),
        after=int_arg("after"),
    )
    return render_template(
        "exchanges/index.html",
        page=page,
        parties=service.parties(db.session, actor, page.items),
        categories=service.category_labels(db.session, page.items),
        filters={k: v for k, v in filters.items() if v is not None},
        states=list(ExchangeState),
    )


# --- one exchange ----------------------------------------------------------------------------------


def _render_detail(exchange_id: int, status: int = 200, *, error: Any = None,
                   forms: dict[str, Any] | None = None, heads_up: list[str] | None = None) -> tuple[str, int]:
    actor = current_person()
    view = service.exchange_page(db.session, actor, exchange_id)
    section = disputes.for_exchange_page(db.session, actor, view.exchange)
    forms = forms or {}
    dispute_form = forms.get("dispute")
    if dispute_form is None:
        dispute_form = DisputeForm(formdata=None)
        dispute_form.set_sides(section.sides, view.names)
    return render_template(
        "exchanges/detail.html",
        view=view,
        error=error,
        action_form=forms.get("action") or ActionForm(formdata=None),
        reverse_form=forms.get("reverse") or ReverseForm(formdata=None),
        dispute_form=dispute_form,
        disputes=section,
        people=disputes.context_of(db.session, section.disputes).people,
        is_broker=policy.is_broker(db.session, actor, view.exchange.time_bank_id),
        Action=Action,
        heads_up=heads_up or [],
        return_to=(forms.get("action").return_to.data if forms.get("action") else None),
        feedback=feedback.offers(db.session, actor, feedback.ThingKind.EXCHANGE, exchange_id),
    ), status


def _heads_up_before_confirming(exchange_id: int) -> tuple[list[str], Any]:
    """What to tell the person before they confirm (``timebank.heads_up``): nothing for an exchange they may
    not confirm, whose refusal the confirmation itself gives. With the exchange read, which the caller holds
    so that confirming does not read it again (the session keeps only objects someone holds)."""
    actor = current_person()
    try:
        exchange = service.visible_exchange(db.session, actor, exchange_id)
        told = heads_ups.for_exchange(db.session, actor, exchange)
        if told and Action.CONFIRM not in service.allowed_actions(db.session, actor, exchange):
            return [], exchange
    except DomainError:
        return [], None
    return told, exchange


@bp.route(f"/exchanges/<{ID_CONVERTER}:exchange_id>")
def detail(exchange_id: int) -> Any:
    return _render_detail(exchange_id)


#: The answers that cannot be taken back and so are asked first, on a page of their own ("Decline this
#: exchange?"), with the words of its heading and its button.
ASKED_FIRST = {
    Action.DECLINE: (_l("Decline this exchange?"), _l("Yes, decline it")),
    Action.CANCEL: (_l("Cancel this exchange?"), _l("Yes, cancel it")),
}


def _return_to() -> str | None:
    """Where "Go back" and the answer lead: the list the person came from, or the exchange."""
    raw = request.form.get("return_to") if request.method == "POST" else request.args.get("return_to")
    return "pending" if raw == "pending" else None


def _render_step(exchange_id: int, action: Action, form: ActionForm, status: int = 200) -> tuple[str, int]:
    """The page that asks before an answer that cannot be taken back, refused (404, 403, 409) as the answer
    itself would be."""
    actor = current_person()
    service.actionable(db.session, actor, exchange_id, action)
    form.return_to.data = _return_to()
    heading, button = ASKED_FIRST[action]
    return render_template(
        "exchanges/step.html", view=service.exchange_page(db.session, actor, exchange_id), form=form,
        action=action, Action=Action, heading=heading, button=button,
        back=url_for("exchanges.pending") if form.return_to.data == "pending"
        else url_for("exchanges.detail", exchange_id=exchange_id),
    ), status


def _render_refused_form(exchange_id: int, action: Action, form: ActionForm, form_key: str,
                         status: int) -> tuple[str, int]:
    """A form sent back with its errors: on the page that asked, or on the exchange's page."""
    if action in ASKED_FIRST:
        return _render_step(exchange_id, action, form, status)
    return _render_detail(exchange_id, status, forms={form_key: form})


def _act(exchange_id: int, action: Action, form: ActionForm, form_key: str) -> Any:
    """Validate the button's form, call the one service function, commit, flash and redirect."""
    actor = current_person()
    if not form.validate_on_submit():
        return _render_refused_form(exchange_id, action, form, form_key, 422)
    if action is Action.CONFIRM and request.form.get("go_ahead") != "1":
        told, _held = _heads_up_before_confirming(exchange_id)
        if told:
            commit()  # the benefit profile's read is logged (the one commit)
            return _render_detail(exchange_id, forms={form_key: form}, heads_up=told)
    with unit_of_work(form) as work:
        if action is Action.CONFIRM:
            service.confirm(db.session, actor, exchange_id)
        elif action is Action.DECLINE:
            service.decline(db.session, actor, exchange_id, note=(cast(DeclineForm, form).note.data or "").strip())
        elif action is Action.CANCEL:
            service.cancel(db.session, actor, exchange_id)
        else:
            service.reverse(db.session, actor, exchange_id, reason=cast(ReverseForm, form).reason.data or "")
    if work.error is not None:
        if work.on_field:
            return _render_refused_form(exchange_id, action, form, form_key, work.status)
        # About no field (the buttons have none): said at the top of the page.
        return _render_detail(exchange_id, work.status, error=work.error.message)
    flash(DONE_MESSAGES[action], "success")
    if form.return_to.data == "pending":
        return redirect(url_for("exchanges.pending"))
    return redirect(url_for("exchanges.detail", exchange_id=exchange_id))


@bp.route(f"/exchanges/<{ID_CONVERTER}:exchange_id>/confirm", methods=["POST"])
def confirm(exchange_id: int) -> Any:
    return _act(exchange_id, Action.CONFIRM, ActionForm(), "action")


@bp.get(f"/exchanges/<{ID_CONVERTER}:exchange_id>/decline")
def ask_decline(exchange_id: int) -> Any:
    return _render_step(exchange_id, Action.DECLINE, DeclineForm(formdata=None))


@bp.post(f"/exchanges/<{ID_CONVERTER}:exchange_id>/decline")
def decline(exchange_id: int) -> Any:
    return _act(exchange_id, Action.DECLINE, DeclineForm(), "decline")


@bp.get(f"/exchanges/<{ID_CONVERTER}:exchange_id>/cancel")
def ask_cancel(exchange_id: int) -> Any:
    return _render_step(exchange_id, Action.CANCEL, ActionForm(formdata=None))


@bp.post(f"/exchanges/<{ID_CONVERTER}:exchange_id>/cancel")
def cancel(exchange_id: int) -> Any:
    return _act(exchange_id, Action.CANCEL, ActionForm(), "action")


@bp.route(f"/exchanges/<{ID_CONVERTER}:exchange_id>/reverse", methods=["POST"])
def reverse(exchange_id: int) -> Any:
    return _act(exchange_id, Action.REVERSE, ReverseForm(), "reverse")


# --- disputes --------------------------------------------------------------------------------------


@bp.route(f"/exchanges/<{ID_CONVERTER}:exchange_id>/dispute", methods=["POST"])
def dispute(exchange_id: int) -> Any:
    """"Something wrong with this exchange?": a party (or a broker for them) asks a broker to look at it."""
    actor = current_person()
    exchange = service.visible_exchange(db.session, actor, exchange_id)
    form = DisputeForm()
    form.set_sides(disputes.sides_for(db.session, actor, exchange), service.holder_names(db.session, [exchange]))
    status = 422
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            _, created = disputes.raise_dispute(db.session, actor, exchange_id, form.reason.data or "",
                                                form.account.data)
        if work.done:
            flash(_l("Thank you. A broker will look at this exchange and let you know what they decide.")
                  if created else _l("You had already sent this, so it was sent only once."), "success")
            return redirect(url_for("exchanges.detail", exchange_id=exchange_id, _anchor="disputes"))
        status = work.status
    return _render_detail(exchange_id, status, forms={"dispute": form})


def _queue_filter() -> QueueFilter | None:
    raw = request.args.get("status", QueueFilter.OPEN.value)
    if raw == "all":
        return None
    if raw not in {f.value for f in QueueFilter}:
        abort(400, description=gettext("That page address has a value we do not understand."))
    return QueueFilter(raw)


@bp.route("/disputes")
def dispute_queue() -> Any:
    """Brokers: disputes in their banks, open ones first by age."""
    actor = current_person()
    status = _queue_filter()
    bank = int_arg("bank")
    page = disputes.queue(db.session, actor, status=status, time_bank_id=bank, page=int_arg("page") or 1)
    banks = bank_choices(db.session, policy.broker_bank_ids(db.session, actor))
    filters: dict[str, Any] = {"status": status.value if status else "all"}
    if bank is not None:
        filters["bank"] = bank
    return render_template("exchanges/disputes.html", page=page, context=disputes.context_of(db.session, page.items),
                           banks=banks, bank_names=dict(banks), filters=filters, QueueFilter=QueueFilter)


def _render_dispute(dispute_id: int, status: int = 200, form: ResolveForm | None = None) -> tuple[str, int]:
    actor = current_person()
    found = disputes.visible_dispute(db.session, actor, dispute_id)
    context = disputes.context_of(db.session, [found])
    is_broker = policy.is_broker(db.session, actor, found.time_bank_id)
    may_resolve = found.status is DisputeStatus.OPEN and is_broker
    return render_template(
        "exchanges/dispute.html",
        dispute=found,
        exchange=context.exchanges[found.exchange_id],
        context=context,
        is_broker=is_broker,
        # A refused resolution keeps its form, so the reason shows even if someone else closed it first.
        form=form if form is not None else ResolveForm(formdata=None) if may_resolve else None,
    ), status


@bp.route(f"/disputes/<{ID_CONVERTER}:dispute_id>")
def dispute_detail(dispute_id: int) -> Any:
    return _render_dispute(dispute_id)


@bp.route(f"/disputes/<{ID_CONVERTER}:dispute_id>/resolve", methods=["POST"])
def resolve_dispute(dispute_id: int) -> Any:
    """Brokers: end a dispute by reversing the exchange or with a note saying why it stands."""
    actor = current_person()
    disputes.resolvable_dispute(db.session, actor, dispute_id)  # 404 / 403 before the form is read
    form = ResolveForm()
    status = 422
    if form.validate_on_submit():
        outcome = Outcome(form.outcome.data)
        with unit_of_work(form) as work:
            disputes.resolve(db.session, actor, dispute_id, outcome, form.note.data or "")
        if work.done:
            flash(_l("The exchange has been reversed and the member will be told.") if outcome is Outcome.REVERSE
                  else _l("The dispute is closed with your note, and the member will be told."), "success")
            return redirect(url_for("exchanges.dispute_detail", dispute_id=dispute_id))
        status = work.status
    return _render_dispute(dispute_id, status, form)
