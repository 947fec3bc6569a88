"""Benefit-safe checks over the JSON API: a member's own consent, profile and flags; a broker's view of a
member's consent and profile, a bank's review queue, a flag's evidence and the actions on it; the access log
for admins.

Each route is: decide access → parse → one ``profiles``/``flags`` call → respond (the blueprint commits).
Whoever may not see a member's benefit data, or a flag, is told it is not there (404), never why: organisations,
funders, other members, another bank's brokers and admins as such. Every read of benefit data is logged by
the core, so reading routes are marked ``@writes``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.api.schemas import page_fields
from timebank.benefits import errors, flags, profiles
from timebank.benefits.engine import ENGINE_NOTES
from timebank.benefits.facts import Profile
from timebank.benefits.forms import (
    BROKER_FOOTER,
    MEMBER_NEXT_STEPS,
    MEMBER_PROMPT,
    SIGNPOSTS,
    broker_words,
    computed_label,
    consent_wording,
    figure_text,
    member_words,
    rule_title,
    threshold_notes,
)
from timebank.benefits.models import BenefitConsent, BenefitFlag, BenefitFlagEvent
from timebank.benefits.rulebook import tax_year_label, tax_year_of
from timebank.benefits.rules import RULES_BY_ID
from timebank.benefits.schemas import (
    BenefitAccessLogArgs,
    BenefitAccessLogPageOut,
    BenefitConsentIn,
    BenefitConsentOut,
    BenefitProfileIn,
    BenefitProfileOut,
    FlagAcknowledgeIn,
    FlagCountsOut,
    FlagDetailOut,
    FlagPageOut,
    FlagQueueArgs,
    FlagResolveIn,
    FlagSnoozeIn,
    MemberFlagsOut,
)
from timebank.benefits.wording import shown
from timebank.clock import uk_today
from timebank.db import db, writes
from timebank.members import policy
from timebank.members.models import Person
from timebank.members.service import display_names
from timebank.suppression import SUPPRESS_BELOW
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_benefits", __name__, url_prefix="/api/v1",
    description="Benefit-safe checks: opt-in consent, a minimal benefit profile and flags that prompt a broker to "
                "check, never decide. Only the member and the brokers of their banks see any of it; admins see the "
                "access log only. Every read and change is logged.",
)

PERSON = f"/people/<{ID_CONVERTER}:person_id>/benefits"
FLAG = f"/benefit-flags/<{ID_CONVERTER}:flag_id>"


def require_flag_broker(session: Any, actor: Person, flag_id: int) -> None:
    """A broker of the flag's bank by role; anyone else is told there is no such flag."""
    flag = session.get(BenefitFlag, flag_id)
    if flag is None or not flags.brokers(session, actor, flag.time_bank_id):
        raise errors.FlagNotFound()


def require_counts_reader(session: Any, actor: Person, bank_id: int) -> None:
    """A funder or a broker of the bank: anyone else finds nothing."""
    if not flags.may_see_counts(session, actor, bank_id):
        raise errors.FlagNotFound()


def require_queue_broker(session: Any, actor: Person, bank_id: int) -> None:
    if not flags.brokers(session, actor, bank_id):
        raise errors.FlagNotFound()


# --- what the routes return --------------------------------------------------------------------------


def _consent(consent: BenefitConsent | None) -> dict[str, Any]:
    state = "never_given" if consent is None else "withdrawn" if consent.withdrawn_at else "given"
    return {
        "state": state, "wording_version": consent.wording_version if consent else None,
        "given_at": consent.given_at if consent else None, "on_behalf": consent.on_behalf if consent else None,
        "withdrawn_at": consent.withdrawn_at if consent else None,
        "current_wording_version": profiles.WORDING_VERSION, "wording": [str(p) for p in consent_wording()],
    }


def _profile(person_id: int, profile: Profile | None) -> dict[str, Any]:
    shown_profile = None if profile is None else {
        "benefits": sorted(benefit.value for benefit in profile.benefits), "jurisdiction": profile.jurisdiction.value,
        "uc_work_group": profile.uc_work_group.value if profile.uc_work_group else None,
        "uc_expected_hours": profile.uc_expected_hours, "agreed_voluntary_hours": profile.agreed_voluntary_hours,
        "couple": profile.couple, "last_told_on": profile.last_told_on,
        "benefit_week_starts": profile.benefit_week_starts, "uc_assessment_day": profile.uc_assessment_day,
    }
    return {"consented": profiles.standing_consent(db.session, person_id) is not None, "profile": shown_profile}


