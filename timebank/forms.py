"""What every page shares for input: whole-number query parameters, a date typed as day, month and year, the
member picker, and the page's unit of work, which commits once or puts a service's refusal next to the field it
names."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

from flask import abort, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Field
from wtforms.fields.core import UnboundField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError
from wtforms.widgets import HiddenInput

from timebank.dates import DATE_FORMATS, DATE_MESSAGE
from timebank.db import transaction
from timebank.errors import DomainError, Forbidden, NotFound
from timebank.picker import MAX_SEARCH, PICK_LIMIT, Candidate
from timebank.types import MAX_ID


def int_arg(name: str, *, default: int | None = None) -> int | None:
    """A whole-number query parameter from 1 to the largest id; anything else is a 400 page, never a 500."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        abort(400, description=gettext("That page address has a value we do not understand."))
    return int(raw)


#: The name of a picker's "Find" button; its value is the name of the picker it searches.
FIND = "find"


class MemberPickerField(Field):
    """Who a form is about, chosen from a search rather than a list of the whole bank. It works without
    JavaScript: the question is a search box with a "Find" button, which sends the whole form back to be
    shown again (``finding``) with up to ``PICK_LIMIT`` matches as radio buttons named after the field, so
    the chosen id is sent under the field's own name. ``static/picker.js`` runs the same search as one
    types. The macro ``picker`` in ``macros/forms.html`` draws it; ``fill_pickers`` gives it its matches.

    The id chosen is checked against the feature's rule (``fill_pickers`` looks it up), unless
    ``validate_choice`` is false: then the service judges it, and its refusal names the person."""

    def __init__(self, label: Any = None, validators: Any = None, *, validate_choice: bool = True,
                 invalid_choice_message: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.validate_choice = validate_choice
        self.invalid_choice_message = invalid_choice_message or _l("Choose someone from the list")
        #: What was typed in the search box.
        self.search = ""
        #: Whether the matches were looked for (then ``found`` and ``more`` say what came of it).
        self.searched = False
        self.found: list[Candidate[Any]] = []
        self.more = False
        #: The one chosen, if the rule allows them.
        self.chosen: Candidate[Any] | None = None

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.search = formdata.get(f"{self.name}-q", "").strip()[:MAX_SEARCH]

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if valuelist and valuelist[0] != "":
            raw = str(valuelist[0])
            if not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
                raise ValueError(self.invalid_choice_message)
            self.data = int(raw)

    def pre_validate(self, form: Any) -> None:
        if self.validate_choice and self.data is not None and self.chosen is None:
            raise ValidationError(self.invalid_choice_message)

    @property
    def options(self) -> list[Candidate[Any]]:
        """The radio buttons: the one chosen first, then the matches."""
        chosen = [self.chosen] if self.chosen is not None else []
        return chosen + [c for c in self.found if self.chosen is None or c.value != self.chosen.value]


def finding() -> str | None:
    """The name of the picker whose "Find" button sent the form: the page is shown again with its matches,
    nothing judged or saved."""
    return request.form.get(FIND) if request.method == "POST" else None


#: A feature's rule for who may be picked: matches for ``text`` (at most ``limit``), or those of ``only``.
Choices = Callable[..., Sequence[Candidate[Any]]]


def fill_pickers(pickers: Sequence[MemberPickerField], choices: Choices) -> None:
    """Give each picker the one chosen (all looked up in one query) and, for the picker being searched or one
    with a search and no choice yet, its matches (one query for each different search)."""
    searched_for = finding()
    ids = {p.data for p in pickers if p.data is not None}
    chosen = {c.value: c for c in choices(only=ids)} if ids else {}
    matches: dict[str, Sequence[Candidate[Any]]] = {}
    for picker in pickers:
        picker.chosen = chosen.get(picker.data) if picker.data is not None else None
        if picker.name == searched_for or (picker.search and picker.chosen is None):
            if picker.search not in matches:
                matches[picker.search] = choices(text=picker.search, limit=PICK_LIMIT + 1)
            found = matches[picker.search]
            picker.searched = True
            picker.found, picker.more = list(found[:PICK_LIMIT]), len(found) > PICK_LIMIT


class _TokenInput(HiddenInput):
    """The CSRF token with no id: nothing points at it, and a page of several forms (a list with a button on
    each row) would otherwise give every token the same one."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", False)  # a false attribute is left out
        return super().__call__(field, **kwargs)


#: The boxes of a date, in the order they are asked (GOV.UK's): each one's name ends ``-day``, ``-month``,
#: ``-year``, and its width is the digits it takes.
DATE_PARTS = ("day", "month", "year")
_PART_WIDTHS = {"day": 2, "month": 2, "year": 4}
#: What a date lacks, in GOV.UK's words, by the boxes left empty.
_MISSING = {
    ("day",): _l("The date must include a day"),
    ("month",): _l("The date must include a month"),
    ("year",): _l("The date must include a year"),
    ("day", "month"): _l("The date must include a day and month"),
    ("day", "year"): _l("The date must include a day and year"),
    ("month", "year"): _l("The date must include a month and year"),
}
_DIGITS = re.compile(r"[0-9]+")


class DayMonthYearInput:
    """Three labelled text boxes, Day, Month and Year, as GOV.UK's date input: numbers typed in any
    browser the same way, where ``<input type="date">`` shows the browser's own order (mm/dd/yyyy in a
    US-locale one). The ``field`` macro puts them in a fieldset with the legend, hint and error."""

    def __call__(self, field: DayMonthYearField, **kwargs: Any) -> Markup:
        labels = {"day": gettext("Day"), "month": gettext("Month"), "year": gettext("Year")}
        values = field.part_values()
        boxes = []
        for part in DATE_PARTS:
            invalid = part in field.invalid_parts
            boxes.append(Markup(
                '<div class="date-part"><label class="label-small" for="{id}">{label}</label>'
                '<input type="text" id="{id}" name="{name}" value="{value}" inputmode="numeric" size="{size}"'
                ' class="date-input-{size}{error}"{invalid}></div>'
            ).format(id=f"{field.id}-{part}", label=labels[part], name=f"{field.name}-{part}", value=values[part],
                     size=_PART_WIDTHS[part], error=" input-error" if invalid else "",
                     invalid=Markup(' aria-invalid="true"') if invalid else ""))
        return Markup('<div class="date-input">{}</div>').format(Markup("").join(boxes))


class DayMonthYearField(Field):
    """A day typed in three boxes, ``<name>-day``, ``<name>-month`` and ``<name>-year``; its ``data`` is a
    ``datetime.date`` or ``None``, as WTForms' ``DateField``. When none of the boxes is sent, it reads one
    value under ``<name>`` instead, in one of ``DATE_FORMATS`` (2026-03-27 or 27/03/2026): the address of
    a page of results, a script, a test. Leading and trailing spaces are ignored, and "3" is March.

    A part that is missing, not a number, or no day of the calendar is refused in GOV.UK's words, and
    the boxes at fault are ``invalid_parts``. Whether the day is in range is the services' rule
    (``timebank.dates``), whose refusal names the field, so all three boxes."""

    widget = DayMonthYearInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        #: The boxes as sent (stripped), or ``None`` when none was sent.
        self.parts: dict[str, str] | None = None
        self._bad_parts: tuple[str, ...] = ()

    @property
    def invalid_parts(self) -> tuple[str, ...]:
        """The boxes to mark: those a reading error names, or all three for any other error."""
        if not self.errors:
            return ()
        return self._bad_parts or DATE_PARTS

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.parts, self._bad_parts = None, ()
        if formdata is not None and any(f"{self.name}-{part}" in formdata for part in DATE_PARTS):
            self.parts = {part: (formdata.get(f"{self.name}-{part}") or "").strip() for part in DATE_PARTS}
        super().process(formdata, data, extra_filters)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if self.parts is not None:
            # InputRequired and Optional look at raw_data: empty when all three boxes are.
            self.raw_data = [" ".join(self.parts.values())] if any(self.parts.values()) else []
            self.data = None
            if self.raw_data:
                self.data = self._read_parts(self.parts)
            return
        if not valuelist or not str(valuelist[0]).strip():
            return
        self.data = None
        for date_format in DATE_FORMATS:
            try:
                self.data = dt.datetime.strptime(str(valuelist[0]).strip(), date_format).date()
                return
            except ValueError:
                continue
        raise ValueError(DATE_MESSAGE)

    def _read_parts(self, parts: dict[str, str]) -> dt.date:
        missing = tuple(part for part in DATE_PARTS if not parts[part])
        if missing:
            self._bad_parts = missing
            raise ValueError(_MISSING[missing])
        not_numbers = tuple(part for part in DATE_PARTS if not _DIGITS.fullmatch(parts[part]))
        if not_numbers:
            self._bad_parts = not_numbers
            raise ValueError(DATE_MESSAGE)
        if len(parts["year"]) != 4:
            self._bad_parts = ("year",)
            raise ValueError(_l("Year must include 4 numbers"))
        day, month, year = (int(parts[part]) for part in DATE_PARTS)
        if not 1 <= month <= 12 or year < dt.MINYEAR:
            self._bad_parts = ("month",) if not 1 <= month <= 12 else ("year",)
            raise ValueError(DATE_MESSAGE)
        try:
            return dt.date(year, month, day)
        except ValueError:
            self._bad_parts = ("day",)
            raise ValueError(DATE_MESSAGE) from None

    def part_values(self) -> dict[str, str]:
        """What the boxes show: what was typed, or else the field's day (a default, the day saved)."""
        if self.parts is not None and (any(self.parts.values()) or self.data is None):
            return self.parts
        if isinstance(self.data, dt.date):
            return {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        return dict.fromkeys(DATE_PARTS, "")

    def query(self) -> dict[str, str]:
        """The field in a page's address (a link to the next page of results): its day, as one ISO value."""
        return {self.name: self.data.isoformat()} if isinstance(self.data, dt.date) else {}


class ServiceForm(FlaskForm):
    """A form whose service errors (``DomainError.field``) are shown next to the matching field.

    ``SERVICE_FIELDS`` maps a service's field name to the form's, where they differ. An error for a
    field the form does not show (or shows hidden) goes at the top of the form."""

    SERVICE_FIELDS: ClassVar[dict[str, str]] = {}
    #: The fields in the order the page asks them, where that is not the order they were declared in (a form
    #: made of others: WTForms orders fields by when each was made). The error summary lists them so.
    FIELD_ORDER: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in reversed(self.FIELD_ORDER):
            self._fields.move_to_end(name, last=False)

    def validate(self, extra_validators: Any = None) -> bool:
        """As WTForms validates, except that each message is said once next to its field: a value that could
        not be read ("abc" for a year) fails both the reading and the range check, with the same words."""
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.errors, list) and not any(isinstance(e, list | dict) for e in field.errors):
                once: dict[str, Any] = {}
                for error in field.errors:
                    once.setdefault(str(error), error)
                field.errors = list(once.values())
        return valid

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            if options.get("name") == self.csrf_field_name:
                options = {**options, "widget": _TokenInput()}
            return super().bind_field(form, unbound_field, options)

    def shown_field(self, name: str | None) -> Field | None:
        """The field a service's field name stands for, if this form shows it (hidden fields do not count)."""
        name = self.SERVICE_FIELDS.get(name or "", name or "")
        if name in self._fields and getattr(self[name].widget, "input_type", None) != "hidden":
            return self[name]
        return None

    def add_service_error(self, field: str | None, message: Any) -> bool:
        """Put ``message`` next to the field, or at the top of the form; whether it went next to a field."""
        shown = self.shown_field(field)
        (shown.errors if shown is not None else self.form_errors).append(message)
        return shown is not None

    def show_refusal(self, error: DomainError) -> bool:
        """Show a service's refusal on this form; whether it sits next to a field. A form whose refusals
        name something finer than a field (one row of a list) overrides this."""
        return self.add_service_error(error.field, error.message)


