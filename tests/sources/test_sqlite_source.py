"""SqliteSource: read-only, one container per table, head sampling, safe errors."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from spillguard.errors import SourceError, safe_reason
from spillguard.settings import Settings
from spillguard.sources import sqlite as sq
from spillguard.sources import source_for
from spillguard.sources.sqlite import SqliteSource, parse_sqlite_target, sqlite_containers

CANARY = "110101199003074578"  # synthetic, never printed


def make_db(path: Path, tables: dict[str, list[tuple]], wal: bool = False) -> Path:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    for name, rows in tables.items():
        q = sq.quote_identifier(name)
        conn.execute(f"CREATE TABLE {q} (id INTEGER, val TEXT)")
        conn.executemany(f"INSERT INTO {q} VALUES (?, ?)", rows)
    conn.commit()
    conn.close()
    return path


def run(target: str, **kw) -> list[tuple]:
    """Drive the source like the engine: consume each container fully, mark errors."""
    src = SqliteSource(target, Settings(targets=[target], **kw), display=target)
    out = []
    for scan in src.containers():
        batches = []
        try:
            batches = list(scan.batches)
        except Exception as exc:
            scan.coverage.mark("error", safe_reason(exc))
        out.append((scan.coverage, batches))
    src.close()
    return out


@pytest.mark.parametrize(
    "target, expected",
    [
        ("sqlite:///abs/x.db", "/abs/x.db"),
        ("sqlite:////abs/x.db", "/abs/x.db"),
        ("sqlite:rel/x.db", "rel/x.db"),
        ("sqlite://rel.db", "rel.db"),
        ("sqlite:///a%20b/x.db?mode=rw", "/a b/x.db"),
    ],
)
def test_target_forms(target, expected):
    assert SqliteSource.accepts(target)
    assert parse_sqlite_target(target) == Path(expected)
    assert source_for(target) is SqliteSource


def test_tricky_table_names_and_values(tmp_path):
    db = make_db(tmp_path / "t.db", {"住户信息": [(1, CANARY)], 'a "q" t': [(2, "x")]})
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE blobs (b BLOB, r REAL, n INTEGER, t TEXT)")
    conn.execute("CREATE TABLE wr (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID")
    conn.execute("INSERT INTO wr VALUES ('k', 'v')")
    conn.execute("CREATE VIEW v AS SELECT * FROM wr")
    conn.execute("INSERT INTO blobs VALUES (x'00ff', 1.5, 7, '{\"a\": 1}')")
    conn.commit()
    conn.close()
    rows = run(f"sqlite:///{db}")
    by_name = {c.container: (c, b) for c, b in rows}
    assert sorted(by_name) == sorted(["住户信息", 'a "q" t', "blobs", "wr"])  # no view
    cov, batches = by_name["住户信息"]
    assert cov.status == "complete" and cov.path is None
    assert batches[0].columns == {"id": [1], "val": [CANARY]} and batches[0].records == 1
    assert by_name['a "q" t'][1][0].columns["val"] == ["x"]
    cols = by_name["blobs"][1][0].columns
    assert cols == {"b": [b"\x00\xff"], "r": [1.5], "n": [7], "t": ['{"a": 1}']}
    assert by_name["wr"][1][0].columns == {"k": ["k"], "v": ["v"]}


def test_sampling_head_limit_marks_partial(tmp_path):
    db = make_db(tmp_path / "s.db", {"big": [(i, "v") for i in range(12)],
                                      "exact": [(i, "v") for i in range(5)]})
    rows = {c.container: (c, b) for c, b in run(f"sqlite:///{db}", sample_size=5)}
    cov, batches = rows["big"]
    assert sum(b.records for b in batches) == 5
    assert (cov.status, cov.reason) == ("partial", "sampled:n=5,method=head,seed=none")
    cov, batches = rows["exact"]
    assert sum(b.records for b in batches) == 5 and cov.status == "complete"


def test_batches_bounded_and_sample_zero_reads_all(tmp_path):
    db = make_db(tmp_path / "s.db", {"t": [(i, "v") for i in range(7)]})
    s = Settings(targets=["x"], sample_size=0)
    s.limits.batch_records = 3
    [scan] = list(sqlite_containers(db, "x", None, s))
    assert [b.records for b in scan.batches] == [3, 3, 1]
    assert scan.coverage.status == "complete"


@pytest.mark.parametrize("wal", [False, True])
def test_read_only_leaves_no_trace(tmp_path, wal):
    db = make_db(tmp_path / "ro.db", {"t": [(1, CANARY)]}, wal=wal)
    before = (db.read_bytes(), os.stat(db).st_mtime_ns, sorted(os.listdir(tmp_path)))
    rows = run(f"sqlite:///{db}")
    assert rows[0][0].status == "complete"
    assert (db.read_bytes(), os.stat(db).st_mtime_ns, sorted(os.listdir(tmp_path))) == before
    assert not any(n.endswith(("-wal", "-journal", "-shm")) for n in os.listdir(tmp_path))


def test_writes_are_refused(tmp_path):
    db = make_db(tmp_path / "ro.db", {"t": [(1, "a")]})
    d = sq._Db(db, 5.0)
    with pytest.raises(sqlite3.Error):
        d.conn().execute("DELETE FROM t")
    d.close()


@pytest.mark.parametrize("payload", [b"SQLite format 3\x00" + os.urandom(4000), os.urandom(4096)])
def test_corrupt_or_not_a_database(tmp_path, payload):
    db = tmp_path / "bad.db"
    db.write_bytes(payload)
    with pytest.raises(SourceError) as ei:
        run(f"sqlite:///{db}")
    assert ei.value.reason in ("not_a_database", "corrupt")
    assert "format 3" not in str(ei.value)


def test_corrupt_table_pages_error_the_container_only(tmp_path):
    db = make_db(tmp_path / "c.db", {"a": [(1, "x")], "b": [(i, "y" * 200) for i in range(2000)]})
    data = bytearray(db.read_bytes())
    page = 4096
    for off in range(len(data) - 20 * page, len(data) - 2 * page):
        data[off] = 0xA5
    db.write_bytes(bytes(data))
    rows = {c.container: c for c, _ in run(f"sqlite:///{db}", sample_size=0)}
    assert rows["a"].status == "complete"
    assert (rows["b"].status, rows["b"].reason) == ("error", "corrupt")


def test_missing_database(tmp_path):
    with pytest.raises(SourceError) as ei:
        run(f"sqlite:///{tmp_path}/nope.db")
    assert ei.value.reason == "not_found"


def test_invalid_utf8_text_is_replaced_and_marked(tmp_path):
    db = make_db(tmp_path / "u.db", {"t": []})
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO t VALUES (1, CAST(x'41ff42' AS TEXT))")
    conn.commit()
    conn.close()
    [(cov, batches)] = run(f"sqlite:///{db}")
    assert batches[0].columns["val"] == ["A\ufffdB"]
    assert (cov.status, cov.reason) == ("partial", "decode_errors")


def test_timeout_aborts_a_long_step(tmp_path, monkeypatch):
    db = make_db(tmp_path / "t.db", {"t": [(i, "v") for i in range(50_000)]})
    s = Settings(targets=["x"], sample_size=0)
    s.limits.batch_records = 50_000
    [scan] = list(sqlite_containers(db, "x", None, s))
    clock = iter(range(0, 10**9, 1000))
    monkeypatch.setattr(sq.time, "monotonic", lambda: next(clock))
    with pytest.raises(SourceError) as ei:
        list(scan.batches)
    assert ei.value.reason == "timeout"


def test_locked_database(tmp_path, monkeypatch):
    db = make_db(tmp_path / "l.db", {"t": [(1, "a")]})
    monkeypatch.setattr(sq, "BUSY_TIMEOUT_S", 0.1)
    holder = sqlite3.connect(db, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(SourceError) as ei:
            run(f"sqlite:///{db}")
        assert ei.value.reason == "locked"
    finally:
        holder.rollback()
        holder.close()
