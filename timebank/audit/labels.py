"""What each kind of audit event says, in words a broker reads (the dashboard's recent activity). The log
keeps the code (``audit_events.action``, stable); its words live here, beside the log, so that every
feature's events read the same way in English and Welsh. ``tests/audit/test_labels.py`` checks that every
code a feature records has its words."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

ACTION_LABELS: dict[str, Any] = {
    "activities.closed": _l("Activity closed"),
    "activities.created": _l("Activity created"),
    "activities.edited": _l("Activity changed"),
    "activities.partner_added": _l("Partner added to an activity"),
    "activities.partner_removed": _l("Partner removed from an activity"),
    "activities.published": _l("Activity published"),
    "activities.role_added": _l("Role added"),
    "activities.role_edited": _l("Role changed"),
    "activities.sessions_added": _l("Sessions added"),
    "attendance.calendar_address_made": _l("Calendar address made"),
    "attendance.calendar_address_stopped": _l("Calendar address stopped"),
    "attendance.cancelled": _l("Place given up"),
    "attendance.marked": _l("Attendance marked"),
    "attendance.session_cancelled": _l("Session cancelled"),
    "attendance.session_moved": _l("Session moved"),
    "attendance.signed_up": _l("Signed up for a session"),
    "auth.password_changed": _l("Password changed"),
    "auth.password_help_asked": _l("New password asked for"),
    "auth.password_link_emailed": _l("Password link emailed"),
    "auth.password_link_made": _l("Password link made"),
    "auth.password_set": _l("Password set"),
    "auth.sign_in_failed": _l("Sign-in failed"),
    "auth.signed_in": _l("Signed in"),
    "auth.signed_out": _l("Signed out"),
    "auth.token_issued": _l("API token made"),
    "auth.token_revoked": _l("API token stopped"),
    "bank.created": _l("Time bank opened"),
    "bank.role_granted": _l("Staff role given"),
    "bank.role_revoked": _l("Staff role taken away"),
    "bank.settings_changed": _l("Time bank settings changed"),
    "brokerage.answered": _l("Introduction answered"),
    "brokerage.expired": _l("Introduction expired"),
    "brokerage.introduced": _l("Introduction made"),
    "brokerage.message_replied": _l("Broker replied to a message"),
    "brokerage.message_sent": _l("Message sent to the brokers"),
    "brokerage.note_added": _l("Contact note added"),
    "brokerage.withdrawn": _l("Introduction withdrawn"),
    "exchanges.cancelled_on_behalf": _l("Exchange cancelled for a member"),
    "exchanges.confirmed_on_behalf": _l("Exchange confirmed for a member"),
    "exchanges.declined_on_behalf": _l("Exchange declined for a member"),
    "exchanges.recorded_on_behalf": _l("Exchange recorded for a member"),
    "exchanges.dispute_raised": _l("Dispute raised"),
    "exchanges.dispute_resolved": _l("Dispute dealt with"),
    "import.applied": _l("Timesheet recorded"),
    "import.checked": _l("Timesheet checked"),
    "import.rejected": _l("Timesheet turned back"),
    "job.retried": _l("Background job sent again"),
    "listing.closed": _l("Listing closed"),
    "listing.created": _l("Listing added"),
    "listing.renewed": _l("Listing renewed"),
    "listing.updated": _l("Listing changed"),
    "matching.weights_changed": _l("Matching weights changed"),
    "matching.weights_reset": _l("Matching weights reset"),
    "member.contact_changed": _l("Contact details changed"),
    "member.joined_bank": _l("Joined the time bank"),
    "member.left": _l("Left the time bank"),
    "member.organisation_admin_added": _l("Organisation admin added"),
    "member.organisation_admin_removed": _l("Organisation admin removed"),
    "member.organisation_changed": _l("Organisation changed"),
    "member.organisation_created": _l("Organisation added"),
    "member.person_created": _l("Person added"),
    "membership.applied": _l("Application made"),
    "membership.approved": _l("Application approved"),
    "membership.declined": _l("Application declined"),
    "membership.interview_recorded": _l("Interview recorded"),
    "membership.referee_added": _l("Referee added"),
    "membership.reference_recorded": _l("Reference recorded"),
    "membership.vouched": _l("Vouched for"),
    "membership.withdrawn": _l("Application withdrawn"),
    "money.expense_recorded": _l("Expense recorded"),
    "money.payment_recorded": _l("Payment recorded"),
    "money.redemption_recorded": _l("Credits spent recorded"),
    "privacy.data_exported": _l("Data downloaded"),
    "profile.contribution_added": _l("Contribution added"),
    "profile.contribution_removed": _l("Contribution removed"),
    "profile.updated": _l("Profile changed"),
    "safeguarding.dbs_recorded": _l("DBS check recorded"),
    "safeguarding.note_added": _l("Safeguarding note added"),
    "safeguarding.record_viewed": _l("Safeguarding record viewed"),
}
#: Said of a code with no words here (a test keeps this for codes no feature records any more).
OTHER = _l("Something was recorded")


def action_label(action: str) -> Any:
    return ACTION_LABELS.get(action, OTHER)
