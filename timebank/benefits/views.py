"""Benefit-safe checks on pages. A member: what the checks are and the guidance for everyone, consent
(given and withdrawn on one page), their profile and their own flags. A broker of a bank the member
belongs to: the member's consent, profile and flags, the bank's review queue and a flag's evidence with
the actions on it. An admin: the access log only. No JavaScript; each form posts, then redirects.

Every read of benefit data is logged by the core (``profiles``, ``flags``), so those pages are marked
``@writes`` and commit their reading in one transaction. Whoever may not see a member's benefit data is
told there is none (``BenefitDataNotFound``, a 404): whether it exists is itself benefit data.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from timebank.auth.guards import current_person, members_only
from timebank.banks.service import bank_choices
from timebank.benefits import flags, profiles
from timebank.benefits.engine import ENGINE_NOTES
from timebank.benefits.facts import Severity
from timebank.benefits.forms import (
    ACCESS_KIND_LABELS,
    ACTION_LABELS,
    BENEFIT_LABELS,
    BROKER_FOOTER,
    HEALTH_WARNING,
    JURISDICTION_LABELS,
    MEMBER_NEXT_STEPS,
    MEMBER_PROMPT,
    REASON_LABELS,
    RESOLUTION_LABELS,
    SEVERITY_LABELS,
    SIGNPOSTS,
    STATE_LABELS,
    SUBJECT_LABELS,
    WEEKDAYS,
    WORK_GROUP_LABELS,
    AcknowledgeForm,
    BrokerConsentForm,
    ConsentForm,
    ProfileForm,
    QueueFilterForm,
    ResolveForm,
    SnoozeForm,
    WithdrawForm,
    broker_words,
    computed_label,
    consent_wording,
    figure_text,
    member_words,
    rule_title,
    threshold_notes,
)
from timebank.benefits.models import FlagState, Resolution
from timebank.benefits.rules import RULES_BY_ID
from timebank.benefits.wording import shown
from timebank.db import db, transaction, writes
from timebank.errors import Forbidden
from timebank.forms import ServiceForm, int_arg, unit_of_work
from timebank.members.service import display_names
from timebank.types import ID_CONVERTER

bp = Blueprint("benefits", __name__)
bp.before_request(members_only)

PERSON = f"/benefits/members/<{ID_CONVERTER}:person_id>"
FLAG = f"/benefits/flags/<{ID_CONVERTER}:flag_id>"
#: Flags on a member's page, per bank: more go to the queue filtered by the member.
MEMBER_FLAGS = 50


@bp.context_processor
def _benefit_words() -> dict[str, Any]:
    """The plain words every benefits template uses for codes and a flag's parts."""
    return {
        "benefit_labels": BENEFIT_LABELS, "work_group_labels": WORK_GROUP_LABELS,
        "jurisdiction_labels": JURISDICTION_LABELS, "weekdays": WEEKDAYS, "severity_labels": SEVERITY_LABELS,
        "state_labels": STATE_LABELS, "resolution_labels": RESOLUTION_LABELS, "action_labels": ACTION_LABELS,
        "signposts": SIGNPOSTS, "broker_footer": BROKER_FOOTER, "member_prompt": MEMBER_PROMPT,
        "member_next_steps": MEMBER_NEXT_STEPS, "health_warning": HEALTH_WARNING, "rule_title": rule_title,
        "member_words": member_words, "broker_words": broker_words, "computed_label": computed_label,
        "threshold_notes": threshold_notes, "figure_text": figure_text, "shown_value": shown,
        "engine_notes": ENGINE_NOTES,
    }


def _saved(message: Any, endpoint: str, **values: Any) -> Any:
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


# --- the member's own pages --------------------------------------------------------------------------


@bp.route("/benefits")
@writes  # reading one's own consent is logged
def index() -> Any:
    actor = current_person()
    with transaction():
        consent = profiles.consent_status(db.session, actor, actor.id, "own_view")
    return render_template("benefits/index.html", consent=consent,
                           brokered=bank_choices(db.session, flags.brokered_banks(db.session, actor)),
                           admin=actor.is_admin)


def _consent_page(form: ServiceForm | None = None, withdraw_form: ServiceForm | None = None, *,
                  status: int = 200) -> Any:
    actor = current_person()
    consent = profiles.standing_consent(db.session, actor.id)
    return render_template("benefits/consent.html", consent=consent, wording=consent_wording(),
                           form=form or ConsentForm(formdata=None),
                           withdraw_form=withdraw_form or WithdrawForm(formdata=None)), status


@bp.route("/benefits/consent", methods=["GET", "POST"])
def consent() -> Any:
    form = ConsentForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            profiles.give_consent(db.session, current_person(), current_person().id)
        if work.done:
            return _saved(_l("Benefit-safe checks are on. Now tell us which benefits you get."), "benefits.profile")
        return _consent_page(form, status=work.status)
    return _consent_page(form, status=422 if form.errors else 200)


