"""The report's page, charts, CSV files, PDF and JSON on a real bank: who may read which report, that every
output says what the page says (one computation each), and that no output for a funder holds a name, an
email, a member id or a free comment."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid
import zipfile
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests.reports.support import assert_csv_says_the_page
from timebank.categories.models import Category
from timebank.feedback.models import Again, Channel, FeedbackAnswer
from timebank.ledger import service as ledger
from timebank.members.models import OrganisationType
from timebank.programmes.models import Funder, FunderMember, Programme, ProgrammeOutcome, ProgrammeScope
from timebank.reports import compute

COMMENT = "Gwenllian was wonderful, tell nobody: quillwort"


class _Tables(HTMLParser):
    """Every ``<table>`` of a page: its caption and its rows of cell texts; and every ``<img>``'s address."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.images: list[str] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("th", "td", "caption") and self.tables:
            self._text = []
        elif tag == "img":
            self.images.append(dict(attrs)["src"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td", "caption") and self._text is not None and self.tables:
            text = re.sub(r"\s+", " ", "".join(self._text)).strip()
            if tag == "caption":
                self.tables[-1] = (text, self.tables[-1][1])
            else:
                self.tables[-1][1][-1].append(text)
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _page(html: str) -> _Tables:
    parsed = _Tables()
    parsed.feed(html)
    return parsed


@pytest.fixture
def world(db_session, make_bank, make_member, make_organisation, make_person, today):
    """A bank with named residents, a charity and a council, a year of exchanges, a participant's comment, and
    a programme funded by a trust whose member is ``funder``; another trust funds ``other``."""
    bank = make_bank(name="Llanfair Time Bank", opened_on=today - dt.timedelta(days=800))
    gardening = db_session.scalar(sa.select(Category).where(Category.code == "gardening"))
    people = [make_member(bank, name, email=f"{name.split()[0].lower()}@people.example")
              for name in ("Gwenllian Price", "Rhodri Evans", "Bethan Morgan", "Ifor Williams", "Nia Jenkins",
                           "Dafydd Hughes", "Eleri Thomas")]
    _charity, charity_account = make_organisation(bank, "Cyfeillion Llanfair")
    _council, council_account = make_organisation(bank, "Cyngor Cymuned Llanfair",
                                                  organisation_type=OrganisationType.COUNCIL)
    accounts = [account for _person, account in people] + [charity_account, council_account]
    exchanges = []
    for n in range(40):
        giver, receiver = accounts[n % len(accounts)], accounts[(n + 1) % len(accounts)]
        occurred = (today.replace(day=1) - dt.timedelta(days=1 + (n * 9) % 330))
        made, _ = ledger.record_exchange(
            db_session, proposer_account_id=giver.id, counterpart_account_id=receiver.id, proposer_is_giver=True,
            amount_minutes=60, occurred_on=occurred, category_id=gardening.id, description="",
            recorded_by_id=people[0][0].id, idempotency_key=uuid.uuid4().hex)
        ledger.confirm_exchange(db_session, made.id, actor_id=people[0][0].id, acting_for_account_id=receiver.id)
        exchanges.append(made)
    db_session.add(FeedbackAnswer(time_bank_id=bank.id, exchange_id=exchanges[0].id, person_id=people[0][0].id,
                                  how_it_went=5, again=Again.YES, comment=COMMENT, channel=Channel.PAGE,
                                  answered_on=exchanges[0].occurred_on))
    funder = make_person("Tomos Funder", email="tomos@trust.example")
    other = make_person("Olwen Funder", email="olwen@other-trust.example")
    programmes = {}
    for name, member in (("Ymddiriedolaeth Llanfair", funder), ("Other Trust", other)):
        trust = Funder(name=name)
        db_session.add(trust)
        db_session.flush()
        db_session.add(FunderMember(funder_id=trust.id, person_id=member.id))
        programme = Programme(funder_id=trust.id, name=f"{name} Fund", name_cy=f"Cronfa {name}",
                              starts_on=(today - dt.timedelta(days=300)).replace(day=1),
                              ends_on=today + dt.timedelta(days=60), value_per_hour_pence=1221,
                              value_source="National Living Wage", value_year=2026, created_by_id=funder.id)
        db_session.add(programme)
        db_session.flush()
        db_session.add(ProgrammeScope(programme_id=programme.id, time_bank_id=bank.id))
        db_session.add(ProgrammeOutcome(programme_id=programme.id, name="Healthier people",
                                        name_cy="Pobl iachach"))
        programmes[member.id] = programme
    db_session.commit()
    return {"bank": bank, "people": [person for person, _ in people], "funder": funder, "other": other,
            "programme": programmes[funder.id], "others_programme": programmes[other.id]}


def _addresses(programme_id: int) -> list[str]:
    base = f"/reports/programmes/{programme_id}"
    return [base, f"{base}/charts/kinds.svg", f"{base}/report.zip", f"{base}/report.pdf"]


def test_a_funder_reads_only_their_own_programmes(world, browser):
    funder = browser(world["funder"])
    for address in _addresses(world["programme"].id):
        assert funder.get(address).status_code == 200, address
    for address in _addresses(world["others_programme"].id):
        assert funder.get(address).status_code == 404, address
    listed = funder.get("/reports").get_data(as_text=True)
    assert world["programme"].name in listed and world["others_programme"].name not in listed
    assert f"/reports/programmes/{world['programme'].id}" in funder.get("/").get_data(as_text=True)


def test_a_funder_reads_only_their_own_programmes_over_the_api(world, app, db_session):
    from timebank.auth import tokens

    token, _ = tokens.issue_token(db_session, world["funder"], dt.timedelta(hours=1))
    db_session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/programmes/{world['programme'].id}/report", headers=headers).status_code == 200
    assert client.get(f"/api/v1/programmes/{world['others_programme'].id}/report",
                      headers=headers).status_code == 404


def _json(app, db_session, person, address):
    from timebank.auth import tokens

    token, _ = tokens.issue_token(db_session, person, dt.timedelta(hours=1))
    db_session.commit()
    response = app.test_client().get(address, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _pdf_text(body: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages))


def test_csv_pdf_and_json_say_what_the_page_says(world, app, db_session, browser):
    funder = browser(world["funder"])
    programme_id = world["programme"].id
    page = _page(funder.get(f"/reports/programmes/{programme_id}").get_data(as_text=True))
    tables = [rows for _caption, rows in page.tables]
    assert tables, "the page shows the report's tables"
    archive = zipfile.ZipFile(io.BytesIO(funder.get(f"/reports/programmes/{programme_id}/report.zip?language=en").data))
    files = [name for name in archive.namelist() if name.endswith(".csv")]
    readme = archive.read("README.txt").decode()
    assert "Covers: All of Llanfair Time Bank" in readme and "Report for: The programme's funder" in readme
    assert "Outcomes: Healthier people" in readme
    from_csv = [list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))) for name in files]
    for page_rows, rows in zip(tables, from_csv, strict=True):
        assert_csv_says_the_page(page_rows, rows)
    text = _pdf_text(funder.get(f"/reports/programmes/{programme_id}/report.pdf?language=en").data)
    missing = [cell for rows in tables for row in rows[1:] for cell in row if cell and cell not in text]
    assert missing == []
    out = _json(app, db_session, world["funder"], f"/api/v1/programmes/{programme_id}/report")
    assert [table["key"] for table in out["tables"]] == [name.removesuffix(".csv") for name in files]
    for table, rows in zip(out["tables"], tables, strict=True):
        body = rows[1:1 + len(table["rows"])]
        assert [row["label"] for row in table["rows"]] == [row[0] for row in body]
        assert [[cell["text"] for cell in cells] for cells in table["cells"]] == [
            row[1:1 + len(table["columns"])] for row in body]


