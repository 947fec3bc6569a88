"""Finding people by words, ability, language, area and availability, within one's own banks, on both
databases (PostgreSQL full-text search with stemming; substrings on SQLite)."""

from __future__ import annotations

import pytest

from timebank.banks import service as banks
from timebank.errors import DomainError, Forbidden
from timebank.members.models import BankRoleName
from timebank.members.service import join_bank
from timebank.privacy.service import leave
from timebank.profiles import search as search_module
from timebank.profiles.models import Period
from timebank.profiles.search import Criteria, search


def names(page) -> list[str | None]:
    return [card.name for card in page.items]


@pytest.fixture
def hollinbridge(make_bank, make_broker, make_member, make_profile):
    """A bank where Aled searches, with three neighbours who fill in their profiles differently. (Nobody
    signs in here, so nobody needs a password: hashing one is slow on purpose.)"""
    bank = make_bank(name="Hollinbridge")
    broker = make_broker(bank, "Broker Bethan")
    aled, _ = make_member(bank, "Aled Searcher", postcode="HB3 1AA", password="")
    make_profile(aled, abilities=("cooking",))
    cai, _ = make_member(bank, "Cai Gardener", postcode="HB3 2QT", password="")
    make_profile(cai, abilities=("gardening",), about="Happy gardening and pruning fruit trees",
                 languages=("cy", "en"), availability=((0, Period.MORNING), (2, Period.EVENING)), can_travel=False)
    dee, _ = make_member(bank, "Dee Driver", postcode="HB5 7XY", password="")
    make_profile(dee, abilities=("lifts", "shopping"), about="I have a car and like a chat", languages=("en", "pl"),
                 availability=((0, Period.AFTERNOON),), travel_districts=("HB3", "HB4"))
    eli, _ = make_member(bank, "Eli Private", postcode="HB4 9ZZ", password="")
    make_profile(eli, abilities=("tutoring",), about="Maths tutoring", show_name=False, show_area=False)
    return bank, broker, aled


def test_a_member_finds_their_fellow_members(db_session, hollinbridge):
    _, _, aled = hollinbridge
    everyone = search(db_session, aled, Criteria())
    assert everyone.total == 4
    assert names(everyone) == ["Aled Searcher", "Cai Gardener", "Dee Driver", None], "by name; Eli hides hers"
    private = everyone.items[-1]
    assert (private.district, private.abilities, private.full) == (None, ["tutoring"], False)


def test_words_match_abilities_and_free_text(db_session, hollinbridge):
    _, _, aled = hollinbridge
    assert names(search(db_session, aled, Criteria(q="garden"))) == ["Cai Gardener"]
    assert names(search(db_session, aled, Criteria(q="Garddio"))) == ["Cai Gardener"], "Welsh labels too"
    assert names(search(db_session, aled, Criteria(q="CAR chat"))) == ["Dee Driver"]
    assert names(search(db_session, aled, Criteria(q="tutoring"))) == [None]
    assert search(db_session, aled, Criteria(q="plumbing")).total == 0


def test_postgresql_stems_words_and_sqlite_matches_substrings(db_session, hollinbridge):
    _, _, aled = hollinbridge
    stemmed = search(db_session, aled, Criteria(q="gardens pruned"))
    if db_session.get_bind().dialect.name == "postgresql":
        assert names(stemmed) == ["Cai Gardener"], "gardens ~ gardening, pruned ~ pruning"
        assert set(names(search(db_session, aled, Criteria(q="tutor OR car")))) == {"Dee Driver", None}
    else:
        assert stemmed.total == 0
        assert names(search(db_session, aled, Criteria(q="prun"))) == ["Cai Gardener"]


def test_a_broker_also_finds_people_by_name_and_sees_everything(db_session, hollinbridge):
    _, broker, _ = hollinbridge
    [eli] = search(db_session, broker, Criteria(q="Eli Private")).items
    assert (eli.name, eli.district, eli.full, eli.email is not None) == ("Eli Private", "HB4", True, True)


def test_members_do_not_search_by_name(db_session, hollinbridge):
    _, _, aled = hollinbridge
    assert search(db_session, aled, Criteria(q="Cai")).total == 0


