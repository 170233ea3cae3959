"""Happy paths: every format turns its bytes into the expected columns, text or members."""

import datetime as dt
import gzip
import io
import json
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from spillguard.formats import registry
from spillguard.formats.base import Member, ReadContext
from spillguard.models import Batch, Coverage
from spillguard.settings import Limits

CANARY = "110105194912310021"
FORMATS = {f.id: f for f in registry()}


def pick(name: str, head: bytes):
    return next((f for f in registry() if f.sniff(name, head)), None)


def read(path, fmt=None, limits=None, sample_size=0, depth=0):
    """(items, coverage) for a file; archive members are read into (name, bytes)."""
    data = path.read_bytes()
    fmt = fmt or pick(path.name, data[:65536])
    cov = Coverage(target="t", path=path.name, container=None)
    ctx = ReadContext(path.name, cov, limits or Limits(), sample_size, depth)
    with path.open("rb") as fh:
        items = [(m.name, m.stream.read()) if isinstance(m, Member) else m for m in FORMATS[fmt.id].read(fh, ctx)]
    return items, cov


def columns(batches):
    """Concatenate the columns of several record batches."""
    out: dict = {}
    n = 0
    for b in batches:
        for k, v in b.columns.items():
            out.setdefault(k, [None] * n).extend(v)
        n += b.records
        for v in out.values():
            v.extend([None] * (n - len(v)))
    return out


@pytest.mark.parametrize(
    "name, head, expected",
    [
        ("a.csv", b"a,b\n1,2\n", "delimited"),
        ("a.TSV", b"a\tb\n", "delimited"),
        ("a.json", b'[{"a": 1}]', "json"),
        ("a.json", b'{"a": 1}\n{"a": 2}\n', "jsonl"),
        ("a.json", b'{\n  "a": 1\n}\n', "json"),
        ("a.jsonl", b'{"a": 1}\n', "jsonl"),
        ("a.ndjson", b'{"a": 1}\n', "jsonl"),
        ("noext", b"PAR1\x15\x04", "parquet"),
        ("a.xlsx", b"PK\x03\x04....", "xlsx"),
        ("a.bin", b"PK\x03\x04..xl/workbook.xml..", "xlsx"),
        ("a.zip", b"PK\x03\x04....", "zip"),
        ("a.docx", b"PK\x03\x04....", "zip"),
        ("a.gz", b"\x1f\x8b\x08\x00", "gzip"),
        ("a.log", b"2024-01-01 login ok\n", "text"),
        ("README", b"hello\n", "text"),
        ("a.txt", b"", "text"),
        ("a.txt", b"\x00" * 1024, None),
        ("a.csv", b"\x00" * 1024, None),
    ],
)
def test_sniff_picks_the_format(name, head, expected):
    fmt = pick(name, head)
    assert (fmt.id if fmt else None) == expected


def test_registry_order_and_kinds():
    ids = [f.id for f in registry()]
    assert ids[0] == "xlsx" and ids[-1] == "text"
    assert {f.id: f.kind for f in registry()}["zip"] == "archive"


def test_csv_header_embedded_newlines_ragged_rows(tmp_path):
    p = tmp_path / "guests.csv"
    p.write_text(f'name,id_no,,name\nAlice,{CANARY},x,y\nBob,"multi\nline",,z,extra\n\nCarl\n', encoding="utf-8")
    (batch,), cov = read(p)
    assert batch.records == 3 and cov.status == "complete" and cov.bytes == p.stat().st_size
    assert batch.columns == {
        "name": ["Alice", "Bob", "Carl"],
        "id_no": [CANARY, "multi\nline", None],
        "col_3": ["x", None, None],
        "name_4": ["y", "z", None],
        "col_5": [None, "extra", None],
    }


@pytest.mark.parametrize("sep, name", [("\t", "a.tsv"), ("|", "a.psv"), (";", "a.csv"), (",", "a.csv")])
def test_delimiters_are_sniffed(tmp_path, sep, name):
    p = tmp_path / name
    p.write_text(sep.join(["姓名", "身份证号", "电话"]) + "\n" + sep.join(["张三", CANARY, "13800138000"]) + "\n")
    (batch,), _ = read(p)
    assert batch.columns == {"姓名": ["张三"], "身份证号": [CANARY], "电话": ["13800138000"]}


def test_csv_without_header_gets_col_names(tmp_path):
    p = tmp_path / "ids.csv"
    p.write_text(f"1,{CANARY},13800138000\n2,{CANARY},13900139000\n")
    (batch,), _ = read(p)
    assert list(batch.columns) == ["col_1", "col_2", "col_3"] and batch.records == 2


def test_csv_batches_and_sample(tmp_path):
    p = tmp_path / "many.csv"
    p.write_text("n\n" + "".join(f"{i}x\n" for i in range(25)))
    batches, _ = read(p, limits=Limits(batch_records=10))
    assert [b.records for b in batches] == [10, 10, 5]
    assert columns(batches)["n"] == [f"{i}x" for i in range(25)]
    batches, _ = read(p, limits=Limits(batch_records=10), sample_size=12)
    assert sum(b.records for b in batches) == 12


