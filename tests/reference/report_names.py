"""The countries and groups the 2023 report names, collected by reading it."""

# Every country name printed in the 2023 report (Chinese), listed by hand from a reading of
# the whole file, with where it first appears. Italy, Finland and Portugal appear only as
# languages (意大利语, 芬兰语, 葡萄牙语/葡萄牙文) and are not country mentions.
REPORT_COUNTRY_NAMES = {
    "阿尔及利亚": "DZA",  # fn 4: WIPO's external offices
    "巴西": "BRA",  # fn 4
    "中国": "CHN",  # fn 4
    "日本": "JPN",  # fn 4
    "尼日利亚": "NGA",  # fn 4
    "俄罗斯联邦": "RUS",  # fn 4
    "新加坡": "SGP",  # fn 4
    "斯威士兰": "SWZ",  # fn 6
    "埃塞俄比亚": "ETH",  # fn 6
    "冈比亚": "GMB",  # fn 6
    "利比里亚": "LBR",  # fn 6
    "马里": "MLI",  # fn 6
    "纳米比亚": "NAM",  # fn 6
    "尼日尔": "NER",  # fn 6
    "坦桑尼亚联合共和国": "TZA",  # fn 6
    "乌干达": "UGA",  # fn 6
    "科威特": "KWT",  # fn 7
    "摩洛哥": "MAR",  # fn 7
    "安哥拉": "AGO",  # para 9
    "老挝人民民主共和国": "LAO",  # para 9
    "圣多美和普林西比": "STP",  # para 9
    "孟加拉国": "BGD",  # para 9
    "阿尔巴尼亚": "ALB",  # fn 12
    "佛得角": "CPV",  # fn 12
    "古巴": "CUB",  # fn 12
    "埃及": "EGY",  # fn 12
    "沙特阿拉伯": "SAU",  # fn 12
    "阿曼": "OMN",  # fn 12
    "立陶宛": "LTU",  # fn 12
    "摩尔多瓦共和国": "MDA",  # fn 12
    "蒙古": "MNG",  # fn 12
    "塔吉克斯坦": "TJK",  # fn 12
    "安提瓜和巴布达": "ATG",  # fn 12
    "特立尼达和多巴哥": "TTO",  # fn 12
    "巴基斯坦": "PAK",  # para 15
    "肯尼亚": "KEN",  # para 15
    "圣基茨和尼维斯": "KNA",  # para 15
    "匈牙利": "HUN",  # para 15
    "约旦": "JOR",  # para 16
    "柬埔寨": "KHM",  # para 17
    "多哥": "TGO",  # para 17
    "尼泊尔": "NPL",  # para 17
    "斯里兰卡": "LKA",  # para 18
    "越南": "VNM",  # para 18
    "印度尼西亚": "IDN",  # para 18
    "博茨瓦纳": "BWA",  # fn 26
    "布隆迪": "BDI",  # fn 26
    "喀麦隆": "CMR",  # fn 26
    "刚果民主共和国": "COD",  # fn 26
    "加蓬": "GAB",  # fn 26
    "加纳": "GHA",  # fn 26
    "几内亚": "GIN",  # fn 26
    "莱索托": "LSO",  # fn 26
    "马拉维": "MWI",  # fn 26
    "莫桑比克": "MOZ",  # fn 26
    "塞舌尔": "SYC",  # fn 26
    "南非": "ZAF",  # fn 26
    "津巴布韦": "ZWE",  # fn 26
    "美利坚合众国": "USA",  # para 19 iii)
    "大韩民国": "KOR",  # para 19 iii)
    "加拿大": "CAN",  # para 19 iii)
    "秘鲁": "PER",  # para 19 iv)
    "马来西亚": "MYS",  # para 19 iv)
    "菲律宾": "PHL",  # para 19 v)
    "印度": "IND",  # para 19 vi)
    "阿根廷": "ARG",  # para 19 vii)
    "阿塞拜疆": "AZE",  # fn 32
    "哥伦比亚": "COL",  # fn 32
    "哥斯达黎加": "CRI",  # fn 32
    "多米尼加": "DOM",  # fn 32: WIPO's Chinese short form for the Dominican Republic
    "萨尔瓦多": "SLV",  # fn 32
    "格鲁吉亚": "GEO",  # fn 32
    "伊朗伊斯兰共和国": "IRN",  # fn 32
    "突尼斯": "TUN",  # fn 32
    "土耳其": "TUR",  # fn 32
    "乌克兰": "UKR",  # fn 32
    "亚美尼亚": "ARM",  # fn 34
    "智利": "CHL",  # fn 34
    "厄瓜多尔": "ECU",  # fn 34
    "阿拉伯叙利亚共和国": "SYR",  # fn 34
    "不丹": "BTN",  # para 22 (ii)
    "贝宁": "BEN",  # para 22 (ii)
    "塞内加尔": "SEN",  # para 22 (ii)
    "纽埃": "NIU",  # para 22 (viii)
    "韩国": "KOR",  # fn 45: 韩国信托基金
    "Bhutan": "BTN",  # fn 48: "Aqua Bhutan"
    "沙特": "SAU",  # para 31: 沙特知识产权局
    "巴林王国": "BHR",  # para 33
    "多民族玻利维亚国": "BOL",  # para 33
    "保加利亚": "BGR",  # fn 63
    "波斯尼亚和黑塞哥维那": "BIH",  # fn 63
    "爱沙尼亚": "EST",  # fn 63
    "拉脱维亚": "LVA",  # fn 63
    "黑山": "MNE",  # fn 63
    "北马其顿": "MKD",  # fn 63
    "波兰": "POL",  # fn 63
    "罗马尼亚": "ROU",  # fn 63
    "塞尔维亚": "SRB",  # fn 63
    "斯洛伐克": "SVK",  # fn 63
    "科特迪瓦": "CIV",  # para 34
    "墨西哥": "MEX",  # para 35
    "法国": "FRA",  # fn 75
    "联合王国": "GBR",  # fn 75
    "乌拉圭": "URY",  # fn 94
    "布基纳法索": "BFA",  # para 47 (ii)
    "阿拉伯联合酋长国": "ARE",  # para 47 (iii)
    "多米尼加共和国": "DOM",  # para 59
    "危地马拉": "GTM",  # fn 132
    "洪都拉斯": "HND",  # fn 132
    "巴拿马": "PAN",  # fn 132
    "泰国": "THA",  # fn 135
    "牙买加": "JAM",  # para 65
    "哈萨克斯坦": "KAZ",  # fn 147
    "西班牙": "ESP",  # para 73: 西班牙提案
}
REPORT_GROUP_NAMES = {
    "东南亚国家联盟": "ASEAN",
    "东盟": "ASEAN",
    "欧亚专利组织": "EAPO",
    "非洲集团": "AFRICAN_GROUP",
    "非洲地区知识产权组织": "ARIPO",
    "ARIPO": "ARIPO",
    "安第斯共同体": "ANDEAN",
    "西非国家经济共同体": "ECOWAS",
    "西非经共体": "ECOWAS",
    "拉丁美洲和加勒比国家集团": "GRULAC",
    "拉丁美洲及加勒比国家集团": "GRULAC",
    "B集团": "GROUP_B",
    "西非经济货币联盟": "WAEMU",
    "西非经货联": "WAEMU",
    "中欧和波罗的海国家": "CEBS",
    "CEBS": "CEBS",
    "非洲知识产权组织": "OAPI",
    "OAPI": "OAPI",
    "欧洲联盟": "EU",
    "非洲联盟": "AU",
    # Intergovernmental organizations named as partners, and in recommendation 40.
    "世界卫生组织": "WHO",
    "世卫组织": "WHO",
    "WHO": "WHO",
    "世界贸易组织": "WTO",
    "世贸组织": "WTO",
    "WTO": "WTO",
    "联合国贸易和发展会议": "UNCTAD",
    "贸发会议": "UNCTAD",
    "UNCTAD": "UNCTAD",
    "粮食及农业组织": "FAO",
    "粮农组织": "FAO",
    "国际劳工组织": "ILO",
    "劳工组织": "ILO",
    "联合国环境规划署": "UNEP",
    "环境署": "UNEP",
    "UNEP": "UNEP",
    "经济合作与发展组织": "OECD",
    "经合组织": "OECD",
    "教科文组织": "UNESCO",
    "UNESCO": "UNESCO",
    "工发组织": "UNIDO",
    "UNIDO": "UNIDO",
    "国际贸易中心": "ITC",
    "联合国南南合作办公室": "UNOSSC",
    "UNOSSC": "UNOSSC",
}
