"""The words an edition prints around the data, one dict per language.

Values are `str.format` templates; every language has the same keys.
"""

from __future__ import annotations

from devagenda.core.errors import InputError

ZH = {
    "report_title": "总干事关于{year}年度发展议程落实情况的报告",
    "annexes_title": "总干事关于{year}年度发展议程落实情况的报告：附件",
    "annex_one": "附件一",
    "annex_two": "附件二",
    "annex_one_title": "45项发展议程建议与产权组织2022/26年预期成果的联系",
    "annex_two_title": "截至{year}年的发展议程项目一览表",
    "recommendation_column": "建议",
    "text_column": "案文",
    "expected_results_column": "与预期成果的联系",
    "recommendation": "建议{number}",
    "immediate_legend": "* 带星号的发展议程建议为2007年大会指明须予立即落实的建议。",
    "row_column": "序号",
    "project_column": "项目",
    "group_completed_evaluated": "已完成且已经审评的发展议程项目（{count}个）",
    "group_ongoing": "截至{year}年12月仍在实施的发展议程项目（{count}个）",
    "group_approved": "{year}年批准的发展议程项目（{count}个）",
    "chapter": "{numeral}、{title}",
    "footnotes": "脚注",
    "back_to_text": "返回正文",
    "fallback_note": "（{language}：数据库中没有中文文本）",
    "fallback_notice": "数据库中没有中文文本的内容（{count}处）以其他语言给出，并在原处注明。",
    "report_fallback_notice": "数据库中没有本报告的中文版，以下正文为{language}版。",
    "unofficial_notice": "以下内容为devagenda项目的非正式译文，并非产权组织的正式文本：{items}。",
    "unofficial_recommendations": "建议案文（{count}条）",
    "unofficial_expected_results": "预期成果标题（{count}个）",
    "unofficial_projects": "项目名称（{count}个）",
    "list_separator": "；",
    "language_zh": "中文",
    "language_en": "英文",
    "language_ar": "阿拉伯文",
    "language_es": "西班牙文",
    "language_fr": "法文",
    "language_ru": "俄文",
    "cover_letter": "C",
    "original_language": "原文：{language}",
    "document_date": "日期：{date}",
    "committee": "发展与知识产权委员会（CDIP）",
    "session": "第{ordinal}届会议",
    "place_and_dates": "{dates}，{place}",
    "prepared_by": "秘书处编拟",
    "decision": "决定段落：{text}",
    "not_stated": "未说明",
    "secretariat": "产权组织秘书处",
    "generated_by": "由devagenda根据知识库重新生成",
    "symbol_not_stated": "文件编号未说明",
    "date": "{year}年{month}月{day}日",
    "date_range_same_year": "{year}年{month}月{day}日至{end_month}月{end_day}日",
    "date_range": "{year}年{month}月{day}日至{end_year}年{end_month}月{end_day}日",
    "running_head": "{symbol} 第{page}页",
    # An annex numbers its own pages; its first page carries the annex's name alone.
    "annex_running_head": "{symbol} {annex}第{page}页",
    "annex_first_running_head": "{symbol} {annex}",
    "annexes_follow": "[后接附件]",
    "end_of_document": "[文件完]",
    "corrected_notice": (
        "本版为校正版：附件一中有{count}处预期成果标题与报告所印措辞不同，已改为标准标题，"
        "并在原处注明报告原文。"
    ),
    "corrected_note": "（校正：报告此处印作“{printed}”）",
}

EN = {
    "report_title": "Director General's Report on Implementation of the Development Agenda, {year}",
    "annexes_title": (
        "Director General's Report on Implementation of the Development Agenda, {year}: Annexes"
    ),
    "annex_one": "Annex I",
    "annex_two": "Annex II",
    "annex_one_title": (
        "Links between the 45 Development Agenda recommendations and WIPO's expected results "
        "for 2022/26"
    ),
    "annex_two_title": "Development Agenda projects as of {year}",
    "recommendation_column": "Recommendation",
    "text_column": "Text",
    "expected_results_column": "Links to expected results",
    "recommendation": "Recommendation {number}",
    "immediate_legend": (
        "* Starred recommendations are those the 2007 General Assembly identified for "
        "immediate implementation."
    ),
    "row_column": "No.",
    "project_column": "Project",
    "group_completed_evaluated": "Completed and evaluated DA projects ({count})",
    "group_ongoing": "DA projects still ongoing at December {year} ({count})",
    "group_approved": "DA projects approved in {year} ({count})",
    "chapter": "{numeral}. {title}",
    "footnotes": "Notes",
    "back_to_text": "Back to text",
    "fallback_note": "({language}: no English text in the database)",
    "fallback_notice": (
        "Texts without an English version in the database ({count}) are given in another "
        "language and marked where they occur."
    ),
    "report_fallback_notice": (
        "The database holds no English edition of this report; the text below is the "
        "{language} edition."
    ),
    "unofficial_notice": (
        "Unofficial translations by the devagenda project, not official WIPO texts: {items}."
    ),
    "unofficial_recommendations": "recommendation texts ({count})",
    "unofficial_expected_results": "expected result titles ({count})",
    "unofficial_projects": "project titles ({count})",
    "list_separator": "; ",
    "language_zh": "Chinese",
    "language_en": "English",
    "language_ar": "Arabic",
    "language_es": "Spanish",
    "language_fr": "French",
    "language_ru": "Russian",
    "cover_letter": "E",
    "original_language": "ORIGINAL: {language}",
    "document_date": "DATE: {date}",
    "committee": "Committee on Development and Intellectual Property (CDIP)",
    "session": "{ordinal} Session",
    "place_and_dates": "{place}, {dates}",
    "prepared_by": "prepared by the Secretariat",
    "decision": "Decision paragraph: {text}",
    "not_stated": "not stated",
    "secretariat": "WIPO Secretariat",
    "generated_by": "Regenerated by devagenda from its knowledge base",
    "symbol_not_stated": "symbol not stated",
    "date": "{month_name} {day}, {year}",
    "date_range_same_year": "{month_name} {day} to {end_month_name} {end_day}, {year}",
    "date_range": "{month_name} {day}, {year} to {end_month_name} {end_day}, {end_year}",
    "running_head": "{symbol} page {page}",
    "annex_running_head": "{symbol} {annex}, page {page}",
    "annex_first_running_head": "{symbol} {annex}",
    "annexes_follow": "[Annexes follow]",
    "end_of_document": "[End of document]",
    "corrected_notice": (
        "Corrected edition: {count} expected-result titles in Annex I that the report prints "
        "in another wording are given in their standard form; each is marked with the "
        "report's wording."
    ),
    "corrected_note": "(corrected: the report prints “{printed}”)",
}

LABELS = {"zh": ZH, "en": EN}


def labels_for(language: str) -> dict[str, str]:
    try:
        return LABELS[language]
    except KeyError:
        known = ", ".join(LABELS)
        raise InputError(
            f"no edition labels for language {language!r} (known: {known})", field="language"
        ) from None
