"""Funders, programmes, their scopes and outcomes, the outcome tags organisations put on their activities
and roles, and organisations' in-kind contributions (issue 14). Services flush; the page or the API's unit
of work commits. Who reads and manages a programme is ``programmes.policy``'s answer; who tags an activity
is ``activities.access``'s (those who run it); every change is audited.

A programme **covers** an activity when one of its scopes is the activity's bank as a whole, the
activity's organisation in that bank, or the activity itself (``covering_programmes``): only outcomes of
those programmes may tag the activity and its roles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from timebank import dates
from timebank.activities import service as activities
from timebank.activities.models import Activity, InKindContribution, Role
from timebank.audit import service as audit
from timebank.banks.models import TimeBank
from timebank.errors import NotFound
from timebank.i18n import local_text
from timebank.ledger.models import Account
from timebank.members import errors as members_errors
from timebank.members import policy as member_policy
from timebank.members.models import Organisation, Person
from timebank.members.service import clean_email, find_person_by_email
from timebank.pagination import Page, paginate
from timebank.profiles.models import ContributionKind
from timebank.programmes import errors as err
from timebank.programmes import policy
from timebank.programmes.models import (
    ActivityOutcome,
    Funder,
    FunderMember,
    Programme,
    ProgrammeOutcome,
    ProgrammeScope,
    RoleOutcome,
)
from timebank.programmes.outcome_sets import OUTCOME_SETS
from timebank.types import utcnow

#: The suggested value of an hour for the social-value estimate: the National Living Wage from April 2025
#: (GOV.UK), for people aged 21 and over. Suggested only: a programme may use another figure and source.
SUGGESTED_VALUE_PENCE = 1221
SUGGESTED_VALUE_SOURCE = "National Living Wage, April 2025 (GOV.UK)"
#: The same in Welsh, suggested on the form beside it (the API leaves the Welsh to its caller).
SUGGESTED_VALUE_SOURCE_CY = "Cyflog Byw Cenedlaethol, Ebrill 2025 (GOV.UK)"
SUGGESTED_VALUE_YEAR = 2025
#: The highest value of an hour a programme may state (£1,000): more is a typing mistake.
MAX_VALUE_PENCE = 100_000
#: The years a value's source may be from.
EARLIEST_VALUE_YEAR = 2000
LATEST_VALUE_YEAR = 2100
#: The house minimum and the highest suppression threshold (a threshold above this hides nearly everything).
MIN_SUPPRESS_BELOW = 5
MAX_SUPPRESS_BELOW = 100
#: The most an in-kind record may state: a week of a room or staff time; £100,000.
MAX_IN_KIND_MINUTES = 7 * 24 * 60
MAX_IN_KIND_PENCE = 10_000_000


# --- funders (admins) ----------------------------------------------------------------------------


def _audit(session: Session, action: str, actor: Person, subject_type: str, subject_id: int,
           time_bank_id: int | None = None, **details: Any) -> None:
    audit.record(session, action, actor_id=actor.id, subject_type=subject_type, subject_id=subject_id,
                 time_bank_id=time_bank_id, **details)


def funders(session: Session) -> list[Funder]:
    return list(session.scalars(sa.select(Funder).order_by(Funder.name, Funder.id)))


def get_funder(session: Session, actor: Person, funder_id: int) -> Funder:
    policy.require_admin(session, actor)
    funder = session.get(Funder, funder_id)
    if funder is None:
        raise err.FunderNotFound()
    return funder


def _name_free(session: Session, name: str, funder_id: int | None = None) -> None:
    taken = sa.select(Funder.id).where(sa.func.lower(Funder.name) == name.lower())
    if funder_id is not None:
        taken = taken.where(Funder.id != funder_id)
    if session.scalar(taken) is not None:
        raise err.FunderNameTaken()


def create_funder(session: Session, actor: Person, name: str, name_cy: str = "") -> Funder:
    policy.require_admin(session, actor)
    name, name_cy = name.strip(), name_cy.strip()
    _name_free(session, name)
    funder = Funder(name=name, name_cy=name_cy)
    session.add(funder)
    session.flush()
    _audit(session, "programmes.funder_created", actor, "funder", funder.id, name=name)
    return funder


def rename_funder(session: Session, actor: Person, funder_id: int, name: str, name_cy: str = "") -> Funder:
    funder = get_funder(session, actor, funder_id)
    name, name_cy = name.strip(), name_cy.strip()
    _name_free(session, name, funder.id)
    funder.name, funder.name_cy = name, name_cy
    session.flush()
    _audit(session, "programmes.funder_renamed", actor, "funder", funder.id, name=name)
    return funder


def funder_members(session: Session, funder_id: int) -> list[Person]:
    return list(session.scalars(sa.select(Person).join(FunderMember, FunderMember.person_id == Person.id)
                                .where(FunderMember.funder_id == funder_id).order_by(Person.display_name, Person.id)))


def add_funder_member(session: Session, actor: Person, funder_id: int, email: str) -> FunderMember:
    """Let someone already signed up read the funder's programmes (and, holding no account and brokering
    nothing, only those: ``members.policy.sees_aggregates_only``)."""
    funder = get_funder(session, actor, funder_id)
    person = find_person_by_email(session, clean_email(email) or "")
    if person is None or not person.is_active:
        raise members_errors.NobodyWithThatEmail(field="email")
    if session.get(FunderMember, (funder.id, person.id)) is not None:
        raise err.AlreadyFunderMember()
    member = FunderMember(funder_id=funder.id, person_id=person.id, added_by_id=actor.id)
    session.add(member)
    session.flush()
    _audit(session, "programmes.funder_member_added", actor, "funder", funder.id, person_id=person.id)
    return member


def remove_funder_member(session: Session, actor: Person, funder_id: int, person_id: int) -> None:
    funder = get_funder(session, actor, funder_id)
    member = session.get(FunderMember, (funder.id, person_id))
    if member is None:
        raise err.NotFunderMember()
    session.delete(member)
    session.flush()
    _audit(session, "programmes.funder_member_removed", actor, "funder", funder.id, person_id=person_id)


# --- programmes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeDetails:
    name: str
    starts_on: dt.date
    ends_on: dt.date
    name_cy: str = ""
    description: str = ""
    value_per_hour_pence: int = SUGGESTED_VALUE_PENCE
    value_source: str = SUGGESTED_VALUE_SOURCE
    value_source_cy: str = ""
    value_year: int | None = SUGGESTED_VALUE_YEAR
    suppress_below: int = MIN_SUPPRESS_BELOW


@dataclass(frozen=True)
class ScopeDetails:
    """The whole bank, or one organisation or one activity in it."""

    time_bank_id: int
    organisation_id: int | None = None
    activity_id: int | None = None


def period_range(today: dt.date | None = None) -> dates.DateRange:
    """A programme's days: planned (up to the planning horizon), and often recorded after it began, so from
    the earliest day any bank's books may open."""
    return dates.planned(today, since=dates.EARLIEST_OPENING)


