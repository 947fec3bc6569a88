"""The thresholds the benefit rules compare against, read from data files: one TOML file per tax year in
``thresholds/`` (``2026-27.toml``), each figure with its value, unit, the date it takes effect, whether it
is set by law (``statutory``) or is this product's own prompt (``heuristic``), its source, and whether the
value was checked against a primary source (``verified``). ``docs/benefit-rules.md`` lists them.

A figure is chosen by date, never by tax-year label: ``FigureBook.get(name, on)`` gives the one with the
latest ``effective_from`` on or before ``on`` across every file, so a benefit week spanning 6 April reads
each day's figure, and a Carer's Allowance limit that changes on the first Monday of April changes then.
The rules say which date they ask about (an expense's date, a benefit week's first day, a UC assessment
period's first day).

A date whose tax year has no file still gets a figure (the nearest one known: the latest before it, or the
earliest when it comes before them all), and its tax year is added to ``missing_tax_years``, which admins
are shown: a rule must keep working on 6 April before anyone has written next year's file.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import tomllib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from timebank.benefits.rulebook import Figure, FigureKind, tax_year_label, tax_year_of

#: The packaged data files (``pyproject.toml``'s package data).
THRESHOLDS = Path(__file__).with_name("thresholds")
FIELDS = frozenset({"value", "unit", "effective_from", "kind", "source", "verified"})


class FigureFileError(ValueError):
    """A thresholds file that does not say what the rules need (a start-up error, never a user's)."""


class FigureBook:
    """Every figure of every loaded tax year, chosen by date (``rulebook.Figures``)."""

    def __init__(self, figures: Iterable[Figure], tax_years: Iterable[str]) -> None:
        by_name: dict[str, list[Figure]] = {}
        for figure in figures:
            by_name.setdefault(figure.name, []).append(figure)
        for name, versions in by_name.items():
            versions.sort(key=lambda figure: figure.effective_from)
            days = [figure.effective_from for figure in versions]
            if len(set(days)) != len(days):
                raise FigureFileError(f"{name}: two values take effect on the same day")
        self._by_name = by_name
        self._days = {name: [figure.effective_from for figure in versions] for name, versions in by_name.items()}
        self._effective_dates = frozenset(day for days in self._days.values() for day in days)
        #: The tax years that have a file ("2026/27").
        self.tax_years = frozenset(tax_years)
        #: Tax years a figure was asked for that have no file: the figure given was the nearest known.
        self.missing_tax_years: set[str] = set()

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._by_name)

    def effective_dates(self) -> frozenset[dt.date]:
        """Every day on which some figure changes: a pattern rule asks about the days just before them only
        (``rules.common.latest_window``)."""
        return self._effective_dates

    def get(self, name: str, on: dt.date) -> Figure:
        """The figure ``name`` in force on ``on``. Raises ``KeyError`` for a name no file has (a mistake in a
        rule, not in the data)."""
        versions = self._by_name[name]
        label = tax_year_label(on)
        if label not in self.tax_years:
            self.missing_tax_years.add(label)
        index = bisect.bisect_right(self._days[name], on)
        if index == 0:
            # Before the figure's first value (7 April 2024, for a limit that changed on the 8th): the value
            # in force then was set the tax year before, which has no file.
            if label in self.tax_years:
                self.missing_tax_years.add(tax_year_label(tax_year_of(on)[0] - dt.timedelta(days=1)))
            return versions[0]
        return versions[index - 1]

    @classmethod
    def load(cls, directory: Path = THRESHOLDS) -> FigureBook:
        figures: list[Figure] = []
        tax_years: list[str] = []
        for path in sorted(directory.glob("*.toml")):
            label, found = read_file(path)
            tax_years.append(label)
            figures.extend(found)
        return cls(figures, tax_years)


def read_file(path: Path) -> tuple[str, list[Figure]]:
    """One tax year's file: its label ("2026/27", matching the name ``2026-27.toml``) and its figures."""
    with path.open("rb") as file:
        data = tomllib.load(file, parse_float=Decimal)
    label = data.get("tax_year")
    if label != path.stem.replace("-", "/"):
        raise FigureFileError(f"{path.name}: tax_year is {label!r}, the file name says {path.stem}")
    figures = []
    for name, entry in data.get("figures", {}).items():
        missing = FIELDS - set(entry)
        if missing:
            raise FigureFileError(f"{path.name}: {name} lacks {', '.join(sorted(missing))}")
        if not isinstance(entry["effective_from"], dt.date) or isinstance(entry["effective_from"], dt.datetime):
            raise FigureFileError(f"{path.name}: {name}'s effective_from is not a date")
        if not isinstance(entry["verified"], bool):
            raise FigureFileError(f"{path.name}: {name}'s verified is not true or false")
        try:
            kind = FigureKind(entry["kind"])
        except ValueError:
            raise FigureFileError(f"{path.name}: {name}'s kind is {entry['kind']!r}") from None
        figures.append(Figure(
            name=name, value=Decimal(entry["value"]), unit=entry["unit"], effective_from=entry["effective_from"],
            kind=kind, source=entry["source"], verified=entry["verified"], tax_year=label,
        ))
    return label, figures


@functools.cache
def figure_book() -> FigureBook:
    """The packaged figures, read once per process."""
    return FigureBook.load()
