"""The contribution report's pages and downloads: for a programme (``/reports/programmes/<id>``: its funder's
members, brokers of its banks, admins), a bank (its brokers) and an organisation in a bank (those who act for
it), the list of reports the viewer may read (``/reports``) and how small numbers are hidden.

Each report has four addresses, one computation each: the page (every table in words beside its chart),
each chart as SVG (``…/charts/<table key>.svg``, an ``<img>`` on the page), the CSV files zipped
(``…/report.zip``) and the PDF (``…/report.pdf``). The period is chosen by month in the address (``from``,
``to``); the charts and downloads are drawn in the language ``language`` names (``en``, ``cy``) whatever
the reader's own, as the activity summary's PDF is (``lang`` would change the language of their pages).
Reports hold no personal data, so reading them is not audited and these GETs write nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import force_locale, get_locale, gettext

from timebank.auth.guards import current_person, signed_in_only
from timebank.banks.models import TimeBank
from timebank.clock import uk_today
from timebank.db import db
from timebank.errors import Forbidden
from timebank.i18n import LOCALES, local_text
from timebank.members.policy import broker_bank_ids
from timebank.programmes import policy as programmes
from timebank.reports import access, csv_export, drawing, labels, pdf, subjects
from timebank.reports.charts import Format
from timebank.reports.figures import Report
from timebank.reports.forms import PeriodForm, words
from timebank.reports.subjects import Subject
from timebank.types import ID_CONVERTER

bp = Blueprint("reports", __name__)
bp.before_request(signed_in_only)

Resolve = Callable[[int], Subject]


def _programme(programme_id: int) -> Subject:
    return subjects.programme(db.session, current_person(), programme_id, uk_today())


def _bank(bank_id: int) -> Subject:
    return subjects.bank(db.session, current_person(), bank_id, uk_today())


def _organisation(organisation_id: int) -> Subject:
    bank = request.args.get("bank", "")
    return subjects.organisation(db.session, current_person(), organisation_id,
                                 int(bank) if bank.isdigit() else None, uk_today())


def _chosen(subject: Subject) -> Report:
    """The report for the period in the address, for a download or a chart (a page shows the form's errors)."""
    period = PeriodForm(formdata=request.args, subject=subject).chosen()
    if period is None:
        abort(422, description=gettext("Choose a first and a last month of the report's period."))
    return subject.compute(period)


def _language() -> str:
    """The language the address asks for, or the reader's."""
    language = request.args.get("language") or get_locale().language
    if language not in LOCALES:
        abort(400, description=gettext("That page address has a value we do not understand."))
    return language


def _in_language(make: Callable[[], Any]) -> Any:
    with force_locale(LOCALES[_language()]):
        return make()


def _download(body: bytes, mimetype: str, report: Report, suffix: str) -> Response:
    """The file, named by what the report covers, its months and its language (so the English and the Welsh
    copies can sit side by side)."""
    filename = (f"report-{report.subject.replace(':', '-')}-{report.period.first:%Y-%m}-{report.period.last:%Y-%m}"
                f"-{_language()}")
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={filename}.{suffix}", "Cache-Control": "private, no-store"})


def _page(resolve: Resolve, endpoint: str, id_name: str, subject_id: int) -> Any:
    subject = resolve(subject_id)
    form = PeriodForm(formdata=request.args, subject=subject)
    period = form.chosen()
    report = subject.compute(period) if period is not None else None
    args = {id_name: subject_id, **({"bank": request.args["bank"]} if "bank" in request.args else {})}
    return render_template(
        "reports/report.html", form=form, report=report, endpoint=endpoint, args=args,
        heading=local_text(*subject.heading),
        period={"from": form.start.data, "to": form.end.data},
        grids=labels.grids(report, words(db.session, report)) if report else [],
        charted=drawing.CHARTED, labels=labels,
    ), 200 if report else 422


def _chart(resolve: Resolve, subject_id: int, key: str) -> Response:
    subject = resolve(subject_id)
    report = _chosen(subject)
    table = next((table for table in report.tables if table.key == key), None)
    if table is None or key not in drawing.CHARTED:
        abort(404)
    body = _in_language(lambda: drawing.draw(report, table, words(db.session, report), Format.SVG))
    return Response(body, mimetype=Format.SVG.media_type, headers={"Cache-Control": "private, no-store"})


def _zip(resolve: Resolve, subject_id: int) -> Response:
    report = _chosen(resolve(subject_id))
    body = _in_language(lambda: csv_export.report_zip(report, words(db.session, report)))
    return _download(body, "application/zip", report, "zip")


def _pdf(resolve: Resolve, subject_id: int) -> Response:
    subject = resolve(subject_id)
    report = _chosen(subject)
    language = _language()

    def make() -> bytes:
        found = words(db.session, report)
        pictures = {table.key: drawing.draw(report, table, found, Format.PNG) for table in report.tables
                    if table.key in drawing.CHARTED}
        return pdf.report_pdf(report, found, funder=subject.funder[1] if language == "cy" else subject.funder[0],
                              language=language, charts=pictures)

    return _download(_in_language(make), "application/pdf", report, "pdf")


def _routes(prefix: str, name: str, id_name: str, resolve: Resolve) -> None:
    """The page, its charts and its two downloads, for one kind of report (``id_name`` names its id)."""
    base = f"/reports/{prefix}/<{ID_CONVERTER}:{id_name}>"
    bp.add_url_rule(base, name, lambda **ids: _page(resolve, f"reports.{name}", id_name, ids[id_name]))
    bp.add_url_rule(f"{base}/charts/<table_key>.svg", f"{name}_chart",
                    lambda table_key, **ids: _chart(resolve, ids[id_name], table_key))
    bp.add_url_rule(f"{base}/report.zip", f"{name}_zip", lambda **ids: _zip(resolve, ids[id_name]))
    bp.add_url_rule(f"{base}/report.pdf", f"{name}_pdf", lambda **ids: _pdf(resolve, ids[id_name]))


_routes("programmes", "programme", "programme_id", _programme)
_routes("banks", "bank", "bank_id", _bank)
_routes("organisations", "organisation", "organisation_id", _organisation)


@bp.route("/reports")
def index() -> Any:
    """The reports the viewer may read: their programmes, the banks they broker, their organisations'."""
    person = current_person()
    readable = programmes.readable_programmes(db.session, person)
    brokered = sorted(filter(None, (db.session.get(TimeBank, bank_id)
                                    for bank_id in broker_bank_ids(db.session, person))), key=lambda b: b.name)
    organisations = [(organisation, db.session.get(TimeBank, bank_id))
                     for organisation, bank_id in access.administered_organisations(db.session, person)]
    # A funder's reader with no programme yet is told so (the page says there are none), not refused.
    if not (readable or brokered or organisations or programmes.reads_programmes(db.session, person)):
        raise Forbidden()
    return render_template("reports/index.html", programmes=readable, banks=brokered, organisations=organisations)


@bp.route("/reports/method")
def method() -> Any:
    """How the reports hide small numbers: the method ``docs/disclosure.md`` sets out, in plain words."""
    return render_template("reports/method.html")
