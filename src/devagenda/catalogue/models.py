"""The catalogue: recommendations, CDIP sessions, documents and Development Agenda projects."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devagenda.core.changelog import ChangeLogged
from devagenda.core.models import (
    Base,
    TimestampMixin,
    TranslatedMixin,
    TranslationMixin,
    enum_column,
)
from devagenda.reference.models import ActorGroup, Cluster, Country, ExpectedResult, Sector


class ProjectStatus(enum.StrEnum):
    """The states a source can assert of a project.

    The first five are the stages of its life, in order; "mainstreamed" is not a stage:
    it follows evaluation and does not replace it (`devagenda.catalogue.lifecycle`).
    """

    PROPOSED = "proposed"
    APPROVED = "approved"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    EVALUATED = "evaluated"
    MAINSTREAMED = "mainstreamed"

    @property
    def rank(self) -> int:
        return list(ProjectStatus).index(self)


class StatementKind(enum.StrEnum):
    """How a source places a state in time."""

    EVENT = "event"  # a change, dated by `on_date` when the text dates it
    YEAR_END = "year_end"  # the state at the end of `as_of_year` (an Annex II group)
    REPORTED = "reported"  # a state the report on `as_of_year` gives without a date


class DatePrecision(enum.StrEnum):
    """Reports date events loosely ("in July 2023"); keep how precise the date really is."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


class SessionFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    HYBRID = "hybrid"
    VIRTUAL = "virtual"


class OutputKind(enum.StrEnum):
    STUDY = "study"
    GUIDE = "guide"
    TOOL = "tool"
    DATABASE = "database"
    TRAINING = "training"
    OTHER = "other"


class Recommendation(ChangeLogged, TranslatedMixin, Base):
    __tablename__ = "recommendation"
    __table_args__ = (CheckConstraint("number BETWEEN 1 AND 45", name="number_range"),)

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cluster_letter: Mapped[str] = mapped_column(ForeignKey("cluster.letter"), index=True)
    immediate: Mapped[bool] = mapped_column(Boolean)  # adopted for immediate implementation

    cluster: Mapped[Cluster] = relationship(lazy="joined")
    texts: Mapped[list[RecommendationText]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="RecommendationText.language"
    )
    expected_result_links: Mapped[list[RecommendationExpectedResult]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="RecommendationExpectedResult.expected_result_code",
    )


class RecommendationText(ChangeLogged, TranslationMixin, Base):
    __tablename__ = "recommendation_text"
    __changelog_parent__ = "recommendation_number"

    recommendation_number: Mapped[int] = mapped_column(
        ForeignKey("recommendation.number", ondelete="CASCADE"), primary_key=True
    )


class RecommendationExpectedResult(ChangeLogged, Base):
    """Annex I: a recommendation contributes to an expected result."""

    __tablename__ = "recommendation_expected_result"
    __changelog_parent__ = "recommendation_number"

    recommendation_number: Mapped[int] = mapped_column(
        ForeignKey("recommendation.number", ondelete="CASCADE"), primary_key=True
    )
    expected_result_code: Mapped[str] = mapped_column(
        ForeignKey("expected_result.code", ondelete="CASCADE"), primary_key=True, index=True
    )
    source_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_location.id", ondelete="SET NULL")
    )

    expected_result: Mapped[ExpectedResult] = relationship(lazy="joined")


class CdipSession(ChangeLogged, Base):
    __tablename__ = "cdip_session"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    start_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_date: Mapped[date | None] = mapped_column(Date)
    format: Mapped[SessionFormat | None] = mapped_column(
        enum_column(SessionFormat, "session_format")
    )
    source_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_location.id", ondelete="SET NULL")
    )


