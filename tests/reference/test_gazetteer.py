"""Finding countries and groups by name: exactly, fuzzily and in running text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.reference.report_names import REPORT_COUNTRY_NAMES, REPORT_GROUP_NAMES

from devagenda.core.errors import NotFoundError
from devagenda.reference.gazetteer import Gazetteer, NamedEntry, normalize_name

REPORT = Path(__file__).resolve().parents[2] / "data" / "reports" / "dg-report-da-2023.zh.txt"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_reference_data()


@pytest.fixture(scope="module")
def report() -> str:
    return REPORT.read_text(encoding="utf-8")


def found(gazetteer: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(match.text, match.entry.key) for match in gazetteer.find_in_text(text)]


def footnote(report: str, number: int) -> str:
    (body,) = re.findall(rf"\[{number}:([^\]]*)\]", report)
    return body


# --- resolve -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("坦桑尼亚", "TZA"),
        ("Tanzania", "TZA"),
        ("玻利维亚", "BOL"),
        ("Bolivia", "BOL"),
        ("摩尔多瓦", "MDA"),
        ("Moldova", "MDA"),
        ("叙利亚", "SYR"),
        ("Syria", "SYR"),
        ("老挝", "LAO"),
        ("Laos", "LAO"),
        ("韩国", "KOR"),
        ("South Korea", "KOR"),
        ("朝鲜", "PRK"),
        ("North Korea", "PRK"),
        ("美国", "USA"),
        ("United States", "USA"),
        ("英国", "GBR"),
        ("United Kingdom", "GBR"),
        ("俄罗斯", "RUS"),
        ("Russia", "RUS"),
        ("伊朗", "IRN"),
        ("Iran", "IRN"),
        ("委内瑞拉", "VEN"),
        ("Venezuela", "VEN"),
        ("土耳其", "TUR"),
        ("土耳其共和国", "TUR"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("埃斯瓦蒂尼", "SWZ"),
        ("斯威士兰", "SWZ"),
        ("Swaziland", "SWZ"),
        ("多米尼加", "DOM"),
        ("多米尼克", "DMA"),
        ("越南", "VNM"),
        ("越南社会主义共和国", "VNM"),
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("刚果民主共和国", "COD"),
        ("刚果", "COG"),
        ("Czech Republic", "CZE"),
        ("Cape Verde", "CPV"),
        ("Holy See", "VAT"),
        ("巴勒斯坦", "PSE"),
        ("非洲集团", "AFRICAN_GROUP"),
        ("GRULAC", "GRULAC"),
        ("东盟", "ASEAN"),
        ("西非经货联", "WAEMU"),
        ("UEMOA", "WAEMU"),
        ("欧亚专利组织", "EAPO"),
        ("欧盟", "EU"),
    ],
)
def test_aliases_resolve(gazetteer, name, key) -> None:
    entry = gazetteer.resolve(name)
    assert entry is not None, name
    assert entry.key == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("  the   Gambia ", "GMB"),
        ("THE GAMBIA", "GMB"),
        ("“坦桑尼亚联合共和国”", "TZA"),
        ("《多民族玻利维亚国》。", "BOL"),
        ("刚果（金）", "COD"),
        ("刚果(金)", "COD"),
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Guinea Bissau", "GNB"),
        ("ＡＲＩＰＯ", "ARIPO"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Bolivia （Plurinational State of）", "BOL"),
    ],
)
def test_resolve_ignores_case_spacing_quotes_and_width(gazetteer, name, key) -> None:
    entry = gazetteer.resolve(name)
    assert entry is not None and entry.key == key


def test_a_name_shared_by_a_country_and_a_group_is_the_country(gazetteer) -> None:
    assert gazetteer.resolve("中国").key == "CHN"
    assert gazetteer.resolve("China").kind == "country"
    assert gazetteer.entry("CHINA").kind == "regional_group"


def test_every_shipped_name_resolves_to_its_own_entry(gazetteer) -> None:
    for entry in gazetteer.entries:
        for name in entry.names:
            resolved = gazetteer.resolve(name)
            shared_with_country = entry.kind != "country" and resolved.kind == "country"
            assert resolved == entry or shared_with_country, (name, entry.key, resolved.key)


def test_entry_by_key(gazetteer) -> None:
    assert gazetteer.entry("TZA").name_zh == "坦桑尼亚联合共和国"
    assert gazetteer.entry("WAEMU").name_en == "West African Economic and Monetary Union"
    with pytest.raises(NotFoundError):
        gazetteer.entry("XXX")


def test_keys_must_be_unique() -> None:
    entry = NamedEntry("ABC", "country", ("A",), "A", "甲")
    with pytest.raises(ValueError, match="same key"):
        Gazetteer([entry, entry])


def test_normalize_name() -> None:
    assert normalize_name("  The  Bahamas ") == "bahamas"
    assert normalize_name("「刚果（布）」") == "刚果(布)"
    assert normalize_name("Türkiye") == "turkiye"


# --- candidates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Tanzanai", "TZA"),
        ("坦桑尼亚联合共国", "TZA"),
        ("Republic of Moldava", "MDA"),
        ("多民族波利维亚国", "BOL"),
        ("Nigeira", "NGA"),
        ("Burkina-Fasso", "BFA"),
    ],
)
def test_a_misspelt_name_does_not_resolve_but_is_the_first_candidate(gazetteer, name, key) -> None:
    assert gazetteer.resolve(name) is None
    candidates = gazetteer.candidates(name)
    assert candidates[0][0].key == key


def test_candidates_are_one_per_entry_best_first(gazetteer) -> None:
    candidates = gazetteer.candidates("Guinea", limit=4)
    assert len(candidates) == 4
    keys = [entry.key for entry, _score in candidates]
    assert len(set(keys)) == 4
    assert keys[0] == "GIN"
    scores = [score for _entry, score in candidates]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 100
    assert all(0 <= score <= 100 for score in scores)
    assert gazetteer.candidates("  ") == []
    assert gazetteer.candidates("Guinea", limit=0) == []


# --- find_in_text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("尼日尔和尼日利亚", [("尼日尔", "NER"), ("尼日利亚", "NGA")]),
        ("尼日利亚、尼日尔", [("尼日利亚", "NGA"), ("尼日尔", "NER")]),
        (
            "几内亚、几内亚比绍、赤道几内亚和巴布亚新几内亚",
            [
                ("几内亚", "GIN"),
                ("几内亚比绍", "GNB"),
                ("赤道几内亚", "GNQ"),
                ("巴布亚新几内亚", "PNG"),
            ],
        ),
        ("苏丹和南苏丹", [("苏丹", "SDN"), ("南苏丹", "SSD")]),
        ("刚果和刚果民主共和国", [("刚果", "COG"), ("刚果民主共和国", "COD")]),
        ("刚果（金）与刚果(布)", [("刚果（金）", "COD"), ("刚果(布)", "COG")]),
        (
            "多米尼克、多米尼加和多米尼加共和国",
            [("多米尼克", "DMA"), ("多米尼加", "DOM"), ("多米尼加共和国", "DOM")],
        ),
        ("印度、印度尼西亚和印度洋", [("印度", "IND"), ("印度尼西亚", "IDN")]),
        ("中非共和国位于中非", [("中非共和国", "CAF")]),
        ("西非、南部非洲、南非洲和北非", []),
        ("南非和南非洲", [("南非", "ZAF")]),
        ("马里和马里兰", [("马里", "MLI")]),
        ("索马里", [("索马里", "SOM")]),
        ("白俄罗斯和俄罗斯", [("白俄罗斯", "BLR"), ("俄罗斯", "RUS")]),
        ("发展中国家和中国", [("中国", "CHN")]),
        ("欧美国家和拉美国家；美国", [("美国", "USA")]),
        ("加勒比海地区和海地", [("海地", "HTI")]),
        ("西班牙语和葡萄牙文，西班牙的文化", [("西班牙", "ESP")]),
        ("《新加坡条约》在新加坡", [("新加坡", "SGP")]),
        ("内蒙古和蒙古", [("蒙古", "MNG")]),
        (
            "Niger and Nigeria; Guinea, Guinea-Bissau and Papua New Guinea",
            [
                ("Niger", "NER"),
                ("Nigeria", "NGA"),
                ("Guinea", "GIN"),
                ("Guinea-Bissau", "GNB"),
                ("Papua New Guinea", "PNG"),
            ],
        ),
        (
            "Dominica and the Dominican Republic",
            [("Dominica", "DMA"), ("Dominican Republic", "DOM")],
        ),
        (
            "the Republic of Korea and the Democratic People's Republic of Korea",
            [("Republic of Korea", "KOR"), ("Democratic People's Republic of Korea", "PRK")],
        ),
        ("India, the Indian Ocean and Indonesia", [("India", "IND"), ("Indonesia", "IDN")]),
        ("Sudan, South Sudan, the Gulf of Guinea", [("Sudan", "SDN"), ("South Sudan", "SSD")]),
        ("a chad, a turkey, fine china", []),
        ("在Niger举办，ARIPO成员", [("Niger", "NER"), ("ARIPO", "ARIPO")]),
        ("Côte d’Ivoire and Cote d'Ivoire", [("Côte d’Ivoire", "CIV"), ("Cote d'Ivoire", "CIV")]),
        ("United  Republic\nof Tanzania", [("United  Republic\nof Tanzania", "TZA")]),
    ],
)
def test_find_in_text_prefers_the_longest_name(gazetteer, text, expected) -> None:
    assert found(gazetteer, text) == expected


def test_matches_point_into_the_original_text(gazetteer) -> None:
    text = "ＷＩＰＯ与刚果（金）、Türkiye"
    for match in gazetteer.find_in_text(text):
        assert text[match.start : match.end] == match.text
    assert found(gazetteer, text) == [("刚果（金）", "COD"), ("Türkiye", "TUR")]


def test_every_country_name_in_the_report_resolves() -> None:
    gazetteer = Gazetteer.from_reference_data()
    for name, key in {**REPORT_COUNTRY_NAMES, **REPORT_GROUP_NAMES}.items():
        entry = gazetteer.resolve(name)
        assert entry is not None and entry.key == key, name


def test_find_in_text_finds_exactly_the_names_in_the_report(gazetteer, report) -> None:
    names = set(found(gazetteer, report))
    assert names == set(REPORT_COUNTRY_NAMES.items()) | set(REPORT_GROUP_NAMES.items())
    countries = {key for _name, key in names if gazetteer.entry(key).kind == "country"}
    assert len(countries) == 110


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (6, "SWZ ETH GMB LBR MLI NAM NER NGA TZA UGA"),
        (12, "ALB CPV CUB EGY SAU OMN LTU MDA MNG TJK ATG TTO"),
        (
            26,
            "BWA BDI CPV CMR COD ETH GAB GMB GHA GIN KEN LSO LBR MWI MLI MOZ NER NGA NAM STP SYC "
            "ZAF TZA UGA ZWE",
        ),
        (32, "AZE COL CRI DOM EGY SLV ETH GEO IRN PER SAU TTO TUN TUR UKR COL DOM TUR"),
        (34, "DZA ARM CHL ECU IDN PAK SYR VNM"),
        (63, "ALB BGR BIH EST GEO HUN LTU LVA MDA MNE MKD POL ROU SRB SVK TUR UKR"),
        (132, "CRI DOM SLV GTM HND PAN"),
        (136, "CHL COL ECU KEN MAR PER PHL SGP ZAF"),
        (4, "DZA BRA CHN JPN NGA RUS SGP"),
        (147, "ALB KAZ PHL TZA"),
    ],
)
def test_footnote_lists_are_found_exactly(gazetteer, report, number, expected) -> None:
    keys = [key for _text, key in found(gazetteer, footnote(report, number))]
    assert keys == expected.split()


def test_footnote_6_names_ten_countries(gazetteer, report) -> None:
    body = footnote(report, 6)
    assert "十个国家从讲习班中受益" in body
    assert [text for text, _key in found(gazetteer, body)] == [
        "斯威士兰",
        "埃塞俄比亚",
        "冈比亚",
        "利比里亚",
        "马里",
        "纳米比亚",
        "尼日尔",
        "尼日利亚",
        "坦桑尼亚联合共和国",
        "乌干达",
    ]


def test_groups_in_footnotes_35_and_154(gazetteer, report) -> None:
    assert found(gazetteer, footnote(report, 35)) == [
        ("东盟", "ASEAN"),
        ("非洲地区知识产权组织", "ARIPO"),
        ("ARIPO", "ARIPO"),
    ]
    assert [key for _text, key in found(gazetteer, footnote(report, 154))] == [
        "ARIPO",
        "ASEAN",
        "OAPI",
    ]
