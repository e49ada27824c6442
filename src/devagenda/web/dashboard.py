"""The home page's figures: projects by status, by year of approval and by cluster, the
recommendations with the projects implementing each, and the coverage gaps.

Counted from the catalogue's lists (55 projects, 45 recommendations): at this size one
pass in Python is simpler than a query per figure. Every figure carries the coverage it
rests on (catalogue/coverage.py): a recommendation with no project linked to it is a gap
only when the sources state every project's recommendations; until then it is "no project
known", which is what the page says.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy.orm import Session

from devagenda.catalogue import services as catalogue
from devagenda.catalogue.coverage import ProjectCoverage, project_coverage
from devagenda.catalogue.models import ProjectStatus
from devagenda.catalogue.schemas import ClusterOut, RecommendationOut
from devagenda.core.schemas import Coverage
from devagenda.reports import content
from devagenda.reports.content_schemas import ReportOut
from devagenda.web.charts import Bar, bar_chart
from devagenda.web.i18n import Messages, pick_text


@dataclass(frozen=True)
class ClusterCoverage:
    cluster: ClusterOut
    recommendations: list[RecommendationOut]
    projects: int  # distinct projects implementing at least one of its recommendations
    links: Coverage  # the projects whose recommendations are stated: what counts rest on


@dataclass(frozen=True)
class Dashboard:
    projects: int
    by_status: list[tuple[ProjectStatus, int]]
    by_year: list[tuple[int | None, int]]  # None: the reports do not state the year
    clusters: list[ClusterCoverage]
    # recommendations no project is linked to in the loaded sources; a fact about the
    # Development Agenda only when `coverage.recommendations.complete`
    gaps: list[RecommendationOut]
    reports: list[ReportOut]
    coverage: ProjectCoverage

    @property
    def recommendations(self) -> int:
        return sum(len(c.recommendations) for c in self.clusters)

    @property
    def links(self) -> Coverage:
        """The projects whose recommendations are stated: what gaps and clusters rest on."""
        return self.coverage.recommendations


def dashboard(session: Session) -> Dashboard:
    projects = list(catalogue.project_listing(session).all())
    # A mainstreamed project counts under its stage and under "mainstreamed".
    statuses = Counter(state for project in projects for state in project.states)
    years = Counter(p.approval_date.year if p.approval_date else None for p in projects)
    clusters = cluster_coverage(session)
    return Dashboard(
        projects=len(projects),
        by_status=[(status, statuses[status]) for status in ProjectStatus],
        by_year=sorted(years.items(), key=lambda item: (item[0] is None, item[0] or 0)),
        clusters=clusters,
        gaps=[r for c in clusters for r in c.recommendations if not r.projects],
        reports=list(content.report_listing(session).all()),
        coverage=project_coverage(session),
    )


def cluster_coverage(session: Session) -> list[ClusterCoverage]:
    """Each cluster with its recommendations, each with the projects implementing it."""
    recommendations = list(catalogue.recommendation_listing(session).all())
    links = project_coverage(session).recommendations
    clusters = catalogue.cluster_listing(session).all()
    return [_coverage(c, recommendations, links) for c in clusters]


def _coverage(
    cluster: ClusterOut, recommendations: list[RecommendationOut], links: Coverage
) -> ClusterCoverage:
    members = [r for r in recommendations if r.number in cluster.recommendations]
    projects = {project.id for r in members for project in r.projects}
    return ClusterCoverage(cluster, members, len(projects), links)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: Markup
    rows: list[tuple[str, int, str | None]]  # label, value, link to the matching list
    basis: str  # how many records the chart rests on, in words


def charts(board: Dashboard, t: Messages) -> list[Chart]:
    """The dashboard's three charts, labelled in the page language."""
    status_rows = [
        (t.label("status", status), count, f"/projects?status={status.value}")
        for status, count in board.by_status
    ]
    year_rows = [
        (
            str(year) if year else t("year_not_stated"),
            count,
            f"/projects?year={year}" if year else None,
        )
        for year, count in board.by_year
    ]
    cluster_rows = [
        (
            f"{coverage.cluster.letter} "
            + pick_text(t.language, coverage.cluster.title_zh, coverage.cluster.title_en),
            coverage.projects,
            f"/projects?cluster={coverage.cluster.letter}",
        )
        for coverage in board.clusters
    ]
    links = board.links
    if links.unknown:
        cluster_rows.append((t("recommendations_not_stated"), links.unknown, None))
    everything = Coverage(known=board.projects, total=board.projects)
    return [
        _chart("chart-status", t("projects_by_status"), status_rows, t, everything),
        _chart("chart-year", t("projects_by_year"), year_rows, t, board.coverage.approval_date),
        _chart("chart-cluster", t("projects_by_cluster"), cluster_rows, t, links),
    ]


def basis(t: Messages, fact: str, coverage: Coverage) -> str:
    """The sentence saying what a figure rests on ("Recommendation links known for 7 of
    55 projects."), in the page language."""
    return t(f"basis_{fact}", known=coverage.known, total=coverage.total)


_CHART_FACTS = {"chart-status": "status", "chart-year": "approval_year", "chart-cluster": "links"}


def _chart(
    chart_id: str,
    title: str,
    rows: list[tuple[str, int, str | None]],
    t: Messages,
    coverage: Coverage,
) -> Chart:
    items = ", ".join(f"{label} {value}" for label, value, _ in rows)
    rests_on = basis(t, _CHART_FACTS[chart_id], coverage)
    unknown_label = t("recommendations_not_stated"), t("year_not_stated")
    svg = bar_chart(
        chart_id,
        title,
        t("chart_summary", title=title, items=items) + " " + rests_on,
        [Bar(label, value, unknown=label in unknown_label) for label, value, _ in rows],
    )
    return Chart(chart_id, title, svg, rows, rests_on)
