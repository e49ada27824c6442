"""Bar charts drawn by the server as inline SVG: no script, no library, readable offline.

Each bar's label sits on its own line above the bar, so long Chinese or English labels
never collide and the chart stays legible when a phone scales it down. The chart is one
image to assistive technology (`role="img"`), named by its `<title>` and described by a
`<desc>` that states every value; pages also give the numbers as a table with links.
Colours come from the stylesheet (classes), so high-contrast modes can override them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

# About the width a chart gets in a dashboard column or on a phone, so that text is drawn
# near its stylesheet size (LABEL_SIZE pixels).
WIDTH = 320
ROW_HEIGHT = 40
LABEL_BASELINE = 15  # from the top of a row
LABEL_SIZE = 13
BAR_TOP = 21
BAR_HEIGHT = 13
VALUE_ROOM = 40  # right of the longest bar, for its value


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    unknown: bool = False  # counts records that do not state the fact: drawn apart


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> Markup:
    """A horizontal bar chart; `chart_id` must be unique on the page (it names the SVG's
    title and description for `aria-labelledby`)."""
    height = ROW_HEIGHT * len(bars) + 4
    largest = max((bar.value for bar in bars), default=0) or 1
    rows = Markup("").join(_row(index, bar, largest) for index, bar in enumerate(bars))
    return Markup(
        '<svg class="chart" id="{id}" xmlns="http://www.w3.org/2000/svg" '
        'viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{description}</desc>'
        "{rows}</svg>"
    ).format(
        id=chart_id,
        width=WIDTH,
        height=height,
        title=title,
        description=description,
        rows=rows,
    )


def fit(label: str, width: int = WIDTH, size: int = LABEL_SIZE) -> str:
    """`label` cut to what fits in `width` pixels, with "…" (SVG text does not wrap).
    Estimated: wide (CJK) characters take a full em, others a little over half."""
    used = 0.0
    for position, character in enumerate(label):
        used += size * (1.0 if unicodedata.east_asian_width(character) in "WF" else 0.6)
        if used > width:
            return label[: max(position - 1, 0)] + "…"
    return label


def _row(index: int, bar: Bar, largest: int) -> Markup:
    top = index * ROW_HEIGHT
    length = round((WIDTH - VALUE_ROOM) * bar.value / largest)
    if bar.value and length < 2:
        length = 2  # a non-zero value stays visible
    return Markup(
        '<g class="chart-row">'
        '<text class="chart-label" x="0" y="{label_y}">{label}</text>'
        '<rect class="{bar_class}" x="0" y="{bar_y}" width="{length}" height="{bar_height}" '
        'rx="2"/>'
        '<text class="chart-value" x="{value_x}" y="{value_y}">{value}</text>'
        "</g>"
    ).format(
        label_y=top + LABEL_BASELINE,
        label=fit(bar.label),
        bar_class="chart-bar chart-bar-unknown" if bar.unknown else "chart-bar",
        bar_y=top + BAR_TOP,
        length=length,
        bar_height=BAR_HEIGHT,
        value_x=length + 6,
        value_y=top + BAR_TOP + BAR_HEIGHT - 2,
        value=bar.value,
    )