def _facts(body: dict[str, Any]) -> Profile:
    return Profile(**{**body, "benefits": frozenset(body["benefits"])})


def _thresholds(view: flags.FlagView) -> list[dict[str, Any]]:
    return [{**threshold, "effective_from": dt.date.fromisoformat(threshold["effective_from"]),
             "text": figure_text(threshold), "notes": threshold_notes(threshold)}
            for threshold in view.evidence.get("thresholds", [])]


def _base(view: flags.FlagView) -> dict[str, Any]:
    flag = view.flag
    return {"id": flag.id, "rule_id": flag.rule_id, "rule_title": rule_title(view), "severity": flag.severity,
            "state": flag.state, "window_start": flag.window_start, "window_end": flag.window_end,
            "raised_at": flag.raised_at, "thresholds": _thresholds(view)}


def _member_flag(view: flags.FlagView) -> dict[str, Any]:
    return {**_base(view), "text": member_words(view), "prompt": str(MEMBER_PROMPT),
            "next_steps": [str(step) for step in MEMBER_NEXT_STEPS],
            "signposts": [{"name": str(name), "url": url, "about": str(about)} for name, url, about in SIGNPOSTS]}


def _note(note: str | None) -> str | None:
    return str(ENGINE_NOTES[note]) if note in ENGINE_NOTES else note


def _flag(view: flags.FlagView) -> dict[str, Any]:
    flag = view.flag
    return {
        **_base(view), "person_id": flag.person_id, "person_name": view.member_name, "time_bank_id": flag.time_bank_id,
        "updated_at": flag.updated_at, "snoozed_until": flag.snoozed_until, "resolved_at": flag.resolved_at,
        "resolution": flag.resolution, "resolution_note": _note(flag.resolution_note), "text": broker_words(view),
        "prompt": str(BROKER_FOOTER),
        "references": [{"kind": kind, "id": record_id} for kind, record_id in view.evidence.get("references", [])],
        "computed": [{"name": name, "label": computed_label(name), "value": shown(value)}
                     for name, value in (view.evidence.get("computed") or {}).items()],
    }


def _detail(view: flags.FlagView, history: list[BenefitFlagEvent]) -> dict[str, Any]:
    names = display_names(db.session, [event.actor_id for event in history])
    return {**_flag(view), "history": [
        {"at": event.at, "actor_id": event.actor_id, "actor_name": names.get(event.actor_id or 0),
         "action": event.action, "note": _note(event.note)} for event in history]}


def _after_action(actor: Person, flag_id: int) -> dict[str, Any]:
    return _detail(*flags.detail(db.session, actor, flag_id))


# --- the member's own --------------------------------------------------------------------------------


@bp.route("/benefits/consent")
@writes  # the reading is logged
@bp.access(policy.require_member_access)
@bp.response(200, BenefitConsentOut)
def get_own_consent(actor: Person) -> dict[str, Any]:
    """Whether your benefit-safe checks are on, and the current consent wording to agree to."""
    return _consent(profiles.consent_status(db.session, actor, actor.id, "own_view"))


