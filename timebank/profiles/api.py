"""Profiles over the JSON API: finding people, reading a profile as you may see it, editing one, and
what organisations offer besides hours.

Each write is: parse → one ``profiles.service`` call → respond (the blueprint commits). What a viewer may
see is the service's decision (``view_profile``); this module only leaves out what it withheld.
"""

from __future__ import annotations

from typing import Any

from timebank.api.core import ApiBlueprint
from timebank.db import db
from timebank.members import service as members
from timebank.members.models import Organisation, Person
from timebank.pagination import Page
from timebank.profiles import search, service
from timebank.profiles.models import AvailabilitySlot, Contribution, Period
from timebank.profiles.schemas import (
    ContributionIn,
    ContributionOut,
    ProfileCardPageOut,
    ProfileIn,
    ProfileOut,
    SearchArgs,
)
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_profiles", __name__, url_prefix="/api/v1",
    description="Abilities-first profiles: finding people by what they can do, reading a profile as the "
                "member chose to show it, editing one, and what organisations offer besides hours.",
)

HOLDER = f"/people/<{ID_CONVERTER}:holder_id>"
CONTRIBUTIONS = f"/organisations/<{ID_CONVERTER}:organisation_id>/contributions"


@bp.route("/people")
@bp.access(search.require_searcher)
@bp.arguments(SearchArgs, location="query")
@bp.response(200, ProfileCardPageOut)
@bp.problems(403)
def find_people(query: dict[str, Any], actor: Person) -> Page[search.ProfileCard]:
    """Find people by ability, language, area, availability and words in their profile.

    Members find fellow members of their time banks who show their abilities, and see what each chose
    to show. Brokers find and see everyone in their banks, and can search by name too."""
    page, per_page = query.pop("page"), query.pop("per_page")
    return search.search(db.session, actor, search.Criteria(**query), page=page, per_page=per_page)


def _grid_order(slot: AvailabilitySlot) -> tuple[int, int]:
    return slot.weekday, list(Period).index(slot.period)


def _profile(actor: Person, holder_id: int) -> dict[str, Any]:
    """The profile as ``ProfileOut`` shows it to this actor: what the service withheld is null."""
    view = service.view_profile(db.session, actor, holder_id)
    profile = view.profile
    abilities = view.show_abilities
    area = view.full or profile.show_area
    return {
        "holder_id": view.holder.id,
        "is_organisation": isinstance(view.holder, Organisation),
        "full": view.full,
        "name": view.name,
        "district": view.district,
        "abilities": view.abilities if abilities else None,
        **{name: getattr(profile, name) if abilities else None for name in service.TEXT_FIELDS},
        "languages": [language.code for language in profile.languages] if abilities else None,
        "availability": sorted(profile.availability, key=_grid_order) if abilities else None,
        "can_travel": profile.can_travel,
        "travel_districts": [district.district for district in profile.travel_districts] if area else None,
        "contact": view.contact,
        "contributions": view.contributions,
        "admins": view.admins,
        "visibility": profile if view.full else None,
    }


@bp.route(HOLDER)
@bp.token_required
@bp.response(200, ProfileOut)
@bp.problems(404)
def get_profile(holder_id: int, actor: Person) -> dict[str, Any]:
    """A member's or organisation's profile, as they chose to show it to you."""
    return _profile(actor, holder_id)


@bp.route(f"{HOLDER}/profile", methods=["PUT"])
@bp.access(members.managed_holder)
@bp.arguments(ProfileIn)
@bp.response(200, ProfileOut)
@bp.problems(404)
def put_profile(body: dict[str, Any], holder_id: int, actor: Person) -> dict[str, Any]:
    """Replace a profile as a whole: your own, your organisation's, or (brokers) a member's."""
    update = service.ProfileUpdate(**{
        **body,
        "abilities": tuple(body["abilities"]),
        "languages": tuple(body["languages"]),
        "availability": tuple((slot["weekday"], slot["period"]) for slot in body["availability"]),
        "travel_districts": tuple(body["travel_districts"]),
    })
    service.update_profile(db.session, actor, holder_id, update)
    return _profile(actor, holder_id)


@bp.route(CONTRIBUTIONS, methods=["POST"])
@bp.access(members.managed_organisation)
@bp.arguments(ContributionIn)
@bp.response(201, ContributionOut)
@bp.problems(404)
def add_contribution(body: dict[str, Any], organisation_id: int, actor: Person) -> Contribution:
    """Record something the organisation offers besides hours: a room, equipment, training, staff time, funds."""
    contribution = service.add_contribution(db.session, actor, organisation_id, body["kind"], body["description"])
    return contribution


@bp.route(f"{CONTRIBUTIONS}/<{ID_CONVERTER}:contribution_id>", methods=["DELETE"])
@bp.token_required
@bp.response(204)
@bp.problems(404)
def remove_contribution(organisation_id: int, contribution_id: int, actor: Person) -> None:
    """The organisation no longer offers this."""
    service.remove_contribution(db.session, actor, organisation_id, contribution_id)