def _check_ranges(details: object, **ranges: tuple[int, int]) -> None:
    """Each named figure, where given, from its lowest to its highest (both included)."""
    for name, (low, high) in ranges.items():
        value = getattr(details, name)
        if value is not None and not low <= value <= high:
            raise err.OutOfRange(field=name)


def _clean_details(details: ProgrammeDetails) -> dict[str, Any]:
    allowed = period_range()
    allowed.check(details.starts_on, "starts_on")
    allowed.check(details.ends_on, "ends_on")
    if details.ends_on < details.starts_on:
        raise err.ProgrammeEndsBeforeStart()
    _check_ranges(details, value_per_hour_pence=(0, MAX_VALUE_PENCE),
                  suppress_below=(MIN_SUPPRESS_BELOW, MAX_SUPPRESS_BELOW),
                  value_year=(EARLIEST_VALUE_YEAR, LATEST_VALUE_YEAR))
    values = asdict(details)
    for name in ("name", "name_cy", "description", "value_source", "value_source_cy"):
        values[name] = values[name].strip()
    values["value_source_cy"] = values["value_source_cy"] or None  # none given: the Welsh report shows the English
    return values


def programme_scopes(session: Session, programme_id: int) -> list[ProgrammeScope]:
    return list(session.scalars(sa.select(ProgrammeScope).where(ProgrammeScope.programme_id == programme_id)
                                .order_by(ProgrammeScope.time_bank_id, ProgrammeScope.id)))


