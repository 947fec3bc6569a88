"""People's contact details, organisations' details and who acts for an organisation."""

from __future__ import annotations

import pytest

from timebank.errors import Conflict, DomainError, NotFound
from timebank.members import service as members
from timebank.members.models import ContactMethod, Language, OrganisationType
from timebank.members.service import clean_charity_number
from timebank.privacy.service import leave


def test_a_member_changes_their_contact_details(db_session, make_bank, make_member, contact_details, audited):
    person, _ = make_member(make_bank(), "Megan Hughes")

    members.update_contact(db_session, person, person.id, contact_details(
        person, display_name="  Megan   Hughes-Price ", email=" Megan.HP@Example.org", phone="01632  960 123",
        postcode="cf10 1aa", contact_by=ContactMethod.TEXT, preferred_language=Language.WELSH))

    assert (person.display_name, person.email, person.phone) == ("Megan Hughes-Price", "megan.hp@example.org",
                                                                 "01632 960 123")
    assert (person.postcode, person.postcode_district) == ("CF10 1AA", "CF10")
    assert (person.contact_by, person.preferred_language) == (ContactMethod.TEXT, Language.WELSH)
    [changed] = audited("member.contact_changed")
    assert (changed.actor_id, changed.subject_id) == (person.id, person.id)


@pytest.mark.parametrize(("changes", "field"), [
    ({"display_name": "   "}, "display_name"),
    ({"display_name": "x" * 201}, "display_name"),
    ({"email": "not an email"}, "email"),
    ({"email": None}, "email"),  # they sign in with it
    ({"phone": "call me"}, "phone"),
    ({"phone": "12345"}, "phone"),
    ({"postcode": "HB3"}, "postcode"),
    ({"postcode": "12345"}, "postcode"),
    ({"contact_by": ContactMethod.PHONE, "phone": None}, "contact_by"),
    ({"contact_by": ContactMethod.TEXT, "phone": ""}, "contact_by"),
])
def test_contact_details_are_checked(db_session, make_bank, make_member, contact_details, changes, field):
    person, _ = make_member(make_bank(), "Megan Hughes", phone=None, postcode="HB3 2QT")
    before = (person.display_name, person.email, person.phone, person.postcode, person.contact_by)

    with pytest.raises(DomainError) as error:
        members.update_contact(db_session, person, person.id, contact_details(person, **changes))

    assert error.value.field == field
    db_session.refresh(person)
    assert (person.display_name, person.email, person.phone, person.postcode, person.contact_by) == before


def test_an_email_address_belongs_to_one_person(db_session, make_bank, make_member, make_person, contact_details):
    bank = make_bank()
    taken = make_person("First", email="shared@example.org")
    person, _ = make_member(bank)
    with pytest.raises(Conflict) as error:
        members.update_contact(db_session, person, person.id, contact_details(person, email="SHARED@example.org"))
    assert (error.value.status, error.value.field) == (409, "email")
    with pytest.raises(Conflict):
        make_person("Second", email="Shared@Example.org ")
    members.update_contact(db_session, taken, taken.id, contact_details(taken, phone="01632 960 000"))
    assert taken.email == "shared@example.org", "keeping your own address is not a clash"


def test_a_broker_keeps_the_details_of_someone_who_is_not_online(db_session, make_bank, make_broker, make_member,
                                                                 contact_details):
    bank = make_bank()
    broker = make_broker(bank)
    offline, _ = make_member(bank, "Idris Thomas", email=None)
    assert (offline.email, offline.contact_by) == (None, ContactMethod.BROKER)

    members.update_contact(db_session, broker, offline.id, contact_details(offline, phone="01632 960 555",
                                                                          contact_by=ContactMethod.PHONE))
    assert (offline.phone, offline.contact_by) == ("01632 960 555", ContactMethod.PHONE)

    members.update_contact(db_session, broker, offline.id, contact_details(offline, phone=None,
                                                                          contact_by=ContactMethod.BROKER))
    assert offline.phone is None
    with pytest.raises(DomainError) as error:
        members.update_contact(db_session, broker, offline.id, contact_details(offline,
                                                                              contact_by=ContactMethod.EMAIL))
    assert error.value.field == "contact_by"