def test_each_output_computes_the_report_once(world, browser, monkeypatch):
    calls = []
    real = compute.programme_report

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compute, "programme_report", counted)
    funder = browser(world["funder"])
    for address in _addresses(world["programme"].id):
        calls.clear()
        assert funder.get(address).status_code == 200
        assert len(calls) == 1, address


def test_no_output_for_a_funder_holds_personal_data_or_a_comment(world, app, db_session, browser):
    funder = browser(world["funder"])
    programme_id = world["programme"].id
    texts = []
    for language in ("en", "cy"):
        page = funder.get(f"/reports/programmes/{programme_id}?lang={language}").get_data(as_text=True)
        texts.append(page)
        texts += [funder.get(src).get_data(as_text=True) for src in _page(page).images]
        archive = zipfile.ZipFile(io.BytesIO(
            funder.get(f"/reports/programmes/{programme_id}/report.zip?language={language}").data))
        texts += [archive.read(name).decode("utf-8-sig") for name in archive.namelist()]
        texts.append(_pdf_text(funder.get(f"/reports/programmes/{programme_id}/report.pdf?language={language}").data))
        out = _json(app, db_session, world["funder"], f"/api/v1/programmes/{programme_id}/report?language={language}")
        texts.append(json.dumps(out, ensure_ascii=False))
        assert not re.search(r'"[a-z_]*(person|holder|account|member)_ids?"', texts[-1])
    everything = "\n".join(texts)
    for person in world["people"]:
        for word in (person.display_name, person.email, *person.display_name.split()):
            assert word not in everything, word
    assert COMMENT not in everything and "quillwort" not in everything


