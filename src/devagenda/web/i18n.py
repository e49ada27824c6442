"""The web UI's own words in Chinese and English, and which language a request gets.

The data (recommendation texts, project titles, country names) comes translated from the
services; this module only holds the interface strings, one dict per language with the
same keys (a test checks), as `str.format` templates.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from babel.dates import format_date, format_skeleton
from fastapi.exceptions import RequestValidationError
from markupsafe import Markup

from devagenda.catalogue.models import DatePrecision
from devagenda.core.errors import InputError, NotFoundError, PermissionDenied
from devagenda.web import match_texts

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"  # the reports devagenda reads are Chinese first
COOKIE = "lang"
# The `lang` attribute: "zh-Hans" makes browsers pick Simplified Chinese glyphs.
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
_BABEL_LOCALE = {"zh": "zh_Hans_CN", "en": "en_GB"}

ZH: dict[str, str] = {
    "site_name": "发展议程监测",
    "site_tagline": "产权组织发展议程落实情况",
    "skip_to_content": "跳到正文",
    "main_navigation": "主导航",
    "language_switch": "语言",
    "nav_home": "概览",
    "nav_recommendations": "建议",
    "nav_projects": "项目",
    "nav_countries": "国家",
    "nav_sessions": "CDIP会议",
    "nav_matrices": "对照表",
    "nav_reports": "报告",
    "nav_search": "搜索",
    "search_label": "搜索",
    "search_button": "搜索",
    "footer_note": "数据来源：总干事关于发展议程落实情况的报告。每一项事实均注明出处。",
    "api_link": "REST API 文档",
    "not_found_title": "未找到",
    "not_found_text": "没有找到这个页面或记录。",
    "bad_request_title": "请求有误",
    "back_home": "返回概览",
    # dashboard
    "dashboard_title": "发展议程落实情况概览",
    "projects_by_status": "按状态分列的项目",
    "projects_by_year": "按批准年份分列的项目",
    "projects_by_cluster": "按建议集分列的项目",
    "projects_by_cluster_note": "落实某一建议集中至少一项建议的项目数。",
    "year_not_stated": "未说明",
    "year_not_stated_note": "报告只说明了本年度批准的项目的批准日期；其余项目的批准年份不详。",
    "recommendations_by_cluster": "按建议集分列的建议及落实项目数",
    "chart_table_caption": "{title}（数据表）",
    "count_column": "数量",
    "chart_summary": "{title}：{items}",
    "reports_available": "已收录的报告",
    "editions_title": "下载本报告",
    "edition_all": "{language}版（全文及附件）：",
    "edition_annexes": "{language}版（仅附件：数据库中没有{language}正文）：",
    # records
    "recommendation": "建议",
    "recommendation_n": "建议{number}",
    "recommendations": "建议",
    "recommendations_title": "45项发展议程建议",
    "cluster": "建议集",
    "cluster_n": "建议集{letter}",
    "immediate": "须立即落实",
    "immediate_note": "★ 2007年大会指明须予立即落实的建议。",
    "not_immediate": "否",
    "text": "案文",
    "text_in": "{language}案文",
    "unofficial_translation": "非正式译文（devagenda项目翻译）",
    "official_text": "正式文本",
    "expected_results": "预期成果",
    "expected_result": "预期成果",
    "expected_result_n": "预期成果{code}",
    "strategic_pillar": "战略支柱",
    "projects": "项目",
    "project": "项目",
    "projects_implementing": "落实该建议的项目",
    "projects_count": "项目数",
    "no_projects": "已载入的资料中没有项目。",
    "paragraphs_mentioning": "提及该建议的报告段落",
    "no_paragraphs": "已收录的报告中没有段落提及该建议。",
    "projects_title": "发展议程项目",
    "projects_total": "共{count}个项目符合条件。",
    "filter": "筛选",
    "apply_filters": "应用筛选",
    "clear_filters": "清除筛选",
    "any": "全部",
    "status": "状态",
    "phase": "阶段",
    "phase_n": "第{phase}阶段",
    "code": "代码",
    "sector": "部门",
    "session": "CDIP会议",
    "session_n": "CDIP第{number}届会议",
    "year": "年份",
    "approved_in": "批准年份",
    "approval_date": "批准日期",
    "approved_at": "批准会议",
    "start_date": "开始日期",
    "end_date": "结束日期",
    "dates": "日期",
    "format": "形式",
    "predecessor": "前一阶段",
    "successors": "后续阶段",
    "status_timeline": "状态时间线",
    "as_of_year_end": "截至{year}年底：",
    "reported_for_year": "{year}年报告所述，未注明日期",
    "date_not_stated": "未注明日期",
    "status_conflict_heading": "来源之间不一致",
    "status_conflict_text": (
        "叙述部分称“{narrative}”（{when}），但截至{year}年底的状态为“{year_end}”。"
        "项目按叙述部分的状态显示。"
    ),
    "proposers": "提案方",
    "beneficiaries": "受益方",
    "outputs": "产出",
    "documents": "文件",
    "titles": "名称",
    "language": "语言",
    "source": "出处",
    "source_not_recorded": "未记录出处",
    "printed_as": "报告原文：{name}",
    "none_recorded": "无记录。",
    "date_unknown": "日期不详",
    "next_page": "下一页",
    "first_page": "第一页",
    "pagination": "分页",
    "country": "国家",
    "countries_title": "国家和地区",
    "region": "产权组织区域",
    "development_status": "发展状况",
    "groups": "所属集团",
    "aliases": "别名",
    "group": "集团",
    "members": "成员",
    "projects_benefiting": "受益项目",
    "projects_proposed": "提出的项目",
    "mentions": "报告中的提及",
    "no_mentions": "已收录的报告中没有提及。",
    "mention_count": "提及{count}次",
    "sessions_title": "发展与知识产权委员会（CDIP）会议",
    "projects_approved": "批准的项目",
    "document": "文件",
    "symbol": "文号",
    "cited_in": "引用该文件的报告段落",
    "open_document": "打开文件",
    "sector_chapter": "报告章节",
    "valid": "有效期",
    "title": "名称",
    # matrices
    "matrices_title": "对照表",
    "matrix_er_title": "建议 × 预期成果",
    "matrix_er_intro": "附件一：每项建议与《2022-2026年中期战略计划》预期成果的联系。",
    "matrix_projects_title": "建议 × 项目",
    "matrix_projects_intro": "每个项目为落实哪些建议而批准。",
    "download_csv": "下载CSV",
    "download_xlsx": "下载XLSX",
    "linked": "有联系",
    "unlinked_results": "{count}项预期成果没有与任何建议联系。",
    "other_matrix": "另一对照表：{title}",
    # report reader
    "report_title": "总干事关于{year}年度发展议程落实情况的报告",
    "report_fallback": "数据库中没有本报告的{wanted}版，以下为{shown}版。",
    "paragraph_n": "第{number}段",
    "footnote_n": "脚注{number}",
    "footnote": "脚注",
    "report_counts": "{paragraphs}段，{footnotes}个脚注",
    "footnotes_to": "第{number}段的脚注",
    "back_to_text": "返回正文",
    "other_footnotes": "其他脚注",
    "annex_one": "附件一：建议与预期成果",
    "annex_two": "附件二：发展议程项目",
    "row": "序号",
    "contents": "目录",
    "findings_title": "检查结果",
    "findings_summary": (
        "对报告文件的自动检查：错误{error}个，警告{warning}个，提示{advisory}个，均显示在相关段落旁。"
    ),
    "findings_general": "整体检查结果",
    "severity_error": "错误",
    "severity_warning": "警告",
    "severity_advisory": "提示",
    "finding_at": "{severity}（{code}）",
    # versions and ingests of a report
    "partial_report": "不完整",
    "partial_report_notice": (
        "此版本作为不完整的报告（草稿）载入：缺少部门章节或附件，相关统计不完整。"
    ),
    "ingest_history": "版本与载入记录",
    "versions": "版本",
    "version": "版本",
    "current_version": "当前",
    "loaded_at": "载入时间",
    "file": "文件",
    "ingests": "载入记录",
    "when": "时间",
    "outcome": "结果",
    "ingest_counts": "报告内容",
    "outcome_loaded": "已载入",
    "outcome_replaced": "已替换",
    "outcome_restored": "已恢复",
    "outcome_unchanged": "未改变",
    "outcome_needs_replace": "未载入：需要 --replace",
    "outcome_refused": "被拒绝",
    # what each check looks for, by finding code
    "check_DA-CNT-001": "列表前的数目与列表项数不符",
    "check_DA-CNT-002": "数目与其脚注不符",
    "check_DA-CNT-003": "附件二分组标题中的数目与行数不符",
    "check_DA-CNT-004": "正文中的项目总数与附件二不符",
    "check_DA-CNT-005": "建议数目与附件一不符",
    "check_DA-CNT-006": "同一事物同一年份的数目前后不一",
    "check_DA-FTN-001": "脚注引用缺少脚注文本",
    "check_DA-FTN-002": "脚注文本没有被正文引用",
    "check_DA-FTN-003": "脚注编号或首次引用顺序不连续",
    "check_DA-FTN-004": "同一脚注被引用两次",
    "check_DA-NAM-001": "预期成果代码在附件一中名称不一",
    "check_DA-NAM-002": "方案或数据库名称写法不一",
    "check_DA-NAM-003": "正文中的项目名称与附件二不一致",
    "check_DA-NAM-004": "国家列表中有无法识别的名称",
    "check_DA-NUM-001": "段落编号不连续",
    "check_DA-NUM-002": "章节编号不连续",
    "check_DA-NUM-003": "章节标题所用数字形式不一",
    "check_DA-NUM-004": "列表项编号不连续",
    "check_DA-NUM-005": "同一列表的编号格式不一",
    "check_DA-NUM-006": "同一段文字的项目符号不一",
    "check_DA-NUM-007": "附件行号不连续",
    "check_DA-STA-001": "正文中的项目状态与附件二分组不符",
    "check_DA-STA-002": "正文所列本年度批准的项目不在附件二的已批准组中",
    # search
    "search_title": "搜索",
    "search_query": "检索词",
    "search_results": "找到{count}条结果",
    "search_results_for": "“{query}”：找到{count}条结果",
    "search_none": "没有找到结果。",
    "facets": "筛选条件",
    "remove_filter": "取消筛选：{value}",
    "selected": "已选",
    "more_values": "更多（{count}）",
    "copy_link": "复制链接",
    "link_copied": "已复制",
    "facet_kind": "类型",
    "facet_status": "状态",
    "facet_cluster": "建议集",
    "facet_sector": "部门",
    "facet_country": "国家",
    "facet_year": "年份",
    "facet_language": "语言",
    "kind_project": "项目",
    "kind_recommendation": "建议",
    "kind_paragraph": "报告段落",
    "kind_footnote": "脚注",
    "kind_country": "国家",
    "kind_document": "文件",
    "kind_expected_result": "预期成果",
    "kind_sector": "部门",
    "kind_activity": "技术援助活动",
    "kind_flexibility_provision": "灵活性规定",
    # enumerations
    "status_proposed": "已提出",
    "status_approved": "已批准",
    "status_ongoing": "实施中",
    "status_completed": "已完成",
    "status_evaluated": "已完成并审评",
    "status_mainstreamed": "已纳入主流",
    "status_ldc": "最不发达国家",
    "status_developing": "发展中国家",
    "status_transition": "转型期国家",
    "status_developed": "发达国家",
    "region_africa": "非洲",
    "region_arab": "阿拉伯地区",
    "region_asia_pacific": "亚洲及太平洋",
    "region_latin_america_caribbean": "拉丁美洲和加勒比",
    "region_transition_developed": "转型期和发达国家",
    "format_in_person": "现场",
    "format_hybrid": "混合",
    "format_virtual": "线上",
    "output_study": "研究",
    "output_guide": "指南",
    "output_tool": "工具",
    "output_database": "数据库",
    "output_training": "培训",
    "output_other": "其他",
    "language_zh": "中文",
    "language_en": "英文",
    "language_und": "不限语言",
    "yes": "是",
    "no": "否",
    "source_report": "{year}年报告",
    "source_dataset": "devagenda数据文件{name}",
    "cite_paragraph": "第{number}段",
    "cite_footnote": "脚注{number}",
    "cite_annex": "附件{annex}",
    "cite_row": "第{row}行",
    "cite_line": "第{line}行",
    # -- unknown is not none (what a figure rests on), import templates, matrices
    "tab_record": "记录",
    "tab_history": "修改历史",
    "record_tabs": "记录视图",
    "history_title": "{title}：修改历史",
    "history_intro": "每一次创建、修改和删除，最新的在前：谁、何时、改了哪些字段（旧值 → 新值）。",
    "history_empty": "这条记录没有修改记录：它的数据来自载入的报告和导入文件（见报告的载入记录）。",
    "history_limited": "只显示最新的 {count} 条；全部修改见 {link}。",
    "history_when": "时间（UTC）",
    "history_who": "修改者",
    "history_what": "修改内容",
    "history_field": "字段",
    # the change log's field names, by column
    "field_number": "编号",
    "field_cluster_letter": "组别",
    "field_immediate": "立即执行",
    "field_version": "版本",
    "field_recommendation_number": "建议编号",
    "field_language": "语言",
    "field_text": "文本",
    "field_status": "状态",
    "field_source_location_id": "出处",
    "field_expected_result_code": "预期成果",
    "field_start_date": "开始日期",
    "field_end_date": "结束日期",
    "field_format": "形式",
    "field_id": "编号",
    "field_symbol": "文号",
    "field_session_number": "会议届次",
    "field_url": "网址",
    "field_document_id": "文件",
    "field_code": "代码",
    "field_phase": "阶段",
    "field_predecessor_id": "前一阶段项目",
    "field_approved_session_number": "批准届次",
    "field_sector_code": "部门",
    "field_start_precision": "开始日期精度",
    "field_end_precision": "结束日期精度",
    "field_mainstreamed": "已纳入主流",
    "field_created_at": "创建时间",
    "field_updated_at": "更新时间",
    "field_project_id": "项目",
    "field_position": "顺序",
    "field_name_as_printed": "报告中的名称",
    "field_country_alpha3": "国家",
    "field_group_code": "国家组",
    "field_kind": "类别",
    "field_as_of_year": "截至年份",
    "field_on_date": "日期",
    "field_date_precision": "日期精度",
    "field_title": "标题",
    "field_amount_chf": "预算（瑞郎）",
    "field_fact": "事实",
    "history_old": "旧值",
    "history_new": "新值",
    "history_no_value": "（无）",
    "history_message": "说明：{message}",
    "history_reverts": "撤销了第 {id} 号修改",
    "history_reverted_by": "已被第 {ids} 号修改撤销",
    "history_revert": "撤销这次修改",
    "history_change_n": "第 {id} 号修改",
    "action_create": "创建",
    "action_update": "修改",
    "action_delete": "删除",
    "action_run": "批量载入",
    "record_type_project": "项目",
    "record_type_project_title": "项目标题",
    "record_type_project_status_change": "项目状态",
    "record_type_project_recommendation": "项目所落实的建议",
    "record_type_project_proposer": "提案方",
    "record_type_project_beneficiary": "受益方",
    "record_type_project_output": "项目成果",
    "record_type_project_budget": "项目预算",
    "record_type_project_document": "项目文件",
    "record_type_project_fact_source": "项目信息来源",
    "record_type_cdip_session": "CDIP会议",
    "record_type_document": "文件",
    "record_type_document_title": "文件标题",
    "record_type_recommendation": "建议",
    "record_type_recommendation_text": "建议案文",
    "record_type_recommendation_expected_result": "建议与预期成果的联系",
    "not_stated": "已载入的资料未作说明。",
    "not_stated_short": "未说明",
    "none_known": "未见记录",
    "basis_status": "{total}个项目中{known}个的状态已知。",
    "basis_approval_year": "{total}个项目中{known}个的批准年份已知。",
    "basis_links": "{total}个项目中{known}个所落实的建议已知。",
    "basis_sector": "{total}个项目中{known}个的所属部门已知。",
    "basis_annex_links": "{total}项建议中{known}项与预期成果的联系已知。",
    "dashboard_summary": "{projects}个发展议程项目，{recommendations}项建议。",
    "dashboard_links_known": (
        "已载入的资料只说明了{total}个项目中{known}个项目所落实的建议；"
        "其余项目落实哪些建议未作说明，不等于没有落实任何建议。"
    ),
    "dashboard_links_complete": "已载入的资料说明了全部{total}个项目所落实的建议。",
    "recommendations_not_stated": "所落实建议未说明",
    "gaps_heading_complete": "覆盖空白：没有项目落实的建议",
    "gaps_intro_complete": (
        "{recommendations}项建议中有{count}项没有任何项目落实（全部项目所落实的建议均已知）。"
    ),
    "no_gaps_complete": "每项建议都至少有一个项目落实。",
    "gaps_heading_unknown": "尚未见到落实项目的建议",
    "gaps_intro_unknown": (
        "在已载入的资料中，{recommendations}项建议中有{count}项没有与任何项目联系。"
        "由于只知道{total}个项目中{known}个项目所落实的建议，这并不说明这些建议没有得到落实。"
    ),
    "no_gaps_unknown": "每项建议都至少有一个已知的落实项目。",
    "projects_known_column": "已知项目数",
    "complete_the_data": (
        "可用产权组织发展议程项目目录或CDIP文件补全这些事实：填写导入模板，"
        "然后运行 devagenda catalogue import 文件名。"
    ),
    "template_csv": "导入模板（CSV）",
    "template_xlsx": "导入模板（XLSX）",
    "recommendation_projects_unknown": (
        "已载入的资料中没有项目与本建议联系；只知道{total}个项目中{known}个项目所落实的建议。"
    ),
    "recommendation_projects_none": "没有项目落实本建议（全部项目所落实的建议均已知）。",
    "er_recommendations_unknown": (
        "已载入的资料中没有建议与本预期成果联系；只知道{total}项建议中{known}项的联系。"
    ),
    "er_recommendations_none": "附件一没有将任何建议与本预期成果联系。",
    "sector_projects_unknown": (
        "已载入的资料中没有项目归入本部门；只知道{total}个项目中{known}个项目的所属部门。"
    ),
    "sector_projects_none": "没有项目归入本部门（全部项目的所属部门均已知）。",
    "catalogue_code": "目录代码",
    "budget": "预算",
    "budget_chf": "{amount}瑞士法郎",
    "matrices_intro": (
        "对照表将建议与附件一所列的预期成果、与落实建议的项目一一对照。"
        "每张表均可下载为CSV和XLSX；空白单元格表示没有联系，“?”表示已载入的资料未作说明。"
    ),
    "matrix_size": "{rows}行 × {columns}列",
    "matrix_total": "合计",
    "matrix_cell_not_stated": "未说明",
    "matrix_unknown_column": "所落实建议未说明的项目（{count}个）",
    "matrix_unknown_column_short": "未说明（{count}）",
    "matrix_projects_basis": (
        "只知道{total}个项目中{known}个项目所落实的建议；其余{unknown}个项目合为最后一列（“?”），"
        "列在表下。"
    ),
    "matrix_column_header": "{code}：{title}",
    "projects_without_links": "所落实建议未说明的项目",
    "matrix_size_label": "规模",
    "matrix_links_label": "联系数",
    "matrix_open": "打开对照表",
    # list pages
    "list_text_filter": "在本列表中查找",
    "list_total": "共{total}条，显示第{first}至{last}条",
    "list_empty": "没有符合条件的记录。",
    "download_list": "下载本列表：",
    "previous_page": "上一页",
    "page_n_of": "第{page}页，共{pages}页",
    "sort_hint": "点击排序",
    "implemented_by_projects": "有项目落实",
    "sessions_intro": "数据中已知的全部CDIP会议；报告说明了日期和形式的，一并列出。",
    # errors
    "server_error_title": "出错了",
    "server_error_text": "服务器未能处理这个请求，请稍后重试。",
    "busy_title": "服务器繁忙",
    "busy_text": "所有数据库连接都在使用中，请几秒钟后重试。",
    "too_large_title": "请求过大",
    "too_large_text": "提交的内容超过了服务器接受的大小，请分批提交。",
    "technical_details": "技术细节（英文）",
    "invalid_param": "参数“{name}”：{reason}",
    "invalid_request": "请求有误：{reason}",
    "error_enum": "应为以下值之一：{expected}",
    "error_int": "应为整数",
    "error_ge": "不得小于{limit}",
    "error_le": "不得大于{limit}",
    "error_too_long": "不得超过{limit}个字符",
    "error_pattern": "格式不正确",
    "error_missing": "缺少此参数",
    "error_invalid": "值无效",
    "error_cursor": "不是本列表的分页游标，请从第一页重新开始",
    "error_unknown_param": "本页面不接受此参数",
    "error_query_too_long": "查询字符串过长",
    "error_sort": "本列表不能按此排序",
    "error_page": "没有这一页",
    "error_repeated": "只能给出一次",
    "error_no_text_filter": "本列表不支持文字筛选",
    # accounts
    "nav_login": "登录",
    "login_title": "登录",
    "login_intro": "登录后可按账户角色编辑数据。公开数据无需登录即可阅读。",
    "login_email": "电子邮件地址",
    "login_password": "密码",
    "login_button": "登录",
    "login_failed": "电子邮件地址或密码不正确，或账户已停用。",
    "login_throttled": "登录失败次数过多，请{seconds}秒后再试。",
    "login_needs_https": (
        "只能通过HTTPS登录（本机127.0.0.1或localhost除外），否则密码和会话会以明文传输。"
    ),
    "logged_in_as": "已登录：{name}（{role}）",
    "logout_button": "退出登录",
    "role_anonymous": "未登录",
    "role_reader": "读者",
    "role_focal-point": "联络人",
    "role_editor": "编辑",
    "role_admin": "管理员",
    "forbidden_title": "无权访问",
    "forbidden_text": "您的账户无权进行此项操作。",
    "csrf_refused_text": "表单已过期或并非来自本站。请重新加载页面后再提交。",
    # editing forms
    "tab_edit": "编辑",
    "project_n": "项目{id}",
    "error_date": "应为日期（年-月-日）",
    "error_number": "应为数字（小数点后最多两位）",
    "error_too_many": "最多{limit}项",
    "error_empty": "不得为空",
    "form_create": "创建",
    "form_save": "保存",
    "form_cancel": "取消",
    "form_delete": "删除",
    "form_delete_link": "删除这条记录……",
    "form_delete_title": "删除{title}？",
    "form_delete_warning": "将删除{title}及其组成部分。删除会记入修改历史，可以在那里撤销。",
    "form_edit_title": "编辑{title}",
    "form_new_project": "新建项目",
    "form_new_session": "新建CDIP会议",
    "form_new_document": "新建文件",
    "form_statuses_title": "{title}：状态陈述",
    "form_statuses_link": "状态陈述（添加或删除）",
    "form_facts_link": "编辑项目信息",
    "form_statements": "现有的状态陈述",
    "form_add_status": "添加状态陈述",
    "form_add_status_heading": "添加一条状态陈述",
    "form_remove_status": "删除这条陈述",
    "form_problems_heading": "未能保存：有{count}处问题。",
    "form_whole_record": "整条记录",
    "form_stale_heading": "在您打开此表单之后，其他人修改了这条记录。",
    "form_stale_text": (
        "您的修改尚未保存。下表列出他人改过的字段；"
        "表单中保留了您的修改，再次保存即可在现有记录上应用。"
    ),
    "form_stale_history": "查看修改历史",
    "form_stored_now": "现存的值",
    "form_yours": "您的值",
    "form_not_changed_by_you": "（您没有修改）",
    "form_blank_choice": "（未说明）",
    "form_source": "出处",
    "form_source_hint": (
        "新事实的出处：文号（如CDIP/31/4）、网址，或填写“editor”表示编辑本人所知。修改事实时必填。"
    ),
    "form_message": "修改说明",
    "form_message_hint": "为何修改；记入修改历史。",
    "form_title_zh": "中文名称",
    "form_title_en": "英文名称",
    "form_text_zh": "中文案文",
    "form_text_en": "英文案文",
    "form_text_status": "文本性质",
    "form_precision": "日期精度",
    "form_start_date": "开始日期",
    "form_end_date": "结束日期",
    "form_budget": "预算（瑞郎）",
    "form_budget_hint": "金额，例如 450000 或 450000.50。",
    "form_code_hint": "产权组织目录代码，例如 DA_1_10_12_40。",
    "form_recommendations_hint": "建议编号，每行一个或以逗号分隔。",
    "form_actors_hint": "国家（ISO三字母代码，如KEN）或国家组的代码，每行一个或以逗号分隔。",
    "form_documents_hint": "文件的文号，每行一个（文件须已收录）。",
    "form_predecessor": "前一阶段（项目编号）",
    "form_predecessor_hint": "第二阶段项目所接续的项目的编号。",
    "form_outputs": "产出",
    "form_outputs_hint": (
        "每行一项：类型 | 标题 | 语言 | 网址（类型为 study、guide、tool、database、"
        "training 或 other；语言和网址可省略）。"
    ),
    "form_status": "状态",
    "form_statement_kind": "陈述类别",
    "form_date": "日期",
    "form_as_of_year": "所涉年份",
    "form_year_hint": "“年底状态”或“报告所述状态”须填写所涉年份，不填日期。",
    "form_session_number": "届次",
    "form_url": "网址",
    "form_document_language": "文件语言",
    "form_symbol": "文号",
    "form_symbol_hint": "例如 CDIP/31/4。",
    "text_status_official": "正式文本",
    "text_status_unofficial_translation": "非正式译文",
    "precision_day": "精确到日",
    "precision_month": "精确到月",
    "precision_year": "精确到年",
    "statement_kind_event": "某日的变化",
    "statement_kind_year_end": "年底状态",
    "statement_kind_reported": "报告所述状态",
    "language_ar": "阿拉伯文",
    "language_es": "西班牙文",
    "language_fr": "法文",
    "language_ru": "俄文",
    # technical-assistance activities (IP-TAD)
    "nav_activities": "技术援助",
    "activities_title": "技术援助活动（IP-TAD）",
    "activity": "活动",
    "activity_n": "活动{id}",
    "activity_countries": "国家",
    "activity_participants": "参与者",
    "activity_facet_year": "年份",
    "activity_facet_country": "国家（举办国或受益国）",
    "activity_facet_region": "产权组织区域",
    "activity_facet_country_group": "国家组别",
    "activity_facet_type": "活动类型",
    "activity_facet_mode": "举办形式",
    "activity_facet_subject_area": "知识产权领域",
    "activity_facet_sector": "部门",
    "activity_facet_organising_unit": "组织单位",
    "activity_facet_language": "活动语言",
    "activity_facet_funding_source": "资金来源",
    "activity_facet_recommendation": "发展议程建议",
    "activity_facet_expected_result": "预期成果",
    "activity_facet_project": "发展议程项目",
    "activity_filter_since": "结束不早于",
    "activity_filter_until": "开始不晚于",
    "activity_date_range": "日期范围",
    "activity_date_range_hint": "显示与这段时间有重叠的活动。",
    "activity_type_mission": "考察团",
    "activity_type_workshop": "讲习班",
    "activity_type_seminar": "研讨会",
    "activity_type_training_course": "培训课程",
    "activity_type_advisory": "咨询",
    "activity_type_legislative_assistance": "立法援助",
    "activity_type_study": "研究",
    "activity_type_conference": "会议",
    "activity_type_webinar": "网络研讨会",
    "activity_type_other": "其他",
    "activity_mode_in_person": "现场",
    "activity_mode_virtual": "线上",
    "activity_mode_hybrid": "混合",
    "activities_intro": (
        "产权组织为发展中国家、最不发达国家和转型期国家开展的技术援助活动。"
        "一项活动的国家是其举办国和受益国。"
    ),
    "activities_figures_link": "图表和年度报告中的数字",
    "form_new_activity": "新建活动",
    "activity_code": "IP-TAD编号",
    "activity_venue": "举办城市",
    "activity_host_country": "举办国",
    "activity_participants_split": "{total}人（女性{women}人，男性{men}人）",
    "activity_participants_total": "{total}人",
    "activity_gender_not_stated": "性别分布未说明",
    "activity_gender_partial": "女性{women}人，男性{men}人",
    "activity_partners": "合作组织",
    "activity_descriptions": "说明",
    "activity_consultants": "派任的顾问",
    "activity_no_consultants": "名册中没有派任到该活动的顾问。",
    "activity_demo_note": (
        "这是由 devagenda demo generate 生成的演示活动，不是真实记录；"
        "devagenda demo remove 可将其删除。"
    ),
    "activity_links": "与发展议程的联系",
    "country_activities_heading": "在该国举办或为该国举办的技术援助活动",
    "country_activities_total": "共{count}项活动（举办国或受益国为该国）。",
    "country_activities_none": "已载入的资料中没有在该国举办或为该国举办的活动。",
    "country_activities_link": "查看这些活动",
    "country_activities_year": "{year}年",
    "demo_badge": "演示数据",
    "figures_data": "数据",
    "figures_real_data": "真实数据",
    "figures_demo_data": "演示数据",
    "figures_demo_note": "这些数字只计算由 devagenda demo generate 生成的演示数据，不是真实记录。",
    "country_consultants_heading": "派往该国的顾问",
    "country_consultants_total": "名册中有{count}名顾问曾被派往该国。",
    "country_consultants_none": "已载入的名册中没有派往该国的顾问。",
    "country_consultants_link": "查看这些顾问",
    "figures_title": "技术援助活动：图表",
    "figures_intro": (
        "以下数字均由数据库中的活动计算得出；每个图表都说明其依据的活动数，未说明的单独列出。"
    ),
    "figures_report_heading": "年度报告中的数字",
    "figures_report_sentence": (
        "数据库记录了产权组织在{year}年开展的{count}项技术援助活动，"
        "参与者来自发展中国家、最不发达国家和转型期国家。"
    ),
    "figures_report_basis": (
        "根据已载入的{year}年{total}项活动计算，其中{unknown}项未说明任何国家。"
    ),
    "figures_report_groups": "按国家组别（一项活动可计入多个组别）：",
    "figures_year": "年份：",
    "figures_all_years": "全部年份",
    "figures_by_region": "按产权组织区域分列的活动",
    "figures_by_group": "按国家组别分列的活动",
    "figures_by_type": "按活动类型分列的活动",
    "figures_by_mode": "按举办形式分列的活动",
    "figures_by_sector": "按部门分列的活动",
    "figures_basis": "依据{total}项活动，其中{unknown}项未说明。",
    "figures_multi_note": "一项活动若涉及多个区域（或组别），在每个区域下各计一次。",
    "figures_per_year": "逐年数据",
    "figures_none": "数据库中没有活动。",
    "figures_per_year_chart": "按年份分列的活动",
    "figures_per_year_basis": "依据{total}项活动，其中{unknown}项未说明开始日期。",
    "figures_api": "同样的数字可通过API获取：",
    "form_activity_type": "活动类型",
    "form_activity_mode": "举办形式",
    "form_organising_unit": "组织单位",
    "form_venue_city": "举办城市",
    "form_host_country": "举办国",
    "form_host_country_hint": "ISO三字母代码，如LKA。",
    "form_participants": "参与者人数",
    "form_participants_women": "其中女性",
    "form_participants_men": "其中男性",
    "form_funding_source": "资金来源",
    "form_subject_areas": "知识产权领域",
    "form_subject_areas_hint": "领域代码，每行一个或以逗号分隔，例如 patents、copyright。",
    "form_languages": "活动语言",
    "form_languages_hint": "ISO 639-1语言代码，每行一个或以逗号分隔，例如 en、fr。",
    "form_partners": "合作组织",
    "form_partners_hint": "每行一个组织名称。",
    "form_expected_results": "预期成果",
    "form_expected_results_hint": "预期成果代码，每行一个或以逗号分隔，例如 4.1。",
    "form_projects": "发展议程项目",
    "form_projects_hint": "项目编号（网址中的数字），每行一个或以逗号分隔。",
    "form_description_zh": "中文说明",
    "form_description_en": "英文说明",
    "record_type_activity": "活动",
    "record_type_activity_title": "活动标题",
    "record_type_activity_description": "活动说明",
    "record_type_activity_beneficiary": "活动受益方",
    "record_type_activity_subject_area": "活动的知识产权领域",
    "record_type_activity_language": "活动语言",
    "record_type_activity_partner": "合作组织",
    "record_type_activity_recommendation": "活动所落实的建议",
    "record_type_activity_expected_result": "活动的预期成果",
    "record_type_activity_project": "活动所属项目",
    "record_type_activity_fact_source": "活动信息来源",
    "field_type": "类型",
    "field_mode": "形式",
    "field_organising_unit": "组织单位",
    "field_venue_city": "举办城市",
    "field_host_country_alpha3": "举办国",
    "field_participants": "参与者人数",
    "field_participants_women": "女性参与者",
    "field_participants_men": "男性参与者",
    "field_funding_source": "资金来源",
    "field_area_code": "知识产权领域",
    "field_name": "名称",
    "field_activity_id": "活动",
    "nav_consultants": "顾问名册",
    "nav_flexibilities": "灵活性",
    "home_flexibilities": "载有{jurisdictions}的{provisions}。",
    "home_flexibility_updates": "{year}年收到{updates}",
    "country_flexibilities_total": "灵活性数据库载有该国{provisions}和{updates}。",
    "flex_n_provisions": "{count}项规定",
    "flex_n_provisions_one": "{count}项规定",
    "flex_n_jurisdictions": "{count}个法域",
    "flex_n_jurisdictions_one": "{count}个法域",
    "flex_n_updates": "{count}项成员国更新",
    "flex_n_updates_one": "{count}项成员国更新",
    "flex_title": "知识产权制度灵活性数据库",
    "flex_intro": (
        "各法域如何在本国法律中落实国际知识产权制度的灵活性：法律、条款、原文和成员国更新。"
    ),
    "flex_jurisdiction_code": "法域代码（ISO 三字母）",
    "flex_compare_jurisdiction": "查看该法域的全部灵活性",
    "flex_categories": "灵活性类别",
    "flex_jurisdiction": "法域",
    "flex_category": "灵活性",
    "flex_law": "法律",
    "flex_articles": "条款",
    "flex_in_force": "生效日期",
    "flex_updates": "成员国更新",
    "flex_not_stated": "数据库未载有该法域的规定（未说明，并非没有）。",
    "flex_choose_jurisdictions": "比较的法域（ISO 代码，以逗号分隔）",
    "flex_compare": "比较",
    "flex_export": "导出：",
    "flex_submit_update": "提交成员国更新",
    "flex_no_updates": "尚无成员国更新。",
    "flex_law_number": "法律编号",
    "flex_law_date": "法律日期",
    "flex_link": "链接",
    "flex_text": "原文",
    "flex_effect_amends": "修改",
    "flex_effect_adds": "新增",
    "flex_update_note": "更新提交后立即公布，并永久保留历史。请注明所依据的正式函件。",
    "flex_problems": "更新未保存，请修改以下各项：",
    "flex_new_provision": "新增一项数据库尚未载有的规定",
    "flex_publish": "提交并公布",
    "flex_field_communication_reference": "正式函件编号",
    "flex_field_communication_date": "函件日期",
    "flex_field_summary": "更新摘要",
    "flex_field_provision": "所修改的规定",
    "flex_field_category": "新规定的类别",
    "flex_field_law_title": "法律名称",
    "flex_field_law_number": "法律编号",
    "flex_field_articles": "条款",
    "flex_field_language": "原文语言",
    "flex_field_text": "原文",
    "flex_field_link": "链接",
    "flex_code": "规定代码",
    "flex_code_hint": "导入文件据以更新该规定的键，例如 KEN-RE-1。",
    "flex_text_ar": "原文（阿拉伯文）",
    "flex_text_en": "原文（英文）",
    "flex_text_es": "原文（西班牙文）",
    "flex_text_fr": "原文（法文）",
    "flex_text_ru": "原文（俄文）",
    "flex_text_zh": "原文（中文）",
    "flex_update_title": "成员国更新：{reference}",
    "flex_update_communication_date": "函件日期",
    "flex_update_submitted_by": "提交人",
    "flex_update_received": "收到并公布时间",
    "flex_update_provisions": "该更新所涉规定",
    "flex_update_no_provisions": "该更新尚未关联任何规定。",
    "flex_view_update": "查看该更新",
    "flex_attach": "将该更新关联到其修改的规定",
    "flex_attach_title": "关联更新{reference}",
    "flex_attach_intro": "选择该更新修改或新增的{country}规定。关联会记入修改历史。",
    "flex_attach_provisions": "规定",
    "flex_attach_effect": "该更新对所选规定的作用",
    "flex_attach_button": "关联",
    "flex_attach_none": "该法域的全部规定均已关联到此更新。",
    "flex_attach_choose": "请至少选择一项规定",
    "flex_attached": "已关联",
    "roster_title": "顾问名册（IP-ROC）",
    "roster_name": "姓名",
    "roster_own_script": "本人文字姓名",
    "roster_fields": "知识产权专业领域",
    "roster_languages": "工作语言",
    "roster_years": "派任年份",
    "roster_countries": "受益国",
    "roster_gender": "性别",
    "roster_nationality": "国籍",
    "roster_email": "电子邮件",
    "roster_phone": "电话",
    "roster_address": "地址",
    "roster_assignments": "派任",
    "roster_year": "年份",
    "roster_activity": "活动",
    "roster_task": "任务",
    "demo": "演示数据",
    "demo_true": "演示数据",
    "demo_false": "真实数据",
    "roster_gender_female": "女",
    "roster_gender_male": "男",
    "roster_gender_other": "其他",
    "roster_no_assignments": "没有记录派任。",
    "roster_name_search": "按姓名查找（模糊匹配，任何文字或拼写）",
    "roster_personal_note": (
        "性别、国籍和联系方式属于个人数据，仅编辑和管理员可见；"
        "公众只能看到汇总数字（少于5人的数字不公布）。"
    ),
    "roster_personal_heading": "个人数据（仅编辑可见）",
}

EN: dict[str, str] = {
    "site_name": "Development Agenda Monitor",
    "site_tagline": "How WIPO implements its Development Agenda",
    "skip_to_content": "Skip to content",
    "main_navigation": "Main navigation",
    "language_switch": "Language",
    "nav_home": "Overview",
    "nav_recommendations": "Recommendations",
    "nav_projects": "Projects",
    "nav_countries": "Countries",
    "nav_sessions": "CDIP sessions",
    "nav_matrices": "Matrices",
    "nav_reports": "Reports",
    "nav_search": "Search",
    "search_label": "Search",
    "search_button": "Search",
    "footer_note": (
        "Source: the Director General's reports on the implementation of the Development "
        "Agenda. Every fact links to where it is stated."
    ),
    "api_link": "REST API documentation",
    "not_found_title": "Not found",
    "not_found_text": "There is no such page or record.",
    "bad_request_title": "Bad request",
    "back_home": "Back to the overview",
    "dashboard_title": "Development Agenda at a glance",
    "projects_by_status": "Projects by status",
    "projects_by_year": "Projects by year of approval",
    "projects_by_cluster": "Projects by cluster",
    "projects_by_cluster_note": (
        "Projects implementing at least one recommendation of the cluster."
    ),
    "year_not_stated": "Not stated",
    "year_not_stated_note": (
        "The reports date the approvals of their own year only; the others are not stated."
    ),
    "recommendations_by_cluster": "Recommendations by cluster, with the projects implementing each",
    "chart_table_caption": "{title} (data table)",
    "count_column": "Count",
    "chart_summary": "{title}: {items}",
    "reports_available": "Reports in the database",
    "editions_title": "Download this report",
    "edition_all": "{language} edition (text and annexes):",
    "edition_annexes": "{language} edition (annexes only: no {language} text in the database):",
    "recommendation": "Recommendation",
    "recommendation_n": "Recommendation {number}",
    "recommendations": "Recommendations",
    "recommendations_title": "The 45 Development Agenda recommendations",
    "cluster": "Cluster",
    "cluster_n": "Cluster {letter}",
    "immediate": "For immediate implementation",
    "immediate_note": ("★ Identified by the 2007 General Assembly for immediate implementation."),
    "not_immediate": "No",
    "text": "Text",
    "text_in": "Text in {language}",
    "unofficial_translation": "Unofficial translation (by the devagenda project)",
    "official_text": "Official text",
    "expected_results": "Expected results",
    "expected_result": "Expected result",
    "expected_result_n": "Expected result {code}",
    "strategic_pillar": "Strategic pillar",
    "projects": "Projects",
    "project": "Project",
    "projects_implementing": "Projects implementing it",
    "projects_count": "Projects",
    "no_projects": "No project in the loaded sources.",
    "paragraphs_mentioning": "Report paragraphs that mention it",
    "no_paragraphs": "No paragraph of the reports in the database mentions it.",
    "projects_title": "Development Agenda projects",
    "projects_total": "{count} projects match.",
    "filter": "Filter",
    "apply_filters": "Apply filters",
    "clear_filters": "Clear filters",
    "any": "Any",
    "status": "Status",
    "phase": "Phase",
    "phase_n": "Phase {phase}",
    "code": "Code",
    "sector": "Sector",
    "session": "CDIP session",
    "session_n": "CDIP/{number}",
    "year": "Year",
    "approved_in": "Year approved",
    "approval_date": "Approved on",
    "approved_at": "Approved at",
    "start_date": "Start",
    "end_date": "End",
    "dates": "Dates",
    "format": "Format",
    "predecessor": "Previous phase",
    "successors": "Later phases",
    "status_timeline": "Status timeline",
    "as_of_year_end": "As of end of {year}:",
    "reported_for_year": "Reported for {year}, undated",
    "date_not_stated": "Date not stated",
    "status_conflict_heading": "The sources disagree",
    "status_conflict_text": (
        "The narrative says “{narrative}” ({when}), but the state at the end of {year} is "
        "“{year_end}”. The project is shown in the narrative's state."
    ),
    "proposers": "Proposed by",
    "beneficiaries": "Beneficiaries",
    "outputs": "Outputs",
    "documents": "Documents",
    "titles": "Titles",
    "language": "Language",
    "source": "Source",
    "source_not_recorded": "source not recorded",
    "printed_as": "printed as {name}",
    "none_recorded": "None recorded.",
    "date_unknown": "date unknown",
    "next_page": "Next page",
    "first_page": "First page",
    "pagination": "Pages",
    "country": "Country",
    "countries_title": "Countries and territories",
    "region": "WIPO region",
    "development_status": "Development status",
    "groups": "Groups",
    "aliases": "Other names",
    "group": "Group",
    "members": "Members",
    "projects_benefiting": "Projects benefiting it",
    "projects_proposed": "Projects it proposed",
    "mentions": "Mentions in the reports",
    "no_mentions": "No report in the database mentions it.",
    "mention_count": "{count} times",
    "sessions_title": "Sessions of the Committee on Development and IP (CDIP)",
    "projects_approved": "Projects approved",
    "document": "Document",
    "symbol": "Symbol",
    "cited_in": "Report paragraphs citing it",
    "open_document": "Open the document",
    "sector_chapter": "Report chapter",
    "valid": "Valid",
    "title": "Title",
    "matrices_title": "Traceability matrices",
    "matrix_er_title": "Recommendations × expected results",
    "matrix_er_intro": (
        "Annex I: the expected results of the Medium-Term Strategic Plan 2022-2026 each "
        "recommendation contributes to."
    ),
    "matrix_projects_title": "Recommendations × projects",
    "matrix_projects_intro": "The recommendations each project was approved to implement.",
    "download_csv": "Download CSV",
    "download_xlsx": "Download XLSX",
    "linked": "linked",
    "unlinked_results": "{count} expected results are linked to no recommendation.",
    "other_matrix": "Other matrix: {title}",
    "report_title": (
        "Director General's Report on Implementation of the Development Agenda, {year}"
    ),
    "report_fallback": (
        "The database holds no {wanted} edition of this report; this is the {shown} edition."
    ),
    "paragraph_n": "Paragraph {number}",
    "footnote_n": "Footnote {number}",
    "footnote": "Footnote",
    "report_counts": "{paragraphs} paragraphs, {footnotes} footnotes",
    "footnotes_to": "Footnotes to paragraph {number}",
    "back_to_text": "Back to the text",
    "other_footnotes": "Other footnotes",
    "annex_one": "Annex I: recommendations and expected results",
    "annex_two": "Annex II: Development Agenda projects",
    "row": "No.",
    "contents": "Contents",
    "findings_title": "Check findings",
    "findings_summary": (
        "Automatic checks of the report file: errors {error}, warnings {warning}, "
        "advisories {advisory}. Each one is shown beside the text it concerns."
    ),
    "findings_general": "Findings on the whole report",
    "severity_error": "Error",
    "severity_warning": "Warning",
    "severity_advisory": "Advisory",
    "finding_at": "{severity} ({code})",
    "partial_report": "partial",
    "partial_report_notice": (
        "This text was loaded as a partial report (a draft): it lacks sector chapters or "
        "annexes, so its counts are incomplete."
    ),
    "ingest_history": "Versions and ingests",
    "versions": "Versions",
    "version": "Version",
    "current_version": "current",
    "loaded_at": "Loaded",
    "file": "File",
    "ingests": "Ingests",
    "when": "When",
    "outcome": "Outcome",
    "ingest_counts": "The report held",
    "outcome_loaded": "loaded",
    "outcome_replaced": "replaced",
    "outcome_restored": "restored",
    "outcome_unchanged": "unchanged",
    "outcome_needs_replace": "not loaded: needs --replace",
    "outcome_refused": "refused",
    "check_DA-CNT-001": "A count announcing a list differs from the list",
    "check_DA-CNT-002": "A count differs from its footnote",
    "check_DA-CNT-003": "An Annex II group heading's count differs from its rows",
    "check_DA-CNT-004": "Project totals in the text differ from Annex II",
    "check_DA-CNT-005": "Counts of recommendations differ from Annex I",
    "check_DA-CNT-006": "One count of one thing in one year is stated with two values",
    "check_DA-FTN-001": "A footnote reference has no footnote text",
    "check_DA-FTN-002": "A footnote text nothing refers to",
    "check_DA-FTN-003": "Footnotes out of order",
    "check_DA-FTN-004": "One footnote referenced twice",
    "check_DA-NAM-001": "An expected result has two titles in Annex I",
    "check_DA-NAM-002": "A programme or database name spelt two ways",
    "check_DA-NAM-003": "The text names a project otherwise than Annex II",
    "check_DA-NAM-004": "A name in a list of countries that is no known country",
    "check_DA-NUM-001": "Paragraph numbers skip or repeat",
    "check_DA-NUM-002": "Chapter numbers skip or repeat",
    "check_DA-NUM-003": "Chapter headings mix kinds of numerals",
    "check_DA-NUM-004": "List items skip or repeat a number",
    "check_DA-NUM-005": "One list mixes label shapes",
    "check_DA-NUM-006": "One text mixes bullet signs",
    "check_DA-NUM-007": "Annex rows skip or repeat a number",
    "check_DA-STA-001": "A project's status in the text differs from its Annex II group",
    "check_DA-STA-002": "A project approved in the year is missing from Annex II's approved group",
    "search_title": "Search",
    "search_query": "Words to find",
    "search_results": "{count} results",
    "search_results_for": "{count} results for “{query}”",
    "search_none": "Nothing found.",
    "facets": "Filters",
    "remove_filter": "Remove filter: {value}",
    "selected": "selected",
    "more_values": "More ({count})",
    "copy_link": "Copy link",
    "link_copied": "Copied",
    "facet_kind": "Kind",
    "facet_status": "Status",
    "facet_cluster": "Cluster",
    "facet_sector": "Sector",
    "facet_country": "Country",
    "facet_year": "Year",
    "facet_language": "Language",
    "kind_project": "Project",
    "kind_recommendation": "Recommendation",
    "kind_paragraph": "Report paragraph",
    "kind_footnote": "Footnote",
    "kind_country": "Country",
    "kind_document": "Document",
    "kind_expected_result": "Expected result",
    "kind_sector": "Sector",
    "kind_activity": "Technical assistance activity",
    "kind_flexibility_provision": "Flexibility provision",
    "status_proposed": "Proposed",
    "status_approved": "Approved",
    "status_ongoing": "Ongoing",
    "status_completed": "Completed",
    "status_evaluated": "Completed and evaluated",
    "status_mainstreamed": "Mainstreamed",
    "status_ldc": "Least developed country",
    "status_developing": "Developing country",
    "status_transition": "Country in transition",
    "status_developed": "Developed country",
    "region_africa": "Africa",
    "region_arab": "Arab region",
    "region_asia_pacific": "Asia and the Pacific",
    "region_latin_america_caribbean": "Latin America and the Caribbean",
    "region_transition_developed": "Transition and developed countries",
    "format_in_person": "In person",
    "format_hybrid": "Hybrid",
    "format_virtual": "Virtual",
    "output_study": "Study",
    "output_guide": "Guide",
    "output_tool": "Tool",
    "output_database": "Database",
    "output_training": "Training",
    "output_other": "Other",
    "language_zh": "Chinese",
    "language_en": "English",
    "language_und": "Any language",
    "yes": "Yes",
    "no": "No",
    "source_report": "{year} report",
    "source_dataset": "devagenda data file {name}",
    "cite_paragraph": "¶{number}",
    "cite_footnote": "fn {number}",
    "cite_annex": "Annex {annex}",
    "cite_row": "row {row}",
    "cite_line": "line {line}",
    # -- unknown is not none (what a figure rests on), import templates, matrices
    "tab_record": "Record",
    "tab_history": "History",
    "record_tabs": "Views of this record",
    "history_title": "{title}: history",
    "history_intro": (
        "Every create, update and delete, newest first: who, when, and the fields that "
        "changed (old → new)."
    ),
    "history_empty": (
        "No change of this record is logged: its data comes from the loaded reports and "
        "imported files (see the report's ingest record)."
    ),
    "history_limited": "The latest {count} changes are shown; every change is in {link}.",
    "history_when": "When (UTC)",
    "history_who": "By",
    "history_what": "What changed",
    "history_field": "Field",
    # the change log's field names, by column
    "field_number": "Number",
    "field_cluster_letter": "Cluster",
    "field_immediate": "For immediate implementation",
    "field_version": "Version",
    "field_recommendation_number": "Recommendation",
    "field_language": "Language",
    "field_text": "Text",
    "field_status": "Status",
    "field_source_location_id": "Source",
    "field_expected_result_code": "Expected result",
    "field_start_date": "Start date",
    "field_end_date": "End date",
    "field_format": "Format",
    "field_id": "Id",
    "field_symbol": "Symbol",
    "field_session_number": "Session",
    "field_url": "URL",
    "field_document_id": "Document",
    "field_code": "Code",
    "field_phase": "Phase",
    "field_predecessor_id": "Predecessor",
    "field_approved_session_number": "Approved at session",
    "field_sector_code": "Sector",
    "field_start_precision": "Start date precision",
    "field_end_precision": "End date precision",
    "field_mainstreamed": "Mainstreamed",
    "field_created_at": "Created",
    "field_updated_at": "Updated",
    "field_project_id": "Project",
    "field_position": "Position",
    "field_name_as_printed": "Name as printed",
    "field_country_alpha3": "Country",
    "field_group_code": "Group",
    "field_kind": "Kind",
    "field_as_of_year": "As of year",
    "field_on_date": "Date",
    "field_date_precision": "Date precision",
    "field_title": "Title",
    "field_amount_chf": "Budget (CHF)",
    "field_fact": "Fact",
    "history_old": "Old",
    "history_new": "New",
    "history_no_value": "(none)",
    "history_message": "Message: {message}",
    "history_reverts": "reverts change {id}",
    "history_reverted_by": "reverted by change {ids}",
    "history_revert": "Revert this change",
    "history_change_n": "Change {id}",
    "action_create": "created",
    "action_update": "updated",
    "action_delete": "deleted",
    "action_run": "bulk load",
    "record_type_project": "project",
    "record_type_project_title": "project title",
    "record_type_project_status_change": "project status",
    "record_type_project_recommendation": "recommendation implemented",
    "record_type_project_proposer": "proposer",
    "record_type_project_beneficiary": "beneficiary",
    "record_type_project_output": "project output",
    "record_type_project_budget": "project budget",
    "record_type_project_document": "project document",
    "record_type_project_fact_source": "source of a project fact",
    "record_type_cdip_session": "CDIP session",
    "record_type_document": "document",
    "record_type_document_title": "document title",
    "record_type_recommendation": "recommendation",
    "record_type_recommendation_text": "recommendation text",
    "record_type_recommendation_expected_result": "link to an expected result",
    "not_stated": "Not stated in the loaded sources.",
    "not_stated_short": "not stated",
    "none_known": "none known",
    "basis_status": "Status known for {known} of {total} projects.",
    "basis_approval_year": "Approval year known for {known} of {total} projects.",
    "basis_links": "Recommendation links known for {known} of {total} projects.",
    "basis_sector": "Sector known for {known} of {total} projects.",
    "basis_annex_links": ("Expected-result links known for {known} of {total} recommendations."),
    "dashboard_summary": (
        "{projects} Development Agenda projects and {recommendations} recommendations."
    ),
    "dashboard_links_known": (
        "The loaded sources state which recommendations a project implements for {known} "
        "of the {total} projects. For the others it is not stated, which is not the same "
        "as implementing none."
    ),
    "dashboard_links_complete": (
        "The loaded sources state the recommendations of all {total} projects."
    ),
    "recommendations_not_stated": "Recommendations not stated",
    "gaps_heading_complete": "Coverage gaps: recommendations no project implements",
    "gaps_intro_complete": (
        "{count} of the {recommendations} recommendations are implemented by no project "
        "(the recommendations of every project are known)."
    ),
    "no_gaps_complete": "Every recommendation has at least one project.",
    "gaps_heading_unknown": "Recommendations with no project known to implement them",
    "gaps_intro_unknown": (
        "{count} of the {recommendations} recommendations are linked to no project in the "
        "loaded sources. Recommendation links are known for only {known} of {total} "
        "projects, so this does not show that they are not implemented."
    ),
    "no_gaps_unknown": "Every recommendation has at least one known project.",
    "projects_known_column": "Projects known",
    "complete_the_data": (
        "Complete these facts from WIPO's Development Agenda project catalogue or CDIP "
        "documents: fill in the import template and load it with "
        "devagenda catalogue import FILE."
    ),
    "template_csv": "Import template (CSV)",
    "template_xlsx": "Import template (XLSX)",
    "recommendation_projects_unknown": (
        "No project in the loaded sources is linked to this recommendation. Recommendation "
        "links are known for only {known} of {total} projects."
    ),
    "recommendation_projects_none": (
        "No project implements this recommendation (the recommendations of every project "
        "are known)."
    ),
    "er_recommendations_unknown": (
        "No recommendation in the loaded sources is linked to this expected result; the "
        "links are known for only {known} of {total} recommendations."
    ),
    "er_recommendations_none": "Annex I links no recommendation to this expected result.",
    "sector_projects_unknown": (
        "No project in the loaded sources is reported under this sector; the sector is "
        "known for only {known} of {total} projects."
    ),
    "sector_projects_none": (
        "No project is reported under this sector (the sector of every project is known)."
    ),
    "catalogue_code": "Catalogue code",
    "budget": "Budget",
    "budget_chf": "CHF {amount}",
    "matrices_intro": (
        "The matrices set the recommendations against the expected results Annex I links "
        "them to and against the projects that implement them. Each can be downloaded as "
        'CSV and XLSX; an empty cell means no link, "?" that the loaded sources do not '
        "say."
    ),
    "matrix_size": "{rows} rows × {columns} columns",
    "matrix_total": "Total",
    "matrix_cell_not_stated": "not stated",
    "matrix_unknown_column": "Projects whose recommendations are not stated ({count})",
    "matrix_unknown_column_short": "Not stated ({count})",
    "matrix_projects_basis": (
        "Recommendation links are known for {known} of {total} projects; the other "
        '{unknown} share the last column ("?") and are listed below the table.'
    ),
    "matrix_column_header": "{code}: {title}",
    "projects_without_links": "Projects whose recommendations are not stated",
    "matrix_size_label": "Size",
    "matrix_links_label": "Links",
    "matrix_open": "Open the matrix",
    "list_text_filter": "Find in this list",
    "list_total": "{total} in all, showing {first}–{last}",
    "list_empty": "Nothing matches.",
    "download_list": "Download this list:",
    "previous_page": "Previous page",
    "page_n_of": "Page {page} of {pages}",
    "sort_hint": "sort by this column",
    "implemented_by_projects": "Implemented by a project",
    "sessions_intro": (
        "Every CDIP session the data knows, with dates and format where a report states them."
    ),
    "server_error_title": "Something went wrong",
    "server_error_text": "The server could not answer this request. Please try again later.",
    "busy_title": "Server busy",
    "busy_text": "Every database connection is in use: please retry in a few seconds.",
    "too_large_title": "Request too large",
    "too_large_text": "What was sent is larger than the server accepts: send it in smaller parts.",
    "technical_details": "Technical details",
    "invalid_param": "Parameter “{name}”: {reason}",
    "invalid_request": "Bad request: {reason}",
    "error_enum": "must be one of {expected}",
    "error_int": "must be a whole number",
    "error_ge": "must be at least {limit}",
    "error_le": "must be at most {limit}",
    "error_too_long": "at most {limit} characters",
    "error_pattern": "is not in the expected form",
    "error_missing": "is required",
    "error_invalid": "is not a valid value",
    "error_cursor": "is not a cursor of this list: start again from the first page",
    "error_unknown_param": "is not a parameter of this page",
    "error_query_too_long": "the query string is too long",
    "error_sort": "this list cannot be sorted so",
    "error_page": "there is no such page",
    "error_repeated": "may be given only once",
    "error_no_text_filter": "this list has no text filter",
    # accounts
    "nav_login": "Log in",
    "login_title": "Log in",
    "login_intro": (
        "Log in to edit data as your account's role allows. Public data needs no account."
    ),
    "login_email": "E-mail address",
    "login_password": "Password",
    "login_button": "Log in",
    "login_failed": "The e-mail address or password is wrong, or the account is disabled.",
    "login_throttled": "Too many failed logins: please try again in {seconds} seconds.",
    "login_needs_https": (
        "Logging in needs HTTPS (except on this machine, at 127.0.0.1 or localhost): "
        "otherwise the password and the session would cross the network in clear."
    ),
    "logged_in_as": "Logged in as {name} ({role})",
    "logout_button": "Log out",
    "role_anonymous": "not logged in",
    "role_reader": "reader",
    "role_focal-point": "focal point",
    "role_editor": "editor",
    "role_admin": "administrator",
    "forbidden_title": "Not allowed",
    "forbidden_text": "Your account may not do this.",
    "csrf_refused_text": (
        "The form has expired or did not come from this site. Reload the page and submit it again."
    ),
    # editing forms
    "tab_edit": "Edit",
    "project_n": "Project {id}",
    "error_date": "is not a date (year-month-day)",
    "error_number": "is not an amount (at most two decimals)",
    "error_too_many": "takes at most {limit} items",
    "error_empty": "must not be empty",
    "form_create": "Create",
    "form_save": "Save",
    "form_cancel": "Cancel",
    "form_delete": "Delete",
    "form_delete_link": "Delete this record…",
    "form_delete_title": "Delete {title}?",
    "form_delete_warning": (
        "This deletes {title} with its parts. The deletion is logged "
        "in the history, where it can be reverted."
    ),
    "form_edit_title": "Edit {title}",
    "form_new_project": "New project",
    "form_new_session": "New CDIP session",
    "form_new_document": "New document",
    "form_statuses_title": "{title}: status statements",
    "form_statuses_link": "Status statements (add or remove)",
    "form_facts_link": "Edit the project's facts",
    "form_statements": "Stored status statements",
    "form_add_status": "Add the statement",
    "form_add_status_heading": "Add a status statement",
    "form_remove_status": "Remove this statement",
    "form_problems_heading": "Not saved: {count} problem(s) to fix.",
    "form_whole_record": "The record",
    "form_stale_heading": "Changed by someone else since you opened this form.",
    "form_stale_text": (
        "Your change is not saved yet. The table shows the fields the "
        "other person changed; the form keeps your changes, and saving "
        "again applies them to the record as it is now."
    ),
    "form_stale_history": "See the History tab",
    "form_stored_now": "Stored now",
    "form_yours": "Yours",
    "form_not_changed_by_you": "(not changed by you)",
    "form_blank_choice": "(not stated)",
    "form_source": "Source",
    "form_source_hint": (
        "Where the new facts are stated: a document symbol (CDIP/31/4), "
        "a URL, or 'editor' for your own knowledge. Required when facts "
        "change."
    ),
    "form_message": "Message",
    "form_message_hint": "Why the change is made; shown in the history.",
    "form_title_zh": "Title in Chinese",
    "form_title_en": "Title in English",
    "form_text_zh": "Text in Chinese",
    "form_text_en": "Text in English",
    "form_text_status": "Status of the wording",
    "form_precision": "Precision of the date",
    "form_start_date": "Start date",
    "form_end_date": "End date",
    "form_budget": "Budget (CHF)",
    "form_budget_hint": "An amount, e.g. 450000 or 450000.50.",
    "form_code_hint": "WIPO's catalogue code, e.g. DA_1_10_12_40.",
    "form_recommendations_hint": "Recommendation numbers, one per line or separated by commas.",
    "form_actors_hint": (
        "Countries (ISO alpha-3, e.g. KEN) or group codes, one per line or separated by commas."
    ),
    "form_documents_hint": "Document symbols, one per line (the documents must be stored).",
    "form_predecessor": "Earlier phase (project number)",
    "form_predecessor_hint": "For a phase II, the number of the project it continues.",
    "form_outputs": "Outputs",
    "form_outputs_hint": (
        "One per line: kind | title | language | URL (kind is study, guide, tool, "
        "database, training or other; language and URL may be left out)."
    ),
    "form_status": "Status",
    "form_statement_kind": "Kind of statement",
    "form_date": "Date",
    "form_as_of_year": "Year it is about",
    "form_year_hint": "A year-end or reported state takes the year it is about, and no date.",
    "form_session_number": "Session number",
    "form_url": "URL",
    "form_document_language": "Language of the document",
    "form_symbol": "Symbol",
    "form_symbol_hint": "E.g. CDIP/31/4.",
    "text_status_official": "Official",
    "text_status_unofficial_translation": "Unofficial translation",
    "precision_day": "To the day",
    "precision_month": "To the month",
    "precision_year": "To the year",
    "statement_kind_event": "A change on a date",
    "statement_kind_year_end": "The state at the year's end",
    "statement_kind_reported": "A state a report gives",
    "language_ar": "Arabic",
    "language_es": "Spanish",
    "language_fr": "French",
    "language_ru": "Russian",
    # technical-assistance activities (IP-TAD)
    "nav_activities": "Technical assistance",
    "activities_title": "Technical assistance activities (IP-TAD)",
    "activity": "Activity",
    "activity_n": "Activity {id}",
    "activity_countries": "Countries",
    "activity_participants": "Participants",
    "activity_facet_year": "Year",
    "activity_facet_country": "Country (host or beneficiary)",
    "activity_facet_region": "WIPO region",
    "activity_facet_country_group": "Country group",
    "activity_facet_type": "Type",
    "activity_facet_mode": "Mode",
    "activity_facet_subject_area": "IP subject area",
    "activity_facet_sector": "Sector",
    "activity_facet_organising_unit": "Organising unit",
    "activity_facet_language": "Language",
    "activity_facet_funding_source": "Funding source",
    "activity_facet_recommendation": "DA recommendation",
    "activity_facet_expected_result": "Expected result",
    "activity_facet_project": "DA project",
    "activity_filter_since": "Ending on or after",
    "activity_filter_until": "Starting on or before",
    "activity_date_range": "Date range",
    "activity_date_range_hint": "Shows the activities that overlap these days.",
    "activity_type_mission": "Mission",
    "activity_type_workshop": "Workshop",
    "activity_type_seminar": "Seminar",
    "activity_type_training_course": "Training course",
    "activity_type_advisory": "Advisory",
    "activity_type_legislative_assistance": "Legislative assistance",
    "activity_type_study": "Study",
    "activity_type_conference": "Conference",
    "activity_type_webinar": "Webinar",
    "activity_type_other": "Other",
    "activity_mode_in_person": "In person",
    "activity_mode_virtual": "Virtual",
    "activity_mode_hybrid": "Hybrid",
    "activities_intro": (
        "The technical assistance WIPO delivers to developing, least developed and "
        "transition countries. An activity's countries are its host and its beneficiary "
        "countries."
    ),
    "activities_figures_link": "Figures and the annual report's counts",
    "form_new_activity": "New activity",
    "activity_code": "IP-TAD code",
    "activity_venue": "Venue city",
    "activity_host_country": "Host country",
    "activity_participants_split": "{total} ({women} women, {men} men)",
    "activity_participants_total": "{total}",
    "activity_gender_not_stated": "gender split not stated",
    "activity_gender_partial": "{women} women, {men} men",
    "activity_partners": "Partner organizations",
    "activity_descriptions": "Description",
    "activity_consultants": "Consultants assigned",
    "activity_no_consultants": "No consultant of the roster has an assignment for this activity.",
    "activity_demo_note": (
        "This is a demo activity made by devagenda demo generate, not a real record; "
        "devagenda demo remove takes it out."
    ),
    "activity_links": "Links to the Development Agenda",
    "country_activities_heading": "Technical assistance activities held in or for this country",
    "country_activities_total": "{count} activities (this country as host or beneficiary).",
    "country_activities_none": "The loaded data hold no activity held in or for this country.",
    "country_activities_link": "See these activities",
    "country_activities_year": "{year}",
    "demo_badge": "demo data",
    "figures_data": "Data",
    "figures_real_data": "Real data",
    "figures_demo_data": "Demo data",
    "figures_demo_note": (
        "These figures count only the demo data made by devagenda demo generate, not real records."
    ),
    "country_consultants_heading": "Consultants assigned to this country",
    "country_consultants_total": (
        "{count} consultants of the roster have had an assignment for this country."
    ),
    "country_consultants_none": (
        "No consultant of the loaded roster has had an assignment for this country."
    ),
    "country_consultants_link": "See these consultants",
    "figures_title": "Technical assistance activities: figures",
    "figures_intro": (
        "Every figure below is counted from the stored activities; each chart says how many "
        "activities it rests on, and those that do not state the field are a bar of their own."
    ),
    "figures_report_heading": "The annual report's figure",
    "figures_report_sentence": (
        "The database records {count} technical assistance activities undertaken by WIPO in "
        "{year} with participants from developing countries, LDCs and countries in transition."
    ),
    "figures_report_basis": (
        "Counted from the {total} activities of {year} stored; {unknown} of them name no country."
    ),
    "figures_report_groups": "By country group (an activity may count under several):",
    "figures_year": "Year:",
    "figures_all_years": "All years",
    "figures_by_region": "Activities by WIPO region",
    "figures_by_group": "Activities by country group",
    "figures_by_type": "Activities by type",
    "figures_by_mode": "Activities by mode",
    "figures_by_sector": "Activities by sector",
    "figures_basis": "Rests on {total} activities, {unknown} of which do not state it.",
    "figures_multi_note": (
        "An activity for countries of several regions (or groups) counts once under each."
    ),
    "figures_per_year": "Year by year",
    "figures_none": "No activities are stored.",
    "figures_per_year_chart": "Activities per year",
    "figures_per_year_basis": (
        "Rests on {total} activities, {unknown} of which state no start date."
    ),
    "figures_api": "The same figures from the API:",
    "form_activity_type": "Type",
    "form_activity_mode": "Mode",
    "form_organising_unit": "Organising unit",
    "form_venue_city": "Venue city",
    "form_host_country": "Host country",
    "form_host_country_hint": "ISO alpha-3 code, e.g. LKA.",
    "form_participants": "Participants",
    "form_participants_women": "of whom women",
    "form_participants_men": "of whom men",
    "form_funding_source": "Funding source",
    "form_subject_areas": "IP subject areas",
    "form_subject_areas_hint": (
        "Area codes, one per line or separated by commas: patents, copyright."
    ),
    "form_languages": "Languages",
    "form_languages_hint": "ISO 639-1 codes, one per line or separated by commas: en, fr.",
    "form_partners": "Partner organizations",
    "form_partners_hint": "One organization per line.",
    "form_expected_results": "Expected results",
    "form_expected_results_hint": (
        "Expected result codes, one per line or separated by commas: 4.1."
    ),
    "form_projects": "DA projects",
    "form_projects_hint": (
        "Project numbers (as in their address), one per line or separated by commas."
    ),
    "form_description_zh": "Description in Chinese",
    "form_description_en": "Description in English",
    "record_type_activity": "Activity",
    "record_type_activity_title": "Activity title",
    "record_type_activity_description": "Activity description",
    "record_type_activity_beneficiary": "Activity beneficiary",
    "record_type_activity_subject_area": "Activity IP subject area",
    "record_type_activity_language": "Activity language",
    "record_type_activity_partner": "Partner organization",
    "record_type_activity_recommendation": "Recommendation the activity implements",
    "record_type_activity_expected_result": "Expected result of the activity",
    "record_type_activity_project": "Project the activity is part of",
    "record_type_activity_fact_source": "Activity fact source",
    "field_type": "Type",
    "field_mode": "Mode",
    "field_organising_unit": "Organising unit",
    "field_venue_city": "Venue city",
    "field_host_country_alpha3": "Host country",
    "field_participants": "Participants",
    "field_participants_women": "Women participants",
    "field_participants_men": "Men participants",
    "field_funding_source": "Funding source",
    "field_area_code": "IP subject area",
    "field_name": "Name",
    "field_activity_id": "Activity",
    "nav_consultants": "Consultants",
    "nav_flexibilities": "Flexibilities",
    "home_flexibilities": "{provisions} of {jurisdictions} recorded.",
    "home_flexibility_updates": "{year}: {updates} received",
    "country_flexibilities_total": (
        "The flexibilities database holds {provisions} and {updates} of this country."
    ),
    "flex_n_provisions": "{count} provisions",
    "flex_n_provisions_one": "{count} provision",
    "flex_n_jurisdictions": "{count} jurisdictions",
    "flex_n_jurisdictions_one": "{count} jurisdiction",
    "flex_n_updates": "{count} Member State updates",
    "flex_n_updates_one": "{count} Member State update",
    "flex_title": "Flexibilities in the IP system",
    "flex_intro": (
        "How each jurisdiction implements the flexibilities of the international IP system "
        "in its law: the law, the articles, the text and the Member State updates."
    ),
    "flex_jurisdiction_code": "Jurisdiction code (ISO alpha-3)",
    "flex_compare_jurisdiction": "All flexibilities of this jurisdiction",
    "flex_categories": "Flexibility categories",
    "flex_jurisdiction": "Jurisdiction",
    "flex_category": "Flexibility",
    "flex_law": "Law",
    "flex_articles": "Articles",
    "flex_in_force": "In force",
    "flex_updates": "Member State updates",
    "flex_not_stated": (
        "No provision of this jurisdiction is recorded (not stated, which is not none)."
    ),
    "flex_choose_jurisdictions": "Jurisdictions to compare (ISO codes, comma-separated)",
    "flex_compare": "Compare",
    "flex_export": "Export:",
    "flex_submit_update": "Submit a Member State update",
    "flex_no_updates": "No Member State updates yet.",
    "flex_law_number": "Number of the law",
    "flex_law_date": "Date of the law",
    "flex_link": "Link",
    "flex_text": "Text",
    "flex_effect_amends": "amends",
    "flex_effect_adds": "adds",
    "flex_update_note": (
        "An update is published as soon as it is submitted, and its history is kept. "
        "Cite the official communication it rests on."
    ),
    "flex_problems": "The update was not saved; correct these fields:",
    "flex_new_provision": "Add a provision the database does not hold",
    "flex_publish": "Submit and publish",
    "flex_field_communication_reference": "Reference of the official communication",
    "flex_field_communication_date": "Date of the communication",
    "flex_field_summary": "Summary of the update",
    "flex_field_provision": "Provision it amends",
    "flex_field_category": "Category of a new provision",
    "flex_field_law_title": "Title of the law",
    "flex_field_law_number": "Number of the law",
    "flex_field_articles": "Articles",
    "flex_field_language": "Language of the text",
    "flex_field_text": "Verbatim text",
    "flex_field_link": "Link",
    "flex_code": "Provision code",
    "flex_code_hint": "The key an import file updates the provision by, e.g. KEN-RE-1.",
    "flex_text_ar": "Text in Arabic",
    "flex_text_en": "Text in English",
    "flex_text_es": "Text in Spanish",
    "flex_text_fr": "Text in French",
    "flex_text_ru": "Text in Russian",
    "flex_text_zh": "Text in Chinese",
    "flex_update_title": "Member State update: {reference}",
    "flex_update_communication_date": "Date of the communication",
    "flex_update_submitted_by": "Submitted by",
    "flex_update_received": "Received and published",
    "flex_update_provisions": "Provisions it concerns",
    "flex_update_no_provisions": "The update is attached to no provision yet.",
    "flex_view_update": "See the update",
    "flex_attach": "Attach this update to the provisions it changes",
    "flex_attach_title": "Attach update {reference}",
    "flex_attach_intro": (
        "Choose the provisions of {country} this update amends or adds. The change log "
        "keeps each attachment."
    ),
    "flex_attach_provisions": "Provisions",
    "flex_attach_effect": "What the update does to them",
    "flex_attach_button": "Attach",
    "flex_attach_none": "Every provision of this jurisdiction is attached to this update already.",
    "flex_attach_choose": "choose at least one provision",
    "flex_attached": "attached",
    "roster_title": "Roster of consultants (IP-ROC)",
    "roster_name": "Name",
    "roster_own_script": "Name in own script",
    "roster_fields": "IP fields of expertise",
    "roster_languages": "Languages",
    "roster_years": "Assignment years",
    "roster_countries": "Beneficiary countries",
    "roster_gender": "Gender",
    "roster_nationality": "Nationality",
    "roster_email": "E-mail",
    "roster_phone": "Phone",
    "roster_address": "Address",
    "roster_assignments": "Assignments",
    "roster_year": "Year",
    "roster_activity": "Activity",
    "roster_task": "Task",
    "demo": "Demo data",
    "demo_true": "demo data",
    "demo_false": "real data",
    "roster_gender_female": "female",
    "roster_gender_male": "male",
    "roster_gender_other": "other",
    "roster_no_assignments": "No assignments recorded.",
    "roster_name_search": "Find by name (fuzzy, any script or spelling)",
    "roster_personal_note": (
        "Gender, nationality and contact details are personal data, shown to editors and "
        "administrators only; the public sees them only as aggregate counts (counts under 5 "
        "are not published)."
    ),
    "roster_personal_heading": "Personal data (editors only)",
}

# The matchmaking pages keep their words in their own module.
CATALOGS: dict[str, dict[str, str]] = {
    "zh": {**ZH, **match_texts.ZH},
    "en": {**EN, **match_texts.EN},
}


class Messages:
    """The interface strings of one language; templates call it as `t("key", name=value)`."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.catalog = CATALOGS[language]

    def __call__(self, key: str, **values: object) -> str:
        """The message with `values` filled in. A value that is already markup (a title
        from `loc`) keeps its tags and the rest is escaped, rather than the markup being
        pasted in as text that autoescaping then shows as `&lt;span ...`."""
        template = self.catalog[key]
        if any(isinstance(value, Markup) for value in values.values()):
            return Markup.escape(template).format(**values)
        return template.format(**values)

    def counted(self, key: str, count: int) -> str:
        """`count` with its noun, as the CLI's `counted` says it: the message's `_one` form
        for exactly one ("1 connection"), else the message ("2 connections"), the number
        with thousands separators. Chinese, which has no plural, reads alike in both."""
        singular = f"{key}_one"
        chosen = singular if count == 1 and singular in self.catalog else key
        return self(chosen, count=f"{count:,}")

    def label(self, prefix: str, value: object) -> str:
        """An enumeration value's label (`status_approved`), or the value itself when the
        catalog has none, so that a new value shows rather than breaks the page."""
        text = str(getattr(value, "value", value))
        return self.catalog.get(f"{prefix}_{text}", text)

    def date(self, day: date | None, precision: DatePrecision | None = DatePrecision.DAY) -> str:
        """A date as precise as the source states it ("April 2023", not "1 April 2023")."""
        if day is None:
            return self("date_unknown")
        locale = _BABEL_LOCALE[self.language]
        if precision is DatePrecision.YEAR:
            return format_skeleton("y", day, locale=locale)
        if precision is DatePrecision.MONTH:
            return format_skeleton("yMMMM", day, locale=locale)
        return format_date(day, "long", locale=locale)


