"""One big file scanned in parts by several workers (--jobs 2, --sample-size 0) gives the
very result of a sequential scan: coverage row, findings (counts, distinct counts,
records, confidence, samples, evidence, fingerprints), people, traces and risk, for
text (LF, CRLF, no trailing newline, one line longer than a text chunk), JSON Lines, CSV
and Parquet; entities sit on the lines at the part boundaries, some supported only by
a keyword at the end of the line before. A failing part keeps the others' findings, and
what a worker sends back holds no raw value."""

from __future__ import annotations

import dataclasses
import datetime
import json
import pickle
import random
import re
from pathlib import Path

import pytest

from spillguard import Settings, scan
from spillguard.settings import Limits
from spillguard.sources.split import plan

KEY = "split-parts-test-key-0123456789"
SPLIT = 100_000  # bytes per part: the files below (~400 KB) split in 3-6 parts
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("SPILLGUARD_KEY", KEY)


# ---- synthetic values ------------------------------------------------------------------
def _luhn(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str(-total % 10)


class Values:
    """Planted values, remembered for the canary check."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.planted: set[str] = set()

    def _keep(self, v: str) -> str:
        self.planted.add(v)
        return v

    def ric(self) -> str:
        r = self.rng
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=r.randrange(20_000))
        body = f"{r.choice(['110105', '310115', '440305', '650102'])}{born:%Y%m%d}{r.randrange(1000):03d}"
        return self._keep(body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _W)) % 11])

    def phone(self) -> str:
        return self._keep(self.rng.choice(["139", "138", "186", "150"]) + f"{self.rng.randrange(10**8):08d}")

    def email(self) -> str:
        name = self.rng.choice(["zhang", "wang", "li", "chen", "liu"])
        return self._keep(f"{name}.{self.rng.randrange(10**6)}@{self.rng.choice(['163.com', 'qq.com', 'sina.cn'])}")

    def card(self) -> str:
        return self._keep(_luhn("4" + "".join(str(self.rng.randrange(10)) for _ in range(14))))

    def imei(self) -> str:
        return self._keep(_luhn("35332811" + f"{self.rng.randrange(10**6):06d}"))


def log_lines(v: Values, n: int) -> list[str]:
    """Every line starts with an IMEI that counts only through the keyword ending the
    line before it (a needs-context entity), so each part boundary tests the look-back."""
    forms = [
        lambda: f"2024-05-01 12:00:{v.rng.randrange(60):02d} INFO login ok user={v.email()} phone={v.phone()}",
        lambda: f"客户登记：身份证号 {v.ric()}，手机 {v.phone()}",
        lambda: f"payment card {v.card()} approved for order {v.rng.randrange(10**9)}",
        lambda: f"2024-05-01 12:00:01 DEBUG cache.evict keys={v.rng.randrange(9999)} window=14:11:35-12:01:33",
    ]
    return [f"{v.imei()} seen; {v.rng.choice(forms)()}; device imei:" for _ in range(n)]


def write_text(path: Path, *, seed: int = 1, lines: int = 3000, newline: str = "\n", trailing: bool = True,
               long_line_at: int | None = None, long_line_chars: int = 0, garbage_at: int | None = None) -> Path:
    v = Values(seed)
    rows = log_lines(v, lines)
    if long_line_at is not None:  # one line longer than a text chunk: entities all along it
        parts, size = [], 0
        while size < long_line_chars:
            parts.append(f"id {v.ric()} tel {v.phone()} mail {v.email()}")
            size += len(parts[-1]) + 1
        rows[long_line_at] = " ".join(parts)
    data = newline.join(rows) + (newline if trailing else "")
    raw = data.encode("utf-8")
    if garbage_at is not None:  # undecodable bytes in one part (the head is clean UTF-8)
        cut = raw.index(b"\n", garbage_at) + 1
        raw = raw[:cut] + b"\xff\xfe\xfd broken line\n" + raw[cut:]
    path.write_bytes(raw)
    path.with_suffix(".planted").write_text("\n".join(sorted(v.planted)))
    return path


def records(seed: int, n: int) -> tuple[list[dict], Values]:
    v = Values(seed)
    out = [{"id": i, "name": v.rng.choice(["王伟", "李娜", "张敏"]), "sfzh": v.ric(),
            "contact": {"mobile": v.phone(), "email": v.email()}, "card_no": v.card(),
            "created_at": f"2024-05-{1 + i % 28:02d} 12:{i % 60:02d}:00"} for i in range(n)]
    return out, v


def write_jsonl(path: Path, n: int = 2500) -> Path:
    rows, v = records(2, n)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    path.with_suffix(".planted").write_text("\n".join(sorted(v.planted)))
    return path


def write_csv(path: Path, n: int = 3500) -> Path:
    rows, v = records(3, n)
    lines = ["id,name,sfzh,mobile,email,card_no,created_at"]
    lines += [f"{r['id']},{r['name']},{r['sfzh']},{r['contact']['mobile']},{r['contact']['email']},"
              f"{r['card_no']},{r['created_at']}" for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.with_suffix(".planted").write_text("\n".join(sorted(v.planted)))
    return path


def write_parquet(path: Path, n: int = 12_000) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows, v = records(4, n)
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=1500)  # 8 row groups
    path.with_suffix(".planted").write_text("\n".join(sorted(v.planted)))
    return path


# ---- comparing results -----------------------------------------------------------------
def settings(path: Path, jobs: int = 1, sample_size: int = 0, **limits) -> Settings:
    return Settings(targets=[str(path)], sample_size=sample_size, jobs=jobs,
                    limits=Limits(split_bytes=SPLIT, **limits))


def result(path: Path, **kw) -> dict:
    d = dataclasses.asdict(scan(settings(path, **kw)))
    d.pop("started_at")
    d.pop("finished_at")
    return d


def n_parts(path: Path, **kw) -> int:
    s = settings(path, jobs=2, **kw)
    return len(plan(str(path), path.name, path.stat().st_size, s, 2))


def assert_same(path: Path, **kw) -> dict:
    one, two = result(path, **kw), result(path, jobs=2, **kw)
    for part in one:  # one key at a time: a failure names what differs
        assert two[part] == one[part], part
    assert one["findings"] and one["coverage"][0]["records"] > 0
    return one


# ---- text ------------------------------------------------------------------------------
@pytest.mark.timeout(300)
@pytest.mark.parametrize("variant", [
    {},
    {"newline": "\r\n"},
    {"trailing": False},
    {"long_line_at": 1500, "long_line_chars": 120_000},
])
def test_when_a_text_log_is_split_then_the_result_equals_a_sequential_scan(tmp_path, variant):
    path = write_text(tmp_path / "app.log", **variant)
    chunk = {"text_chunk_chars": 8192} if "long_line_at" in variant else {}
    assert 3 <= n_parts(path, **chunk) <= 6
    one = assert_same(path, **chunk)
    imei = next(f for f in one["findings"] if f["entity"] == "IMEI")
    # every IMEI but the first line's (no line before it); the long line replaces one
    # IMEI and the keyword of the next
    assert imei["count"] == (2997 if "long_line_at" in variant else 2999)
    assert one["coverage"][0]["records"] == 3000
    assert one["coverage"][0]["bytes"] == path.stat().st_size


def test_when_the_long_line_crosses_a_part_boundary_then_one_part_reads_it_whole(tmp_path):
    path = write_text(tmp_path / "app.log", long_line_at=1500, long_line_chars=120_000)
    raw = path.read_bytes()
    start = sum(len(line) for line in raw.split(b"\n")[:1500]) + 1500
    end = start + raw[start:].index(b"\n")
    s = settings(path, jobs=2, text_chunk_chars=8192)
    parts = plan(str(path), path.name, len(raw), s, 2)
    assert any(start < p.start < end for p in parts)  # a cut inside the long line
    assert end - start > 8192


@pytest.mark.timeout(300)
def test_when_a_sample_size_is_set_then_nothing_is_split_and_the_result_is_the_same(tmp_path):
    path = write_text(tmp_path / "app.log")
    assert n_parts(path, sample_size=1000) == 0
    one = assert_same(path, sample_size=1000)
    assert one["coverage"][0]["status"] == "partial"
    assert one["coverage"][0]["reason"].startswith("sampled:")


@pytest.mark.timeout(300)
def test_when_one_part_holds_undecodable_bytes_then_the_row_says_so_and_nothing_is_lost(tmp_path):
    path = write_text(tmp_path / "app.log", garbage_at=250_000)
    assert n_parts(path) >= 3
    one = assert_same(path)
    row = one["coverage"][0]
    assert (row["status"], row["reason"]) == ("partial", "decode_errors")
    assert {f["entity"] for f in one["findings"]} >= {"CN_RESIDENT_ID", "PHONE_NUMBER", "EMAIL_ADDRESS",
                                                       "CREDIT_CARD", "IMEI"}


# ---- records -----------------------------------------------------------------------------
@pytest.mark.timeout(300)
@pytest.mark.parametrize("write", [write_jsonl, write_csv, write_parquet], ids=["jsonl", "csv", "parquet"])
def test_when_a_record_file_is_split_then_the_result_equals_a_sequential_scan(tmp_path, write):
    suffix = {"write_jsonl": ".jsonl", "write_csv": ".csv", "write_parquet": ".parquet"}[write.__name__]
    path = write(tmp_path / f"people{suffix}")
    assert 3 <= n_parts(path) <= 8
    one = assert_same(path)
    fields = {(f["field"], f["entity"]) for f in one["findings"]}
    mobile = "contact.mobile" if suffix != ".csv" else "mobile"
    assert {("sfzh", "CN_RESIDENT_ID"), (mobile, "PHONE_NUMBER"), ("card_no", "CREDIT_CARD")} <= fields
    scan_people = next(p for p in one["people"] if p["scope"] == "scan")
    assert scan_people["derived"]["ids"] > 0  # the resident-ID demographics, merged across parts


def test_when_a_csv_head_holds_a_quote_then_it_is_not_split(tmp_path):
    path = write_csv(tmp_path / "people.csv")
    data = path.read_text(encoding="utf-8").replace("王伟", '"王伟"', 1)
    path.write_text(data, encoding="utf-8")
    assert n_parts(path) == 0


def test_when_a_file_is_gzip_or_small_then_it_is_not_split(tmp_path):
    import gzip

    text = write_text(tmp_path / "app.log")
    gz = tmp_path / "app.log.gz"
    gz.write_bytes(gzip.compress(text.read_bytes(), compresslevel=0))
    assert gz.stat().st_size > SPLIT and n_parts(gz) == 0
    small = tmp_path / "small.log"
    small.write_bytes(text.read_bytes()[:SPLIT])
    assert n_parts(small) == 0


# ---- failures and canaries, in this process --------------------------------------------
class _InProcess:
    """A stand-in for the worker pool that runs every group here and keeps what the
    workers would send back, pickled."""

    sent: list[bytes] = []

    def __init__(self, *a, **k):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, *args):
        from concurrent.futures import Future

        got = fn(*args)
        _InProcess.sent.append(pickle.dumps(got))
        done = Future()
        done.set_result(pickle.loads(_InProcess.sent[-1]))
        return done


@pytest.fixture
def in_process(monkeypatch):
    import spillguard.parallel as parallel

    _InProcess.sent = []
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", _InProcess)
    return _InProcess


def test_when_a_part_fails_then_the_row_says_why_and_the_other_parts_findings_stay(tmp_path, in_process,
                                                                                  monkeypatch):
    from spillguard.sources.files import FilesSource

    path = write_text(tmp_path / "app.log")
    whole = result(path)
    real = FilesSource.part

    def second_fails(self, p, rel, part, *a, **k):
        if part.no == 1:
            raise PermissionError("denied")
        return real(self, p, rel, part, *a, **k)

    monkeypatch.setattr(FilesSource, "part", second_fails)
    split = result(path, jobs=2)
    assert len(in_process.sent) >= 3  # parts were tasks of their own
    row = split["coverage"][0]
    assert (row["status"], row["reason"]) == ("partial", "permission_denied")
    assert 0 < row["records"] < whole["coverage"][0]["records"]
    counts = {f["entity"]: f["count"] for f in split["findings"]}
    for f in whole["findings"]:
        assert 0 < counts[f["entity"]] < f["count"]


@pytest.mark.parametrize("write", [write_text, write_jsonl, write_csv, write_parquet],
                         ids=["text", "jsonl", "csv", "parquet"])
def test_what_a_worker_sends_back_holds_no_planted_value(tmp_path, in_process, write):
    suffix = {"write_text": ".log", "write_jsonl": ".jsonl", "write_csv": ".csv",
              "write_parquet": ".parquet"}[write.__name__]
    path = write(tmp_path / f"data{suffix}")
    one = result(path, jobs=2)
    assert one["findings"] and len(in_process.sent) >= 3
    blob = b"".join(in_process.sent)
    planted = path.with_suffix(".planted").read_text().split("\n")
    assert len(planted) > 1000
    # every run of 11+ ID characters and every e-mail shape in the pickles (random digests
    # hold none by chance), then each planted value looked for in them, any case
    runs = [r.lower() for r in re.findall(rb"[0-9Xx]{11,}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+", blob)]
    for value in planted:
        assert not any(value.lower().encode("utf-8") in r for r in runs), "a raw value was sent back"
    for value in random.Random(0).sample(planted, 200):  # and straight in the bytes
        for form in {value, value.upper(), value.lower()}:
            assert form.encode("utf-8") not in blob



@pytest.mark.parametrize("write", [write_jsonl, write_csv], ids=["jsonl", "csv"])
def test_sampled_times_leave_a_worker_shifted_by_the_scans_secret(tmp_path, in_process, write):
    """The record sample (for the trace analysis) carries the epoch seconds of date cells:
    they travel shifted by a per-scan secret, never as read; the trace, which uses only
    their differences, stays the same as a sequential scan's."""
    import struct

    from spillguard.scanning.records import parse_time

    path = write(tmp_path / ("data.jsonl" if write is write_jsonl else "data.csv"))
    assert result(path, jobs=2) == result(path)
    blob = b"".join(in_process.sent)
    stamps = {parse_time(f"2024-05-{1 + i % 28:02d} 12:{i % 60:02d}:00") for i in range(28 * 60)}
    assert len(stamps) == 420
    assert not [t for t in stamps if struct.pack("d", t) in blob], "a date read from a value was sent back as is"


def test_parts_of_a_file_own_every_line_once(tmp_path):
    """Each line belongs to exactly one part, however the cuts fall."""
    from spillguard.sources.streams import ByteRange, Part

    data = b"".join(b"x" * (i % 7) + b"\n" for i in range(200)) + b"tail"
    path = tmp_path / "lines.txt"
    path.write_bytes(data)
    for n in (2, 3, 5, 11, 40):
        cuts = [len(data) * i // n for i in range(n + 1)]
        with open(path, "rb") as f:
            got = b"".join(ByteRange(f, Part(i, n, cuts[i], cuts[i + 1], len(data), "text")).read()
                           for i in range(n))
        assert got == data, n


@pytest.mark.parametrize("size,workers,parts", [
    (2 * SPLIT, 2, 2), (3 * SPLIT, 2, 4), (5 * SPLIT, 2, 6), (5 * SPLIT, 3, 6), (7 * SPLIT, 3, 9),
    (SPLIT + 1, 4, 4), (100 * SPLIT, 2, 8), (100 * SPLIT, 3, 12),
])
def test_parts_come_in_whole_rounds_of_the_workers(tmp_path, size, workers, parts):
    """n parts of equal size on w workers take ceil(n / w) rounds: 3 on 2 take as long
    as 4, so a file gets a multiple of the workers (up to 4 parts a worker)."""
    path = tmp_path / "app.log"
    line = b"2026-01-01 12:00:00 INFO request served in 12 ms\n"
    path.write_bytes(line * (size // len(line) + 1))
    s = Settings(targets=[str(path)], sample_size=0, jobs=workers, limits=Limits(split_bytes=SPLIT))
    got = plan(str(path), path.name, path.stat().st_size, s, workers)
    assert len(got) == parts
    assert got[0].start == 0 and got[-1].end == path.stat().st_size
    assert all(a.end == b.start for a, b in zip(got, got[1:]))


def test_a_capped_file_is_split_within_the_cap(tmp_path):
    path = write_text(tmp_path / "app.log")
    cap = 300_001
    s = Settings(targets=[str(path)], sample_size=0, jobs=2, limits=Limits(split_bytes=SPLIT, max_file_bytes=cap))
    parts = plan(str(path), path.name, path.stat().st_size, s, 2)
    # 300,001 // SPLIT = 3 parts, rounded up to whole rounds on two workers: 4
    assert len(parts) == 4 and parts[-1].end == cap and all(p.capped for p in parts)
    one = assert_same(path, max_file_bytes=cap)
    assert one["coverage"][0]["bytes"] == cap
    assert one["coverage"][0]["reason"].split("; ")[0] == "size_limit"



@pytest.mark.timeout(300)
def test_when_a_directory_mixes_big_and_small_files_then_the_result_equals_a_sequential_scan(tmp_path):
    root = tmp_path / "estate"
    root.mkdir()
    for path in (write_text(root / "app.log"), write_jsonl(root / "guests.jsonl"), write_csv(root / "roll.csv", n=50)):
        path.with_suffix(".planted").unlink()
    one = assert_same(root)
    assert [c["path"] for c in one["coverage"]] == ["app.log", "guests.jsonl", "roll.csv"]
    assert len({f["path"] for f in one["findings"]}) == 3
