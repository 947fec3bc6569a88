"""The member picker (``timebank.forms.MemberPickerField``, ``timebank.picker``) as a person uses it on "Record
an exchange", without JavaScript: type part of a name, press Find, choose a radio button. A Find shows the
page again with everything typed kept and records nothing; the chosen one stays chosen; an id that the rule
does not allow is refused next to the question."""

from __future__ import annotations

import re

import pytest

from tests.exchanges.test_pages import error_next_to, only_exchange
from tests.support import first_submit, picker_options, statements_sent
from timebank.exchanges import service
from timebank.picker import PICK_LIMIT


@pytest.fixture
def aled(make_member, bank):
    return make_member(bank, "Aled Pryce", postcode="HB3 2QT")


@pytest.fixture
def bea(make_member, bank):
    return make_member(bank, "Bea Okafor", postcode="HB1 4AA")


def text_of(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def find(client, account, search: str, **typed: str):
    """Press "Find" under "Who was the other person or group?" with ``search`` in its box."""
    return client.post(f"/exchanges/new?account={account.id}", data={
        "account": str(account.id), "counterpart-q": search, "find": "counterpart", **typed})


def test_find_lists_matches_keeps_what_was_typed_and_records_nothing(
        as_person, aled, bea, make_member, make_organisation, bank, count_exchanges):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    _, beacon_account = make_organisation(bank, "Beacon Community Garden")
    _, other = make_member(bank, "Carys Jones")
    client = as_person(aled_person)

    response = find(client, aled_account, "bea", hours="2", description="Weeded the front garden")

    assert response.status_code == 200 and count_exchanges() == 0
    page = response.get_data(as_text=True)
    assert picker_options(page, "counterpart") == {beacon_account.id: False, bea_account.id: False}  # by name
    assert "Beacon Community Garden (group)" in text_of(page) and "Bea Okafor (HB1)" in text_of(page)
    assert 'value="bea"' in page and 'value="2"' in page and "Weeded the front garden" in page  # kept
    assert 'class="error-message"' not in page  # nothing judged

    # An empty search lists the first ones by name (a small bank just picks); never the person themself.
    everyone = picker_options(find(client, aled_account, "").get_data(as_text=True), "counterpart")
    assert set(everyone) == {beacon_account.id, bea_account.id, other.id}


def test_a_search_narrows_and_says_when_no_one_matches(as_person, aled, bea, make_member, bank):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    make_member(bank, "Beatrice Evans")
    client = as_person(aled_person)

    assert picker_options(find(client, aled_account, "OKAF").get_data(as_text=True), "counterpart") == {
        bea_account.id: False}  # any case, any part of the name
    for search in ("zebedee", "%", "_"):  # % and _ are letters typed, not patterns
        page = find(client, aled_account, search).get_data(as_text=True)
        assert picker_options(page, "counterpart") == {}
        assert f"No one found called “{search}”." in text_of(page)


def test_more_than_a_page_of_matches_says_to_type_more(as_person, aled, make_member, bank):
    aled_person, aled_account = aled
    for number in range(PICK_LIMIT + 1):
        make_member(bank, f"Member {number:02d}")

    page = find(as_person(aled_person), aled_account, "member").get_data(as_text=True)

    assert len(picker_options(page, "counterpart")) == PICK_LIMIT
    assert f"Showing the first {PICK_LIMIT}: type more of the name." in text_of(page)
    assert "Member 00" in page and f"Member {PICK_LIMIT:02d}" not in page  # the first by name


def test_the_chosen_one_stays_chosen_after_a_find_and_after_an_error(
        as_person, aled, bea, make_member, bank, exchange_form, count_exchanges):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    _, carys_account = make_member(bank, "Carys Jones")
    client = as_person(aled_person)

    # Bea chosen, then another search: she is still there, chosen, above the new matches.
    page = find(client, aled_account, "carys", counterpart=str(bea_account.id)).get_data(as_text=True)
    assert picker_options(page, "counterpart") == {bea_account.id: True, carys_account.id: False}

    response = client.post("/exchanges/new", data=exchange_form(aled_account, bea_account, hours="", minutes=""))
    assert response.status_code == 422 and count_exchanges() == 0
    page = response.get_data(as_text=True)
    assert "Enter how long the help took" in page
    assert picker_options(page, "counterpart") == {bea_account.id: True}


def test_choosing_through_the_picker_records_the_exchange(as_person, aled, bea, exchange_form, db_session):
    (aled_person, aled_account), (_, bea_account) = aled, bea
    client = as_person(aled_person)
    page = find(client, aled_account, "bea").get_data(as_text=True)
    [value] = picker_options(page, "counterpart")

    response = client.post("/exchanges/new", data=exchange_form(aled_account, bea_account,
                                                                counterpart=str(value), **{"counterpart-q": "bea"}))

    assert response.status_code == 302
    exchange = only_exchange(db_session)
    assert (exchange.giver_account_id, exchange.receiver_account_id) == (aled_account.id, bea_account.id)


@pytest.mark.parametrize("who", ["own account", "another bank", "no such account", "not a number", "too large"])
def test_an_id_the_rule_does_not_allow_is_refused_next_to_the_question(
        as_person, aled, make_member, make_bank, exchange_form, count_exchanges, who):
    aled_person, aled_account = aled
    _, elsewhere = make_member(make_bank(name="Another Time Bank"), "Iolo Outsider")
    sent = {"own account": str(aled_account.id), "another bank": str(elsewhere.id), "no such account": "999999",
            "not a number": "bea", "too large": "99999999999"}[who]
    client = as_person(aled_person)

    response = client.post("/exchanges/new", data=exchange_form(aled_account, aled_account, counterpart=sent))

    assert response.status_code == 422 and count_exchanges() == 0
    page = response.get_data(as_text=True)
    assert error_next_to(page, "counterpart").startswith("Error: Choose who the exchange was with")
    assert picker_options(page, "counterpart") == {}
    assert re.search(r'<a href="#counterpart">Choose who the exchange was with', page)  # the search box


def test_a_search_reads_a_page_of_matches_however_big_the_bank(as_person, aled, make_member, bank, db_session):
    """One bounded statement finds the matches: a bigger bank sends no more statements and no more rows."""
    aled_person, aled_account = aled
    client = as_person(aled_person)

    def statements_for_find() -> list[str]:
        find(client, aled_account, "member")  # the first request warms caches
        db_session.expire_all()
        with statements_sent(db_session.connection()) as sent:
            assert find(client, aled_account, "member").status_code == 200
        return sent

    make_member(bank, "Member 00")
    before = statements_for_find()
    for number in range(1, 2 * PICK_LIMIT):
        make_member(bank, f"Member {number:02d}")
    after = statements_for_find()

    assert len(after) == len(before)
    [search] = [s for s in after if "display_name" in s and "LIKE" in s.upper()]
    assert "LIMIT" in search.upper()


def test_every_chosen_id_is_looked_up_however_many_there_are(aled, make_member, make_bank, bank, db_session):
    """A form may hold more pickers than a page of matches (50 walk-in rows): each chosen id the rule allows
    is found, and only those."""
    _, aled_account = aled
    chosen = [make_member(bank, f"Member {number:02d}")[1].id for number in range(PICK_LIMIT + 5)]
    _, elsewhere = make_member(make_bank(name="Another Time Bank"), "Iolo Outsider")

    found = service.counterpart_choices(db_session, aled_account, only={*chosen, elsewhere.id, aled_account.id})

    assert [candidate.value for candidate in found] == chosen


def test_enter_in_any_box_records_rather_than_finds(as_person, aled):
    """Enter presses a form's first submit button; the picker's "Find" comes before "Record the exchange", so the
    form starts with a hidden copy of the main button (out of the tab order and hidden from screen readers)."""
    person, account = aled
    page = as_person(person).get(f"/exchanges/new?account={account.id}").get_data(as_text=True)
    assert first_submit(page) == '<button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true">'
