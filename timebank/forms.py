"""What every page shares for input: whole-number query parameters, the member picker, and the page's unit
of work, which commits once or puts a service's refusal next to the field it names."""

from __future__ import annotations

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
