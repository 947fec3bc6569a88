"""Radios and tick boxes are the size GOV.UK gives them: a 24px box at the centre of a 44px target. The
stylesheet draws them so: in a ``.radio`` or ``.checkbox`` row the box is 1.5rem and its label's ::before
covers the 2.75rem square round it; in the availability grid the label's ::before fills the cell, at least
2.75rem each way. This checks those rules, and gives the page tests ``boxes_without_a_target``, which finds
a box a page puts anywhere else (or without a label, whose ::before the target is)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

STYLESHEET = Path(__file__).parents[1] / "timebank" / "static" / "timebank.css"
#: Elements with no end tag: never open on the parser's stack.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _rule(selector: str) -> str:
    """The declarations of the stylesheet's rule whose selector list is exactly ``selector``."""
    css = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if " ".join(selectors.split()) == selector:
            return " ".join(body.split())
    raise AssertionError(f"no rule for {selector}")


def test_a_box_is_24px_and_its_target_44px():
    assert "width: 1.5rem; height: 1.5rem;" in _rule(".radio > input, .checkbox > input")
    target = _rule(".radio label::before, .checkbox label::before")
    assert 'content: "";' in target and "width: 2.75rem; height: 2.75rem;" in target
    row = _rule(".radio, .checkbox")
    assert "position: relative;" in row and "min-height: 2.75rem;" in row and "padding-left: 2.75rem;" in row
    # The box lies above the target, so a click on the box reaches the box itself.
    assert "z-index: 1;" in _rule(".radio > input, .checkbox > input")
    cell = _rule(".availability-grid td")
    assert "min-width: 2.75rem; height: 2.75rem;" in cell and "position: relative;" in cell
    assert "inset: 0;" in _rule(".availability-grid td > label::before")


class _Boxes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        #: The elements open around the parser, as (tag, classes).
        self.open: list[tuple[str, set[str]]] = []
        #: Each box: its id, and its parent's tag and classes.
        self.boxes: list[tuple[str, str, set[str]]] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label" and found.get("for"):
            self.labelled.add(found["for"] or "")
        if tag == "input" and found.get("type") in ("checkbox", "radio"):
            parent, classes = self.open[-1] if self.open else ("", set())
            self.boxes.append((found.get("id") or "", parent, classes))
        if tag not in _VOID:
            self.open.append((tag, set((found.get("class") or "").split())))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass


def boxes_without_a_target(html: str) -> list[str]:
    """The ids of the page's radios and tick boxes that miss their 44px target: not in a ``.radio`` or
    ``.checkbox`` row (or a grid's cell), or with no label."""
    parser = _Boxes()
    parser.feed(html)
    return [box_id or "(no id)" for box_id, parent, classes in parser.boxes
            if box_id not in parser.labelled or not ({"radio", "checkbox"} & classes or parent == "td")]


def test_a_box_outside_its_row_or_without_a_label_is_found():
    assert boxes_without_a_target(
        '<div class="radio"><input type="radio" id="a"> <label for="a">A</label></div>'
        '<div class="checkbox field"><input type="checkbox" id="b"><label for="b">B</label></div>'
        '<table><tr><td><input type="checkbox" id="c"> <label for="c"><span>C</span></label></td></tr></table>'
        '<input type="hidden" id="d">') == []
    assert boxes_without_a_target(
        '<p><input type="checkbox" id="e"> <label for="e">E</label></p>'
        '<div class="checkbox"><input type="checkbox" id="f"><span id="f-name">F</span></div>') == ["e", "f"]
