"""A report's charts, drawn on the server with matplotlib: SVG for the page (served as ``image/svg+xml``),
PNG for the PDF. Every chart draws one ``figures.Table``, the same figures as the table printed beside it.

Design note:

* **No pyplot.** Each chart is its own ``matplotlib.figure.Figure`` (the object API: no global current
  figure), saved through the Agg and SVG canvases. matplotlib is not thread-safe in general, so drawing and
  saving take one lock. A chart takes 0.1 to 0.5 s (a heat grid least, a PNG more than an SVG; half of it
  is the constrained layout, which keeps long Welsh labels whole): the page's charts are separate requests,
  and their bytes are the same for the same figures, so they can be cached.
* **Words come from the caller**, already in the reader's language (``Words``): the title, each code's
  words, the word for a hidden figure, the periods' names. Nothing here translates.
* **Never colour alone.** Every value is written on its bar, column or cell; the previous period is
  hatched as well as paler; a hidden figure is an empty bar or cell with the hidden word. Colours are
  Okabe and Ito's colour-blind-safe set, and a heat cell's value is written in black or white, whichever
  contrasts more with the cell (always at least 4.5:1: ``text_colour``).
* **Text stays text** (``svg.fonttype`` ``none``), in DejaVu Sans (matplotlib's own font, with ŵ and ŷ),
  so the words can be read, searched and checked; the SVG opens with a ``<title>`` and a ``<desc>`` that
  lists every figure. The PNG is drawn in the same font.
* **Safe under the strictest Content-Security-Policy.** matplotlib writes its styles as ``style``
  attributes and one ``<style>`` element; a browser that applies the SVG's own policy (Firefox does, even
  inside ``<img>``) would drop those under ``default-src 'none'``. ``_presentational`` moves each style
  declaration into the SVG presentation attribute of the same name, which no policy governs, so an SVG
  needs no header of its own. There is no script.
* **The same bytes every time**: a fixed ``svg.hashsalt`` for the ids, no date in the metadata.
"""

from __future__ import annotations

import enum
import io
import re
import textwrap
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

import matplotlib
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure as Drawing
from matplotlib.patches import Patch, Rectangle

from timebank.reports.figures import Figure, Table, Unit, hour_tenths

#: Set once, when the module is first imported: the app is matplotlib's only user, and each setting is read
#: when a chart is saved. (``rc_context`` would change the same global settings at every chart, in every
#: thread.)
matplotlib.rcParams.update({
    "svg.fonttype": "none",
    "svg.hashsalt": "timebank-reports",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.8,
})

_LOCK = threading.Lock()

#: Okabe and Ito's colour-blind-safe colours: blue for the period, orange for the previous one.
CURRENT = "#0072B2"
PREVIOUS = "#E69F00"
#: Text and lines: near-black on white is 17:1; the grey of an empty cell's edge is 7:1.
INK = "#1A1A1A"
MUTED = "#595959"
#: The heat grid runs from a pale tint (so a small value still reads as a value, not an empty cell) to a
#: deep blue: one hue, lighter for fewer hours, which every kind of colour vision tells apart.
HEAT = ("#DEEBF7", "#08306B")
#: Black or white text on a coloured cell, whichever contrasts more.
DARK_TEXT, LIGHT_TEXT = "#000000", "#FFFFFF"
#: A chart's width, in inches; 100 dots an inch on the page, 200 in the PDF.
WIDTH = 6.4
PNG_DPI = 200


class Format(enum.StrEnum):
    SVG = "svg"
    PNG = "png"

    @property
    def media_type(self) -> str:
        return {Format.SVG: "image/svg+xml", Format.PNG: "image/png"}[self]


def plain_value(value: int, unit: Unit) -> str:
    """A figure as a chart writes it, in English and Welsh alike (both write 1,234.5): hours with a tenth,
    pounds, a per cent with a tenth, counts whole."""
    if unit is Unit.MINUTES:
        tenths = hour_tenths(value)
        return f"{'−' if value < 0 else ''}{tenths // 10:,}.{tenths % 10}"
    if unit is Unit.PENCE:
        return f"£{(value + 50) // 100:,}"
    if unit is Unit.PERMILLE:
        return f"{value // 10}.{value % 10}%"
    return f"{value:,}"


@dataclass(frozen=True)
class Words:
    """What a chart says, already in the reader's language."""

    title: str
    #: Each row's and column's code → its words.
    labels: Mapping[str, str]
    #: Written where a figure is hidden: the tables' words for it ("fewer than 5", "hidden"), given its unit.
    hidden: Callable[[Figure, Unit], str]
    #: The periods' names, for the legend (the previous one is drawn only when named).
    current: str = ""
    previous: str = ""
    #: The value axis ("Hours"); the heat grid's row and column axes ("Designed by", "Delivered by").
    axis: str = ""
    row_axis: str = ""
    column_axis: str = ""
    value: Callable[[int, Unit], str] = field(default=plain_value)

    def label(self, code: str) -> str:
        return self.labels.get(code, code)

    def figure(self, figure: Figure, unit: Unit) -> str:
        return self.hidden(figure, unit) if figure.value is None else self.value(figure.value, unit)


