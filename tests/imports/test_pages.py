"""The import pages: a broker downloads the template, uploads a file, reads the report and applies it:
the rows are recorded by a background job while the import's page shows how far it has got. Outcomes are
checked in the database."""

from __future__ import annotations

import io

import sqlalchemy as sa

from tests.exchanges.test_pages import error_next_to
from tests.imports.conftest import balances, exchanges_by, write_csv
from tests.jobs.support import run_queued_jobs
from tests.membership.test_pages import text_of
from timebank.imports import service
from timebank.imports.models import ImportStatus, TimesheetImport
from timebank.jobs import queue
from timebank.jobs.models import JobState


def upload(client, bank, text: str | bytes, filename: str = "march.csv"):
    content = text.encode() if isinstance(text, str) else text
    return client.post("/imports/new", data={"time_bank_id": str(bank.id), "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def imports_of(db_session, bank) -> list[TimesheetImport]:
    db_session.expire_all()
    return list(db_session.scalars(sa.select(TimesheetImport).where(TimesheetImport.time_bank_id == bank.id)
                                   .order_by(TimesheetImport.id)))


def test_a_broker_checks_and_applies_a_timesheet_and_watches_it_go_in(db_session, browser, bank, broker, members,
                                                                      ring):
    client = browser(broker)
    template = client.get("/imports/template.csv")
    assert template.status_code == 200 and template.mimetype == "text/csv"
    assert template.get_data(as_text=True).startswith("\ufeffdate,giver,giver_name,receiver")

    response = upload(client, bank, write_csv(ring(40)), "/home/nia/march.csv")
    [timesheet] = imports_of(db_session, bank)
    assert response.status_code == 302 and response.location.endswith(f"/imports/{timesheet.id}")
    assert (timesheet.status, timesheet.filename, timesheet.row_count) == (ImportStatus.CHECKED, "march.csv", 40)

    page = text_of(client.get(response.location))
    assert "Checked: ready to record" in page and "Members named 10" in page and "Total time 20 hours" in page
    assert "Record all the rows" in page

    applied = client.post(f"/imports/{timesheet.id}/apply")
    assert applied.status_code == 303 and applied.location.endswith(f"/imports/{timesheet.id}")
    waiting = client.get(applied.location).get_data(as_text=True)  # the job has not run yet
    assert '<meta http-equiv="refresh" content="2">' in waiting and 'aria-live="polite"' in waiting
    assert '<progress max="40" value="0">' in waiting and "Recorded 0 of 40 rows" in waiting
    assert "Record all the rows" not in waiting
    assert "Being recorded" in waiting and "Checked: ready to record" not in waiting
    job = service.apply_job(db_session, timesheet)
    assert job is not None and job.state is JobState.QUEUED and job.requested_by_id == broker.id

    run_queued_jobs()
    assert imports_of(db_session, bank)[0].status is ImportStatus.APPLIED
    db_session.refresh(job)
    assert (job.state, job.attempts, job.progress_done, job.progress_total) == (JobState.SUCCEEDED, 1, 40, 40)
    done = client.get(applied.location).get_data(as_text=True)
    assert "http-equiv" not in done
    assert len(exchanges_by(db_session, broker)) == 40
    assert "Every row was recorded" in text_of(client.get(f"/imports/{timesheet.id}"))
    listing = text_of(client.get("/imports"))
    assert "march.csv" in listing and "Recorded" in listing


def test_a_file_with_problems_shows_them_row_by_row_and_cannot_be_applied(db_session, browser, bank, broker,
                                                                          members, ring):
    rows = ring(6)
    rows[3]["category"] = "knitting"
    client = browser(broker)
    response = upload(client, bank, write_csv(rows))
    [timesheet] = imports_of(db_session, bank)
    assert timesheet.status is ImportStatus.REJECTED
    page = text_of(client.get(response.location))
    assert "Has problems: nothing recorded" in page
    assert "5 category There is no category “knitting”" in page
    assert "Record all the rows" not in page

    before = balances(db_session, members.accounts)
    refused = client.post(f"/imports/{timesheet.id}/apply")
    assert refused.status_code == 409
    assert "This file has problems" in text_of(refused)
    assert balances(db_session, members.accounts) == before and exchanges_by(db_session, broker) == []


def test_a_file_that_cannot_be_read_is_refused_next_to_the_file_field(db_session, browser, bank, broker, members):
    client = browser(broker)
    response = upload(client, bank, "date;giver;receiver;hours;category\r\n1/1/2026;1;2;1;x\r\n")
    assert response.status_code == 422
    assert "not separated by commas" in error_next_to(response.get_data(as_text=True), "file")
    response = upload(client, bank, "date,giver\r\n".encode("utf-16"))
    assert response.status_code == 422
    assert "not saved as UTF-8" in error_next_to(response.get_data(as_text=True), "file")
    missing = client.post("/imports/new", data={"time_bank_id": str(bank.id)}, content_type="multipart/form-data")
    assert missing.status_code == 422
    assert "Choose the CSV file" in error_next_to(missing.get_data(as_text=True), "file")
    assert imports_of(db_session, bank) == []


def test_applying_an_applied_import_again_is_refused(db_session, browser, bank, broker, members, ring):
    client = browser(broker)
    upload(client, bank, write_csv(ring(3)))
    [timesheet] = imports_of(db_session, bank)
    first = client.post(f"/imports/{timesheet.id}/apply")
    pressed_twice = client.post(f"/imports/{timesheet.id}/apply")  # while it waits: the same job
    assert first.status_code == pressed_twice.status_code == 303
    job = service.apply_job(db_session, timesheet)
    assert run_queued_jobs() == [job.id]  # one job, sent once
    queue.current().send(job.id)  # a message delivered again (its worker died before acknowledging it)
    assert run_queued_jobs() == [job.id]
    again = client.post(f"/imports/{timesheet.id}/apply")
    assert again.status_code == 409 and "already been recorded" in text_of(again)
    same_file = upload(client, bank, write_csv(ring(3)), "march-copy.csv")
    report = client.get(same_file.location).get_data(as_text=True)
    assert f'href="/imports/{timesheet.id}"' in report and "Whole file" in report
    assert len(exchanges_by(db_session, broker)) == 3


def test_who_may_use_the_import_pages(db_session, browser, bank, broker, members, ring, make_bank, make_broker,
                                      make_funder, make_organisation):
    client = browser(broker)
    upload(client, bank, write_csv(ring(2)))
    [timesheet] = imports_of(db_session, bank)
    org_admin = members.people[2]
    make_organisation(bank, "Hollinbridge Hall", admins=(org_admin,))
    other_broker = make_broker(make_bank(name="Other Vale"), "Olwen Broker")
    funder = make_funder(bank)

    anonymous = browser(None).get("/imports")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.location
    for person in (members.people[0], org_admin, funder):
        visitor = browser(person)
        assert visitor.get("/imports").status_code == 403
        assert visitor.get(f"/imports/{timesheet.id}").status_code == 403
        assert visitor.post(f"/imports/{timesheet.id}/apply").status_code == 403
    outsider = browser(other_broker)
    assert outsider.get(f"/imports/{timesheet.id}").status_code == 404
    assert outsider.post(f"/imports/{timesheet.id}/apply").status_code == 404
    refused = upload(outsider, bank, write_csv(ring(2)))
    assert refused.status_code == 422 and "Choose the time bank from the list" in refused.get_data(as_text=True)
    assert imports_of(db_session, bank)[0].status is ImportStatus.CHECKED


def test_a_job_that_fails_mid_file_keeps_nothing_is_retried_and_then_shown_failed(
        db_session, browser, bank, broker, members, ring, monkeypatch):
    client = browser(broker)
    upload(client, bank, write_csv(ring(40)))
    [timesheet] = imports_of(db_session, bank)
    before = balances(db_session, members.accounts)
    record = service._record
    seen: list[tuple[int, int] | None] = []

    def fail_on_row_30(session, actor, sheet, row):
        if row.number == 30:
            seen.append(queue.current().progress.get(service.apply_job(session, sheet).id))
            raise RuntimeError("the database went away")
        record(session, actor, sheet, row)

    monkeypatch.setattr(service, "_record", fail_on_row_30)
    client.post(f"/imports/{timesheet.id}/apply")
    run_queued_jobs()
    assert seen == [(28, 40)]  # the live count, while the rows were not yet committed
    job = service.apply_job(db_session, timesheet)
    db_session.refresh(job)
    assert (job.state, job.attempts, job.last_error) == (JobState.QUEUED, 1, "builtins.RuntimeError")
    assert imports_of(db_session, bank)[0].status is ImportStatus.CHECKED
    assert balances(db_session, members.accounts) == before and exchanges_by(db_session, broker) == []
    retrying = text_of(client.get(f"/imports/{timesheet.id}"))
    assert "Something went wrong on the last try: nothing was recorded" in retrying

    for _attempt in range(job.max_attempts - 1):
        queue.current().send(job.id)
        run_queued_jobs()
    db_session.refresh(job)
    assert (job.state, job.attempts) == (JobState.FAILED, job.max_attempts)
    page = text_of(client.get(f"/imports/{timesheet.id}"))
    assert "Nothing from this file was recorded" in page and "Record all the rows" in page
    assert balances(db_session, members.accounts) == before and exchanges_by(db_session, broker) == []

    monkeypatch.setattr(service, "_record", record)  # the database is back: pressing again sends the job again
    assert client.post(f"/imports/{timesheet.id}/apply").status_code == 303
    run_queued_jobs()
    db_session.refresh(job)
    assert job.state is JobState.SUCCEEDED and imports_of(db_session, bank)[0].status is ImportStatus.APPLIED
    assert len(exchanges_by(db_session, broker)) == 40
