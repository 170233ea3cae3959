"""Chinese stores: residential complex (SQLite), resident rolls (CSV/TSV), hotel stays
(JSONL + gzip), internet cafe (CSV + log) and police exports (zip)."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import _gen_io as io_
import _gen_values as v

COMPLEX_BASE = "新疆维吾尔自治区乌鲁木齐市天山区解放南路88号"
T0 = dt.datetime(2026, 3, 1, 0, 0, 0)


def ts(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


def residents(rng: random.Random, n: int = 400) -> list[dict]:
    """Households in one complex: 1-5 people sharing a flat, ethnicity mostly shared."""
    people: list[dict] = []
    while len(people) < n:
        flat = f"{rng.randint(1, 12)}栋{rng.randint(1, 4)}单元{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
        eth = v.pick(rng, {k: w for k, (w, _) in v.ETHNICITIES.items()})
        for _ in range(min(rng.choice((1, 2, 2, 3, 3, 4, 5)), n - len(people))):
            home = v.URUMQI if rng.random() < 0.5 else None
            p = v.person(rng, home=home, eth=eth if rng.random() < 0.9 else None)
            p["jtzz"] = COMPLEX_BASE + flat
            p["hjdz"] = v.address(rng, p["county"], flat=rng.random() < 0.6)
            people.append(p)
    return people


def residential_complex(out: Path, truth: io_.Truth, rng: random.Random, people: list[dict]) -> None:
    rel = "residential_complex.db"
    zhxx = [(p["name"], p["id"], p["sex"], p["eth"], p["birth"].isoformat(), p["marital"],
             p["party"], p["phone"], p["jtzz"], p["hjdz"], p["religion"]) for p in people]
    adults = [p for p in people if p["age"] >= 16]
    bases = {p["id"]: v.unit_vector(rng) for p in adults}
    log = []
    for i in range(1, 1501):
        t = T0 + dt.timedelta(seconds=i * 400 + rng.randrange(400))
        door = rng.randint(1, 6)
        snap = f"http://fs.zhxq.local/snap/{t:%Y%m%d}/{rng.getrandbits(64):016x}.jpg"
        if rng.random() < 0.03:  # stranger: no match in the library
            row = [i, None, "陌生人", ts(t), f"MJ-{door:02d}", f"RLSB-650102-{door:04d}", snap,
                   round(rng.uniform(0.30, 0.60), 4), None]
        else:
            p = rng.choice(adults)
            row = [i, p["id"], p["name"], ts(t), f"MJ-{door:02d}", f"RLSB-650102-{door:04d}",
                   snap, round(rng.uniform(0.80, 0.995), 4), None]
            if i % 10 == 0:  # the system kept the capture's feature vector for some rows
                row[8] = v.f32_blob(v.unit_vector(rng, base=bases[p["id"]], noise=0.07))
        log.append(tuple(row))
    library = []
    for i, p in enumerate(adults[:50], 1):
        vec = json.dumps([round(x, 6) for x in bases[p["id"]]], separators=(",", ":"))
        library.append((i, p["id"], p["name"], vec, "arcface-r100-v2",
                        ts(T0 - dt.timedelta(days=200 - i))))
    vehicles = []
    for p in rng.sample(adults, 150):
        hp = v.plate(rng, *rng.choices([("新", "A"), ("新", "B"), ("京", "A"), ("沪", "A")],
                                       weights=[80, 8, 6, 6])[0])
        cllx = "重型半挂牵引车" if hp.endswith("挂") else rng.choice(
            ["小型轿车", "小型普通客车", "小型越野客车", "轻型厢式货车"])
        vehicles.append((hp, v.plate_colour(hp), cllx,
                         p["name"], p["id"]))
    io_.write_sqlite(out / rel, [
        "CREATE TABLE zhxx (xm TEXT, sfzh TEXT, xb TEXT, mz TEXT, csrq TEXT, hyzk TEXT, "
        "zzmm TEXT, lxdh TEXT, jtzz TEXT, hjdz TEXT, zjxy TEXT)",
        "CREATE TABLE rlsb_jl (id INTEGER PRIMARY KEY, sfzh TEXT, xm TEXT, tgsj TEXT, "
        "mj_id TEXT, sbbh TEXT, zpdz TEXT, xsd REAL, tz BLOB)",
        "CREATE TABLE rlsb_tzk (id INTEGER PRIMARY KEY, sfzh TEXT, xm TEXT, tz TEXT, "
        "mxbb TEXT, zcsj TEXT)",
        "CREATE TABLE cl (hphm TEXT, hpys TEXT, cllx TEXT, syr TEXT, sfzh TEXT)",
    ], [
        ("INSERT INTO zhxx VALUES (?,?,?,?,?,?,?,?,?,?,?)", zhxx),
        ("INSERT INTO rlsb_jl VALUES (?,?,?,?,?,?,?,?,?)", log),
        ("INSERT INTO rlsb_tzk VALUES (?,?,?,?,?,?)", library),
        ("INSERT INTO cl VALUES (?,?,?,?,?)", vehicles),
    ])
    truth.add(rel, "zhxx", {
        "xm": "PERSON_NAME", "sfzh": "CN_RESIDENT_ID", "xb": "GENDER", "mz": "ETHNICITY",
        "csrq": "DATE_OF_BIRTH", "hyzk": "MARITAL_STATUS", "zzmm": "POLITICAL_AFFILIATION",
        "lxdh": "PHONE_NUMBER", "jtzz": "ADDRESS", "hjdz": "ADDRESS", "zjxy": "RELIGION"})
    face = {"sfzh": "CN_RESIDENT_ID", "xm": "PERSON_NAME", "tz": "FACE_EMBEDDING"}
    truth.add(rel, "rlsb_jl", face)
    truth.add(rel, "rlsb_tzk", face)
    truth.add(rel, "cl", {"hphm": "LICENSE_PLATE", "syr": "PERSON_NAME", "sfzh": "CN_RESIDENT_ID"})


ROLL_FIELDS = ["PERSON_NAME", "CN_RESIDENT_ID", "GENDER", "ETHNICITY", "POLITICAL_AFFILIATION",
               "MARITAL_STATUS", "PHONE_NUMBER", "ADDRESS"]


def _roll_row(rng: random.Random, p: dict, address: str) -> list[str]:
    rid = p["id"].lower() if p["id"].endswith("X") and rng.random() < 0.5 else p["id"]
    phone = v.fmt_mobile(rng, p["phone"]) if p["phone"] else ""
    return [p["name"], rid, p["sex"], p["eth"], p["party"], p["marital"], phone, address]


def resident_rolls(out: Path, truth: io_.Truth, rng: random.Random, people: list[dict]) -> None:
    rows = [_roll_row(rng, p, p["jtzz"]) for p in rng.sample(people, 240)]
    for _ in range(60):
        p = v.person(rng)
        rows.append(_roll_row(rng, p, v.address(rng, p["county"])))
    rng.shuffle(rows)
    header = ["姓名", "身份证号", "性别", "民族", "政治面貌", "婚姻状况", "联系电话", "住址"]
    io_.write(out, "resident_roll.csv", io_.csv_bytes(header, rows))
    truth.add("resident_roll.csv", None, dict(zip(header, ROLL_FIELDS)))

    kashgar = [c for c in v.XJ if c[0] == "653101"]
    rows = []
    for i in range(100):
        p = v.person(rng, home=kashgar if rng.random() < 0.8 else None)
        if i in (17, 63):  # characters outside GBK: only GB18030 can encode them
            p["name"] = p["name"][0] + "䶮" if "·" not in p["name"] else "刘䶮"
        rows.append(_roll_row(rng, p, v.address(rng, p["county"])))
    header = ["xm", "sfzh", "xb", "mz", "zzmm", "hyzk", "lxdh", "zz"]
    data = io_.csv_bytes(header, rows, delimiter="\t", encoding="gb18030", newline="\r\n")
    io_.write(out, "resident_roll_gbk.tsv", data)
    truth.add("resident_roll_gbk.tsv", None, dict(zip(header, ROLL_FIELDS)))


HOTELS = [("6501020011", "天山宾馆", "天山区"), ("6501030027", "丝路商务酒店", "沙依巴克区"),
          ("6501040105", "博格达快捷酒店", "新市区"), ("6501050008", "红山大酒店", "水磨沟区"),
          ("6501020214", "二道桥旅馆", "天山区"), ("6501090031", "米东假日酒店", "米东区")]


def hotel_stays(out: Path, truth: io_.Truth, rng: random.Random, people: list[dict]) -> None:
    adults = [p for p in people if p["age"] >= 18]
    lines = []
    for i in range(1, 301):
        g = rng.choice(adults) if rng.random() < 0.3 else v.person(rng, born=(1950, 2006))
        code, name, district = rng.choice(HOTELS)
        cin = T0 + dt.timedelta(minutes=i * 25 + rng.randrange(25))
        companions = []
        for _ in range(rng.choices((0, 1, 2), weights=(55, 30, 15))[0]):
            c = v.person(rng, eth=g["eth"])
            companions.append({"name": c["name"], "id_no": c["id"]})
        lines.append(io_.json_line({
            "stay_id": f"ST{cin:%Y%m%d}{i:05d}",
            "hotel": {"code": code, "name": name, "district": district},
            "guest": {"name": g["name"], "id_no": g["id"], "nation": g["eth"],
                      "phone": v.fmt_mobile(rng, g["phone"])},
            "companions": companions,
            "checkin": cin.isoformat(timespec="seconds") + "+08:00",
            "checkout": (cin + dt.timedelta(hours=rng.randint(6, 72))).isoformat(
                timespec="seconds") + "+08:00",
            "room": f"{rng.randint(2, 12)}{rng.randint(1, 30):02d}",
        }))
    data = ("\n".join(lines) + "\n").encode()
    io_.write(out, "hotel_stays.jsonl", data)
    io_.write(out, "hotel_stays.jsonl.gz",
              io_.gzip_bytes(("\n".join(lines[:100]) + "\n").encode(), "hotel_stays.jsonl"))
    fields = {"guest.name": "PERSON_NAME", "guest.id_no": "CN_RESIDENT_ID",
              "guest.phone": "PHONE_NUMBER", "guest.nation": "ETHNICITY",
              "companions[].name": "PERSON_NAME", "companions[].id_no": "CN_RESIDENT_ID"}
    truth.add("hotel_stays.jsonl", None, fields)
    truth.add("hotel_stays.jsonl.gz", "hotel_stays.jsonl", fields)


def internet_cafe(out: Path, truth: io_.Truth, rng: random.Random, people: list[dict]) -> None:
    users = [p for p in people if 18 <= p["age"] <= 60][:120]
    users += [v.person(rng, born=(1966, 2007)) for _ in range(80)]
    for u in users:
        u["imei"], u["imsi"] = v.imei(rng), v.imsi(rng)
        u["mac"] = v.mac(rng, local=rng.random() < 0.7)  # phones randomise their Wi-Fi MAC
    terminals = [(f"A{n:03d}", f"192.168.10.{n + 10}", v.mac(rng, False, "dash"))
                 for n in range(1, 61)]
    rows, log = [], []
    for i in range(1, 401):
        u, (term, ip, tmac) = rng.choice(users), rng.choice(terminals)
        t_in = T0 + dt.timedelta(minutes=i * 20 + rng.randrange(20), seconds=rng.randrange(60))
        t_out = t_in + dt.timedelta(minutes=rng.randint(15, 480))
        at_counter = rng.random() < 0.3  # verified with a phone at the counter
        rows.append([f"WB{i:06d}", term, u["id"], u["name"], ip, tmac,
                     u["imei"] if at_counter else "", ts(t_in), ts(t_out),
                     f"{(t_out - t_in).seconds / 3600 * 5:.2f}"])
        log.append((t_in, f"INFO login user={u['name']} idcard={u['id']} terminal={term} "
                          f"ip={ip} mac={tmac}"))
        if at_counter:
            log.append((t_in - dt.timedelta(seconds=40),
                        f"INFO realname verify phone={u['phone']} imei={u['imei']} "
                        f"imsi={u['imsi']} wifi_mac={u['mac']}"))
        if rng.random() < 0.25:
            log.append((t_in + dt.timedelta(minutes=3), f"DEBUG heartbeat terminal={term} "
                        f"cpu={rng.randint(2, 99)}% mem={rng.randint(20, 95)}%"))
        if rng.random() < 0.1:
            log.append((t_in + dt.timedelta(minutes=5), "WARN 身份证号:" + u["id"]
                        + " 联系电话:" + u["phone"] + " 上报公安网监平台超时 retry=3"))
        log.append((t_out, f"INFO logout user={u['name']} terminal={term} "
                           f"duration={(t_out - t_in).seconds // 60}m"))
    header = ["session_id", "terminal_no", "card_no", "name", "terminal_ip", "mac", "imei",
              "login_time", "logout_time", "fee"]
    io_.write(out, "internet_cafe/sessions.csv", io_.csv_bytes(header, rows))
    text = "".join(f"{ts(t)} {msg}\n" for t, msg in sorted(log, key=lambda x: x[0]))
    io_.write(out, "internet_cafe/access.log", text.encode())
    truth.add("internet_cafe/sessions.csv", None, {
        "card_no": "CN_RESIDENT_ID", "name": "PERSON_NAME", "terminal_ip": "IP_ADDRESS",
        "mac": "MAC_ADDRESS", "imei": "IMEI"})
    truth.free_text("internet_cafe/access.log", None, [
        "PERSON_NAME", "CN_RESIDENT_ID", "PHONE_NUMBER", "IMEI", "IMSI", "MAC_ADDRESS",
        "IP_ADDRESS"])


CHECKPOINTS = [("650102000101", "河滩快速路-北京路口", 43.8256, 87.6010),
               ("650102000102", "解放南路-人民路口", 43.7877, 87.6236),
               ("650103000207", "西虹路-友好北路口", 43.8102, 87.5903),
               ("650104000311", "北京南路-长春路口", 43.8540, 87.5642),
               ("650105000415", "南湖路-会展大道口", 43.8321, 87.6458)]


def police_exports(out: Path, truth: io_.Truth, rng: random.Random, people: list[dict]) -> None:
    owners = [p for p in people if p["age"] >= 20][:120]
    for p in owners:
        p["plate"] = v.plate(rng)
    passes = []
    for i in range(300):
        t = T0 + dt.timedelta(seconds=i * 1700 + rng.randrange(1700))
        kk = rng.choice(CHECKPOINTS)
        hp = rng.choice(owners)["plate"] if rng.random() < 0.8 else v.plate(rng)
        passes.append({"hphm": hp, "hpys": v.plate_colour(hp),
                       "gcsj": ts(t), "kkbh": kk[0], "kkmc": kk[1],
                       "lat": round(kk[2] + rng.uniform(-0.0004, 0.0004), 6),
                       "lng": round(kk[3] + rng.uniform(-0.0004, 0.0004), 6)})
    owner_rows = [[p["plate"], p["name"], p["id"], p["phone"]] for p in owners[:80]]
    nested = "police/archive/2026/03/vehicle_owners.csv"
    io_.write(out, "exports.zip", io_.zip_bytes([
        ("police/checkpoint_passes.json", io_.json_bytes(passes)),
        (nested, io_.csv_bytes(["hphm", "syr", "sfzh", "lxdh"], owner_rows)),
    ]))
    truth.add("exports.zip", "police/checkpoint_passes.json", {
        "hphm": "LICENSE_PLATE", "lat": "GEO_COORDINATES", "lng": "GEO_COORDINATES"})
    truth.add("exports.zip", nested, {"hphm": "LICENSE_PLATE", "syr": "PERSON_NAME",
                                      "sfzh": "CN_RESIDENT_ID", "lxdh": "PHONE_NUMBER"})