def choose_language(
    asked: str | None, cookie: str | None, accept_language: str | None
) -> tuple[str, bool]:
    """The page language: `?lang=` first, then the cookie an earlier choice set, then the
    browser's preferences. The flag says whether the choice was made just now (to be
    remembered in the cookie)."""
    if asked in LANGUAGES:
        return asked, True
    if cookie in LANGUAGES:
        return cookie, False
    return _from_accept_language(accept_language or ""), False


def _from_accept_language(header: str) -> str:
    """The supported language the browser prefers most ("en-GB;q=0.8, zh-CN" -> zh)."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, parameters = item.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def pick_text(language: str, zh: str | None, en: str | None) -> str:
    """Plain text in the page language, else in the other one (for exports and charts)."""
    first, second = (zh, en) if language == "zh" else (en, zh)
    return first or second or ""


def localized(language: str, texts: Mapping[str, str | None]) -> Markup:
    """A record's text in the page language, else in the other one, marked with its own
    `lang` so that screen readers pronounce it right."""
    wanted = texts.get(language)
    if wanted:
        return Markup.escape(wanted)
    for other, text in texts.items():
        if text:
            return Markup('<span lang="{}">{}</span>').format(HTML_LANG.get(other, other), text)
    return Markup("")


# pypinyin's phrase dictionary costs about 45 MB a process; names need only the few
# readings below where a character's everyday reading is not the one in the name.
NAME_READINGS = {
    "秘鲁": ["bì", "lǔ"],  # Peru: bì, not mì
    "巴勒斯坦": ["bā", "lè", "sī", "tǎn"],  # Palestine: lè, not lēi
    "波罗的海": ["bō", "luó", "dì", "hǎi"],  # the Baltic: dì, not de
}


@lru_cache(maxsize=1)
def _pinyin() -> Any:
    """pypinyin without its phrase dictionary, and with the readings names need."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    import pypinyin

    pypinyin.load_phrases_dict(
        {name: [[r] for r in readings] for name, readings in NAME_READINGS.items()}
    )
    return pypinyin