def programme_outcomes(session: Session, programme_id: int) -> list[ProgrammeOutcome]:
    return list(session.scalars(sa.select(ProgrammeOutcome).where(ProgrammeOutcome.programme_id == programme_id)
                                .order_by(ProgrammeOutcome.position, ProgrammeOutcome.id)))


def create_programme(session: Session, actor: Person, funder_id: int, details: ProgrammeDetails,
                     scope: ScopeDetails) -> Programme:
    """A programme with its first scope (a broker: in a bank they broker)."""
    policy.require_creator(session, actor)
    if session.get(Funder, funder_id) is None:
        raise err.FunderNotFound(field="funder_id")
    _check_scope(session, actor, scope)  # before anything is written: the audit names the scope's bank
    programme = Programme(funder_id=funder_id, created_by_id=actor.id, **_clean_details(details))
    session.add(programme)
    session.flush()
    _audit(session, "programmes.created", actor, "programme", programme.id, scope.time_bank_id, name=programme.name)
    _add_scope(session, actor, programme, scope)
    return programme


def update_programme(session: Session, actor: Person, programme_id: int, details: ProgrammeDetails) -> Programme:
    programme = policy.require_manageable(session, actor, programme_id)
    for name, value in _clean_details(details).items():
        setattr(programme, name, value)
    programme.updated_at = utcnow()
    session.flush()
    _audit(session, "programmes.changed", actor, "programme", programme.id, name=programme.name)
    return programme


# --- scopes ----------------------------------------------------------------------------------------


def _check_scope(session: Session, actor: Person, scope: ScopeDetails) -> None:
    if scope.organisation_id is not None and scope.activity_id is not None:
        raise err.ScopeOneLevel()
    if scope.time_bank_id not in member_policy.broker_bank_ids(session, actor):
        raise err.ScopeOutsideYourBanks()
    if scope.organisation_id is not None and session.scalar(sa.select(Account.id).where(
            Account.holder_id == scope.organisation_id, Account.time_bank_id == scope.time_bank_id,
            Account.holder_id.in_(sa.select(Organisation.id)))) is None:
        raise err.OrganisationNotInBank()
    if scope.activity_id is not None:
        activity = session.get(Activity, scope.activity_id)
        if activity is None or activity.time_bank_id != scope.time_bank_id:
            raise err.ActivityNotInBank()


def _add_scope(session: Session, actor: Person, programme: Programme, scope: ScopeDetails) -> ProgrammeScope:
    _check_scope(session, actor, scope)
    same = sa.select(ProgrammeScope.id).where(
        ProgrammeScope.programme_id == programme.id, ProgrammeScope.time_bank_id == scope.time_bank_id,
        ProgrammeScope.organisation_id.is_(None) if scope.organisation_id is None
        else ProgrammeScope.organisation_id == scope.organisation_id,
        ProgrammeScope.activity_id.is_(None) if scope.activity_id is None
        else ProgrammeScope.activity_id == scope.activity_id)
    if session.scalar(same) is not None:
        raise err.ScopeAlreadyThere()
    added = ProgrammeScope(programme_id=programme.id, **asdict(scope))
    session.add(added)
    session.flush()
    _audit(session, "programmes.scope_added", actor, "programme", programme.id, scope.time_bank_id,
           organisation_id=scope.organisation_id, activity_id=scope.activity_id)
    return added


def add_scope(session: Session, actor: Person, programme_id: int, scope: ScopeDetails) -> ProgrammeScope:
    """Cover a bank, an organisation or an activity as well (a broker: only in banks they broker)."""
    return _add_scope(session, actor, policy.require_manageable(session, actor, programme_id), scope)


def remove_scope(session: Session, actor: Person, programme_id: int, scope_id: int) -> None:
    programme = policy.require_manageable(session, actor, programme_id)
    scope = session.get(ProgrammeScope, scope_id)
    if scope is None or scope.programme_id != programme.id:
        raise err.ScopeNotFound()
    if len(programme_scopes(session, programme.id)) == 1:
        raise err.LastScope()
    session.delete(scope)
    session.flush()
    _audit(session, "programmes.scope_removed", actor, "programme", programme.id, scope.time_bank_id,
           organisation_id=scope.organisation_id, activity_id=scope.activity_id)


