"""The database-counted lists (devagenda.core.listing) on SQLite and PostgreSQL, over a
small table made here whose every figure the test also computes in Python: facets that
leave out their own choice, NULL as not stated, a facet through a link table, orders
with ties across pages, cursors, and exports of the whole filtered list."""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import ForeignKey, Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from devagenda.core import listing
from devagenda.core.errors import InputError
from devagenda.core.listing import (
    NOT_STATED,
    ColumnFacet,
    ConditionFacet,
    LinkFacet,
    ListSource,
    Selection,
    Sort,
)
from devagenda.core.pagination import Listing, contains_text, encode_position


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "listing_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(8))
    mode: Mapped[str | None] = mapped_column(String(8))
    size: Mapped[int | None] = mapped_column(Integer)


class ItemCountry(Base):
    __tablename__ = "listing_item_country"

    item_id: Mapped[int] = mapped_column(ForeignKey("listing_item.id"), primary_key=True)
    country: Mapped[str] = mapped_column(String(3), primary_key=True)


class ItemOut(BaseModel):
    id: int
    name: str
    kind: str
    mode: str | None
    size: int | None


KINDS = ("a", "b", "c")
MODES = ("x", "y", None)
COUNTRIES = ("UGA", "PER", "LKA")


def data() -> list[dict[str, Any]]:
    return [
        {
            "id": n,
            "name": f"item {n:02d}" + (" gastronomy" if n % 7 == 0 else ""),
            "kind": KINDS[n % 3],
            "mode": MODES[n % 5 % 3],
            "size": None if n % 4 == 0 else n % 6,  # many ties, and some not stated
            "countries": [c for i, c in enumerate(COUNTRIES) if n % (i + 2) == 0],
        }
        for n in range(1, 62)
    ]


@pytest.fixture(scope="module")
def db(databases) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    engine = create_engine(databases.new_url())
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        for row in data():
            session.add(Item(**{k: v for k, v in row.items() if k != "countries"}))
            session.add_all(ItemCountry(item_id=row["id"], country=c) for c in row["countries"])
        session.commit()
        yield session
    engine.dispose()


def source(session: Session) -> ListSource[ItemOut]:
    pairs = select(ItemCountry.item_id.label("owner"), ItemCountry.country.label("value"))
    rows = Listing(
        session,
        select(Item),
        Item.id,
        lambda _s, items: [ItemOut.model_validate(i, from_attributes=True) for i in items],
        lambda q: contains_text(q, Item.name),
    )
    return ListSource(
        rows,
        facets=(
            ColumnFacet("kind", Item.kind),
            ColumnFacet("mode", Item.mode),
            LinkFacet("country", Item.id, pairs, not_stated=True, unique_pairs=True),
            ConditionFacet("large", {"true": Item.size >= 4, "false": Item.size < 4}),
        ),
        sorts={"size": Sort(Item.size), "name": Sort(Item.name, nullable=False)},
    )


def expected_rows(**chosen: str) -> list[dict[str, Any]]:
    def passes(row: dict[str, Any], name: str, value: str) -> bool:
        if name == "country":
            return value in row["countries"] if value != NOT_STATED else not row["countries"]
        return (row[name] or NOT_STATED) == value

    return [r for r in data() if all(passes(r, n, v) for n, v in chosen.items())]


def test_a_facet_counts_over_the_other_filters_only(db: Session) -> None:
    chosen = {"kind": "a", "mode": "x"}
    counts = source(db).facet_counts(Selection(facets=chosen))
    assert counts["kind"] == dict(Counter(r["kind"] for r in expected_rows(mode="x")))
    assert counts["mode"] == dict(Counter(r["mode"] or NOT_STATED for r in expected_rows(kind="a")))
    assert source(db).total(Selection(facets=chosen)) == len(expected_rows(**chosen))


@pytest.mark.parametrize(
    "chosen",
    [{}, {"kind": "a"}, {"mode": NOT_STATED}, {"kind": "z"}, {"country": "UGA", "large": "true"}],
)
def test_the_total_read_off_a_column_facet_is_the_count(db: Session, chosen: dict) -> None:
    total, _ = source(db).counted(Selection(facets=chosen, q="item"))
    assert total == source(db).total(Selection(facets=chosen, q="item"))
    sizes = {"true": lambda n: n is not None and n >= 4}
    wanted = [
        r
        for r in expected_rows(**{k: v for k, v in chosen.items() if k != "large"})
        if "large" not in chosen or sizes[chosen["large"]](r["size"])
    ]
    assert total == len(wanted)


def test_null_is_counted_and_chosen_as_not_stated(db: Session) -> None:
    counts = source(db).facet_counts(Selection())["mode"]
    unstated = [r for r in data() if r["mode"] is None]
    assert counts[NOT_STATED] == len(unstated) > 0
    chosen = Selection(facets={"mode": NOT_STATED})
    assert [i.id for i in source(db).all(chosen)] == [r["id"] for r in unstated]


