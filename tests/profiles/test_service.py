"""Abilities-first profiles: what a member can do, in their own words and from the category tree; who
sees which part of it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from timebank.errors import DomainError, NotFound
from timebank.members import service as members
from timebank.membership import service as membership
from timebank.privacy.service import leave
from timebank.profiles import service as profiles
from timebank.profiles.models import (
    MAX_PROFILE_TEXT,
    Ability,
    AvailabilitySlot,
    ContributionKind,
    Period,
    Profile,
)
from timebank.profiles.service import ProfileUpdate


def test_a_member_fills_in_what_they_can_do(db_session, make_bank, make_member, make_profile, audited):
    bank = make_bank()
    person, _ = make_member(bank, "Megan Hughes")

    profile = make_profile(
        person, abilities=("gardening", "welsh", "gardening"), about="  I grow vegetables on an allotment. ",
        learn_or_share="I'd like to learn bike repair", languages=("cy", "en", "cy"),
        availability=((0, Period.MORNING), (5, Period.AFTERNOON), (0, Period.MORNING)),
        travel_districts=("hb4", "HB4 1AA", " ", "CF10"), show_contact=True,
    )

    assert profile.about == "I grow vegetables on an allotment."
    assert sorted(ability.category_id for ability in profile.abilities) == sorted(db_session.scalars(
        sa.select(profiles.Category.id).where(profiles.Category.code.in_(("gardening", "welsh")))))
    assert [language.code for language in profile.languages] == ["cy", "en"]
    assert sorted((s.weekday, s.period) for s in profile.availability) == [(0, Period.MORNING),
                                                                           (5, Period.AFTERNOON)]
    assert sorted(district.district for district in profile.travel_districts) == ["CF10", "HB4"]
    assert (profile.show_name, profile.show_area, profile.show_abilities, profile.show_contact) == (
        True, True, True, True)
    assert [e.subject_id for e in audited("profile.updated")] == [person.id]


def test_saving_again_replaces_the_whole_profile(db_session, make_bank, make_member, make_profile):
    person, _ = make_member(make_bank())
    make_profile(person, abilities=("gardening", "cooking"), languages=("en",),
                 availability=((1, Period.EVENING),), travel_districts=("HB4",))

    profile = make_profile(person, abilities=("music",), can_travel=False, travel_districts=("HB5",))

    assert [db_session.get(profiles.Category, a.category_id).code for a in profile.abilities] == ["music"]
    assert profile.languages == [] and profile.availability == [] and profile.travel_districts == []
    assert profile.can_travel is False, "not travelling at all drops the districts"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Ability)) == 1
    assert db_session.scalar(sa.select(sa.func.count()).select_from(AvailabilitySlot)) == 0


def test_search_text_holds_english_and_welsh_labels_and_the_free_text(db_session, make_bank, make_member,
                                                                      make_profile):
    person, _ = make_member(make_bank())
    profile = make_profile(person, abilities=("gardening", "welsh"), about="Allotment veg", enjoys="Choir singing")
    lines = profile.search_text.splitlines()
    assert {"Gardening", "Garddio", "Welsh", "Cymraeg"} <= set(lines)
    assert "Allotment veg" in lines and "Choir singing" in lines


@pytest.mark.parametrize(("changes", "field"), [
    ({"abilities": ("gardening", "knitting-on-the-moon")}, "abilities"),
    ({"languages": ("en", "klingon")}, "languages"),
    ({"travel_districts": ("HB4", "not a district")}, "travel_districts"),
    ({"travel_districts": tuple(f"HB{n}" for n in range(1, 14))}, "travel_districts"),
    ({"about": "x" * (MAX_PROFILE_TEXT + 1)}, "about"),
    ({"learn_or_share": "x" * (MAX_PROFILE_TEXT + 1)}, "learn_or_share"),
    ({"experience": "x" * (MAX_PROFILE_TEXT + 1)}, "experience"),
    ({"enjoys": "x" * (MAX_PROFILE_TEXT + 1)}, "enjoys"),
    ({"availability": ((7, Period.MORNING),)}, "availability"),
    ({"availability": ((-1, Period.EVENING),)}, "availability"),
])
def test_a_profile_is_checked_before_it_is_saved(db_session, make_bank, make_member, changes, field):
    person, _ = make_member(make_bank())
    with pytest.raises(DomainError) as error:
        profiles.update_profile(db_session, person, person.id, ProfileUpdate(**changes))
    assert error.value.field == field
    assert db_session.get(Profile, person.id) is None


def test_the_longest_answers_and_twelve_districts_are_accepted(db_session, make_bank, make_member, make_profile):
    person, _ = make_member(make_bank())
    profile = make_profile(person, about="x" * MAX_PROFILE_TEXT, travel_districts=tuple(f"HB{n}" for n in range(12)))
    assert len(profile.about) == MAX_PROFILE_TEXT and len(profile.travel_districts) == 12


def test_who_may_change_a_profile(db_session, make_bank, make_broker, make_member, make_person, make_organisation,
                                  make_profile):
    bank = make_bank()
    broker, other_broker = make_broker(bank), make_broker(make_bank())
    person, _ = make_member(bank, "Member")
    fellow, _ = make_member(bank, "Fellow")
    admin = make_person("Charity admin")
    charity, _ = make_organisation(bank, admins=(admin,))

    assert make_profile(person, actor=broker, about="Entered by the broker").about == "Entered by the broker"
    assert make_profile(charity, about="We run a repair café").about == "We run a repair café"
    for outsider in (fellow, other_broker, admin):
        with pytest.raises(NotFound):
            profiles.update_profile(db_session, outsider, person.id, ProfileUpdate(about="Hijacked"))
    with pytest.raises(NotFound):
        profiles.update_profile(db_session, fellow, charity.id, ProfileUpdate(about="Hijacked"))
    with pytest.raises(NotFound):
        profiles.update_profile(db_session, broker, 999_999, ProfileUpdate())
    assert db_session.get(Profile, person.id).about == "Entered by the broker"


def test_nobody_edits_the_profile_of_someone_who_has_left(db_session, make_bank, make_broker, make_member):
    bank = make_bank()
    broker = make_broker(bank)
    person, _ = make_member(bank)
    leave(db_session, person, person.id)
    with pytest.raises(NotFound):
        profiles.update_profile(db_session, broker, person.id, ProfileUpdate(about="Back again"))


# --- what each viewer sees -------------------------------------------------------------------------


@pytest.fixture
def private_member(make_bank, make_member, make_broker, make_profile):
    """Megan, who shows her abilities to fellow members and keeps her name, area and contact to brokers."""
    bank = make_bank()
    broker = make_broker(bank)
    megan, _ = make_member(bank, "Megan Hughes", phone="01632 960 111", postcode="HB3 2QT")
    make_profile(megan, abilities=("gardening",), about="Vegetables", show_name=False, show_area=False,
                 show_abilities=True, show_contact=False)
    return bank, broker, megan


def test_fellow_members_see_only_what_the_member_chose_to_show(db_session, private_member, make_member):
    bank, _, megan = private_member
    fellow, _ = make_member(bank, "Fellow")

    view = profiles.view_profile(db_session, fellow, megan.id)

    assert (view.full, view.name, view.district, view.contact) == (False, None, None, None)
    assert view.show_abilities and [category.code for category in view.abilities] == ["gardening"]
    assert view.profile.about == "Vegetables"


def test_a_member_who_hides_everything_shows_nothing_but_their_words(db_session, make_bank, make_member,
                                                                     make_profile):
    bank = make_bank()
    person, _ = make_member(bank, "Hidden")
    fellow, _ = make_member(bank, "Fellow")
    make_profile(person, abilities=("music",), show_name=False, show_area=False, show_abilities=False)

    view = profiles.view_profile(db_session, fellow, person.id)

    assert (view.name, view.district, view.show_abilities, view.abilities) == (None, None, False, [])


def test_showing_contact_details_is_the_member_s_choice(db_session, make_bank, make_member, make_profile):
    bank = make_bank()
    person, _ = make_member(bank, "Open", phone="01632 960 222", email="open@example.org")
    fellow, _ = make_member(bank, "Fellow")
    make_profile(person, show_contact=True)

    contact = profiles.view_profile(db_session, fellow, person.id).contact

    assert (contact.email, contact.phone, contact.contact_by.value) == ("open@example.org", "01632 960 222", "email")


@pytest.mark.parametrize("who", ["self", "broker", "admin"])
def test_the_member_their_brokers_and_admins_see_everything(db_session, private_member, make_person, who):
    _, broker, megan = private_member
    viewer = {"self": megan, "broker": broker, "admin": make_person("Admin", is_admin=True)}[who]

    view = profiles.view_profile(db_session, viewer, megan.id)

    assert (view.full, view.name, view.district) == (True, "Megan Hughes", "HB3")
    assert (view.contact.phone, view.contact.email) == ("01632 960 111", megan.email)


def test_people_outside_the_member_s_banks_find_no_profile(db_session, private_member, make_bank, make_member,
                                                           make_broker, make_person):
    _, _, megan = private_member
    other = make_bank()
    for outsider in (make_member(other, "Other bank member")[0], make_broker(other), make_person("Not a member")):
        with pytest.raises(NotFound):
            profiles.view_profile(db_session, outsider, megan.id)
    with pytest.raises(NotFound):
        profiles.view_profile(db_session, megan, 999_999)


def test_an_applicant_s_profile_is_for_the_broker_not_yet_for_members(db_session, make_bank, make_broker,
                                                                      make_member, make_person, make_profile):
    bank = make_bank()
    broker = make_broker(bank)
    applicant = make_person("Applicant")
    membership.apply(db_session, applicant, holder_id=applicant.id, time_bank_id=bank.id)
    make_profile(applicant, abilities=("cooking",))

    assert profiles.view_profile(db_session, broker, applicant.id).full
    with pytest.raises(NotFound):
        profiles.view_profile(db_session, make_member(bank)[0], applicant.id)


def test_a_member_who_has_not_written_a_profile_shows_an_empty_one(db_session, make_bank, make_member):
    bank = make_bank()
    person, _ = make_member(bank, "Quiet")
    fellow, _ = make_member(bank)
    view = profiles.view_profile(db_session, fellow, person.id)
    assert (view.name, view.abilities, view.profile.about) == ("Quiet", [], "")
    assert db_session.get(Profile, person.id) is None, "viewing saves nothing"


# --- organisations ---------------------------------------------------------------------------------


def test_an_organisation_shows_its_name_contact_and_contributions(db_session, make_bank, make_member, make_person,
                                                                  make_organisation, make_profile, audited):
    bank = make_bank()
    admin = make_person("Carys Lloyd")
    charity, _ = make_organisation(bank, "Hollinbridge Repair Café", admins=(admin,))
    members.update_organisation(db_session, admin, charity.id, members.OrganisationDetails(
        display_name="Hollinbridge Repair Café", organisation_type=charity.organisation_type, charity_number="1123456",
        contact_email="hello@repair.example.org", phone="01632 960 300", postcode="HB3 1AA"))
    make_profile(charity, abilities=("electrical-repair",), show_name=False, show_contact=False)
    room = profiles.add_contribution(db_session, admin, charity.id, ContributionKind.ROOM, "  Our hall,  Tuesdays ")
    fellow, _ = make_member(bank)

    view = profiles.view_profile(db_session, fellow, charity.id)

    assert view.name == "Hollinbridge Repair Café", "an organisation's name is always public"
    assert (view.contact.email, view.contact.phone) == ("hello@repair.example.org", "01632 960 300")
    assert [(c.kind, c.description) for c in view.contributions] == [(ContributionKind.ROOM, "Our hall, Tuesdays")]
    assert view.admins == [], "who runs it is for its admins and brokers"
    assert profiles.view_profile(db_session, admin, charity.id).admins == [admin]
    assert [e.details["contribution_id"] for e in audited("profile.contribution_added")] == [room.id]


def test_contributions_are_checked_and_only_for_organisations(db_session, make_bank, make_member, make_person,
                                                              make_organisation, audited):
    bank = make_bank()
    admin = make_person("Admin")
    charity, _ = make_organisation(bank, admins=(admin,))
    person, _ = make_member(bank)
    for description in ("  ", "x" * 501):
        with pytest.raises(DomainError) as error:
            profiles.add_contribution(db_session, admin, charity.id, ContributionKind.FUNDS, description)
        assert error.value.field == "description"
    with pytest.raises(NotFound):
        profiles.add_contribution(db_session, person, person.id, ContributionKind.ROOM, "My shed")
    with pytest.raises(NotFound):
        profiles.add_contribution(db_session, person, charity.id, ContributionKind.ROOM, "Their hall")

    kept = profiles.add_contribution(db_session, admin, charity.id, ContributionKind.TRAINING, "First aid")
    gone = profiles.add_contribution(db_session, admin, charity.id, ContributionKind.EQUIPMENT, "Ladders")
    profiles.remove_contribution(db_session, admin, charity.id, gone.id)
    with pytest.raises(NotFound):
        profiles.remove_contribution(db_session, admin, charity.id, gone.id)

    assert profiles.contributions_of(db_session, charity.id) == [kept]
    assert len(audited("profile.contribution_removed")) == 1