# --- outcomes --------------------------------------------------------------------------------------


def _next_position(session: Session, programme_id: int) -> int:
    last = session.scalar(sa.select(sa.func.max(ProgrammeOutcome.position))
                          .where(ProgrammeOutcome.programme_id == programme_id))
    return (last or 0) + 1


def _outcome_free(session: Session, programme_id: int, name: str) -> bool:
    return session.scalar(sa.select(ProgrammeOutcome.id).where(
        ProgrammeOutcome.programme_id == programme_id, sa.func.lower(ProgrammeOutcome.name) == name.lower())) is None


def add_outcome(session: Session, actor: Person, programme_id: int, name: str, name_cy: str = "") -> ProgrammeOutcome:
    """One of the programme's own outcomes."""
    programme = policy.require_manageable(session, actor, programme_id)
    name = name.strip()
    if not _outcome_free(session, programme.id, name):
        raise err.OutcomeNameTaken()
    outcome = ProgrammeOutcome(programme_id=programme.id, name=name, name_cy=name_cy.strip(),
                               position=_next_position(session, programme.id))
    session.add(outcome)
    session.flush()
    _audit(session, "programmes.outcome_added", actor, "programme", programme.id, name=name)
    return outcome


def add_outcome_set(session: Session, actor: Person, programme_id: int, set_code: str) -> list[ProgrammeOutcome]:
    """Copy a ready-made set's outcomes the programme does not have yet, in the set's order."""
    programme = policy.require_manageable(session, actor, programme_id)
    ready = OUTCOME_SETS.get(set_code)
    if ready is None:
        raise err.OutcomeSetNotFound()
    position = _next_position(session, programme.id)
    added = []
    for outcome in ready.outcomes:
        if _outcome_free(session, programme.id, outcome.name):
            added.append(ProgrammeOutcome(programme_id=programme.id, set_code=ready.code, code=outcome.code,
                                          name=outcome.name, name_cy=outcome.name_cy, position=position))
            position += 1
    session.add_all(added)
    session.flush()
    _audit(session, "programmes.outcome_set_added", actor, "programme", programme.id, set_code=ready.code,
           added=len(added))
    return added


def remove_outcome(session: Session, actor: Person, programme_id: int, outcome_id: int) -> None:
    """Remove an outcome, and the tags organisations put on it."""
    programme = policy.require_manageable(session, actor, programme_id)
    outcome = session.get(ProgrammeOutcome, outcome_id)
    if outcome is None or outcome.programme_id != programme.id:
        raise err.OutcomeNotFound()
    session.execute(sa.delete(ActivityOutcome).where(ActivityOutcome.outcome_id == outcome.id))
    session.execute(sa.delete(RoleOutcome).where(RoleOutcome.outcome_id == outcome.id))
    session.delete(outcome)
    session.flush()
    _audit(session, "programmes.outcome_removed", actor, "programme", programme.id, name=outcome.name)


# --- outcome tags ----------------------------------------------------------------------------------


def _covers(activity: Activity) -> sa.ColumnElement[bool]:
    """A condition on ``ProgrammeScope``: it covers the activity."""
    return sa.or_(
        ProgrammeScope.activity_id == activity.id,
        sa.and_(ProgrammeScope.time_bank_id == activity.time_bank_id, ProgrammeScope.activity_id.is_(None),
                sa.or_(ProgrammeScope.organisation_id.is_(None),
                       ProgrammeScope.organisation_id == activity.organisation_id)),
    )


def covering_programmes(session: Session, activity: Activity) -> list[Programme]:
    """The programmes with a scope that is the activity's bank as a whole, its organisation in that bank,
    or the activity itself."""
    return list(session.scalars(
        sa.select(Programme).where(Programme.id.in_(sa.select(ProgrammeScope.programme_id).where(_covers(activity))))
        .order_by(Programme.starts_on.desc(), Programme.name, Programme.id)))