class Document(ChangeLogged, TranslatedMixin, Base):
    """A CDIP or other WIPO document, known by its symbol (CDIP/31/4, CDIP/30/8 REV.)."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    symbol: Mapped[str] = mapped_column(String(64), unique=True)
    session_number: Mapped[int | None] = mapped_column(
        ForeignKey("cdip_session.number"), index=True
    )
    url: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))  # language of the linked version

    session: Mapped[CdipSession | None] = relationship(lazy="joined")
    texts: Mapped[list[DocumentTitle]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="DocumentTitle.language"
    )
    # Deleting a document deletes (and logs) its links to projects.
    project_links: Mapped[list[ProjectDocument]] = relationship(
        cascade="save-update, merge, delete", overlaps="document_links"
    )


class DocumentTitle(ChangeLogged, TranslationMixin, Base):
    __tablename__ = "document_title"
    __changelog_parent__ = "document_id"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )


class Project(ChangeLogged, TranslatedMixin, TimestampMixin, Base):
    """A Development Agenda project; one row per phase (phase II is its own project)."""

    __tablename__ = "project"
    __table_args__ = (CheckConstraint("phase >= 1", name="phase_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(64), unique=True)  # e.g. DA_1_10_12_40
    phase: Mapped[int] = mapped_column(Integer, default=1)
    predecessor_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="SET NULL")
    )
    approved_session_number: Mapped[int | None] = mapped_column(
        ForeignKey("cdip_session.number"), index=True
    )
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sector.code"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    start_precision: Mapped[DatePrecision | None] = mapped_column(
        enum_column(DatePrecision, "start_precision")
    )
    end_precision: Mapped[DatePrecision | None] = mapped_column(
        enum_column(DatePrecision, "end_precision")
    )
    # Derived from the status statements (catalogue.services.refresh_status), kept as
    # columns so that lists filter and count in SQL: the stage of life, and whether a
    # source says the project was mainstreamed.
    status: Mapped[ProjectStatus] = mapped_column(
        enum_column(ProjectStatus, "project_status"), index=True
    )
    mainstreamed: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), index=True
    )

    texts: Mapped[list[ProjectTitle]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProjectTitle.language"
    )
    predecessor: Mapped[Project | None] = relationship(remote_side=[id])
    approved_session: Mapped[CdipSession | None] = relationship()
    sector: Mapped[Sector | None] = relationship()
    proposers: Mapped[list[ProjectProposer]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectProposer.position"
    )
    beneficiaries: Mapped[list[ProjectBeneficiary]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectBeneficiary.position"
    )
    recommendation_links: Mapped[list[ProjectRecommendation]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectRecommendation.recommendation_number"
    )
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary="project_recommendation", order_by="Recommendation.number", viewonly=True
    )
    status_history: Mapped[list[ProjectStatusChange]] = relationship(
        cascade="all, delete-orphan",
        order_by="ProjectStatusChange.id",
    )
    outputs: Mapped[list[ProjectOutput]] = relationship(cascade="all, delete-orphan")
    # The documents are written through their link rows, which are change-logged; the
    # budget and fact sources are relationships too, so that deleting a project logs
    # every row it takes along.
    document_links: Mapped[list[ProjectDocument]] = relationship(cascade="all, delete-orphan")
    documents: AssociationProxy[list[Document]] = association_proxy(
        "document_links", "document", creator=lambda document: ProjectDocument(document=document)
    )
    budget: Mapped[ProjectBudget | None] = relationship(cascade="all, delete-orphan")
    fact_sources: Mapped[list[ProjectFactSource]] = relationship(cascade="all, delete-orphan")

    @property
    def states(self) -> list[ProjectStatus]:
        """Every state the sources assert holds now: the stage, and "mainstreamed"."""
        return [self.status, *([ProjectStatus.MAINSTREAMED] if self.mainstreamed else [])]


class ProjectTitle(ChangeLogged, TranslationMixin, Base):
    __tablename__ = "project_title"
    __changelog_parent__ = "project_id"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )


class _ActorLink:
    """A link to either a country or a group of states (never both, never neither)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_as_printed: Mapped[str | None] = mapped_column(String(200))
    country_alpha3: Mapped[str | None] = mapped_column(ForeignKey("country.alpha3"))
    group_code: Mapped[str | None] = mapped_column(ForeignKey("actor_group.code"))


