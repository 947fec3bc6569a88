"""TB-12: bookings that may not fit the availability rules for volunteers on UC (all work-related
requirements) or New Style JSA: able to attend an interview at 48 hours' notice and to start work at a
week's notice [S13, S14, S15]. A booking is flagged when its role asks for more notice than that to drop a
session, or it is away overnight for at least a number of days (a heuristic). One flag per booking, dated
by the session's first day: the engine's span must reach the dates of the sessions booked."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from timebank.benefits.facts import Severity
from timebank.benefits.rulebook import Context, Finding, Reference, Rule, Window
from timebank.benefits.rules.tb11 import BENEFITS, applies


def days_away(starts_on, ends_on) -> int:
    """Calendar days from the first to the last, both counted (a Saturday night away is two days)."""
    return (ends_on - starts_on).days + 1


def evaluate(ctx: Context) -> list[Finding]:
    if not ctx.profile.has_any(BENEFITS) or not applies(ctx):
        return []
    findings = []
    for booking in ctx.evidence.bookings:
        if not ctx.in_span(booking.starts_on):
            continue
        role = booking.role
        notice = ctx.figures.get("availability_interview_notice_hours", booking.starts_on)
        most_days = ctx.figures.get("tb12_max_days_away", booking.starts_on)
        days = days_away(booking.starts_on, booking.ends_on) if role.away_overnight else 0
        too_much_notice = role.release_notice_hours > notice.value
        too_long_away = role.away_overnight and days >= most_days.value
        if not (too_much_notice or too_long_away):
            continue
        findings.append(Finding(
            rule_id=RULE.id, key=f"sign_up:{booking.sign_up_id}", severity=Severity.LOW,
            window_start=booking.starts_on, window_end=booking.ends_on,
            references=((Reference.SIGN_UP, booking.sign_up_id),),
            thresholds=(notice, most_days),
            computed={"release_notice_hours": str(role.release_notice_hours), "days_away": str(days)},
            params={"role": role.title, "organisation": role.organisation_name,
                    "notice": str(role.release_notice_hours), "days": str(days), "date": booking.starts_on},
        ))
    return findings


RULE = Rule(
    id="TB-12",
    title=_l("Bookings that may not fit the notice rules"),
    benefits=BENEFITS,
    reads=frozenset({Reference.SIGN_UP}),
    window=Window.EVENT,
    lookback_days=0,
    member_text=_l(
        "You are booked as %(role)s with %(organisation)s from %(date)s. If you are asked to a job interview "
        "or offered a job, you need to be free to go. You might want to check that %(organisation)s will let "
        "you drop a session at short notice."
    ),
    broker_text=_l(
        "%(member)s is booked on '%(role)s' with %(organisation)s from %(date)s, which asks for %(notice)s hours' "
        "notice to drop a session (or involves %(days)s days away). Volunteers on UC or JSA must be able to "
        "attend a job interview at 48 hours' notice and start work at a week's notice. Check the organisation "
        "will release them."
    ),
    evaluate=evaluate,
)
