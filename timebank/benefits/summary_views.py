"""My activity summary, as a page and a PDF: for the member (``/benefits/summary``) and for their broker
(``/benefits/members/<person_id>/summary``). The period is chosen in the address (``from``, ``to``); the PDF
may be asked for in English or Welsh (``language``) whatever the reader's own language, for a work coach or
a council office. Every reading is logged (``summary.summary``), so these GETs write."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

from timebank.auth.guards import current_person, members_only
from timebank.benefits import summary as summaries
from timebank.clock import uk_today
from timebank.db import db, transaction, writes
from timebank.errors import DomainError
from timebank.forms import DayMonthYearField, ServiceForm
from timebank.i18n import LOCALES, format_minutes
from timebank.types import ID_CONVERTER

bp = Blueprint("benefit_summary", __name__)
bp.before_request(members_only)

MEMBER = f"/benefits/members/<{ID_CONVERTER}:person_id>/summary"


class PeriodForm(ServiceForm):
    """The period, sent in the address (no CSRF token: it changes nothing)."""

    class Meta:
        csrf = False

    start = DayMonthYearField(_l("From"), name="from", validators=[Optional()])
    end = DayMonthYearField(_l("To"), name="to", validators=[Optional()])

    SERVICE_FIELDS = {"from": "start", "to": "end"}


def _found(person_id: int, reason: str) -> tuple[PeriodForm, summaries.Summary | None]:
    """The form, and the summary for the period it gives (``None`` when the period is refused). Whether the
    reader may see it at all is asked first: to anyone else the member does not exist, whatever the period."""
    summaries.banks_for(db.session, current_person(), person_id)
    form = PeriodForm(formdata=request.args)
    if not form.validate():
        return form, None
    today = uk_today()
    try:
        chosen = summaries.period(form.start.data, form.end.data, today)
    except DomainError as error:
        form.add_service_error(error.field, error.message)
        return form, None
    with transaction():
        found = summaries.summary(db.session, current_person(), person_id, chosen, reason=reason)
    form.start.data, form.end.data = chosen.start, chosen.end
    return form, found


def _page(person_id: int, for_self: bool) -> Any:
    form, found = _found(person_id, "summary_page")
    return render_template("benefits/summary.html", form=form, summary=found, for_self=for_self,
                           person_id=person_id, format_minutes=format_minutes,
                           pounds=summaries.pounds), 200 if found else 422


def _pdf(person_id: int) -> Response:
    language = request.args.get("language") or None
    if language is not None and language not in LOCALES:
        abort(400, description=gettext("That page address has a value we do not understand."))
    _form, found = _found(person_id, "summary_pdf")
    if found is None:
        abort(422, description=gettext("Choose a period of up to a year that ends today or earlier."))
    if language is None:
        body = summaries.summary_pdf(found, uk_today())
    else:
        with force_locale(LOCALES[language]):
            body = summaries.summary_pdf(found, uk_today())
    filename = f"activity-summary-{found.period.start.isoformat()}-{found.period.end.isoformat()}.pdf"
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f"inline; filename={filename}", "Cache-Control": "private, no-store"})


@bp.route("/benefits/summary")
@writes  # every reading is logged
def mine() -> Any:
    return _page(current_person().id, True)


@bp.route("/benefits/summary.pdf")
@writes  # every reading is logged
def mine_pdf() -> Response:
    return _pdf(current_person().id)


@bp.route(MEMBER)
@writes  # every reading is logged
def member(person_id: int) -> Any:
    """Brokers: the summary of a member of a bank they run, to print for them."""
    return _page(person_id, current_person().id == person_id)


@bp.route(f"{MEMBER}.pdf")
@writes  # every reading is logged
def member_pdf(person_id: int) -> Response:
    return _pdf(person_id)
