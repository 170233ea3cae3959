"""Bad input (reliability.md): each gets a specific reason, memory stays bounded, and no
error message or reason ever contains a value from the input (the canary)."""

import codecs
import gzip
import io
import json
import os
import struct
import time
import tracemalloc
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from spillguard.errors import FormatError, LimitExceeded
from spillguard.formats import registry
from spillguard.formats.base import Member, ReadContext
from spillguard.models import Coverage
from spillguard.settings import Limits

CANARY = "110105194912310021"
FORMATS = {f.id: f for f in registry()}


class Outcome:
    def __init__(self):
        self.batches, self.members, self.errors = [], [], []
        self.coverage = None


def run(fmt_id, data, name="input", limits=None, sample_size=0, depth=0):
    """Read ``data`` with one format; read archive members fully, recording their errors."""
    out = Outcome()
    out.coverage = Coverage("t", name, None)
    ctx = ReadContext(name, out.coverage, limits or Limits(), sample_size, depth)
    stream = data if hasattr(data, "read") else io.BytesIO(data)
    try:
        for item in FORMATS[fmt_id].read(stream, ctx):
            if isinstance(item, Member):
                try:
                    out.members.append((item.name, item.stream.read()))
                except Exception as exc:  # noqa: BLE001
                    out.members.append((item.name, None))
                    out.errors.append(exc)
            else:
                out.batches.append(item)
    except Exception as exc:  # noqa: BLE001
        out.errors.append(exc)
    assert_clean(out)
    return out


def assert_clean(out):
    texts = [out.coverage.reason or ""]
    for exc in out.errors:
        seen = exc
        while seen is not None:
            texts += [str(seen), repr(seen), *map(str, seen.args), str(getattr(seen, "reason", ""))]
            seen = seen.__cause__ or seen.__context__
    for text in texts:
        assert CANARY not in text and CANARY[:12] not in text


def reasons(out):
    return [getattr(e, "reason", type(e).__name__) for e in out.errors]


def column(out, name):
    return [v for b in out.batches for v in b.columns.get(name, [None] * b.records)]


# -- empty and NUL-only -------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "delimited", "json", "jsonl"])
def test_empty_file_is_complete_and_empty(fmt):
    out = run(fmt, b"")
    assert out.batches == [] and out.errors == [] and out.coverage.status == "complete"


@pytest.mark.parametrize("fmt, reason", [("parquet", "invalid_parquet"), ("zip", "invalid_zip"), ("xlsx", "invalid_xlsx")])
def test_empty_or_garbage_binary_formats(fmt, reason):
    for data in (b"", b"PK\x03\x04" + CANARY.encode() * 10, b"PAR1" + CANARY.encode() + b"PAR1"):
        out = run(fmt, data)
        assert reasons(out) == [reason]


@pytest.mark.parametrize("name", ["a.txt", "a.log", "a.csv", "a.json", "a.jsonl", "noext"])
def test_nul_only_file_is_claimed_by_no_format(name):
    head = b"\x00" * 65536
    assert [f.id for f in registry() if f.sniff(name, head)] == []


# -- one huge line ------------------------------------------------------------------

