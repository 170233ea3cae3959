"""Raw values never reach stdout, stderr, logs, temp files or reports.

Known synthetic canaries are planted in every supported format (and in broken inputs
that take the error paths, and in the names of files, zip members, JSON keys and CSV
columns); spillguard runs with every output format and --verbose in a
private TMPDIR and HOME; then every byte it wrote is searched for each canary in raw,
separator-free, upper/lower case, base64, hex and unsalted-hash forms.
"""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

CANARIES = {
    "id": "11010519491231002X",
    "phone": "139-1234-5678",
    "email": "canary.leak@example.org",
    "plate": "京A·7C4N5",
    "imei": "490154203237518",
    "mac": "3c:22:fb:1a:2b:3c",
    "card": "4556737586899855",
    "iban": "DE89370400440532013000",
    "name": "欧阳娜娜",
    "free": "ZQXJ-CANARY-7731",  # matches no detector: must not leak either
}


def _forms(value: str) -> set[str]:
    compact = "".join(ch for ch in value if ch not in " -·:.")
    out = set()
    for v in {value, compact}:
        raw = v.encode("utf-8")
        out |= {v, v.lower(), v.upper(), base64.b64encode(raw).decode(), raw.hex()}
        for algo in ("md5", "sha1", "sha256"):
            out.add(hashlib.new(algo, raw).hexdigest())
    return {f for f in out if len(f) >= 6}


def _plant(d: Path) -> None:
    c = CANARIES
    row = {"xm": c["name"], "sfzh": c["id"], "lxdh": c["phone"], "email": c["email"], "hphm": c["plate"],
           "imei": c["imei"], "mac": c["mac"], "card_no": c["card"], "iban": c["iban"], "note": c["free"]}
    with open(d / "roll.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(row))
        w.writeheader()
        w.writerow(row)
    (d / "roll.tsv").write_text("\t".join(row) + "\n" + "\t".join(row.values()) + "\n", encoding="gb18030")
    (d / "stays.json").write_text(json.dumps([{"guest": row, "companions": [row]}], ensure_ascii=False))
    (d / "stays.jsonl").write_text(json.dumps({"guest": row}, ensure_ascii=False) + "\n{broken " + c["id"] + "\n")
    pq.write_table(pa.Table.from_pylist([row]), d / "roll.parquet")
    text = " ".join(f"{k}={v}" for k, v in row.items())
    (d / "app.log").write_text(f"2026-01-01 login {text}\nIMEI {c['imei']} idcard {c['id']}\n", encoding="utf-8")
    with gzip.open(d / "app.log.gz", "wt", encoding="utf-8") as f:
        f.write(text + "\n")
    with zipfile.ZipFile(d / "bundle.zip", "w") as z:
        z.writestr("inner/roll.csv", (d / "roll.csv").read_text(encoding="utf-8"))
    db = sqlite3.connect(d / "residents.bin")
    db.execute(f"CREATE TABLE zhxx ({', '.join(row)})")
    db.execute(f"INSERT INTO zhxx VALUES ({', '.join('?' * len(row))})", list(row.values()))
    db.commit()
    db.close()
    try:
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(list(row))
        wb.active.append(list(row.values()))
        wb.save(d / "roll.xlsx")
    except ImportError:
        pass
    # names: stores name files, keys, members and columns after the people in them
    compact_phone = c["phone"].replace("-", "")
    (d / f"guest_{c['id']}_{compact_phone}.csv").write_text(f"note,mobile\nhello,{c['phone']}\n", encoding="utf-8")
    (d / "by_phone.json").write_text(json.dumps({compact_phone: {"sfzh": c["id"], "card_no": c["card"]}}))
    (d / "by_mail.csv").write_text(f"{c['email']},sfzh\nx,{c['id']}\n", encoding="utf-8")
    with zipfile.ZipFile(d / "members.zip", "w") as z:
        z.writestr(f"exports/{c['iban']}/{c['mac'].replace(':', '-')}.csv", "sfzh\n" + c["id"] + "\n")
    # error paths: parsers quote their input in exception messages
    (d / "broken.json").write_text('{"sfzh": "' + c["id"] + '", "x": [1, 2,, }', encoding="utf-8")
    (d / "bad_utf8.csv").write_bytes(b"sfzh,note\n" + c["id"].encode() + b",\xff\xfe\xfa" + c["free"].encode() + b"\n")
    (d / "truncated.csv.gz").write_bytes(gzip.compress(((c["id"] + "\n") * 100).encode())[:40])
    (d / "deep.json").write_text("[" * 100_000 + json.dumps(c["id"]) + "]" * 100_000)


def test_when_every_format_is_scanned_then_no_canary_reaches_any_output(tmp_path):
    data, out, tmp, home = (tmp_path / n for n in ("data", "out", "tmp", "home"))
    for p in (data, out, tmp, home):
        p.mkdir()
    _plant(data)
    env = {**os.environ, "TMPDIR": str(tmp), "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    env.pop("SPILLGUARD_KEY", None)
    proc = subprocess.run(
        [sys.executable, "-m", "spillguard", "scan", str(data), "--verbose", "--fail-on", "never",
         "--output", str(out / "r.json"), "--output", str(out / "r.sarif"), "--output", str(out / "r.txt"),
         "--output", str(out / "r.html")],
        env=env, capture_output=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    report = json.loads((out / "r.json").read_text(encoding="utf-8"))
    found = {f["entity"] for f in report["findings"]}
    # the canaries were really processed, so this is not a vacuous pass
    assert {"CN_RESIDENT_ID", "PHONE_NUMBER", "EMAIL_ADDRESS", "LICENSE_PLATE", "IBAN"} <= found
    blobs = {"stdout": proc.stdout, "stderr": proc.stderr}
    for root in (out, tmp, home):
        for p in root.rglob("*"):
            if p.is_file():
                blobs[str(p)] = p.read_bytes()
    assert len(blobs) >= 5
    for name, value in CANARIES.items():
        for form in _forms(value):
            needle = form.encode("utf-8")
            for where, blob in blobs.items():
                assert needle not in blob, f"canary {name} leaked into {where}"
