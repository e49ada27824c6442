"""The matchmaking pages' strings in each interface language, kept apart from the shared
catalog (web/i18n.py merges them in) so that the area's words live together. The figures
are worded as the annual report words them: "19 matchmakings and 15 connections from a
dataset of 250 technology solutions and 136 needs" / "19个牵线搭桥和15个联系"."""

from __future__ import annotations

ZH: dict[str, str] = {
    "nav_match": "牵线搭桥",
    "kind_match_post": "需求或提供",
    "match_title": "牵线搭桥：WIPO Match与WIPO GREEN",
    "match_intro": (
        "WIPO Match将寻求知识产权发展支持的一方与提供支持（资金、技术、公私伙伴关系）的一方"
        "联系起来；WIPO GREEN对绿色技术及其需求做同样的工作。每项需求都会得到最匹配的提供，"
        "并说明理由，反之亦然。"
    ),
    "match_report_sentence": (
        "数据集中有{offers}项技术解决方案和{needs}项需求，"
        "建立了{matchmakings}个牵线搭桥和{connections}个联系。"
    ),
    "match_counts_note": (
        "牵线搭桥：一方表示有兴趣的需求与提供配对；联系：其后进入讨论或更进一步的配对"
        "（即使后来放弃）。年份为首次联系的年份，区域为需求所列第一个国家的区域。"
    ),
    "match_by_year": "按年份",
    "match_by_region": "按区域（需求方）",
    "match_by_dataset": "按数据集",
    "match_group": "分组",
    "match_matchmakings": "牵线搭桥",
    "match_connections": "联系",
    "match_no_connections": "尚未记录牵线搭桥。",
    "match_dataset_wipo_green": "WIPO GREEN",
    "match_dataset_wipo_match": "WIPO Match",
    "match_needs_title": "需求",
    "match_offers_title": "提供",
    "match_all_needs": "全部{count}项需求",
    "match_all_offers": "全部{count}项提供",
    "match_post": "标题",
    "match_key": "编号",
    "match_owner": "发布者",
    "match_owner_type": "发布者类型",
    "match_countries": "国家",
    "match_fields": "知识产权领域",
    "match_languages": "语言",
    "match_support": "支持类型",
    "match_green_category": "绿色技术类别",
    "match_valid_until": "有效期至",
    "match_validity": "有效期",
    "match_valid_from_to": "{start}至{end}",
    "match_valid_from": "自{start}起",
    "match_valid_to": "至{end}",
    "match_description": "说明",
    "match_contact": "联系方式",
    "match_contact_hidden": "联系方式属于个人数据，只向有权查看者显示。",
    "match_not_green": "不属于WIPO GREEN（WIPO Match）",
    "match_side_need": "需求",
    "match_side_offer": "提供",
    "match_untitled": "{key}（无标题）",
    "match_suggestions_need": "最匹配的提供（最佳在前）",
    "match_suggestions_offer": "最匹配的需求（最佳在前）",
    "match_no_suggestions": "没有满足条件（有效期、支持类型、国家或区域、语言）的候选。",
    "match_score": "文本相似度{score}",
    "match_reason_fields": "共同的知识产权领域",
    "match_reason_terms": "两者都提到的术语",
    "match_reason_constraints": "满足的条件",
    "match_reason_none": "无",
    "match_constraint_support": "支持类型：{value}",
    "match_constraint_support_open": "支持类型：一方未说明（不排除）",
    "match_constraint_country": "同一国家：{value}",
    "match_constraint_region": "同一区域：{value}",
    "match_constraint_countries_open": "国家：一方未说明（不排除）",
    "match_constraint_language": "共同语言：{value}",
    "match_constraint_languages_open": "语言：一方未说明（不排除）",
    "match_suggestions_note": (
        "候选须仍然有效、提供所需的支持类型、服务于同一国家或同一区域并有共同语言；"
        "一方未说明的条件不排除候选。排名依据两段文本的多语种相似度。"
    ),
    "match_country_counts": "{needs}项需求和{offers}项提供列有该国。",
    "match_country_none": "没有需求或提供列有该国。",
    "match_country_needs": "该国的需求",
    "match_country_offers": "该国的提供",
    "match_home": "{matchmakings}个牵线搭桥和{connections}个联系，{needs}项需求，{offers}项提供。",
    "match_support_financial": "资金",
    "match_support_technical": "技术",
    "match_support_partnership": "公私伙伴关系",
    "match_support_licence": "许可",
    "match_support_collaboration": "合作",
    "match_support_joint_venture": "合资",
    "match_support_sale": "出售",
    "match_green_energy": "能源",
    "match_green_water": "水",
    "match_green_agriculture": "农业",
    "match_green_transport": "交通",
    "match_green_buildings": "建筑",
    "match_green_pollution_waste": "污染与废弃物",
    "match_green_products_materials": "产品与材料",
    "match_owner_ip_office": "知识产权局",
    "match_owner_university": "大学",
    "match_owner_sme": "中小企业",
    "match_owner_community": "社区",
    "match_owner_donor": "捐助方",
    "match_owner_firm": "企业",
    "match_owner_expert": "专家",
    "match_owner_government": "政府",
    "match_owner_ngo": "非政府组织",
}

