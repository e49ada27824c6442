"""The shipped country and group tables, and how bad rows in such files are reported."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pycountry
import pytest

from devagenda.core.errors import InputError
from devagenda.reference.importers import (
    COUNTRY_COLUMNS,
    GROUP_COLUMNS,
    read_countries,
    read_groups,
)
from devagenda.reference.models import DevelopmentStatus, GroupKind, WipoRegion


def codes(text: str) -> set[str]:
    return set(text.split())


# The UN list of least developed countries on 31 December 2023 (Bhutan left it on
# 13 December 2023; Sao Tome and Principe and Solomon Islands were still on it).
LDCS_END_2023 = (
    # Africa (33)
    codes("AGO BEN BFA BDI CAF TCD COM COD DJI ERI ETH GMB GIN GNB LSO LBR MDG MWI MLI MRT")
    | codes("MOZ NER RWA STP SEN SLE SOM SSD SDN TGO UGA TZA ZMB")
    # Asia (8), the Pacific (3), the Caribbean (1)
    | codes("AFG BGD KHM LAO MMR NPL TLS YEM KIR SLB TUV HTI")
)
# WIPO has 193 member states: 190 of the UN's 193, plus three states that are not UN members.
UN_MEMBERS_OUTSIDE_WIPO = {"FSM", "PLW", "SSD"}
WIPO_MEMBERS_OUTSIDE_UN = {"VAT", "COK", "NIU"}
TRANSITION_ECONOMIES = codes("ALB BIH MNE MKD SRB ARM AZE BLR GEO KAZ KGZ MDA RUS TJK TKM UKR UZB")
ARAB_LEAGUE = codes("DZA BHR COM DJI EGY IRQ JOR KWT LBN LBY MRT MAR OMN PSE QAT SAU SOM SDN SYR")
ARAB_LEAGUE |= codes("TUN ARE YEM")


@pytest.fixture(scope="module")
def countries():
    return {record.alpha3: record for record in read_countries()}


@pytest.fixture(scope="module")
def groups():
    return {record.code: record for record in read_groups()}


def test_one_row_per_un_or_wipo_member_state_plus_palestine(countries) -> None:
    assert len(countries) == 197
    un = {code for code, record in countries.items() if record.un_member}
    wipo = {code for code, record in countries.items() if record.wipo_member}
    assert len(un) == 193
    assert len(wipo) == 193
    assert un - wipo == UN_MEMBERS_OUTSIDE_WIPO
    assert wipo - un == WIPO_MEMBERS_OUTSIDE_UN
    assert set(countries) - un - wipo == {"PSE"}


def test_45_least_developed_countries_at_the_end_of_2023(countries) -> None:
    ldcs = {
        code
        for code, record in countries.items()
        if record.development_status is DevelopmentStatus.LDC
    }
    assert len(LDCS_END_2023) == 45
    assert ldcs == LDCS_END_2023
    assert countries["BTN"].development_status is DevelopmentStatus.DEVELOPING


def test_development_status_follows_the_un_classification(countries) -> None:
    by_status = Counter(record.development_status for record in countries.values())
    assert by_status == {
        DevelopmentStatus.LDC: 45,
        DevelopmentStatus.TRANSITION: 17,
        DevelopmentStatus.DEVELOPED: 41,
        DevelopmentStatus.DEVELOPING: 94,
    }
    transition = {
        code
        for code, record in countries.items()
        if record.development_status is DevelopmentStatus.TRANSITION
    }
    assert transition == TRANSITION_ECONOMIES
    assert countries["JPN"].development_status is DevelopmentStatus.DEVELOPED
    assert countries["KOR"].development_status is DevelopmentStatus.DEVELOPING


def test_wipo_regions(countries) -> None:
    def region(code: str) -> WipoRegion:
        return countries[code].wipo_region

    arab = {code for code, record in countries.items() if record.wipo_region is WipoRegion.ARAB}
    assert arab == ARAB_LEAGUE
    assert region("SSD") is WipoRegion.AFRICA
    assert region("ZAF") is WipoRegion.AFRICA
    assert region("KOR") is WipoRegion.ASIA_PACIFIC
    assert region("IRN") is WipoRegion.ASIA_PACIFIC
    assert region("COK") is WipoRegion.ASIA_PACIFIC
    assert region("DOM") is WipoRegion.LATIN_AMERICA_CARIBBEAN
    for code in ("KAZ", "GEO", "TUR", "ISR", "JPN", "AUS", "USA", "VAT"):
        assert region(code) is WipoRegion.TRANSITION_DEVELOPED, code
    # Every transition economy is served by the Division for Transition and Developed
    # Countries, and so is every developed one.
    for record in countries.values():
        if record.development_status in (DevelopmentStatus.TRANSITION, DevelopmentStatus.DEVELOPED):
            assert record.wipo_region is WipoRegion.TRANSITION_DEVELOPED, record.alpha3


def test_codes_agree_with_iso_3166(countries) -> None:
    for code, record in countries.items():
        country = pycountry.countries.get(alpha_3=code)
        assert country is not None
        assert (record.alpha2, record.m49) == (country.alpha_2, country.numeric)
        assert len(record.m49) == 3


def test_un_names_in_both_languages(countries) -> None:
    assert countries["TZA"].name_en == "United Republic of Tanzania"
    assert countries["TZA"].name_zh == "坦桑尼亚联合共和国"
    assert countries["BOL"].name_zh == "多民族玻利维亚国"
    assert countries["TUR"].name_en == "Türkiye"
    assert countries["DOM"].name_zh == "多米尼加共和国"
    assert countries["DMA"].name_zh == "多米尼克"
    assert "坦桑尼亚" in countries["TZA"].aliases_zh
    assert "Turkey" in countries["TUR"].aliases_en


def test_group_members_are_shipped_countries(countries, groups) -> None:
    for group in groups.values():
        assert set(group.members) <= set(countries), group.code
        assert group.code not in countries, "a group code must not look like a country code"
    assert len(groups["ASEAN"].members) == 10
    assert len(groups["OAPI"].members) == 17
    assert set(groups["WAEMU"].members) <= set(groups["ECOWAS"].members)
    assert len(groups["EAPO"].members) == 8
    assert len(groups["EU"].members) == 27
    assert set(groups["LAS"].members) == ARAB_LEAGUE
    assert groups["CHINA"].members == ("CHN",)
    assert {group.kind for group in groups.values()} == set(GroupKind)


def test_the_shipped_files_are_read_once() -> None:
    first, second = read_countries(), read_countries()
    assert first == second
    assert first is not second, "callers get their own list"
    assert all(a is b for a, b in zip(first, second, strict=True))


# --- bad files -------------------------------------------------------------------------

TANZANIA = {
    "alpha2": "TZ",
    "alpha3": "TZA",
    "m49": "834",
    "name_en": "United Republic of Tanzania",
    "name_zh": "坦桑尼亚联合共和国",
    "aliases_en": "Tanzania",
    "aliases_zh": "坦桑尼亚",
    "wipo_region": "africa",
    "development_status": "ldc",
    "un_member": "true",
    "wipo_member": "true",
}
KENYA = {
    **TANZANIA,
    "alpha2": "KE",
    "alpha3": "KEN",
    "m49": "404",
    "name_en": "Kenya",
    "name_zh": "肯尼亚",
    "aliases_en": "Republic of Kenya",
    "aliases_zh": "",
    "development_status": "developing",
}
OAPI = {
    "code": "OAPI",
    "kind": "igo",
    "name_en": "African Intellectual Property Organization",
    "name_zh": "非洲知识产权组织",
    "aliases_en": "OAPI",
    "aliases_zh": "",
    "members": "BEN|BFA",
}


def write_csv(path: Path, columns, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"alpha2": "XX"}, "alpha2"),
        ({"alpha2": "ke"}, "alpha2"),
        ({"alpha3": "TAN"}, "alpha3"),
        ({"m49": "835"}, "m49"),
        ({"wipo_region": "europe"}, "wipo_region"),
        ({"development_status": "least_developed"}, "development_status"),
        ({"un_member": "yes"}, "un_member"),
        ({"name_zh": " "}, "name_zh"),
        ({"aliases_en": "Kenya||Kenia"}, "aliases_en"),
    ],
)
def test_a_bad_country_row_names_file_line_and_field(tmp_path, change, field) -> None:
    path = write_csv(tmp_path / "countries.csv", COUNTRY_COLUMNS, [TANZANIA, {**KENYA, **change}])
    with pytest.raises(InputError) as caught:
        read_countries(path)
    error = caught.value
    assert (error.path, error.line, error.field) == (str(path), 3, field)
    assert str(path) in str(error) and "line 3" in str(error) and repr(field) in str(error)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"alpha2": "TZ", "alpha3": "TZA", "m49": "834"}, "alpha2"),
        ({"name_en": "united republic of  TANZANIA"}, "name_en"),
        ({"aliases_zh": "坦桑尼亚"}, "aliases_zh"),
    ],
)
def test_a_code_or_name_used_twice_is_rejected(tmp_path, change, field) -> None:
    path = write_csv(tmp_path / "countries.csv", COUNTRY_COLUMNS, [TANZANIA, {**KENYA, **change}])
    with pytest.raises(InputError, match="already used on line 2") as caught:
        read_countries(path)
    assert (caught.value.line, caught.value.field) == (3, field)


def test_a_missing_column_is_named(tmp_path) -> None:
    columns = [column for column in COUNTRY_COLUMNS if column != "wipo_member"]
    row = {column: TANZANIA[column] for column in columns}
    path = write_csv(tmp_path / "countries.csv", columns, [row])
    with pytest.raises(InputError, match="missing column") as caught:
        read_countries(path)
    assert (caught.value.path, caught.value.line, caught.value.field) == (
        str(path),
        1,
        "wipo_member",
    )


def test_a_row_with_too_many_values_is_rejected(tmp_path) -> None:
    path = write_csv(tmp_path / "countries.csv", COUNTRY_COLUMNS, [TANZANIA])
    with path.open("a", encoding="utf-8") as handle:
        handle.write(",".join(KENYA.values()) + ",extra\n")
    with pytest.raises(InputError, match="12 values for 11 columns") as caught:
        read_countries(path)
    assert caught.value.line == 3


def test_a_file_that_is_not_utf8_or_missing_is_rejected(tmp_path) -> None:
    path = tmp_path / "countries.csv"
    path.write_bytes(
        ",".join(COUNTRY_COLUMNS).encode() + "\nTZ,TZA,834,Tanzania,坦桑尼亚".encode("gbk")
    )
    with pytest.raises(InputError, match="not UTF-8") as caught:
        read_countries(path)
    assert caught.value.path == str(path)
    with pytest.raises(InputError, match="file not found"):
        read_countries(tmp_path / "nowhere.csv")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "oapi"}, "code"),
        ({"kind": "union"}, "kind"),
        ({"members": "BEN|XYZ"}, "members"),
        ({"members": "BEN|BEN"}, "members"),
        ({"members": "BJ"}, "members"),
    ],
)
def test_a_bad_group_row_names_file_line_and_field(tmp_path, change, field) -> None:
    path = write_csv(tmp_path / "groups.csv", GROUP_COLUMNS, [{**OAPI, **change}])
    with pytest.raises(InputError) as caught:
        read_groups(path)
    assert (caught.value.path, caught.value.line, caught.value.field) == (str(path), 2, field)


def test_a_group_file_is_read_into_records(tmp_path) -> None:
    path = write_csv(tmp_path / "groups.csv", GROUP_COLUMNS, [OAPI])
    (group,) = read_groups(path)
    assert group.kind is GroupKind.IGO
    assert group.members == ("BEN", "BFA")
    assert group.aliases_en == ("OAPI",)
    assert group.aliases_zh == ()
