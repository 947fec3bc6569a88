"""A date on a page is typed in three boxes, Day, Month and Year, as GOV.UK asks it (``DayMonthYearField``):
the boxes are read in any browser the same way, what is wrong is said in GOV.UK's words next to the boxes
at fault, and one ISO value under the plain name (an address, a script) is still read."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask, render_template_string
from werkzeug.datastructures import MultiDict
from wtforms.validators import InputRequired, Optional

from timebank.forms import DayMonthYearField, ServiceForm


class _Form(ServiceForm):
    class Meta:
        csrf = False

    on = DayMonthYearField("When", validators=[InputRequired("Enter the date")])
    until = DayMonthYearField("Until", validators=[Optional()])


def _form(app: Flask, **sent: str) -> _Form:
    form = _Form(formdata=MultiDict(sent))
    form.validate()
    return form


def _parts(day: str, month: str, year: str, name: str = "on") -> dict[str, str]:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


@pytest.fixture
def ctx(app: Flask):
    with app.test_request_context():
        yield app


@pytest.mark.parametrize(("day", "month", "year", "read"), [
    ("27", "3", "2026", dt.date(2026, 3, 27)),
    ("27", "03", "2026", dt.date(2026, 3, 27)),
    (" 7 ", " 3", "2026 ", dt.date(2026, 3, 7)),
    ("29", "2", "2028", dt.date(2028, 2, 29)),
])
def test_the_three_boxes_make_a_day(ctx, day, month, year, read):
    form = _form(ctx, **_parts(day, month, year))
    assert (form.on.data, form.on.errors, form.on.invalid_parts) == (read, [], ())


@pytest.mark.parametrize("sent", ["2026-03-27", "27/03/2026", " 2026-03-27 "])
def test_one_value_under_the_plain_name_is_read_when_no_box_is_sent(ctx, sent):
    form = _form(ctx, on=sent)
    assert (form.on.data, form.on.errors) == (dt.date(2026, 3, 27), [])
    assert form.on.query() == {"on": "2026-03-27"}


def test_the_boxes_win_over_a_plain_value(ctx):
    assert _form(ctx, on="2020-01-01", **_parts("27", "3", "2026")).on.data == dt.date(2026, 3, 27)


@pytest.mark.parametrize(("day", "month", "year", "message", "at_fault"), [
    ("27", "", "2026", "The date must include a month", ("month",)),
    ("", "3", "2026", "The date must include a day", ("day",)),
    ("27", "3", "", "The date must include a year", ("year",)),
    ("", "", "2026", "The date must include a day and month", ("day", "month")),
    ("27", "", "", "The date must include a month and year", ("month", "year")),
    ("29", "2", "2027", "Enter a real date", ("day",)),
    ("31", "4", "2026", "Enter a real date", ("day",)),
    ("0", "4", "2026", "Enter a real date", ("day",)),
    ("27", "13", "2026", "Enter a real date", ("month",)),
    ("27", "March", "2026", "Enter a real date", ("month",)),
    ("2x", "3", "2026", "Enter a real date", ("day",)),
    ("27", "3", "26", "Year must include 4 numbers", ("year",)),
    ("27", "3", "20266", "Year must include 4 numbers", ("year",)),
    ("27", "3", "0000", "Enter a real date", ("year",)),
])
def test_what_is_wrong_is_said_in_govuk_words_on_the_boxes_at_fault(ctx, day, month, year, message, at_fault):
    form = _form(ctx, **_parts(day, month, year))
    assert form.on.data is None
    assert [str(error) for error in form.on.errors] == [message]
    assert form.on.invalid_parts == at_fault


def test_empty_boxes_are_missing_or_left_out(ctx):
    form = _form(ctx, **_parts("", " ", ""), **_parts("", "", "", name="until"))
    assert [str(error) for error in form.on.errors] == ["Enter the date"]
    assert form.on.invalid_parts == ("day", "month", "year")
    assert (form.until.data, form.until.errors) == (None, [])


def test_a_plain_value_that_is_no_date_is_refused(ctx):
    form = _form(ctx, on="31/02/2026")
    assert ([str(error) for error in form.on.errors], form.on.invalid_parts) == (
        ["Enter a real date"], ("day", "month", "year"))


def test_a_service_refusal_marks_all_three_boxes(ctx):
    form = _form(ctx, **_parts("27", "3", "2026"))
    form.add_service_error("on", "Enter a date from 1 March 2019 to today")
    assert form.on.invalid_parts == ("day", "month", "year")


def _page(form: _Form) -> str:
    return render_template_string(
        '{% from "macros/forms.html" import error_summary, field %}{{ error_summary(form) }}'
        '{{ field(form.on, hint="Today or an earlier day.") }}{{ field(form.until) }}', form=form)


def test_the_boxes_are_a_labelled_group_with_the_example_and_the_error(ctx):
    html = _page(_form(ctx, **_parts("27", "", "2026")))
    assert '<fieldset class="field field-error ' in html and 'id="on" role="group"' in html
    assert 'aria-describedby="on-hint on-error"' in html and "<legend class=\"label\">When</legend>" in html
    assert '<p class="hint" id="on-hint">Today or an earlier day. For example, 27 3 2026</p>' in html
    assert '<a href="#on-month">The date must include a month</a>' in html
    for part, label, width, value in (("day", "Day", 2, "27"), ("month", "Month", 2, ""), ("year", "Year", 4, "2026")):
        assert f'<label class="label-small" for="on-{part}">{label}</label>' in html
        box = html.split(f'id="on-{part}"')[0].rsplit("<input", 1)[1] + html.split(f'id="on-{part}"')[1].split(">")[0]
        assert 'inputmode="numeric"' in box and f'name="on-{part}"' in box and f'size="{width}"' in box
        assert f'value="{value}"' in box and 'type="text"' in box
        assert ('aria-invalid="true"' in box) == (part == "month")
    assert 'type="date"' not in html


def test_a_saved_day_fills_the_boxes(ctx):
    form = _Form(formdata=None, data={"on": dt.date(2026, 3, 7)})
    html = _page(form)
    assert ('<input type="text" id="on-day" name="on-day" value="7" inputmode="numeric" size="2"'
            ' class="date-input-2">') in html
    assert 'value="3"' in html and 'value="2026"' in html and "aria-invalid" not in html