def covering_outcomes(session: Session, activity: Activity) -> list[ProgrammeOutcome]:
    """The outcomes the activity and its roles may be tagged with, by programme."""
    covering = sa.select(ProgrammeScope.programme_id).where(_covers(activity))
    return list(session.scalars(sa.select(ProgrammeOutcome).where(ProgrammeOutcome.programme_id.in_(covering))
                                .order_by(ProgrammeOutcome.programme_id, ProgrammeOutcome.position,
                                          ProgrammeOutcome.id)))


def covering_outcomes_by_programme(session: Session, activity: Activity
                                   ) -> list[tuple[Programme, list[ProgrammeOutcome]]]:
    """Each covering programme (``covering_programmes``' order) with its outcomes: how the tag page groups
    them, since two programmes may fund the same goals (each under its own name)."""
    outcomes = covering_outcomes(session, activity)
    return [(programme, [outcome for outcome in outcomes if outcome.programme_id == programme.id])
            for programme in covering_programmes(session, activity)]


@dataclass(frozen=True)
class Tags:
    """An activity's outcome tags and each of its roles'."""

    activity: set[int]
    roles: dict[int, set[int]]


def tags_of(session: Session, activity: Activity) -> Tags:
    roles: dict[int, set[int]] = {role.id: set() for role in activity.roles}
    for role_id, outcome_id in session.execute(sa.select(RoleOutcome.role_id, RoleOutcome.outcome_id)
                                               .where(RoleOutcome.role_id.in_(roles))):
        roles[role_id].add(outcome_id)
    return Tags(activity=set(session.scalars(sa.select(ActivityOutcome.outcome_id)
                                             .where(ActivityOutcome.activity_id == activity.id))), roles=roles)


def _covered(session: Session, activity: Activity, outcome_ids: Iterable[int]) -> set[int]:
    wanted = set(outcome_ids)
    allowed = {outcome.id for outcome in covering_outcomes(session, activity)}
    if wanted - allowed:
        raise err.OutcomeNotCovering()
    return wanted


def _replace(session: Session, model: type[ActivityOutcome] | type[RoleOutcome], key: str, key_id: int,
             outcome_ids: set[int]) -> None:
    column = getattr(model, key)
    session.execute(sa.delete(model).where(column == key_id, model.outcome_id.not_in(outcome_ids)))
    kept = set(session.scalars(sa.select(model.outcome_id).where(column == key_id)))
    session.add_all(model(**{key: key_id, "outcome_id": outcome_id}) for outcome_id in sorted(outcome_ids - kept))
    session.flush()


def activity_to_tag(session: Session, actor: Person, activity_id: int) -> Activity:
    """The activity, for someone who runs it (403 for a funder who sees aggregates only; 404 if they cannot
    see it, 403 if they may only look)."""
    member_policy.require_member_access(session, actor)
    return activities.activity_to_run(session, actor, activity_id)


def set_activity_outcomes(session: Session, actor: Person, activity_id: int, outcome_ids: Sequence[int]) -> set[int]:
    """Tag the activity with exactly these outcomes (those who run it; outcomes of covering programmes)."""
    activity = activity_to_tag(session, actor, activity_id)
    wanted = _covered(session, activity, outcome_ids)
    _replace(session, ActivityOutcome, "activity_id", activity.id, wanted)
    _audit(session, "programmes.activity_tagged", actor, "activity", activity.id, activity.time_bank_id,
           outcome_ids=sorted(wanted))
    return wanted


def role_to_tag(session: Session, actor: Person, role_id: int) -> Role:
    """The role, for someone who runs its activity (404 if they cannot see it, 403 if they only look)."""
    member_policy.require_member_access(session, actor)
    role = session.get(Role, role_id)
    if role is None:
        raise NotFound()
    activities.activity_to_run(session, actor, role.activity_id)
    return role


def set_role_outcomes(session: Session, actor: Person, role_id: int, outcome_ids: Sequence[int]) -> set[int]:
    role = role_to_tag(session, actor, role_id)
    activity = session.get_one(Activity, role.activity_id)
    wanted = _covered(session, activity, outcome_ids)
    _replace(session, RoleOutcome, "role_id", role.id, wanted)
    _audit(session, "programmes.role_tagged", actor, "activity", activity.id, activity.time_bank_id,
           role_id=role.id, outcome_ids=sorted(wanted))
    return wanted


