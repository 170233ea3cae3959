#!/usr/bin/env python3
"""Deterministic benchmark corpus with planted personal data and its manifest.

    python bench/corpus.py --size 200 --out .bench/corpus [--seed spillguard-bench-v1]

Writes five files holding the same kinds of data (about 30 % / 10 % / 25 % / 25 % / 10 %
of ``--size`` MB on disk):

    text.log         log lines and prose, one record per line, PII-dense (about half
                     the lines hold a planted entity)
    logs.log         the same line templates, sparse: about 3 % of the lines hold a
                     planted entity (ordinary application logs); the look-alike and
                     filler lines as in text.log
    records.csv      flat records (header + one row per record)
    records.jsonl    nested records (customer.contact.mobile, session.device_mac …)
    records.parquet  the flat schema of the CSV, other rows

and the manifest of everything planted:

    manifest/text.tsv     line, char_start, char_end, byte_start, byte_end, entity
                          (chars within the line; bytes from the start of the file)
    manifest/logs.tsv     the same columns for logs.log
    manifest/csv.tsv      record, field, entity, value        (record 0 = first data row)
    manifest/jsonl.tsv    record, field, entity, value        (field = spillguard path)
    manifest/parquet.tsv  record, field, entity, value
    manifest/summary.json per format: records, bytes, planted count per entity and per
                          (field, entity); the negatives planted per kind

Planted entities (all synthetic): CN_RESIDENT_ID (MOD 11-2 check, real region codes and
birth dates), PHONE_NUMBER (Chinese mobiles, bare and formatted), EMAIL_ADDRESS,
IP_ADDRESS (IPv4), MAC_ADDRESS, CREDIT_CARD (Luhn-valid Visa, Mastercard, Amex, UnionPay),
IBAN (DE and GB, mod 97), US_SSN (AAA-GG-SSSS, valid ranges, after the keyword "SSN").

Look-alike negatives, so that precision means something: 18-digit order numbers,
18-digit ID look-alikes with a wrong check character, 16-digit tracking numbers that
fail Luhn, bare 9-digit numbers, 10- and 13-digit Unix timestamps, UUIDs, MD5 hashes,
invalid dotted quads, clock times. Nothing else that is personal data is planted
(no names, addresses or birth dates), so a tool's hits of other entity types are not
counted either way.

The output depends only on --seed and --size (random.Random with a string seed; no
clock): same arguments, same bytes.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter
from pathlib import Path

SEED = "spillguard-bench-v1"
SHARES = {"text": 0.30, "logs": 0.10, "csv": 0.25, "jsonl": 0.25, "parquet": 0.10}
# share of logs.log lines drawn from the templates that plant an entity
LOGS_ENTITY_SHARE = 0.03
ENTITIES = (
    "CN_RESIDENT_ID", "PHONE_NUMBER", "EMAIL_ADDRESS", "IP_ADDRESS",
    "MAC_ADDRESS", "CREDIT_CARD", "IBAN", "US_SSN",
)

# --- entity generators ------------------------------------------------------------

# real GB/T 2260 county codes (Beijing, Shanghai, Guangdong, Zhejiang, Jiangsu, Sichuan,
# Hubei, Xinjiang, Shandong, Shaanxi)
_REGIONS = ("110101", "110105", "110108", "310101", "310104", "310115", "440103", "440305",
            "440106", "330106", "320102", "510104", "420102", "650102", "650103", "370102",
            "610113", "330102", "320106", "440304")
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MOBILE = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
           "152", "155", "156", "157", "158", "159", "176", "177", "178", "180", "181",
           "182", "183", "185", "186", "187", "188", "189", "198", "199")
_DOMAINS = ("qq.com", "163.com", "126.com", "gmail.com", "outlook.com", "example-corp.cn",
            "mail.example.org", "sina.com", "yahoo.co.jp", "hotmail.com")
_LOCAL = ("zhang", "wang", "li", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu",
          "anna", "john", "mike", "lucy", "tom", "sara", "david", "emma", "alex", "nina")
_OUIS = ("00:1a:2b", "3c:5a:b4", "f4:5c:89", "00:50:56", "b8:27:eb", "ac:de:48",
         "00:0c:29", "d8:9e:f3", "28:6f:7f", "44:38:39")


def _id_check(body17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(body17, _W)) % 11]


def cn_id(rng: random.Random) -> str:
    y = rng.randint(1950, 2015)
    m = rng.randint(1, 12)
    d = rng.randint(1, _DAYS[m - 1])
    body = f"{rng.choice(_REGIONS)}{y:04d}{m:02d}{d:02d}{rng.randint(0, 999):03d}"
    return body + _id_check(body)


def cn_id_lookalike(rng: random.Random) -> str:
    """Same shape, wrong check character: an order or reference number."""
    v = cn_id(rng)
    wrong = rng.choice([c for c in "0123456789" if c != v[17]])
    return v[:17] + wrong


def mobile(rng: random.Random) -> str:
    p, a, b = rng.choice(_MOBILE), rng.randint(0, 9999), rng.randint(0, 9999)
    r = rng.random()
    if r < 0.6:
        return f"{p}{a:04d}{b:04d}"
    if r < 0.75:
        return f"{p} {a:04d} {b:04d}"
    if r < 0.85:
        return f"{p}-{a:04d}-{b:04d}"
    if r < 0.95:
        return f"+86 {p} {a:04d} {b:04d}"
    return f"+86{p}{a:04d}{b:04d}"


def email(rng: random.Random) -> str:
    local = rng.choice(_LOCAL)
    r = rng.random()
    if r < 0.4:
        local += str(rng.randint(1, 9999))
    elif r < 0.7:
        local += "." + rng.choice(_LOCAL)
    elif r < 0.8:
        local += "_" + str(rng.randint(70, 99))
    return f"{local}@{rng.choice(_DOMAINS)}"


def ipv4(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.25:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if r < 0.4:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    first = rng.choice([i for i in range(1, 224) if i not in (10, 127)])
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def mac(rng: random.Random) -> str:
    oui = rng.choice(_OUIS)
    tail = ":".join(f"{rng.randint(0, 255):02x}" for _ in range(3))
    v = f"{oui}:{tail}"
    r = rng.random()
    if r < 0.6:
        return v
    if r < 0.8:
        return v.upper()
    if r < 0.95:
        return v.replace(":", "-").upper()
    h = v.replace(":", "")
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def _luhn_digit(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        n = int(c)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def card(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.4:
        prefix, length = "4", 16
    elif r < 0.65:
        prefix, length = str(rng.randint(51, 55)), 16
    elif r < 0.8:
        prefix, length = rng.choice(("34", "37")), 15
    else:
        prefix, length = "62", rng.choice((16, 16, 19))
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - 1 - len(prefix)))
    n = body + _luhn_digit(body)
    if rng.random() < 0.3:
        if length == 15:
            return f"{n[:4]} {n[4:10]} {n[10:]}"
        if length == 16:
            return " ".join(n[i : i + 4] for i in range(0, 16, 4))
    return n


def card_lookalike(rng: random.Random) -> str:
    """16 digits starting with 4 that fail Luhn: a tracking number."""
    body = "4" + "".join(str(rng.randint(0, 9)) for _ in range(14))
    good = _luhn_digit(body)
    return body + rng.choice([c for c in "0123456789" if c != good])


def _iban_check(country: str, bban: str) -> str:
    s = bban + country + "00"
    num = "".join(str(int(c, 36)) for c in s)
    return f"{98 - int(num) % 97:02d}"


def iban(rng: random.Random) -> str:
    if rng.random() < 0.6:
        cc, bban = "DE", "".join(str(rng.randint(0, 9)) for _ in range(18))
    else:
        bank = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
        cc, bban = "GB", bank + "".join(str(rng.randint(0, 9)) for _ in range(14))
    v = cc + _iban_check(cc, bban) + bban
    if rng.random() < 0.4:
        return " ".join(v[i : i + 4] for i in range(0, len(v), 4))
    return v


def ssn(rng: random.Random) -> str:
    while True:
        area = rng.randint(1, 899)
        if area == 666:
            continue
        v = f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
        if v not in ("078-05-1120", "219-09-9999"):
            return v


GEN = {
    "CN_RESIDENT_ID": cn_id, "PHONE_NUMBER": mobile, "EMAIL_ADDRESS": email,
    "IP_ADDRESS": ipv4, "MAC_ADDRESS": mac, "CREDIT_CARD": card, "IBAN": iban, "US_SSN": ssn,
}

# --- negatives ----------------------------------------------------------------------


def order_no(rng):
    return f"2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 10**10 - 1):010d}"


def epoch(rng):
    return str(rng.randint(1_600_000_000, 1_760_000_000))


def epoch_ms(rng):
    return str(rng.randint(1_600_000_000_000, 1_760_000_000_000))


def uuid4(rng):
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def md5(rng):
    return f"{rng.getrandbits(128):032x}"


def nine(rng):
    return f"{rng.randint(100_000_000, 999_999_999)}"


def bad_quad(rng):
    return f"{rng.randint(1, 9)}.{rng.randint(10, 40)}.{rng.randint(256, 999)}.{rng.randint(0, 99)}"


def iso_ts(rng):
    return (f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}")


def clock(rng):
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


NEG = {
    "order_no": order_no, "id_lookalike": cn_id_lookalike, "card_lookalike": card_lookalike,
    "epoch": epoch, "epoch_ms": epoch_ms, "uuid": uuid4, "md5": md5, "nine_digits": nine,
    "bad_quad": bad_quad,
}

# --- text ---------------------------------------------------------------------------
# A template is a list of literal strings and {placeholders}; an ENTITY placeholder is
# planted, a lower-case one is a negative or filler.
_TEXT_TEMPLATES = (
    # (weight, template)
    (8, "{ts} INFO  auth.login ok user={EMAIL_ADDRESS} src={IP_ADDRESS} session={uuid} took {int}ms"),
    (6, "{ts} WARN  pay.charge declined card={CREDIT_CARD} order={order_no} amount={amount} CNY"),
    (5, "{ts} INFO  wifi.assoc station {MAC_ADDRESS} joined ap-{int} rssi=-{int} at {epoch}"),
    (5, "客户登记：身份证号 {CN_RESIDENT_ID}，手机 {PHONE_NUMBER}，订单号 {order_no}。"),
    (4, "Please contact {EMAIL_ADDRESS} or call {PHONE_NUMBER} before {clock} to confirm the booking."),
    (3, "{ts} INFO  sepa.transfer to IBAN {IBAN} ref {id_lookalike} amount={amount} EUR"),
    (3, "Applicant SSN: {US_SSN}, file {nine_digits}, received {ts}."),
    (3, "{ts} DEBUG dhcp lease {IP_ADDRESS} -> {MAC_ADDRESS} lease_id={uuid}"),
    (3, "退款已处理，卡号 {CREDIT_CARD}，联系电话 {PHONE_NUMBER}，流水号 {epoch_ms}。"),
    (2, "{ts} INFO  kyc.verify id={CN_RESIDENT_ID} status=passed checksum={md5}"),
    # no entity: look-alike negatives and filler
    (10, "{ts} INFO  http GET /api/v2/orders/{order_no} 200 {int} bytes trace={uuid} ts={epoch_ms}"),
    (8, "{ts} DEBUG shipment {card_lookalike} handed over, tracking {nine_digits}, eta {epoch}"),
    (6, "{ts} INFO  build {bad_quad} deployed to cluster-{int}, digest {md5}, ref {id_lookalike}"),
    (8, "The quarterly report covers {int} regions and {int} product lines; revenue grew {int} percent."),
    (6, "{ts} INFO  cache.evict keys={int} freed={int}KB window={clock}-{clock} job={uuid}"),
    (5, "系统在 {clock} 完成了第 {int} 批次的数据同步，共处理 {int} 条记录，耗时 {int} 秒。"),
    (5, "{ts} ERROR worker-{int} timeout after {int}ms on batch {order_no}, retry {int}/5"),
)
_WEIGHTS = [w for w, _ in _TEXT_TEMPLATES]


def _parse(template: str) -> list[str]:
    out, i = [], 0
    while i < len(template):
        j = template.find("{", i)
        if j < 0:
            out.append(template[i:])
            break
        if j > i:
            out.append(template[i:j])
        k = template.index("}", j)
        out.append(template[j : k + 1])
        i = k + 1
    return out


_PARSED = [_parse(t) for _, t in _TEXT_TEMPLATES]
# does the template plant an entity (an ENTITY placeholder)?
_PLANTS = [any(p[0] == "{" and p[1:-1] in GEN for p in parts) for parts in _PARSED]


def sparse_weights(share: float) -> list[float]:
    """The text template weights with the entity templates scaled down (all by the same
    factor, so their mix is unchanged) so that ``share`` of the lines come from them; the
    look-alike and filler templates keep their weights."""
    ent = sum(w for w, e in zip(_WEIGHTS, _PLANTS) if e)
    rest = sum(w for w, e in zip(_WEIGHTS, _PLANTS) if not e)
    k = share * rest / ((1 - share) * ent)
    return [w * k if e else w for w, e in zip(_WEIGHTS, _PLANTS)]


def _filler(name: str, rng: random.Random) -> str:
    if name == "ts":
        return iso_ts(rng)
    if name == "int":
        return str(rng.randint(1, 9999))
    if name == "amount":
        return f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}"
    if name == "clock":
        return clock(rng)
    return NEG[name](rng)


def gen_text(path: Path, manifest: Path, target_bytes: int, rng: random.Random,
             weights: list[float] | None = None) -> dict:
    """Free text from the line templates, drawn with ``weights`` (default: their own,
    PII-dense; logs.log passes ``sparse_weights``)."""
    weights = _WEIGHTS if weights is None else weights
    planted: Counter = Counter()
    negatives: Counter = Counter()
    entity_lines = 0
    line_no = 0
    byte_pos = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f, open(manifest, "w", encoding="utf-8") as m:
        m.write("line\tchar_start\tchar_end\tbyte_start\tbyte_end\tentity\n")
        out: list[str] = []
        mout: list[str] = []
        while byte_pos < target_bytes:
            t = rng.choices(range(len(_PARSED)), weights=weights)[0]
            parts = _PARSED[t]
            entity_lines += _PLANTS[t]
            chars = 0
            bpos = byte_pos
            pieces = []
            for p in parts:
                if p[0] == "{":
                    name = p[1:-1]
                    if name in GEN:
                        v = GEN[name](rng)
                        bl = len(v.encode("utf-8"))
                        mout.append(f"{line_no}\t{chars}\t{chars + len(v)}\t{bpos}\t{bpos + bl}\t{name}\n")
                        planted[name] += 1
                    else:
                        v = _filler(name, rng)
                        bl = len(v.encode("utf-8"))
                        if name in NEG:
                            negatives[name] += 1
                else:
                    v = p
                    bl = len(v.encode("utf-8"))
                pieces.append(v)
                chars += len(v)
                bpos += bl
            pieces.append("\n")
            out.append("".join(pieces))
            byte_pos = bpos + 1
            line_no += 1
            if len(out) >= 4096:
                f.write("".join(out))
                m.write("".join(mout))
                out, mout = [], []
        f.write("".join(out))
        m.write("".join(mout))
    return {"file": path.name, "records": line_no, "bytes": byte_pos, "planted": dict(planted),
            "negatives": dict(negatives), "entity_lines": entity_lines, "unit": "line"}


def gen_logs(path: Path, manifest: Path, target_bytes: int, rng: random.Random) -> dict:
    """Sparse free text: the text templates, LOGS_ENTITY_SHARE of the lines planting."""
    return gen_text(path, manifest, target_bytes, rng, weights=sparse_weights(LOGS_ENTITY_SHARE))


# --- records ------------------------------------------------------------------------
_REMARKS_PLAIN = ("deliver after 6pm", "gift wrap please", "leave at the front desk", "请放快递柜",
                  "call before delivery", "no invoice needed", "fragile", "周末配送")
FLAT_FIELDS = ("id", "order_no", "created_at", "ts", "request_id", "id_number", "mobile",
               "email", "client_ip", "device_mac", "card_no", "iban", "ssn", "tracking_no",
               "ref_no", "amount", "remark")
# field -> entity planted in it (remark: sometimes a phone or an e-mail in free text)
FLAT_ENTITY = {"id_number": "CN_RESIDENT_ID", "mobile": "PHONE_NUMBER", "email": "EMAIL_ADDRESS",
               "client_ip": "IP_ADDRESS", "device_mac": "MAC_ADDRESS", "card_no": "CREDIT_CARD",
               "iban": "IBAN", "ssn": "US_SSN"}
# the same fields in the nested JSON records, by spillguard's field path
JSON_PATH = {"id_number": "customer.id_number", "mobile": "customer.contact.mobile",
             "email": "customer.contact.email", "client_ip": "session.ip",
             "device_mac": "session.device_mac", "card_no": "payment.card_no",
             "iban": "payment.iban", "ssn": "customer.ssn", "remark": "remark"}


def gen_record(i: int, rng: random.Random) -> tuple[dict, list[tuple[str, str, str]]]:
    """One flat record and its planted (field, entity, value) triples."""
    rec: dict = {"id": i, "order_no": order_no(rng), "created_at": iso_ts(rng),
                 "ts": int(epoch(rng)), "request_id": uuid4(rng)}
    planted = []
    for field, ent in FLAT_ENTITY.items():
        if rng.random() < 0.05:
            rec[field] = None
            continue
        v = GEN[ent](rng)
        rec[field] = v
        planted.append((field, ent, v))
    rec["tracking_no"] = card_lookalike(rng) if rng.random() < 0.5 else nine(rng)
    rec["ref_no"] = cn_id_lookalike(rng)
    rec["amount"] = f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}"
    r = rng.random()
    if r < 0.15:
        v = mobile(rng)
        rec["remark"] = f"请联系 {v} 安排配送"
        planted.append(("remark", "PHONE_NUMBER", v))
    elif r < 0.25:
        v = email(rng)
        rec["remark"] = f"send the invoice to {v}"
        planted.append(("remark", "EMAIL_ADDRESS", v))
    else:
        rec["remark"] = rng.choice(_REMARKS_PLAIN)
    return rec, planted


def nest(rec: dict) -> dict:
    return {
        "id": rec["id"], "order_no": rec["order_no"], "created_at": rec["created_at"], "ts": rec["ts"],
        "request_id": rec["request_id"],
        "customer": {"id_number": rec["id_number"], "ssn": rec["ssn"],
                     "contact": {"mobile": rec["mobile"], "email": rec["email"]}},
        "session": {"ip": rec["client_ip"], "device_mac": rec["device_mac"]},
        "payment": {"card_no": rec["card_no"], "iban": rec["iban"], "amount": rec["amount"]},
        "shipping": {"tracking_no": rec["tracking_no"], "ref_no": rec["ref_no"]},
        "remark": rec["remark"],
    }


def _summary(fmt: str, path: Path, records: int, planted_fields: Counter, negatives: dict) -> dict:
    by_entity: Counter = Counter()
    for (_, ent), n in planted_fields.items():
        by_entity[ent] += n
    return {"file": path.name, "records": records, "bytes": path.stat().st_size,
            "planted": dict(by_entity), "fields": {f"{f}\t{e}": n for (f, e), n in sorted(planted_fields.items())},
            "negatives": negatives, "unit": "record"}


def gen_csv(path: Path, manifest: Path, target_bytes: int, rng: random.Random) -> dict:
    fields: Counter = Counter()
    i = 0
    with open(path, "w", encoding="utf-8", newline="") as f, open(manifest, "w", encoding="utf-8") as m:
        m.write("record\tfield\tentity\tvalue\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(FLAT_FIELDS)
        while f.tell() < target_bytes:
            rows, mrows = [], []
            for _ in range(500):
                rec, planted = gen_record(i, rng)
                rows.append(["" if rec[k] is None else rec[k] for k in FLAT_FIELDS])
                for field, ent, v in planted:
                    mrows.append(f"{i}\t{field}\t{ent}\t{v}\n")
                    fields[(field, ent)] += 1
                i += 1
            w.writerows(rows)
            m.write("".join(mrows))
    return _summary("csv", path, i, fields, {"order_no": i, "id_lookalike": i, "epoch": i, "uuid": i,
                                              "tracking_no": i})


def gen_jsonl(path: Path, manifest: Path, target_bytes: int, rng: random.Random) -> dict:
    fields: Counter = Counter()
    i = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f, open(manifest, "w", encoding="utf-8") as m:
        m.write("record\tfield\tentity\tvalue\n")
        while f.tell() < target_bytes:
            lines, mrows = [], []
            for _ in range(500):
                rec, planted = gen_record(i, rng)
                lines.append(json.dumps(nest(rec), ensure_ascii=False, separators=(",", ":")) + "\n")
                for field, ent, v in planted:
                    mrows.append(f"{i}\t{JSON_PATH[field]}\t{ent}\t{v}\n")
                    fields[(JSON_PATH[field], ent)] += 1
                i += 1
            f.write("".join(lines))
            m.write("".join(mrows))
    return _summary("jsonl", path, i, fields, {"order_no": i, "id_lookalike": i, "epoch": i, "uuid": i,
                                                "tracking_no": i})


def gen_parquet(path: Path, manifest: Path, target_bytes: int, rng: random.Random) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(k, pa.int64() if k in ("id", "ts") else pa.string()) for k in FLAT_FIELDS])
    fields: Counter = Counter()
    i = 0
    with pq.ParquetWriter(path, schema, compression="snappy") as w, open(manifest, "w", encoding="utf-8") as m:
        m.write("record\tfield\tentity\tvalue\n")
        written = 0
        while written < target_bytes:
            cols: dict[str, list] = {k: [] for k in FLAT_FIELDS}
            mrows = []
            for _ in range(5_000):
                rec, planted = gen_record(i, rng)
                for k in FLAT_FIELDS:
                    cols[k].append(rec[k])
                for field, ent, v in planted:
                    mrows.append(f"{i}\t{field}\t{ent}\t{v}\n")
                    fields[(field, ent)] += 1
                i += 1
            table = pa.table(cols, schema=schema)
            w.write_table(table, row_group_size=5_000)
            m.write("".join(mrows))
            written = path.stat().st_size
    return _summary("parquet", path, i, fields, {"order_no": i, "id_lookalike": i, "epoch": i, "uuid": i,
                                                  "tracking_no": i})


def generate(out: Path, size_mb: float, seed: str = SEED) -> dict:
    """Write the corpus under ``out`` (reused when meta.json says it is the same)."""
    meta_path = out / "meta.json"
    want = {"seed": seed, "size_mb": size_mb, "version": 2}
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("params") == want and all((out / s["file"]).exists() for s in meta["formats"].values()):
            return meta
    (out / "manifest").mkdir(parents=True, exist_ok=True)
    total = size_mb * 1_000_000
    fmts: dict = {}
    jobs = (("text", "text.log", gen_text), ("logs", "logs.log", gen_logs), ("csv", "records.csv", gen_csv),
            ("jsonl", "records.jsonl", gen_jsonl), ("parquet", "records.parquet", gen_parquet))
    for fmt, name, fn in jobs:
        rng = random.Random(f"{seed}/{fmt}")
        fmts[fmt] = fn(out / name, out / "manifest" / f"{fmt}.tsv", int(total * SHARES[fmt]), rng)
        dense = (f", {fmts[fmt]['entity_lines'] / max(fmts[fmt]['records'], 1):.1%} of lines planted"
                 if "entity_lines" in fmts[fmt] else "")
        print(f"  corpus {fmt}: {fmts[fmt]['bytes'] / 1e6:.1f} MB, {fmts[fmt]['records']} records, "
              f"{sum(fmts[fmt]['planted'].values())} planted{dense}", file=sys.stderr, flush=True)
    meta = {"params": want, "formats": fmts}
    (out / "manifest" / "summary.json").write_text(json.dumps(fmts, indent=1, ensure_ascii=False))
    meta_path.write_text(json.dumps(meta, indent=1, ensure_ascii=False))
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=float, default=200, help="total MB (10^6 bytes) on disk (default 200)")
    ap.add_argument("--out", type=Path, default=Path(".bench/corpus"))
    ap.add_argument("--seed", default=SEED)
    args = ap.parse_args(argv)
    generate(args.out, args.size, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
