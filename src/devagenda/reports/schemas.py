"""What the report services return to interfaces (renderers, API, web): annexes and text.

Every text carries the language it is actually in, so an edition can say where it had to
fall back to another language, and its status, so it can say which texts are unofficial
translations.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from devagenda.core.models import TextStatus
from devagenda.reports.ingest.document import ProjectGroup


class LocalizedText(BaseModel):
    """A text in the language asked for or, failing that, in the first language found."""

    model_config = ConfigDict(frozen=True)

    text: str
    language: str  # the language the text is in
    status: TextStatus
    fallback: bool  # True when `language` is not the language asked for

    @property
    def unofficial(self) -> bool:
        return self.status is TextStatus.UNOFFICIAL_TRANSLATION


class AnnexExpectedResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str  # "4.1"
    title: LocalizedText  # as the edition prints it (see reports.render.annexes)
    # In a corrected edition, the wording the report printed where the standard title
    # replaces it; None where nothing was corrected.
    corrected_from: str | None = None


class AnnexOneRow(BaseModel):
    """Annex I: one recommendation and the expected results it contributes to."""

    model_config = ConfigDict(frozen=True)

    number: int
    immediate: bool  # starred: adopted for immediate implementation
    text: LocalizedText
    expected_results: list[AnnexExpectedResult]


class AnnexTwoRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int  # the row number within its group, from 1
    project_id: int
    title: LocalizedText


class AnnexTwoGroup(BaseModel):
    """Annex II: one group of projects, with its heading as the report prints it."""

    model_config = ConfigDict(frozen=True)

    group: ProjectGroup
    heading: str  # e.g. "已完成且已经审评的发展议程项目（40个）", count included
    count: int
    rows: list[AnnexTwoRow]


class TextRun(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["text"] = "text"
    text: str


class NoteRun(BaseModel):
    """A footnote reference where the report prints it."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["note"] = "note"
    number: int


Run = Annotated[TextRun | NoteRun, Field(discriminator="kind")]


class TextSubItemOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str  # as printed: "i)", "(a)"...
    runs: list[Run]


class HeadingOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["heading"] = "heading"
    level: int  # 1 for chapters, 2 for sections
    numeral: str | None  # as printed: "一", "IX"
    title: str


class TextParagraphOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["paragraph"] = "paragraph"
    number: int
    runs: list[Run]
    # Items listed on lines of their own; items inside the paragraph's text stay in `runs`.
    sub_items: list[TextSubItemOut]


Block = Annotated[HeadingOut | TextParagraphOut, Field(discriminator="kind")]


class TextFootnoteOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    text: str


class ReportTextOut(BaseModel):
    """A stored report's text: headings and paragraphs in reading order, and footnotes."""

    model_config = ConfigDict(frozen=True)

    source: str  # e.g. "dg-report/2023/zh"
    year: int
    language: str  # the language of the stored edition
    fallback: bool  # True when no edition in the language asked for is stored
    title: str
    blocks: list[Block]
    footnotes: list[TextFootnoteOut]