@lru_cache(maxsize=4096)
def name_sort_key(language: str, name: str) -> tuple[str, str]:
    """How a name sorts in `language`: Chinese by its pinyin with tones, as Chinese
    dictionaries and indexes order names (乌干达 wū under W); other languages by letters
    without accents ("Côte d'Ivoire" among the C's)."""
    if language == "zh":
        pinyin = _pinyin()
        syllables = pinyin.lazy_pinyin(name, style=pinyin.Style.TONE3, neutral_tone_with_five=True)
        spelled = " ".join(syllables)
    else:
        decomposed = unicodedata.normalize("NFKD", name)
        spelled = "".join(c for c in decomposed if not unicodedata.combining(c))
    return spelled.casefold(), name


# Errors the project raises, by the start of their English message, with their wording.
_INPUT_REASONS = (
    ("not a cursor", "error_cursor"),
    ("unknown query parameter", "error_unknown_param"),
    ("longer than", "error_query_too_long"),
    ("cannot sort by", "error_sort"),
    ("a page number", "error_page"),
    ("this list has", "error_page"),
    ("given more than once", "error_repeated"),
    ("this list has no text filter", "error_no_text_filter"),
)
# Pydantic's error types, with the context value each wording shows.
_VALIDATION_REASONS = {
    "enum": ("error_enum", "expected"),
    "int_parsing": ("error_int", None),
    "int_type": ("error_int", None),
    "greater_than_equal": ("error_ge", "ge"),
    "greater_than": ("error_ge", "gt"),
    "less_than_equal": ("error_le", "le"),
    "less_than": ("error_le", "lt"),
    "string_too_long": ("error_too_long", "max_length"),
    "string_pattern_mismatch": ("error_pattern", None),
    "missing": ("error_missing", None),
    "string_too_short": ("error_empty", None),
    "date_from_datetime_parsing": ("error_date", None),
    "date_parsing": ("error_date", None),
    "date_type": ("error_date", None),
    "decimal_parsing": ("error_number", None),
    "decimal_max_digits": ("error_number", None),
    "decimal_max_places": ("error_number", None),
    "too_long": ("error_too_many", "max_length"),
    "too_short": ("error_empty", None),
}