def test_an_ability_includes_the_abilities_under_it(db_session, hollinbridge):
    _, _, aled = hollinbridge
    assert names(search(db_session, aled, Criteria(ability="gardening"))) == ["Cai Gardener"]
    assert names(search(db_session, aled, Criteria(ability="home-garden"))) == ["Cai Gardener"]
    assert names(search(db_session, aled, Criteria(ability="transport-errands"))) == ["Dee Driver"]
    assert search(db_session, aled, Criteria(ability="music")).total == 0
    with pytest.raises(DomainError) as error:
        search(db_session, aled, Criteria(ability="no-such-ability"))
    assert error.value.field == "ability"


def test_by_language(db_session, hollinbridge):
    _, _, aled = hollinbridge
    assert names(search(db_session, aled, Criteria(language="cy"))) == ["Cai Gardener"]
    assert names(search(db_session, aled, Criteria(language="en"))) == ["Cai Gardener", "Dee Driver"]
    assert names(search(db_session, aled, Criteria(language="pl", q="car"))) == ["Dee Driver"]


def test_by_area_own_district_or_one_they_travel_to(db_session, hollinbridge):
    _, broker, aled = hollinbridge
    assert names(search(db_session, aled, Criteria(district="hb3"))) == ["Aled Searcher", "Cai Gardener",
                                                                         "Dee Driver"]
    assert names(search(db_session, aled, Criteria(district="HB5 7XY"))) == ["Dee Driver"], "a postcode is cut"
    assert names(search(db_session, aled, Criteria(district="HB4"))) == ["Dee Driver"], \
        "Eli lives in HB4 but keeps her area to brokers"
    assert names(search(db_session, broker, Criteria(district="HB4"))) == ["Dee Driver", "Eli Private"]
    with pytest.raises(DomainError) as error:
        search(db_session, aled, Criteria(district="Hollinbridge"))
    assert error.value.field == "district"


def test_someone_who_does_not_travel_is_found_in_their_own_district_only(db_session, hollinbridge, make_member,
                                                                         make_profile):
    bank, _, aled = hollinbridge
    homebound, _ = make_member(bank, "Homebound Helper", postcode="HB5 1AB")
    make_profile(homebound, abilities=("phone-befriending",), can_travel=False, travel_districts=("HB3",))
    assert "Homebound Helper" not in names(search(db_session, aled, Criteria(district="HB3")))
    assert "Homebound Helper" in names(search(db_session, aled, Criteria(district="HB5")))


def test_by_weekday_and_part_of_the_day(db_session, hollinbridge):
    _, _, aled = hollinbridge
    assert names(search(db_session, aled, Criteria(weekday=0))) == ["Cai Gardener", "Dee Driver"]
    assert names(search(db_session, aled, Criteria(weekday=0, period=Period.AFTERNOON))) == ["Dee Driver"]
    assert names(search(db_session, aled, Criteria(period=Period.EVENING))) == ["Cai Gardener"]
    assert search(db_session, aled, Criteria(weekday=6)).total == 0


def test_hidden_abilities_hide_a_member_from_members_but_not_from_brokers(db_session, hollinbridge, make_member,
                                                                          make_profile):
    bank, broker, aled = hollinbridge
    shy, _ = make_member(bank, "Shy Member")
    make_profile(shy, abilities=("gardening",), show_abilities=False)

    assert names(search(db_session, aled, Criteria(ability="gardening"))) == ["Cai Gardener"]
    assert names(search(db_session, broker, Criteria(ability="gardening"))) == ["Cai Gardener", "Shy Member"]


def test_a_member_never_finds_people_in_banks_they_do_not_belong_to(db_session, hollinbridge, make_bank,
                                                                   make_member, make_broker, make_profile):
    _, broker, aled = hollinbridge
    other = make_bank(name="Elsewhere")
    stranger, _ = make_member(other, "Stranger Gardener")
    make_profile(stranger, abilities=("gardening",))
    other_broker = make_broker(other)

    assert names(search(db_session, aled, Criteria(ability="gardening"))) == ["Cai Gardener"]
    assert names(search(db_session, broker, Criteria(ability="gardening"))) == ["Cai Gardener"]
    assert names(search(db_session, other_broker, Criteria(ability="gardening"))) == ["Stranger Gardener"]
    with pytest.raises(DomainError) as error:
        search(db_session, aled, Criteria(time_bank_id=other.id))
    assert error.value.field == "time_bank_id"