@bp.route("/benefits/consent", methods=["PUT"])
@bp.access(policy.require_member_access)
@bp.arguments(BenefitConsentIn)
@bp.response(200, BenefitConsentOut)
@bp.problems(403)
def give_own_consent(body: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Switch your checks on, agreeing to the current wording (send its version and ``agree: true``). Giving it
    again while it stands changes nothing. Membership and every other feature never depend on it."""
    return _consent(profiles.give_consent(db.session, actor, actor.id))


@bp.route("/benefits/consent", methods=["DELETE"])
@bp.access(policy.require_member_access)
@bp.response(200, BenefitConsentOut)
@bp.problems(403, 422)
def withdraw_own_consent(actor: Person) -> dict[str, Any]:
    """Switch your checks off: your benefit profile and every flag are deleted at once; only the fact and
    dates of consent and withdrawal are kept. 422 ``benefit-no-consent`` if they are not on."""
    return _consent(profiles.withdraw_consent(db.session, actor, actor.id))


@bp.route("/benefits/profile")
@writes  # the reading is logged
@bp.access(policy.require_member_access)
@bp.response(200, BenefitProfileOut)
def get_own_profile(actor: Person) -> dict[str, Any]:
    """Your benefit profile (None until saved, and while checks are off)."""
    return _profile(actor.id, profiles.read_profile(db.session, actor, actor.id, "own_view"))


@bp.route("/benefits/profile", methods=["PUT"])
@bp.access(policy.require_member_access)
@bp.arguments(BenefitProfileIn)
@bp.response(200, BenefitProfileOut)
@bp.problems(403, 422)
def save_own_profile(body: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Save your benefit profile (checks must be on: 422 ``benefit-no-consent``). Only what the checks need:
    no National Insurance number, conditions, amounts or uploads."""
    return _profile(actor.id, profiles.save_profile(db.session, actor, actor.id, _facts(body)))


@bp.route("/benefits/flags")
@writes  # the reading is logged
@bp.access(policy.require_member_access)
@bp.response(200, MemberFlagsOut)
def own_flags(actor: Person) -> dict[str, Any]:
    """Your flags not yet resolved, most urgent first, in plain words, each with what you might do and where to
    get free advice. Each is a reminder, not a decision."""
    views = flags.own_flags(db.session, actor)
    return {"consented": profiles.standing_consent(db.session, actor.id) is not None,
            "items": [_member_flag(view) for view in views]}


# --- a broker: one member ----------------------------------------------------------------------------


@bp.route(f"{PERSON}/consent")
@writes  # the reading is logged
@bp.access(profiles.require_reader)
@bp.response(200, BenefitConsentOut)
@bp.problems(404)
def get_consent(person_id: int, actor: Person) -> dict[str, Any]:
    """A member's consent, for a broker of one of their banks."""
    return _consent(profiles.consent_status(db.session, actor, person_id, "broker_member"))


@bp.route(f"{PERSON}/consent", methods=["PUT"])
@bp.access(profiles.require_reader)
@bp.arguments(BenefitConsentIn)
@bp.response(200, BenefitConsentOut)
@bp.problems(404)
def give_consent(body: dict[str, Any], person_id: int, actor: Person) -> dict[str, Any]:
    """Record consent for a member who is not online, having read them the wording: marked ``on_behalf``."""
    return _consent(profiles.give_consent(db.session, actor, person_id))


@bp.route(f"{PERSON}/consent", methods=["DELETE"])
@bp.access(profiles.require_reader)
@bp.response(200, BenefitConsentOut)
@bp.problems(404, 422)
def withdraw_consent(person_id: int, actor: Person) -> dict[str, Any]:
    """Switch a member's checks off at their request: their profile and flags are deleted at once."""
    return _consent(profiles.withdraw_consent(db.session, actor, person_id))


@bp.route(f"{PERSON}/profile")
@writes  # the reading is logged
@bp.access(profiles.require_reader)
@bp.response(200, BenefitProfileOut)
@bp.problems(404)
def get_profile(person_id: int, actor: Person) -> dict[str, Any]:
    """A member's benefit profile, for a broker of one of their banks."""
    return _profile(person_id, profiles.read_profile(db.session, actor, person_id, "broker_member"))


@bp.route(f"{PERSON}/profile", methods=["PUT"])
@bp.access(profiles.require_reader)
@bp.arguments(BenefitProfileIn)
@bp.response(200, BenefitProfileOut)
@bp.problems(404, 422)
def save_profile(body: dict[str, Any], person_id: int, actor: Person) -> dict[str, Any]:
    """Save a member's benefit profile for them (their checks must be on)."""
    return _profile(person_id, profiles.save_profile(db.session, actor, person_id, _facts(body)))


# --- a broker: the queue and a flag ------------------------------------------------------------------


@bp.route(f"/banks/<{ID_CONVERTER}:bank_id>/benefit-flags")
@writes  # every flag listed is logged
@bp.access(require_queue_broker)
@bp.arguments(FlagQueueArgs, location="query")
@bp.response(200, FlagPageOut)
@bp.problems(404)
def queue(query: dict[str, Any], bank_id: int, actor: Person) -> dict[str, Any]:
    """A bank's review queue for its brokers, newest first, filtered by severity, rule, state and member
    (without ``state``: every flag still to look at)."""
    chosen = flags.QueueFilter(severity=query["severity"], rule_id=query["rule"], person_id=query["person_id"],
                               state=query["state"])
    found = flags.queue(db.session, actor, bank_id, chosen, page=query["page"], per_page=query["per_page"])
    return {"items": [_flag(view) for view in found.items], **page_fields(found)}


@bp.route(f"/banks/<{ID_CONVERTER}:bank_id>/benefit-flag-counts")
@bp.access(require_counts_reader)
@bp.response(200, FlagCountsOut)
@bp.problems(404)
def flag_counts(bank_id: int, actor: Person) -> dict[str, Any]:
    """For the bank's funders (and brokers): benefit-safe flags raised this tax year, by rule and severity,
    counts from 1 to 4 not shown. Never whose, never evidence."""
    today = uk_today()
    counts = flags.funder_counts(db.session, {bank_id}, tax_year_of(today)[0], today)[bank_id]
    return {"tax_year": tax_year_label(today), "suppressed_below": SUPPRESS_BELOW, "counts": [
        {"rule": c.rule_id, "title": str(RULES_BY_ID[c.rule_id].title) if c.rule_id in RULES_BY_ID else c.rule_id,
         "severity": c.severity.value, "count": c.count} for c in counts]}


@bp.route(FLAG)
@writes  # the reading is logged
@bp.access(require_flag_broker)
@bp.response(200, FlagDetailOut)
@bp.problems(404)
def get_flag(flag_id: int, actor: Person) -> dict[str, Any]:
    """A flag's evidence (records, window, figures, thresholds with tax year, source, kind and whether checked),
    the broker's wording and footer, and its history."""
    return _detail(*flags.detail(db.session, actor, flag_id))


@bp.route(f"{FLAG}/acknowledge", methods=["POST"])
@bp.access(require_flag_broker)
@bp.arguments(FlagAcknowledgeIn)
@bp.response(200, FlagDetailOut)
@bp.problems(404, 422)
def acknowledge(body: dict[str, Any], flag_id: int, actor: Person) -> dict[str, Any]:
    """You have seen it and are dealing with it. 422 ``benefit-flag-resolved`` once resolved."""
    flags.acknowledge(db.session, actor, flag_id, body["note"])
    return _after_action(actor, flag_id)


@bp.route(f"{FLAG}/resolve", methods=["POST"])
@bp.access(require_flag_broker)
@bp.arguments(FlagResolveIn)
@bp.response(200, FlagDetailOut)
@bp.problems(404, 422)
def resolve(body: dict[str, Any], flag_id: int, actor: Person) -> dict[str, Any]:
    """Resolve it with a reason (the member has told DWP or the council; receipts seen; not applicable;
    referred to advice) and an optional note."""
    flags.resolve(db.session, actor, flag_id, body["resolution"], body["note"])
    return _after_action(actor, flag_id)


@bp.route(f"{FLAG}/snooze", methods=["POST"])
@bp.access(require_flag_broker)
@bp.arguments(FlagSnoozeIn)
@bp.response(200, FlagDetailOut)
@bp.problems(404, 422)
def snooze(body: dict[str, Any], flag_id: int, actor: Person) -> dict[str, Any]:
    """Put it aside until a day after today (422 ``benefit-snooze-in-past`` otherwise): it is back in the
    queue on that day."""
    flags.snooze(db.session, actor, flag_id, body["until"], body["note"])
    return _after_action(actor, flag_id)


# --- an admin: the access log ------------------------------------------------------------------------


@bp.route("/benefits/access-log")
@bp.access(profiles.require_log_reader)
@bp.arguments(BenefitAccessLogArgs, location="query")
@bp.response(200, BenefitAccessLogPageOut)
@bp.problems(403)
def access_log(query: dict[str, Any], actor: Person) -> dict[str, Any]:
    """Admins: who read or changed whose benefit data, what and why, newest first. Never the data itself."""
    found = profiles.access_log(db.session, actor, query["person_id"], page=query["page"], per_page=query["per_page"])
    names = display_names(db.session, [row.actor_id for row in found.items] + [row.person_id for row in found.items])
    return {"items": [
        {"id": row.id, "at": row.at, "actor_id": row.actor_id, "actor_name": names.get(row.actor_id or 0),
         "person_id": row.person_id, "person_name": names.get(row.person_id, ""), "subject": row.subject,
         "kind": row.kind, "reason": row.reason, "flag_id": row.flag_id} for row in found.items],
        **page_fields(found)}