def role_outcome_ids(session: Session, role_id: int) -> set[int]:
    return set(session.scalars(sa.select(RoleOutcome.outcome_id).where(RoleOutcome.role_id == role_id)))


# --- in-kind contributions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InKindDetails:
    time_bank_id: int
    kind: ContributionKind
    description: str
    given_on: dt.date
    activity_id: int | None = None
    minutes: int | None = None
    value_pence: int | None = None


def organisation_banks(session: Session, organisation_id: int) -> set[int]:
    """The banks where the organisation holds an account."""
    return set(session.scalars(sa.select(Account.time_bank_id).where(Account.holder_id == organisation_id)))


def in_kind_banks(session: Session, actor: Person, organisation_id: int) -> list[int]:
    """The banks whose in-kind records of the organisation the actor keeps: all of its banks for its
    admins, the banks they broker for a broker. None: the organisation is not there for them (404)."""
    if session.get(Organisation, organisation_id) is None:
        raise NotFound()
    banks = organisation_banks(session, organisation_id)
    if organisation_id not in member_policy.own_holder_ids(session, actor):
        banks &= member_policy.broker_bank_ids(session, actor)
    if not banks:
        raise err.InKindNotAllowed()
    return sorted(banks)


def _clean_in_kind(session: Session, actor: Person, organisation_id: int, details: InKindDetails) -> dict[str, Any]:
    if details.time_bank_id not in in_kind_banks(session, actor, organisation_id):
        raise err.InKindBankNotOurs()
    _check_ranges(details, minutes=(1, MAX_IN_KIND_MINUTES), value_pence=(0, MAX_IN_KIND_PENCE))
    dates.happened(session, details.time_bank_id).check(details.given_on, "given_on")
    if details.activity_id is not None:
        activity = session.get(Activity, details.activity_id)
        if activity is None or (activity.organisation_id, activity.time_bank_id) != (organisation_id,
                                                                                     details.time_bank_id):
            raise err.InKindActivityNotOurs()
    return {**asdict(details), "description": details.description.strip()}


def record_in_kind(session: Session, actor: Person, organisation_id: int, details: InKindDetails) -> InKindContribution:
    """What the organisation gave on a day (its admins, or a broker of the bank)."""
    record = InKindContribution(organisation_id=organisation_id, recorded_by_id=actor.id,
                                **_clean_in_kind(session, actor, organisation_id, details))
    session.add(record)
    session.flush()
    _audit(session, "programmes.in_kind_recorded", actor, "organisation", organisation_id, record.time_bank_id,
           in_kind_id=record.id, kind=record.kind.value)
    return record


def in_kind_record(session: Session, actor: Person, organisation_id: int, record_id: int) -> InKindContribution:
    """One of the organisation's records, for someone who keeps its records in that bank."""
    record = session.get(InKindContribution, record_id)
    if record is None or record.organisation_id != organisation_id:
        raise err.InKindNotFound()
    if record.time_bank_id not in in_kind_banks(session, actor, organisation_id):
        raise err.InKindNotFound()
    return record


def require_in_kind_corrector(session: Session, actor: Person, organisation_id: int, record_id: int) -> None:
    """Corrections are the organisation's own admins' (the record is its account of what it gave), and the
    install's admins'."""
    if not actor.is_admin and organisation_id not in member_policy.own_holder_ids(session, actor):
        in_kind_banks(session, actor, organisation_id)  # 404 for what they cannot see at all
        raise err.InKindNotAllowed()
    in_kind_record(session, actor, organisation_id, record_id)


def correct_in_kind(session: Session, actor: Person, organisation_id: int, record_id: int,
                    details: InKindDetails) -> InKindContribution:
    require_in_kind_corrector(session, actor, organisation_id, record_id)
    record = in_kind_record(session, actor, organisation_id, record_id)
    before = {"kind": record.kind.value, "given_on": record.given_on.isoformat(), "minutes": record.minutes,
              "value_pence": record.value_pence, "time_bank_id": record.time_bank_id}
    for name, value in _clean_in_kind(session, actor, organisation_id, details).items():
        setattr(record, name, value)
    session.flush()
    _audit(session, "programmes.in_kind_corrected", actor, "organisation", organisation_id, record.time_bank_id,
           in_kind_id=record.id, before=before)
    return record


