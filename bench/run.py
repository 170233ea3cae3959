#!/usr/bin/env python3
"""spillguard benchmark: one corpus, every tool, one table.

    make bench                         # default: 200 MB corpus, peers on a 3 MB slice
    make bench ARGS="--size 20"        # a few minutes
    .venv/bin/python bench/run.py --size 20 --only spillguard,text --no-peers

Runs in spillguard's .venv. Generates (or reuses) the deterministic corpus of
bench/corpus.py, then, corpus file by corpus file (so that the rows compared with each
other run minutes apart), runs each tool in its own subprocess and measures it from outside
(wall time; peak RSS = the larger of the child's VmHWM and the largest sum of RSS over
its process tree, both sampled from /proc every 50 ms. The child's ru_maxrss from wait4
is kept in results.json but not used: Linux carries the forking harness's own RSS into
it, so every child would show at least the harness's size):

* spillguard end to end: ``spillguard scan FILE --sample-size 0`` per corpus file, JSON
  report; once in one process and once with ``--jobs 2`` when the CLI has that option;
* spillguard detectors only: bench/sg_spans.py over the free-text files (text: PII-dense,
  logs: sparse), spans for exact span-level recall/precision;
* peers in their own venv (.bench/venv-peers, bench/requirements.txt), on the first
  ``--max-peer-mb`` MB of the text, logs, CSV and JSON Lines files (they are 10-100x
  slower): DataFog regex engine (Python and Rust backends), Presidio pattern recognizers;
* the raw multi-pattern matchers (re2, Hyperscan) over the whole text, logs, CSV and JSON
  Lines files, with spillguard's own patterns (bench/patterns.py says how they are
  rewritten).

Writes .bench/results.md (the table for the README), .bench/results.json (everything,
including per-entity numbers and spillguard's reported vs planted counts) and prints the
table. See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus as corpus_mod  # noqa: E402
import evaluate as ev  # noqa: E402
import own_corpus  # noqa: E402
import targets  # noqa: E402

FORMATS = ("text", "logs", "csv", "jsonl", "parquet")
PEER_FORMATS = ("text", "logs", "csv", "jsonl")
TEXT_FORMATS = ev.TEXT_FORMATS  # free text: one record = one line, span-level manifest
LAKE = "lake"  # the record files side by side in one directory, for the Spark engine
LAKE_FORMATS = ("csv", "jsonl", "parquet")
ROW_FORMATS = FORMATS + (LAKE,)
TOOLS = ("spillguard", "spillguard-jobs", "spillguard-detectors", "spark-1", "spark-2", "datafog", "datafog-rust",
         "presidio", "re2", "hyperscan")
SPARK_MASTERS = {"spark-1": "local[1]", "spark-2": "local[2]"}
PEER_TOOLS = ("datafog", "datafog-rust", "presidio", "re2", "hyperscan")
FLOORS = (("re2", "re2_floor.py"), ("hyperscan", "hyperscan_floor.py"))  # tool, adapter in bench/peers
PEERS = {  # tool: (adapter command after the peer venv's python, prediction type -> entity)
    "datafog": ([str(HERE / "peers" / "datafog_peer.py"), "--backend", "python"], ev.DATAFOG_MAP),
    "datafog-rust": ([str(HERE / "peers" / "datafog_peer.py"), "--backend", "rust"], ev.DATAFOG_MAP),
    "presidio": ([str(HERE / "peers" / "presidio_peer.py")], ev.PRESIDIO_MAP),
}
LABEL = {
    "spillguard": "spillguard (1 process)",
    "spillguard-jobs": "spillguard --jobs 2",
    "spillguard-detectors": "spillguard detectors only (spans)",
    "spark-1": "spillguard --engine spark local[1]",
    "spark-2": "spillguard --engine spark local[2]",
    "datafog": "DataFog regex, Python",
    "datafog-rust": "DataFog regex, Rust backend",
    "presidio": "Presidio, pattern recognizers",
    "re2": "floor: re2, one combined pattern",
    "hyperscan": "floor: Hyperscan, all patterns",
}


# --- measuring a child ---------------------------------------------------------------


def _hwm_kb(pid: int) -> int:
    """VmHWM: the peak RSS of the process's current image (reset at exec, unlike
    ru_maxrss, which for a child forked from this harness starts at the harness's own
    RSS)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _tree_rss_kb(pid: int) -> int:
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str], log: Path, timeout: float | None = None) -> dict:
    """Run ``cmd``; wall seconds, peak RSS MiB, exit code, stdout (stderr to ``log``)."""
    out_path = log.with_suffix(".stdout")
    with open(out_path, "wb") as out, open(log, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=REPO)
        peak, hwm = [0], [0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
                hwm[0] = max(hwm[0], _hwm_kb(proc.pid))
                stop.wait(0.05)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                proc.kill()
                pid, status, ru = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        stop.set()
        th.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {"cmd": cmd, "wall_s": round(wall, 3), "rss_mib": round(max(hwm[0], peak[0]) / 1024, 1),
            "vmhwm_mib": round(hwm[0] / 1024, 1), "tree_peak_mib": round(peak[0] / 1024, 1),
            "ru_maxrss_mib": round(ru.ru_maxrss / 1024, 1),
            "rc": proc.returncode, "stdout": out_path.read_text(errors="replace")}


def _json_line(stdout: str) -> dict:
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line on stdout")


# --- the machine ---------------------------------------------------------------------


def machine(venv_python: str) -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    pyver = subprocess.run([venv_python, "-c", "import platform; print(platform.python_version())"],
                           capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                           capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": pyver,
            "os": f"{platform.system()} {platform.release()}",
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "spillguard_commit": commit + ("+dirty" if dirty else "")}


# --- the runs ------------------------------------------------------------------------


class Bench:
    def __init__(self, args):
        self.args = args
        self.out = args.out_dir
        self.logs = self.out / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.py = str(REPO / ".venv" / "bin" / "python")
        self.sg = str(REPO / ".venv" / "bin" / "spillguard")
        self.peer_py = str(args.peer_python)
        self.rows: list[dict] = []
        self.details: dict = {}

    def say(self, msg: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    def want(self, tool: str, fmt: str) -> bool:
        a = self.args
        if a.only_tools and tool not in a.only_tools:
            return False
        if a.only_formats and fmt not in a.only_formats:
            return False
        if tool in PEER_TOOLS and not a.peers:
            return False
        return True

    def row(self, tool, fmt, mb, seconds, records, rss, score: ev.Score | None = None, note="",
            recall=None, precision=None, na: str | None = None, approx=False):
        if score is not None:
            recall, precision = score.recall, score.precision
        r = {"tool": tool, "label": LABEL[tool], "format": fmt, "mb": mb,
             "mb_s": (mb / seconds) if (seconds and mb is not None) else None,
             "records_s": (records / seconds) if (seconds and records is not None) else None,
             "rss_mib": rss, "recall": recall, "precision": precision, "note": note, "na": na,
             "approx": approx}
        self.rows.append(r)
        return r

    def timed(self, cmd: list[str], log: Path, mb: float) -> tuple[dict, str]:
        """``measure`` run ``--repeat`` times: the run of median wall time (its RSS, exit
        code and output), every wall time in ``walls``, and a note of the spread in
        MB/s ("" for one run). A failed run ends the repeats."""
        runs = []
        for _ in range(max(1, self.args.repeat)):
            runs.append(measure(cmd, log))
            if runs[-1]["rc"] != 0:
                return runs[-1], ""
        walls = sorted(m["wall_s"] for m in runs)
        m = sorted(runs, key=lambda r: r["wall_s"])[(len(runs) - 1) // 2]
        m["walls"] = [r["wall_s"] for r in runs]
        note = "" if len(runs) == 1 else f"median of {len(runs)}, {mb / walls[-1]:.2f}–{mb / walls[0]:.2f} MB/s"
        return m, note

    # spillguard ---------------------------------------------------------------------
    def spillguard(self, meta: dict, cdir: Path, formats=FORMATS) -> None:
        help_text = subprocess.run([self.sg, "scan", "--help"], capture_output=True, text=True).stdout
        has_jobs = "--jobs" in help_text
        for fmt in formats:
            info = meta["formats"][fmt]
            path = cdir / info["file"]
            for tool, extra in (("spillguard", []), ("spillguard-jobs", ["--jobs", "2"])):
                if not self.want(tool, fmt):
                    continue
                if tool == "spillguard-jobs" and not has_jobs:
                    self.row(tool, fmt, None, None, None, None, na="n/a (no --jobs yet)")
                    continue
                report = self.out / f"report-{tool}-{fmt}.json"
                self.say(f"{LABEL[tool]} on {info['file']} ({info['bytes'] / 1e6:.1f} MB)")
                m, spread = self.timed([self.sg, "scan", str(path), "--sample-size", "0", "--no-checks",
                                        "--fail-on", "never", "--quiet", "--format", "json", "--output",
                                        str(report), *extra], self.logs / f"{tool}-{fmt}.log", info["bytes"] / 1e6)
                if m["rc"] != 0 or not report.exists():
                    self.row(tool, fmt, None, None, None, m["rss_mib"], na=f"failed (exit {m['rc']}, see logs)")
                    continue
                rep = json.loads(report.read_text())
                records = sum(c["records"] for c in rep["coverage"])
                incomplete = [c["reason"] for c in rep["coverage"] if c["status"] != "complete"]
                if fmt in TEXT_FORMATS:
                    sc, counts = ev.score_counts(info["planted"], rep)
                    note = "count proxy"
                else:
                    sc, counts = ev.score_fields(info["fields"], rep)
                    note = "field level"
                self.row(tool, fmt, info["bytes"] / 1e6, m["wall_s"], records, m["rss_mib"], sc,
                         note="; ".join(filter(None, (note, spread))), approx=(fmt in TEXT_FORMATS))
                self.details[f"{tool}/{fmt}"] = {"measure": {k: v for k, v in m.items() if k != "stdout"},
                                                 "records": records, "incomplete": incomplete,
                                                 "score": sc.as_dict(), "counts": counts}

    def spark(self, meta: dict, cdir: Path) -> None:
        """The Spark engine in local mode on a small lake (the CSV, JSON Lines and Parquet
        files, hard-linked into one directory), with one and with two executor cores."""
        tools = [t for t in SPARK_MASTERS if self.want(t, LAKE)]
        if not tools:
            return
        lake = self.out / f"lake-{cdir.name}"
        lake.mkdir(exist_ok=True)
        names = [meta["formats"][fmt]["file"] for fmt in LAKE_FORMATS]
        for name in names:
            if not (lake / name).exists():
                os.link(cdir / name, lake / name)
        size = sum((lake / name).stat().st_size for name in names)
        for tool in tools:
            report = self.out / f"report-{tool}-{LAKE}.json"
            self.say(f"{LABEL[tool]} on {lake.name}/ ({size / 1e6:.1f} MB in {len(names)} files)")
            m = measure([self.sg, "scan", str(lake), "--engine", "spark", "--master", SPARK_MASTERS[tool],
                         "--sample-size", "0", "--no-checks", "--fail-on", "never", "--quiet", "--format", "json",
                         "--output", str(report)], self.logs / f"{tool}-{LAKE}.log")
            if m["rc"] != 0 or not report.exists():
                self.row(tool, LAKE, None, None, None, m["rss_mib"], na=f"failed (exit {m['rc']}, see logs)")
                continue
            rep = json.loads(report.read_text())
            total = ev.Score(ev.ENTITIES)
            for fmt, name in zip(LAKE_FORMATS, names):  # each file against its own truth
                sc, _ = ev.score_fields(meta["formats"][fmt]["fields"],
                                        {"findings": [f for f in rep["findings"] if f["path"] == name]})
                for part in ("tp_pred", "pred", "found", "planted"):
                    getattr(total, part).update(getattr(sc, part))
            records = sum(c["records"] for c in rep["coverage"])
            self.row(tool, LAKE, size / 1e6, m["wall_s"], records, m["rss_mib"], total,
                     note="field level; JVM start-up included")
            self.details[f"{tool}/{LAKE}"] = {"measure": {k: v for k, v in m.items() if k != "stdout"},
                                              "records": records, "score": total.as_dict()}

    def detectors(self, meta: dict, cdir: Path, formats=FORMATS) -> None:
        tool = "spillguard-detectors"
        for fmt in (f for f in formats if f in TEXT_FORMATS):
            if not self.want(tool, fmt):
                continue
            info = meta["formats"][fmt]
            pred = self.out / f"pred-{tool}-{fmt}.tsv"
            manifest = cdir / "manifest" / f"{fmt}.tsv"
            self.say(f"{LABEL[tool]} on {info['file']}")
            m = measure([self.py, str(HERE / "sg_spans.py"), "--input", str(cdir / info["file"]), "--out", str(pred)],
                        self.logs / f"{tool}-{fmt}.log")
            if m["rc"] != 0:
                self.row(tool, fmt, None, None, None, m["rss_mib"], na=f"failed (exit {m['rc']})")
                continue
            st = _json_line(m["stdout"])
            preds = ev.load_predictions(pred, ev.SPILLGUARD_MAP)
            sc = ev.score_text(manifest, preds, st["records"], ev.ENTITIES)
            # the same predictions on the peers' slice, for a like-for-like comparison
            slice_records = self._slice_records(cdir / info["file"], fmt)
            sc_slice = ev.score_text(manifest, preds, slice_records, ev.ENTITIES)
            self.row(tool, fmt, st["bytes"] / 1e6, st["scan_s"], st["records"], m["rss_mib"], sc, note="span level")
            self.details[f"{tool}/{fmt}"] = {"measure": {k: v for k, v in m.items() if k != "stdout"},
                                             "adapter": st, "score": sc.as_dict(),
                                             "score_on_peer_slice": sc_slice.as_dict()}

    def _slice_records(self, path: Path, fmt: str) -> int:
        n = int(self.args.max_peer_mb * 1_000_000)
        with open(path, "rb") as f:
            data = f.read(n)
            if len(data) == n and f.read(1):
                data = data[: data.rfind(b"\n") + 1]
        lines = data.count(b"\n")
        return lines - 1 if fmt == "csv" else lines

    # peers ----------------------------------------------------------------------------
    def peers(self, meta: dict, cdir: Path, formats=FORMATS) -> None:
        max_bytes = int(self.args.max_peer_mb * 1_000_000)
        for tool, (script, mapping) in PEERS.items():
            for fmt in (f for f in formats if f in PEER_FORMATS):
                if not self.want(tool, fmt):
                    continue
                info = meta["formats"][fmt]
                pred = self.out / f"pred-{tool}-{fmt}.tsv"
                self.say(f"{LABEL[tool]} on the first {self.args.max_peer_mb:g} MB of {info['file']}")
                m = measure([self.peer_py, *script, "--input", str(cdir / info["file"]), "--format", fmt,
                             "--max-bytes", str(max_bytes), "--out", str(pred)],
                            self.logs / f"{tool}-{fmt}.log", timeout=self.args.peer_timeout)
                if m["rc"] != 0:
                    self.row(tool, fmt, None, None, None, m["rss_mib"], na=f"failed (exit {m['rc']}, see logs)")
                    continue
                st = _json_line(m["stdout"])
                shared = tuple(sorted(set(mapping.values()), key=ev.ENTITIES.index))
                manifest = cdir / "manifest" / f"{fmt}.tsv"
                scorer = ev.score_text if fmt in TEXT_FORMATS else ev.score_records
                sc = scorer(manifest, ev.load_predictions(pred, mapping), st["records"], shared)
                extra = {}
                if tool == "presidio":
                    sc05 = scorer(manifest, ev.load_predictions(pred, mapping, min_score=0.5), st["records"], shared)
                    extra["score_at_0.5"] = sc05.as_dict()
                self.row(tool, fmt, st["bytes"] / 1e6, st["scan_s"], st["records"], m["rss_mib"], sc,
                         note="span level" if fmt in TEXT_FORMATS else "value level")
                self.details[f"{tool}/{fmt}"] = {"measure": {k: v for k, v in m.items() if k != "stdout"},
                                                 "adapter": st, "score": sc.as_dict(), **extra}

    def floors(self, meta: dict, cdir: Path, patterns: Path, formats=FORMATS) -> None:
        for tool, script in FLOORS:
            for fmt in formats:
                if not self.want(tool, fmt):
                    continue
                if fmt == "parquet":
                    self.row(tool, fmt, None, None, None, None, na="n/a (compressed columns, not text)")
                    continue
                info = meta["formats"][fmt]
                self.say(f"{LABEL[tool]} on {info['file']}")
                got = self.floor(tool, script, cdir / info["file"], fmt, patterns, f"{tool}-{fmt}")
                if got is not None:
                    self.details[f"{tool}/{fmt}"] = got

    def floor(self, tool: str, script: str, path: Path, row_name: str, patterns: Path, log_name: str,
              max_bytes: int = 0) -> dict | None:
        """One raw-matcher floor over ``path`` (its first ``max_bytes``, 0: all): its row
        under ``row_name``, and its measure and adapter output (None when it failed)."""
        m = measure([self.peer_py, str(HERE / "peers" / script), "--input", str(path), "--patterns", str(patterns),
                     *(["--max-bytes", str(max_bytes)] if max_bytes else [])], self.logs / f"{log_name}.log")
        if m["rc"] != 0:
            self.row(tool, row_name, None, None, None, m["rss_mib"], na=f"failed (exit {m['rc']}, see logs)")
            return None
        st = _json_line(m["stdout"])
        self.row(tool, row_name, st["bytes"] / 1e6, st["scan_s"], st["records"], m["rss_mib"],
                 note=f"{st['matches']} raw matches")
        return {"measure": {k: v for k, v in m.items() if k != "stdout"}, "adapter": st}

    def profile(self, meta: dict, cdir: Path) -> None:
        """cProfile of spillguard end to end on the peers' slice of each format."""
        import pstats

        for fmt in FORMATS:
            if self.args.only_formats and fmt not in self.args.only_formats:
                continue
            info = meta["formats"][fmt]
            src = cdir / info["file"]
            if fmt == "parquet":
                target = src
            else:
                target = self.out / f"slice-{fmt}{src.suffix}"
                n = int(self.args.max_peer_mb * 1_000_000)
                with open(src, "rb") as f:
                    data = f.read(n)
                target.write_bytes(data[: data.rfind(b"\n") + 1])
            prof = self.out / f"profile-{fmt}.pstats"
            self.say(f"profiling spillguard on {target.name}")
            subprocess.run([self.py, "-m", "cProfile", "-o", str(prof), "-m", "spillguard", "scan", str(target),
                            "--sample-size", "0", "--no-checks", "--fail-on", "never", "--quiet", "--format",
                            "json", "--output", str(self.out / f"report-profile-{fmt}.json")], cwd=REPO,
                           capture_output=True)
            txt = self.out / f"profile-{fmt}.txt"
            with open(txt, "w") as f:
                st = pstats.Stats(str(prof), stream=f)
                st.sort_stats("tottime").print_stats(25)
                st.sort_stats("cumulative").print_stats(40)
            self.details.setdefault("profiles", {})[fmt] = str(txt.relative_to(REPO) if txt.is_relative_to(REPO)
                                                                else txt)


# --- the table -----------------------------------------------------------------------


def _fmt(v, kind):
    if v is None:
        return "—"
    if kind == "pct":
        return f"{100 * v:.1f} %"
    if kind == "mb":
        return f"{v:.1f}"
    if kind == "rate":
        return f"{v:,.2f}" if v < 10 else f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"
    if kind == "int":
        return f"{v:,.0f}"
    return str(v)


HEADER = ("tool", "corpus", "MB measured", "MB/s", "records/s", "peak RSS MiB", "recall", "precision", "scope")


def table_rows(rows: list[dict]) -> list[tuple[str, ...]]:
    out = []
    order = {f: i for i, f in enumerate(ROW_FORMATS)}
    for r in rows:  # files of your own (--corpus): in the order measured, after the formats
        order.setdefault(r["format"], len(order))
    tool_order = {t: i for i, t in enumerate(TOOLS)}
    for r in sorted(rows, key=lambda r: (order[r["format"]], tool_order[r["tool"]])):
        if r["na"]:
            out.append((r["label"], r["format"], r["na"], "", "", "", "", "", ""))
            continue
        pre = "≈ " if r["approx"] else ""
        out.append((r["label"], r["format"], _fmt(r["mb"], "mb"), _fmt(r["mb_s"], "rate"), _fmt(r["records_s"], "int"),
                    _fmt(r["rss_mib"], "int"), pre + _fmt(r["recall"], "pct") if r["recall"] is not None else "—",
                    pre + _fmt(r["precision"], "pct") if r["precision"] is not None else "—", r["note"]))
    return out


def plain_table(rows) -> str:
    body = [HEADER, *table_rows(rows)]
    full = [r for r in body if r is HEADER or r[3] != ""]
    widths = [max(len(r[i]) for r in full) for i in range(len(HEADER))]
    lines = []
    for k, r in enumerate(body):
        if r[3] == "" and r is not HEADER and k:
            lines.append(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]}")
            continue
        lines.append("  ".join(c.ljust(widths[i]) if i < 2 or i == 8 else c.rjust(widths[i]) for i, c in enumerate(r)))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows) -> str:
    out = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] * 2 + ["---:"] * 6 + ["---"]) + "|"]
    for r in table_rows(rows):
        out.append("| " + " | ".join(r) + " |")
    return "\n".join(out)