_ONE_ACTOR = "(country_alpha3 IS NULL) <> (group_code IS NULL)"


class ProjectProposer(ChangeLogged, _ActorLink, Base):
    __tablename__ = "project_proposer"
    __changelog_parent__ = "project_id"
    __table_args__ = (CheckConstraint(_ONE_ACTOR, name="one_actor"),)

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    source_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_location.id", ondelete="SET NULL")
    )
    country: Mapped[Country | None] = relationship(lazy="joined")
    group: Mapped[ActorGroup | None] = relationship(lazy="joined")


class ProjectBeneficiary(ChangeLogged, _ActorLink, Base):
    __tablename__ = "project_beneficiary"
    __changelog_parent__ = "project_id"
    __table_args__ = (CheckConstraint(_ONE_ACTOR, name="one_actor"),)

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    source_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_location.id", ondelete="SET NULL")
    )
    country: Mapped[Country | None] = relationship(lazy="joined")
    group: Mapped[ActorGroup | None] = relationship(lazy="joined")


class ProjectRecommendation(ChangeLogged, Base):
    __tablename__ = "project_recommendation"
    __changelog_parent__ = "project_id"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    recommendation_number: Mapped[int] = mapped_column(
        ForeignKey("recommendation.number"), primary_key=True, index=True
    )
    source_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_location.id", ondelete="SET NULL")
    )


class ProjectDocument(ChangeLogged, Base):
    __tablename__ = "project_document"
    __changelog_parent__ = "project_id"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )

    document: Mapped[Document] = relationship(overlaps="project_links")


class ProjectStatusChange(ChangeLogged, Base):
    """One statement of a project's state, with where it is made and how it is placed in
    time: a change (dated when the text dates it), the state at a year's end, or a state
    a year's report gives without a date."""

    __tablename__ = "project_status_change"
    __changelog_parent__ = "project_id"
    __table_args__ = (UniqueConstraint("project_id", "status", "source_location_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ProjectStatus] = mapped_column(enum_column(ProjectStatus, "project_status"))
    kind: Mapped[StatementKind] = mapped_column(
        enum_column(StatementKind, "statement_kind"),
        default=StatementKind.EVENT,
        server_default=StatementKind.EVENT.value,
    )
    as_of_year: Mapped[int | None] = mapped_column(Integer)
    on_date: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[DatePrecision | None] = mapped_column(
        enum_column(DatePrecision, "date_precision")
    )
    source_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_location.id", ondelete="SET NULL")
    )


class ProjectOutput(ChangeLogged, Base):
    """A study, guide or tool a project produced."""

    __tablename__ = "project_output"
    __changelog_parent__ = "project_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[OutputKind] = mapped_column(enum_column(OutputKind, "output_kind"))
    title: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    url: Mapped[str | None] = mapped_column(Text)
    source_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_location.id", ondelete="SET NULL")
    )


class ProjectBudget(ChangeLogged, Base):
    """The budget approved for a project, in Swiss francs (WIPO budgets in CHF)."""

    __tablename__ = "project_budget"
    __changelog_parent__ = "project_id"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    amount_chf: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    source_location_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_location.id", ondelete="SET NULL")
    )


class ProjectFactSource(ChangeLogged, Base):
    """Where a single-valued fact of a project (code, approving session, sector, dates) is
    stated, when an import stated it: the project row has no room for one per column."""

    __tablename__ = "project_fact_source"
    __changelog_parent__ = "project_id"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    fact: Mapped[str] = mapped_column(String(32), primary_key=True)  # the column's name
    source_location_id: Mapped[int] = mapped_column(
        ForeignKey("source_location.id", ondelete="CASCADE"), index=True
    )
