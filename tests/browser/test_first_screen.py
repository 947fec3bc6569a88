"""Each role's next step is on the first screen of a small phone (issue 15: "each role's home shows its next
step on the first screen at 320 px"): signed in on the demo bank at 320 by 568 px, with JavaScript on, the
element the page marks as its next step (``data-next-step``) starts inside the screen, with enough of it
showing to read and press. English is enough: the Welsh pages lay out the same."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.conftest import Journey, Variant

#: An iPhone SE's first screen (the smallest phone still common), in CSS pixels.
PHONE = {"width": 320, "height": 568}
#: How much of the next step must show above the fold: a button's or a heading's first line.
SHOWING = 40

#: (role, their login, the page their day starts on, the next step's ``data-next-step``).
ROLES = [
    ("resident", "resident@example.org", "/", "record"),
    ("organisation admin", "charity@example.org", "/", "week"),
    ("broker", "broker@example.org", "/", "dashboard"),
    ("broker's dashboard", "broker@example.org", "/brokerage", "queue"),
    ("funder", "funder@example.org", "/", "programme-report"),
    ("admin", "admin@example.org", "/", "banks"),
]


@pytest.mark.parametrize("variant", [Variant("en", javascript=True)], ids=lambda variant: variant.name)
@pytest.mark.parametrize(("role", "email", "path", "step"), ROLES, ids=[role[0] for role in ROLES])
def test_each_role_s_next_step_is_on_the_first_screen_of_a_phone(
        journey: Callable[[], Journey], role: str, email: str, path: str, step: str) -> None:
    person = journey()
    person.sign_in(email)
    page = person.page
    page.set_viewport_size(PHONE)
    page.goto(person.live.url + path)
    marked = page.locator(f'[data-next-step="{step}"]')
    assert marked.count() == 1, f"{role}: one next step marked {step!r} on {path}"
    box = marked.bounding_box()
    assert box is not None and box["height"] > 0, f"{role}: the next step is not shown"
    assert box["y"] >= 0 and box["y"] + min(box["height"], SHOWING) <= PHONE["height"], (
        f"{role}: the next step starts {box['y']:.0f} px down, below the first {PHONE['height']} px of {path}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], f"{role}: {path} scrolls sideways"