def _month(day: dt.date) -> str:
    return day.strftime("%Y-%m")


def test_the_period_is_chosen_by_month_and_refused_in_words(world, app, db_session, browser, today):
    funder = browser(world["funder"])
    programme = world["programme"]
    base = f"/reports/programmes/{programme.id}"
    last = today.replace(day=1) - dt.timedelta(days=1)
    first = last.replace(day=1)
    page = funder.get(f"{base}?from={_month(first)}&to={_month(last)}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'<option selected value="{_month(first)}">' in html or f'value="{_month(first)}" selected' in html
    backwards = funder.get(f"{base}?from={_month(last)}&to={_month(programme.starts_on)}")
    assert backwards.status_code == 422
    assert "The last month cannot be before the first." in backwards.get_data(as_text=True)
    assert funder.get(f"{base}/report.pdf?from={_month(last)}&to={_month(programme.starts_on)}").status_code == 422
    out = _json(app, db_session, world["funder"],
                f"/api/v1/programmes/{programme.id}/report?from={_month(first)}&to={_month(last)}")
    assert out["period"] == {"first": first.isoformat(), "last": last.isoformat()}
    months = next(table for table in out["tables"] if table["key"] == "months")
    assert [row["code"] for row in months["rows"]] == [_month(first)]
    from timebank.auth import tokens

    token, _ = tokens.issue_token(db_session, world["funder"], dt.timedelta(hours=1))
    db_session.commit()
    refused = app.test_client().get(
        f"/api/v1/programmes/{programme.id}/report?from={_month(last)}&to={_month(programme.starts_on)}",
        headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 422 and refused.get_json()["code"] == "report-period-refused"


def test_brokers_and_organisations_read_their_own_reports(world, db_session, browser, make_broker,
                                                          make_person, make_organisation):
    bank = world["bank"]
    broker = make_broker(bank, "Siân Broker")
    admin = make_person("Huw Admin")
    organisation, _account = make_organisation(bank, "Gardd Gymunedol", admins=(admin,))
    db_session.commit()
    as_broker = browser(broker)
    assert as_broker.get(f"/reports/banks/{bank.id}").status_code == 200
    assert as_broker.get(f"/reports/programmes/{world['programme'].id}").status_code == 200
    assert as_broker.get(f"/reports/organisations/{organisation.id}").status_code == 403
    as_admin = browser(admin)
    page = as_admin.get(f"/reports/organisations/{organisation.id}?bank={bank.id}")
    assert page.status_code == 200
    assert "Benefit-safe flags" not in page.get_data(as_text=True)
    assert as_admin.get(f"/reports/banks/{bank.id}").status_code == 403
    assert as_admin.get(f"/reports/programmes/{world['programme'].id}").status_code == 404
    assert f"/reports/organisations/{organisation.id}?bank={bank.id}" in as_admin.get("/reports").get_data(
        as_text=True)


def test_every_chart_on_the_page_draws_under_the_strictest_policy(world, browser):
    """Each ``<img>`` is an SVG served with the data policy (nothing inline allowed), so it carries no style
    attribute or element and no script: it draws in full even where a browser applies the image's policy."""
    funder = browser(world["funder"])
    page = _page(funder.get(f"/reports/programmes/{world['programme'].id}?lang=cy").get_data(as_text=True))
    assert page.images
    for src in page.images:
        chart = funder.get(src)
        assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
        assert "default-src 'none'" in chart.headers["Content-Security-Policy"]
        body = chart.get_data(as_text=True)
        assert "<svg" in body and " style=" not in body and "<style" not in body and "<script" not in body
        assert "language=cy" in src


def test_a_period_may_end_this_month_and_every_output_says_its_figures_stop_today(world, app, db_session, browser,
                                                                                    today):
    funder = browser(world["funder"])
    programme = world["programme"]
    base = f"/reports/programmes/{programme.id}"
    this_month = _month(today)
    day = f"{today.day} {today:%B %Y}"
    note = f"Figures to {day}; this month is not over yet."
    # By default the programme's months run to this one (it ends later): the page says so, and offers it.
    html = funder.get(base).get_data(as_text=True)
    assert note in html and f'value="{this_month}"' in html
    one = funder.get(f"{base}?from={this_month}&to={this_month}").get_data(as_text=True)
    assert f"<h2>{today:%B %Y}</h2>" in one and note in one  # one month reads as one: not "X to X"
    archive = zipfile.ZipFile(io.BytesIO(funder.get(f"{base}/report.zip?from={this_month}&to={this_month}").data))
    assert note in archive.read("README.txt").decode()
    assert note in _pdf_text(funder.get(f"{base}/report.pdf?from={this_month}&to={this_month}&language=en").data)
    out = _json(app, db_session, world["funder"], f"/api/v1/programmes/{programme.id}/report?to={this_month}")
    assert (out["figures_to"], out["figures_to_note"]) == (today.isoformat(), note)
    # A period that is over says nothing of it.
    last = _month(today.replace(day=1) - dt.timedelta(days=1))
    assert _json(app, db_session, world["funder"],
                 f"/api/v1/programmes/{programme.id}/report?from={last}&to={last}")["figures_to"] is None
    assert note not in funder.get(f"{base}?from={last}&to={last}").get_data(as_text=True)
    # Next month is not offered, nor reported.
    following = _month(today.replace(day=28) + dt.timedelta(days=4))
    assert f'value="{following}"' not in html
    assert funder.get(f"{base}?to={following}").status_code == 422
    from timebank.auth import tokens

    token, _ = tokens.issue_token(db_session, world["funder"], dt.timedelta(hours=1))
    db_session.commit()
    refused = app.test_client().get(f"/api/v1/programmes/{programme.id}/report?to={following}",
                                    headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 422 and "Choose this month or earlier." in refused.get_data(as_text=True)


def test_the_welsh_report_uses_the_welsh_source_or_marks_the_english_one(world, db_session, browser):
    funder = browser(world["funder"])
    programme = world["programme"]
    base = f"/reports/programmes/{programme.id}"
    page = funder.get(f"{base}?lang=cy").get_data(as_text=True)
    assert '<span lang="en">National Living Wage (2026)</span>' in page
    programme.value_source_cy = "Y Cyflog Byw Cenedlaethol"
    db_session.commit()
    page = funder.get(f"{base}?lang=cy").get_data(as_text=True)
    assert "Y Cyflog Byw Cenedlaethol (2026)" in page and '<span lang="en">' not in page
    english = funder.get(f"{base}?lang=en").get_data(as_text=True)
    assert "National Living Wage (2026)" in english and "Cyflog" not in english
