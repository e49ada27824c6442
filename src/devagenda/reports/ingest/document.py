"""The structured form of a Director General's report, as the reader produces it.

This is the contract between the reader (which builds it from a text export or a Word
file), the checker (`devagenda.reports.lint`) and the loader (`devagenda.reports.load`).
Every element keeps the source line it came from so that findings and stored facts can
point back to the exact place in the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


class ProjectGroup(StrEnum):
    """The three groups of Annex II, in the order the report prints them."""

    COMPLETED_EVALUATED = "completed_evaluated"
    ONGOING = "ongoing"
    APPROVED = "approved"


class EventKind(StrEnum):
    """What the narrative says happened to a project."""

    APPROVED = "approved"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    EVALUATED = "evaluated"
    MAINSTREAMED = "mainstreamed"


@dataclass(frozen=True)
class Location:
    """Where something sits in the report; fields that do not apply are None."""

    line: int
    paragraph: int | None = None
    sub_item: str | None = None
    footnote: int | None = None
    heading: str | None = None
    annex: str | None = None  # "I" or "II"
    row: int | None = None


@dataclass
class Heading:
    """A chapter (level 1, e.g. "一、区域和国家发展部门") or section (level 2) heading."""

    title: str
    level: int
    line: int
    numeral: str | None = None  # as printed: "一", "2", "IX"...
    number: int | None = None  # the numeral's value, for chapters


@dataclass
class Footnote:
    number: int
    text: str
    line: int
    paragraph: int | None = None  # the numbered paragraph that references it
    urls: list[str] = field(default_factory=list)
    symbols: list[str] = field(default_factory=list)  # CDIP document symbols, e.g. CDIP/31/4


@dataclass
class SubItem:
    """A listed item inside a paragraph: "(i)", "ii)", "（iii）", "(a)"..."""

    label: str  # as printed
    ordinal: int  # 1 for i/a, 2 for ii/b...
    style: str  # "(i)", "i)", "(a)"... the label's shape with the ordinal replaced by i or a
    text: str
    line: int
    footnotes: list[int] = field(default_factory=list)
    # The text with "[footnoteRef:N]" markers kept where they stood and footnote bodies
    # removed: the checker needs to know which words a footnote is attached to.
    raw_text: str = ""


@dataclass
class Paragraph:
    number: int
    text: str  # footnote markers removed
    line: int
    chapter: int | None = None  # number of the enclosing chapter heading, None before chapter 1
    section: str | None = None  # title of the enclosing level-2 heading, if any
    sub_items: list[SubItem] = field(default_factory=list)
    footnotes: list[int] = field(default_factory=list)  # references, in reading order
    urls: list[str] = field(default_factory=list)
    symbols: list[str] = field(default_factory=list)
    raw_text: str = ""  # as SubItem.raw_text: footnote reference markers kept in place


@dataclass
class ExpectedResultLink:
    code: str  # "4.1"
    title: str  # as printed in this row
    line: int


@dataclass
class AnnexRecommendation:
    """One row of Annex I."""

    number: int
    immediate: bool  # starred
    text: str
    line: int
    expected_results: list[ExpectedResultLink] = field(default_factory=list)


@dataclass
class AnnexProject:
    """One row of Annex II."""

    group: ProjectGroup
    row: int  # the row number printed within its group
    title: str
    line: int
    phase: int | None = None  # 2 for "——第二阶段"; None when the title names no phase


@dataclass
class AnnexGroup:
    group: ProjectGroup
    heading: str
    stated_count: int | None  # "（40个）" -> 40
    line: int


@dataclass
class Approval:
    """A project approved in the year, as listed in the approvals paragraph."""

    title: str
    proposers: list[str]  # names as printed, in order
    session: int  # CDIP session number that approved it
    recommendations: list[int]
    location: Location
    phase: int | None = None
    annex_row: int | None = None  # row in the APPROVED group of Annex II it matched


@dataclass
class ProjectEvent:
    """A statement in the narrative about a project's progress.

    `year` and `month` are the date the text gives, None when it gives none: such a
    statement holds as of the report's year, and no date is made up for it.
    """

    kind: EventKind
    title: str  # the project as the narrative names it
    location: Location
    year: int | None = None
    month: int | None = None
    chapter: int | None = None  # sector chapter that reports on the project itself
    beneficiaries: list[str] = field(default_factory=list)  # ISO alpha-3 codes
    session: int | None = None  # the CDIP session it happened at, when the text names one
    proposed_by: str | None = None  # "突尼斯" in "突尼斯提议的…项目", as printed
    evidence: str = ""  # the words that state it: "项目于2023年12月实施完成"
    annex_group: ProjectGroup | None = None  # matched Annex II entry, if any
    annex_row: int | None = None


@dataclass
class CountryMention:
    text: str  # as printed
    alpha3: str
    location: Location


@dataclass
class GroupMention:
    """A group of states or an intergovernmental organization named in the report:
    "非洲集团", "东盟", "ARIPO"."""

    text: str  # as printed
    code: str  # the group's code in groups.csv
    location: Location


@dataclass
class RecommendationMention:
    """A Development Agenda recommendation cited by number: "发展议程建议19、30和31"."""

    number: int
    text: str  # the citation as printed
    location: Location


@dataclass
class Figure:
    """A quantitative statement: "108,292人", "580门课程", "超过600名与会者"."""

    value: float
    text: str  # the figure as printed
    unit: str  # the measure word or sign: "人", "门", "%"...
    counts: str  # what it counts, as printed: "课程", "与会者"
    location: Location
    year: int | None = None
    qualifier: str | None = None  # "超过", "近", "多达"...
    # A total since a start ("自启动以来", "累计", "截至2023年底"), not the year's own count.
    cumulative: bool = False
    # The part of a total this figure stands for: "非洲" in "非洲2个", "商标" in "9项涉及商标".
    breakdown: str | None = None
    part_of: Figure | None = field(default=None, compare=False, repr=False)
    # Where the figure stands in the text it was read from (start, end).
    span: tuple[int, int] = field(default=(0, 0), compare=False, repr=False)


@dataclass
class ReportDocument:
    """Everything the reader understood of one report."""

    language: Language
    year: int | None
    source: str  # path or name of the file read
    title: str | None = None
    # What the text itself says, whatever the caller passed: the structural check needs
    # to know whether a year and a language can be read from it.
    stated_year: int | None = None
    stated_language: Language | None = None
    last_line: int = 1  # the text's last line: where a missing part was looked for last
    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    footnote_references: list[tuple[int, Location]] = field(default_factory=list)
    annex_recommendations: list[AnnexRecommendation] = field(default_factory=list)
    annex_groups: list[AnnexGroup] = field(default_factory=list)
    annex_projects: list[AnnexProject] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    project_events: list[ProjectEvent] = field(default_factory=list)
    country_mentions: list[CountryMention] = field(default_factory=list)
    group_mentions: list[GroupMention] = field(default_factory=list)
    recommendation_mentions: list[RecommendationMention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    @property
    def chapters(self) -> list[Heading]:
        """The numbered chapters; the introduction and conclusion are unnumbered level 1."""
        return [h for h in self.headings if h.level == 1 and h.number is not None]

    def paragraph(self, number: int) -> Paragraph | None:
        return next((p for p in self.paragraphs if p.number == number), None)

    def footnote(self, number: int) -> Footnote | None:
        return next((f for f in self.footnotes if f.number == number), None)
