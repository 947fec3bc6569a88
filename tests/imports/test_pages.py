"""The import pages: a broker downloads the template, uploads a file, reads the report and applies it
with a streamed progress page. Outcomes are checked in the database."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from tests.exchanges.test_pages import error_next_to
from tests.imports.conftest import balances, exchanges_by, write_csv
from tests.membership.test_pages import text_of
from timebank.imports import service
from timebank.imports.models import ImportStatus, TimesheetImport


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
    assert applied.status_code == 200 and applied.is_streamed
    html = applied.get_data(as_text=True)
    assert 'aria-live="polite"' in html and '<progress max="40" value="40">' in html
    lines = re.findall(r"Recorded (\d+) of 40 rows", html)
    assert lines == [str(n) for n in range(2, 41, 2)]  # a line every twentieth of the file
    assert "All 40 rows were recorded as confirmed exchanges." in text_of(applied)

    assert imports_of(db_session, bank)[0].status is ImportStatus.APPLIED
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
    assert first.status_code == 200 and "All 3 rows were recorded" in text_of(first)  # reading runs the stream
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


def test_a_failure_while_the_page_streams_rolls_every_row_back_and_the_page_says_so(
        db_session, browser, bank, broker, members, ring, monkeypatch):
    client = browser(broker)
    upload(client, bank, write_csv(ring(40)))
    [timesheet] = imports_of(db_session, bank)
    before = balances(db_session, members.accounts)
    record = service.Applying._record

    def fail_on_row_30(self, actor, sheet, row):
        if row.number == 30:
            raise RuntimeError("the database went away")
        record(self, actor, sheet, row)

    monkeypatch.setattr(service.Applying, "_record", fail_on_row_30)
    applied = client.post(f"/imports/{timesheet.id}/apply")
    page = text_of(applied)
    assert applied.status_code == 200 and "Recorded 20 of 40 rows" in page  # the page had begun
    assert "Something went wrong" in page and "Nothing from this file was recorded" in page
    assert imports_of(db_session, bank)[0].status is ImportStatus.CHECKED
    assert balances(db_session, members.accounts) == before and exchanges_by(db_session, broker) == []


def test_a_page_closed_while_it_streams_keeps_nothing(db_session, browser, bank, broker, members, ring):
    client = browser(broker)
    upload(client, bank, write_csv(ring(40)))
    [timesheet] = imports_of(db_session, bank)
    before = balances(db_session, members.accounts)
    applied = client.post(f"/imports/{timesheet.id}/apply", buffered=False)
    for chunk in applied.response:
        if b"Recorded 2 of 40 rows" in chunk:
            break
    applied.close()  # the browser went away after the first progress line
    assert imports_of(db_session, bank)[0].status is ImportStatus.CHECKED
    assert balances(db_session, members.accounts) == before and exchanges_by(db_session, broker) == []
