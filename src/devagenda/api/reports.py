"""Routes of report content: ingested reports, their paragraphs, footnotes, findings and
figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from devagenda.api.dependencies import DatabaseSession
from devagenda.api.listing import ListFormat, ListQuery, download, list_response, list_responses
from devagenda.api.params import Language, RecordId, Year
from devagenda.api.problems import problem_responses
from devagenda.core.pagination import Page
from devagenda.reports import content, ingest_runs
from devagenda.reports.content_schemas import (
    FigureFilter,
    FigureOut,
    FindingOut,
    FootnoteOut,
    ParagraphOut,
    ReportOut,
)
from devagenda.reports.ingest_runs import EditionHistory, IngestRunOut

router = APIRouter(tags=["reports"])
DETAIL_RESPONSES = problem_responses(404, 422)
# A report's lists answer 404 when that report has not been ingested.
REPORT_LIST_RESPONSES = {**list_responses(), **problem_responses(404, 422)}


@router.get(
    "/reports", response_model=Page[ReportOut] | list[ReportOut], responses=list_responses()
)
def list_reports(
    params: ListQuery, session: DatabaseSession
) -> Page[ReportOut] | StreamingResponse:
    """The ingested reports, one per year and language."""
    return list_response(content.report_listing(session), params, ReportOut, "reports")


@router.get("/reports/ingests", responses=problem_responses(422))
def list_ingests(
    session: DatabaseSession,
    limit: Annotated[int, Query(ge=1, le=1000, description="How many, newest first.")] = 100,
) -> list[IngestRunOut]:
    """Every ingest, newest first, refusals included: when, which file (name and sha256),
    what it was loaded as, the outcome and the counts."""
    return ingest_runs.ingest_runs(session, limit=limit)


@router.get("/reports/{year}/{language}", responses=DETAIL_RESPONSES)
def get_report(year: Year, language: Language, session: DatabaseSession) -> ReportOut:
    """One ingested report: whether it is partial, its version and its counts."""
    return content.get_report(session, year, language)


@router.get("/reports/{year}/{language}/history", responses=DETAIL_RESPONSES)
def get_report_history(year: Year, language: Language, session: DatabaseSession) -> EditionHistory:
    """The edition's versions (texts it has had, the current one marked) and its ingests."""
    return ingest_runs.edition_history(session, year, language)


@router.get(
    "/reports/{year}/{language}/paragraphs",
    response_model=Page[ParagraphOut] | list[ParagraphOut],
    responses=REPORT_LIST_RESPONSES,
)
def list_paragraphs(
    year: Year,
    language: Language,
    params: ListQuery,
    session: DatabaseSession,
    chapter: Annotated[int | None, Query(ge=0, le=100, description="Only this chapter.")] = None,
) -> Page[ParagraphOut] | StreamingResponse:
    """The numbered paragraphs of a report, with their sub-items and footnote numbers."""
    listing = content.paragraph_listing(session, year, language, chapter=chapter)
    return list_response(listing, params, ParagraphOut, f"paragraphs-{year}-{language}")


@router.get("/reports/{year}/{language}/paragraphs/{number}", responses=DETAIL_RESPONSES)
def get_paragraph(
    year: Year, language: Language, number: RecordId, session: DatabaseSession
) -> ParagraphOut:
    return content.get_paragraph(session, year, language, number)


@router.get(
    "/reports/{year}/{language}/footnotes",
    response_model=Page[FootnoteOut] | list[FootnoteOut],
    responses=REPORT_LIST_RESPONSES,
)
def list_footnotes(
    year: Year,
    language: Language,
    params: ListQuery,
    session: DatabaseSession,
    paragraph: Annotated[
        int | None, Query(ge=1, le=100_000, description="Only those this paragraph references.")
    ] = None,
) -> Page[FootnoteOut] | StreamingResponse:
    """The footnotes of a report."""
    listing = content.footnote_listing(session, year, language, paragraph=paragraph)
    return list_response(listing, params, FootnoteOut, f"footnotes-{year}-{language}")


@router.get("/reports/{year}/{language}/footnotes/{number}", responses=DETAIL_RESPONSES)
def get_footnote(
    year: Year, language: Language, number: RecordId, session: DatabaseSession
) -> FootnoteOut:
    return content.get_footnote(session, year, language, number)


@router.get(
    "/reports/{year}/{language}/findings",
    response_model=list[FindingOut],
    responses=REPORT_LIST_RESPONSES,
)
def list_findings(
    year: Year,
    language: Language,
    session: DatabaseSession,
    format: Annotated[ListFormat | None, Query(description="`json`, `csv` or `xlsx`.")] = None,
) -> list[FindingOut] | Response:
    """What `devagenda lint` found in the report when it was ingested, in line order."""
    findings = content.report_findings(session, year, language)
    if format is not None:
        return download(findings, FindingOut, f"findings-{year}-{language}", format)
    return findings


@router.get(
    "/figures", response_model=Page[FigureOut] | list[FigureOut], responses=list_responses()
)
def list_figures(
    filters: Annotated[FigureFilter, Query()], params: ListQuery, session: DatabaseSession
) -> Page[FigureOut] | StreamingResponse:
    """Quantities the reports state (participants, courses, countries...), with sources."""
    return list_response(content.figure_listing(session, filters), params, FigureOut, "figures")
