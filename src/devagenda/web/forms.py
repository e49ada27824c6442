"""Edit forms for every record type, from a short declaration of their fields.

A `RecordForm` lists its `FormField`s: the input each is, its label, where its value
goes in the pydantic edit model (`target`) and how it is read from the record the page
shows (`read`). From that the form is filled, rendered (templates/form_macros.html) and
turned back into the edit model the services of catalogue.editing take.

An edit form carries the values it was rendered with in hidden `was.` fields, and only
the fields the user changed are sent (fields that belong `together`, such as a title and
its status, go as one): a fact left alone keeps its source. When someone else saved
first, the form is shown again over the record as it is now, with the user's changes
kept and the other person's taken in (`after_conflict`), so saving again applies only
the user's change. The rules themselves stay in the services.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from devagenda.core.errors import InvalidEdit
from devagenda.core.inputs import MAX_ID
from devagenda.reference import services as reference
from devagenda.web.i18n import Messages, validation_reason

ORIGINAL_PREFIX = "was."  # hidden fields holding the value each input was rendered with
VERSION_FIELD = "version"
Choice = tuple[str, str]  # (value, what the reader sees)
Location = tuple[str | int, ...]


class Input(enum.StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    NUMBER = "number"
    DATE = "date"
    SELECT = "select"
    LIST = "list"  # several values: one per line (or separated by commas)
    LINE_EACH = "line_each"  # several values that may hold commas (names): one per line
    LINES = "lines"  # several records, one per line, their parts separated by " | "


def _nothing(record: Any) -> object:
    return None


@dataclass(frozen=True)
class FormField:
    name: str  # the input's name
    label: str  # the i18n key of its label
    target: Location  # where its value goes in the edit model: ("titles", "zh", "text")
    read: Callable[[Any], object] = _nothing  # its value in the record the page shows
    input: Input = Input.TEXT
    options: Callable[[Messages, Session], list[Choice]] | None = None  # for SELECT
    blank_choice: bool = True  # a SELECT may be left empty (which clears the fact)
    together: str | None = None  # fields of one group are sent together when one changes
    hint: str | None = None  # the i18n key of a line shown under the input
    compared: bool = True  # False for the edit's source and message: sent whenever given
    default: str = ""  # its value in the form of a new record
    parts: tuple[str, ...] = ()  # for LINES: the names of a line's parts, in order

    @property
    def group(self) -> str:
        return self.together or self.name


def enum_options(
    values: type[enum.Enum], prefix: str
) -> Callable[[Messages, Session], list[Choice]]:
    """The values of an enumeration, each with its label in the page language."""
    return lambda t, session: [(v.value, t.label(prefix, v)) for v in values]


def sector_options(t: Messages, session: Session) -> list[Choice]:
    return [
        (s.code, f"{s.code} · {s.name_zh if t.language == 'zh' else s.name_en}")
        for s in reference.sector_listing(session).all()
    ]


def text_of(texts: Sequence[Any], language: str) -> str | None:
    """A record's wording in `language` (from its `titles` or `texts`), if it has one."""
    return next((t.text for t in texts if t.language == language), None)


def status_of(texts: Sequence[Any], language: str) -> object:
    return next((t.status for t in texts if t.language == language), None)


SOURCE = FormField("source", "form_source", ("source",), hint="form_source_hint", compared=False)
MESSAGE = FormField(
    "message", "form_message", ("message",), hint="form_message_hint", compared=False
)


