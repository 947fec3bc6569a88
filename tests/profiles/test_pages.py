"""The profile pages as people use them: fill in a profile, see it as others see it, find people.
Outcomes are checked in the database and in what each viewer is shown."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from timebank.banks import service as banks
from timebank.ledger.models import Account
from timebank.members import service as members_service
from timebank.members.models import BankRoleName, OrganisationType
from timebank.profiles.models import Period, Profile
from timebank.profiles.search import PER_PAGE

# --- helpers ---------------------------------------------------------------------------------------


@pytest.fixture
def aled(make_member, bank):
    return make_member(bank, "Aled Pryce", postcode="HB3 2QT")[0]


@pytest.fixture
def bea(make_member, bank):
    return make_member(bank, "Bea Okafor", postcode="HB1 4AA", phone="01632 960 123")[0]


@pytest.fixture
def broker(make_broker, bank):
    return make_broker(bank, "Bryn Broker")


def error_next_to(html: str, field_id: str) -> str:
    """The text of the error message tied to a field (``<p class="error-message" id="…-error">``)."""
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', html, re.S)
    assert match, f"no error message next to {field_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def profile_form(**changes):
    """What a member sends from "Your profile": gardening and bike repair, English and Welsh, Monday
    mornings and Wednesday evenings, travelling to HB1 and HB3, showing everything but contact."""
    data = {
        "abilities": ["gardening", "bike-repair"],
        "about": "I grow vegetables and mend bikes.",
        "learn_or_share": "I would love to learn to bake bread.",
        "experience": "Twenty years on an allotment.",
        "enjoys": "Being outdoors.",
        "languages": ["en", "cy"],
        "availability": ["0-morning", "2-evening"],
        "can_travel": "yes",
        "travel_districts": "hb1, HB3",
        "show_name": "y",
        "show_area": "y",
        "show_abilities": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- filling in a profile --------------------------------------------------------------------------


def test_edit_a_profile_and_see_it(db_session, as_person, aled):
    client = as_person(aled)
    assert client.get("/profile").location.endswith(f"/people/{aled.id}")
    form = client.get(f"/people/{aled.id}/profile")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    # Each box's label names it for screen readers, and makes the whole cell its target (issue 15).
    assert '<label for="availability-0"><span class="visually-hidden">Monday morning</span></label>' in html
    assert '<th scope="col">Afternoon</th>' in html

    response = client.post(f"/people/{aled.id}/profile", data=profile_form())
    assert response.status_code == 302 and response.location.endswith(f"/people/{aled.id}")

    profile = db_session.get(Profile, aled.id)
    assert [d.district for d in profile.travel_districts] == ["HB1", "HB3"]
    assert {(s.weekday, s.period) for s in profile.availability} == {(0, Period.MORNING), (2, Period.EVENING)}
    assert sorted(language.code for language in profile.languages) == ["cy", "en"]
    assert (profile.show_name, profile.show_area, profile.show_abilities, profile.show_contact) == (
        True, True, True, False)

    page = client.get(response.location).get_data(as_text=True)
    assert "Profile saved." in page
    shown = text_of(page)
    assert "Aled Pryce" in shown and "HB3" in shown
    assert "Home and garden Gardening" in shown and "Practical repairs Bike repair" in shown
    assert "I grow vegetables and mend bikes." in shown and "Twenty years on an allotment." in shown
    assert "Speaks or signs English, Welsh" in shown
    assert "Can travel to HB1, HB3" in shown
    assert '<th scope="row"><span class="day-full">Monday</span>' in page
    assert shown.count("Not free") == 19 and shown.count(" Free") == 2
    assert "Other members see: name, area, what they can do." in shown


def test_the_form_shows_what_is_saved_and_can_say_not_at_all(db_session, as_person, aled, make_profile):
    make_profile(aled, abilities=("cooking",), travel_districts=("HB1",), availability=((6, Period.EVENING),))
    client = as_person(aled)
    html = client.get(f"/people/{aled.id}/profile").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="cooking"', html)
    assert re.search(r'<input checked[^>]*value="6-evening"', html)
    assert 'value="HB1"' in html

    response = client.post(f"/people/{aled.id}/profile",
                           data=profile_form(can_travel="no", travel_districts="HB1", show_contact="y"))
    assert response.status_code == 302
    profile = db_session.get(Profile, aled.id)
    assert not profile.can_travel and profile.travel_districts == [] and profile.show_contact
    assert "Helps from home or by phone" in client.get(f"/people/{aled.id}").get_data(as_text=True)


NEEDS_WORDS = re.compile(r"need|condition|problem|disab|diagnos|illness|impairment|deficit", re.I)


def test_the_profile_never_asks_for_or_shows_needs(db_session, as_person, aled, make_profile):
    make_profile(aled, abilities=("gardening",), about="Gardening")
    client = as_person(aled)
    form = client.get(f"/people/{aled.id}/profile").get_data(as_text=True)
    names = set(re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', form))
    assert names == {"csrf_token", "abilities", "about", "learn_or_share", "experience", "enjoys", "languages",
                     "availability", "can_travel", "travel_districts", "show_name", "show_area", "show_abilities",
                     "show_contact", "open_to_introductions", "age_band", "in_reports"}
    assert not NEEDS_WORDS.search(form)
    assert not NEEDS_WORDS.search(client.get(f"/people/{aled.id}").get_data(as_text=True))


def test_bad_input_is_shown_next_to_the_field_and_changes_nothing(db_session, as_person, aled, make_profile):
    make_profile(aled, abilities=("cooking",), about="Cakes")
    client = as_person(aled)
    cases = [
        ({"travel_districts": "not a district"}, "travel_districts", "Enter postcode districts like HB3"),
        ({"abilities": ["gardening", "no-such-thing"]}, "abilities", "Choose abilities from the list"),
        ({"languages": ["xx"]}, "languages", "Choose languages from the list"),
        ({"availability": ["9-morning"]}, "availability", "Choose times from the weekly grid"),
        ({"about": "x" * 2001}, "about", "2,000 characters"),
        ({"can_travel": "maybe"}, "can_travel", "Say whether you can travel"),
    ]
    for changes, field, message in cases:
        response = client.post(f"/people/{aled.id}/profile", data=profile_form(**changes))
        assert response.status_code == 422, field
        html = response.get_data(as_text=True)
        assert message in error_next_to(html, field)
        assert 'class="error-summary"' in html
        db_session.expire_all()
        profile = db_session.get(Profile, aled.id)
        assert profile.about == "Cakes" and [a.category_id for a in profile.abilities] != []


def test_an_organisation_profile_shows_what_it_offers(db_session, as_person, aled, bea, bank, make_organisation):
    garden, _ = make_organisation(bank, "Hollinbridge Community Garden", admins=(aled,),
                                  organisation_type=OrganisationType.VOLUNTARY_GROUP)
    client = as_person(aled)
    form = client.get(f"/people/{garden.id}/profile").get_data(as_text=True)
    assert 'name="show_name"' not in form and "What we can do, in our own words" in form
    response = client.post(f"/people/{garden.id}/profile",
                           data=profile_form(abilities=["food-growing"], show_name=None, show_contact="y"))
    assert response.status_code == 302
    client.post(f"/organisations/{garden.id}/contributions", data={"kind": "room", "description": "A polytunnel"})

    client = as_person(bea)
    shown = text_of(client.get(f"/people/{garden.id}").get_data(as_text=True))
    assert "Hollinbridge Community Garden" in shown and "Voluntary or community group" in shown
    assert "Growing food" in shown and "A room or space: A polytunnel" in shown
    assert "Edit profile" not in shown and "Manage the organisation" not in shown


# --- who sees what ---------------------------------------------------------------------------------


def test_another_member_sees_only_what_was_chosen(db_session, as_person, aled, bea, broker, make_profile):
    make_profile(bea, abilities=("cooking",), about="I bake.", show_name=False, show_area=False,
                 show_contact=False, travel_districts=("HB9",))
    client = as_person(aled)
    html = client.get(f"/people/{bea.id}").get_data(as_text=True)
    shown = text_of(html)
    assert "Name not shown" in shown and "Bea Okafor" not in shown
    assert "HB1" not in shown and "HB9" not in shown and bea.email not in shown and "01632" not in shown
    assert "Cooking and baking" in shown and "I bake." in shown
    assert "Edit profile" not in shown and "Safeguarding record" not in shown
    assert client.get(f"/people/{bea.id}/profile").status_code == 404
    assert client.post(f"/people/{bea.id}/profile", data=profile_form()).status_code == 404

    # Hiding abilities hides the profile from members; brokers always see everything.
    make_profile(bea, abilities=("cooking",), about="I bake.", show_abilities=False)
    shown = text_of(client.get(f"/people/{bea.id}").get_data(as_text=True))
    assert "Cooking and baking" not in shown and "keeps their profile to the time bank's brokers" in shown

    client = as_person(broker)
    html = client.get(f"/people/{bea.id}").get_data(as_text=True)
    shown = text_of(html)
    assert "Bea Okafor" in shown and "HB1" in shown and bea.email in shown and "Cooking and baking" in shown
    assert "Edit profile" in shown and "Edit contact details" in shown and "Safeguarding record" in shown
    assert f'href="/people/{bea.id}/leave"' in html


def test_a_broker_finds_the_statement_to_print_for_each_account_in_their_banks(
        db_session, as_person, aled, bea, broker, bank, make_bank):
    elsewhere = members_service.join_bank(db_session, bea, make_bank(name="Other Vale Time Bank").id, actor_id=None)
    account = db_session.scalars(sa.select(Account).where(Account.holder_id == bea.id,
                                                          Account.time_bank_id == bank.id)).one()
    client = as_person(broker)
    html = client.get(f"/people/{bea.id}").get_data(as_text=True)
    assert "Statement to print" in text_of(html)
    assert f'href="/accounts/{account.id}/statement"' in html
    assert f'/accounts/{elsewhere.id}/statement' not in html, "not a bank this broker works for"
    assert client.get(f"/accounts/{account.id}/statement").status_code == 200

    html = as_person(aled).get(f"/people/{bea.id}").get_data(as_text=True)
    assert "Statement to print" not in text_of(html) and "/statement" not in html


def test_strangers_and_funders_are_kept_out(db_session, client, as_person, aled, make_bank, make_member,
                                            make_person):
    assert client.get(f"/people/{aled.id}").status_code == 302  # sign in first
    other_bank = make_bank(name="Elsewhere Time Bank")
    stranger = make_member(other_bank, "Sam Stranger")[0]
    client = as_person(stranger)
    assert client.get(f"/people/{aled.id}").status_code == 404
    assert client.get(f"/people/{2**31}").status_code == 404
    assert client.get(f"/people/{2**31}/profile").status_code == 404

    funder = make_person("Fran Funder")
    banks.grant_role(db_session, time_bank_id=other_bank.id, person_id=funder.id, role=BankRoleName.FUNDER,
                     actor_id=None)
    client = as_person(funder)
    for url in ("/people", "/profile", f"/people/{aled.id}", f"/people/{funder.id}/profile"):
        assert client.get(url).status_code == 403, url


def test_a_broker_edits_a_members_profile(db_session, as_person, aled, broker):
    client = as_person(broker)
    form = client.get(f"/people/{aled.id}/profile").get_data(as_text=True)
    assert "Profile: Aled Pryce" in form
    response = client.post(f"/people/{aled.id}/profile", data=profile_form(abilities=["visits"]))
    assert response.status_code == 302
    assert [a.category_id for a in db_session.get(Profile, aled.id).abilities] != []


# --- finding people --------------------------------------------------------------------------------


@pytest.fixture
def neighbours(bank, make_member, make_profile):
    """Three members with different abilities, languages, areas and times."""
    cai = make_member(bank, "Cai Jones", postcode="HB3 1AA")[0]
    make_profile(cai, abilities=("gardening",), languages=("cy", "en"), availability=((0, Period.MORNING),),
                 about="Allotment tips")
    dee = make_member(bank, "Dee Shah", postcode="HB1 1AA")[0]
    make_profile(dee, abilities=("bike-repair",), languages=("en", "gu"), availability=((2, Period.EVENING),),
                 travel_districts=("HB3",), show_contact=True)
    eli = make_member(bank, "Eli Hart", postcode="HB7 1AA")[0]
    make_profile(eli, abilities=("cooking",), languages=("en",), availability=((0, Period.EVENING),),
                 show_name=False)
    return cai, dee, eli


def names_found(html: str) -> list[str]:
    return [text_of(name) for name in re.findall(r'<li class="card">\s*<h3><a [^>]*>(.*?)</a>', html, re.S)]


def test_search_by_ability_language_area_and_time(db_session, as_person, aled, neighbours):
    cai, dee, eli = neighbours
    client = as_person(aled)
    everyone = client.get("/people")
    assert everyone.status_code == 200
    assert sorted(names_found(everyone.get_data(as_text=True))) == ["Cai Jones", "Dee Shah", "Name not shown"]
    assert eli.display_name not in everyone.get_data(as_text=True)

    def found(**query):
        response = client.get("/people", query_string=query)
        assert response.status_code == 200, response.get_data(as_text=True)
        return sorted(names_found(response.get_data(as_text=True)))

    assert found(ability="gardening") == ["Cai Jones"]
    assert found(ability="home-garden") == ["Cai Jones"]  # a top-level category finds its children
    assert found(language="cy") == ["Cai Jones"]
    assert found(language="gu") == ["Dee Shah"]
    assert found(district="hb3") == ["Cai Jones", "Dee Shah"]  # Dee travels to HB3
    assert found(weekday="0") == ["Cai Jones", "Name not shown"]
    assert found(weekday="0", period="evening") == ["Name not shown"]
    assert found(q="allotment") == ["Cai Jones"]
    assert found(q="garden") == ["Cai Jones"]
    assert found(ability="cooking", language="cy") == []

    card = client.get("/people", query_string={"ability": "bike-repair"}).get_data(as_text=True)
    assert f'href="/people/{dee.id}"' in card and dee.email in card and "Bike repair" in card and "Gujarati" in card
    assert cai.email not in client.get("/people", query_string={"ability": "gardening"}).get_data(as_text=True)


def test_search_results_are_paginated(db_session, as_person, aled, bank, make_member, make_profile):
    for number in range(PER_PAGE + 3):
        member = make_member(bank, f"Gardener {number:02d}")[0]
        make_profile(member, abilities=("gardening",))
    client = as_person(aled)
    first = client.get("/people", query_string={"ability": "gardening"}).get_data(as_text=True)
    assert len(names_found(first)) == PER_PAGE
    assert "Page 1 of 2" in first
    assert 'href="/people?page=2&amp;ability=gardening"' in first
    second = client.get("/people", query_string={"ability": "gardening", "page": "2"}).get_data(as_text=True)
    assert names_found(second) == ["Gardener 20", "Gardener 21", "Gardener 22"]


def test_bad_search_input_is_shown_next_to_the_field(db_session, as_person, aled, neighbours):
    client = as_person(aled)
    for query, field, message in [
        ({"weekday": "9"}, "weekday", "Choose a day from the list"),
        ({"ability": "no-such"}, "ability", "Choose an ability from the list"),
        ({"period": "night"}, "period", "Choose a time of day from the list"),
        ({"district": "ZZZ"}, "district", "Enter a postcode district like HB3"),
        ({"bank": "999"}, "bank", "Choose one of your time banks"),
        ({"q": "x" * 201}, "q", "200 characters"),
    ]:
        response = client.get("/people", query_string=query)
        assert response.status_code == 422, query
        html = response.get_data(as_text=True)
        assert message in error_next_to(html, field)
        assert names_found(html) == []
    for page in ("0", "x", str(2**31), "-1"):
        assert client.get("/people", query_string={"page": page}).status_code == 400


def test_a_member_of_several_banks_can_search_one(db_session, as_person, aled, bank, make_bank, make_member,
                                                   make_profile):
    from timebank.members import service as members

    other = make_bank(name="Afon Time Bank")
    members.join_bank(db_session, aled, other.id, actor_id=None)
    far = make_member(other, "Ffion Afon")[0]
    make_profile(far, abilities=("music",))
    near = make_member(bank, "Huw Near")[0]
    make_profile(near, abilities=("music",))
    client = as_person(aled)
    html = client.get("/people", query_string={"ability": "music"}).get_data(as_text=True)
    assert 'name="bank"' in html and sorted(names_found(html)) == ["Ffion Afon", "Huw Near"]
    html = client.get("/people", query_string={"ability": "music", "bank": str(other.id)}).get_data(as_text=True)
    assert names_found(html) == ["Ffion Afon"]
