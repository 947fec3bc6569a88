"""Taking part: signing up for sessions, the waiting list, marking attendance, the calendar and the
sign-in sheet. No JavaScript; every action is a form that posts, then redirects. The rules live in
``attendance.service``.

A session's page shows what any member needs to decide (when, where, places left, the role's facts)
and their own place; to the people who run the activity it adds the lists, the attendance form and the
paper sheet; a broker may also sign up, or cancel for, a member who is not online."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask import session as browser_session
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from timebank import heads_up as heads_ups
from timebank.activities.models import SignUpStatus
from timebank.attendance import calendar, service, wording
from timebank.attendance.errors import AttendanceAlreadyMarked, SessionCancelled, SessionNotStarted
from timebank.attendance.forms import (
    MORE_ROWS,
    WALK_IN_ROWS,
    AttendanceForm,
    CancelSessionForm,
    CancelSignUpForm,
    FeedForm,
    MemberSignUpForm,
    MoveSessionForm,
    SignUpForm,
)
from timebank.attendance.sheets import sign_in_sheet_pdf
from timebank.auth.guards import current_person, members_only
from timebank.db import commit, db, transaction
from timebank.feedback import service as feedback
from timebank.forms import ServiceForm, finding, int_arg, unit_of_work
from timebank.i18n import LOCALES, format_minutes
from timebank.members.models import Person
from timebank.types import ID_CONVERTER, utcnow

bp = Blueprint("attendance", __name__)

SESSION = f"/sessions/<{ID_CONVERTER}:session_id>"
#: Where a freshly made calendar address waits, between the form and the page that shows it once.
NEW_ADDRESS_KEY = "attendance.calendar_address"


@bp.before_request
def _members_only() -> Any:
    """Every page here is for members, except the calendar feed, whose secret address is its key."""
    if request.endpoint == "attendance.calendar_feed":
        return None
    return members_only()


@bp.context_processor
def _wording() -> dict[str, Any]:
    return {"when": wording.when, "where": wording.where, "role_facts": wording.role_facts,
            "clearance_label": wording.clearance_label, "usual_minutes": service.usual_minutes,
            "Status": SignUpStatus}


# --- one session -----------------------------------------------------------------------------------


def _render_session(session_id: int, status: int = 200, heads_up: list[str] | None = None,
                    heads_up_for: str | None = None, **forms: ServiceForm) -> tuple[str, int]:
    view = service.session_view(db.session, current_person(), session_id)
    open_for_sign_up = not view.started and view.activity_session.cancelled_at is None
    member_form = forms.get("member_form") or MemberSignUpForm(formdata=None)
    if view.may_act_for_others and open_for_sign_up:
        member_form.set_members(partial(service.member_choices, db.session, view.activity_session,
                                        exclude_statuses=service.LIVE))
    return render_template(
        "attendance/session.html",
        view=view,
        open_for_sign_up=open_for_sign_up,
        sign_up_form=forms.get("sign_up_form") or SignUpForm(formdata=None),
        member_form=member_form,
        cancel_form=forms.get("cancel_form") or CancelSignUpForm(formdata=None),
        cancel_session_form=forms.get("cancel_session_form") or CancelSessionForm(formdata=None),
        heads_up=heads_up or [],
        heads_up_for=heads_up_for,
        feedback=feedback.offers(db.session, current_person(), feedback.ThingKind.SESSION, session_id),
    ), status


@bp.route(SESSION)
def session_page(session_id: int) -> Any:
    return _render_session(session_id)


def _signed_up_message(person: Person, for_self: bool, status: SignUpStatus, position: int | None,
                       created: bool) -> Any:
    if status is SignUpStatus.WAITING:
        if for_self:
            return _l("This session is full, so you are on the waiting list: number %(position)d. We will tell "
                      "you if a place comes free.", position=position or 0)
        return _l("The session is full, so %(name)s is on the waiting list: number %(position)d.",
                  name=person.display_name, position=position or 0)
    if not created:
        return _l("You already have a place on this session.") if for_self else _l(
            "%(name)s already has a place on this session.", name=person.display_name)
    return _l("You have a place on this session. It is on your calendar page.") if for_self else _l(
        "%(name)s has a place on this session.", name=person.display_name)


@bp.route(f"{SESSION}/sign-up", methods=["POST"])
def sign_up(session_id: int) -> Any:
    actor = current_person()
    # The member form always sends its search box, even with no one chosen yet.
    for_member = "person_id" in request.form or "person_id-q" in request.form
    form: SignUpForm | MemberSignUpForm = MemberSignUpForm() if for_member else SignUpForm()
    if for_member and finding():
        return _render_session(session_id, member_form=form)
    if form.validate_on_submit():
        person_id = form.person_id.data if isinstance(form, MemberSignUpForm) else None
        if request.form.get("go_ahead") != "1":
            # Before the place is taken: what to tell the member or their broker (``timebank.heads_up``).
            told = heads_ups.for_sign_up(db.session, actor, heads_ups.ProposedSignUp(
                person_id=person_id or actor.id, activity_session_id=session_id))
            if told:
                commit()  # the benefit profile's read is logged (the one commit)
                key = "member_form" if for_member else "sign_up_form"
                return _render_session(session_id, heads_up=told, heads_up_for=key, **{key: form})
        with unit_of_work(form) as work:
            row, created = service.sign_up(db.session, actor, session_id, person_id)
        if work.done:
            person = db.session.get(Person, row.person_id) or actor
            position = service.waiting_position(db.session, row)
            flash(_signed_up_message(person, person.id == actor.id, row.status, position, created), "success")
            return redirect(url_for("attendance.session_page", session_id=session_id))
    return _render_session(session_id, 422, **{"member_form" if for_member else "sign_up_form": form})


@bp.route(f"{SESSION}/sign-up/cancel", methods=["POST"])
def cancel_sign_up(session_id: int) -> Any:
    form = CancelSignUpForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            result = service.cancel_sign_up(db.session, current_person(), session_id, form.person_id.data)
        if work.done:
            if result.late:
                flash(_l("The place is cancelled. Thank you for letting us know. This is shorter notice than "
                         "the organiser asked for, so we have let them know; that is all right."), "success")
            else:
                flash(_l("The place is cancelled. Thank you for letting us know."), "success")
            return redirect(url_for("attendance.session_page", session_id=session_id))
    return _render_session(session_id, 422, cancel_form=form)


@bp.route(f"{SESSION}/cancel", methods=["POST"])
def cancel_session(session_id: int) -> Any:
    service.run_session(db.session, current_person(), session_id)  # who may, before what was sent
    form = CancelSessionForm()
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.cancel_session(db.session, current_person(), session_id)
        if work.done:
            flash(_l("The session is cancelled. Please tell the people listed below."), "success")
            return redirect(url_for("attendance.session_page", session_id=session_id))
    return _render_session(session_id, 422, cancel_session_form=form)


@bp.route(f"{SESSION}/change", methods=["GET", "POST"])
def move_session(session_id: int) -> Any:
    """Move a session still to come to another time or place; everyone booked or waiting is told."""
    activity_session = service.run_session(db.session, current_person(), session_id)
    form = MoveSessionForm(data=MoveSessionForm.initial(activity_session))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            service.move_session(db.session, current_person(), session_id, form.to_move())
        if work.done:
            flash(_l("The session is changed. Everyone booked or waiting has been told."), "success")
            return redirect(url_for("attendance.session_page", session_id=session_id))
    return render_template("attendance/move_session.html", form=form, activity_session=activity_session,
                           role=activity_session.role, activity=activity_session.role.activity), \
        422 if form.errors else 200


# --- attendance and the paper sheet ----------------------------------------------------------------


@bp.route(f"{SESSION}/attendance", methods=["GET", "POST"])
def attendance(session_id: int) -> Any:
    actor = current_person()
    try:
        sheet = service.attendance_sheet(db.session, actor, session_id)
    except (SessionNotStarted, AttendanceAlreadyMarked, SessionCancelled) as error:
        if request.method == "POST":  # a list sent at the wrong time is refused, as the API does
            raise
        # Opening the form too early or too late (an old link, a second tab) goes back to the session.
        flash(error.message, "warning")
        return redirect(url_for("attendance.session_page", session_id=session_id))
    form = AttendanceForm()
    # "Show more rows" sends the form as it stands: it comes back with every choice kept and more rows for
    # walk-ins, nothing judged or recorded yet. A picker's "Find" does the same, with its matches.
    more_rows = MORE_ROWS in request.form
    shown_again = more_rows or finding() is not None
    if not form.is_submitted():
        form.start(sheet.booked, sheet.usual_minutes, WALK_IN_ROWS)
    elif more_rows:
        form.add_walk_in_rows(sheet.usual_minutes, WALK_IN_ROWS)
    form.set_members(partial(service.member_choices, db.session, sheet.activity_session,
                             exclude_statuses=service.TAKING_A_PLACE))
    names = dict(sheet.booked) | form.walk_in_names
    if not shown_again and form.validate_on_submit():
        with unit_of_work(form) as work:
            result = service.mark_attendance(db.session, actor, session_id, form.marks)
        if work.done:
            flash(_l("Attendance is marked: %(count)d came, %(time)s of credits recorded in all.",
                     count=result.attended, time=format_minutes(result.total_minutes)), "success")
            if result.without_credits:
                flash(_l("Recorded as having come, with no credits, because they did not have the clearance this "
                         "role needs on the day: %(names)s.",
                         names=", ".join(names.get(person_id, "") for person_id in result.without_credits)),
                      "warning")
            return redirect(url_for("attendance.session_page", session_id=session_id))
    refused = form.is_submitted() and not shown_again
    return render_template(
        "attendance/attendance.html", sheet=sheet, form=form, problems=form.error_summary(names) if refused else [],
        names=names, more_rows=MORE_ROWS,
    ), 422 if refused else 200


@bp.route(f"{SESSION}/sign-in-sheet.pdf")
def sign_in_sheet(session_id: int) -> Response:
    pdf = sign_in_sheet_pdf(service.sign_in_sheet(db.session, current_person(), session_id))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="sign-in-sheet-{session_id}.pdf"'})


# --- my calendar -----------------------------------------------------------------------------------


def _render_calendar(status: int = 200, feed_form: FeedForm | None = None) -> tuple[str, int]:
    actor = current_person()
    page = service.upcoming(db.session, actor, page=int_arg("page") or 1)
    return render_template(
        "attendance/calendar.html",
        page=page,
        organisations=service.organisation_names(db.session, page.items),
        positions={row.id: service.waiting_position(db.session, row) for row in page.items},
        feed=service.calendar_feed(db.session, actor),
        new_address=browser_session.pop(NEW_ADDRESS_KEY, None),
        feed_form=feed_form or FeedForm(formdata=None),
    ), status


@bp.route("/calendar")
def my_calendar() -> Any:
    return _render_calendar()


@bp.route("/calendar/feed", methods=["POST"])
def calendar_address() -> Any:
    form = FeedForm()
    if not form.validate_on_submit():
        return _render_calendar(422, form)
    actor = current_person()
    if form.action.data == "new":
        with transaction():
            token = service.make_calendar_feed(db.session, actor)
        browser_session[NEW_ADDRESS_KEY] = url_for("attendance.calendar_feed", token=token, _external=True)
    else:
        with transaction():
            service.stop_calendar_feed(db.session, actor)
        flash(_l("Your calendar address has stopped working. Make a new one at any time."), "success")
    return redirect(url_for("attendance.my_calendar"))


@bp.route("/calendar/<token>.ics")
def calendar_feed(token: str) -> Response:
    """The private feed: no sign-in, the secret in the address is the key. In the member's language."""
    person = service.feed_owner(db.session, token)
    rows = service.feed_sign_ups(db.session, person)
    with force_locale(LOCALES[person.preferred_language.value]):
        body = calendar.feed(
            rows, service.organisation_names(db.session, rows), person_id=person.id, now=utcnow(),
            link=lambda session_id: url_for("attendance.session_page", session_id=session_id, _external=True),
        )
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'inline; filename="time-bank.ics"', "Cache-Control": "private, max-age=900",
        "Content-Language": person.preferred_language.value,
    })
