"""The programmes pages in a browser: a funder's reader sees their programme and nothing of another funder's
or of members; brokers make programmes and outcomes; an organisation tags its activity and records what it
gave; admins manage funders."""

from __future__ import annotations

import datetime as dt

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
