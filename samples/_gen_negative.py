"""negative_control/: look-alikes that must produce NO findings.

orders.csv   order_no: 18 digits shaped like a resident ID that fail it (wrong check
             character, impossible date, or a timestamp-style prefix with no province);
             EAN-13 barcodes; 15-digit serials (about 10 % pass Luhn by chance — intended,
             nothing says they are IMEIs); UUIDs, SHA-1, epoch milliseconds, dotted
             version strings such as 1.2.3.4 in a `client_version` column.
products.json  512-d unit vectors (`text_vec`) from a text model: same shape as a face
             embedding, no face context.
metrics.log  numbers, durations, hex ids.
``check()`` asserts that none of it is, by the rules in reference/identifiers.md, a
resident ID, a CN mobile number or a licence plate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import uuid
from pathlib import Path

import phonenumbers

import _gen_io as io_
import _gen_values as v

PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45,
             46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
PRODUCTS = [("智能电饭煲 4L", "RC-40A7"), ("变频空调 1.5匹", "KFR-35GW/BP3"),
            ("滚筒洗衣机 10公斤", "WD-100T2"), ("无线吸尘器", "VC-X20"),
            ("空气净化器", "AP-600H"), ("电热水壶 1.7L", "KT-1702"), ("蓝牙耳机", "BT-E55"),
            ("机械键盘 87键", "KB-87R"), ("扫地机器人", "RB-S9"), ("电动牙刷", "TB-300"),
            ("加湿器 4L", "HU-401"), ("微波炉 20L", "MW-20M5"), ("保温杯 500ml", "TC-500"),
            ("LED台灯", "DL-12W"), ("移动电源 20000mAh", "PB-20K"), ("智能手环", "SB-7")]


def _id_like_but_invalid(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:  # timestamp-prefixed order number: "20…" is not a province
        t = dt.datetime(2026, 3, 1) + dt.timedelta(seconds=rng.randrange(86400 * 28))
        return f"{t:%Y%m%d%H%M%S}{rng.randrange(10**4):04d}"
    county = rng.choice(v.COUNTIES)[0]
    if kind == 1:  # real date, wrong check digit
        body = f"{county}{v.rand_date(rng, dt.date(1950, 1, 1), dt.date(2010, 12, 31)):%Y%m%d}"
        body += f"{rng.randrange(1000):03d}"
        wrong = [d for d in "0123456789" if d != v.mod11_2(body)]
        return body + rng.choice(wrong)
    while True:  # correct check digit, impossible date
        y, m, d = rng.randint(1950, 2010), rng.randint(1, 19), rng.randint(1, 39)
        if m > 12 or d > 31 or (m == 2 and d > 29):
            break
    body = f"{county}{y:04d}{m:02d}{d:02d}{rng.randrange(1000):03d}"
    if v.mod11_2(body) == "X":
        return body + "0"
    return body + v.mod11_2(body)


def _ean13(rng: random.Random) -> str:
    body = "69" + "".join(rng.choice("0123456789") for _ in range(10))
    s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str(-s % 10)


def orders(rng: random.Random) -> bytes:
    header = ["order_no", "sku", "barcode", "serial_no", "item_uuid", "content_sha1",
              "created_ms", "client_version", "price", "quantity"]
    rows = []
    for i in range(300):
        order_no = _id_like_but_invalid(rng)
        created = 1772294400000 + rng.randrange(28 * 86400 * 1000)
        rows.append([
            order_no, f"SKU-{rng.choice('ABCDEFGH')}{rng.choice('KLMNPQRS')}-{rng.randrange(10**5):05d}",
            _ean13(rng), f"{rng.randint(1, 9)}{rng.randrange(10**14):014d}",
            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            hashlib.sha1(f"item-{i}".encode()).hexdigest(), str(created),
            ".".join(str(rng.randint(0, 12)) for _ in range(4)),
            f"{rng.randint(100, 99999) / 100:.2f}", str(rng.randint(1, 12)),
        ])
    return io_.csv_bytes(header, rows)


def products(rng: random.Random) -> bytes:
    items = []
    for i, (name, model) in enumerate(PRODUCTS * 2):
        items.append({"product_id": f"P{i + 1:04d}", "product_name": name,
                      "model": f"{model}-{2024 + i % 3}", "category": "家电",
                      "text_vec": [round(x, 6) for x in v.unit_vector(rng)]})
    return io_.json_bytes(items, indent=None)


def metrics(rng: random.Random) -> bytes:
    lines = []
    t = dt.datetime(2026, 3, 1, 0, 0, 0)
    for _ in range(300):
        t += dt.timedelta(milliseconds=rng.randint(50, 20000))
        stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
        kind = rng.randrange(4)
        if kind == 0:
            msg = (f"level=info svc=inventory req={rng.getrandbits(64):016x} op=GET "
                   f"path=/api/v2/items/{rng.randrange(10**6)} status=200 "
                   f"latency_ms={rng.randint(1, 900)} bytes={rng.randint(200, 10**6)}")
        elif kind == 1:
            msg = (f"level=info svc=runtime gc_pause={rng.uniform(0.1, 40):.3f}ms "
                   f"heap_bytes={rng.randint(10**7, 10**9)} goroutines={rng.randint(8, 4000)}")
        elif kind == 2:
            msg = (f"level=warn svc=indexer job=reindex took={rng.randint(0, 9)}m"
                   f"{rng.uniform(0, 59):.3f}s docs={rng.randint(1, 10**6)} "
                   f"trace_id={rng.getrandbits(128):032x}")
        else:
            msg = (f"level=info svc=deploy version={rng.randint(1, 4)}.{rng.randint(0, 20)}."
                   f"{rng.randint(0, 99)}.{rng.randint(0, 9999)} commit={rng.getrandbits(160):040x} "
                   f"ts_ms={1772294400000 + rng.randrange(10**9)}")
        lines.append(f"{stamp} {msg}\n")
    return "".join(lines).encode()


def _valid_id(s: str) -> bool:
    if not re.fullmatch(r"\d{17}[\dX]", s.upper()) or int(s[:2]) not in PROVINCES:
        return False
    try:
        dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return v.mod11_2(s[:17]) == s[17].upper()


def check(blobs: dict[str, bytes]) -> None:
    for name, data in blobs.items():
        text = data.decode()
        for run in re.findall(r"(?<![0-9A-Za-z])[0-9]{11,18}X?(?![0-9A-Za-z])", text):
            assert not _valid_id(run), f"{name}: look-alike is a valid resident ID"
            if len(run) == 11:
                assert not phonenumbers.is_valid_number(phonenumbers.parse(run, "CN")), name
        assert not re.search(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
                             r"[A-HJ-NP-Z]", text), f"{name}: plate-like text"


def negative_control(out: Path, truth: io_.Truth, rng: random.Random) -> None:
    blobs = {"negative_control/orders.csv": orders(rng),
             "negative_control/products.json": products(rng),
             "negative_control/metrics.log": metrics(rng)}
    check(blobs)
    for rel, data in blobs.items():
        io_.write(out, rel, data)
    # deliberately no truth rows: any finding under negative_control/ is a false positive
