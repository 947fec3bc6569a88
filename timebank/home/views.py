"""The home page: what each person needs first, by role. Members see their accounts; brokers see their
banks at a glance; funders see totals for the banks they fund and nothing about individuals."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from timebank.attendance import wording
from timebank.audit.labels import action_label
from timebank.benefits.facts import Severity
from timebank.benefits.forms import SEVERITY_LABELS
from timebank.benefits.rules import RULES
from timebank.clock import uk_today
from timebank.db import db
from timebank.exchanges import reminders
from timebank.home import navigation, queries
from timebank.jobs.registry import label_of
from timebank.matching import for_me
from timebank.members import policy
from timebank.members.models import BankRoleName
from timebank.programmes import policy as programmes
from timebank.suppression import SUPPRESS_BELOW
from timebank.types import utcnow

bp = Blueprint("home", __name__)
bp.app_context_processor(navigation.header)

#: How many things a resident could help with their home page shows ("see more" pages through the rest).
HOME_SUGGESTIONS = 3


@bp.route("/")
@login_required
def index() -> Any:
    person = current_user._get_current_object()
    today, now = uk_today(), utcnow()
    brokered = queries.brokered_banks(db.session, person)
    mine = queries.own_accounts(db.session, person, today)
    resident = any(summary.account.holder_id == person.id for summary in mine.accounts)
    # Only someone the access policy already knows reads for a funder is asked which funders.
    funders = (set(db.session.scalars(programmes.funders_of_person(person.id)))
               if policy.access_of(db.session, person).funds else set())
    weeks = queries.organisation_weeks(db.session, person, now, today)
    return render_template(
        "home/index.html",
        mine=mine,
        # A member's first screen: what to do next (record, answer, go to); an organisation's week.
        steps=(queries.next_steps(db.session, person, {summary.account.id for summary in mine.accounts}, now)
               if mine.accounts else None),
        weeks=weeks,
        # What the organisations that are spend partners offer for credits, and what members spent there.
        spending=queries.spend_partners(db.session, [week.organisation_id for week in weeks], today),
        when=wording.when,
        banks=queries.broker_overview(db.session, person, brokered, today),
        # An admin's first screen: the banks and their staff, jobs that need a look, the audit log's latest.
        install=queries.admin_overview(db.session, person, brokered),
        job_label=label_of,
        action_label=action_label,
        roles=BankRoleName,
        stale=queries.stale_pending(db.session, brokered, today),
        funded=queries.funder_overview(db.session, person, today),
        # The programmes the person's funders fund, each with its report.
        programmes=[programme for programme in programmes.readable_programmes(db.session, person)
                    if programme.funder_id in funders] if funders else [],
        # A resident's first few things they could help with.
        could_help=for_me.things_for(db.session, person, per_page=HOME_SUGGESTIONS, today=today) if resident else None,
        suppress_below=SUPPRESS_BELOW,
        active_days=queries.ACTIVE_DAYS,
        stale_days=reminders.STALE_DAYS,
        severities=sorted(Severity, key=lambda severity: -severity.rank),
        severity_labels=SEVERITY_LABELS,
        rule_titles={rule.id: rule.title for rule in RULES},
    )
