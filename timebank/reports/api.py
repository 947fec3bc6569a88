"""Contribution reports over the JSON API: a programme's (its funder's members, brokers of its banks,
admins), a bank's (its brokers) and an organisation's in a bank (those who act for it). The same report,
from the same computation, as the page, its CSV files and its PDF, with every word in the language asked for."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale

from timebank.api.core import ApiBlueprint
from timebank.clock import uk_today
from timebank.db import db
from timebank.i18n import LOCALES
from timebank.members.models import Person
from timebank.reports import access, subjects
from timebank.reports.forms import words
from timebank.reports.schemas import OrganisationReportArgs, ReportArgs, ReportOut, report_out
from timebank.types import ID_CONVERTER

bp = ApiBlueprint(
    "api_reports", __name__, url_prefix="/api/v1",
    description="Contribution reports: hours by who gave and who received, by category, form of co-production, "
                "outcome and month, members taking part, in-kind contributions, introductions, participants' "
                "answers and a social-value estimate, with small numbers hidden. No personal data.",
)


def _answer(subject: subjects.Subject, query: dict[str, Any]) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        report = subject.compute(subjects.chosen_period(subject, query.get("start"), query.get("end")))
        return report_out(report, words(db.session, report))

    language = query.get("language")
    if language is None:
        return make()
    with force_locale(LOCALES[language]):
        return make()


@bp.route(f"/programmes/<{ID_CONVERTER}:programme_id>/report")
@bp.access(access.readable_programme)
@bp.arguments(ReportArgs, location="query")
@bp.response(200, ReportOut)
@bp.problems(404, 422)
def programme_report(query: dict[str, Any], programme_id: int, actor: Person) -> dict[str, Any]:
    """A programme's report: for its funder's members, brokers of its banks and admins (anyone else: 404)."""
    return _answer(subjects.programme(db.session, actor, programme_id, uk_today()), query)


@bp.route(f"/banks/<{ID_CONVERTER}:bank_id>/report")
@bp.access(access.readable_bank)
@bp.arguments(ReportArgs, location="query")
@bp.response(200, ReportOut)
@bp.problems(403, 404, 422)
def bank_report(query: dict[str, Any], bank_id: int, actor: Person) -> dict[str, Any]:
    """A time bank's report, for its brokers."""
    return _answer(subjects.bank(db.session, actor, bank_id, uk_today()), query)


@bp.route(f"/organisations/<{ID_CONVERTER}:organisation_id>/report")
@bp.access(access.acts_for_organisation)
@bp.arguments(OrganisationReportArgs, location="query")
@bp.response(200, ReportOut)
@bp.problems(403, 404, 422)
def organisation_report(query: dict[str, Any], organisation_id: int, actor: Person) -> dict[str, Any]:
    """An organisation's report in one bank (``bank``; it may be left out when the organisation is in one
    bank only), for those who act for it: its own activities, no benefit-safe flags."""
    return _answer(subjects.organisation(db.session, actor, organisation_id, query.get("bank"), uk_today()), query)