def test_json_array_nested(tmp_path):
    p = tmp_path / "hotel.json"
    doc = [
        {"guest": {"id_no": CANARY}, "companions": [{"id_no": "a"}, {"id_no": "b"}], "face": {"feature": [0.5] * 128}},
        {"guest": {"id_no": "x"}, "tags": ["t1", "t2"]},
        "loose",
    ]
    p.write_text(json.dumps(doc))
    (batch,), cov = read(p)
    assert batch.records == 3 and cov.status == "complete"
    assert batch.columns["guest.id_no"] == [CANARY, "x", None]
    assert batch.columns["companions[].id_no"] == [["a", "b"], None, None]
    assert batch.columns["face.feature"] == [[0.5] * 128, None, None]
    assert batch.columns["tags[]"] == [None, ["t1", "t2"], None]
    assert batch.columns["value"] == [None, None, "loose"]


def test_json_object_with_record_array_is_streamed(tmp_path):
    p = tmp_path / "api.json"
    rows = [{"name": f"n{i}", "id_no": CANARY} for i in range(25)]
    p.write_text(json.dumps({"code": 0, "data": {"list": rows, "total": 25}, "vec": [1.5] * 32, "tags": ["a"]}))
    batches, _ = read(p, limits=Limits(batch_records=10))
    streamed = [b for b in batches if "data.list[].name" in b.columns]
    assert [b.records for b in streamed] == [10, 10, 5]
    assert columns(streamed)["data.list[].name"] == [f"n{i}" for i in range(25)]
    (rest,) = [b for b in batches if "code" in b.columns]
    assert rest.records == 1
    assert rest.columns == {"code": [0], "data.total": [25], "vec": [[1.5] * 32], "tags[]": [["a"]]}


def test_json_big_scalar_array_is_streamed_and_sampled(tmp_path):
    p = tmp_path / "phones.json"
    phones = [f"138{i:08d}" for i in range(5000)]
    p.write_text(json.dumps({"phones": phones}))
    batches, _ = read(p, limits=Limits(batch_records=1000))
    assert [b.records for b in batches] == [1000] * 5
    assert columns(batches)["phones[]"] == phones
    batches, _ = read(p, limits=Limits(batch_records=1000), sample_size=1500)
    assert sum(b.records for b in batches) == 1500


def test_json_concatenated_values_and_scalar(tmp_path):
    p = tmp_path / "multi.json"
    p.write_text('{"a": 1}\n{"a": 2, "b": {"c": "x"}}\n')
    batches, _ = read(p, fmt=FORMATS["json"])
    assert columns(batches) == {"a": [1, 2], "b.c": [None, "x"]}


def test_jsonl(tmp_path):
    p = tmp_path / "log.jsonl"
    p.write_text("\n".join(json.dumps({"user": {"id_no": CANARY, "n": i}}) for i in range(5)) + "\n\n")
    batches, cov = read(p, limits=Limits(batch_records=2))
    assert [b.records for b in batches] == [2, 2, 1] and cov.status == "complete"
    assert columns(batches)["user.n"] == [0, 1, 2, 3, 4]
    assert cov.bytes == p.stat().st_size


def _parquet(path, table, **kw):
    pq.write_table(table, path, **kw)
    return path


def test_parquet_flat_and_nested(tmp_path):
    table = pa.table(
        {
            "name": ["a", "b", "c"],
            "guest": [{"id_no": CANARY, "age": 30}, None, {"id_no": "x", "age": None}],
            "companions": [[{"id_no": "p"}, {"id_no": "q"}], [], None],
            "tags": [["t"], None, ["u", "v"]],
            "face": pa.array([[0.5] * 16, None, [0.25] * 16], type=pa.list_(pa.float32(), 16)),
            "born": [dt.date(1949, 12, 31), None, None],
            "photo": [b"\xff\xd8\xff", None, None],
        }
    )
    p = _parquet(tmp_path / "people.bin", table, row_group_size=2)
    batches, cov = read(p, limits=Limits(batch_records=2))
    assert [b.records for b in batches] == [2, 1] and cov.status == "complete"
    cols = columns(batches)
    assert cols["name"] == ["a", "b", "c"]
    assert cols["guest.id_no"] == [CANARY, None, "x"]
    assert cols["companions[].id_no"] == [["p", "q"], None, None]
    assert cols["tags[]"] == [["t"], None, ["u", "v"]]
    assert cols["face"] == [[0.5] * 16, None, [0.25] * 16]
    assert cols["born"] == ["1949-12-31", None, None]
    assert cols["photo"] == [b"\xff\xd8\xff", None, None]
    batches, _ = read(p, limits=Limits(batch_records=2), sample_size=1)
    assert sum(b.records for b in batches) == 1