def test_a_member_of_two_banks_can_narrow_the_search_to_one(db_session, hollinbridge, make_bank, make_member,
                                                            make_profile):
    _, _, aled = hollinbridge
    other = make_bank(name="Elsewhere")
    join_bank(db_session, aled, other.id, actor_id=None)
    there, _ = make_member(other, "Gardener Elsewhere")
    make_profile(there, abilities=("gardening",))

    assert names(search(db_session, aled, Criteria(ability="gardening"))) == ["Cai Gardener", "Gardener Elsewhere"]
    assert names(search(db_session, aled, Criteria(ability="gardening", time_bank_id=other.id))) == [
        "Gardener Elsewhere"]


def test_people_without_a_profile_or_who_left_are_not_found(db_session, hollinbridge, make_member):
    bank, broker, aled = hollinbridge
    make_member(bank, "No Profile Yet")
    cai = next(card for card in search(db_session, aled, Criteria(q="garden")).items)
    leave(db_session, broker, cai.holder_id)

    assert search(db_session, broker, Criteria(q="No Profile")).total == 0
    assert search(db_session, broker, Criteria(q="garden")).total == 0
    assert search(db_session, broker, Criteria()).total == 3


def test_results_come_a_page_at_a_time(db_session, make_bank, make_member, make_profile):
    bank = make_bank()
    viewer, _ = make_member(bank, "Viewer")
    for n in range(25):
        person, _ = make_member(bank, f"Cook {n:02d}", email=None)
        make_profile(person, abilities=("cooking",))

    first = search(db_session, viewer, Criteria(ability="cooking"))
    second = search(db_session, viewer, Criteria(ability="cooking"), page=2)
    small = search(db_session, viewer, Criteria(ability="cooking"), page=3, per_page=10)

    assert (first.total, first.pages, len(first.items), first.has_next) == (25, 2, 20, True)
    assert names(second) == [f"Cook {n:02d}" for n in range(20, 25)] and not second.has_next
    assert names(small) == [f"Cook {n:02d}" for n in range(20, 25)]
    assert search(db_session, viewer, Criteria(ability="cooking"), page=0).page == 1
    assert len(search(db_session, viewer, Criteria(ability="cooking"), per_page=0).items) == 1
    assert len(search(db_session, viewer, Criteria(ability="cooking"), per_page=1000).items) == 25


def test_a_search_for_words_ranks_a_bounded_set_then_goes_by_name(db_session, make_bank, make_member, make_profile,
                                                                   monkeypatch):
    monkeypatch.setattr(search_module, "RANKED", 2)
    monkeypatch.setattr(search_module, "COUNT_CAP", 4)
    bank = make_bank()
    viewer, _ = make_member(bank, "Viewer")
    for n in range(6):
        person, _ = make_member(bank, f"Gardener {n}", email=None)
        make_profile(person, about="garden " * (n + 1))

    pages = [search(db_session, viewer, Criteria(q="garden"), page=n, per_page=2) for n in (1, 2, 3)]
    shown = [name for page in pages for name in names(page)]
    assert sorted(shown) == [f"Gardener {n}" for n in range(6)], "every match once, whichever were ranked"
    assert shown[2:] == sorted(shown[2:]), "past the ranked ones, by name"
    assert (pages[0].total, pages[0].total_is_lower_bound, pages[2].has_next) == (4, True, False)

    # Two matches fit in the ranked set: the more relevant first on PostgreSQL, by name on SQLite.
    pair = make_bank()
    searcher, _ = make_member(pair, "Searcher")
    for name, about in (("Ann Once", "garden"), ("Bob Often", "garden garden garden, a gardener's garden")):
        person, _ = make_member(pair, name, email=None)
        make_profile(person, about=about)
    found = names(search(db_session, searcher, Criteria(q="garden")))
    postgresql = db_session.get_bind().dialect.name == "postgresql"
    assert found == (["Bob Often", "Ann Once"] if postgresql else ["Ann Once", "Bob Often"])


def test_funders_without_an_account_and_strangers_are_refused(db_session, hollinbridge, make_person):
    bank, _, _ = hollinbridge
    funder = make_person("Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER, actor_id=None)
    for outsider in (funder, make_person("Stranger")):
        with pytest.raises(Forbidden):
            search(db_session, outsider, Criteria())


def test_a_long_query_is_refused(db_session, hollinbridge):
    _, _, aled = hollinbridge
    with pytest.raises(DomainError) as error:
        search(db_session, aled, Criteria(q="garden " * 40))
    assert error.value.field == "q"
    assert search(db_session, aled, Criteria(q="100%_\\")).total == 0, "LIKE wildcards are taken literally"