def per_entity_markdown(details: dict, fmt: str = "text") -> str:
    """Recall / precision per entity on a free-text format's slice, every tool that has
    spans."""
    cols = [("spillguard-detectors", "score_on_peer_slice"), ("datafog", "score"), ("datafog-rust", "score"),
            ("presidio", "score")]
    have = [(t, k) for t, k in cols if f"{t}/{fmt}" in details]
    if not have:
        return ""
    head = "| entity | " + " | ".join(LABEL[t] for t, _ in have) + " |"
    out = [head, "|---|" + "---|" * len(have)]
    for e in ev.ENTITIES:
        cells = []
        for t, k in have:
            pe = details[f"{t}/{fmt}"][k]["per_entity"].get(e)
            if pe is None:
                cells.append("not covered")
            else:
                r, p = pe["recall"], pe["precision"]
                cells.append(f"{_fmt(r, 'pct')} / {_fmt(p, 'pct')}")
        out.append(f"| {e} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def footer(mach: dict, command: str, args, meta: dict) -> list[str]:
    fm = meta["formats"]
    logs = fm["logs"]
    logs_share = logs.get("entity_lines", 0) / max(logs["records"], 1)

    def mb(f):
        v = f["bytes"] / 1e6
        return f"{v:.1f}" if v < 10 else f"{v:.0f}"
    return [
        f"Machine: {mach['cpu']}, {mach['cores']} cores, {mach['memory']}; {mach['os']}; "
        f"Python {mach['python']}; {mach['date']}; spillguard {mach['spillguard_commit']}.",
        f"Command: `{command}`",
        f"Corpus: {sum(f['bytes'] for f in meta['formats'].values()) / 1e6:.0f} MB, seed "
        f"`{meta['params']['seed']}` (text {mb(fm['text'])} MB, PII-dense; logs {mb(logs)} MB, "
        f"{logs_share:.1%} of lines hold a planted entity; CSV, JSON Lines, Parquet; bench/corpus.py).",
        f"Peers (DataFog, Presidio) on the first {args.max_peer_mb:g} MB of the text, logs, CSV and JSON Lines files, "
        "one record per call; spillguard and the floors on the whole files. MB/s = bytes / seconds: "
        "spillguard end to end by the process wall time (start-up and report included); detectors-only, "
        "peers and floors by their scan loop (imports and set-up excluded, in results.json).",
        "Recall / precision on the planted entity types the tool shares with spillguard: span level on the free-"
        "text files, text and logs (overlap, same type), value level on records for peers, field level for spillguard end to end on "
        "records; ≈ = spillguard's report has counts, not spans, for free text (min(found, planted)); the "
        "detectors-only row is the exact span-level figure for the same detectors.",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=float, default=200, help="corpus size in MB (default 200)")
    ap.add_argument("--only", default="", help=f"comma list of tools ({', '.join(TOOLS)}) and/or formats "
                                               f"({', '.join(ROW_FORMATS)})")
    ap.add_argument("--out-dir", type=Path, default=REPO / ".bench")
    ap.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True,
                    help="run DataFog, Presidio and the re2/Hyperscan floors (default: yes)")
    ap.add_argument("--max-peer-mb", type=float, default=3.0,
                    help="peers measure the first N MB of each file (default 3)")
    ap.add_argument("--peer-python", type=Path, default=REPO / ".bench" / "venv-peers" / "bin" / "python")
    ap.add_argument("--peer-timeout", type=float, default=1800, help="seconds per peer run (default 1800)")
    ap.add_argument("--profile", action="store_true",
                    help="also cProfile spillguard on each format's slice (.bench/profile-*.txt)")
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="run each spillguard row N times and report the median, with the spread (default 1)")
    ap.add_argument("--seed", default=corpus_mod.SEED)
    ap.add_argument("--corpus", type=Path, nargs="+", metavar="PATH",
                    help="measure files of your own (files, or directories of files) instead of the generated "
                         "corpus: speed and counts, no recall/precision (see bench/own_corpus.py)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat: 1 or more")
    only = {t.strip() for t in args.only.split(",") if t.strip()}
    unknown = only - set(TOOLS) - set(ROW_FORMATS)
    if unknown:
        ap.error(f"--only: unknown {', '.join(sorted(unknown))}")
    args.only_tools = only & set(TOOLS)
    args.only_formats = only & set(FORMATS)
    if args.corpus and args.out_dir == REPO / ".bench":
        args.out_dir = REPO / ".bench" / "own"  # the generated corpus's results stay as they are
    args.out_dir = args.out_dir.resolve()
    if args.peers and not args.peer_python.exists():
        ap.error(f"no peer venv at {args.peer_python}: run `make bench` (it creates .bench/venv-peers) or "
                 "pass --no-peers")
    command = os.environ.get("BENCH_CMD") or "python bench/run.py " + " ".join(map(shlex.quote, sys.argv[1:]))
    if args.corpus:
        if args.profile:
            ap.error("--profile writes slices of the input to disk: not with --corpus (your data stays where it is)")
        try:
            files = own_corpus.inputs(args.corpus)
        except (OSError, ValueError) as e:
            ap.error(str(e))
        return _own(args, files, command)

    b = Bench(args)
    t0 = time.perf_counter()
    size_tag = f"{args.size:g}".replace(".", "_")
    cdir = args.out_dir / f"corpus-{size_tag}MB"
    b.say(f"corpus {args.size:g} MB in {cdir}")
    meta = corpus_mod.generate(cdir, args.size, args.seed)
    patterns = args.out_dir / "patterns.json"
    subprocess.run([b.py, str(HERE / "patterns.py"), "--out", str(patterns)], check=True, cwd=REPO)

    # corpus by corpus: the rows compared with each other run minutes apart, not across
    # the whole run (this shared machine's speed drifts by 10-30 % within an hour)
    for fmt in FORMATS:
        b.spillguard(meta, cdir, (fmt,))
        b.detectors(meta, cdir, (fmt,))
        if args.peers:
            b.peers(meta, cdir, (fmt,))
            b.floors(meta, cdir, patterns, (fmt,))
    b.spark(meta, cdir)
    if args.profile:
        b.profile(meta, cdir)

    mach = machine(b.py)
    foot = footer(mach, command, args, meta)
    p05 = [f"{fmt} {_fmt(d['recall'], 'pct')} / {_fmt(d['precision'], 'pct')}"
           for fmt in PEER_FORMATS if (d := b.details.get(f"presidio/{fmt}", {}).get("score_at_0.5"))]
    if p05:
        foot.append("Presidio keeps every result by default (score threshold 0); at score >= 0.5 its recall / "
                    "precision are " + ", ".join(p05) + ".")
    plain = plain_table(b.rows)
    md_parts = [markdown_table(b.rows), "", *[f"- {x}" for x in foot]]
    pe = {fmt: t for fmt in TEXT_FORMATS if (t := per_entity_markdown(b.details, fmt))}
    for fmt, t in pe.items():
        md_parts += ["", f"Per entity on the {fmt} slice (first {args.max_peer_mb:g} MB), recall / precision:", "", t]
    goals = targets.markdown(b.rows)
    md_parts += ["", "Issue 5's targets against this run (bench/targets.py):", "", goals]
    md = "\n".join(md_parts) + "\n"
    (args.out_dir / "results.md").write_text(md)
    (args.out_dir / "results.json").write_text(json.dumps(
        {"machine": mach, "command": command, "args": {k: (str(v) if isinstance(v, Path) else
                                                           sorted(v) if isinstance(v, set) else v)
                                                       for k, v in vars(args).items()},
         "corpus": meta, "rows": b.rows, "details": b.details,
         "targets": [dict(zip(("target", "format", "value", "met"), v)) for v in targets.verdicts(b.rows)],
         "total_s": round(time.perf_counter() - t0, 1)}, indent=1, ensure_ascii=False, default=str))
    print(plain)
    print()
    for x in foot:
        print(x)
    for fmt, t in pe.items():
        print(f"\nPer entity on the {fmt} slice (first {args.max_peer_mb:g} MB), recall / precision:\n{t}")
    print(f"\nIssue 5's targets against this run (bench/targets.py):\n{goals}")
    b.say(f"done in {time.perf_counter() - t0:.0f} s; {args.out_dir / 'results.md'}")
    return 0