def _huge_line_file(tmp_path, name, size=50 * 1024 * 1024, at=(1 << 20) - 9):
    p = tmp_path / name
    block = b"7" * (1 << 20)
    with p.open("wb") as fh:
        for i in range(size // len(block)):
            fh.write(block if i else block[:at] + CANARY.encode() + block[at + len(CANARY):])
    return p


def test_single_huge_line_streams_in_bounded_chunks(tmp_path):
    p = _huge_line_file(tmp_path, "one.log")
    tracemalloc.start()
    try:
        chunks = []
        found = set()
        cov = Coverage("t", "one.log", None)
        with p.open("rb") as fh:
            for b in FORMATS["text"].read(fh, ReadContext("one.log", cov, Limits(text_chunk_chars=1 << 20), 0)):
                assert len(b.text) <= 1 << 20
                if chunks:
                    prev_off, prev_len, prev_tail = chunks[-1]
                    assert b.text_offset == prev_off + prev_len - 64 and b.text[:64] == prev_tail
                i = b.text.find(CANARY)
                if i >= 0:
                    found.add(b.text_offset + i)
                chunks.append((b.text_offset, len(b.text), b.text[-64:]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 * 1024 * 1024
    assert found == {(1 << 20) - 9}  # across the first boundary, found at one absolute position
    last_off, last_len, _ = chunks[-1]
    assert last_off + last_len == p.stat().st_size and cov.bytes == p.stat().st_size
    assert cov.status == "complete"


def test_huge_line_in_csv_jsonl_json(tmp_path):
    limits = Limits(max_field_bytes=1 << 20)
    p = _huge_line_file(tmp_path, "big", size=4 << 20)
    data = p.read_bytes()
    out = run("delimited", b"a,b\n" + data + b"\n1,2\n", limits=limits)
    assert out.coverage.reason == "line_too_long"
    out = run("jsonl", b'{"a": 1}\n' + data + b'\n{"a": 2}\n', limits=limits)
    assert column(out, "a") == [1, 2] and out.coverage.reason == "line_too_long"
    out = run("json", b'[{"a": "' + data + b'"}]', limits=limits)
    assert reasons(out) == ["field_too_large"]


# -- archives -----------------------------------------------------------------------

def test_truncated_gzip():
    data = gzip.compress((CANARY + "\n").encode() * 10_000)
    out = run("gzip", data[: len(data) // 2], name="x.log.gz")
    assert reasons(out) == ["truncated"]


def test_corrupt_gzip():
    data = bytearray(gzip.compress(os.urandom(5000)))
    data[20:40] = b"\xff" * 20
    assert reasons(run("gzip", bytes(data), name="x.gz")) in (["corrupt_member"], ["truncated"])


def test_gzip_bomb_ratio():
    out = run("gzip", gzip.compress(b"\0" * (30 << 20)), name="bomb.gz")
    assert reasons(out) == ["compression_ratio"]


def _zip(members, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_bomb_ratio():
    out = run("zip", _zip([("ok.txt", CANARY), ("bomb.txt", b"0" * (30 << 20))]), name="b.zip")
    assert [n for n, _ in out.members] == ["ok.txt", "bomb.txt"]
    assert reasons(out) == ["compression_ratio"]


def test_zip_total_bytes_counted_as_they_stream():
    members = [(f"m{i}.bin", os.urandom(400_000)) for i in range(4)]
    out = run("zip", _zip(members), limits=Limits(max_archive_total_bytes=1_000_000))
    assert reasons(out) == ["size_limit"]
    assert len(out.members) == 3  # the fourth is never offered
    assert (out.coverage.status, out.coverage.reason) == ("partial", "size_limit")


def test_too_many_members():
    out = run("zip", _zip([(f"f{i}.txt", CANARY) for i in range(10)]), limits=Limits(max_archive_members=4))
    assert len(out.members) == 4 and (out.coverage.status, out.coverage.reason) == ("partial", "too_many_members")


def _scan(fmt_id, data, name, depth, limits, found):
    out = Outcome()
    out.coverage = Coverage("t", name, None)
    ctx = ReadContext(name, out.coverage, limits, 0, depth)
    try:
        for item in FORMATS[fmt_id].read(io.BytesIO(data), ctx):
            content = item.stream.read()
            inner = next(f for f in registry() if f.sniff(item.name, content[:65536]))
            _scan(inner.id, content, f"{name}!{item.name}", depth + 1, limits, found)
    except Exception as exc:  # noqa: BLE001
        out.errors.append(exc)
    assert_clean(out)
    found.append((name, depth, reasons(out)))


def test_nested_zips_beyond_depth():
    data = _zip([("id.txt", CANARY)])
    for level in range(5):
        data = _zip([(f"level{level}.zip", data)])
    found = []
    _scan("zip", data, "top.zip", 0, Limits(max_archive_depth=3), found)
    by_depth = {d: r for _, d, r in found}
    assert by_depth[3] == ["archive_depth"] and by_depth[2] == [] and 4 not in by_depth


def test_gzip_depth():
    out = run("gzip", gzip.compress(b"x"), depth=3, limits=Limits(max_archive_depth=3))
    assert reasons(out) == ["archive_depth"]


def _encrypt_flag(data: bytes, name: bytes) -> bytes:
    """zipfile cannot write encrypted members: set general-purpose flag bit 0 by hand in
    the member's local header and its central directory entry."""
    buf = bytearray(data)
    for sig, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        pos = buf.find(sig)
        while pos >= 0:
            n = struct.unpack_from("<H", buf, pos + (26 if sig == b"PK\x03\x04" else 28))[0]
            if bytes(buf[pos + name_at: pos + name_at + n]) == name:
                struct.pack_into("<H", buf, pos + flag_at, struct.unpack_from("<H", buf, pos + flag_at)[0] | 1)
            pos = buf.find(sig, pos + 4)
    return bytes(buf)


def test_encrypted_member_is_skipped_and_marked():
    data = _encrypt_flag(_zip([("secret.csv", CANARY), ("open.txt", "hello")], zipfile.ZIP_STORED), b"secret.csv")
    out = run("zip", data)
    assert out.members == [("open.txt", b"hello")]
    assert (out.coverage.status, out.coverage.reason) == ("partial", "encrypted_members")


def test_truncated_zip():
    data = _zip([("a.txt", CANARY * 100)])
    assert reasons(run("zip", data[: len(data) - 30])) == ["invalid_zip"]


def test_xlsx_declared_size_above_cap(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    for i in range(200):
        wb.active.append([CANARY, i])
    p = tmp_path / "w.xlsx"
    wb.save(p)
    assert reasons(run("xlsx", p.read_bytes(), limits=Limits(max_archive_total_bytes=5000))) == ["size_limit"]


def test_parquet_truncated_and_unseekable():
    buf = io.BytesIO()
    pq.write_table(pa.table({"id_no": [CANARY] * 100}), buf)
    data = buf.getvalue()
    assert reasons(run("parquet", data[:-20])) == ["invalid_parquet"]

    class NoSeek(io.RawIOBase):
        def __init__(self, b):
            self.b = io.BytesIO(b)

        def readable(self):
            return True

        def readinto(self, m):
            d = self.b.read(len(m))
            m[: len(d)] = d
            return len(d)

    assert column(run("parquet", NoSeek(data)), "id_no") == [CANARY] * 100
    assert reasons(run("parquet", NoSeek(data), limits=Limits(max_json_document_bytes=100))) == ["size_limit"]


# -- JSON ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "doc",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + f'"{CANARY}"' + "}" * 100_000,
        f'[{{"id": "{CANARY}", "deep": ' + "[" * 100_000 + "]" * 100_000 + "}]",
    ],
)
def test_json_nested_1e5_deep(doc):
    out = run("json", doc.encode())
    assert out.errors == [] and (out.coverage.status, out.coverage.reason) == ("partial", "nesting_too_deep")


def test_jsonl_line_nested_1e5_deep():
    data = ('{"a": 1}\n' + "[" * 100_000 + "]" * 100_000 + '\n{"a": 2}\n').encode()
    out = run("jsonl", data)
    assert column(out, "a") == [1, 2] and out.coverage.reason == "nesting_too_deep"


@pytest.mark.parametrize(
    "doc, reason",
    [
        (f'{{"id": {CANARY}x}}', "invalid_json"),
        (f'[{{"id": "{CANARY}"}} {{"id": "{CANARY}"}}]', "invalid_json"),
        (f'{{"id" "{CANARY}"}}', "invalid_json"),
        (f'[{{"id": "{CANARY}"', "truncated"),
        (f'{{"id": "{CANARY}", ', "truncated"),
    ],
)
def test_invalid_json(doc, reason):
    out = run("json", doc.encode(), name="bad.json")
    assert reasons(out) == [reason] and isinstance(out.errors[0], FormatError)
    assert "bad.json" in str(out.errors[0])


def test_json_records_before_an_error_are_kept():
    doc = "[" + ",".join(json.dumps({"n": i}) for i in range(10)) + ', {"id": ' + CANARY + "x}]"
    out = run("json", doc.encode())
    assert column(out, "n") == list(range(10)) and reasons(out) == ["invalid_json"]


def test_json_record_above_document_cap():
    doc = json.dumps({"a": [CANARY] * 1000})
    out = run("json", doc.encode(), limits=Limits(max_json_document_bytes=2000))
    assert reasons(out) == ["size_limit"] and isinstance(out.errors[0], LimitExceeded)


def test_binary_garbage_named_json():
    assert reasons(run("json", os.urandom(4096) + CANARY.encode())) in (["invalid_json"], ["truncated"])


# -- CSV ----------------------------------------------------------------------------

def test_csv_embedded_newlines_and_crlf():
    data = f'name,note,id_no\r\n"Doe, J","line1\r\nline2\n""quoted""",{CANARY}\r\nX,,1\r\n'.encode()
    out = run("delimited", data, name="a.csv")
    assert column(out, "note") == ['line1\r\nline2\n"quoted"', None]
    assert column(out, "id_no") == [CANARY, "1"] and out.coverage.status == "complete"


def test_csv_field_larger_than_limit():
    big = ("x" * 100 + "\n") * 100  # short physical lines, one 10 KB field
    data = f'id,note\n1,ok\n2,"{CANARY}{big}"\n3,after\n'.encode()
    out = run("delimited", data, name="a.csv", limits=Limits(max_field_bytes=2048))
    assert column(out, "note") == ["ok"]
    assert (out.coverage.status, out.coverage.reason) == ("partial", "field_too_large")


def test_csv_unclosed_quote_runs_into_the_field_limit():
    data = f'id,note\n1,"{CANARY}\n'.encode() + b"more\n" * 2000
    out = run("delimited", data, name="a.csv", limits=Limits(max_field_bytes=4096))
    assert out.coverage.reason == "field_too_large"


def test_csv_sniffer_on_hostile_input_is_quick():
    start = time.monotonic()
    run("delimited", (',"' * 200_000 + "\n").encode(), name="a.csv")
    assert time.monotonic() - start < 10


ROWS = [["姓名", "身份证号", "住址"], ["张三", CANARY, "北京市朝阳区"], ["李四", CANARY, "上海市浦东新区"]]
BIG5_ROWS = [["姓名", "身分證字號", "住址"], ["陳大文", CANARY, "臺北市中正區"], ["林小明", CANARY, "高雄市"]]
LATIN_ROWS = [["Name", "Straße", "id"], ["Jürgen Müller", "Königsallee", CANARY], ["José", "São Paulo", CANARY]]


@pytest.mark.parametrize(
    "rows, encode",
    [
        (ROWS, lambda s: s.encode("utf-8")),
        (ROWS, lambda s: codecs.BOM_UTF8 + s.encode("utf-8")),
        (ROWS, lambda s: s.encode("utf-16")),
        (ROWS, lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be")),
        (ROWS, lambda s: s.encode("gbk")),
        (ROWS + [["€", "𠀀", "x"]], lambda s: s.encode("gb18030")),
        (BIG5_ROWS, lambda s: s.encode("big5")),
        (LATIN_ROWS, lambda s: s.encode("latin-1")),
    ],
)
def test_csv_encodings(rows, encode):
    data = encode("".join(",".join(r) + "\n" for r in rows))
    out = run("delimited", data, name="a.csv")
    assert out.coverage.status == "complete"
    cols = {k: v for b in out.batches for k, v in b.columns.items()}
    assert cols == {h: [r[i] for r in rows[1:]] for i, h in enumerate(rows[0])}


def test_invalid_utf8_bytes_are_counted():
    data = f"id,name\n{CANARY},ok\n".encode() + b"2,\xff\xfe\xfdbad\n3,fine\n" + "张三".encode() * 5000
    out = run("delimited", data, name="a.csv")
    assert column(out, "id")[:3] == [CANARY, "2", "3"]
    assert (out.coverage.status, out.coverage.reason) == ("partial", "decode_errors")
    out = run("text", data)
    assert (out.coverage.status, out.coverage.reason) == ("partial", "decode_errors")
    names = "张三李四王五".encode() * 3
    out = run("jsonl", b'{"a": "\xff\xfe"}\n{"a": "' + CANARY.encode() + b'", "n": "' + names + b'"}\n')
    assert column(out, "a") == ["\ufffd\ufffd", CANARY] and out.coverage.reason == "decode_errors"
    out = run("json", b'[{"a": "\xff"}, {"a": "' + CANARY.encode() + b'", "n": "' + names + b'"}]')
    assert column(out, "a") == ["\ufffd", CANARY] and out.coverage.reason == "decode_errors"
    out = run("jsonl", b'{"a": "\xff\xfe"}\n')  # no valid UTF-8 at all: read as Latin-1
    assert column(out, "a") == ["\xff\xfe"] and out.coverage.status == "complete"


# -- JSON Lines ---------------------------------------------------------------------

def test_jsonl_bad_lines_counted_and_skipped():
    data = "\n".join(
        [json.dumps({"id": CANARY}), f'{{"id": {CANARY}x}}', "not json " + CANARY, json.dumps({"id": "2"}), "{"]
    ).encode()
    out = run("jsonl", data)
    assert column(out, "id") == [CANARY, "2"]
    assert (out.coverage.status, out.coverage.reason) == ("partial", "bad_lines")


def test_jsonl_line_above_field_limit_is_skipped():
    data = b'{"a": 1}\n{"a": "' + CANARY.encode() * 1000 + b'"}\n{"a": 3}\n'
    out = run("jsonl", data, limits=Limits(max_field_bytes=4096))
    assert column(out, "a") == [1, 3] and out.coverage.reason == "line_too_long"
