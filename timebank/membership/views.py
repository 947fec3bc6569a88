"""The joining and application pages: signing up, applying, a broker enrolling someone who is not
online, and the review from interview to decision. No JavaScript; every action is a form that posts,
then redirects. The rules (who may see or decide what) live in ``membership.service``.

What an application page shows depends on who is looking (``service.Access``): a broker of the bank
sees everything and decides; the applicant sees the status in plain words and their referees; a member
who may vouch sees the name and statement only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from sqlalchemy.orm import Session

from timebank.auth import limits
from timebank.auth.guards import current_person, signed_in_only
from timebank.banks import service as banks
from timebank.banks.models import TimeBank
from timebank.clock import uk_today
from timebank.db import db
from timebank.errors import NotFound
from timebank.forms import ButtonForm, ServiceForm, int_arg, unit_of_work
from timebank.members import policy
from timebank.members import service as members
from timebank.members.models import Holder, Person
from timebank.membership import service
from timebank.membership.forms import (
    ApplyForm,
    ApproveForm,
    DeclineForm,
    InterviewForm,
    JoinForm,
    NewMemberForm,
    RefereeForm,
    ReferenceOutcomeForm,
    reference_prefix,
)
from timebank.membership.models import MAX_REFERENCES, ApplicationStatus, ReferenceOutcome
from timebank.safeguarding import service as safeguarding
from timebank.types import ID_CONVERTER

bp = Blueprint("membership", __name__)

APPLICATION = f"/applications/<{ID_CONVERTER}:application_id>"


@bp.before_request
def _signed_in() -> Any:
    """Joining is open to anyone; every other page here is for someone signed in."""
    if request.endpoint == "membership.join":
        return None
    return signed_in_only()


# --- shared by the membership, safeguarding and bank pages ------------------------------------------


def _page(template: str, form: ServiceForm, **context: Any) -> tuple[str, int]:
    return render_template(template, form=form, **context), 422 if form.errors else 200


# --- joining and applying --------------------------------------------------------------------------


@bp.route("/join", methods=["GET", "POST"])
@limits.sign_up
def join() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("membership.new"))
    form = JoinForm()
    form.set_banks(banks.bank_choices(db.session))
    if not form.is_submitted():
        locale = get_locale()
        form.preferred_language.data = locale.language if locale is not None else "en"
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            person, application = service.sign_up(db.session, form.to_sign_up(password=form.password.data))
        if work.done:
            login_user(person)
            flash(_l("Welcome, %(name)s. Your application has been sent to the time bank's broker.",
                     name=person.display_name), "success")
            return redirect(url_for("membership.detail", application_id=application.id))
    return _page("membership/join.html", form)


@bp.route("/applications/new", methods=["GET", "POST"])
def new() -> Any:
    actor = current_person()
    form = ApplyForm()
    form.set_banks(banks.bank_choices(db.session))
    names = members.display_names(db.session, policy.own_holder_ids(db.session, actor))
    form.set_holders([(actor.id, gettext("Yourself (%(name)s)", name=actor.display_name)),
                      *sorted(((i, n) for i, n in names.items() if i != actor.id), key=lambda item: item[1])])
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            application = service.apply(db.session, actor, holder_id=form.holder_id.data,
                                        time_bank_id=form.time_bank_id.data, statement=form.statement.data or "",
                                        referees=form.referees)
        if work.done:
            flash(_l("Your application has been sent to the time bank's broker."), "success")
            return redirect(url_for("membership.detail", application_id=application.id))
    return _page("membership/new.html", form)


@bp.route("/applications/new-member", methods=["GET", "POST"])
def new_member() -> Any:
    actor = current_person()
    brokered = service.require_enroller(db.session, actor)
    form = NewMemberForm()
    form.set_banks(banks.bank_choices(db.session, brokered))
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            person, application = service.sign_up(db.session, form.to_sign_up(password=None), broker=actor)
        if work.done:
            flash(_l("%(name)s is enrolled. Their application is ready for review.", name=person.display_name)
                  if person.email is None else
                  _l("%(name)s is enrolled. Their application is ready for review. To let them sign in, make them a "
                     "link to choose a password from their page.", name=person.display_name), "success")
            return redirect(url_for("membership.detail", application_id=application.id))
    return _page("membership/new_member.html", form)


# --- lists -----------------------------------------------------------------------------------------


@bp.route("/applications")
def index() -> Any:
    actor = current_person()
    raw_status = request.args.get("status", "")
    if raw_status and raw_status not in {s.value for s in ApplicationStatus}:
        abort(400, description=gettext("That page address has a value we do not understand."))
    to_vouch = request.args.get("to_vouch") == "1"
    filters: dict[str, Any] = {"bank": int_arg("bank"), "status": raw_status or None,
                               "to_vouch": 1 if to_vouch else None}
    page = service.list_applications(
        db.session, actor, time_bank_id=filters["bank"], status=ApplicationStatus(raw_status) if raw_status else None,
        to_vouch=to_vouch, page=int_arg("page") or 1, per_page=current_app.config["PAGE_SIZE"],
    )
    brokered = policy.broker_bank_ids(db.session, actor)
    return render_template(
        "membership/index.html",
        page=page,
        names=members.display_names(db.session, (a.holder_id for a in page.items)),
        banks=dict(banks.bank_choices(db.session, {a.time_bank_id for a in page.items} | brokered)),
        brokered=banks.bank_choices(db.session, brokered),
        filters={k: v for k, v in filters.items() if v is not None},
        to_vouch=to_vouch,
        statuses=list(ApplicationStatus),
    )


# --- one application -------------------------------------------------------------------------------


def _render_detail(application_id: int, status: int = 200, forms: dict[str, ServiceForm] | None = None) -> Any:
    actor = current_person()
    application, access = service.visible_application(db.session, actor, application_id)
    forms = forms or {}
    known = {"interview", "referee", "approve", "decline", "button",
             *(reference_prefix(r.id) for r in application.references)}
    if set(forms) - known:  # an outcome sent for a reference this application does not have
        raise NotFound(_l("There is no such reference"))
    holder = db.session.get(Holder, application.holder_id)
    time_bank = db.session.get(TimeBank, application.time_bank_id)
    assert holder is not None and time_bank is not None
    clearances = None
    if access.is_broker and isinstance(holder, Person):
        clearances = safeguarding.clearances_for(db.session, holder.id, time_bank.id)
    deciding = access.is_broker and application.is_open
    outcome_forms = {
        r.id: forms.get(reference_prefix(r.id)) or ReferenceOutcomeForm(
            formdata=None, prefix=reference_prefix(r.id),
            data={"outcome": r.outcome.value, "outcome_on": r.outcome_on} if r.outcome_on else None,
        )
        for r in application.references
    }
    people = [application.submitted_by_id, application.decided_by_id, application.interviewed_by_id,
              *(r.recorded_by_id for r in application.references)]
    return render_template(
        "membership/detail.html",
        application=application,
        access=access,
        holder=holder,
        is_person=isinstance(holder, Person),
        bank=time_bank,
        names=members.display_names(db.session, people),
        clearances=clearances,
        missing=service.missing_checks(db.session, application) if deciding else [],
        today=uk_today(),
        vouched=any(v.voucher_id == actor.id for v in application.vouches),
        interview_form=forms.get("interview") or InterviewForm(
            formdata=None, data={"interview_on": application.interview_on} if application.interview_on else None),
        referee_form=forms.get("referee") or RefereeForm(formdata=None),
        outcome_forms=outcome_forms,
        approve_form=forms.get("approve") or ApproveForm(formdata=None),
        decline_form=forms.get("decline") or DeclineForm(formdata=None),
        button_form=forms.get("button") or ButtonForm(formdata=None),
        failed=next(iter(forms.values()), None),
        max_references=MAX_REFERENCES,
    ), status


@bp.route(APPLICATION)
def detail(application_id: int) -> Any:
    return _render_detail(application_id)


def _act(application_id: int, form: ServiceForm, form_key: str, done: Any, action: Callable[[], object],
         *, access: Callable[[Session, Person, int], object] | None = None) -> Any:
    """Check the viewer may use this form at all with the service's ``access`` rule (404 if they cannot
    see the application, 403 if the form is not theirs, before what they typed is judged), validate it,
    call the one service function, commit, flash and redirect. The service checks again: this only
    decides which answer comes first."""
    if access is not None:
        access(db.session, current_person(), application_id)
    status = 422
    if form.validate_on_submit():
        with unit_of_work(form) as work:
            action()
        if work.done:
            flash(done, "success")
            return redirect(url_for("membership.detail", application_id=application_id))
        status = work.status  # 409 for a clash (decided already; checks not done yet)
    return _render_detail(application_id, status, forms={form_key: form})


@bp.route(f"{APPLICATION}/interview", methods=["POST"])
def interview(application_id: int) -> Any:
    form = InterviewForm()
    return _act(application_id, form, "interview", _l("The interview date is saved."),
                lambda: service.record_interview(db.session, current_person(), application_id,
                                                 form.interview_on.data),
                access=service.brokered_application)


@bp.route(f"{APPLICATION}/references", methods=["POST"])
def add_reference(application_id: int) -> Any:
    form = RefereeForm()
    return _act(application_id, form, "referee", _l("The referee is added."),
                lambda: service.add_reference(db.session, current_person(), application_id, form.referee),
                access=service.application_to_add_referees)


@bp.route(f"{APPLICATION}/references/<{ID_CONVERTER}:reference_id>", methods=["POST"])
def reference_outcome(application_id: int, reference_id: int) -> Any:
    form = ReferenceOutcomeForm(prefix=reference_prefix(reference_id))
    return _act(application_id, form, reference_prefix(reference_id), _l("What the referee said is saved."),
                lambda: service.record_reference_outcome(db.session, current_person(), application_id, reference_id,
                                                         ReferenceOutcome(form.outcome.data), form.outcome_on.data),
                access=service.brokered_application)


@bp.route(f"{APPLICATION}/vouch", methods=["POST"])
def vouch(application_id: int) -> Any:
    return _act(application_id, ButtonForm(), "button", _l("Thank you. Your vouch is recorded."),
                lambda: service.vouch(db.session, current_person(), application_id))


@bp.route(f"{APPLICATION}/approve", methods=["POST"])
def approve(application_id: int) -> Any:
    form = ApproveForm()
    return _act(application_id, form, "approve", _l("The application is approved. Their time account is open."),
                lambda: service.approve(db.session, current_person(), application_id, form.approval_note.data or "",
                                        approve_anyway=bool(form.approve_anyway.data)),
                access=service.brokered_application)


@bp.route(f"{APPLICATION}/decline", methods=["POST"])
def decline(application_id: int) -> Any:
    form = DeclineForm()
    return _act(application_id, form, "decline", _l("The application is declined."),
                lambda: service.decline(db.session, current_person(), application_id, form.reason.data or ""),
                access=service.brokered_application)


@bp.route(f"{APPLICATION}/withdraw", methods=["POST"])
def withdraw(application_id: int) -> Any:
    return _act(application_id, ButtonForm(), "button", _l("The application is withdrawn."),
                lambda: service.withdraw(db.session, current_person(), application_id),
                access=service.applicants_application)
