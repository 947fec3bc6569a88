"""The journeys that matter, each as the people in it would go, in a real browser, with JavaScript on and off and
in English and Welsh (``variant``). Every page on the way is checked (``conftest.Journey.landed``)."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import zipfile
from collections.abc import Callable

import sqlalchemy as sa
from pypdf import PdfReader

from tests.browser.conftest import Journey, Live, Variant
from timebank.activities.models import Activity, ActivitySession, Role
from timebank.clock import uk_today
from timebank.db import db

BANK = "Hollinbridge & Carreg Wen Time Bank"
#: The demo's resident who confirms the newcomer's hour.
RESIDENT = ("resident@example.org", "Carys Pritchard")


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _fetched(person: Journey, name: str, content_type: str) -> bytes:
    """What the link called ``name`` downloads, fetched with the person's cookies (a PDF the browser would show
    in its own viewer, which a headless one does not have), once it has said what it is."""
    href = person.page.get_by_role("link", name=person.t(name)).first.get_attribute("href")
    assert href is not None
    response = person.context.request.get(person.live.url + href)
    assert response.ok, (href, response.status)
    assert response.headers["content-type"].startswith(content_type), (href, response.headers["content-type"])
    body = response.body()
    assert body, f"{href} arrived empty"
    return body


def _downloaded(person: Journey, name: str) -> tuple[str, bytes]:
    """The file the link called ``name`` downloads (an attachment), as the browser saved it, with its name."""
    # A report's PDF is drawn when asked for, charts and all: slow on a busy machine.
    with person.page.expect_download(timeout=60_000) as arrived:
        person.page.get_by_role("link", name=person.t(name)).first.click(timeout=60_000)
    download = arrived.value
    assert download.failure() is None, download.failure()
    with open(download.path(), "rb") as file:
        return download.suggested_filename, file.read()


def test_a_resident_joins_records_an_hour_and_the_other_side_confirms(
        journey: Callable[[], Journey], variant: Variant) -> None:
    name = f"Megan Prosser {uuid.uuid4().hex[:4]}"
    newcomer = journey()
    newcomer.go(f"/join?lang={variant.language}")
    newcomer.fill("Full name", name)
    newcomer.fill("Email address", f"megan-{uuid.uuid4().hex[:8]}@example.org", exact=True)
    newcomer.fill("Choose a password", "a kettle on the hob")
    newcomer.fill("Type the password again", "a kettle on the hob")
    newcomer.fill("Postcode", "HB3 2QT")
    newcomer.page.get_by_label(newcomer.t("Which time bank?")).select_option(label=BANK)
    newcomer.button("Join")
    newcomer.expect_text(newcomer.t("Welcome, %(name)s. Your application has been sent to the time bank's broker.",
                                    name=name))

    broker = journey()
    broker.sign_in("broker@example.org")
    broker.link(broker.t("Broker's dashboard: %(bank)s", bank=BANK))
    broker.link(name)
    # The demo's newcomer has no interview, references or DBS check yet: the broker approves anyway, as the
    # decision's warning lets them (and the record says so).
    broker.page.get_by_role("checkbox", name=broker.t("Approve anyway, without the checks listed above")).check()
    broker.button("Approve")
    broker.expect_text(broker.t("The application is approved. Their time account is open."))

    newcomer.link("Home", exact=True)  # approved now: the header offers a member's links
    newcomer.link("My profile")
    newcomer.link("Edit your profile")
    newcomer.page.get_by_role("checkbox", name=newcomer.t("Gardening"), exact=True).check()
    newcomer.page.get_by_role("checkbox", name=newcomer.t("Walking together"), exact=True).check()
    newcomer.button("Save profile")
    newcomer.expect_text(newcomer.t("Gardening"))

    newcomer.link("Record an exchange")
    newcomer.page.get_by_role("radio", name=newcomer.t("I gave help")).check()
    # "Who was the other person or group?": part of the name, Find (with JavaScript the matches come as one
    # types; the button works either way), then the match.
    newcomer.fill("Search by name", RESIDENT[1].split()[1][:5])
    if variant.javascript:  # picker.js brings the matches in as one types, and says how many
        newcomer.page.get_by_role("radio", name=RESIDENT[1]).wait_for()
        assert newcomer.page.locator("#counterpart-status").inner_text().strip()
    newcomer.button("Find")
    newcomer.page.get_by_role("radio", name=RESIDENT[1]).check()
    newcomer.fill("Hours", "1", exact=True)
    newcomer.page.get_by_label(newcomer.t("What kind of help was it?")).select_option(label=newcomer.t("Gardening"))
    newcomer.fill("Describe the help (optional)", "Weeded the front garden")
    newcomer.button("Record the exchange")

    resident = journey()
    resident.sign_in(RESIDENT[0])
    resident.link("See everything waiting for an answer")
    waiting = resident.page.get_by_role("listitem").filter(has_text=name)
    resident.follow(waiting.get_by_role("button", name=resident.t("Confirm")).click)
    resident.link("Exchanges", exact=True)
    resident.expect_text(name)


def test_a_broker_approves_an_applicant_and_makes_an_introduction(journey: Callable[[], Journey]) -> None:
    broker = journey()
    broker.sign_in("broker@example.org")
    broker.link(broker.t("Broker's dashboard: %(bank)s", bank=BANK))
    broker.link("Lowri Jenkins")
    broker.page.get_by_role("checkbox", name=broker.t("Approve anyway, without the checks listed above")).check()
    broker.button("Approve")
    broker.expect_text(broker.t("The application is approved. Their time account is open."))

    broker.link("Home", exact=True)
    broker.link(broker.t("Broker's dashboard: %(bank)s", bank=BANK))
    broker.link("Lift to Carreg Wen surgery")
    candidate = broker.page.get_by_role("checkbox").first
    candidate.check()
    broker.fill("A message to both (optional)", "Ray knows the surgery car park well.")
    broker.button("Introduce the people ticked")
    broker.expect_text(broker.t("Introduced. Both sides have been told and can answer on the introduction's page."))


def _time_passes_for(live: Live, title: str) -> None:
    """The sessions of the activity called ``title`` start an hour ago: a sign-up is for a session to come,
    and who came is marked once it has started."""
    with live.app.app_context():
        started = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        roles = sa.select(Role.id).join(Activity, Activity.id == Role.activity_id).where(Activity.title == title)
        db.session.execute(sa.update(ActivitySession).where(ActivitySession.role_id.in_(roles)).values(
            starts_at=started, ends_at=started + dt.timedelta(hours=2)))
        db.session.commit()


def test_an_organisation_publishes_an_activity_a_resident_signs_up_and_the_organiser_marks_who_came(
        journey: Callable[[], Journey], live: Live) -> None:
    title = f"Warm space volunteers {uuid.uuid4().hex[:4]}"
    council = journey()
    council.sign_in("council@example.org")
    council.link("Activities")
    council.link("Publish an activity")
    council.page.get_by_label(council.t("Which time bank?")).select_option(label=BANK)
    council.page.get_by_label(council.t("Which organisation runs it?")).select_option(index=1)
    council.fill("Title", title, exact=True)
    council.page.get_by_role("radio", name=council.t("Co-delivering"), exact=True).check()
    for group in ("Who designs it?", "Who delivers it?"):
        council.page.get_by_role("group", name=council.t(group)).get_by_role(
            "radio", name=council.t("Professionals with residents")).check()
    council.button("Save as a draft")

    council.link("Add a role")
    council.fill("Role", "Tea and a welcome", exact=True)
    council.page.get_by_label(council.t("What kind of help is it?")).select_option(index=1)
    council.fill("Places in each session", "3")
    council.fill("Hours", "2", exact=True)
    council.button("Save the role")
    council.follow(council.page.get_by_role("link", name=council.t("Add sessions")).first.click)
    council.fill_date("Date", uk_today() + dt.timedelta(days=7))
    council.fill("Start time", "10:00")
    council.fill("End time", "12:00")
    council.button("Add the sessions")
    council.link("Back to the activity")
    council.button("Publish it")

    resident = journey()
    resident.sign_in(RESIDENT[0])
    resident.link("Activities")
    resident.link(title)
    # A session's link is its day and times, from start to end (an en dash between them).
    resident.follow(resident.page.get_by_role("link", name=re.compile(r"\d{2}:\d{2}–\d{2}:\d{2}")).first.click)
    resident.button("Sign up")
    session_page = resident.page.url.removeprefix(live.url)

    _time_passes_for(live, title)
    council.go(session_page)
    council.link("Mark who came")
    council.page.get_by_role("row").filter(has_text=RESIDENT[1]).get_by_role("checkbox").check()
    council.button("Record attendance")
    council.expect_text(RESIDENT[1])


def test_a_member_prints_their_statement(journey: Callable[[], Journey]) -> None:
    resident = journey()
    resident.sign_in(RESIDENT[0])
    resident.link("Statement to print")
    resident.expect_text(RESIDENT[1])
    pdf = _fetched(resident, "Print (PDF, large print)", "application/pdf")
    assert pdf.startswith(b"%PDF")
    assert RESIDENT[1] in _pdf_text(pdf)


def test_a_funder_downloads_a_report(journey: Callable[[], Journey]) -> None:
    funder = journey()
    funder.sign_in("funder@example.org")
    programmes = funder.page.get_by_role("region", name=funder.t("Programmes you fund"))
    funder.follow(programmes.get_by_role("link").first.click)

    name, pdf = _downloaded(funder, "Download as a PDF, in English")
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1

    name, archive = _downloaded(funder, "Download the tables as CSV files, in Welsh")
    assert name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(archive)) as tables:
        assert tables.testzip() is None
        csvs = [member for member in tables.namelist() if member.endswith(".csv")]
        assert csvs and all(tables.read(member).strip() for member in csvs)