def _own(args, files: list[Path], command: str) -> int:
    """The run on files of your own (``--corpus``): bench/own_corpus.py."""
    b = Bench(args)
    t0 = time.perf_counter()
    patterns = args.out_dir / "patterns.json"
    subprocess.run([b.py, str(HERE / "patterns.py"), "--out", str(patterns)], check=True, cwd=REPO)
    own_corpus.run(b, files, patterns)
    mach = machine(b.py)
    foot = [
        f"Machine: {mach['cpu']}, {mach['cores']} cores, {mach['memory']}; {mach['os']}; "
        f"Python {mach['python']}; {mach['date']}; spillguard {mach['spillguard_commit']}.",
        f"Command: `{command}`",
        "Corpus of your own: " + ", ".join(f"{f.name} ({own_corpus.kind(f)}, {f.stat().st_size / 1e6:.1f} MB)"
                                            for f in files) + ". No planted list, so no recall or precision.",
        f"Peers on the first {args.max_peer_mb:g} MB of each text, CSV and JSON Lines file, one record per call; "
        f"floors on the first {own_corpus.FLOOR_MAX_BYTES >> 20} MiB; spillguard on the whole files. On free "
        "text, 'agree' = share of a peer's predictions overlapping a span spillguard's detectors found (same "
        "entity, same line), 'cover' = share of spillguard's spans the peer also found, on the entity types both "
        "cover. No values were written: predictions are spans and types only.",
    ]
    plain = plain_table(b.rows)
    (args.out_dir / "results.md").write_text(markdown_table(b.rows) + "\n\n" + "\n".join(f"- {x}" for x in foot) + "\n")
    (args.out_dir / "results.json").write_text(json.dumps(
        {"machine": mach, "command": command, "corpus": [str(f) for f in files], "rows": b.rows,
         "details": b.details, "total_s": round(time.perf_counter() - t0, 1)}, indent=1, ensure_ascii=False,
        default=str))
    print(plain)
    print()
    for x in foot:
        print(x)
    b.say(f"done in {time.perf_counter() - t0:.0f} s; {args.out_dir / 'results.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
