"""`make bench ARGS="--corpus PATH …"`: the same tools, measured the same way, on files of
your own instead of the generated corpus.

Files are taken as given (a directory: the files directly in it, sorted), each read as
its extension says: ``.csv`` records, ``.jsonl``/``.ndjson`` JSON Lines, ``.parquet``
Parquet, anything else free text (one record = one line). Such a corpus has no list of
what is planted in it, so there is no recall or precision; the table gives speed,
records/s and peak RSS for every tool, what each found, and, on free-text files, how far
each peer agrees with spillguard's detectors span by span on the peers' slice
(``agreement``): the share of the peer's predictions that overlap one of spillguard's,
and the share of spillguard's that the peer also made, on the entity types both cover.

Your data is real, so nothing here writes a value: spillguard's reports are masked as
always, and the detectors and the peers are run with ``--no-values`` (their prediction
files hold record, span and type only). ``--profile`` is refused (it writes slices).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import evaluate as ev

KINDS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
TEXT = "text"
FLOOR_MAX_BYTES = 256 << 20  # the floors read their input whole: at most this much of a file


def kind(path: Path) -> str:
    return KINDS.get(path.suffix.lower(), TEXT)


def inputs(paths: list[Path]) -> list[Path]:
    """The files to measure: each file named, and the files directly in each directory."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith(".")))
        elif p.is_file():
            out.append(p)
        else:
            raise FileNotFoundError(f"--corpus: no such file or directory: {p}")
    if not out:
        raise FileNotFoundError("--corpus: no files to measure")
    names = [f.name for f in out]
    if len(set(names)) != len(names):
        raise ValueError("--corpus: two files share a name; name them apart (the table shows names)")
    return out


def agreement(reference: list[tuple], predictions: list[tuple], records: int, shared) -> dict:
    """Span overlap between two tools' predictions ``(record, start, end, entity, _)`` on
    the first ``records`` records, per entity of ``shared``: ``agree`` = share of
    ``predictions`` overlapping a ``reference`` span of the same entity, ``covered`` =
    share of ``reference`` spans overlapped by one of ``predictions``."""
    ref: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    n_ref, n_pred, agree, covered = Counter(), Counter(), Counter(), set()
    for rec, start, end, ent, _ in reference:
        if rec < records and ent in shared:
            ref[rec].append((start, end, ent))
            n_ref[ent] += 1
    for rec, start, end, ent, _ in predictions:
        if rec >= records or ent not in shared:
            continue
        n_pred[ent] += 1
        overlapping = [(s, e, t) for s, e, t in ref.get(rec, ()) if t == ent and start < e and s < end]
        if overlapping:
            agree[ent] += 1
            covered.update((rec, s, t) for s, _e, t in overlapping)
    by_entity = Counter(t for _r, _s, t in covered)

    def share(a, b):
        return a / b if b else None

    return {"agree": share(sum(agree.values()), sum(n_pred.values())),
            "covered": share(len(covered), sum(n_ref.values())),
            "per_entity": {e: {"predicted": n_pred[e], "spillguard": n_ref[e],
                               "agree": share(agree[e], n_pred[e]), "covered": share(by_entity[e], n_ref[e])}
                           for e in shared}}


def found_by_entity(report: dict) -> dict[str, int]:
    """Values counted per entity in a spillguard report (all fields and containers)."""
    out: Counter = Counter()
    for f in report.get("findings", []):
        out[f["entity"]] += f["count"]
    return dict(sorted(out.items()))


def predicted_by_entity(path: Path, mapping: dict[str, str]) -> dict[str, int]:
    return dict(sorted(Counter(p[3] for p in ev.load_predictions(path, mapping)).items()))


def _json(path: Path) -> dict:
    return json.loads(path.read_text())


