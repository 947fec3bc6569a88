"""An admin's home (issue 15): the banks with their members and staff, and where staff are managed; the
background jobs that failed or are running; the audit log's newest events. Each list is bounded; nobody but
an admin sees any of it."""

from __future__ import annotations

import re

import pytest

from tests.attendance.test_pages import words
from timebank.audit import service as audit
from timebank.banks import service as banks
from timebank.home import queries
from timebank.jobs.models import Job, JobState
from timebank.members.models import BankRoleName
from timebank.types import utcnow


@pytest.fixture
def admin(make_person):
    return make_person("Jordan Pell", is_admin=True)


def _job(session, state, error=None):
    finished = utcnow() if state in (JobState.SUCCEEDED, JobState.FAILED) else None
    job = Job(kind="tests.home.job", state=state, max_attempts=3, attempts=3 if error else 1, last_error=error,
              finished_at=finished)
    session.add(job)
    session.flush()
    return job


def test_an_admin_s_home_lists_the_banks_their_staff_jobs_and_the_audit_log(
        db_session, browser, admin, bank, broker, make_person, make_member):
    make_member(bank, "Aled Pryce")
    funder = make_person("Fran Funder")
    banks.grant_role(db_session, time_bank_id=bank.id, person_id=funder.id, role=BankRoleName.FUNDER, actor_id=None)
    failed = _job(db_session, JobState.FAILED, error="import-already-applied")
    running = _job(db_session, JobState.RUNNING)
    done = _job(db_session, JobState.SUCCEEDED)
    waiting = _job(db_session, JobState.QUEUED)
    for n in range(queries.ADMIN_EVENTS + 2):
        audit.record(db_session, "bank.settings_changed" if n else "auth.signed_in", actor_id=broker.id if n else None,
                     subject_type="time_bank", subject_id=bank.id, time_bank_id=bank.id)
    audit.record(db_session, "auth.signed_in", actor_id=None, subject_type="person")
    db_session.commit()

    response = browser(admin).get("/")
    html, page = response.get_data(as_text=True), words(response)
    # One table of the banks: the brokers' figures, and for an admin each bank's staff by role.
    banks_table = html.split('id="brokered"')[1].split('id="install"')[0]
    assert re.search(r'data-label="Members">\s*1\s*</td>', banks_table)
    staff = banks_table.split('class="muted staff-count">')[1].split("</span>")[0]
    assert " ".join(staff.split()) == "1 broker, 1 funder"
    assert html.count('id="brokered"') == 1 and 'data-next-step="banks"' in banks_table
    for address in (f"/banks/{bank.id}/staff", f"/banks/{bank.id}/settings", f"/brokerage/banks/{bank.id}"):
        assert f'href="{address}"' in html
    jobs = page.split("Background jobs that failed or are running")[1].split("Latest in the audit log")[0]
    assert f"Job {running.id}" in jobs and f"Job {failed.id}" in jobs and "import-already-applied" in jobs
    assert jobs.index(f"Job {running.id}") < jobs.index(f"Job {failed.id}")  # newest first
    assert f"Job {done.id}:" not in jobs and f"Job {waiting.id}:" not in jobs
    assert 'href="/jobs?state=failed"' in html
    log = page.split("Latest in the audit log")[1]
    # The newest ten, whichever bank or none: the admin's own sign-in, the system's, then eight of the eleven
    # settings changed (the oldest three and the first event are left off).
    assert log.count("Time bank settings changed") == queries.ADMIN_EVENTS - 2
    assert log.count("Signed in") == 2 and "Jordan Pell" in log and "The system" in log and broker.display_name in log


def test_the_admin_s_jobs_are_bounded_to_the_newest(db_session, admin):
    made = [_job(db_session, JobState.FAILED, error="Boom") for _ in range(queries.ADMIN_JOBS + 2)]
    install = queries.admin_overview(db_session, admin, [])
    assert [job.id for job in install.jobs] == [job.id for job in made[::-1][:queries.ADMIN_JOBS]]


def test_nobody_but_an_admin_sees_the_install(db_session, browser, broker, make_member, bank):
    resident, _ = make_member(bank, "Aled Pryce")
    db_session.commit()
    assert queries.admin_overview(db_session, broker, [bank]) is None
    for person in (broker, resident):
        page = words(browser(person).get("/"))
        assert "staff-count" not in browser(person).get("/").get_data(as_text=True)
        assert "Background jobs that failed" not in page and "Latest in the audit log" not in page


def test_an_admin_with_no_bank_yet_is_told_so(db_session, browser, admin):
    db_session.commit()
    page = words(browser(admin).get("/"))
    assert "There are no time banks yet." in page and "No job has failed and none is running." in page


def test_a_broker_s_dashboard_is_one_press_from_home(db_session, browser, broker, bank):
    """A broker's day starts on their dashboard: home opens with the button to it, before the banks' figures, and
    for a broker of one bank it opens that bank's dashboard."""
    db_session.commit()
    client = browser(broker)
    html = client.get("/").get_data(as_text=True)
    button = html.split('data-next-step="dashboard"')[1].split("</a>")[0]
    assert 'href="/brokerage"' in button and "Open the broker's dashboard" in button
    assert html.index('data-next-step="dashboard"') < html.index('id="brokered-table"')
    dashboard = client.get("/brokerage")
    assert dashboard.status_code == 200 and bank.name in dashboard.get_data(as_text=True)
