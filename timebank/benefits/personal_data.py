"""Benefit monitoring's part of what is held about a person (``timebank.personal_data``): their consents,
their benefit profile, their flags with their history, and the log of who read or changed any of it.

Leaving deletes all of it (a member who leaves is no longer monitored, and nothing of their benefits is
kept): the consents too, and the log of access to their data.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank.benefits import profiles
from timebank.benefits.models import BenefitAccess, BenefitConsent, BenefitFlag, BenefitFlagEvent, BenefitProfile
from timebank.members.models import Person
from timebank.personal_data import Part, iso


def export(session: Session, person: Person) -> dict[str, Any]:
    profile = session.get(BenefitProfile, person.id)
    flags = list(session.scalars(sa.select(BenefitFlag).where(BenefitFlag.person_id == person.id)
                                 .order_by(BenefitFlag.id)))
    events = list(session.scalars(sa.select(BenefitFlagEvent).where(
        BenefitFlagEvent.flag_id.in_([flag.id for flag in flags])).order_by(BenefitFlagEvent.id))) if flags else []
    return {
        "benefit_consents": [{
            "wording_version": c.wording_version, "given_at": iso(c.given_at), "given_by_broker": c.on_behalf,
            "withdrawn_at": iso(c.withdrawn_at),
        } for c in session.scalars(sa.select(BenefitConsent).where(BenefitConsent.person_id == person.id)
                                   .order_by(BenefitConsent.id))],
        "benefit_profile": None if profile is None else {
            "benefits": profile.benefits, "jurisdiction": profile.jurisdiction,
            "uc_work_group": profile.uc_work_group, "uc_expected_hours": profile.uc_expected_hours,
            "agreed_voluntary_hours": profile.agreed_voluntary_hours, "couple": profile.couple,
            "last_told_on": profile.last_told_on, "benefit_week_starts": profile.benefit_week_starts,
            "uc_assessment_day": profile.uc_assessment_day, "updated_at": iso(profile.updated_at),
        },
        "benefit_flags": [{
            "id": f.id, "rule": f.rule_id, "severity": f.severity.value, "state": f.state.value,
            "window_start": iso(f.window_start), "window_end": iso(f.window_end), "evidence": f.evidence,
            "raised_at": iso(f.raised_at), "resolution": f.resolution.value if f.resolution else None,
            "resolution_note": f.resolution_note,
            "history": [{"at": iso(e.at), "action": e.action.value, "note": e.note}
                        for e in events if e.flag_id == f.id],
        } for f in flags],
        "benefit_data_access": [{
            "at": iso(a.at), "by_person_id": a.actor_id, "subject": a.subject.value, "kind": a.kind.value,
            "reason": a.reason,
        } for a in session.scalars(sa.select(BenefitAccess).where(BenefitAccess.person_id == person.id)
                                   .order_by(BenefitAccess.id))],
    }


def forget(session: Session, actor: Person, person: Person) -> None:
    profiles.forget_data(session, person.id)
    session.execute(sa.delete(BenefitConsent).where(BenefitConsent.person_id == person.id))
    session.execute(sa.delete(BenefitAccess).where(BenefitAccess.person_id == person.id))


PART = Part(
    name="benefits",
    tables=("benefit_consents", "benefit_profiles", "benefit_flags", "benefit_flag_events", "benefit_access_log"),
    sections=("benefit_consents", "benefit_profile", "benefit_flags", "benefit_data_access"),
    export=export, forget=forget,
)
