"""The header's links, by role: each person sees the few links their work uses, in the order they use
them, and nothing they may not open.

- **Everyone signed in**: Home and Notices (with how many are new).
- **Members** (a resident, or someone who acts for an organisation's account): record an exchange, their
  exchanges, activities, offers and requests, their calendar and profile. Things waiting for them and
  things they could help with are on their home page, not in the header.
- **Organisation admins**: their organisation (one: its page; several: their home lists them) and reports.
- **Brokers and admins**: the dashboard, applications, people, programmes and reports; admins also jobs.
- **Funders who see aggregates only**: reports, never the member links.
- **Applicants** (no account, role or funder yet): their application.

A narrow screen folds the links into a menu that opens without JavaScript (``templates/base.html``)."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import Session

from timebank.db import db
from timebank.errors import database_off_limits
from timebank.members import policy
from timebank.members.models import BankRoleName, Person
from timebank.programmes import policy as programmes


class Link(NamedTuple):
    label: Any  # a lazy string, translated when the page is drawn
    url: str


def links_for(session: Session, person: Person) -> list[Link]:
    """The header's links for this person (besides Home, Notices and signing out, which everyone has)."""
    access = policy.access_of(session, person)
    aggregates_only = policy.sees_aggregates_only(session, person)
    brokers = person.is_admin or bool(access.banks_with(BankRoleName.BROKER))
    organisations = sorted(access.holder_ids - {person.id})
    links: list[Link] = []
    if access.account_banks and not aggregates_only:
        links += [Link(_l("Record an exchange"), url_for("exchanges.new")),
                  Link(_l("Exchanges"), url_for("exchanges.index")),
                  Link(_l("Activities"), url_for("activities.index")),
                  Link(_l("Offers and requests"), url_for("listings.index")),
                  Link(_l("My calendar"), url_for("attendance.my_calendar")),
                  Link(_l("My profile"), url_for("profiles.mine"))]
    if len(organisations) == 1:
        links.append(Link(_l("Your organisation"), url_for("members.organisation", organisation_id=organisations[0])))
    if brokers:
        links += [Link(_l("Dashboard"), url_for("brokerage.dashboards")),
                  Link(_l("Applications"), url_for("membership.index")),
                  Link(_l("Find people"), url_for("profiles.search")),
                  Link(_l("Programmes"), url_for("programmes.index"))]
    if brokers or organisations or programmes.reads_programmes(session, person):
        links.append(Link(_l("Reports"), url_for("reports.index")))
    if person.is_admin:
        links.append(Link(_l("Jobs"), url_for("jobs.index")))
    if not (access.account_banks or access.roles or access.funds or organisations or person.is_admin):
        links.append(Link(_l("Your application"), url_for("membership.index")))
    return links


def header() -> dict[str, Any]:
    """The header's links for whoever is signed in (none while the database is off limits), and whether
    they see aggregates only (the footer's member links follow it)."""
    if database_off_limits() or not current_user.is_authenticated:
        return {"aggregates_only": True, "nav_links": []}
    person = current_user._get_current_object()
    return {"aggregates_only": policy.sees_aggregates_only(db.session, person),
            "nav_links": links_for(db.session, person)}