def _xlsx(path, sheets):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_xlsx_single_and_multi_sheet(tmp_path):
    p = _xlsx(tmp_path / "one.xlsx", {"Guests": [["姓名", "身份证号", None], ["张三", CANARY, dt.datetime(2020, 1, 2)]]})
    (batch,), _ = read(p)
    assert batch.columns == {"姓名": ["张三"], "身份证号": [CANARY], "col_3": ["2020-01-02T00:00:00"]}
    p = _xlsx(tmp_path / "two.xlsx", {"Guests": [["id_no"], [CANARY], [None], ["x"]], "Cars": [["plate"], ["京A12345"]]})
    batches, cov = read(p)
    assert [b.columns for b in batches] == [{"Guests!id_no": [CANARY, "x"]}, {"Cars!plate": ["京A12345"]}]
    assert cov.status == "complete"


def test_text_chunks_end_at_newlines(tmp_path):
    p = tmp_path / "app.log"
    lines = [f"line {i} user={CANARY}\n" for i in range(100)]
    p.write_text("".join(lines) + "tail")
    batches, cov = read(p, limits=Limits(text_chunk_chars=300))
    assert all(isinstance(b, Batch) and len(b.text) <= 300 for b in batches)
    assert all(b.text.endswith("\n") for b in batches[:-1])
    assert "".join(b.text for b in batches) == p.read_text()
    assert [b.text_offset for b in batches] == [sum(len(x.text) for x in batches[:i]) for i in range(len(batches))]
    assert sum(b.records for b in batches) == 101 and cov.bytes == p.stat().st_size


def test_text_sample_counts_lines(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("".join(f"{i}\n" for i in range(50)))
    batches, _ = read(p, sample_size=7, limits=Limits(text_chunk_chars=1000))
    assert "".join(b.text for b in batches) == "".join(f"{i}\n" for i in range(7))
    assert sum(b.records for b in batches) == 7


def test_gzip_member_named_from_header_or_file(tmp_path):
    p = tmp_path / "dump.gz"
    with gzip.GzipFile(filename="../guests.csv", mode="wb", fileobj=p.open("wb")) as gz:
        gz.write(b"id_no\n" + CANARY.encode() + b"\n")
    items, cov = read(p)
    assert items == [("guests.csv", b"id_no\n" + CANARY.encode() + b"\n")]
    q = tmp_path / "report.txt.gz"
    q.write_bytes(gzip.compress(b"a" * 10, mtime=0) + gzip.compress(b"b" * 10, mtime=0))  # two members
    items, cov = read(q)
    assert items == [("report.txt", b"a" * 10 + b"b" * 10)] and cov.status == "complete"


def test_zip_members_normalised_and_dispatched(tmp_path):
    p = tmp_path / "bundle.zip"
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("deep.txt", CANARY)
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("../../etc/guests.csv", "id_no\n" + CANARY + "\n")
        zf.writestr("/abs/notes.txt", "hello")
        zf.writestr("C:\\win\\x.txt", "x")
        zf.writestr("dir/", "")
        zf.writestr("inner.zip", inner.getvalue())
    items, cov = read(p)
    assert [n for n, _ in items] == ["etc/guests.csv", "abs/notes.txt", "win/x.txt", "inner.zip"]
    assert items[0][1] == b"id_no\n" + CANARY.encode() + b"\n"
    assert cov.status == "complete"
    nested = tmp_path / "inner.zip"
    nested.write_bytes(items[3][1])
    assert read(nested, depth=1)[0] == [("deep.txt", CANARY.encode())]


def test_member_stream_dispatches_to_a_format(tmp_path):
    p = tmp_path / "x.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("rows.jsonl", json.dumps({"id_no": CANARY}) + "\n")
    cov = Coverage("t", "x.zip", None)
    with p.open("rb") as fh:
        (member,) = list(FORMATS["zip"].read(fh, ReadContext("x.zip", cov, Limits(), 0)))
        head = member.stream.peek(65536)[:65536]
        fmt = pick(member.name, head)
        ctx = ReadContext("x.zip!rows.jsonl", Coverage("t", "x.zip", "rows.jsonl"), Limits(), 0, depth=1)
        (batch,) = list(fmt.read(member.stream, ctx))
    assert fmt.id == "jsonl" and batch.columns == {"id_no": [CANARY]}


def test_text_read_before_an_archive_cap_is_still_scanned(tmp_path, monkeypatch):
    """A gzip member stopped by max_archive_total_bytes mid-read: every line read before
    the cap is scanned and counted (only the cut line is lost), and the row says why."""
    from spillguard import Settings, scan
    from spillguard.settings import Limits

    monkeypatch.setenv("SPILLGUARD_KEY", "formats-test-key-0123456789")
    line = "2026-03-01 INFO request handled in 12 ms by worker seven\n"  # 58 bytes
    p = tmp_path / "app.log.gz"
    p.write_bytes(gzip.compress((line * 20_000).encode()))  # 1.16 MB uncompressed
    cap = 300_000
    result = scan(Settings(targets=[str(p)], sample_size=0, run_checks=False,
                           limits=Limits(max_archive_total_bytes=cap)))
    row = result.coverage[0]
    assert row.status == "partial" and "size_limit" in row.reason
    assert cap // len(line) - 1 <= row.records <= cap // len(line) + 1
