"""FilesSource: walk, globs, symlinks, special files, SQLite by magic, archives, caps.

Most tests use small stub formats (monkeypatched registry) so they test the source, not
the formats; ``test_real_formats`` runs against the real registry once it has formats."""

from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

import spillguard.formats
from spillguard.errors import LimitExceeded, SourceError, safe_reason
from spillguard.formats.base import Format, Member
from spillguard.models import Batch
from spillguard.settings import Settings
from spillguard.sources import files as files_mod
from spillguard.sources import source_for
from spillguard.sources.files import FilesSource

CANARY = "110101199003074578"  # synthetic, never printed


class StubCsv(Format):
    id, extensions, kind = "stub_csv", (".csv",), "records"

    def read(self, stream, ctx):
        data = stream.read()
        ctx.coverage.bytes += len(data)
        header, *rows = [line.split(",") for line in data.decode().splitlines()]
        yield Batch(columns={h: [r[i] for r in rows] for i, h in enumerate(header)},
                    records=len(rows))


class StubText(Format):
    id, extensions, kind = "stub_text", (".txt",), "text"

    def read(self, stream, ctx):
        yield Batch(text=stream.read().decode(), records=1)


class StubZip(Format):
    id, extensions, kind, priority = "stub_zip", (".zip",), "archive", 10

    def sniff(self, name, head):
        return head.startswith(b"PK\x03\x04")

    def read(self, stream, ctx):
        with zipfile.ZipFile(stream) as zf:
            infos = zf.infolist()
            if len(infos) > ctx.limits.max_archive_members:
                raise LimitExceeded("too many members", reason="archive_members")
            for info in infos:
                with zf.open(info) as m:
                    yield Member(info.filename, m, info.file_size)


class ForwardOnly(io.RawIOBase):
    def __init__(self, data: bytes):
        self._b = io.BytesIO(data)

    def readable(self):
        return True

    def readinto(self, b):
        return self._b.readinto(b)


class StubBundle(Format):
    """An 'archive' whose members are forward-only streams: name=hex lines."""

    id, extensions, kind = "stub_bundle", (".bundle",), "archive"

    def read(self, stream, ctx):
        for line in stream.read().decode().splitlines():
            name, data = line.split("=")
            yield Member(name, ForwardOnly(bytes.fromhex(data)), None)


@pytest.fixture
def stubs(monkeypatch):
    found = (StubZip(), StubBundle(), StubCsv(), StubText())
    monkeypatch.setattr(spillguard.formats, "registry", lambda: found)


def run(target, **kw) -> list[tuple]:
    """Drive the source like the engine: consume each container fully, mark errors."""
    settings = Settings(targets=[str(target)], **kw.pop("settings", {}))
    for k, v in kw.items():
        setattr(settings.limits, k, v)
    src = FilesSource(str(target), settings, display="T")
    out = []
    for scan in src.containers():
        batches = []
        try:
            batches = list(scan.batches)
        except Exception as exc:
            scan.coverage.mark("error", safe_reason(exc))
        c = scan.coverage
        out.append(((c.path, c.container), c.status, c.reason, scan.kind, batches))
    return out


def rows(result) -> dict:
    return {key: (status, reason) for key, status, reason, _, _ in result}


def values(batches) -> list:
    return [v for b in batches for col in b.columns.values() for v in col]


def csv(path: Path, value: str = CANARY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"id,val\n1,{value}\n")
    return path


def test_accepts():
    assert FilesSource.accepts("/some/path") and FilesSource.accepts("rel/x.csv")
    assert FilesSource.accepts("file:///tmp") and FilesSource.accepts("C:\\data")
    assert not FilesSource.accepts("postgres://h/db") and not FilesSource.accepts("s3://b/k")
    assert source_for("/some/path") is FilesSource


def test_walk_include_exclude_sorted(tmp_path, stubs):
    for rel in ["b.csv", "a.csv", "sub/c.csv", "logs/d.csv", "skip.csv", "notes.txt"]:
        csv(tmp_path / rel)
    result = run(tmp_path, settings={"include": ["*.csv"], "exclude": ["logs", "skip.*"]})
    assert [key for key, *_ in result] == [("a.csv", None), ("b.csv", None), ("sub/c.csv", None)]
    assert all(s == "complete" and CANARY in values(b) for _, s, _, _, b in result)


