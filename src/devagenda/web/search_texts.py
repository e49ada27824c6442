"""The search page's own strings, in each interface language: the syntax help, what the
notices and suggestions say, and labels of facet values the shared catalog lacks."""

from __future__ import annotations

SYNTAX_EXAMPLES = (
    ("women entrepreneurs", "syntax_all"),
    ('"technical assistance"', "syntax_phrase"),
    ("「美食旅游」", "syntax_phrase_zh"),
    ("wom*", "syntax_prefix"),
    ("women OR men", "syntax_or"),
    ("-women", "syntax_not"),
    ("Uganda", "syntax_names"),
)

ZH = {
    "syntax_title": "检索语法",
    "syntax_all": "包含所有词语；英文词形变化也算（woman、entrepreneurship）",
    "syntax_phrase": "按此顺序紧挨出现的词语",
    "syntax_phrase_zh": "中文短语须原样出现（也可用英文引号）",
    "syntax_prefix": "以 wom 开头的词",
    "syntax_or": "任一词语",
    "syntax_not": "不含该词的记录（也可写 NOT women）",
    "syntax_names": "国家、集团、建议和项目的名称也按另一种语言查找（乌干达）",
    "names_found": "以下名称也按其他语言名称查找：{names}",
    "suggest_title": "可以尝试：",
    "suggest_item": "{query}（{count}条结果）",
    "without_filters": "去掉筛选条件可找到{count}条结果：",
    "remove_all_filters": "清除所有筛选",
    "none_tips": "请检查拼写，减少词语，或用 * 查找词的开头。",
    "notice_truncated": "检索词过长，只检索了前200个字符。",
    "notice_dangling_or": "OR 两边都需要词语，已忽略。",
    "notice_double_not": "NOT NOT 按一个 NOT 处理。",
    "notice_dangling_not": "NOT 或 - 后面需要词语，已忽略。",
    "notice_unclosed_quote": "引号未闭合：其后的词语已逐个检索。",
    "notice_empty_phrase": "引号中没有词语。",
    "notice_brackets": "括号不能分组，已忽略；表示“或”请写 women OR men。",
    "notice_star_inside": "* 只能放在词尾。",
    "notice_short_prefix": "带 * 的词在 * 前至少需要2个字符，已忽略。",
    "notice_no_words": "此部分不含文字或数字，已忽略。",
    "notice_nothing_to_search": "检索词中没有可检索的词语。",
    "notice_index_outdated": "搜索索引由旧版本建立，可能遗漏记录：请运行 devagenda init 重建。",
    "kind_group": "集团",
    "status_immediate": "须立即落实",
}

EN = {
    "syntax_title": "How to search",
    "syntax_all": "all the words, in any form (woman, entrepreneurship)",
    "syntax_phrase": "the words next to each other, in this order",
    "syntax_phrase_zh": "a Chinese phrase exactly as written (straight quotes work too)",
    "syntax_prefix": "words starting with wom",
    "syntax_or": "either word",
    "syntax_not": "records without the word (or: NOT women)",
    "syntax_names": "names of countries, groups, recommendations and projects are also "
    "searched in the other language (乌干达)",
    "names_found": "Also searched under their names in other languages: {names}",
    "suggest_title": "Try:",
    "suggest_item": "{query} ({count} results)",
    "without_filters": "Without the filters, {count} results:",
    "remove_all_filters": "remove all filters",
    "none_tips": "Check the spelling, use fewer words, or end a word with * to find "
    "words starting with it.",
    "notice_truncated": "The query was too long: only its first 200 characters were searched.",
    "notice_dangling_or": "OR needs a word on each side; it was ignored.",
    "notice_double_not": "NOT NOT was read as one NOT.",
    "notice_dangling_not": "NOT or - needs a word after it; it was ignored.",
    "notice_unclosed_quote": "A quotation mark was not closed: the words after it were "
    "searched one by one.",
    "notice_empty_phrase": "A pair of quotation marks held no words.",
    "notice_brackets": "Brackets do not group words here; they were ignored. Write "
    "alternatives as: women OR men.",
    "notice_star_inside": "A * only works at the end of a word.",
    "notice_short_prefix": "A word ending in * needs at least 2 letters before it; it was ignored.",
    "notice_no_words": "This part holds no letters or digits; it was ignored.",
    "notice_nothing_to_search": "The query holds no words to search for.",
    "notice_index_outdated": "The search index was made by an earlier version and may miss "
    "records: run devagenda init to rebuild it.",
    "kind_group": "Group",
    "status_immediate": "For immediate implementation",
}

CATALOGS = {"zh": ZH, "en": EN}


class SearchTexts:
    """`st("key", name=value)` in the search template, like `t` for the shared strings."""

    def __init__(self, language: str) -> None:
        self.catalog = CATALOGS[language]

    def __call__(self, key: str, **values: object) -> str:
        return self.catalog[key].format(**values)

    def get(self, key: str) -> str | None:
        return self.catalog.get(key)
