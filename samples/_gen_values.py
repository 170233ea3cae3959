"""Synthetic value factories for samples/generate.py (Chinese identifiers and people).

Everything here is driven by one ``random.Random`` passed in; no global state, no clock.
Vectors use only +, -, * and sqrt (IEEE correctly rounded), so they are identical on
every platform; ``random.gauss`` would go through libm (log/cos), which may differ in
the last bit between C libraries.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import struct

from stdnum.cn import ric

# (code, province, city, county, first year the code existed or None) — real GB/T 2260
# codes. Several postdate many birth years (米东区 2007, 高昌区 2015, 伊州区 2016, 滨海新区
# 2009 …): such IDs are valid in the real world but stdnum.cn.ric.is_valid rejects them.
COUNTIES = [
    ("650102", "新疆维吾尔自治区", "乌鲁木齐市", "天山区", 1983),
    ("650103", "新疆维吾尔自治区", "乌鲁木齐市", "沙依巴克区", 1983),
    ("650104", "新疆维吾尔自治区", "乌鲁木齐市", "新市区", 1983),
    ("650105", "新疆维吾尔自治区", "乌鲁木齐市", "水磨沟区", 1983),
    ("650109", "新疆维吾尔自治区", "乌鲁木齐市", "米东区", 2007),
    ("650402", "新疆维吾尔自治区", "吐鲁番市", "高昌区", 2015),
    ("650502", "新疆维吾尔自治区", "哈密市", "伊州区", 2016),
    ("652301", "新疆维吾尔自治区", "昌吉回族自治州", "昌吉市", 1983),
    ("652801", "新疆维吾尔自治区", "巴音郭楞蒙古自治州", "库尔勒市", None),
    ("652901", "新疆维吾尔自治区", "阿克苏地区", "阿克苏市", 1983),
    ("653101", "新疆维吾尔自治区", "喀什地区", "喀什市", None),
    ("653201", "新疆维吾尔自治区", "和田地区", "和田市", 1983),
    ("654002", "新疆维吾尔自治区", "伊犁哈萨克自治州", "伊宁市", 2001),
    ("110105", "北京市", "北京市", "朝阳区", None),
    ("110115", "北京市", "北京市", "大兴区", 2001),
    ("120116", "天津市", "天津市", "滨海新区", 2009),
    ("310115", "上海市", "上海市", "浦东新区", 1992),
    ("330106", "浙江省", "杭州市", "西湖区", 1983),
    ("410105", "河南省", "郑州市", "金水区", 1983),
    ("440305", "广东省", "深圳市", "南山区", 1990),
    ("510107", "四川省", "成都市", "武侯区", 1990),
    ("610113", "陕西省", "西安市", "雁塔区", 1983),
    ("620102", "甘肃省", "兰州市", "城关区", 1983),
    ("630102", "青海省", "西宁市", "城东区", 1983),
    ("640104", "宁夏回族自治区", "银川市", "兴庆区", 2002),
]
XJ = [c for c in COUNTIES if c[0].startswith("65")]
URUMQI = [c for c in XJ if c[0].startswith("6501")]
INLAND = [c for c in COUNTIES if not c[0].startswith("65")]
HUI_HOME = [c for c in COUNTIES if c[0][:2] in ("62", "63", "64", "65")]

STREETS = ["人民路", "解放南路", "建设路", "团结路", "友好北路", "新华路", "光明路", "和平路",
           "文化路", "胜利路", "长江路", "黄河路", "南湖路", "北京路", "幸福路", "东风路"]
COMPLEXES = ["幸福家园", "阳光小区", "和谐苑", "金桥花园", "明珠园", "康乐小区"]

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕")
HUI_SURNAMES = list("马杨丁白金穆哈纳海沙")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉鹏宇浩婷雪琳晨欣怡轩涵博思雨嘉佳俊志海峰斌红玉兰凤")
UY_MALE = ["买买提", "艾力", "阿不都", "吐尔逊", "艾尔肯", "努尔", "亚森", "阿里木", "肉孜", "依明",
           "卡德尔", "斯拉木", "帕尔哈提", "米吉提", "热合曼", "塔依尔", "玉苏甫", "阿布拉", "麦麦提"]
UY_FEMALE = ["古丽", "热依拉", "阿依古丽", "帕提古丽", "迪丽努尔", "努尔古丽", "阿依努尔", "热娜",
             "米热古丽", "祖丽菲亚", "海尼沙", "布佐拉", "再努尔", "阿米娜"]
KZ_MALE = ["叶尔兰", "努尔兰", "别克", "哈力木", "加尔肯", "阿斯哈尔", "赛力克", "巴合提"]
KZ_FEMALE = ["阿依达娜", "加娜尔", "古丽娜尔", "沙吾烈", "阿依曼"]

# ethnicity -> (weight, religion weights)
ETHNICITIES = {
    "维吾尔族": (45, {"伊斯兰教": 85, "无": 15}),
    "汉族": (33, {"无": 80, "佛教": 10, "基督教": 5, "道教": 3, "天主教": 2}),
    "回族": (10, {"伊斯兰教": 85, "无": 15}),
    "哈萨克族": (7, {"伊斯兰教": 80, "无": 20}),
    "柯尔克孜族": (2, {"伊斯兰教": 80, "无": 20}),
    "蒙古族": (2, {"佛教": 60, "无": 40}),
    "锡伯族": (1, {"无": 70, "佛教": 30}),
}
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "155", "156", "158", "159", "166", "173", "177", "180", "181", "186",
                   "187", "188", "189", "191", "198", "199"]
IMEI_TACS = ["35332811", "35891603", "35407115", "35925406", "86938603", "86769504",
             "86106203", "86453704", "86015305"]
IMSI_PLMNS = ["46000", "46001", "46002", "46007", "46011"]
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, O


def pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def mod11_2(first17: str) -> str:
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(d) * x for d, x in zip(first17, w)) % 11]


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str(-total % 10)


def luhn_ok(number: str) -> bool:
    return luhn_digit(number[:-1]) == number[-1]


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


def resident_id(rng: random.Random, county: str, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{county}{birth:%Y%m%d}{seq:03d}"
    out = body + mod11_2(body)
    assert ric.calc_check_digit(out) == out[-1]
    return out


def cn_name(rng: random.Random, eth: str, male: bool) -> str:
    if eth in ("维吾尔族", "柯尔克孜族"):
        own = rng.choice(UY_MALE if male else UY_FEMALE)
        return f"{own}·{rng.choice(UY_MALE)}"
    if eth == "哈萨克族":
        own = rng.choice(KZ_MALE if male else KZ_FEMALE)
        return f"{own}·{rng.choice(KZ_MALE)}"
    surname = rng.choice(HUI_SURNAMES if eth == "回族" else SURNAMES)
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def cn_mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def fmt_mobile(rng: random.Random, number: str) -> str:
    """Vary the presentation as real exports do."""
    form = rng.choices(range(5), weights=[60, 12, 12, 8, 8])[0]
    a, b, c = number[:3], number[3:7], number[7:]
    return [number, f"{a} {b} {c}", f"{a}-{b}-{c}", f"+86 {a} {b} {c}", f"+86{number}"][form]


def address(rng: random.Random, county: tuple, flat: bool = True) -> str:
    _, prov, city, cty, _ = county
    head = prov + ("" if city == prov else city) + cty
    s = f"{head}{rng.choice(STREETS)}{rng.randint(1, 400)}号"
    if flat:
        s += (f"{rng.choice(COMPLEXES)}{rng.randint(1, 20)}栋{rng.randint(1, 4)}单元"
              f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}室")
    return s


def plate(rng: random.Random, prov: str = "新", letter: str = "A") -> str:
    alnum = "0123456789" * 3 + PLATE_LETTERS
    digits = "".join(rng.choice("0123456789") for _ in range(4))
    form = rng.choices(range(5), weights=[55, 15, 10, 15, 5])[0]
    if form == 0:  # ordinary: 5 alphanumerics, at most two letters
        tail = [rng.choice(alnum) for _ in range(5)]
        while sum(ch.isalpha() for ch in tail) > 2:
            tail = [rng.choice(alnum) for _ in range(5)]
        return f"{prov}{letter}{''.join(tail)}"
    if form == 1:  # new-energy small car
        return f"{prov}{letter}{rng.choice('DF')}{rng.choice(alnum)}{digits}"
    if form == 2:  # new-energy large vehicle
        return f"{prov}{letter}{rng.randrange(10**5):05d}{rng.choice('DF')}"
    if form == 3:  # with the separator dot as printed on the plate
        return f"{prov}{letter}·{rng.randrange(10**5):05d}"
    return f"{prov}{letter}{rng.randrange(10**4):04d}挂"  # trailer


def imei(rng: random.Random) -> str:
    body = rng.choice(IMEI_TACS) + f"{rng.randrange(10**6):06d}"
    return body + luhn_digit(body)


def imsi(rng: random.Random) -> str:
    return rng.choice(IMSI_PLMNS) + f"{rng.randrange(10**10):010d}"


def mac(rng: random.Random, local: bool, style: str = "colon") -> str:
    octets = [rng.randrange(256) for _ in range(6)]
    octets[0] = (octets[0] & 0xFC) | (0x02 if local else 0x00)  # unicast; U/L bit
    if style == "dash":
        return "-".join(f"{o:02X}" for o in octets)
    return ":".join(f"{o:02x}" for o in octets)


def unit_vector(rng: random.Random, dim: int = 512, base: list[float] | None = None,
                noise: float = 1.0) -> list[float]:
    # Irwin-Hall(4) approximates a normal variate with +/- only (portable, see module doc)
    v = [sum(rng.random() for _ in range(4)) - 2.0 for _ in range(dim)]
    if base is not None:
        v = [b + noise * x for b, x in zip(base, v)]
    norm = math.sqrt(sum(x * x for x in v))
    return [x / norm for x in v]


def f32_blob(v: list[float]) -> bytes:
    return struct.pack(f"<{len(v)}f", *v)


def person(rng: random.Random, home: list | None = None, eth: str | None = None,
           born: tuple[int, int] = (1950, 2020)) -> dict:
    """A synthetic person with internally consistent ID, sex, birth date and origin."""
    eth = eth or pick(rng, {k: w for k, (w, _) in ETHNICITIES.items()})
    male = rng.random() < 0.5
    birth = rand_date(rng, dt.date(born[0], 1, 1), dt.date(born[1], 12, 31))
    if home is None:
        home = XJ if eth != "汉族" and eth != "回族" else (HUI_HOME if eth == "回族" else COUNTIES)
    county = rng.choice(home)
    age = 2026 - birth.year
    return {
        "name": cn_name(rng, eth, male),
        "id": resident_id(rng, county[0], birth, male),
        "male": male,
        "sex": "男" if male else "女",
        "eth": eth,
        "birth": birth,
        "age": age,
        "county": county,
        "religion": pick(rng, ETHNICITIES[eth][1]),
        "phone": cn_mobile(rng) if age >= 12 else "",
        "party": party(rng, age),
        "marital": marital(rng, age),
    }


def party(rng: random.Random, age: int) -> str:
    if age < 14:
        return "群众"
    if age < 18:
        return pick(rng, {"共青团员": 60, "群众": 40})
    w = {"群众": 62, "中共党员": 16, "共青团员": 12 if age <= 28 else 0, "中共预备党员": 3,
         "民主党派": 2, "无党派人士": 3}
    return pick(rng, w)


def marital(rng: random.Random, age: int) -> str:
    if age < 22:
        return "未婚"
    return pick(rng, {"已婚": 60, "未婚": 20 if age < 40 else 5, "离婚": 12,
                      "丧偶": 2 if age < 60 else 15})


def plate_colour(hp: str) -> str:
    if hp.endswith("挂"):
        return "黄色"
    if len(hp) == 8 and "·" not in hp:
        return "绿色"  # new-energy plates have 6 characters after the authority letter
    return "蓝色"
