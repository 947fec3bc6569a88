"""Journeys in a real browser: Debian's Chromium driven by Playwright, against the app served on a free
localhost port, on a copy of the demo bank in the run's kind of database.

* One browser per run (per xdist worker); each test opens a context of its own (its own cookies), with
  JavaScript on or off and in English or Welsh (``variant``).
* Each test gets the demo bank's database copied afresh (``live``), so a journey may commit what it likes and
  run again in the next variant. The app runs with CSRF protection on, as it does in production.
* Every page a journey lands on (``Journey.landed``) is checked: no WCAG 2.2 A/AA violation found by axe-core,
  nothing to scroll sideways at 320 px; it is photographed at 320 and 1280 px under ``build/screenshots``.
  No server error and no console error (a CSP violation is one) may happen on the way.

Without Chromium the journeys skip with a message; in CI (``CI=true``) they fail instead."""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from babel.support import Translations
from flask import Flask
from werkzeug.serving import make_server

from timebank.demo import data as demo_data

if TYPE_CHECKING:
    import datetime as dt

    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

    from tests.conftest import DemoTemplate

ROOT = Path(__file__).resolve().parents[2]
#: Where the screenshots go (gitignored): CI keeps them as artefacts.
SCREENSHOTS = ROOT / "build" / "screenshots"
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
#: What axe checks: WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM = os.environ.get("TIMEBANK_CHROMIUM", "/usr/bin/chromium")
NARROW, WIDE = 320, 1280
LANGUAGES = ("en", "cy")
WELSH = Translations.load(ROOT / "timebank" / "translations", ["cy"], domain="messages")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the browser journeys: {reason}", pytrace=False)
    pytest.skip(f"browser journeys skipped: {reason}")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium (``apt-get install chromium``), never one Playwright downloads."""
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set TIMEBANK_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (make install-test)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Live:
    """The app serving a fresh copy of the demo bank."""

    app: Flask
    url: str


@pytest.fixture
def live(demo_template: DemoTemplate,
         app_on_own_database: Callable[..., AbstractContextManager[Flask]]) -> Iterator[Live]:
    with app_on_own_database(copy_of=demo_template.database, WTF_CSRF_ENABLED=True) as application:
        server = make_server("127.0.0.1", 0, application, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Live(application, f"http://127.0.0.1:{server.server_port}")
        finally:
            server.shutdown()
            thread.join()


@dataclass(frozen=True)
class Variant:
    language: str
    javascript: bool

    @property
    def name(self) -> str:
        return f"{self.language}-{'js' if self.javascript else 'nojs'}"


VARIANTS = [Variant(language, javascript) for language in LANGUAGES for javascript in (True, False)]


@pytest.fixture(params=VARIANTS, ids=lambda variant: variant.name)
def variant(request: pytest.FixtureRequest) -> Variant:
    return request.param


def _asks_for_an_icon(message: ConsoleMessage) -> bool:
    """Chromium asks every site for ``/favicon.ico``, which the app does not have (a 404 is its answer)."""
    return message.location.get("url", "").endswith("/favicon.ico")


class AccessibilityViolations(AssertionError):
    pass


class Journey:
    """One person's way through the app in one browser context. Locators use what a person sees (roles and
    accessible names) in the journey's language: ``t`` translates an English message id."""

    def __init__(self, context: BrowserContext, live: Live, variant: Variant, axe_source: str, folder: Path,
                 numbers: Iterator[int], inspector: Page | None) -> None:
        self.context, self.live, self.variant, self.axe_source = context, live, variant, axe_source
        #: A page with JavaScript on, for axe to read a page seen with it off.
        self.inspector = inspector
        #: Where the screenshots go, and their numbers (shared by the test's journeys: the order pages were seen).
        self.folder, self.numbers = folder, numbers
        self.problems: list[str] = []
        self.page = self.open_page()

    def open_page(self) -> Page:
        page = self.context.new_page()
        page.on("response", lambda response: response.status >= 500 and self.problems.append(
            f"{response.status} from {response.url}"))
        page.on("console", lambda message: message.type == "error" and not _asks_for_an_icon(message)
                and self.problems.append(f"console error on {page.url}: {message.text}"))
        page.on("pageerror", lambda error: self.problems.append(f"script error on {page.url}: {error}"))
        return page

    def t(self, message: str, **values: Any) -> str:
        text = WELSH.gettext(message) if self.variant.language == "cy" else message
        return text % values if values else text

    # --- moving about ---------------------------------------------------------------------------------

    def go(self, path: str) -> Page:
        self.page.goto(self.live.url + path)
        return self.landed()

    def follow(self, action: Callable[[], object]) -> Page:
        """Do what leads to another page (a link followed, a form sent) and check where it lands."""
        with self.page.expect_navigation():
            action()
        return self.landed()

    def link(self, name: str, **kw: Any) -> Page:
        return self.follow(self.page.get_by_role("link", name=self.t(name), **kw).first.click)

    def button(self, name: str, **kw: Any) -> Page:
        return self.follow(self.page.get_by_role("button", name=self.t(name), **kw).first.click)

    def fill(self, label: str, value: str, **kw: Any) -> None:
        self.page.get_by_label(self.t(label), **kw).first.fill(value)

    def fill_date(self, legend: str, day: dt.date) -> None:
        """Type a day into the Day, Month and Year boxes of the date its legend names."""
        group = self.page.get_by_role("group", name=self.t(legend), exact=True)
        for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
            group.get_by_label(self.t(part), exact=True).fill(str(value))

    def sign_in(self, email: str, password: str = demo_data.DEMO_PASSWORD) -> None:
        self.go(f"/sign-in?lang={self.variant.language}")
        self.fill("Email", email, exact=True)
        self.fill("Password", password, exact=True)
        self.follow(self.page.locator("main").get_by_role("button", name=self.t("Sign in")).click)

    def sign_out(self) -> None:
        self.button("Sign out")

    def expect_text(self, text: str) -> None:
        from playwright.sync_api import expect

        expect(self.page.locator("main")).to_contain_text(text)

    # --- what every page must pass --------------------------------------------------------------------

    def landed(self) -> Page:
        """Check the page the browser is on: axe and no sideways scroll at 320 px, screenshots at 320 and 1280."""
        page = self.page
        assert page.locator("html").get_attribute("lang") == self.variant.language, page.url
        number = next(self.numbers)
        for width in (NARROW, WIDE):
            page.set_viewport_size({"width": width, "height": 800})
            page.screenshot(path=self.folder / f"{self.variant.name}-{width}-{number:02d}.png", full_page=True)
            if width == NARROW:
                scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
                assert scroll_width <= NARROW, f"{page.url} scrolls sideways at {NARROW} px ({scroll_width} px wide)"
                # Once a page, where reflow, target sizes and contrast are hardest (axe's rules read the
                # document, not the width, but for those); twice doubled the journeys' time for nothing seen.
                self._axe(width)
        return page

    def _axe(self, width: int) -> None:
        page = self.page
        if not self.variant.javascript:
            # axe needs JavaScript, and its timers never fire on a page that has it off: it reads the same
            # document, served again at the same address and width, in a page that has it on.
            html, url = page.content(), page.url
            page = self.inspector
            page.set_viewport_size({"width": width, "height": 800})
            page.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
            try:
                page.goto(url)
            finally:
                page.unroute(url)
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe_source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS)
        violations = result["violations"]
        if violations:
            raise AccessibilityViolations(f"axe found on {self.page.url} at {width} px:\n" + "\n".join(
                f"- {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
                    f"    {', '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}"
                    for node in v["nodes"][:5])
                for v in violations))

    def finish(self) -> None:
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def journey(chromium: Browser, live: Live, variant: Variant, axe_source: str, migrated_database: Any,
            request: pytest.FixtureRequest) -> Iterator[Callable[..., Journey]]:
    """``journey()``: a browser context of its own (cookies, JavaScript on or off, language) on the live app;
    each page it lands on is checked. Several in one test are several people at once. The screenshots are
    ``build/screenshots/<database>/<test>/<language>-<js|nojs>-<width>-<n>.png``, numbered in the order the
    test's pages were seen."""
    contexts: list[BrowserContext] = []
    journeys: list[Journey] = []
    folder = SCREENSHOTS / migrated_database.name / request.node.originalname.removeprefix("test_")
    folder.mkdir(parents=True, exist_ok=True)
    numbers = itertools.count(1)

    def new_context(javascript: bool) -> BrowserContext:
        context = chromium.new_context(
            java_script_enabled=javascript, locale="cy-GB" if variant.language == "cy" else "en-GB",
            viewport={"width": WIDE, "height": 800}, accept_downloads=True)
        context.set_default_timeout(10_000)
        # A report's page loads when its charts have been drawn (matplotlib, on the server): on a busy
        # two-core machine that has taken more than 10 s.
        context.set_default_navigation_timeout(45_000)
        contexts.append(context)
        return context

    inspector = None if variant.javascript else new_context(javascript=True).new_page()

    def open_journey() -> Journey:
        journeys.append(Journey(new_context(variant.javascript), live, variant, axe_source, folder, numbers,
                                inspector))
        return journeys[-1]

    yield open_journey
    try:
        for each in journeys:
            each.finish()
    finally:
        for context in contexts:
            context.close()