def run(b, files: list[Path], patterns: Path) -> None:
    """Every tool on every file: rows in ``b`` (bench/run.py's Bench), details in
    ``b.details``."""
    from run import HERE, _json_line as json_line, measure  # noqa: PLC0415 (run.py imports this module)

    max_peer = int(b.args.max_peer_mb * 1_000_000)
    for path in files:
        k, name, size = kind(path), path.name, path.stat().st_size
        detail = b.details.setdefault(f"own/{name}", {"kind": k, "bytes": size})
        for tool, extra in (("spillguard", []), ("spillguard-jobs", ["--jobs", "2"])):
            if not b.want(tool, k):
                continue
            report = b.out / f"report-{tool}-own-{name}.json"
            b.say(f"{tool} on {name} ({size / 1e6:.1f} MB)")
            m, spread = b.timed([b.sg, "scan", str(path), "--sample-size", "0", "--no-checks", "--fail-on",
                                 "never", "--quiet", "--format", "json", "--output", str(report), *extra],
                                b.logs / f"{tool}-own-{name}.log", size / 1e6)
            if m["rc"] != 0 or not report.exists():
                b.row(tool, name, None, None, None, m["rss_mib"], na=f"failed (exit {m['rc']}, see logs)")
                continue
            rep = _json(report)
            found = found_by_entity(rep)
            b.row(tool, name, size / 1e6, m["wall_s"], sum(c["records"] for c in rep["coverage"]), m["rss_mib"],
                  note="; ".join(filter(None, (k, f"{sum(found.values()):,} values found", spread))))
            detail[tool] = {"wall_s": m["wall_s"], "walls": m.get("walls", [m["wall_s"]]), "found": found}
        reference = None
        if k == TEXT and b.want("spillguard-detectors", k):
            pred = b.out / f"pred-spillguard-detectors-own-{name}.tsv"
            b.say(f"spillguard detectors on {name}")
            m = measure([b.py, str(HERE / "sg_spans.py"), "--input", str(path), "--out", str(pred), "--no-values"],
                        b.logs / f"spillguard-detectors-own-{name}.log")
            if m["rc"] == 0:
                st = json_line(m["stdout"])
                reference = ev.load_predictions(pred, ev.SPILLGUARD_MAP)
                b.row("spillguard-detectors", name, st["bytes"] / 1e6, st["scan_s"], st["records"], m["rss_mib"],
                      note=f"{st['predictions']:,} spans")
                detail["spillguard-detectors"] = {"found": predicted_by_entity(pred, ev.SPILLGUARD_MAP)}
            else:
                b.row("spillguard-detectors", name, None, None, None, m["rss_mib"], na=f"failed (exit {m['rc']})")
        if not b.args.peers:
            continue
        _peers(b, path, k, name, max_peer, reference, detail)
        _floors(b, path, k, name, patterns, detail)


def _peers(b, path, k, name, max_peer, reference, detail) -> None:
    from run import PEERS, _json_line as json_line, measure  # noqa: PLC0415

    if k == "parquet":
        return
    for tool, (script, mapping) in PEERS.items():
        if not b.want(tool, k):
            continue
        pred = b.out / f"pred-{tool}-own-{name}.tsv"
        b.say(f"{tool} on the first {b.args.max_peer_mb:g} MB of {name}")
        m = measure([b.peer_py, *script, "--input", str(path), "--format", k, "--max-bytes", str(max_peer),
                     "--out", str(pred), "--no-values"], b.logs / f"{tool}-own-{name}.log",
                    timeout=b.args.peer_timeout)
        if m["rc"] != 0:
            b.row(tool, name, None, None, None, m["rss_mib"], na=f"failed (exit {m['rc']}, see logs)")
            continue
        st = json_line(m["stdout"])
        preds = ev.load_predictions(pred, mapping)
        note, agreed = f"{len(preds):,} predictions", None
        if reference is not None:
            shared = tuple(sorted(set(mapping.values()), key=ev.ENTITIES.index))
            agreed = agreement(reference, preds, st["records"], shared)
            note += f"; agree {_pct(agreed['agree'])}, cover {_pct(agreed['covered'])} of spillguard's"
        b.row(tool, name, st["bytes"] / 1e6, st["scan_s"], st["records"], m["rss_mib"], note=note)
        detail[tool] = {"found": predicted_by_entity(pred, mapping), "agreement": agreed, "adapter": st}


def _floors(b, path, k, name, patterns, detail) -> None:
    from run import FLOORS  # noqa: PLC0415

    if k == "parquet":
        return
    for tool, script in FLOORS:
        if b.want(tool, k):
            b.say(f"{tool} floor on {name}")
            got = b.floor(tool, script, path, name, patterns, f"{tool}-own-{name}", FLOOR_MAX_BYTES)
            if got is not None:
                detail[tool] = got


def _pct(v) -> str:
    return "—" if v is None else f"{100 * v:.0f} %"
