"""The two forms of the four parts about fit agree: the SQL the broker's ranking uses and the Python a
resident's "things you could help with" uses, on the same facts (hypothesis over profiles)."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.matching.conftest import profile_of
from tests.support import examples
from timebank.listings.models import Listing
from timebank.matching import components, engine
from timebank.members.models import Person
from timebank.profiles.models import Period

ABILITIES = ("lifts", "shopping", "transport-errands", "gardening", "home-garden")
PROFILES = st.fixed_dictionaries({
    "abilities": st.lists(st.sampled_from(ABILITIES), unique=True, max_size=3).map(tuple),
    "languages": st.lists(st.sampled_from(("en", "cy", "pl")), unique=True, max_size=2).map(tuple),
    "availability": st.lists(st.tuples(st.integers(0, 6), st.sampled_from(tuple(Period))), unique=True,
                             max_size=4).map(tuple),
    "district": st.sampled_from(("HB3", "HB4", "HB9", "CF10", "CF11", "ZZ1")),
    "can_travel": st.booleans(),
    "travel_districts": st.lists(st.sampled_from(("HB3", "HB5")), unique=True, max_size=1).map(tuple),
})


@settings(max_examples=examples(0.3), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=PROFILES)
def test_sql_and_python_score_the_same_facts_the_same(db_session: Session, lift_request: Listing,
                                                      make_candidate: Callable[..., Person],
                                                      profile: dict[str, object]) -> None:
    person = make_candidate("Hap Hazard", **profile)
    thing = engine.request_thing(db_session, lift_request)
    found = {c.person_id: c for c in engine.find(db_session, thing, per_page=100).candidates.items}[person.id]
    related = engine.related_of(db_session, thing)
    saved = profile_of(db_session, person)
    held = {ability.category_id for ability in saved.abilities}
    travels_to = {row.district for row in saved.travel_districts}
    expected = {
        "abilities": components.ability_score(thing.category_ids, related, held),
        "languages": components.language_score(thing.languages, profile["languages"]),  # type: ignore[arg-type]
        "availability": components.availability_score(thing.slots, profile["availability"]),  # type: ignore[arg-type]
        "travel": components.travel_score(is_remote=thing.is_remote, district=thing.district,
                                          can_travel=bool(profile["can_travel"]), home=person.postcode_district,
                                          travels_to=travels_to),
    }
    assert {name: found.component(name).score for name in expected} == expected