def describe_error(error: Exception | None, t: Messages, status: int) -> list[str]:
    """What went wrong, in the page language: one line per invalid parameter. The
    English original stays available as the technical detail."""
    if status == 503:
        return [t("busy_text")]
    if status == 413:
        return [t("too_large_text")]
    if error is None or status >= 500:
        return [t("server_error_text")]
    if status == 403:
        return [t("forbidden_text" if isinstance(error, PermissionDenied) else "csrf_refused_text")]
    if isinstance(error, NotFoundError) or status == 404:
        return [t("not_found_text")]
    if isinstance(error, RequestValidationError):
        return [_validation_line(item, t) for item in error.errors()]
    if isinstance(error, InputError):
        key = "error_invalid"
        for start, candidate in _INPUT_REASONS:
            if error.message.startswith(start):
                key = candidate
        if error.field:
            return [t("invalid_param", name=error.field, reason=t(key))]
        return [t("invalid_request", reason=t(key))]
    return [t("invalid_request", reason=t("error_invalid"))]


def _validation_line(item: Mapping[str, object], t: Messages) -> str:
    location = item.get("loc", ())
    parts = [str(p) for p in location[1:]] if isinstance(location, tuple | list) else []
    return t("invalid_param", name=".".join(parts) or "query", reason=validation_reason(item, t))


def validation_reason(item: Mapping[str, object], t: Messages) -> str:
    """What is wrong with one value, by Pydantic's error type, in the page language."""
    key, context_name = _VALIDATION_REASONS.get(str(item.get("type")), ("error_invalid", None))
    context = item.get("ctx")
    values = {}
    if context_name is not None and isinstance(context, Mapping):
        shown = str(context.get(context_name, ""))
        if t.language == "zh":  # Pydantic lists choices in English: 'a', 'b' or 'c'
            shown = shown.replace("' or '", "'、'").replace("', '", "'、'")
        values = {"expected" if key == "error_enum" else "limit": shown}
    return t(key, **values)