class ButtonForm(ServiceForm):
    """A form that is only a button (and its CSRF token): publish, remove, vouch, withdraw, unsubscribe."""


def declared_fields(form_class: type) -> tuple[str, ...]:
    """A form class's field names in the order they were declared (its bases' included)."""
    found = [(getattr(form_class, name), name) for name in dir(form_class)
             if isinstance(getattr(form_class, name, None), UnboundField)]
    return tuple(name for _, name in sorted(found, key=lambda pair: pair[0].creation_counter))


@dataclass
class Work:
    """What became of a page's unit of work (``unit_of_work``): done and committed, or refused."""

    #: The service's refusal: rolled back, and shown on the form.
    error: DomainError | None = None
    #: Whether the refusal sits next to a field (otherwise it is at the top of the form).
    on_field: bool = False

    @property
    def done(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int:
        """The status of the page that shows the form again: the refusal's own (422, or 409 for a clash)."""
        return self.error.status if self.error is not None else 200


@contextmanager
def unit_of_work(form: ServiceForm) -> Iterator[Work]:
    """How a page with a form writes: run the service call(s) in the block, then commit once; or, when a
    service refuses (a ``DomainError``), roll everything back and show the refusal on ``form``, next to
    the field it names or at the top of the form. Keeps POST-redirect-GET in the view::

        with unit_of_work(form) as work:
            listing = service.renew_listing(db.session, actor, listing_id)
        if work.done:
            flash(...)
            return redirect(...)
        return render_template(..., form=form), work.status

    A refusal that is not about the form (``NotFound``, ``Forbidden``: no such thing, not allowed) goes
    on to the app-wide handler, its 404 or 403 page, unless it names a field the form shows (a counterpart
    the person may not choose is about what they chose). Any other error goes on too, after the rollback.
    A page whose refusals are all error pages commits with ``db.transaction`` instead."""
    work = Work()
    try:
        with transaction():
            yield work
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden) and form.shown_field(error.field) is None:
            raise
        work.error = error
        work.on_field = form.show_refusal(error)
