#!/usr/bin/env python3
"""spillguard at scale: bounded memory on a big file and a big PostgreSQL table.

    make scale                                        # 10 GB file, 10^7-row table
    make scale ARGS="--file-gb 1 --pg-rows 1000000"   # the moderate run
    .venv/bin/python bench/scale.py --only file --file-gb 0.2 --formats text,csv

Not part of ``make test`` (tests/scale/test_bounded_memory.py is the small, fast version).

* file: a deterministic log-like file (``--formats``: text, csv, jsonl, gz = gzip'd text)
  of ``--file-gb`` GB (10^9 bytes), streamed to disk: one block of 20,000 lines is laid
  out once, then written again and again with the block number in every line
  (``req=r<block>x<line>``) and fresh planted values, so no line repeats and nothing
  but one block is ever in memory. One line in 100 holds a Chinese mobile, one an
  e-mail, one a CN resident ID (``--plant-every``; each value a function of block and
  line, every value different, so distinct counts pass 20,000 and switch to
  HyperLogLog on big files). Then ``spillguard scan FILE --sample-size 0 --no-checks
  --max-file-size 0 --format json --output REPORT`` runs as a subprocess, measured from
  outside like ``make bench`` does (bench/run.py ``measure``: wall time; peak RSS of the process tree sampled from
  /proc every 50 ms, and the child's VmHWM). The report is checked: records = lines
  (rows) read, and the planted entities found as often as planted.
* pg: a throwaway PostgreSQL server (tests/servers/postgres.py), one table of
  ``--pg-rows`` rows made server-side with ``generate_series`` (id, a mobile derived from
  the id, a status, a created_at timestamp), scanned in full with ``--sample-size 0``;
  wall time, peak client RSS, records = rows and a PHONE_NUMBER in every row.

Each target is also scanned at 1 % of the size (a file of at least 20 MB, a table of at
least 10,000 rows; ``--no-baseline`` skips it), so the table shows whether peak RSS grows
with the input.

Prints one markdown table and writes ``<out-dir>/scale.md`` and ``scale.json``. The big
file is deleted at the end unless ``--keep``. No value from the data is ever printed:
only counts.

Files are scanned with ``--max-file-size 0`` (read whole) unless ``--max-file-size SIZE``
says otherwise (spillguard's default is 2G): a file above the cap is read up to it and
marked ``partial: size_limit``, and the check expects the records in the bytes read. A
gzip'd file is always cut at the 1 GiB archive cap (``Limits.max_archive_total_bytes``).
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import gzip
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for p in (str(HERE), str(REPO)):
    if p not in sys.path:
        sys.path.insert(0, p)

from run import machine, measure  # noqa: E402  (bench/run.py: the same measuring code)

from spillguard.settings import Limits  # noqa: E402

SG = str(REPO / ".venv" / "bin" / "spillguard")
PY = str(REPO / ".venv" / "bin" / "python")

# --- the generated data -------------------------------------------------------------

BLOCK_LINES = 20_000
PLANT_EVERY = 100  # one line in 100 per entity: 3 % of lines hold personal data
MARK = "@@BLOCK@"  # 8 characters, replaced by the 8-digit block number
ENTITIES = ("PHONE_NUMBER", "EMAIL_ADDRESS", "CN_RESIDENT_ID")
FORMATS = ("text", "csv", "jsonl", "gz")
SUFFIX = {"text": ".log", "csv": ".csv", "jsonl": ".jsonl", "gz": ".log.gz"}

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_REGIONS = ("110105", "310104", "440305", "330106", "320102", "510104", "420102", "650102")
_BORN0 = datetime.date(1950, 1, 1)
_BORN_DAYS = (datetime.date(2005, 12, 31) - _BORN0).days + 1
_MOBILE = ("130", "135", "136", "138", "139", "150", "152", "158", "177", "186", "188", "199")
_DOMAINS = ("163.com", "126.com", "msn.com", "aol.com")  # one width: every block has the same size
_SERVICES = ("api", "auth", "billing", "cache", "search", "worker", "gateway", "report")
_LEVELS = ("INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "INFO ", "ERROR", "DEBUG")
_PATHS = ("/api/v2/items", "/api/v2/orders", "/static/app.js", "/healthz", "/api/v1/search",
          "/api/v2/cart", "/metrics", "/api/v1/reports")
_NOTES = (
    "cache warm-up finished for region eu-west",
    "scheduled compaction started on shard seven",
    "connection pool resized after load spike",
    "retrying upstream call after a transient error",
    "feature flag refreshed from the config service",
    "系统完成了批次数据同步，耗时较短",
    "background job queued for the nightly export",
    "rate limiter window rolled over",
)


def _mix(a: int, b: int) -> int:
    """A cheap deterministic hash of (block, line), so values look unrelated."""
    x = (a * 0x9E3779B1 + b * 0x85EBCA77 + 0x165667B1) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x2C1B3C6D) & 0xFFFFFFFF
    x ^= x >> 12
    return x


def planted_value(entity: str, block: int, line: int) -> str:
    """The value planted at (block, line): fixed width, valid (the ID's MOD 11-2 check),
    different for every (block, line) up to 10^8 lines."""
    n = block * BLOCK_LINES + line
    h = _mix(block, line)
    if entity == "PHONE_NUMBER":
        return f"{_MOBILE[h % len(_MOBILE)]}{n % 10**8:08d}"
    if entity == "EMAIL_ADDRESS":
        return f"u{block:08d}x{line:05d}@{_DOMAINS[h % len(_DOMAINS)]}"
    born = datetime.date.fromordinal(_BORN0.toordinal() + (n // len(_REGIONS)) % _BORN_DAYS)
    body = f"{_REGIONS[n % len(_REGIONS)]}{born:%Y%m%d}{(n // (len(_REGIONS) * _BORN_DAYS)) % 1000:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _W)) % 11]


def _planted_at(line: int, every: int) -> str | None:
    """Which entity line ``line`` holds: one line in ``every`` per entity (every >= 3)."""
    slot = line % every
    for k, entity in enumerate(ENTITIES):
        if slot == every * (17 + 36 * k) // 100:
            return entity
    return None


_VALUE = "@@VALUE@"  # where a planted value goes in a laid-out line
_PLANTED_TEXT = {
    "PHONE_NUMBER": "callback requested by customer, mobile " + _VALUE,
    "EMAIL_ADDRESS": "login ok user=" + _VALUE + " method=password",
    "CN_RESIDENT_ID": "实名认证通过 身份证号 " + _VALUE + " 已登记",
}


def _message(i: int) -> str:
    if i % 3:
        return (f"GET {_PATHS[i % len(_PATHS)]}/{(i * 37) % 9000 + 100} status={(200, 200, 304, 404)[i % 4]} "
                f"bytes={(i * 131) % 40000 + 200} took={(i * 7) % 900 + 1}ms")
    return _NOTES[(i // 3) % len(_NOTES)]


def _line(fmt: str, i: int, every: int) -> str:
    """Line ``i`` of every block, with MARK for the block number and _VALUE where a value
    is planted."""
    ts = f"2026-03-01T{(i // 3600) % 24:02d}:{(i // 60) % 60:02d}:{i % 60:02d}.{(i * 7) % 1000:03d}Z"
    level, svc = _LEVELS[i % len(_LEVELS)], _SERVICES[(i // 8) % len(_SERVICES)]
    rid = f"r{MARK}x{i:05d}"
    entity = _planted_at(i, every)
    if fmt in ("text", "gz"):
        msg = _PLANTED_TEXT[entity] if entity else _message(i)
        return f"{ts} {level} [{svc:<8}] {msg} req={rid}\n"
    contact = _VALUE if entity else ""
    if fmt == "csv":
        return f"{rid},{ts},{level.strip()},{svc},{_message(i)},{contact}\n"
    rec = {"id": rid, "ts": ts, "level": level.strip(), "service": svc, "message": _message(i),
           "contact": contact or None}
    return json.dumps(rec, ensure_ascii=False) + "\n"


CSV_HEADER = "id,ts,level,service,message,contact\n"


class Layout:
    """One block of BLOCK_LINES lines, laid out once: ``segments[k]`` (bytes, MARK for
    the block number) come before planted value k; ``line_ends`` are the byte offsets
    (within the block) where each line ends; every block has the same size."""

    def __init__(self, fmt: str, every: int = PLANT_EVERY):
        if every < 3:
            raise ValueError("plant at most one line in 3 per entity")
        self.fmt = fmt
        self.header = CSV_HEADER.encode() if fmt == "csv" else b""
        segments, current, self.plants, self.line_ends, pos = [], [], [], [], 0
        for i in range(BLOCK_LINES):
            line = _line(fmt, i, every)
            entity = _planted_at(i, every)
            width = len(planted_value(entity, 0, i).encode()) if entity else 0
            pos += len(line.replace(_VALUE, "").encode()) + width
            self.line_ends.append(pos)
            if entity:
                before, after = line.split(_VALUE)
                current.append(before)
                segments.append("".join(current).encode())
                current = [after]
                self.plants.append((entity, i))
            else:
                current.append(line)
        segments.append("".join(current).encode())
        self.segments = segments
        self.block_bytes = pos
        self._mark = MARK.encode()

    def block(self, b: int) -> bytes:
        bid = b"%08d" % b
        segs, parts = self.segments, []
        for k, (entity, i) in enumerate(self.plants):
            parts.append(segs[k].replace(self._mark, bid))
            parts.append(planted_value(entity, b, i).encode())
        parts.append(segs[-1].replace(self._mark, bid))
        data = b"".join(parts)
        assert len(data) == self.block_bytes
        return data

    def planted_in(self, lines: int) -> dict:
        """Planted values on the first ``lines`` lines (rows) of the data."""
        full, rest = divmod(lines, BLOCK_LINES)
        return {e: sum(full + (i < rest) for x, i in self.plants if x == e) for e in ENTITIES}

    def lines_in(self, limit: int) -> tuple[int, bool]:
        """Complete lines (rows) in the first ``limit`` bytes of the uncompressed data, and
        whether a part of the next one is in them too."""
        full, rest = divmod(max(0, limit - len(self.header)), self.block_bytes)
        k = bisect.bisect_right(self.line_ends, rest)
        return full * BLOCK_LINES + k, rest > (self.line_ends[k - 1] if k else 0)


def generate(fmt: str, path: Path, target_bytes: int, every: int = PLANT_EVERY, first_block: int = 0) -> dict:
    """Write about ``target_bytes`` of (uncompressed) data to ``path`` (whole lines),
    streamed one block at a time, block numbers from ``first_block`` (files with
    different ones share no planted value). Deterministic: same arguments, same bytes."""
    layout = Layout(fmt, every)
    lines, _ = layout.lines_in(max(target_bytes, len(layout.header) + layout.line_ends[0]))
    t0 = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    raw = open(tmp, "wb")
    out = gzip.GzipFile(filename=path.name[:-3], mode="wb", fileobj=raw, compresslevel=1, mtime=0) \
        if fmt == "gz" else raw
    try:
        out.write(layout.header)
        data_bytes = len(layout.header)
        full, rest = divmod(lines, BLOCK_LINES)
        for b in range(full + (rest > 0)):
            data = layout.block(first_block + b)
            if b == full:
                data = data[: layout.line_ends[rest - 1]]
            out.write(data)
            data_bytes += len(data)
    finally:
        if out is not raw:
            out.close()
        raw.close()
    tmp.replace(path)
    return {"format": fmt, "path": str(path), "bytes": path.stat().st_size, "data_bytes": data_bytes,
            "records": lines, "planted": layout.planted_in(lines), "plant_every": every,
            "generate_s": round(time.perf_counter() - t0, 2), "layout": layout}


# --- measuring a scan ----------------------------------------------------------------

_GZ_SLACK = 5 * 2**20


def scan_command(target: str, report: Path, extra: tuple = ()) -> list[str]:
    return [SG, "scan", target, "--sample-size", "0", "--no-checks", "--fail-on", "never", "--quiet",
            "--format", "json", "--output", str(report), *extra]


def run_scan(target: str, report: Path, log: Path, extra: tuple = ()) -> tuple[dict, dict | None]:
    """``spillguard scan TARGET --sample-size 0`` measured from outside (bench/run.py):
    wall_s, rss_mib (max of VmHWM and the sampled process-tree RSS), rc; and the report.
    ``log`` gets the scan's stderr (must not be the scanned file)."""
    report.unlink(missing_ok=True)
    m = measure(scan_command(target, report, extra), log)
    m.pop("stdout", None)
    return m, (json.loads(report.read_text()) if report.exists() else None)


def summarise(rep: dict) -> dict:
    """Counts only: records and bytes read, statuses, findings per entity."""
    cov = rep["coverage"]
    found: dict[str, int] = {}
    for f in rep["findings"]:
        found[f["entity"]] = found.get(f["entity"], 0) + f["count"]
    return {"records": sum(c["records"] for c in cov), "bytes_read": max((c["bytes"] for c in cov), default=0),
            "status": sorted({(c["status"], c["reason"] or "") for c in cov}), "found": found,
            "fields": sorted({(f["field"] or "", f["entity"]) for f in rep["findings"]})}


def file_cap(max_file_size: str | None = None) -> int:
    """The bytes of a file spillguard reads: ``--max-file-size`` (0 = all), else its default."""
    if max_file_size is None:
        return Limits().max_file_bytes
    from spillguard.cli.sizes import parse_size

    return parse_size(max_file_size)


def expected(meta: dict, cap: int | None = None) -> dict:
    """What a full scan of ``meta``'s file must report, read up to ``cap`` bytes (default:
    spillguard's default cap)."""
    layout: Layout = meta["layout"]
    cap = file_cap() if cap is None else cap
    # gz: the inflated member is cut at the archive cap (Limits.max_archive_total_bytes,
    # no CLI option) long before the file cap is reached
    limit = Limits().max_archive_total_bytes if meta["format"] == "gz" else cap
    if meta["data_bytes"] <= limit:
        return {"records": (meta["records"], meta["records"]), "planted": meta["planted"],
            "planted_max": meta["planted"], "capped": False}
    lines, partial = layout.lines_in(limit)
    lines = min(lines, meta["records"])
    lo = lines
    if meta["format"] == "gz":
        # the member's reader stops with LimitExceeded while filling a text chunk (up to
        # Limits.text_chunk_chars, 1 Mi characters) that is then not scanned
        lo = min(layout.lines_in(max(0, limit - _GZ_SLACK))[0], meta["records"])
    return {"records": (lo, lines + partial), "planted": layout.planted_in(lo),
            "planted_max": layout.planted_in(lines + partial), "capped": True, "cap_bytes": limit}


def check(meta: dict, summary: dict, cap: int | None = None) -> list[str]:
    """Problems with a report (empty: records and planted findings as expected). A capped
    file (partial: size_limit) may hold one extra partial record and value at the cut."""
    exp = expected(meta, cap)
    problems = []
    lo, hi = exp["records"]
    if not lo <= summary["records"] <= hi:
        problems.append(f"records {summary['records']:,} != expected {lo:,}" + (f"..{hi:,}" if hi != lo else ""))
    status = set(summary["status"])
    if exp["capped"]:  # the archive row and the member row both say size_limit (jsonl: and bad_lines)
        if not all(st == "partial" and reason.startswith("size_limit") for st, reason in status):
            problems.append(f"coverage {summary['status']}, expected partial: size_limit")
    elif status != {("complete", "")}:
        problems.append(f"coverage {summary['status']}, expected complete")
    for entity, n in exp["planted"].items():
        got, most = summary["found"].get(entity, 0), exp["planted_max"][entity]
        if not n <= got <= most:
            problems.append(f"{entity}: found {got:,}, planted {n:,}" + (f"..{most:,}" if most != n else ""))
    return problems


# --- PostgreSQL ----------------------------------------------------------------------

PG_DB = "scale"


def pg_load(server, table: str, rows: int, db: str = PG_DB) -> dict:
    """``public.<table>`` of ``rows`` rows made server-side by generate_series: id, a
    Chinese mobile derived from the id (7919 is prime to 10^8, so every row's differs),
    a status, a created_at timestamp. Creates ``db`` if needed. Counts only in the result."""
    t0 = time.perf_counter()
    with server.connect() as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone():
            admin.execute(f'CREATE DATABASE "{db}"')
    with server.connect(db) as conn:
        conn.execute(f'DROP TABLE IF EXISTS public."{table}"')
        conn.execute(f'CREATE TABLE public."{table}" (id bigint, mobile text, status text, created_at timestamptz)')
        conn.execute(
            f'INSERT INTO public."{table}" SELECT g, '
            "(ARRAY['139','138','186','150'])[1 + g %% 4] || lpad(((g * 7919) %% 100000000)::text, 8, '0'), "
            "(ARRAY['new','paid','shipped','closed','refunded'])[1 + g %% 5], "
            "timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second' "
            "FROM generate_series(1::bigint, %s::bigint) g", (rows,))
        conn.execute(f'ANALYZE public."{table}"')
        size = conn.execute("SELECT pg_total_relation_size(%s)", (f'public."{table}"',)).fetchone()[0]
    return {"table": f"public.{table}", "rows": rows, "bytes": size, "load_s": round(time.perf_counter() - t0, 2)}


def pg_check(table: dict, summary: dict) -> list[str]:
    problems = []
    if summary["records"] != table["rows"]:
        problems.append(f"records {summary['records']:,} != rows {table['rows']:,}")
    if summary["status"] != [("complete", "")]:
        problems.append(f"coverage {summary['status']}")
    if summary["found"].get("PHONE_NUMBER", 0) != table["rows"]:
        problems.append(f"PHONE_NUMBER: found {summary['found'].get('PHONE_NUMBER', 0):,}, planted {table['rows']:,}")
    if ("mobile", "PHONE_NUMBER") not in summary["fields"]:
        problems.append("no PHONE_NUMBER finding in field mobile")
    return problems


def pg_scan(server, table: dict, out: Path, tag: str, db: str = PG_DB) -> dict:
    report = out / f"report-pg-{tag}.json"
    m, rep = run_scan(server.uri("postgres", db=db), report, out / "logs" / f"pg-{tag}.log",
                      extra=("--include", table["table"]))
    summary = summarise(rep) if rep else None
    problems = pg_check(table, summary) if summary else [f"no report (exit {m['rc']})"]
    return {"target": "PostgreSQL table" + (", baseline" if tag == "baseline" else ""), "kind": "pg", "size_bytes": table["bytes"],
            "rows": table["rows"], "measure": m, "summary": summary, "problems": problems,
            "load_s": table["load_s"]}


# --- the harness ---------------------------------------------------------------------


class Scale:
    def __init__(self, args):
        self.args = args
        self.out: Path = args.out_dir
        (self.out / "logs").mkdir(parents=True, exist_ok=True)
        self.results: list[dict] = []

    def say(self, msg: str) -> None:
        print(f"[scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    def _file_run(self, fmt: str, size: int, tag: str) -> list[dict]:
        """Generate one file and scan it: in one process, and (not for a baseline) with
        ``--jobs N`` too when asked, which cuts a big file into parts for N workers."""
        a = self.args
        path = self.out / f"scale-{tag}{SUFFIX[fmt]}"
        self.say(f"generating {path.name}: {size / 1e9:.2f} GB of {fmt}")
        cap = file_cap(a.max_file_size)
        runs = [()] + ([("--jobs", str(a.jobs))] if a.jobs > 1 and not tag.endswith("baseline") else [])
        rows = []
        try:
            meta = generate(fmt, path, size, a.plant_every)
            for jobs in runs:
                run_tag = tag + ("-jobs" if jobs else "")
                self.say(f"  {meta['records']:,} lines in {meta['generate_s']} s; scanning {' '.join(jobs)}")
                m, rep = run_scan(str(path), self.out / f"report-{run_tag}.json", self.out / "logs" / f"{run_tag}.log",
                                  ("--max-file-size", a.max_file_size, *jobs))
                rows.append(self._file_row(fmt, tag, meta, cap, m, rep, " ".join(jobs)))
        finally:
            if not a.keep:
                path.unlink(missing_ok=True)
        return rows

    def _file_row(self, fmt: str, tag: str, meta: dict, cap: int, m: dict, rep: dict | None, jobs: str) -> dict:
        summary = summarise(rep) if rep else None
        problems = check(meta, summary, cap) if summary else [f"no report (exit {m['rc']})"]
        exp = expected(meta, cap)
        label = {"text": "text (log)", "gz": "gzip'd text"}.get(fmt, fmt)
        target = f"file, {label}" + (", baseline" if tag.endswith("baseline") else "") + (f", {jobs}" if jobs else "")
        r = {"target": target, "kind": "file", "tag": tag,
             "size_bytes": meta["bytes"], "data_bytes": meta["data_bytes"], "lines": meta["records"],
             "planted": meta["planted"], "generate_s": meta["generate_s"], "capped": exp["capped"],
             "measure": m, "summary": summary, "problems": problems}
        self.say(f"  {m['wall_s']} s, peak RSS {m['rss_mib']} MiB, " + ("ok" if not problems else "; ".join(problems)))
        return r

    def files(self) -> None:
        a = self.args
        size = int(a.file_gb * 1e9)
        for fmt in a.formats:
            if a.baseline:
                base = max(20_000_000, size // 100)
                if base < size:
                    self.results.extend(self._file_run(fmt, base, f"{fmt}-baseline"))
            self.results.extend(self._file_run(fmt, size, fmt))

    def pg(self) -> None:
        from tests.servers.postgres import remove, start_postgres

        a = self.args
        self.say("starting a throwaway PostgreSQL server")
        server = start_postgres("scale", auth=False, netns=True)
        try:
            tables = []
            if a.baseline and a.pg_rows > 10_000:
                tables.append(("baseline", max(10_000, a.pg_rows // 100)))
            tables.append(("full", a.pg_rows))
            for tag, rows in tables:
                self.say(f"loading public.events_{tag}: {rows:,} rows (generate_series)")
                try:
                    t = pg_load(server, f"events_{tag}", rows)
                    self.say(f"  {t['bytes'] / 2**20:,.0f} MiB in {t['load_s']} s; scanning")
                    r = pg_scan(server, t, self.out, tag)
                except Exception as exc:  # a row that says so, and the other results kept
                    r = {"target": "PostgreSQL table" + (", baseline" if tag == "baseline" else ""), "kind": "pg", "size_bytes": 0, "rows": rows,
                         "measure": {"wall_s": 0.0, "rss_mib": 0.0}, "summary": None,
                         "problems": [f"{type(exc).__name__}: {str(exc)[:200]}"], "load_s": None}
                self.results.append(r)
                self.say(f"  {r['measure']['wall_s']} s, peak RSS {r['measure']['rss_mib']} MiB, "
                         + ("ok" if not r["problems"] else "; ".join(r["problems"])))
        finally:
            remove(server)

    def table(self) -> str:
        head = ("target", "size", "records", "wall s", "throughput", "peak RSS MiB", "check")
        lines = ["| " + " | ".join(head) + " |", "|---|---:|---:|---:|---:|---:|---|"]
        for r in self.results:
            m, s = r["measure"], r["summary"] or {}
            recs = s.get("records")
            wall = m["wall_s"]
            if r["kind"] == "file":
                size = _size(r["size_bytes"])
                if r["size_bytes"] != r["data_bytes"]:
                    size += f" ({_size(r['data_bytes'])} inflated)"
                read = s.get("bytes_read", 0)
                rate = f"{read / 1e6 / wall:.2f} MB/s" if wall else "—"
                if r["capped"]:
                    size += f", {_size(read)} read (size_limit)"
            else:
                size = f"{r['rows']:,} rows, {r['size_bytes'] / 2**20:,.0f} MiB"
                rate = f"{recs / wall:,.0f} rows/s" if (recs and wall) else "—"
            ok = "ok" if not r["problems"] else "FAIL: " + "; ".join(r["problems"])
            lines.append(f"| {r['target']} | {size} | {recs if recs is None else f'{recs:,}'} | {wall:,.1f} | "
                         f"{rate} | {m['rss_mib']:,.0f} | {ok} |")
        return "\n".join(lines)

    def run(self) -> int:
        a = self.args
        t0 = time.perf_counter()
        if "file" in a.only:
            self.files()
        if "pg" in a.only:
            self.pg()
        table = self.table()
        info = machine(PY)
        cmd = os.environ.get("SCALE_CMD") or " ".join([".venv/bin/python bench/scale.py", *sys.argv[1:]])
        notes = (f"\n\n- Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}; {info['os']}; "
                 f"Python {info['python']}; {info['date']}; spillguard {info['spillguard_commit']}.\n"
                 f"- Command: `{cmd}` (total {time.perf_counter() - t0:,.0f} s).\n"
                 "- Every scan: `spillguard scan TARGET --sample-size 0 --no-checks --format json --output …`"
                 f" (files: `--max-file-size {a.max_file_size}`) in a subprocess; wall time of the process (start-up and report included); peak RSS = max of "
                 "the child's VmHWM and the process tree's RSS sampled every 50 ms (bench/run.py `measure`).\n"
                 f"- Files: one line in {a.plant_every} holds a Chinese mobile, one an e-mail, one a CN resident ID "
                 "(every value different); check = records equal the lines (rows) read and every planted value "
                 "is counted once. PostgreSQL: a mobile on every row; check = records equal the rows.")
        print(table + notes)
        (self.out / "scale.md").write_text(table + notes + "\n")
        for r in self.results:
            r.get("measure", {}).pop("cmd", None)
        (self.out / "scale.json").write_text(json.dumps({"machine": info, "command": cmd, "args": {
            k: str(v) if isinstance(v, Path) else v for k, v in vars(a).items()}, "results": self.results},
            indent=2, default=str) + "\n")
        return 1 if any(r["problems"] for r in self.results) else 0


def _size(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e8 else f"{n / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file-gb", type=float, default=10.0, help="size of the generated file, GB (10^9 bytes)")
    ap.add_argument("--pg-rows", type=int, default=10_000_000, help="rows of the PostgreSQL table")
    ap.add_argument("--only", default="file,pg", help="comma list: file, pg")
    ap.add_argument("--jobs", type=int, default=2,
                    help="also scan the big file with --jobs N (cut into parts for N workers); 1: no such row")
    ap.add_argument("--formats", default="text",
                    help=f"comma list of file formats: {', '.join(FORMATS)} (gz = gzip'd text); default text")
    ap.add_argument("--plant-every", type=int, default=PLANT_EVERY,
                    help="one line (row) in N holds each planted entity (default 100: 3 %% of lines)")
    ap.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                    help="also scan a 1 %% size file / table (at least 20 MB / 10,000 rows) to compare memory")
    ap.add_argument("--max-file-size", default="0", metavar="SIZE",
                    help="passed to spillguard scan: 0 (default) reads the whole file, 2G is spillguard's "
                         "default cap (the file is then read up to 2 GiB and marked partial: size_limit)")
    ap.add_argument("--out-dir", type=Path, default=REPO / ".bench" / "scale")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    a = ap.parse_args(argv)
    a.only = sorted({x.strip() for x in a.only.split(",") if x.strip()})
    a.formats = [x.strip() for x in a.formats.split(",") if x.strip()]
    if a.file_gb <= 0 or a.pg_rows < 1:
        ap.error("--file-gb and --pg-rows must be positive")
    if not set(a.only) <= {"file", "pg"} or not set(a.formats) <= set(FORMATS):
        ap.error("--only takes file,pg; --formats takes " + ",".join(FORMATS))
    a.out_dir = a.out_dir.resolve()
    return Scale(a).run()


if __name__ == "__main__":
    sys.exit(main())