def bars(table: Table, words: Words, format: Format, column: str | None = None) -> bytes:
    """Horizontal bars, one per row of ``table`` (its ``column``; a one-column table's only one; else the
    row totals), the value written at each bar's end; the previous period's below it, hatched."""
    current = _series(table, column)
    previous = _series(table.previous, column) if table.previous and words.previous else None
    unit = table.unit_of(column) if column else table.unit
    rows = len(table.rows)
    drawing = Drawing(figsize=(WIDTH, 0.9 + rows * (0.55 if previous else 0.32)), layout="constrained")
    axes = drawing.add_subplot()
    thickness = 0.4 if previous else 0.7
    places = list(range(rows))
    drawn = [(current, CURRENT, "", 0.0, words.current)]
    if previous:
        drawn.append((previous, PREVIOUS, "///", thickness, words.previous))
    for series, colour, hatch, shift, name in drawn:
        container = axes.barh([p + shift for p in places], [_length(f, unit) for f in series], height=thickness,
                              color=colour, hatch=hatch, edgecolor=INK if hatch else colour, linewidth=0.6,
                              label=name)
        axes.bar_label(container, labels=[words.figure(f, unit) for f in series], padding=3, color=INK)
    axes.set_yticks([p + (thickness / 2 if previous else 0) for p in places],
                    [_wrapped(words.label(code)) for code in table.rows])
    axes.invert_yaxis()
    _leave_room(axes.set_xlim, current + (previous or []), unit)
    axes.set_xlabel(words.axis)
    _finish(drawing, axes, words, legend=bool(previous))
    return _save(drawing, format, words, _description(table, words, column))


def months(table: Table, words: Words, format: Format) -> bytes:
    """Columns, one per month (a row of the one-column ``table``), this period's beside the previous
    period's same month (hatched), each value written above its column."""
    current = _series(table, None)
    previous = _series(table.previous, None) if table.previous and words.previous else None
    drawing = Drawing(figsize=(WIDTH, 3.2), layout="constrained")
    axes = drawing.add_subplot()
    width = 0.4 if previous else 0.7
    places = list(range(len(table.rows)))
    drawn = [(current, CURRENT, "", 0.0, words.current)]
    if previous:
        drawn.insert(0, (previous, PREVIOUS, "///", -width, words.previous))
    for series, colour, hatch, shift, name in drawn:
        container = axes.bar([p + shift + (width / 2 if previous else 0) for p in places],
                             [_length(f, table.unit) for f in series], width=width, color=colour, hatch=hatch,
                             edgecolor=INK if hatch else colour, linewidth=0.6, label=name)
        axes.bar_label(container, labels=[words.figure(f, table.unit) for f in series], padding=2, color=INK,
                       rotation=90, fontsize=7)
    axes.set_xticks(places, [words.label(code) for code in table.rows], rotation=45, ha="right")
    _leave_room(axes.set_ylim, current + (previous or []), table.unit, room=0.3)
    axes.set_ylabel(words.axis)
    _finish(drawing, axes, words, legend=bool(previous))
    return _save(drawing, format, words, _description(table, words, None))


def heat_grid(table: Table, words: Words, format: Format) -> bytes:
    """The co-production matrix: a grid of ``table``'s cells (designed by, in rows, × delivered by), each
    coloured by its value and with the value written in it; a hidden one empty, with the hidden word."""
    nrows, ncolumns = len(table.rows), len(table.columns)
    drawing = Drawing(figsize=(WIDTH, 1.4 + 0.9 * nrows), layout="constrained")
    axes = drawing.add_subplot()
    shown = [f.value for row in table.cells for f in row if f.value is not None]
    most = max(shown, default=0) or 1
    for r, row in enumerate(table.cells):
        for c, figure in enumerate(row):
            if figure.value is None:
                text, style = MUTED, "italic"
                axes.add_patch(Rectangle((c, r), 1, 1, facecolor="#FFFFFF", edgecolor=MUTED, linestyle="--",
                                         linewidth=0.8))
            else:
                fill = _blend(figure.value / most)
                text, style = text_colour(fill), "normal"
                axes.add_patch(Rectangle((c, r), 1, 1, facecolor=fill, edgecolor="#FFFFFF", linewidth=2))
            axes.text(c + 0.5, r + 0.5, words.figure(figure, table.unit_of(table.columns[c])), ha="center",
                      va="center", color=text, fontsize=11, fontstyle=style)
    axes.set_xlim(0, ncolumns)
    axes.set_ylim(nrows, 0)
    axes.set_xticks([c + 0.5 for c in range(ncolumns)], [_wrapped(words.label(k), 18) for k in table.columns])
    axes.set_yticks([r + 0.5 for r in range(nrows)], [_wrapped(words.label(k), 18) for k in table.rows])
    axes.xaxis.tick_top()
    axes.xaxis.set_label_position("top")
    axes.tick_params(length=0)
    for side in axes.spines.values():
        side.set_visible(False)
    axes.set_xlabel(words.column_axis, labelpad=10)
    axes.set_ylabel(words.row_axis)
    _finish(drawing, axes, words, legend=False)
    return _save(drawing, format, words, _description(table, words, None, grid=True))


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of an ``#RRGGBB`` colour."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two colours, 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``: never below 4.58:1, for any colour."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda ink: contrast(ink, background))