def test_single_file_and_file_uri(tmp_path, stubs):
    f = csv(tmp_path / "deep" / "x.csv")
    assert rows(run(f)) == {("x.csv", None): ("complete", None)}
    assert rows(run(f"file://{f}")) == {("x.csv", None): ("complete", None)}
    (key, _, _, kind, _), = run(tmp_path / "deep")
    assert key == ("x.csv", None) and kind == "records"


def test_missing_target_raises_not_found(tmp_path, stubs):
    with pytest.raises(SourceError) as ei:
        run(tmp_path / "nope")
    assert ei.value.reason == "not_found"


def test_symlinks(tmp_path, stubs):
    outside = csv(tmp_path / "outside" / "secret.csv")
    root = tmp_path / "root"
    csv(root / "real" / "in.csv")
    os.symlink(outside, root / "out_link.csv")
    os.symlink(tmp_path / "outside", root / "out_dir")
    os.symlink(root / "real" / "in.csv", root / "in_link.csv")
    os.symlink(root, root / "real" / "loop")
    os.symlink(root / "missing.csv", root / "dangling.csv")
    csv(root / "hidden" / "h.csv")  # excluded: reachable only through links
    os.symlink(root / "hidden" / "h.csv", root / "h_link.csv")
    os.symlink(root / "hidden", root / "h_dir")
    os.symlink(root / "hidden", root / "hidden" / "back")
    assert rows(run(root, settings={"exclude": ["hidden"]})) == {
        ("dangling.csv", None): ("skipped", "broken_symlink"),
        ("h_dir/back", None): ("skipped", "symlink_loop"),
        ("h_dir/h.csv", None): ("complete", None),
        ("h_link.csv", None): ("complete", None),
        ("in_link.csv", None): ("skipped", "symlink_duplicate"),
        ("out_dir", None): ("skipped", "symlink_outside_target"),
        ("out_link.csv", None): ("skipped", "symlink_outside_target"),
        ("real/in.csv", None): ("complete", None),
        ("real/loop", None): ("skipped", "symlink_duplicate"),
    }


@pytest.mark.timeout(20)
def test_fifo_is_skipped_without_opening(tmp_path, stubs):
    os.mkfifo(tmp_path / "pipe.csv")
    csv(tmp_path / "ok.csv")
    assert rows(run(tmp_path)) == {
        ("ok.csv", None): ("complete", None),
        ("pipe.csv", None): ("skipped", "not_a_regular_file"),
    }
    assert rows(run(tmp_path / "pipe.csv")) == {
        ("pipe.csv", None): ("skipped", "not_a_regular_file")}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_chmod(tmp_path, stubs):
    f = csv(tmp_path / "locked.csv")
    f.chmod(0)
    assert rows(run(tmp_path)) == {("locked.csv", None): ("error", "permission_denied")}


def test_unreadable_file_simulated(tmp_path, stubs, monkeypatch):
    csv(tmp_path / "locked.csv")
    csv(tmp_path / "ok.csv")
    real = files_mod._open_regular

    def deny(path):
        if path.endswith("locked.csv"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(files_mod, "_open_regular", deny)
    assert rows(run(tmp_path)) == {
        ("locked.csv", None): ("error", "permission_denied"),
        ("ok.csv", None): ("complete", None),
    }


def test_empty_binary_unsupported(tmp_path, stubs):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "blob.dat").write_bytes(b"\x89\x00\x01\x02" * 100)
    (tmp_path / "notes.xyz").write_text("plain words\n")
    assert rows(run(tmp_path)) == {
        ("blob.dat", None): ("skipped", "binary"),
        ("empty.csv", None): ("skipped", "empty"),
        ("notes.xyz", None): ("skipped", "unsupported_format"),
    }


def test_text_kind(tmp_path, stubs):
    (tmp_path / "n.txt").write_text(f"id {CANARY}\n")
    [(_, status, _, kind, batches)] = run(tmp_path)
    assert (status, kind) == ("complete", "text") and CANARY in batches[0].text


def test_size_limit_reads_up_to_cap(tmp_path, stubs):
    (tmp_path / "big.csv").write_text("id,val\n" + "1,aaaaaaaa\n" * 100)
    [(_, status, reason, _, batches)] = run(tmp_path, max_file_bytes=27)
    assert (status, reason) == ("partial", "size_limit")
    assert batches[0].records == 2  # 27 bytes: header + two rows


