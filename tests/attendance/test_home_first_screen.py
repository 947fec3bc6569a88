"""The home page's first screen for the people who run activities and for residents (issue 15): an
organisation's week with "mark who came" one click away for a session begun and not marked, places
unfilled, volunteers and hours this month; a resident's next steps, their sessions coming up."""

from __future__ import annotations

import datetime as dt

from tests.attendance.test_pages import words
from timebank.attendance import service as attendance


def test_an_organiser_s_home_lists_the_week_and_offers_to_mark_a_session_begun(
        db_session, browser, make_session, start, organiser, members):
    begun = start(make_session(places=3, title="Warm space"))
    soon = make_session(places=4, starts_in=dt.timedelta(days=3), title="Community garden")
    later = make_session(starts_in=dt.timedelta(days=10), title="Bulb planting")
    [(ann, _), (bob, _)] = members(2)
    for person in (ann, bob):
        attendance.sign_up(db_session, person, soon.id)
    db_session.commit()

    response = browser(organiser).get("/")
    html, page = response.get_data(as_text=True), words(response)
    assert "Hollinbridge Council this week" in page
    assert "Warm space: Garden helper" in page and "Community garden: Garden helper" in page
    assert "Bulb planting" not in page  # beyond the week
    assert f'href="/sessions/{begun.id}/attendance"' in html and "Mark who came" in page
    assert f'href="/sessions/{soon.id}/attendance"' not in html  # not begun: no marking yet
    assert "2 places unfilled · 2 booked" in page
    assert later.id not in (begun.id, soon.id)


def test_a_marked_session_leaves_the_organiser_s_list_once_past(db_session, browser, make_session, start,
                                                                organiser):
    begun = start(make_session(title="Warm space"))
    begun.starts_at -= dt.timedelta(days=1)
    begun.ends_at -= dt.timedelta(days=1)
    attendance.mark_attendance(db_session, organiser, begun.id, [])
    db_session.commit()
    page = words(browser(organiser).get("/"))
    assert "Warm space" not in page and "none waiting to be marked" in page


def test_a_resident_s_home_starts_with_recording_and_their_sessions_coming_up(db_session, browser, make_session,
                                                                            resident):
    coming = make_session(starts_in=dt.timedelta(days=2), title="Community garden")
    attendance.sign_up(db_session, resident, coming.id)
    db_session.commit()
    page = words(browser(resident).get("/"))
    first_screen = page.split("What to do next")[1].split("My activity summary")[0]
    assert "Record an exchange" in first_screen and "Coming up" in first_screen
    assert "Community garden: Garden helper" in first_screen
    assert "You have given as much help as you have received." in first_screen