def _blend(share: float) -> str:
    """The heat grid's colour for a share (0 to 1) of its largest value."""
    start, end = to_rgb(HEAT[0]), to_rgb(HEAT[1])
    mixed = [a + (b - a) * share for a, b in zip(start, end, strict=True)]
    return "#" + "".join(f"{round(channel * 255):02X}" for channel in mixed)


def _series(table: Table, column: str | None) -> list[Figure]:
    if column is not None:
        return [table.cell(row, column) for row in table.rows]
    if len(table.columns) == 1:
        return [row[0] for row in table.cells]
    if table.row_totals is None:
        raise ValueError(f"table {table.key}: name the column to draw (it has several and no row totals)")
    return list(table.row_totals)


def _length(figure: Figure, unit: Unit) -> float:
    """How long a figure's bar is: hours for minutes, pounds for pence; a hidden figure has none."""
    if figure.value is None:
        return 0.0
    return figure.value / {Unit.MINUTES: 60, Unit.PENCE: 100}.get(unit, 1)


def _leave_room(set_limits: Callable[..., object], figures: Sequence[Figure], unit: Unit, room: float = 0.2) -> None:
    """Room beyond the longest bar for its written value."""
    longest = max((_length(f, unit) for f in figures), default=0.0) or 1.0
    set_limits(0, longest * (1 + room))


def _wrapped(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _finish(drawing: Drawing, axes, words: Words, legend: bool) -> None:
    drawing.suptitle(words.title, color=INK, fontsize=11, fontweight="bold")
    axes.tick_params(colors=INK)
    for side in axes.spines.values():
        side.set_color(MUTED)
    if legend:  # below the plot, across the whole figure (the layout makes room), where it covers no bar
        drawing.legend(handles=[Patch(facecolor=CURRENT, edgecolor=CURRENT, label=words.current),
                                Patch(facecolor=PREVIOUS, edgecolor=INK, hatch="///", label=words.previous)],
                       frameon=False, loc="outside lower center", ncols=2, fontsize=8)


def _description(table: Table, words: Words, column: str | None, grid: bool = False) -> str:
    """Every figure the chart draws, in words: the SVG's ``<desc>``."""
    if grid:
        return "; ".join(f"{words.label(row)}, {words.label(col)}: "
                         f"{words.figure(table.cell(row, col), table.unit_of(col))}"
                         for row in table.rows for col in table.columns)
    unit = table.unit_of(column) if column else table.unit
    parts = [f"{words.label(row)}: {words.figure(f, unit)}" for row, f in zip(table.rows, _series(table, column),
                                                                             strict=True)]
    if table.previous and words.previous:
        parts.append(f"{words.previous}: " + "; ".join(
            f"{words.label(row)}: {words.figure(f, unit)}"
            for row, f in zip(table.rows, _series(table.previous, column), strict=True)))
    return "; ".join(parts)


def _save(drawing: Drawing, format: Format, words: Words, description: str) -> bytes:
    output = io.BytesIO()
    with _LOCK:
        if format is Format.PNG:
            drawing.savefig(output, format="png", dpi=PNG_DPI, metadata={"Software": None})
            return output.getvalue()
        drawing.savefig(output, format="svg", metadata={"Date": None, "Creator": None})
    return _presentational(output.getvalue().decode(), words.title, description).encode()


_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>\*\{(.*?)\}</style>", re.DOTALL)
_SVG_OPEN = re.compile(r"<svg [^>]*>")


def _presentational(svg: str, title: str, description: str) -> str:
    """matplotlib's SVG with every style written as presentation attributes instead (no ``style``, no
    ``<style>``), and a title and a description for assistive technology."""

    def attributes(declarations: str) -> str:
        pairs = (declaration.split(":", 1) for declaration in declarations.split(";") if declaration.strip())
        return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)

    defaults = _STYLE_ELEMENT.search(svg)
    svg = _STYLE_ELEMENT.sub("", svg, count=1)
    svg = _STYLE_ATTRIBUTE.sub(lambda match: attributes(match.group(1)), svg)
    opening = _SVG_OPEN.search(svg)
    assert opening is not None  # matplotlib's SVG always has its root element
    head = (opening.group(0)[:-1] + (attributes(defaults.group(1)) if defaults else "")
            + ' role="img" aria-labelledby="chart-title chart-desc">'
            + f'\n <title id="chart-title">{escape(title)}</title>'
            + f'\n <desc id="chart-desc">{escape(description)}</desc>')
    return svg[:opening.start()] + head + svg[opening.end():]