def test_nobody_else_changes_a_member_s_details(db_session, make_bank, make_broker, make_member, contact_details):
    bank = make_bank()
    person, _ = make_member(bank, "Megan Hughes")
    for outsider in (make_member(bank, "Fellow")[0], make_broker(make_bank(), "Broker elsewhere")):
        with pytest.raises(NotFound):
            members.update_contact(db_session, outsider, person.id, contact_details(person, display_name="Hacked"))
    with pytest.raises(NotFound):
        members.update_contact(db_session, person, 999_999, contact_details(person))
    assert person.display_name == "Megan Hughes"


def test_new_people_are_checked_too(db_session, make_person):
    with pytest.raises(DomainError) as phone_method:
        make_person("No phone", contact_by=ContactMethod.PHONE)
    with pytest.raises(DomainError) as postcode:
        make_person("Bad postcode", postcode="nowhere")
    assert (phone_method.value.field, postcode.value.field) == ("contact_by", "postcode")
    offline = make_person("Offline", email=None, phone="01632 960 777")
    assert (offline.contact_by, offline.password_hash) == (ContactMethod.BROKER, None)


# --- organisations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [
    ("1234567", "1234567"),
    ("123456", "123456"),
    ("1123456-1", "1123456-1"),
    ("1123456-12", "1123456-12"),
    ("sc012345", "SC012345"),
    ("SC 012 345", "SC012345"),
    ("NIC100123", "NIC100123"),
    ("NI123456", "NI123456"),
    ("100123", "100123"),
])
def test_charity_numbers_from_every_uk_register(typed, stored):
    assert clean_charity_number(typed, OrganisationType.CHARITY) == stored


@pytest.mark.parametrize("typed", ["12345", "12345678", "1234567-123", "SC12345", "SC0123456", "NIC12345",
                                   "GB123456", "charity", "1234567/1"])
def test_charity_numbers_that_are_not_real_shapes(typed):
    with pytest.raises(DomainError) as error:
        clean_charity_number(typed, OrganisationType.CHARITY)
    assert error.value.field == "charity_number"


def test_a_charity_needs_its_number_and_other_organisations_may_leave_it_out():
    with pytest.raises(DomainError):
        clean_charity_number("  ", OrganisationType.CHARITY)
    assert clean_charity_number(None, OrganisationType.COUNCIL) is None
    assert clean_charity_number("", OrganisationType.VOLUNTARY_GROUP) is None
    assert clean_charity_number("1234567", OrganisationType.SOCIAL_ENTERPRISE) == "1234567"


def test_someone_registers_an_organisation_and_runs_it(db_session, make_person, organisation_details, audited):
    carys = make_person("Carys Lloyd")

    garden = members.register_organisation(db_session, carys, organisation_details(postcode="hb31aa"))

    assert (garden.display_name, garden.charity_number, garden.contact_email) == (
        "Hollinbridge Community Garden", "1234567", "hello@garden.example.org")
    assert (garden.postcode, garden.postcode_district) == ("HB3 1AA", "HB3")
    assert garden.admins == [carys]
    assert members.managed_organisation(db_session, carys, garden.id) is garden
    [created] = audited("member.organisation_created")
    assert (created.actor_id, created.details["admins"]) == (carys.id, [carys.id])


@pytest.mark.parametrize(("changes", "field"), [
    ({"display_name": ""}, "display_name"),
    ({"charity_number": None}, "charity_number"),
    ({"charity_number": "12"}, "charity_number"),
    ({"contact_email": "hello at garden"}, "contact_email"),
    ({"phone": "phone us"}, "phone"),
    ({"postcode": "garden"}, "postcode"),
])
def test_an_organisation_s_details_are_checked(db_session, make_person, organisation_details, changes, field):
    with pytest.raises(DomainError) as error:
        members.register_organisation(db_session, make_person(), organisation_details(**changes))
    assert error.value.field == field


