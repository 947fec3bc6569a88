"""The header's links by role (``home.navigation``): each person sees the few links their work uses and
none they may not open; a narrow screen's menu is a details element that opens without JavaScript."""

from __future__ import annotations

import re

import pytest

from timebank.banks import service as banks
from timebank.members.models import BankRoleName
from timebank.programmes import service as programmes

MEMBER = ["Record an exchange", "Exchanges", "Activities", "Offers and requests", "My calendar", "My profile"]
BROKER = ["Dashboard", "Applications", "Find people", "Programmes", "Reports"]


def _links(client) -> list[str]:
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    nav = html[html.index('class="site-nav"'):html.index("</nav>")]
    assert '<details class="site-menu">' in nav and "<summary>Menu" in nav
    words = re.findall(r">\s*([^<>]*?)\s*(?:<span|</a>|</button>)", nav)
    return [word for word in words if word]


@pytest.fixture
def people(db_session, bank, make_member, make_person, make_broker, make_organisation):
    resident, _ = make_member(bank, "Carys Pritchard")
    organiser, _ = make_member(bank, "Rachel Ainsworth")
    organisation, _ = make_organisation(bank, "Hollinbridge Food Share", admins=(organiser,))
    admin = make_person("Jordan Pell", is_admin=True)
    fund = programmes.create_funder(db_session, admin, "Quiet Valley Communities Fund", "Cronfa Cymunedau Cwm Tawel")
    reader = make_person("Alastair Whitcombe")
    programmes.add_funder_member(db_session, admin, fund.id, reader.email or "")
    bank_funder = make_person("Fiona Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=bank_funder.id, role=BankRoleName.FUNDER,
                     actor_id=None)
    db_session.commit()
    return {"resident": resident, "organiser": (organiser, organisation), "broker": make_broker(bank, "Nia Broker"),
            "funder": reader, "bank funder": bank_funder, "admin": admin, "applicant": make_person("Lowri Jenkins")}


def test_a_resident_sees_the_member_links_and_no_staff_ones(people, as_person):
    assert _links(as_person(people["resident"])) == ["Home", *MEMBER, "Notices", "Sign out"]


def test_an_organisation_admin_also_sees_their_organisation_and_its_reports(people, as_person):
    organiser, organisation = people["organiser"]
    client = as_person(organiser)
    assert _links(client) == ["Home", *MEMBER, "Your organisation", "Reports", "Notices", "Sign out"]
    assert f'href="/organisations/{organisation.id}"' in client.get("/").get_data(as_text=True)


def test_a_broker_sees_their_working_links_and_not_applications_twice(people, as_person):
    assert _links(as_person(people["broker"])) == ["Home", *BROKER, "Notices", "Sign out"]


def test_an_admin_also_sees_jobs(people, as_person):
    assert _links(as_person(people["admin"])) == ["Home", *BROKER, "Jobs", "Notices", "Sign out"]


def test_a_funder_sees_reports_only_never_member_links_or_applications(people, as_person):
    assert _links(as_person(people["funder"])) == ["Home", "Reports", "Notices", "Sign out"]
    # A bank's funder role reads the bank's totals on the home page, and has no programme to report on.
    assert _links(as_person(people["bank funder"])) == ["Home", "Notices", "Sign out"]


def test_an_applicant_sees_their_application(people, as_person):
    assert _links(as_person(people["applicant"])) == ["Home", "Your application", "Notices", "Sign out"]


def test_every_header_link_opens_for_its_viewer(people, as_person):
    for name, person in people.items():
        client = as_person(person[0] if isinstance(person, tuple) else person)
        html = client.get("/").get_data(as_text=True)
        nav = html[html.index('class="site-nav"'):html.index("</nav>")]
        for href in re.findall(r'<a href="([^"]+)"', nav):
            answer = client.get(href)
            assert answer.status_code in (200, 302), (name, href, answer.status_code)


def test_signed_out_visitors_see_sign_in_and_join(client):
    html = client.get("/sign-in").get_data(as_text=True)
    nav = html[html.index('class="site-nav"'):html.index("</nav>")]
    assert re.findall(r">([^<>]+)</a>", nav) == ["Sign in", "Join"]
