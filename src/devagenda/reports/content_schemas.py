"""What the content of an ingested report looks like to interfaces: the reports, their
paragraphs and footnotes, the figures they state and the countries they mention."""

from __future__ import annotations

from pydantic import BaseModel, Field

from devagenda.core.schemas import Provenance
from devagenda.reports.lint.findings import Severity


class ReportOut(BaseModel):
    key: str  # e.g. "dg-report/2023/zh"
    year: int
    language: str
    title: str
    uri: str | None
    partial: bool  # loaded as a draft lacking chapters or annexes (`ingest --partial`)
    paragraphs: int
    footnotes: int
    figures: int


class SubItemOut(BaseModel):
    label: str  # as printed: "(i)", "ii)", "（a）"
    text: str  # without footnote markers
    footnotes: list[int]  # referenced here, in reading order


class ParagraphOut(BaseModel):
    report: str
    number: int
    chapter: int | None
    section: str | None
    text: str  # without footnote markers
    footnotes: list[int]  # referenced in the paragraph and its sub-items, in reading order
    sub_items: list[SubItemOut]
    documents: list[str]  # document symbols cited
    links: list[str]
    mentions: list[str]  # countries (alpha-3) and groups (code) named
    line: int


class FootnoteOut(BaseModel):
    report: str
    number: int
    paragraph: int | None  # the paragraph that references it
    text: str
    documents: list[str]
    links: list[str]
    mentions: list[str]
    line: int


class FigureOut(BaseModel):
    id: int
    report: str
    value: float
    text: str  # as printed: "超过600名"
    unit: str
    counts: str  # what it counts, as printed
    year: int | None  # the year it is about, when the report says
    qualifier: str | None  # "超过", "近"...
    cumulative: bool  # a total since a start ("自启动以来"), not the year's own count
    breakdown: str | None  # the part of a total it stands for: "非洲" in "非洲2个"
    part_of: int | None  # the id of that total's figure, when the report states it
    source: Provenance


class MentionOut(BaseModel):
    """A place where a report names a country or group, or cites a recommendation."""

    report: str
    year: int | None
    language: str | None
    country: str | None  # alpha-3
    group: str | None  # group code
    recommendation: int | None = None
    paragraph: int | None
    sub_item: str | None
    footnote: int | None
    annex: str | None = None  # "II" for a name in an Annex II title
    row: int | None = None  # the annex row
    text: str  # the name as printed
    snippet: str  # the words around it
    citation: str


class FigureFilter(BaseModel):
    year: int | None = Field(
        None, ge=1900, le=2999, description="About this year (the report's year if unstated)."
    )
    unit: str | None = Field(
        None,
        max_length=32,
        pattern=r"^[^\x00]*$",
        description="Measure word or sign, e.g. 人 or %.",
    )
    paragraph: int | None = Field(
        None, ge=1, le=100_000, description="Stated in this paragraph or its footnotes."
    )
    language: str | None = Field(
        None, pattern=r"^[a-z]{2}$", description="Of the report edition in this language."
    )


class FindingLocation(BaseModel):
    """Where a finding sits; fields that do not apply are null."""

    line: int
    paragraph: int | None
    sub_item: str | None
    footnote: int | None
    heading: str | None
    heading_position: int | None  # which heading, counting the report's headings from 0
    annex: str | None
    annex_group: str | None  # for an Annex II row, its group
    row: int | None


class FindingOut(BaseModel):
    """What `devagenda lint` found in an ingested report."""

    severity: Severity
    code: str
    message: str = Field(description="What was found, in English.")
    message_zh: str | None = Field(
        description="The same in Chinese; null for a finding stored before findings kept "
        "their wording's key, which could not be recovered."
    )
    message_key: str | None = Field(
        description="The wording's key in the checker's catalogue of messages, the same in "
        "every language (e.g. `counts.figure_differs_in_year`); null as for `message_zh`."
    )
    location: FindingLocation
