"""The paper sign-in sheet for a session: who has a place, a column to sign and one for hours, and
blank rows for people who come without signing up. In the reader's language."""

from __future__ import annotations

from flask_babel import get_locale, gettext

from timebank.attendance.service import SignInSheet
from timebank.attendance.wording import when, where
from timebank.i18n import local_text
from timebank.paper.pdf import Document

#: Rows left blank for people who come without having signed up.
BLANK_ROWS = 10
#: Name, member number, signature, hours: 180 mm across an A4 page inside its margins.
WIDTHS = (70, 30, 50, 30)


def sign_in_sheet_pdf(sheet: SignInSheet) -> bytes:
    activity_session = sheet.activity_session
    activity, role = activity_session.role.activity, activity_session.role
    locale = get_locale()
    document = Document(
        title=gettext("Sign-in sheet: %(activity)s", activity=local_text(activity.title, activity.title_cy)),
        language=locale.language if locale else "en",
        footer=gettext("Session %(id)d", id=activity_session.id),
    )
    document.facts([
        (gettext("Role"), local_text(role.title, role.title_cy)),
        (gettext("Run by"), sheet.organisation_name),
        (gettext("When"), when(activity_session)),
        (gettext("Where"), where(activity_session, sheet.place)),
        (gettext("Time bank"), sheet.bank_name),
    ])
    document.paragraph(gettext(
        "Please sign next to your name when you arrive. If you came without signing up, write your name "
        "and member number on a blank line."
    ))
    rows = [[line.name, str(line.account_id), "", ""] for line in sheet.people]
    rows += [["", "", "", ""] for _ in range(BLANK_ROWS)]
    document.grid([gettext("Name"), gettext("Member number"), gettext("Signature"), gettext("Hours")], rows,
                  widths=WIDTHS)
    document.heading(gettext("After the session"))
    document.paragraph(gettext(
        "Mark attendance on the session's page, or give or post this sheet to a broker at %(bank)s, "
        "who will record everyone's hours for you. Keep a copy.", bank=sheet.bank_name,
    ))
    return document.to_bytes()