def test_an_organisation_with_an_account_keeps_its_kind_of_account(db_session, make_bank, make_person,
                                                                   make_organisation, organisation_details):
    admin = make_person("Admin")
    charity, account = make_organisation(make_bank(), "Food Share", admins=(admin,))

    members.update_organisation(db_session, admin, charity.id, organisation_details(
        display_name="Food Share CIO", organisation_type=OrganisationType.VOLUNTARY_GROUP, charity_number=None))
    assert (charity.display_name, charity.charity_number) == ("Food Share CIO", None)

    with pytest.raises(DomainError) as error:
        members.update_organisation(db_session, admin, charity.id, organisation_details(
            organisation_type=OrganisationType.BUSINESS, charity_number=None))
    assert error.value.field == "organisation_type"
    assert charity.organisation_type == OrganisationType.VOLUNTARY_GROUP and account.holder_kind.value == "third_sector"

    unbanked = members.register_organisation(db_session, admin, organisation_details())
    members.update_organisation(db_session, admin, unbanked.id, organisation_details(
        organisation_type=OrganisationType.BUSINESS, charity_number=None))
    assert unbanked.organisation_type == OrganisationType.BUSINESS, "no account yet, so any kind will do"


def test_who_runs_an_organisation(db_session, make_bank, make_broker, make_member, make_person, make_organisation,
                                  organisation_details):
    bank = make_bank()
    broker = make_broker(bank)
    admin = make_person("Admin")
    charity, _ = make_organisation(bank, admins=(admin,))
    assert members.managed_organisation(db_session, broker, charity.id) is charity
    for outsider in (make_member(bank)[0], make_broker(make_bank(), "Broker elsewhere")):
        with pytest.raises(NotFound):
            members.managed_organisation(db_session, outsider, charity.id)
        with pytest.raises(NotFound):
            members.update_organisation(db_session, outsider, charity.id, organisation_details())
    with pytest.raises(NotFound):  # a person is not an organisation
        members.managed_organisation(db_session, admin, admin.id)


def test_admins_are_added_and_removed_but_never_the_last_one(db_session, make_bank, make_broker, make_person,
                                                             make_organisation, audited):
    bank = make_bank()
    broker = make_broker(bank)
    carys, dai = make_person("Carys", email="carys@example.org"), make_person("Dai", email="dai@example.org")
    offline = make_person("Offline", email=None)
    charity, _ = make_organisation(bank, admins=(carys,))

    added = members.add_organisation_admin(db_session, carys, charity.id, " DAI@example.org ")
    assert added is dai and set(charity.admins) == {carys, dai}
    with pytest.raises(Conflict) as twice:
        members.add_organisation_admin(db_session, broker, charity.id, "dai@example.org")
    assert twice.value.field == "email"
    for unknown in ("nobody@example.org", "", "not an email"):
        with pytest.raises(DomainError) as error:
            members.add_organisation_admin(db_session, carys, charity.id, unknown)
        assert error.value.field == "email"

    members.remove_organisation_admin(db_session, dai, charity.id, carys.id)
    assert charity.admins == [dai]
    with pytest.raises(Conflict) as last:
        members.remove_organisation_admin(db_session, broker, charity.id, dai.id)
    assert last.value.status == 409
    with pytest.raises(NotFound):
        members.remove_organisation_admin(db_session, dai, charity.id, offline.id)
    with pytest.raises(NotFound):  # once removed, Carys no longer acts for it
        members.add_organisation_admin(db_session, carys, charity.id, "carys@example.org")

    assert charity.admins == [dai]
    assert [e.details["person_id"] for e in audited("member.organisation_admin_added")] == [dai.id]
    [removed] = audited("member.organisation_admin_removed")
    assert (removed.actor_id, removed.details["person_id"]) == (dai.id, carys.id)


def test_someone_who_has_left_cannot_be_made_an_admin(db_session, make_bank, make_person, make_organisation):
    admin, leaver = make_person("Admin"), make_person("Leaver", email="leaver@example.org")
    charity, _ = make_organisation(make_bank(), admins=(admin,))
    leave(db_session, leaver, leaver.id)
    with pytest.raises(DomainError):
        members.add_organisation_admin(db_session, admin, charity.id, "leaver@example.org")