@dataclass(frozen=True)
class RecordForm:
    """The fields of one kind of edit and the edit model they make."""

    model: type[BaseModel]
    fields: tuple[FormField, ...]

    def filled(self, record: Any) -> dict[str, str]:
        """The inputs' values for `record`."""
        return {f.name: as_text(f.read(record)) if f.compared else "" for f in self.fields}

    def blank(self) -> dict[str, str]:
        """The inputs' values for a new record."""
        return {f.name: f.default for f in self.fields}

    def submitted(self, data: Mapping[str, str]) -> Submission:
        """What a POST of this form holds: the values, the values it was rendered with
        (an edit form only) and the version it was read at."""
        originals = None
        if any(key.startswith(ORIGINAL_PREFIX) for key in data):
            originals = {
                f.name: _normal_newlines(data.get(ORIGINAL_PREFIX + f.name, ""))
                for f in self.fields
                if f.compared
            }
        # A field the POST leaves out is one the user did not change.
        unchanged = originals if originals is not None else self.blank()
        values = {
            f.name: _normal_newlines(data[f.name]) if f.name in data else unchanged.get(f.name, "")
            for f in self.fields
        }
        raw = data.get(VERSION_FIELD, "").strip()
        version = int(raw) if raw.isdigit() and int(raw) <= MAX_ID else None
        return Submission(values, originals, version)

    def changed_groups(self, submission: Submission) -> set[str]:
        """The groups whose fields the user changed: from the values the form was
        rendered with, or for a new record from the blank form."""
        before = submission.originals if submission.originals is not None else self.blank()
        return {
            f.group
            for f in self.fields
            if f.compared and not self._same(f, submission.values[f.name], before[f.name])
        }

    def edit(self, submission: Submission, t: Messages) -> BaseModel:
        """The edit model of the changed fields (and the source and message, when
        given); a value that fails its model's checks raises `FormProblems`."""
        changed = self.changed_groups(submission)
        payload: dict[str, Any] = {}
        for f in self.fields:
            text = submission.values[f.name].strip()
            if f.compared and f.group not in changed:
                continue
            if not f.compared and not text:
                continue
            value = self._value(f, text)
            if value is None and len(f.target) > 1:
                continue  # a part (a title's text) is required, not cleared: pydantic says so
            _put(payload, f.target, value)
        try:
            return self.model.model_validate(payload)
        except ValidationError as error:
            raise FormProblems(self._validation_problems(error, t)) from None

    def problems_of(self, error: InvalidEdit) -> dict[str, str]:
        """A service's problems by the name of the input each belongs to (the problems
        of several items of one list input together)."""
        problems: dict[str, str] = {}
        for key, reason in error.problems.items():
            name = self._field_name(_location(key))
            problems[name] = f"{problems[name]}; {reason}" if name in problems else reason
        return problems

    def after_conflict(
        self, submission: Submission, current: Any
    ) -> tuple[dict[str, str], list[Conflict]]:
        """The values to show again after someone else saved first: the user's where they
        changed a field, the stored one elsewhere; and the fields the other person
        changed, with what is stored now and what the user has. A form that adds to a
        record (a status statement) keeps all the user's values."""
        before = submission.originals
        if before is None:
            return dict(submission.values), []
        stored = self.filled(current)
        changed = self.changed_groups(submission)
        values = {}
        conflicts = []
        for f in self.fields:
            mine = submission.values[f.name]
            values[f.name] = mine if (f.group in changed or not f.compared) else stored[f.name]
            if f.compared and not self._same(f, stored[f.name], before[f.name]):
                conflicts.append(Conflict(f, stored[f.name], mine, f.group in changed))
        return values, conflicts

    # -- helpers

    @staticmethod
    def _same(f: FormField, a: str, b: str) -> bool:
        if f.input is Input.LIST:
            return split_list(a) == split_list(b)
        if f.input is Input.LINE_EACH:
            return split_each_line(a) == split_each_line(b)
        if f.input is Input.LINES:
            return split_lines(a) == split_lines(b)
        return a.strip() == b.strip()

    @staticmethod
    def _value(f: FormField, text: str) -> object:
        if f.input is Input.LIST:
            return split_list(text)
        if f.input is Input.LINE_EACH:
            return split_each_line(text)
        if f.input is Input.LINES:
            return [dict(zip(f.parts, row, strict=False)) for row in split_lines(text)]
        return text or None

    def _validation_problems(self, error: ValidationError, t: Messages) -> dict[str, str]:
        problems: dict[str, str] = {}
        for item in error.errors():
            problems.setdefault(self._field_name(tuple(item["loc"])), validation_reason(item, t))
        return problems

    def _field_name(self, location: Location) -> str:
        """The input a problem at `location` of the edit model belongs to: the field
        whose target holds the location, else the first inside it, else the form."""
        for f in self.fields:
            if location[: len(f.target)] == f.target:
                return f.name
        for f in self.fields:
            if f.target[: len(location)] == location:
                return f.name
        return ".".join(map(str, location)) or "form"


@dataclass(frozen=True)
class Submission:
    values: dict[str, str]
    originals: dict[str, str] | None
    version: int | None


@dataclass(frozen=True)
class Conflict:
    """A field someone else changed since the form was opened."""

    field: FormField
    stored: str
    yours: str
    changed_by_you: bool


class FormProblems(Exception):
    """Values that fail the edit model's checks, by input name."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


@dataclass
class FormView:
    """What the form template shows: the inputs' values, the hidden values they were
    rendered with, the version, and any problems or conflicting changes."""

    form: RecordForm
    values: dict[str, str]
    originals: dict[str, str] | None
    version: int | None
    options: dict[str, list[Choice]]
    problems: dict[str, str] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    stale: bool = False


def view_of(
    form: RecordForm,
    t: Messages,
    session: Session,
    values: dict[str, str],
    *,
    originals: dict[str, str] | None,
    version: int | None,
    **state: Any,
) -> FormView:
    options = {f.name: f.options(t, session) for f in form.fields if f.options is not None}
    return FormView(form, values, originals, version, options, **state)


def as_text(value: object) -> str:
    """A record's value as an input shows it."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, list | tuple):
        return "\n".join(as_text(item) for item in value)
    return str(value)


def split_lines(text: str) -> list[list[str | None]]:
    """A LINES input's records: one per line, parts separated by "|" (an empty part is
    no value)."""
    return [
        [part.strip() or None for part in line.split("|")]
        for line in _normal_newlines(text).split("\n")
        if line.strip()
    ]


def as_line(*parts: object) -> str:
    """A record as a LINES input shows it, trailing empty parts left out."""
    texts = [as_text(part) for part in parts]
    while texts and not texts[-1]:
        texts.pop()
    return " | ".join(texts)


def split_list(text: str) -> list[str]:
    """A list input's values: one per line, or separated by commas."""
    return [item.strip() for item in re.split(r"[\n,]", text) if item.strip()]


def split_each_line(text: str) -> list[str]:
    """A LINE_EACH input's values: one per line, commas and all."""
    return [line.strip() for line in _normal_newlines(text).split("\n") if line.strip()]


def _normal_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _put(payload: dict[str, Any], target: Location, value: object) -> None:
    for key in target[:-1]:
        payload = payload.setdefault(str(key), {})
    payload[str(target[-1])] = value


def _location(key: str) -> Location:
    """A service's problem key ("proposers[2]", "titles") as a location."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", key):
        parts.append(int(index) if index else name)
    return tuple(parts)
