"""A member's optional age band, and their consent to be counted (age band and postcode district, never
their name) in reports to funders: on the profile form and through the API, in their data export, and only
for people."""

from __future__ import annotations

import pytest

from tests.api.conftest import api_as  # noqa: F401 (fixtures shared with this directory)
from timebank.privacy import service as privacy
from timebank.profiles.models import AgeBand, Profile


@pytest.fixture
def member(make_member, bank):
    person, _ = make_member(bank, "Eirlys Age", email="eirlys@example.org")
    return person


def test_consent_is_given_kept_and_withdrawn_through_the_api(db_session, member, api_as):  # noqa: F811
    client = api_as(member)
    saved = client.request("PUT", f"/people/{member.id}/profile", json={"age_band": "65_74", "in_reports": True})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    profile = db_session.get(Profile, member.id)
    db_session.refresh(profile)
    given_at = profile.in_reports_at
    assert profile.age_band is AgeBand.FROM_65_TO_74 and given_at is not None
    assert saved.get_json()["visibility"]["age_band"] == "65_74"

    client.request("PUT", f"/people/{member.id}/profile", json={"age_band": "65_74", "in_reports": True})
    db_session.refresh(profile)
    assert profile.in_reports_at == given_at  # still the day they first said yes

    exported = privacy.export_data(db_session, member)["profile"]
    assert (exported["age_band"], exported["counted_in_reports_since"] is not None) == ("65_74", True)

    client.request("PUT", f"/people/{member.id}/profile", json={"age_band": None, "in_reports": False})
    db_session.refresh(profile)
    assert (profile.age_band, profile.in_reports_at) == (None, None)
    refused = client.request("PUT", f"/people/{member.id}/profile", json={"age_band": "about 40"})
    assert refused.status_code == 422


def test_the_form_asks_in_plain_words_and_an_organisation_is_never_counted(db_session, member, browser,
                                                                          make_organisation, bank):
    client = browser(member)
    page = client.get(f"/people/{member.id}/profile").get_data(as_text=True)
    assert "75 or over" in page and "only for groups of 5 or more people" in page
    saved = client.post(f"/people/{member.id}/profile", data={"can_travel": "yes", "age_band": "under_25",
                                                              "in_reports": "y", "show_area": "y"})
    assert saved.status_code == 302
    profile = db_session.get(Profile, member.id)
    db_session.refresh(profile)
    assert profile.age_band is AgeBand.UNDER_25 and profile.in_reports_at is not None

    organisation, _ = make_organisation(bank, "Ageless Charity", admins=(member,))
    form = client.get(f"/people/{organisation.id}/profile")
    assert form.status_code == 200 and "Count my age band" not in form.get_data(as_text=True)
