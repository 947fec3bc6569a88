"""The list macros (``templates/macros/lists.html``): the page links below a list and the table that scrolls on
a phone are written once, there, and every list page calls them. Rendered here without a database."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

import config
from timebank import create_app
from timebank.pagination import KeysetPage, Page

TEMPLATES = Path(__file__).parents[1] / "templates"
MACROS = '{% from "macros/lists.html" import counted, keyset_pager, pager, table %}'


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(config.TestingConfig())


def render(app: Flask, source: str, **values: Any) -> str:
    with app.test_request_context():
        html = app.jinja_env.from_string(MACROS + source).render(**values)
    return " ".join(re.sub(r">\s+<", "><", html).split())


def page(number: int, total: int) -> Page[int]:
    return Page(items=[], page=number, per_page=20, total=total)


def test_the_pager_keeps_the_filters_after_the_page_number(app: Flask) -> None:
    html = render(app, '{{ pager(page, "exchanges.index", {"state": "pending", "bank": 3}) }}', page=page(2, 45))

    assert html == (
        '<nav aria-label="Pages"><ul class="pagination">'
        '<li><a href="/exchanges?page=1&amp;state=pending&amp;bank=3" rel="prev">Previous page</a></li>'
        '<li aria-current="page">Page 2 of 3</li>'
        '<li><a href="/exchanges?page=3&amp;state=pending&amp;bank=3" rel="next">Next page</a></li>'
        "</ul></nav>")


def test_the_pager_shows_only_the_links_that_lead_somewhere(app: Flask) -> None:
    first = render(app, '{{ pager(page, "notices.index") }}', page=page(1, 21))
    last = render(app, '{{ pager(page, "notices.index") }}', page=page(2, 21))

    assert 'rel="prev"' not in first and '<a href="/notices?page=2" rel="next">Next page</a>' in first
    assert '<a href="/notices?page=1" rel="prev">Previous page</a>' in last and 'rel="next"' not in last
    assert render(app, '{{ pager(page, "notices.index") }}', page=page(1, 20)) == ""  # one page: no links


def test_the_pager_fills_the_address_and_names_its_own_page_argument(app: Flask) -> None:
    address = '{"activity_id": 4, "activity_role_id": 7, "earlier": none}'
    role = render(app, '{{ pager(page, "activities.role", ' + address + ") }}", page=page(1, 30))
    money = render(app, '{{ pager(page, "money.index", param="expenses_page") }}', page=page(1, 30))

    assert 'href="/activities/4/roles/7?page=2"' in role  # an argument that is none is left out
    assert 'href="/money?expenses_page=2"' in money


def test_a_list_too_long_to_count_says_more_than_a_thousand(app: Flask) -> None:
    long = Page(items=[], page=3, per_page=20, total=1000, total_is_lower_bound=True)
    html = render(app, '{{ pager(page, "notices.index") }}', page=long)

    assert '<li aria-current="page">Page 3 of a list of more than 1,000</li>' in html
    assert '<a href="/notices?page=4" rel="next">Next page</a>' in html
    sentence = '{% call counted(page) %}{{ page.total }} notices.{% endcall %}'
    assert render(app, sentence, page=long) == "More than 1,000."
    assert render(app, sentence, page=page(1, 7)) == "7 notices."


def test_the_keyset_pager_leads_to_newer_and_older_by_cursor(app: Flask) -> None:
    source = '{{ keyset_pager(page, "exchanges.index", {"state": "pending"}) }}'
    middle = render(app, source, page=KeysetPage(items=[], per_page=25, older=40, newer=90))
    newest = render(app, source, page=KeysetPage(items=[], per_page=25, older=40, newer=None))

    assert middle == (
        '<nav aria-label="Pages"><ul class="pagination">'
        '<li><a href="/exchanges?state=pending&amp;after=90" rel="prev">Previous page</a></li>'
        '<li><a href="/exchanges?state=pending&amp;before=40" rel="next">Next page</a></li>'
        "</ul></nav>")
    assert 'rel="prev"' not in newest and 'before=40' in newest
    assert render(app, source, page=KeysetPage(items=[], per_page=25, older=None, newer=None)) == ""


def test_the_table_scrolls_in_a_labelled_region_with_its_headings_and_rows(app: Flask) -> None:
    html = render(app, """
        {% set actions %}<span class="visually-hidden">Actions</span>{% endset %}
        {% call(row) table("People", ["Name", ("Hours", "num"), none, actions], rows, class_="people") %}
          <tr><th scope="row">{{ row[0] }}</th><td class="num">{{ row[1] }}</td><td></td></tr>
        {% endcall %}""", rows=[("Aled", 2), ("Bea", 3)])

    assert html == (
        '<div class="table-wrap" role="region" aria-label="People" tabindex="0"><table class="people">'
        '<caption class="visually-hidden">People</caption>'
        '<thead><tr><th scope="col">Name</th><th scope="col" class="num">Hours</th>'
        '<th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>'
        '<tbody><tr><th scope="row">Aled</th><td class="num">2</td><td></td></tr>'
        '<tr><th scope="row">Bea</th><td class="num">3</td><td></td></tr></tbody>'
        "</table></div>")


def test_a_shown_caption_can_name_the_region_and_an_empty_list_says_so(app: Flask) -> None:
    source = """{% call(row) table("Matrix", ["", "Left"], rows, caption_id="m", show_caption=true,
                                   empty="Nothing here.") %}<tr><td>{{ row }}</td></tr>{% endcall %}"""

    shown = render(app, source, rows=[1])
    assert shown.startswith('<div class="table-wrap" role="region" aria-labelledby="m" tabindex="0"><table>'
                            '<caption id="m">Matrix</caption><thead><tr><td></td><th scope="col">Left</th>')
    assert render(app, source, rows=[]) == "<p>Nothing here.</p>"


def test_a_stacked_table_keeps_its_roles_for_when_its_rows_become_cards(app: Flask) -> None:
    html = render(app, """
        {% call(row) table("People", ["Name", ("Hours", "num")], rows, class_="people", stack=true) %}
          <tr role="row"><th scope="row" role="rowheader">{{ row }}</th><td role="cell" data-label="Hours">2</td></tr>
        {% endcall %}""", rows=["Aled"])

    assert html.startswith(
        '<div class="table-wrap" role="region" aria-label="People" tabindex="0">'
        '<table class="people stack" role="table"><caption class="visually-hidden">People</caption>'
        '<thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">Name</th>'
        '<th scope="col" class="num" role="columnheader">Hours</th></tr></thead><tbody role="rowgroup">')
    css = (Path(__file__).parents[1] / "timebank" / "static" / "timebank.css").read_text(encoding="utf-8")
    assert "table.stack td[data-label]::before" in css


@pytest.mark.parametrize("scaffold", ['class="table-wrap"', 'class="pagination"'])
def test_no_template_pastes_the_scaffold_the_macros_hold(scaffold: str) -> None:
    pasted = [str(path.relative_to(TEMPLATES)) for path in sorted(TEMPLATES.rglob("*.html"))
              if scaffold in path.read_text(encoding="utf-8") and path.name != "lists.html"]
    assert pasted == [], "use table() or pager() from macros/lists.html"