EN: dict[str, str] = {
    "nav_match": "Matchmaking",
    "kind_match_post": "Need or offer",
    "match_title": "Matchmaking: WIPO Match and WIPO GREEN",
    "match_intro": (
        "WIPO Match connects those who seek support for IP and development with those who "
        "offer it (financial, technical, public-private partnership); WIPO GREEN does the "
        "same for green technologies and needs. Each need gets its best matching offers, "
        "with the reasons, and each offer its best matching needs."
    ),
    "match_report_sentence": (
        "{matchmakings} matchmakings and {connections} connections from a dataset of "
        "{offers} technology solutions and {needs} needs."
    ),
    "match_counts_note": (
        "A matchmaking is a need and an offer paired because one side expressed interest; "
        "a connection is a pair that went on to a discussion or further (even if dropped "
        "later). The year is that of the first contact, the region that of the need's "
        "first country."
    ),
    "match_by_year": "By year",
    "match_by_region": "By region (of the need)",
    "match_by_dataset": "By dataset",
    "match_group": "Group",
    "match_matchmakings": "Matchmakings",
    "match_connections": "Connections",
    "match_no_connections": "No matchmakings recorded yet.",
    "match_dataset_wipo_green": "WIPO GREEN",
    "match_dataset_wipo_match": "WIPO Match",
    "match_needs_title": "Needs",
    "match_offers_title": "Offers",
    "match_all_needs": "All {count} needs",
    "match_all_offers": "All {count} offers",
    "match_post": "Title",
    "match_key": "Key",
    "match_owner": "Posted by",
    "match_owner_type": "Type of poster",
    "match_countries": "Countries",
    "match_fields": "IP fields",
    "match_languages": "Languages",
    "match_support": "Kind of support",
    "match_green_category": "Green technology category",
    "match_valid_until": "Valid until",
    "match_validity": "Validity",
    "match_valid_from_to": "{start} to {end}",
    "match_valid_from": "from {start}",
    "match_valid_to": "until {end}",
    "match_description": "Description",
    "match_contact": "Contact",
    "match_contact_hidden": "The contact details are personal data, shown only to those "
    "allowed to see them.",
    "match_not_green": "Not WIPO GREEN (WIPO Match)",
    "match_side_need": "Need",
    "match_side_offer": "Offer",
    "match_untitled": "{key} (no title)",
    "match_suggestions_need": "Best matching offers, best first",
    "match_suggestions_offer": "Best matching needs, best first",
    "match_no_suggestions": "No candidate meets the conditions (validity, kind of support, "
    "country or region, language).",
    "match_score": "text similarity {score}",
    "match_reason_fields": "IP fields both name",
    "match_reason_terms": "Terms both texts use",
    "match_reason_constraints": "Conditions met",
    "match_reason_none": "none",
    "match_constraint_support": "kind of support: {value}",
    "match_constraint_support_open": "kind of support: not stated by one side (not excluded)",
    "match_constraint_country": "same country: {value}",
    "match_constraint_region": "same region: {value}",
    "match_constraint_countries_open": "countries: not stated by one side (not excluded)",
    "match_constraint_language": "shared language: {value}",
    "match_constraint_languages_open": "languages: not stated by one side (not excluded)",
    "match_suggestions_note": (
        "A candidate must still be valid, offer the kind of support asked for, serve the same "
        "country or region and share a language; a condition one side does not state does "
        "not exclude it. They are ranked by the multilingual similarity of the two texts."
    ),
    "match_country_counts": "{needs} needs and {offers} offers name this country.",
    "match_country_none": "No need or offer names this country.",
    "match_country_needs": "Needs for this country",
    "match_country_offers": "Offers for this country",
    "match_home": "{matchmakings} matchmakings and {connections} connections; {needs} needs "
    "and {offers} offers.",
    "match_support_financial": "financial",
    "match_support_technical": "technical",
    "match_support_partnership": "public-private partnership",
    "match_support_licence": "licence",
    "match_support_collaboration": "collaboration",
    "match_support_joint_venture": "joint venture",
    "match_support_sale": "sale",
    "match_green_energy": "energy",
    "match_green_water": "water",
    "match_green_agriculture": "agriculture",
    "match_green_transport": "transport",
    "match_green_buildings": "buildings",
    "match_green_pollution_waste": "pollution and waste",
    "match_green_products_materials": "products and materials",
    "match_owner_ip_office": "IP office",
    "match_owner_university": "university",
    "match_owner_sme": "SME",
    "match_owner_community": "community",
    "match_owner_donor": "donor",
    "match_owner_firm": "firm",
    "match_owner_expert": "expert",
    "match_owner_government": "government",
    "match_owner_ngo": "NGO",
}
