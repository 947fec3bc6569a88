"""The programmes pages in a browser: a funder's reader sees their programme and nothing of another funder's
or of members; brokers make programmes and outcomes; an organisation tags its activity and records what it
gave; admins manage funders."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from timebank.activities.models import Activity, InKindContribution
from timebank.banks.models import TimeBank
from timebank.members.models import Organisation, Person
from timebank.programmes import service
from timebank.programmes.models import Funder, FunderMember, Programme, ProgrammeOutcome


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_funders_reader_sees_their_programme_and_no_member_pages(
        browser, funder: tuple[Funder, Person], other_funder: tuple[Funder, Person], programme: Programme) -> None:
    mine = browser(funder[1])
    home = text(mine.get("/"))
    assert "/programmes" in home and "/exchanges/new" not in home, "no member links in the header"
    listed = mine.get("/programmes")
    assert listed.status_code == 200 and "Stronger Together" in text(listed)
    assert mine.get(f"/programmes/{programme.id}").status_code == 200
    assert mine.get("/exchanges").status_code == 403
    assert mine.get(f"/programmes/{programme.id}/edit").status_code == 403
    theirs = browser(other_funder[1])
    assert theirs.get(f"/programmes/{programme.id}").status_code == 404
    assert "Stronger Together" not in text(theirs.get("/programmes"))


def test_welsh_pages_name_programmes_and_activities_in_welsh_or_mark_the_english(
        db_session, browser, funder: tuple[Funder, Person], programme: Programme, officer: Person,
        activity: Activity, council: Organisation, bank: TimeBank, today: dt.date) -> None:
    reader = browser(funder[1])
    assert "<h1>Cryfach Gyda&#39;n Gilydd</h1>" in text(reader.get(f"/programmes/{programme.id}?lang=cy"))
    assert "<h1>Stronger Together</h1>" in text(reader.get(f"/programmes/{programme.id}?lang=en"))
    programme.name_cy = ""
    db_session.commit()
    welsh_page = text(reader.get(f"/programmes/{programme.id}?lang=cy"))
    assert '<h1><span lang="en">Stronger Together</span></h1>' in welsh_page
    # The funder's home and the reports page link to its report by the same name, marked the same way.
    for path in ("/?lang=cy", "/reports?lang=cy"):
        assert '<span lang="en">Stronger Together</span></a>' in text(reader.get(path)), path
    activity.title_cy = "Cludiant i'r ysbyty"
    db_session.add(InKindContribution(time_bank_id=bank.id, organisation_id=council.id, activity_id=activity.id,
                                      kind="staff_time", description="A morning", given_on=today,
                                      recorded_by_id=officer.id))
    db_session.commit()
    assert "Cludiant i&#39;r ysbyty" in text(browser(officer).get(f"/organisations/{council.id}/in-kind?lang=cy"))


def test_a_broker_makes_a_programme_with_the_wales_goals(db_session, browser, broker: Person, bank: TimeBank,
                                                        funder: tuple[Funder, Person], today: dt.date) -> None:
    as_broker = browser(broker)
    form = text(as_broker.get("/programmes/new"))
    assert 'value="12.21"' in form and "National Living Wage, April 2025 (GOV.UK)" in form
    made = as_broker.post("/programmes/new", data={
        "funder_id": funder[0].id, "name": "Growing Together", "name_cy": "Tyfu Gyda'n Gilydd",
        "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=200)).isoformat(),
        "value_per_hour": "12.21", "value_source": "National Living Wage, April 2025 (GOV.UK)", "value_year": "2025",
        "suppress_below": "5", "time_bank_id": bank.id})
    assert made.status_code == 302, text(made)
    programme = db_session.scalars(sa.select(Programme).where(Programme.name == "Growing Together")).one()
    added = as_broker.post(f"/programmes/{programme.id}/outcome-sets", data={"set_code": "wales-wellbeing-goals"})
    assert added.status_code == 302
    page = text(as_broker.get(f"/programmes/{programme.id}"))
    assert "A healthier Wales" in page and "Cymru iachach" in page
    refused = as_broker.post("/programmes/new", data={
        "funder_id": funder[0].id, "name": "Backwards", "starts_on": today.isoformat(),
        "ends_on": (today - dt.timedelta(days=1)).isoformat(), "value_per_hour": "12.21", "suppress_below": "5",
        "time_bank_id": bank.id})
    assert refused.status_code == 422 and "must be on or after its start" in text(refused)


def test_an_organisation_tags_its_activity_and_records_what_it_gave(
        db_session, browser, officer: Person, broker: Person, programme: Programme, activity: Activity,
        council: Organisation, bank: TimeBank, today: dt.date) -> None:
    outcome = service.add_outcome(db_session, broker, programme.id, "Fewer people lonely")
    as_officer = browser(officer)
    assert f"/activities/{activity.id}/outcomes" in text(as_officer.get(f"/activities/{activity.id}"))
    assert "Fewer people lonely" in text(as_officer.get(f"/activities/{activity.id}/outcomes"))
    saved = as_officer.post(f"/activities/{activity.id}/outcomes", data={"outcome_ids": [outcome.id]})
    assert saved.status_code == 302
    refused = as_officer.post(f"/activities/{activity.id}/outcomes/roles/{activity.roles[0].id}",
                              data={"outcome_ids": [outcome.id + 1000]})
    assert refused.status_code == 422 and "Choose only outcomes of programmes" in text(refused)
    assert service.tags_of(db_session, activity).activity == {outcome.id}

    recorded = as_officer.post(f"/organisations/{council.id}/in-kind", data={
        "time_bank_id": bank.id, "kind": "staff_time", "description": "An officer's morning",
        "given_on": today.isoformat(), "minutes": "180", "value": "90.00"})
    assert recorded.status_code == 302, text(recorded)
    record = db_session.scalars(sa.select(InKindContribution)).one()
    assert (record.minutes, record.value_pence) == (180, 9000)
    assert "An officer&#39;s morning" in text(as_officer.get(f"/organisations/{council.id}/in-kind"))
    assert as_officer.post(f"/organisations/{council.id}/in-kind/{record.id}/edit", data={
        "time_bank_id": bank.id, "kind": "staff_time", "description": "An officer's afternoon",
        "given_on": today.isoformat(), "minutes": "120", "value": ""}).status_code == 302
    db_session.refresh(record)
    assert (record.description, record.value_pence) == ("An officer's afternoon", None)


def test_an_admin_adds_a_funder_and_its_reader(db_session, browser, admin: Person, make_person) -> None:
    reader = make_person("Gwyneth Grants")
    as_admin = browser(admin)
    made = as_admin.post("/funders", data={"name": "Hillside Trust", "name_cy": "Ymddiriedolaeth Ochr y Bryn"})
    assert made.status_code == 302
    funder = db_session.scalars(sa.select(Funder)).one()
    assert as_admin.post(f"/funders/{funder.id}/members", data={"email": reader.email}).status_code == 302
    assert db_session.get(FunderMember, (funder.id, reader.id)) is not None
    nobody = as_admin.post(f"/funders/{funder.id}/members", data={"email": "nobody@example.org"})
    assert nobody.status_code == 422


def test_outcomes_removed_from_the_page(db_session, browser, broker: Person, programme: Programme) -> None:
    outcome = service.add_outcome(db_session, broker, programme.id, "Fewer people lonely")
    assert browser(broker).post(f"/programmes/{programme.id}/outcomes/{outcome.id}/remove").status_code == 302
    assert db_session.get(ProgrammeOutcome, outcome.id) is None


def test_the_tag_page_groups_each_programme_s_outcomes_under_its_name(
        db_session, browser, officer: Person, broker: Person, programme: Programme, activity: Activity,
        make_programme, other_funder: tuple[Funder, Person]) -> None:
    # Two programmes fund the same Wales goals: each set sits in its own fieldset, named by its programme.
    second = make_programme(other_funder[0], name="Hillside Hours", name_cy="Oriau Ochr y Bryn")
    for each in (programme, second):
        service.add_outcome_set(db_session, broker, each.id, "wales-wellbeing-goals")
    page = text(browser(officer).get(f"/activities/{activity.id}/outcomes"))
    form = page[page.index('id="activity-outcomes"'):page.index('id="role-')]
    groups = re.findall(r'<fieldset class="outcome-group">\s*<legend>(.*?)</legend>(.*?)</fieldset>', form, re.S)
    assert [legend for legend, _ in groups] == ["Outcomes of Hillside Hours", "Outcomes of Stronger Together"]
    assert all(body.count("A healthier Wales") == 1 for _, body in groups)


def _programme_form(bank: TimeBank, funder: Funder, today: dt.date, **changes: str) -> dict[str, object]:
    return {"funder_id": funder.id, "name": "Growing Together", "starts_on": today.isoformat(),
            "ends_on": today.isoformat(), "value_per_hour": "12.21", "value_source": "National Living Wage",
            "value_year": "2025", "suppress_below": "5", "time_bank_id": bank.id, **changes}


def test_a_year_that_cannot_be_read_is_said_once_and_errors_follow_the_form_s_order(
        browser, broker: Person, bank: TimeBank, funder: tuple[Funder, Person], today: dt.date) -> None:
    refused = browser(broker).post("/programmes/new", data=_programme_form(
        bank, funder[0], today, funder_id="", name="", value_year="twenty", suppress_below="2", time_bank_id=""))
    page = text(refused)
    assert refused.status_code == 422
    assert page.count("Enter a year like 2025") == 2  # in the summary, and once next to the field
    start = page.index('class="error-summary')
    summary = page[start:page.index("</ul>", start)]
    links = re.findall(r'href="#([a-z_]+)"', summary)
    assert links == ["funder_id", "name", "value_year", "suppress_below", "time_bank_id"]


def test_the_value_s_source_in_welsh_is_kept_and_shown_again(
        db_session, browser, broker: Person, bank: TimeBank, funder: tuple[Funder, Person], today: dt.date) -> None:
    as_broker = browser(broker)
    assert "Cyflog Byw Cenedlaethol, Ebrill 2025 (GOV.UK)" in text(as_broker.get("/programmes/new"))
    made = as_broker.post("/programmes/new", data=_programme_form(
        bank, funder[0], today, value_source_cy="  Y Cyflog Byw Cenedlaethol  "))
    assert made.status_code == 302, text(made)
    programme = db_session.scalars(sa.select(Programme).where(Programme.name == "Growing Together")).one()
    assert programme.value_source_cy == "Y Cyflog Byw Cenedlaethol"
    assert 'value="Y Cyflog Byw Cenedlaethol"' in text(as_broker.get(f"/programmes/{programme.id}/edit"))
    assert as_broker.post(f"/programmes/{programme.id}/edit", data=_programme_form(
        bank, funder[0], today, value_source_cy="")).status_code == 302
    db_session.refresh(programme)
    assert programme.value_source_cy is None
