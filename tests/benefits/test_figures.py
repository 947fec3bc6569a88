"""The thresholds data files and the figure book: every figure has what a broker and an auditor need, the
figure in force is chosen by date across the files, a year without a file falls back and is recorded, and
no figure or message presents an hours limit on volunteering."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import LazyString

from timebank.benefits import rules as rules_package
from timebank.benefits.figures import THRESHOLDS, FigureBook, FigureFileError, figure_book, read_file
from timebank.benefits.rulebook import FigureKind
from timebank.benefits.rules import RULES

D = dt.date
ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(THRESHOLDS.glob("*.toml"))


def test_one_file_per_tax_year_with_the_same_figures_each_fully_described():
    assert [path.name for path in FILES] == ["2024-25.toml", "2025-26.toml", "2026-27.toml"]
    names = None
    for path in FILES:
        label, figures = read_file(path)
        assert label == path.stem.replace("-", "/")
        found = {figure.name for figure in figures}
        assert names is None or found == names, path.name
        names = found
        for figure in figures:
            assert figure.unit and figure.source, (path.name, figure.name)
            if figure.kind is FigureKind.HEURISTIC:
                assert figure.source.startswith("Engine heuristic"), figure.name
            else:
                assert re.search(r"Reg|reg|HMRC|\[S\d+", figure.source), figure.name
    assert figure_book().names == names
    assert figure_book() is figure_book()


def test_the_figure_in_force_is_chosen_by_date_across_files():
    book = figure_book()
    mileage = "hmrc_amap_first_10000_miles"
    before = book.get(mileage, D(2026, 4, 5))
    assert (before.value, before.verified, before.tax_year) == (Decimal("0.45"), True, "2025/26")
    after = book.get(mileage, D(2026, 4, 6))
    assert (after.value, after.verified, after.tax_year, after.kind) == (
        Decimal("0.55"), False, "2026/27", FigureKind.STATUTORY)
    # Carer's Allowance changed on the first Monday of the benefit year: 7 April 2025.
    assert book.get("ca_earnings_limit_weekly", D(2025, 4, 6)).value == Decimal("151.00")
    assert book.get("ca_earnings_limit_weekly", D(2025, 4, 7)).value == Decimal("196.00")
    # UC: assessment periods starting on or after 13 April 2026.
    assert book.get("uc_work_allowance_lower_monthly", D(2026, 4, 12)).value == Decimal("411.00")
    assert book.get("uc_work_allowance_lower_monthly", D(2026, 4, 13)).value == Decimal("427.00")
    assert book.get("esa_permitted_work_higher_weekly", D(2024, 9, 1)).value == Decimal("183.50")
    assert not {"2024/25", "2025/26", "2026/27"} & book.missing_tax_years


def test_the_research_figures_are_carried_honestly():
    book = figure_book()
    june_2026, june_2025 = D(2026, 6, 1), D(2025, 6, 1)
    unverified_2026 = ["esa_permitted_work_higher_weekly", "ca_earnings_limit_weekly",
                       "uc_work_allowance_lower_monthly",
                       "uc_work_allowance_higher_monthly", "hmrc_amap_first_10000_miles", "nlw_hourly"]
    assert [name for name in unverified_2026 if book.get(name, june_2026).verified] == []
    assert book.get("esa_permitted_work_higher_weekly", june_2025).verified
    assert book.get("ca_earnings_limit_weekly", june_2026).value == Decimal("204.00")
    assert book.get("uc_voluntary_work_max_fraction", june_2025).verified is False


def copy_years(tmp_path: Path, *names: str) -> Path:
    for name in names:
        shutil.copy(THRESHOLDS / name, tmp_path / name)
    return tmp_path


def test_a_year_without_a_file_falls_back_to_the_nearest_figure_and_is_recorded(tmp_path):
    book = FigureBook.load(copy_years(tmp_path, "2024-25.toml", "2025-26.toml"))
    figure = book.get("ca_earnings_limit_weekly", D(2026, 6, 1))
    assert (figure.value, figure.tax_year) == (Decimal("196.00"), "2025/26")
    assert book.missing_tax_years == {"2026/27"}
    earliest = book.get("ca_earnings_limit_weekly", D(2023, 6, 1))
    assert (earliest.value, earliest.tax_year) == (Decimal("151.00"), "2024/25")
    assert book.missing_tax_years == {"2023/24", "2026/27"}


def test_a_day_before_a_figures_first_value_records_the_year_before(tmp_path):
    # 2024/25's limit took effect on Monday 8 April 2024: on the 7th the 2023/24 value was in force.
    book = FigureBook.load(copy_years(tmp_path, "2024-25.toml"))
    assert book.get("ca_earnings_limit_weekly", D(2024, 4, 7)).value == Decimal("151.00")
    assert book.missing_tax_years == {"2023/24"}


def test_a_file_that_does_not_say_what_the_rules_need_is_refused(tmp_path):
    text = (THRESHOLDS / "2025-26.toml").read_text()
    (tmp_path / "2025-26.toml").write_text(text.replace('tax_year = "2025/26"', 'tax_year = "2026/27"'))
    with pytest.raises(FigureFileError, match="tax_year"):
        FigureBook.load(tmp_path)
    (tmp_path / "2025-26.toml").write_text(text.replace('kind = "heuristic"', 'kind = "guess"', 1))
    with pytest.raises(FigureFileError, match="kind"):
        FigureBook.load(tmp_path)
    (tmp_path / "2025-26.toml").write_text(re.sub(r"\nverified = (true|false)", "", text, count=1))
    with pytest.raises(FigureFileError, match="lacks verified"):
        FigureBook.load(tmp_path)


def test_the_files_are_package_data():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "benefits/thresholds/*.toml" in project["tool"]["setuptools"]["package-data"]["timebank"]


# --- no hours limit on volunteering ---------------------------------------------------------------------------


def lazy_strings() -> list[str]:
    """Every user-facing string of the rules, in English: titles, messages, and the words of their tables."""
    found = []
    for rule in RULES:
        found += [str(rule.title), str(rule.member_text), str(rule.broker_text)]
    modules = [rules_package, rules_package.common, *(getattr(rules_package, f"tb{n:02d}") for n in range(1, 16))]
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, dict):
                found += [str(text) for text in value.values() if isinstance(text, LazyString)]
    return list(dict.fromkeys(found))


LIMIT = re.compile(r"\b(16|17\.5)[ -]hours?\b|\b16-hour", re.IGNORECASE)


def test_no_message_or_figure_presents_16_or_17_5_hours_as_a_limit():
    strings = lazy_strings()
    assert len(strings) > 45
    assert [text for text in strings if LIMIT.search(text)] == []
    for path in FILES:
        _, figures = read_file(path)
        for figure in figures:
            assert not LIMIT.search(" ".join([figure.name, figure.unit, figure.source])), figure.name
            # A 16 in hours is paid work's line, or a heuristic prompt that says it is no limit on volunteering.
            if figure.value == 16 and "hour" in figure.unit:
                assert "paid" in figure.name or "not a limit on volunteering" in figure.source, figure.name
    # Nothing anywhere names a volunteering hours limit.
    assert not [name for name in figure_book().names if "volunt" in name and "hour" in name]


def test_the_welsh_catalogue_translates_every_rule_string_with_the_same_placeholders():
    catalogue = read_po((ROOT / "timebank/translations/cy/LC_MESSAGES/messages.po").open("rb"))
    for english in lazy_strings():
        message = catalogue.get(english)
        welsh = message.string if message is not None else ""
        assert welsh and welsh.strip(), english
        assert sorted(re.findall(r"%\(\w+\)s", welsh)) == sorted(re.findall(r"%\(\w+\)s", english)), english
        assert not re.search(r"\b(16|17\.5) awr\b", welsh), english
