"""What a check reports, and the report that collects it.

Kept apart from the checks so that the loader, the CLI and the API can read a report
without importing any check.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from devagenda.reports.ingest.document import Location, ReportDocument
from devagenda.reports.messages import Message

if TYPE_CHECKING:
    from devagenda.reference.gazetteer import Gazetteer


class Severity(StrEnum):
    """How sure we are that an editor must act, in the IATI validator's terms."""

    ERROR = "error"  # the document contradicts itself or is broken
    WARNING = "warning"  # probably a mistake
    ADVISORY = "advisory"  # worth a look


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.ADVISORY: 2}


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    location: Location
    text: Message  # what was found, to be worded in the reader's language

    @property
    def message(self) -> str:
        """The message in English, the checker's reference language."""
        return self.text.render("en")

    def message_in(self, language: str) -> str:
        return self.text.render(language)

    def to_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "severity": str(self.severity),
            "code": self.code,
            "location": {
                "line": loc.line,
                "paragraph": loc.paragraph,
                "sub_item": loc.sub_item,
                "footnote": loc.footnote,
                "heading": loc.heading,
                "annex": loc.annex,
                "row": loc.row,
            },
            "message": self.message,
            "message_zh": self.message_in("zh"),
            "message_key": self.text.key,
            "message_params": self.text.to_json()["params"],
        }


@dataclass(frozen=True)
class LintReport:
    """All findings on one document, in reading order."""

    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> LintReport:
        ordered = sorted(
            findings, key=lambda f: (f.location.line, _SEVERITY_ORDER[f.severity], f.code)
        )
        return cls(tuple(ordered))

    @property
    def summary(self) -> dict[str, dict[str, int]]:
        """Counts per severity (all three always present) and per code."""
        severities = Counter(str(f.severity) for f in self.findings)
        return {
            "by_severity": {str(s): severities.get(str(s), 0) for s in Severity},
            "by_code": dict(sorted(Counter(f.code for f in self.findings).items())),
        }

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"findings": [f.to_dict() for f in self.findings], "summary": self.summary}


@dataclass
class LintContext:
    """What every check gets: the document, and the country index when there is one."""

    doc: ReportDocument
    gazetteer: Gazetteer | None = None


class Flag(NamedTuple):
    """One problem as a check yields it; the check adds its code and severity."""

    location: Location
    message: Message
    severity: Severity | None = None  # None: the check's default


CheckFunction = Callable[[LintContext], Iterator[Flag]]


@dataclass(frozen=True)
class Check:
    """A registered check: a stable code, a default severity and the function."""

    code: str
    severity: Severity
    function: CheckFunction

    @property
    def name(self) -> str:
        return self.function.__name__

    @property
    def description(self) -> str:
        return inspect.getdoc(self.function) or ""

    def run(self, context: LintContext) -> list[Finding]:
        return [
            Finding(flag.severity or self.severity, self.code, flag.location, flag.message)
            for flag in self.function(context)
        ]


def check(code: str, severity: Severity) -> Callable[[CheckFunction], Check]:
    """Register a function as a check with its code and default severity."""

    def wrap(function: CheckFunction) -> Check:
        return Check(code, severity, function)

    return wrap
