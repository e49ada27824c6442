"""What the flexibilities database puts in the search index: one entry per provision and
language (zh, en), with the law, the category's name, the articles, the verbatim texts
and the Member State updates that concern it, under its jurisdiction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from devagenda.flexibilities.models import (
    FlexibilityCategory,
    MemberStateUpdate,
    Provision,
    ProvisionText,
    UpdateProvision,
)
from devagenda.search.registry import EntryData, Indexer, part_of, register

LANGUAGES = ("en", "zh")


def provision_entries(session: Session, provision: Provision) -> list[EntryData]:
    category = session.get(FlexibilityCategory, provision.category_code)
    updates = session.scalars(
        select(MemberStateUpdate)
        .join(UpdateProvision, UpdateProvision.update_id == MemberStateUpdate.id)
        .where(UpdateProvision.provision_id == provision.id)
    ).all()
    update_lines = [f"{u.communication_reference}: {u.summary}" for u in updates]
    texts = [text.text for text in provision.texts]
    entries = []
    for language in LANGUAGES:
        name = ""
        if category is not None:
            name = category.name_zh if language == "zh" else category.name_en
        entries.append(
            EntryData(
                language=language,
                title=f"{provision.law_title} — {name}" if name else provision.law_title,
                body="\n".join(
                    part for part in (provision.articles, *texts, *update_lines) if part
                ),
                url=f"/flexibilities/provisions/{provision.id}",
                year=provision.in_force_date.year if provision.in_force_date else None,
                countries=(provision.jurisdiction_alpha3,),
            )
        )
    return entries


register(
    Indexer(
        kind="flexibility_provision",
        model=Provision,
        build=provision_entries,
        parts={
            ProvisionText: part_of(Provision, lambda t: t.provision_id),
            UpdateProvision: part_of(Provision, lambda link: link.provision_id),
        },
        options=(selectinload(Provision.texts),),
    )
)