def list_in_kind(session: Session, actor: Person, organisation_id: int, time_bank_id: int, *, page: int = 1,
                 per_page: int = 20) -> Page[InKindContribution]:
    """The organisation's records in one bank, newest first (along ``ix_in_kind_bank_on``)."""
    if time_bank_id not in in_kind_banks(session, actor, organisation_id):
        raise err.InKindBankNotOurs()
    query = (sa.select(InKindContribution)
             .where(InKindContribution.time_bank_id == time_bank_id,
                    InKindContribution.organisation_id == organisation_id)
             .order_by(InKindContribution.given_on.desc(), InKindContribution.id.desc()))
    return paginate(session, query, page=page, per_page=per_page)



# --- what the pages show -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeChoices:
    """What a person may scope a programme to: banks they broker, their organisations and activities."""

    banks: list[tuple[int, str]]
    organisations: list[tuple[int, str]]
    activities: list[tuple[int, str]]


def bank_names(session: Session, bank_ids: Iterable[int]) -> dict[int, str]:
    return {i: name for i, name in session.execute(sa.select(TimeBank.id, TimeBank.name)
                                                   .where(TimeBank.id.in_(set(bank_ids))))}


def scope_choices(session: Session, actor: Person) -> ScopeChoices:
    bank_ids = member_policy.broker_bank_ids(session, actor)
    banks = bank_names(session, bank_ids)
    organisations = session.execute(
        sa.select(Organisation.id, Organisation.display_name, Account.time_bank_id)
        .join(Account, Account.holder_id == Organisation.id).where(Account.time_bank_id.in_(bank_ids))
        .order_by(Organisation.display_name, Organisation.id)).all()
    found = session.execute(sa.select(Activity.id, Activity.title, Activity.title_cy, Activity.time_bank_id)
                            .where(Activity.time_bank_id.in_(bank_ids)).order_by(Activity.title, Activity.id)).all()
    several = len(banks) > 1

    def label(name: str, bank_id: int) -> str:
        return f"{name} ({banks[bank_id]})" if several else name

    return ScopeChoices(banks=sorted(banks.items(), key=lambda bank: bank[1]),
                        organisations=[(i, label(name, bank)) for i, name, bank in organisations],
                        activities=[(i, label(local_text(title, title_cy), bank))
                                    for i, title, title_cy, bank in found])


@dataclass(frozen=True)
class ScopeLine:
    scope: ProgrammeScope
    bank: str
    organisation: str | None
    activity: str | None


def scope_lines(session: Session, scopes: Sequence[ProgrammeScope]) -> list[ScopeLine]:
    """Each scope with the names of what it covers."""
    banks = bank_names(session, (scope.time_bank_id for scope in scopes))
    organisations = dict(session.execute(sa.select(Organisation.id, Organisation.display_name).where(
        Organisation.id.in_({scope.organisation_id for scope in scopes if scope.organisation_id}))).all())
    titles = {i: local_text(title, title_cy) for i, title, title_cy in session.execute(
        sa.select(Activity.id, Activity.title, Activity.title_cy).where(
            Activity.id.in_({scope.activity_id for scope in scopes if scope.activity_id})))}
    return [ScopeLine(scope, banks.get(scope.time_bank_id, ""), organisations.get(scope.organisation_id or 0),
                      titles.get(scope.activity_id or 0)) for scope in scopes]


def organisation_activities(session: Session, organisation_id: int, bank_ids: Iterable[int]) -> list[tuple[int, str]]:
    """The organisation's activities in these banks: (id, title in the reader's language)."""
    return [(i, local_text(title, title_cy)) for i, title, title_cy in session.execute(
        sa.select(Activity.id, Activity.title, Activity.title_cy).where(Activity.organisation_id == organisation_id,
                                                                        Activity.time_bank_id.in_(set(bank_ids)))
        .order_by(Activity.title, Activity.id))]