def test_sqlite_by_magic_any_extension(tmp_path, stubs):
    db = tmp_path / "data.bin"
    conn = sqlite3.connect(db)
    conn.execute('CREATE TABLE "住户" (id TEXT)')
    conn.execute('CREATE TABLE "we""ird name" (id TEXT)')
    conn.execute("INSERT INTO 住户 VALUES (?)", (CANARY,))
    conn.commit()
    conn.close()
    before = (db.read_bytes(), os.stat(db).st_mtime_ns)
    result = run(tmp_path)
    assert rows(result) == {("data.bin", "住户"): ("complete", None),
                            ("data.bin", 'we"ird name'): ("complete", None)}
    assert {k[1]: values(b) for k, *_, b in result} == {"住户": [CANARY], 'we"ird name': []}
    assert (db.read_bytes(), os.stat(db).st_mtime_ns) == before
    assert sorted(os.listdir(tmp_path)) == ["data.bin"]


def test_corrupt_sqlite_is_an_error_row(tmp_path, stubs):
    (tmp_path / "bad.sqlite").write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    csv(tmp_path / "z.csv")
    result = rows(run(tmp_path))
    status, reason = result[("bad.sqlite", None)]
    assert status == "error" and reason in ("not_a_database", "corrupt")
    assert result[("z.csv", None)] == ("complete", None)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_archives_nested_members(tmp_path, stubs):
    inner = zip_bytes({"data/x.csv": f"id,val\n1,{CANARY}\n".encode()})
    (tmp_path / "a.zip").write_bytes(
        zip_bytes({"a.csv": b"id,val\n1,v\n", "inner.zip": inner, "e.txt": b"", "b.bin": b"\0\1"})
    )
    result = run(tmp_path)
    assert [(k, s, r) for k, s, r, _, _ in result] == [
        (("a.zip", "a.csv"), "complete", None),
        (("a.zip", "inner.zip!data/x.csv"), "complete", None),
        (("a.zip", "inner.zip"), "complete", None),
        (("a.zip", "e.txt"), "skipped", "empty"),
        (("a.zip", "b.bin"), "skipped", "binary"),
        (("a.zip", None), "complete", None),
    ]
    assert values(result[1][4]) == ["1", CANARY]


def test_forward_only_member_streams(tmp_path, stubs):
    big = f"id,val\n1,{CANARY}\n".encode() + b"2,x\n" * 30_000  # longer than the head
    (tmp_path / "b.bundle").write_text(f"m.csv={big.hex()}\n")
    result = run(tmp_path)
    assert rows(result) == {("b.bundle", "m.csv"): ("complete", None),
                            ("b.bundle", None): ("complete", None)}
    assert result[0][4][0].records == 30_001 and CANARY in values(result[0][4])


def test_archive_depth_cap(tmp_path, stubs):
    inner = zip_bytes({"x.csv": b"id\n1\n"})
    (tmp_path / "a.zip").write_bytes(zip_bytes({"inner.zip": inner}))
    assert rows(run(tmp_path, max_archive_depth=0))[("a.zip", "inner.zip")] == (
        "skipped", "archive_depth")


def test_broken_archive_and_member_limit(tmp_path, stubs):
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04" + b"\x01" * 200)
    (tmp_path / "many.zip").write_bytes(zip_bytes({"a.csv": b"id\n1\n", "b.csv": b"id\n2\n"}))
    result = rows(run(tmp_path, max_archive_members=1))
    assert result[("bad.zip", None)][0] == "error"
    assert result[("many.zip", None)] == ("partial", "archive_members")


def test_batches_are_lazy(tmp_path, stubs):
    f = csv(tmp_path / "x.csv")
    src = FilesSource(str(tmp_path), Settings(targets=[str(tmp_path)]), display="T")
    scan = next(src.containers())
    f.unlink()  # the file is only opened when the batches are iterated
    with pytest.raises(FileNotFoundError):
        list(scan.batches)


def test_real_formats(tmp_path):
    if not any(f.sniff("x.csv", b"id,val\n") for f in spillguard.formats.registry()):
        pytest.skip("no real CSV format registered yet")
    csv(tmp_path / "x.csv")
    conn = sqlite3.connect(tmp_path / "y.csv")  # a database named .csv: magic wins
    conn.execute("CREATE TABLE t (id TEXT)")
    conn.close()
    result = run(tmp_path)
    (key, status, _, kind, batches), (key2, status2, *_) = result
    assert (key, status, kind) == (("x.csv", None), "complete", "records")
    assert CANARY in [str(v) for v in values(batches)]
    assert (key2, status2) == (("y.csv", "t"), "complete")