@bp.route("/benefits/consent/withdraw", methods=["POST"])
def withdraw() -> Any:
    form = WithdrawForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            profiles.withdraw_consent(db.session, current_person(), current_person().id)
        if work.done:
            return _saved(_l("Benefit-safe checks are off. Your benefit information and reminders are deleted."),
                          "benefits.index")
        return _consent_page(withdraw_form=form, status=work.status)
    return _consent_page(withdraw_form=form, status=422)


def _profile_page(person_id: int, form: ProfileForm, *, status: int = 200) -> Any:
    own = person_id == current_person().id
    return render_template("benefits/profile.html", form=form, own=own, person_id=person_id,
                           name=display_names(db.session, [person_id]).get(person_id, ""),
                           consented=profiles.standing_consent(db.session, person_id) is not None), status


def _edit_profile(person_id: int, reason: str, done: str, done_values: dict[str, Any]) -> Any:
    actor = current_person()
    if request.method == "GET":
        with transaction():  # the reading is logged
            saved = profiles.read_profile(db.session, actor, person_id, reason)
        return _profile_page(person_id, ProfileForm(formdata=None, data=ProfileForm.data_of(saved)))
    profiles.require_reader(db.session, actor, person_id)
    form = ProfileForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            profiles.save_profile(db.session, actor, person_id, form.profile())
        if work.done:
            return _saved(_l("The benefit profile is saved."), done, **done_values)
        return _profile_page(person_id, form, status=work.status)
    return _profile_page(person_id, form, status=422)


@bp.route("/benefits/profile", methods=["GET", "POST"])
@writes  # reading the profile is logged
def profile() -> Any:
    return _edit_profile(current_person().id, "own_view", "benefits.index", {})


@bp.route("/benefits/flags")
@writes  # reading one's flags is logged
def my_flags() -> Any:
    actor = current_person()
    with transaction():
        views = flags.own_flags(db.session, actor)
        consented = profiles.standing_consent(db.session, actor.id) is not None
    return render_template("benefits/my_flags.html", views=views, consented=consented)


# --- a broker: one member ----------------------------------------------------------------------------


def _member_page(person_id: int, *, consent_form: ServiceForm | None = None,
                 withdraw_form: ServiceForm | None = None, status: int = 200) -> Any:
    actor = current_person()
    with transaction():  # every reading is logged
        consent = profiles.consent_status(db.session, actor, person_id, "broker_member")
        saved = profiles.read_profile(db.session, actor, person_id, "broker_member")
        queues = [
            (bank_id, name, flags.queue(db.session, actor, bank_id, flags.QueueFilter(person_id=person_id),
                                        page=1, per_page=MEMBER_FLAGS))
            for bank_id, name in bank_choices(db.session, profiles.brokers_banks_of(db.session, actor, person_id))
        ]
    return render_template(
        "benefits/member.html", person_id=person_id, name=display_names(db.session, [person_id]).get(person_id, ""),
        consent=consent, standing=consent is not None and consent.withdrawn_at is None, profile=saved,
        queues=queues, wording=consent_wording(), consent_form=consent_form or BrokerConsentForm(formdata=None),
        withdraw_form=withdraw_form or WithdrawForm(formdata=None),
    ), status


@bp.route(PERSON)
@writes  # every reading is logged
def member(person_id: int) -> Any:
    actor = current_person()
    profiles.require_reader(db.session, actor, person_id)
    if person_id == actor.id:
        return redirect(url_for("benefits.index"))
    return _member_page(person_id)


@bp.route(f"{PERSON}/consent", methods=["POST"])
def member_consent(person_id: int) -> Any:
    profiles.require_reader(db.session, current_person(), person_id)
    form = BrokerConsentForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            profiles.give_consent(db.session, current_person(), person_id)
        if work.done:
            return _saved(_l("Consent is recorded, marked as given through you."), "benefits.member_profile",
                          person_id=person_id)
    return _member_page(person_id, consent_form=form, status=422)


