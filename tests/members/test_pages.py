"""Contact details and organisations through the pages: change how someone is reached, register an
organisation, decide who acts for it and what it offers besides hours."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from timebank.audit.models import AuditEvent
from timebank.members.models import ContactMethod, Language, Organisation, OrganisationAdmin, OrganisationType
from timebank.profiles.models import Contribution, ContributionKind


@pytest.fixture
def aled(make_member, bank):
    return make_member(bank, "Aled Pryce")[0]


@pytest.fixture
def bea(make_member, bank):
    return make_member(bank, "Bea Okafor")[0]


@pytest.fixture
def garden(make_organisation, bank, aled):
    return make_organisation(bank, "Hollinbridge Community Garden", admins=(aled,))[0]


def error_next_to(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', html, re.S)
    assert match, f"no error message next to {field_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def organisation_form(**changes):
    data = {
        "display_name": "Hollinbridge Repair Café", "organisation_type": "charity", "charity_number": "1234567",
        "contact_email": "Hello@Repair.example.org", "phone": "01632 960 321", "postcode": "hb3 1aa",
    }
    data.update(changes)
    return data


def admins_of(db_session, organisation_id: int) -> set[int]:
    return set(db_session.scalars(
        sa.select(OrganisationAdmin.person_id).where(OrganisationAdmin.organisation_id == organisation_id)))


# --- contact details -------------------------------------------------------------------------------


def contact_form(person, **changes):
    data = {"display_name": person.display_name, "email": person.email, "phone": "", "postcode": "",
            "preferred_language": "en", "contact_by": "email"}
    data.update(changes)
    return data


def test_a_member_changes_their_contact_details(db_session, as_person, aled):
    client = as_person(aled)
    form = client.get(f"/people/{aled.id}/contact")
    assert form.status_code == 200 and aled.email in form.get_data(as_text=True)
    response = client.post(f"/people/{aled.id}/contact", data=contact_form(
        aled, phone="01632 960 999", postcode="hb3 2qt", contact_by="text", preferred_language="cy"))
    assert response.status_code == 302 and response.location.endswith(f"/people/{aled.id}")
    db_session.refresh(aled)
    assert (aled.phone, aled.postcode, aled.postcode_district) == ("01632 960 999", "HB3 2QT", "HB3")
    assert (aled.contact_by, aled.preferred_language) == (ContactMethod.TEXT, Language.WELSH)


def test_bad_contact_details_are_shown_next_to_the_field_and_change_nothing(db_session, as_person, aled):
    client = as_person(aled)
    for changes, field, message in [
        ({"contact_by": "phone"}, "contact_by", "Give a phone number"),
        ({"postcode": "not a postcode"}, "postcode", "Enter a UK postcode"),
        ({"email": ""}, "email", "cannot be removed"),
        ({"display_name": "  "}, "display_name", "Enter a name"),
        ({"contact_by": "pigeon"}, "contact_by", "Choose a way to be contacted"),
    ]:
        response = client.post(f"/people/{aled.id}/contact", data=contact_form(aled, **changes))
        assert response.status_code == 422, field
        assert message in error_next_to(response.get_data(as_text=True), field)
        db_session.refresh(aled)
        assert (aled.display_name, aled.postcode, aled.contact_by) == ("Aled Pryce", None, ContactMethod.EMAIL)


def test_only_the_member_and_their_broker_change_contact_details(db_session, as_person, aled, bea, make_broker,
                                                                  bank):
    client = as_person(bea)
    assert client.get(f"/people/{aled.id}/contact").status_code == 404
    assert client.post(f"/people/{aled.id}/contact", data=contact_form(aled, display_name="Hacked")).status_code == 404
    assert client.get(f"/people/{2**31}/contact").status_code == 404

    client = as_person(make_broker(bank))
    response = client.post(f"/people/{aled.id}/contact", data=contact_form(aled, phone="01632 960 111",
                                                                           contact_by="phone"))
    assert response.status_code == 302
    db_session.refresh(aled)
    assert aled.contact_by is ContactMethod.PHONE


# --- registering an organisation -------------------------------------------------------------------


def test_register_an_organisation(db_session, as_person, aled):
    client = as_person(aled)
    assert client.get("/organisations/new").status_code == 200
    response = client.post("/organisations/new", data=organisation_form())
    # Other tests commit organisations of their own (race tests), so find this one by its admin.
    organisation = db_session.scalars(
        sa.select(Organisation).join(OrganisationAdmin, OrganisationAdmin.organisation_id == Organisation.id)
        .where(OrganisationAdmin.person_id == aled.id)
    ).one()
    assert response.status_code == 302 and response.location.endswith(f"/organisations/{organisation.id}")
    assert (organisation.charity_number, organisation.contact_email, organisation.postcode_district) == (
        "1234567", "hello@repair.example.org", "HB3")
    assert admins_of(db_session, organisation.id) == {aled.id}

    page = client.get(response.location).get_data(as_text=True)
    assert "is registered, and you act for it" in page and "Registered charity" in page
    assert 'href="/applications/new"' in page  # next: apply to join a time bank


def test_registering_a_charity_with_a_bad_number_is_refused(db_session, as_person, aled):
    client = as_person(aled)
    before = db_session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    for number, message in [("", "Enter the registered charity number"),
                            ("12-AB", "Enter a charity number like 1234567")]:
        response = client.post("/organisations/new", data=organisation_form(charity_number=number))
        assert response.status_code == 422
        assert message in error_next_to(response.get_data(as_text=True), "charity_number")
    response = client.post("/organisations/new", data=organisation_form(organisation_type="club"))
    assert response.status_code == 422
    assert "Choose what kind of organisation it is" in error_next_to(response.get_data(as_text=True),
                                                                     "organisation_type")
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == before
    # A voluntary group needs no charity number.
    response = client.post("/organisations/new", data=organisation_form(organisation_type="voluntary_group",
                                                                        charity_number=""))
    assert response.status_code == 302


def test_edit_an_organisation(db_session, as_person, aled, bea, garden):
    client = as_person(aled)
    assert client.get(f"/organisations/{garden.id}/edit").status_code == 200
    response = client.post(f"/organisations/{garden.id}/edit", data=organisation_form(
        display_name="The Garden", organisation_type="voluntary_group", charity_number=""))
    assert response.status_code == 302
    db_session.refresh(garden)
    assert (garden.display_name, garden.organisation_type) == ("The Garden", OrganisationType.VOLUNTARY_GROUP)

    client = as_person(bea)
    assert client.get(f"/organisations/{garden.id}").status_code == 404
    assert client.get(f"/organisations/{garden.id}/edit").status_code == 404
    assert client.post(f"/organisations/{garden.id}/edit", data=organisation_form()).status_code == 404
    assert client.get(f"/organisations/{2**31}").status_code == 404


# --- who acts for an organisation ------------------------------------------------------------------


def test_add_and_remove_an_organisation_admin(db_session, as_person, aled, bea, garden):
    client = as_person(aled)
    response = client.post(f"/organisations/{garden.id}/admins", data={"email": bea.email.upper()})
    assert response.status_code == 302
    assert admins_of(db_session, garden.id) == {aled.id, bea.id}
    assert "They now act for the organisation." in client.get(response.location).get_data(as_text=True)

    again = client.post(f"/organisations/{garden.id}/admins", data={"email": bea.email})
    assert again.status_code == 409
    assert "already act for this organisation" in error_next_to(again.get_data(as_text=True), "email")
    nobody = client.post(f"/organisations/{garden.id}/admins", data={"email": "nobody@example.org"})
    assert nobody.status_code == 422
    assert "Nobody has joined with that email address" in error_next_to(nobody.get_data(as_text=True), "email")

    # Bea now runs the organisation too, and removes Aled.
    client = as_person(bea)
    assert client.get(f"/organisations/{garden.id}").status_code == 200
    response = client.post(f"/organisations/{garden.id}/admins/{aled.id}/remove")
    assert response.status_code == 302
    assert admins_of(db_session, garden.id) == {bea.id}
    removed = db_session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "member.organisation_admin_removed"))
    assert [event.details["person_id"] for event in removed] == [aled.id]

    # The last person acting for it cannot be removed.
    last = client.post(f"/organisations/{garden.id}/admins/{bea.id}/remove")
    assert last.status_code == 409 and "at least one person" in last.get_data(as_text=True)
    assert admins_of(db_session, garden.id) == {bea.id}
    assert client.post(f"/organisations/{garden.id}/admins/{aled.id}/remove").status_code == 404

    client = as_person(aled)
    assert client.get(f"/organisations/{garden.id}").status_code == 404


def test_add_and_remove_what_an_organisation_offers(db_session, as_person, aled, garden):
    client = as_person(aled)
    response = client.post(f"/organisations/{garden.id}/contributions",
                           data={"kind": "equipment", "description": "Spades and a wheelbarrow"})
    assert response.status_code == 302
    contribution = db_session.scalars(sa.select(Contribution)).one()
    assert (contribution.kind, contribution.description) == (ContributionKind.EQUIPMENT, "Spades and a wheelbarrow")
    assert "Spades and a wheelbarrow" in client.get(f"/organisations/{garden.id}").get_data(as_text=True)

    for data, field in [({"kind": "", "description": "x"}, "kind"),
                        ({"kind": "room", "description": " "}, "description")]:
        bad = client.post(f"/organisations/{garden.id}/contributions", data=data)
        assert bad.status_code == 422
        error_next_to(bad.get_data(as_text=True), field)
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Contribution)) == 1

    response = client.post(f"/organisations/{garden.id}/contributions/{contribution.id}/remove")
    assert response.status_code == 302
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Contribution)) == 0
    assert client.post(f"/organisations/{garden.id}/contributions/{contribution.id}/remove").status_code == 404
