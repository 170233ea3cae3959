"""Deterministic writers for samples/generate.py, and the ground-truth collector.

Byte-identity holds for the same Python, SQLite, zlib, pyarrow and openpyxl versions:
- SQLite: the file header records the library version (offset 96) and the page layout
  depends on the b-tree code, so another SQLite release may give different bytes with the
  same content. We fix page_size, journal mode and insertion order, then VACUUM.
- zip / xlsx / gzip: fixed member timestamps (2026-03-01 00:00:00), fixed attributes,
  fixed compression level; deflate output can differ between zlib builds (e.g. zlib-ng).
- openpyxl stamps docProps/core.xml with the current time on save; we rewrite that member
  and repack the archive with fixed timestamps.
- Parquet: pyarrow writes "created_by parquet-cpp-arrow version X" into the footer.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import sqlite3
import zipfile
from pathlib import Path

ZIP_TIME = (2026, 3, 1, 0, 0, 0)
FIXED_ISO = "2026-03-01T00:00:00Z"


class Truth:
    """Collects ground-truth rows: which field of which store holds which entity."""

    def __init__(self) -> None:
        self.rows: set[tuple] = set()

    def add(self, path: str, container: str | None, fields: dict[str, str]) -> None:
        for field, entity in fields.items():
            self.rows.add((path, container, field, entity))

    def free_text(self, path: str, container: str | None, entities: list[str]) -> None:
        for entity in entities:
            self.rows.add((path, container, None, entity))

    def as_list(self) -> list[dict]:
        key = lambda r: tuple("" if x is None else x for x in r)  # noqa: E731
        return [{"path": p, "container": c, "field": f, "entity": e}
                for p, c, f, e in sorted(self.rows, key=key)]


def write(out: Path, rel: str, data: bytes) -> None:
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def csv_bytes(header: list[str], rows: list[list], *, delimiter: str = ",",
              encoding: str = "utf-8", newline: str = "\n") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def json_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def json_bytes(value, indent: int | None = 1) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=indent) + "\n").encode()


def gzip_bytes(data: bytes, inner_name: str) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename=inner_name, mode="wb", fileobj=buf, mtime=0,
                       compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 3  # Unix, whatever the host
            zi.external_attr = 0o100644 << 16
            zf.writestr(zi, data, compresslevel=9)
    return buf.getvalue()


def write_sqlite(path: Path, ddl: list[str], inserts: list[tuple[str, list[tuple]]]) -> None:
    """Fresh file, fixed pragmas, one transaction, rows in the given order, then VACUUM."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    for p in (tmp, Path(str(tmp) + "-journal")):
        if p.exists():
            p.unlink()
    con = sqlite3.connect(tmp)
    try:
        con.execute("PRAGMA page_size=4096")
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("PRAGMA auto_vacuum=NONE")
        for stmt in ddl:
            con.execute(stmt)
        for sql, rows in inserts:
            con.executemany(sql, rows)
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()
    os.replace(tmp, path)


def xlsx_bytes(title: str, header: list[str], rows: list[list], date_format: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append(row)
    for col in ws.iter_cols(min_row=2):
        for cell in col:
            if cell.is_date:
                cell.number_format = date_format
    wb.properties.creator = "spillguard samples/generate.py"
    buf = io.BytesIO()
    wb.save(buf)
    members = []
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename == "docProps/core.xml":
                text = data.decode()
                for tag in ("created", "modified"):
                    text = re.sub(rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)",
                                  rf"\g<1>{FIXED_ISO}\g<2>", text)
                data = text.encode()
            members.append((info.filename, data))
    return zip_bytes(members)


def parquet_bytes(columns: dict[str, list], types: dict) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, types[name]) for name in columns])
    table = pa.table({k: pa.array(v, type=types[k]) for k, v in columns.items()}, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()
