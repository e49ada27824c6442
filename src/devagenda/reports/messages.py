"""The checker's messages in every UI language, from one catalogue of templates.

A check says what it found as a `Message`: a key into `TEMPLATES` and the parameters the
template fills in. Text quoted from the report is a parameter and is never translated; a
phrase that is itself worded per language (where in the report, a numbering problem, an
Annex II group) is a nested `Message`. Findings are stored as key and parameters, so a
page renders them in its reader's language, and an improved wording reaches findings
stored before it.

Templates are `str.format` strings. An English template may instead be a pair of forms
{"one": …, "other": …} chosen by the parameter ``count``; ``{name!u}`` capitalizes the
first letter of what it inserts.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("en", "zh")

Template = str | dict[str, str]

TEMPLATES: dict[str, dict[str, Template]] = {
    # -- shared phrases: where in the report, and how a sequence breaks
    "place.paragraph": {"en": "paragraph {paragraph}", "zh": "第{paragraph}段"},
    "place.sub_item": {
        "en": "paragraph {paragraph} {sub_item}",
        "zh": "第{paragraph}段{sub_item}项",
    },
    "place.footnote": {"en": "footnote {footnote}", "zh": "脚注{footnote}"},
    "place.line": {"en": "line {line}", "zh": "文件第{line}行"},
    "place.annex_recommendation": {
        "en": "{annex}, recommendation {row}",
        "zh": "{annex}建议{row}",
    },
    "place.annex_row": {"en": "{annex} row {row}", "zh": "{annex}第{row}行"},
    "annex.I": {"en": "Annex I", "zh": "附件一"},
    "annex.II": {"en": "Annex II", "zh": "附件二"},
    "sequence.repeated": {"en": "{number} is used a second time", "zh": "编号{number}被第二次使用"},
    "sequence.reversed": {
        "en": "{number} comes after {previous}, out of order",
        "zh": "编号{number}排在{previous}之后，顺序颠倒",
    },
    "sequence.gap": {
        "en": "{number} comes where {missing} should be",
        "zh": "编号{number}出现在本应是{missing}的位置",
    },
    "numeral.arabic": {"en": "Arabic", "zh": "阿拉伯"},
    "numeral.roman": {"en": "Roman", "zh": "罗马"},
    "numeral.chinese": {"en": "Chinese", "zh": "汉字"},
    # Annex II groups, as the checker names them when it has no heading to quote
    "group.completed_evaluated": {"en": "completed_evaluated", "zh": "已完成并评估"},
    "group.ongoing": {"en": "ongoing", "zh": "正在实施"},
    "group.approved": {"en": "approved", "zh": "已批准"},
    # what the narrative says happened to a project
    "event.approved": {"en": "approved", "zh": "已批准"},
    "event.ongoing": {"en": "ongoing", "zh": "正在实施"},
    "event.completed": {"en": "completed", "zh": "已完成"},
    "event.evaluated": {"en": "evaluated", "zh": "已评估"},
    "event.mainstreamed": {"en": "mainstreamed", "zh": "已纳入主流"},
    "event.quoted": {"en": "“{event}”", "zh": "“{event}”"},
    # the parts every report has (the loader's rule, reports/ingest/completeness.py)
    "part.paragraphs": {"en": "numbered paragraphs (“1. …”)", "zh": "编号段落（“1. …”）"},
    "part.chapters": {
        "en": "sector chapters (“一、区域和国家发展部门”, “I. REGIONAL AND …”)",
        "zh": "部门章节（“一、区域和国家发展部门”，“I. REGIONAL AND …”）",
    },
    "part.annex_one": {
        "en": "Annex I (recommendations linked to expected results)",
        "zh": "附件一（建议与预期成果的对应）",
    },
    "part.annex_two": {
        "en": "Annex II (the list of Development Agenda projects)",
        "zh": "附件二（发展议程项目清单）",
    },
    "part.year": {
        "en": "the year it covers (“2023年度…”, “…for 2023” in paragraph 1)",
        "zh": "所涉年份（第1段中的“2023年度…”或“…for 2023”）",
    },
    "part.language": {
        "en": "text in one language (too few letters to tell)",
        "zh": "单一语言的文本（文字太少，无法判断）",
    },
    # -- DA-STR: structure
    "structure.missing_part": {
        "en": "The report has no {part}: `devagenda ingest` refuses it unless --partial is given.",
        "zh": "报告缺少{part}：`devagenda ingest`会拒绝载入，除非指定 --partial。",
    },
    "structure.missing_required_part": {
        "en": "The report has no {part}: `devagenda ingest` refuses it.",
        "zh": "报告缺少{part}：`devagenda ingest`会拒绝载入。",
    },
    # -- DA-NUM: numbering
    "numbering.paragraphs": {
        "en": "Paragraph numbering: {problem}.",
        "zh": "段落编号：{problem}。",
    },
    "numbering.chapters": {
        "en": "Chapter numbering at {heading}: {problem}.",
        "zh": "章节编号（{heading}）：{problem}。",
    },
    "numbering.numeral_style": {
        "en": "Chapter {number} {heading} is numbered “{numeral}” ({style} numeral) while the "
        "other {others} chapters use {usual} numerals (e.g. “{example_numeral}” for {example}).",
        "zh": "第{number}章{heading}编号为“{numeral}”（{style}数字），而其他{others}章使用"
        "{usual}数字（如{example}编号为“{example_numeral}”）。",
    },
    "numbering.list_sequence": {
        "en": "In the list {labels} of {place}, {problem}: {context}.",
        "zh": "{place}的列表{labels}中，{problem}：{context}。",
    },
    "numbering.list_style": {
        "en": "The list in {place} mixes label shapes: {labels}, as in {first} and {odd}.",
        "zh": "{place}的列表混用了不同的编号格式：{labels}，如{first}和{odd}。",
    },
    "numbering.bullets": {
        "en": "Recommendation {number} in Annex I bullets {count} items with “{usual}” but "
        "{odd} with “{odd_bullet}”.",
        "zh": "附件一中建议{number}有{count}项使用项目符号“{usual}”，但{odd}使用“{odd_bullet}”。",
    },
    "numbering.annex_one": {
        "en": "Annex I recommendation numbering: {problem}.",
        "zh": "附件一建议编号：{problem}。",
    },
    "numbering.annex_two": {
        "en": "Annex II row numbering in group “{group}”: {problem}.",
        "zh": "附件二“{group}”组的行号：{problem}。",
    },
    # -- DA-FTN: footnotes
    "footnotes.no_text": {
        "en": "Footnote {number} is referenced but the document has no text for it.",
        "zh": "正文引用了脚注{number}，但文件中没有该脚注的文本。",
    },
    "footnotes.not_referenced": {
        "en": "Footnote {number} has a text but is not referenced anywhere: {text}.",
        "zh": "脚注{number}有文本，但正文中没有任何地方引用它：{text}。",
    },
    "footnotes.numbering": {
        "en": "Footnote numbering: footnote {problem}.",
        "zh": "脚注编号：{problem}。",
    },
    "footnotes.reference_order": {
        "en": "Footnote {number} is first referenced after footnote {previous}.",
        "zh": "脚注{number}首次被引用的位置在脚注{previous}之后。",
    },
    "footnotes.referenced_twice": {
        "en": "Footnote {number} is referenced a second time (first at line {first_line}).",
        "zh": "脚注{number}被第二次引用（首次引用在文件第{first_line}行）。",
    },
    # -- DA-NAM: names
    "names.expected_result_title": {
        "en": {
            "one": "Expected result {code} is titled {title} in Annex I for recommendation "
            "{rows}, but {usual} for the {others} others (recommendations {usual_rows}).",
            "other": "Expected result {code} is titled {title} in Annex I for recommendations "
            "{rows}, but {usual} for the {others} others (recommendations {usual_rows}).",
        },
        "zh": "附件一中预期成果{code}在建议{rows}中名为{title}，但在其他{others}项建议"
        "（建议{usual_rows}）中名为{usual}。",
    },
    "names.programme_variant": {
        "en": "The name is printed “{text}” in {place}{repeated}, but “{usual}” {usual_times} "
        "elsewhere (first in {usual_place}).",
        "zh": "该名称在{place}写作“{text}”{repeated}，而其他地方写作“{usual}”{usual_times}"
        "（首见于{usual_place}）。",
    },
    "names.times": {"en": {"one": "{count} time", "other": "{count} times"}, "zh": "共{count}次"},
    "names.times_aside": {"en": " ({count} times)", "zh": "（共{count}次）"},
    "names.project_variant": {
        "en": "{place!u} names the project {title}, but Annex II (row {row} of {group}) calls "
        "it {annex_title}.",
        "zh": "{place}所称的项目为{title}，但附件二（{group}第{row}行）称之为{annex_title}。",
    },
    "names.unknown_country": {
        "en": "“{name}” stands in a list of countries but is not a country name we know.",
        "zh": "“{name}”列在国家名单中，但不是已知的国家名称。",
    },
    "names.unknown_country_suggestion": {
        "en": "“{name}” stands in a list of countries but is not a country name we know; did "
        "you mean “{suggestion}”?",
        "zh": "“{name}”列在国家名单中，但不是已知的国家名称；是否应为“{suggestion}”？",
    },
    # -- DA-CNT: counts
    "counts.list": {
        "en": "The text says {stated} but then lists {count}: {listed}.",
        "zh": "正文称{stated}，但随后列出{count}项：{listed}。",
    },
    "counts.footnote": {
        "en": "The text says {stated} with footnote {footnote}, but the footnote gives "
        "{count}: {listed}.",
        "zh": "正文称{stated}并加注脚注{footnote}，但该脚注给出{count}项：{listed}。",
    },
    "counts.annex_group": {
        "en": "Annex II heading {heading} states {stated} projects but the group has {rows} rows.",
        "zh": "附件二标题{heading}称有{stated}个项目，但该组有{rows}行。",
    },
    "counts.project_total": {
        "en": "The text says {stated} but {rows_of} has {rows} rows.",
        "zh": "正文称{stated}，但{rows_of}有{rows}行。",
    },
    "counts.all_of_annex_two": {"en": "all of Annex II", "zh": "附件二全部"},
    "counts.ongoing_group": {"en": "the ongoing group of Annex II", "zh": "附件二正在实施组"},
    "counts.approved_group": {"en": "the approved group of Annex II", "zh": "附件二已批准组"},
    "counts.recommendations": {
        "en": "The text says {stated} but Annex I has {count} recommendations.",
        "zh": "正文称{stated}，但附件一有{count}项建议。",
    },
    "counts.starred_recommendations": {
        "en": "The text says {stated} but Annex I has {count} starred recommendations.",
        "zh": "正文称{stated}，但附件一有{count}项标星号（须立即落实）的建议。",
    },
    "counts.figure_differs": {
        "en": "{printed} ({name}) differs from {first} in paragraph {paragraph} (line {line}).",
        "zh": "{printed}（{name}）与第{paragraph}段（文件第{line}行）的{first}不一致。",
    },
    "counts.figure_differs_in_year": {
        "en": "{printed} ({name}, {year}) differs from {first} in paragraph {paragraph} (line "
        "{line}).",
        "zh": "{printed}（{name}，{year}年）与第{paragraph}段（文件第{line}行）的{first}不一致。",
    },
    "counts.breakdown": {
        "en": "{total} is broken down into {parts} = {added:g}, not {value:g}.",
        "zh": "{total}被分解为{parts} = {added:g}，而不是{value:g}。",
    },
    # -- DA-STA: status
    "status.annex_row": {"en": "{group} row {row} {title}", "zh": "{group}组第{row}行{title}"},
    "status.section": {
        "en": "{title} is described under {section} but Annex II lists it as {rows}.",
        "zh": "{title}在{section}下介绍，但附件二将其列为{rows}。",
    },
    "status.beyond_year_end": {
        "en": "The narrative says {evidence} for {title}, but Annex II lists it under {group} "
        "(row {row}), its state at the end of {year}; the project is shown as {event}, with "
        "the conflict noted.",
        "zh": "正文就{title}称{evidence}，但附件二将其列在{group}下（第{row}行），即其{year}年底的"
        "状态；该项目显示为“{event}”，并注明这一矛盾。",
    },
    "status.approval_missing": {
        "en": "{title} is listed as approved by CDIP {session} but is not in {group} of Annex II.",
        "zh": "{title}被列为由CDIP第{session}届会议批准，但不在附件二的{group}中。",
    },
}

# How a list parameter is joined: phrases by semicolons, plain values by commas.
_SEPARATORS = {
    "en": {"phrases": "; ", "values": ", "},
    "zh": {"phrases": "；", "values": "、"},
}


class _Formatter(string.Formatter):
    """`str.format` with one more conversion: ``!u`` capitalizes the first letter."""

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "u":
            text = str(value)
            return text[:1].upper() + text[1:]
        return super().convert_field(value, conversion)


_FORMATTER = _Formatter()


@dataclass(frozen=True)
class Message:
    """A key into `TEMPLATES` and its parameters: text, numbers, lists and nested messages."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, language: str = "en") -> str:
        template = TEMPLATES[self.key][language]
        if isinstance(template, dict):
            template = template["one" if self.params.get("count") == 1 else "other"]
        values = {name: _render(value, language) for name, value in self.params.items()}
        return _FORMATTER.format(template, **values)

    def to_json(self) -> dict[str, Any]:
        """Key and parameters as JSON: a nested message is an object with a key."""
        return {"key": self.key, "params": {k: _to_json(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        return cls(data["key"], {k: _from_json(v) for k, v in data.get("params", {}).items()})

    def keys(self) -> set[str]:
        """This message's key and those of the messages nested in it."""
        found = {self.key}
        for value in self.params.values():
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, Message):
                    found |= item.keys()
        return found


def message(key: str, **params: Any) -> Message:
    """A message; lists become tuples so that findings compare and hash alike."""
    if key not in TEMPLATES:
        raise KeyError(f"no template for the checker message {key!r}")
    return Message(key, {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()})


def _render(value: Any, language: str) -> Any:
    if isinstance(value, Message):
        return value.render(language)
    if isinstance(value, tuple):
        kind = "phrases" if any(isinstance(item, Message) for item in value) else "values"
        return _SEPARATORS[language][kind].join(str(_render(item, language)) for item in value)
    return value


def _to_json(value: Any) -> Any:
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, tuple):
        return [_to_json(item) for item in value]
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        return Message.from_json(value)
    if isinstance(value, list):
        return tuple(_from_json(item) for item in value)
    return value


def stored_text(key: str | None, params: Mapping[str, Any] | None, language: str) -> str | None:
    """A stored message in `language`; None when it has no key, or one that this version's
    catalogue no longer knows or words with other parameters (the stored English stands)."""
    if key is None or key not in TEMPLATES:
        return None
    try:
        return Message.from_json({"key": key, "params": params or {}}).render(language)
    except (KeyError, IndexError, ValueError, TypeError):
        return None


def placeholders(template: Template) -> set[str]:
    """The parameter names a template uses (all forms of a plural template)."""
    forms = template.values() if isinstance(template, dict) else (template,)
    return {name for form in forms for _, name, _, _ in _FORMATTER.parse(form) if name}