@bp.route(f"{PERSON}/consent/withdraw", methods=["POST"])
def member_withdraw(person_id: int) -> Any:
    profiles.require_reader(db.session, current_person(), person_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            profiles.withdraw_consent(db.session, current_person(), person_id)
        if work.done:
            return _saved(_l("Benefit-safe checks are off for this member. Their benefit information and flags "
                             "are deleted."), "benefits.member", person_id=person_id)
        return _member_page(person_id, withdraw_form=form, status=work.status)
    return _member_page(person_id, withdraw_form=form, status=422)


@bp.route(f"{PERSON}/profile", methods=["GET", "POST"])
@writes  # reading the profile is logged
def member_profile(person_id: int) -> Any:
    return _edit_profile(person_id, "broker_member", "benefits.member", {"person_id": person_id})


# --- a broker: the queue and a flag ------------------------------------------------------------------


def _require_some_bank() -> set[int]:
    banks = flags.brokered_banks(db.session, current_person())
    if not banks:
        raise Forbidden(_l("Only the brokers of a time bank can review its flags."))
    return banks


@bp.route("/benefits/queue")
@writes  # every flag shown is logged
def queue() -> Any:
    banks = _require_some_bank()
    form = QueueFilterForm(formdata=request.args)
    form.set_choices(bank_choices(db.session, banks),
                     [(rule_id, str(rule.title)) for rule_id, rule in sorted(RULES_BY_ID.items())])
    if form.bank_id.data is None:
        form.bank_id.data = min(banks)
    valid = form.validate()
    found = None
    if valid:
        chosen = flags.QueueFilter(
            severity=Severity(form.severity.data) if form.severity.data else None, rule_id=form.rule.data or None,
            person_id=form.person_id.data, state=FlagState(form.state.data) if form.state.data else None)
        with transaction():
            found = flags.queue(db.session, current_person(), form.bank_id.data, chosen, page=int_arg("page") or 1,
                                per_page=20)
        flags.read_again(db.session, found.items)
    query = form.query() if valid else {}
    member_name = display_names(db.session, [form.person_id.data]).get(form.person_id.data or 0) if valid else None
    return render_template("benefits/queue.html", form=form, found=found, query=query, member_name=member_name,
                           every_member={name: value for name, value in query.items() if name != "person_id"},
                           ), 200 if valid else 422


def _flag_page(flag_id: int, *, acknowledge_form: ServiceForm | None = None, resolve_form: ServiceForm | None = None,
               snooze_form: ServiceForm | None = None, status: int = 200) -> Any:
    actor = current_person()
    with transaction():  # the reading is logged
        view, history = flags.detail(db.session, actor, flag_id)
    names = display_names(db.session, [event.actor_id for event in history] + [view.flag.resolved_by_id])
    return render_template(
        "benefits/flag.html", view=view, history=history, names=names,
        acknowledge_form=acknowledge_form or AcknowledgeForm(formdata=None),
        resolve_form=resolve_form or ResolveForm(formdata=None), snooze_form=snooze_form or SnoozeForm(formdata=None),
        evidence_gone=Resolution.EVIDENCE_GONE,
    ), status


@bp.route(FLAG)
@writes  # the reading is logged
def flag(flag_id: int) -> Any:
    return _flag_page(flag_id)


def _act(flag_id: int, form: ServiceForm, form_name: str, act: Any, message: Any) -> Any:
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            act()
        if work.done:
            return _saved(message, "benefits.flag", flag_id=flag_id)
        return _flag_page(flag_id, **{form_name: form}, status=work.status)
    return _flag_page(flag_id, **{form_name: form}, status=422)


@bp.route(f"{FLAG}/acknowledge", methods=["POST"])
def acknowledge(flag_id: int) -> Any:
    form = AcknowledgeForm()
    return _act(flag_id, form, "acknowledge_form",
                lambda: flags.acknowledge(db.session, current_person(), flag_id, form.note.data or ""),
                _l("The flag is acknowledged."))


@bp.route(f"{FLAG}/resolve", methods=["POST"])
def resolve(flag_id: int) -> Any:
    form = ResolveForm()
    return _act(flag_id, form, "resolve_form",
                lambda: flags.resolve(db.session, current_person(), flag_id, Resolution(form.resolution.data),
                                      form.note.data or ""),
                _l("The flag is resolved."))


@bp.route(f"{FLAG}/snooze", methods=["POST"])
def snooze(flag_id: int) -> Any:
    form = SnoozeForm()
    return _act(flag_id, form, "snooze_form",
                lambda: flags.snooze(db.session, current_person(), flag_id, form.until.data, form.note.data or ""),
                _l("The flag is put aside."))


# --- an admin: the access log ------------------------------------------------------------------------


@bp.route("/benefits/access-log")
def access_log() -> Any:
    actor = current_person()
    profiles.require_log_reader(db.session, actor)
    person_id = int_arg("person_id")
    found = profiles.access_log(db.session, actor, person_id, page=int_arg("page") or 1, per_page=50)
    names = display_names(db.session, [row.actor_id for row in found.items] + [row.person_id for row in found.items])
    return render_template("benefits/access_log.html", found=found, names=names, person_id=person_id,
                           subject_labels=SUBJECT_LABELS, kind_labels=ACCESS_KIND_LABELS,
                           reason_labels=REASON_LABELS)
