"""The figure reader's work grows in proportion to its input, however odd the text.

Work is counted, not timed: `read_figures` reports how many characters its scans examined,
the same on every machine (timings are in bench/bench_figures.py)."""

from __future__ import annotations

import pytest

from devagenda.reports.ingest.document import Location
from devagenda.reports.ingest.figures import read_figures

HERE = Location(line=1, paragraph=1)


def one_long_sentence(n: int) -> str:
    """n counts in one sentence without a stop: the case that was quadratic."""
    return (
        "2023年，产权组织" + "和".join(f"为{i % 997 + 2}名学员" for i in range(n)) + "提供了支持。"
    )


def bare_numbers(n: int) -> str:
    """n comma-grouped numbers with no measure word or noun, each one looked back from."""
    return "访问量增至" + "、".join(f"{i % 900 + 100},{i % 900 + 100}" for i in range(n))


def many_footnotes(n: int) -> tuple[str, tuple[int, ...]]:
    """n counts each followed by a footnote marker (given as break offsets)."""
    pieces, breaks, length = [], [], 0
    for i in range(n):
        piece = f"{i % 90 + 10}个国家"
        pieces.append(piece)
        length += len(piece)
        breaks.append(length)
    return "".join(pieces) + "。", tuple(breaks)


def english_sentence(n: int) -> str:
    return "In 2023 WIPO trained " + " and ".join(f"{i % 900 + 2} participants" for i in range(n))


@pytest.mark.parametrize(
    "make",
    [one_long_sentence, bare_numbers, english_sentence],
    ids=["one long sentence", "bare numbers", "english"],
)
def test_work_doubles_when_the_input_doubles(make) -> None:  # type: ignore[no-untyped-def]
    english = make is english_sentence
    small = read_figures(make(4_000), HERE, 2023, english=english)
    large = read_figures(make(8_000), HERE, 2023, english=english)
    assert len(small.figures) >= 4_000
    assert len(large.figures) == 2 * len(small.figures)
    assert large.scanned / small.scanned < 2.1


def test_work_per_figure_is_bounded_with_many_footnote_markers() -> None:
    text, breaks = many_footnotes(4_000)
    small = read_figures(text, HERE, 2023, breaks=breaks)
    text, breaks = many_footnotes(8_000)
    large = read_figures(text, HERE, 2023, breaks=breaks)
    assert [f.counts for f in large.figures[:2]] == ["国家", "国家"]
    assert len(large.figures) == 2 * len(small.figures) == 8_000
    assert large.scanned / small.scanned < 2.1


def test_the_long_sentence_is_read_right() -> None:
    figures = read_figures(one_long_sentence(50), HERE, 2023).figures
    assert len(figures) == 50
    assert all((f.unit, f.counts, f.year) == ("名", "学员", 2023) for f in figures)