def test_a_facet_through_a_link_table(db: Session) -> None:
    selection = Selection(facets={"kind": "b"})
    counts = source(db).facet_counts(selection)["country"]
    rows = expected_rows(kind="b")
    wanted = Counter(c for r in rows for c in r["countries"])
    wanted[NOT_STATED] = sum(1 for r in rows if not r["countries"])
    assert counts == dict(wanted)
    both = Selection(facets={"kind": "b", "country": "PER"})
    assert [i.id for i in source(db).all(both)] == [
        r["id"] for r in expected_rows(kind="b", country="PER")
    ]
    own = source(db).facet_counts(Selection(facets={"country": "PER"}))["country"]
    assert own == source(db).facet_counts(Selection())["country"], "its own choice left out"


def test_a_condition_facet_counts_each_condition(db: Session) -> None:
    counts = source(db).facet_counts(Selection())["large"]
    sizes = [r["size"] for r in data() if r["size"] is not None]
    assert counts == {"true": sum(s >= 4 for s in sizes), "false": sum(s < 4 for s in sizes)}
    assert source(db).total(Selection(facets={"large": "maybe"})) == 0


def python_order(descending: bool) -> list[int]:
    known = sorted(
        (r for r in data() if r["size"] is not None), key=lambda r: r["size"], reverse=descending
    )
    return [r["id"] for r in known] + [r["id"] for r in data() if r["size"] is None]


@pytest.mark.parametrize("sort", ["size", "-size"])
def test_ties_keep_one_order_across_pages(db: Session, sort: str) -> None:
    """Walking the pages by cursor, by offset or as an export gives the same rows in the
    same order, each once: ties in key order, not stated last either way."""
    wanted = python_order(sort.startswith("-"))
    selection = Selection(sort=sort)
    by_cursor: list[int] = []
    cursor = None
    while True:
        page = source(db).page_after(selection, cursor=cursor, limit=7)
        by_cursor += [i.id for i in page.items]
        assert page.total == len(wanted)
        cursor = page.next_cursor
        if cursor is None:
            break
    by_offset = [
        i.id
        for start in range(0, 70, 7)
        for i in source(db).page_at(selection, offset=start, limit=7)
    ]
    exported = [i.id for i in source(db).all(selection, batch_size=5)]
    assert by_cursor == by_offset == exported == wanted


def test_an_order_python_gives_is_refused_beyond_its_limit(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    ordered = source(db).ordered_by({"name": lambda name: name[::-1]})
    wanted = sorted((r for r in data()), key=lambda r: r["name"][::-1])
    first = ordered.page_after(Selection(sort="name"), limit=40)
    rest = ordered.page_after(Selection(sort="name"), cursor=first.next_cursor, limit=40)
    assert [i.id for i in [*first.items, *rest.items]] == [r["id"] for r in wanted]
    monkeypatch.setattr(listing, "PYTHON_ORDER_LIMIT", 10)
    with pytest.raises(InputError, match="cannot sort 61 rows by 'name'"):
        ordered.page_at(Selection(sort="name"), offset=0)


def test_cursor_round_trip_and_forged_cursors(db: Session) -> None:
    selection = Selection(sort="-size", facets={"kind": "c"})
    first = source(db).page_after(selection, limit=3)
    assert first.next_cursor is not None
    second = source(db).page_after(selection, cursor=first.next_cursor, limit=3)
    assert [i.id for i in [*first.items, *second.items]] == [
        i for i in python_order(True) if i in {r["id"] for r in expected_rows(kind="c")}
    ][:6]
    forged = [
        "garbage!",
        encode_position({"sort": "size", "after": [3, 5]}),  # another order's cursor
        encode_position({"sort": "-size", "after": ["three", 5]}),
        encode_position({"sort": "-size", "after": [3, 2**40]}),
        encode_position({"sort": "-size", "after": [3]}),
        encode_position({"sort": "-size", "after": [3, None]}),
        encode_position({"sort": "-size"}),
    ]
    for cursor in forged:
        with pytest.raises(InputError) as refused:
            source(db).page_after(selection, cursor=cursor)
        assert refused.value.field == "cursor", cursor


def test_facets_in_a_page_and_unknown_names(db: Session) -> None:
    page = source(db).page_after(Selection(q="gastronomy"), limit=2)
    rows = [r for r in data() if "gastronomy" in r["name"]]
    assert page.total == len(rows) and len(page.items) == 2
    kinds = {f.value: f.count for f in page.facets["kind"]}
    assert kinds == dict(Counter(r["kind"] for r in rows))
    assert [f.count for f in page.facets["kind"]] == sorted(kinds.values(), reverse=True)
    with pytest.raises(InputError, match="cannot sort by 'colour'"):
        source(db).order("-colour")
    with pytest.raises(InputError, match="no facet"):
        source(db).total(Selection(facets={"colour": "red"}))


def test_an_export_streams_the_whole_filtered_list(db: Session) -> None:
    selection = Selection(facets={"country": "UGA"}, sort="name")
    exported = source(db).all(selection, batch_size=4)
    assert inspect.isgenerator(exported), "rows are read a batch at a time, not all at once"
    wanted = sorted(expected_rows(country="UGA"), key=lambda r: r["name"])
    assert [i.id for i in exported] == [r["id"] for r in wanted]
    assert len(wanted) > 4 * 3
