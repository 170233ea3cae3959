"""HTML report: one self-contained file for people who do not read JSON.

Inline CSS, inline SVG charts drawn in Python (see _svg.py), no script, no font, no
image and no link that leaves the file: it opens offline and prints cleanly. Every
piece of scan data goes through ``esc`` — field and container names come from the
stores scanned, so a field called ``<script>`` renders as text. Samples are the masked
strings of the ScanResult, copied as given; nothing is unmasked or derived from values.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, Iterable

from spillguard.models import SEVERITIES, Finding, People, Risk, ScanResult, Trace
from spillguard.reporting import _svg
from spillguard.reporting._svg import esc
from spillguard.reporting.base import (Reporter, derived_phrases, point_buckets, scan_people,
                                       sorted_coverage, sorted_exposure, sorted_findings, sorted_people,
                                       sorted_risk, sorted_traces, where, worst_severity)  # fmt: skip

SEV_COLOURS = {"critical": "#991b1b", "high": "#c2410c", "medium": "#a16207", "low": "#1d4ed8", "info": "#4b5563"}
HOT_BUCKETS = frozenset({"4-9", "10-99", "100+"})
STATUS_LABELS = {"exposed": "EXPOSED", "unknown": "UNKNOWN", "not_exposed": "not exposed"}
READ_COLOURS = {"complete": "#15803d", "partial": "#b45309", "skipped": "#b45309", "error": "#b91c1c"}

CSS = """
:root{--ink:#1f2937;--muted:#4b5563;--line:#e5e7eb;--bg:#f4f5f7;--card:#fff;--accent:#0f172a}*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","Helvetica Neue",Arial,sans-serif}
header.top{background:var(--accent);color:#f8fafc;padding:18px 32px}
header.top h1{margin:0;font-size:22px;letter-spacing:.02em}
header.top .meta{color:#cbd5e1;font-size:13px;margin-top:4px}nav{margin-top:10px;font-size:13px}
nav a{color:#e2e8f0;margin-right:14px;text-decoration:none}main{max-width:1240px;margin:0 auto;padding:20px 32px 40px}
h2{font-size:17px;margin:30px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:14px;margin:0 0 8px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin-bottom:14px;break-inside:avoid}
.grid{display:grid;gap:14px}.g2{grid-template-columns:repeat(auto-fit,minmax(420px,1fr))}
.g3{grid-template-columns:repeat(auto-fit,minmax(340px,1fr))}
.g5{grid-template-columns:repeat(auto-fit,minmax(180px,1fr))}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;border-top:4px solid #94a3b8}
.kpi .n{font-size:30px;font-weight:700;line-height:1.1;margin:2px 0}
.kpi .n .badge{font-size:20px;padding:3px 14px;border-radius:14px}
.kpi .l{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.kpi .s{font-size:12px;color:var(--muted)}
.banner{background:#fef3c7;border:1px solid #d97706;color:#78350f;border-radius:8px;padding:10px 14px;margin-bottom:14px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:600;white-space:nowrap}
.st-exposed{background:#b91c1c}.st-unknown{background:#b45309}.st-not_exposed{background:#15803d}
.chip{display:inline-block;border:1px solid var(--line);background:#f8fafc;border-radius:4px;padding:0 6px;margin:1px 2px;font-size:12px}
table{width:100%;border-collapse:collapse;font-size:13px}table.fixed{table-layout:fixed}
th{text-align:left;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);border-bottom:2px solid var(--line);padding:6px 8px}
td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top;overflow-wrap:break-word}
.score{white-space:nowrap}.w{overflow-wrap:anywhere}svg.meter{vertical-align:middle;margin-right:6px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tr.bad td{background:#fff7ed}
code{font:12px ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;background:#f1f5f9;padding:0 4px;border-radius:3px;overflow-wrap:break-word}
.muted{color:var(--muted)}.small{font-size:12px}ul.r{margin:0;padding-left:18px}
.card{overflow-x:auto}.nowrap{white-space:nowrap}.reid{margin-top:6px}ol{margin:8px 0 0;padding-left:22px}
.g2 .chart{max-width:600px}.worst{display:flex;gap:16px;align-items:center}.worst .chart{max-width:180px}
.fix{margin-top:4px;font-size:12px}.fix b{color:var(--ink)}svg.chart{display:block;max-width:100%;height:auto}
svg text{font-family:inherit}footer{color:var(--muted);font-size:12px;text-align:center;padding:20px}
@media print{body{background:#fff;font-size:11px}header.top{padding:10px 12px}nav{display:none}table{font-size:10px}
main{padding:0;max-width:none}.card,.kpi{border-color:#cbd5e1;overflow:visible}.g2,.g3{grid-template-columns:1fr 1fr}
.g5{grid-template-columns:repeat(5,1fr)}.kpi .n{font-size:22px}td,th{padding:4px 5px}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}h2{break-after:avoid}tr{break-inside:avoid}}
"""


class HtmlReporter(Reporter):
    id = "html"
    extension = "html"

    def render(self, result: ScanResult, *, color: bool = False, width: int = 100) -> str:
        sections = (_banner, _summary, _charts, _risk, _exposure, _people, _traces, _biometrics, _findings, _coverage)
        body = "".join(section(result) for section in sections)
        title = f"spillguard report {result.started_at}"
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
            f"{_header(result)}<main>{body}</main>"
            "<footer>Generated by spillguard. Samples are masked; no raw value is in this file.</footer>"
            "</body></html>\n"
        )


# --- small pieces ---------------------------------------------------------------------


def _badge(severity: str, colours: dict[str, str] = SEV_COLOURS) -> str:
    return f'<span class="badge" style="background:{colours.get(severity, "#4b5563")}">{esc(severity)}</span>'


def _status(status: str) -> str:
    return f'<span class="badge st-{esc(status)}">{esc(STATUS_LABELS.get(status, status))}</span>'


def _score(r: Risk, width: int) -> str:
    meter = _svg.meter(r.score, SEV_COLOURS.get(r.severity, "#4b5563"), width)
    return f'<span class="score">{meter}<b>{r.score}</b></span>'


def _details(label: str, items: Iterable[str]) -> str:
    items = list(items)
    return f'<details class="small muted"><summary>{esc(label)}</summary>{_ul(items)}</details>' if items else ""


def _chips(items: Iterable[str]) -> str:
    return "".join(f'<span class="chip">{esc(i)}</span>' for i in items)


def _ul(items: Iterable[str]) -> str:
    items = list(items)
    return f'<ul class="r">{"".join(f"<li>{esc(i)}</li>" for i in items)}</ul>' if items else ""


def _table(head: list[str], rows: list[list[str]], classes: list[str] | None = None) -> str:
    """``head``: column names (``#name`` = numeric, ``name|30%`` = width); ``rows``: cells, already HTML."""
    num = [h.startswith("#") for h in head]
    width = [f' style="width:{h.split("|")[1]}"' if "|" in h else "" for h in head]
    ths = "".join(f'<th{" class=num" if n else ""}{w}>{esc(h.lstrip("#").split("|")[0])}</th>' for h, n, w in zip(head, num, width))
    trs = []
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes and classes[i] else ""
        tds = "".join(f'<td{" class=num" if n else ""}>{c}</td>' for c, n in zip(row, num))
        trs.append(f"<tr{cls}>{tds}</tr>")
    fixed = ' class="fixed"' if all(width) else ""  # every column sized: a fixed layout
    return f"<table{fixed}><thead><tr>{ths}</tr></thead><tbody>{''.join(trs)}</tbody></table>"


def _section(anchor: str, title: str, inner: str) -> str:
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{inner}</section>'


def _num(n: int) -> str:
    return f"{n:,}"


def _where(target: str, path: str | None, container: str | None) -> str:
    return f'<span class="w">{esc(where(target, path, container))}</span>'


def _people_total(result: ScanResult) -> tuple[int | None, str]:
    if (scan := scan_people(result)) is not None:
        return scan.estimate, scan.method
    if targets := [p for p in result.people if p.scope == "target"]:
        return sum(p.estimate for p in targets), "sum over targets (people in two stores count twice)"
    return None, "no strong identifiers counted"


# --- sections -------------------------------------------------------------------------


def _header(result: ScanResult) -> str:
    links = [("summary", "Summary"), ("risk", "Risk"), ("exposure", "Exposure"), ("people", "People"),
             ("traces", "Traces"), ("biometrics", "Biometrics"), ("findings", "Findings"), ("coverage", "Coverage")]  # fmt: skip
    nav = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in links)
    n = len(result.targets)
    meta = f"spillguard {result.tool_version} · scan {result.started_at} to {result.finished_at} · {n} target{'s' * (n != 1)}"
    return f'<header class="top"><h1>Personal data exposure report</h1><div class="meta">{esc(meta)}</div><nav>{nav}</nav></header>'


def _banner(result: ScanResult) -> str:
    if not result.incomplete:
        return ""
    return ('<div class="banner"><b>Scan incomplete:</b> some targets or containers were not read '
            'completely, so counts are lower bounds. See <a href="#coverage">Coverage</a>.</div>')  # fmt: skip


def _kpi(label: str, value: str, sub: str, colour: str = "#94a3b8", key: str = "") -> str:
    return (f'<div class="kpi" style="border-top-color:{colour}" data-kpi="{esc(key)}"><div class="l">{esc(label)}</div>'
            f'<div class="n">{value}</div><div class="s">{sub}</div></div>')  # fmt: skip


def _summary(result: ScanResult) -> str:
    worst = worst_severity(result)
    people, method = _people_total(result)
    exposed = [e for e in sorted_exposure(result) if e.status == "exposed"]
    unknown = sum(1 for e in result.exposure if e.status == "unknown")
    by_sev = result.summary()["by_severity"]
    incomplete = sum(1 for c in result.coverage if c.status != "complete")
    scan = scan_people(result)
    derived = "; ".join(derived_phrases(scan.derived)) if scan else ""
    kpis = "".join((
        _kpi("Worst severity", _badge(worst) if worst else "none", "across risk, findings and exposure",
             SEV_COLOURS.get(worst or "", "#15803d"), "worst-severity"),
        _kpi("People exposed", _num(people) if people is not None else "–",
             f'<span title="{esc(method)}">{esc(method.split(";")[0])}</span>', "#7c3aed", "people"),
        _kpi("Exposed checks", str(len(exposed)), f"open to anyone · {unknown} unknown (not verified safe)"
             if result.exposure else "no exposure checks ran: reach not known",
             "#b91c1c" if exposed else "#b45309" if unknown or not result.exposure else "#15803d", "exposed-checks"),
        _kpi("Findings", str(len(result.findings)), esc(", ".join(f"{n} {s}" for s, n in by_sev.items())) or "none",
             "#1d4ed8", "findings"),
        _kpi("Not read completely", str(incomplete), f"of {len(result.coverage)} containers",
             "#b45309" if incomplete else "#15803d", "incomplete"),
    ))  # fmt: skip
    derived_html = f'<p class="card"><b>Read from ID numbers:</b> {esc(derived)}.</p>' if derived else ""
    return _section("summary", "Summary", f'<div class="grid g5">{kpis}</div><div style="height:14px"></div>'
                    f'{derived_html}<div class="grid g2">{_worst_stores(result)}{_open(exposed, unknown)}</div>')  # fmt: skip


def _worst_stores(result: ScanResult) -> str:
    rows = [r for r in sorted_risk(result) if r.scope == "container"] or sorted_risk(result)
    if not rows:
        return '<div class="card"><h3>Worst stores</h3><p class="muted">No risk ratings in this scan.</p></div>'
    top = rows[0]
    gauge = _svg.gauge(top.score, SEV_COLOURS.get(top.severity, "#4b5563"), f"worst risk score {top.score} of 100", top.severity)
    items = [[_badge(r.severity), _score(r, 80),
              _where(r.target, r.path, r.container), _num(r.people)] for r in rows[:6]]  # fmt: skip
    more = f'<p class="small muted">{len(result.risk) - 6} more in <a href="#risk">Risk</a>.</p>' if len(result.risk) > 6 else ""
    worst = f'<div class="worst">{gauge}<div><b>{_where(top.target, top.path, top.container)}</b>{_ul(top.reasons)}</div></div>'
    return f'<div class="card"><h3>Worst stores</h3>{worst}{_table(["severity", "score", "where|50%", "#people"], items)}{more}</div>'


def _open(exposed: list, unknown: int) -> str:
    if not exposed:
        text = "No check found a store open to anyone."
        text += f" {unknown} checks could not tell (unknown is not safe)." if unknown else ""
        return f'<div class="card"><h3>Open to anyone</h3><p class="muted">{esc(text)}</p></div>'
    items = [f'<li>{_badge(e.severity)} <b>{esc(e.target)}</b> · <code>{esc(e.check)}</code><br>{esc(e.detail)}'
             f'<div class="fix"><b>Fix:</b> {esc(e.fix)}</div></li>' for e in exposed]  # fmt: skip
    return f'<div class="card"><h3>Open to anyone</h3><ul class="r">{"".join(items)}</ul></div>'


def _charts(result: ScanResult) -> str:
    by_sev = result.summary()["by_severity"]
    cards = [("Findings by severity", _svg.bars([(s, by_sev.get(s, 0), SEV_COLOURS[s]) for s in SEVERITIES],
                                                "findings by severity"), "")]  # fmt: skip
    cards.append(_by_store(result))
    scan = scan_people(result)
    bands = scan.derived.get("age_bands") if scan else None
    if isinstance(bands, dict) and bands:
        rows = [(str(b), n, "#991b1b" if str(b).startswith("0-") else "#c2410c" if b == "14-17" else "#1d4ed8")
                for b, n in bands.items() if isinstance(n, int)]  # fmt: skip
        cards.append(("Ages read from ID numbers", _svg.bars(rows, "people by age band"), "birth dates in the ID numbers, scan-wide"))
    hist: dict[str, int] = defaultdict(int)
    for t in result.traces:
        for bucket, n in t.points_per_key.items():
            hist[bucket] += n
    points = _svg.histogram(point_buckets(hist, fill=True), "people or devices by number of points", HOT_BUCKETS)
    cards.append(("Points per person (all traces)", points, "red: 4 or more points, enough to single most people out"))
    inner = "".join(f'<div class="card"><h3>{esc(t)}</h3>{c}<div class="small muted">{esc(n)}</div></div>'
                    for t, c, n in cards if c)  # fmt: skip
    return f'<div class="grid g2">{inner}</div>'


STORE_ROWS = 8
PER_RECORD = {"special_category", "quasi_identifier"}  # few distinct values, every record counts (severity.py)


def _by_store(result: ScanResult) -> tuple[str, str, str]:
    """Distinct values per container, one segment per entity, coloured by category."""
    one = len({f.target for f in result.findings}) == 1
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    category: dict[str, str] = {}
    for f in result.findings:
        name = " > ".join(p for p in (f.path, f.container) if p is not None) if one else where(f.target, f.path, f.container)
        per[name or f.target][f.entity] += f.records if f.category in PER_RECORD else f.distinct
        category[f.entity] = f.category
    rows = sorted(per.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    if len(rows) > STORE_ROWS:
        rest: dict[str, int] = defaultdict(int)
        for _, v in rows[STORE_ROWS - 1 :]:
            for e, n in v.items():
                rest[e] += n
        rows = rows[: STORE_ROWS - 1] + [(f"{len(rows) - STORE_ROWS + 1} other containers", rest)]
    colour = {e: _svg.CATEGORY_COLOURS.get(c, _svg.MUTED) for e, c in category.items()}
    order = {c: i for i, c in enumerate(_svg.CATEGORY_COLOURS)}
    ents = sorted(category, key=lambda e: (order.get(category[e], 99), e))
    legend = [(c, _svg.CATEGORY_COLOURS.get(c, _svg.MUTED)) for c in sorted(set(category.values()), key=lambda c: order.get(c, 99))]
    chart = _svg.stacked([(n, [(e, v.get(e, 0)) for e in ents]) for n, v in rows], colour, legend, "distinct values by store")
    note = "distinct values per entity (records for special categories and quasi-identifiers); colour = category"
    return "Personal data by store", chart, note


def _reid(r: dict[str, Any]) -> str:
    if not r:
        return ""
    parts = []
    if r.get("k_min") is not None:
        parts.append(f"<b>k = {esc(r['k_min'])}</b>")
    share = r.get("unique_share")
    if isinstance(share, (int, float)) and math.isfinite(share):
        parts.append(f"{share:.0%} unique")
    qi = r.get("quasi_identifiers")
    if isinstance(qi, (list, tuple)) and qi:
        parts.append("on " + _chips(str(q) for q in qi))
    if r.get("records") is not None:
        parts.append(f"{esc(r['records'])} records")
    method = f'<div class="small muted">{esc(r["method"])}</div>' if r.get("method") else ""
    return f'<div class="reid">Re-identification: {" · ".join(parts)}{method}</div>'


def _risk(result: ScanResult) -> str:
    rows: list[Risk] = sorted_risk(result)
    if not rows:
        return ""
    cells = [[
        _badge(r.severity),
        _score(r, 100),
        f"<b>{_where(r.target, r.path, r.container)}</b> <span class='small muted'>{esc(r.scope)}</span><div>{_chips(r.sensitivity)}</div>",
        _status(r.reach) if r.reach in STATUS_LABELS else f'<span class="nowrap">{esc(r.reach.replace("_", " "))}</span>',
        _num(r.people),
        _ul(r.reasons) + _reid(r.reidentification),
    ] for r in rows]  # fmt: skip
    head = ["severity", "score", "where / what drives it|32%", "reach", "#people", "reasons|38%"]
    return _section("risk", "Risk", f'<div class="card">{_table(head, cells)}</div>')


def _exposure(result: ScanResult) -> str:
    rows = sorted_exposure(result)
    kinds = {t.target: t for t in result.targets}
    targets = list(dict.fromkeys([e.target for e in rows] + [t.target for t in result.targets]))
    cards, unchecked = [], []
    for target in targets:
        checks = [e for e in rows if e.target == target]
        t = kinds.get(target)
        if not checks:
            unchecked.append(target)
            continue
        sub = f'<span class="muted small">{esc(t.kind)} · read {esc(t.status)}</span>' if t else ""
        cells = [[_status(e.status), f"<code>{esc(e.check)}</code>",
                  _badge(e.severity) if e.status == "exposed" else '<span class="muted">–</span>',
                  esc(e.detail) + (f'<div class="fix"><b>Fix:</b> {esc(e.fix)}</div>' if e.status != "not_exposed" and e.fix else "")]
                 for e in checks]  # fmt: skip
        body = _table(["status", "check", "severity", "observed / fix"], cells,
                      ["bad" if e.status == "exposed" else "" for e in checks])
        cards.append(f'<div class="card"><h3>{esc(target)} {sub}</h3>{body}</div>')
    if unchecked:
        names = ", ".join(f"<b>{esc(t)}</b>" for t in unchecked)
        cards.append(f'<p class="card small muted">No exposure checks ran for {names}: their reach is not known.</p>')
    return _section("exposure", "Exposure by target", "".join(cards)) if cards else ""


def _people(result: ScanResult) -> str:
    rows: list[People] = sorted_people(result)
    if not rows:
        return ""
    methods = list(dict.fromkeys(p.method for p in rows))  # shown once each, as notes
    cells = [[
        esc(p.scope),
        "whole scan" if p.target is None else _where(p.target, p.path, p.container),
        f"<b>{_num(p.estimate)}</b>",
        esc(p.basis or "–") + f' <sup class="muted">[{methods.index(p.method) + 1}]</sup>',
        _chips(f"{k} {_num(v)}" for k, v in sorted(p.by_entity.items())),
        esc("; ".join(derived_phrases(p.derived))),
    ] for p in rows]  # fmt: skip
    head = ["scope", "where|28%", "#people", "basis [method]", "distinct by identifier", "read from IDs|22%"]
    notes = "".join(f"<li>{esc(m)}</li>" for m in methods)
    return _section("people", "People", f'<div class="card">{_table(head, cells)}<ol class="small muted">{notes}</ol></div>')


def _traces(result: ScanResult) -> str:
    rows: list[Trace] = sorted_traces(result)
    if not rows:
        return ""
    cells, charts = [], []
    for t in rows:
        share = f" ({t.keys_4_plus * 100 // t.keys}%)" if t.keys else ""
        span = f"{t.span_days:.0f} days" if t.span_days is not None and math.isfinite(t.span_days) else "–"
        flag = ' <span class="badge" style="background:#991b1b">surveillance log</span>' if t.surveillance_log else ""
        place = " ".join(f"<code>{esc(p)}</code>" for p in t.place_fields)
        cells.append([f"<b>{_where(t.target, t.path, t.container)}</b>", esc(t.kind) + flag,
                      f"<code>{esc(t.key_field)}</code> · <code>{esc(t.time_field)}</code> · {place}",
                      _num(t.records), _num(t.keys), f"<b>{_num(t.keys_4_plus)}</b>{share}", esc(span)])  # fmt: skip
        name = " > ".join(p for p in (t.path, t.container) if p is not None) or t.target
        hist = _svg.histogram(point_buckets(t.points_per_key, fill=True), f"points per key in {name}", HOT_BUCKETS, 360, 150)
        charts.append(f'<div class="card"><h3>{esc(_svg.clip(name, 50))}</h3>{hist}{_details("evidence", t.evidence)}</div>')
    head = ["where|30%", "kind", "key · time · place", "#records", "#keys", "#keys with 4+ points", "#span"]
    table = f'<div class="card">{_table(head, cells)}</div>'
    return _section("traces", "Location traces", f'{table}<div class="grid g3">{"".join(charts)}</div>')


def _finding_rows(findings: list[Finding]) -> list[list[str]]:
    return [[
        _badge(f.severity),
        _where(f.target, f.path, f.container),
        f"<code>{esc(f.field)}</code>" if f.field is not None else '<span class="muted">(free text)</span>',
        esc(f.entity) + f'<div class="small muted">{esc(f.category)}</div>',
        f"{f.confidence:.2f}",
        _num(f.records),
        _num(f.distinct),
        "<br>".join(f'<code class="s">{esc(s)}</code>' for s in f.samples),
        _details(f"{len(f.evidence)} items", f.evidence),
    ] for f in findings]  # fmt: skip


FINDING_HEAD = ["severity|8%", "where|22%", "field|11%", "entity|15%", "#conf.|6%", "#records|7%", "#distinct|7%",
                "masked samples|16%", "evidence|8%"]  # fmt: skip


def _biometrics(result: ScanResult) -> str:
    rows = [f for f in sorted_findings(result) if f.category == "biometric"]
    none = "No biometric data (face images, face embeddings, fingerprints) found."
    return _section("biometrics", "Biometrics", _finding_table(rows, none))


def _findings(result: ScanResult) -> str:
    rows = sorted_findings(result)
    none = "No personal data found at or above the confidence threshold."
    return _section("findings", f"Findings ({len(rows)})", _finding_table(rows, none))


def _finding_table(rows: list[Finding], none: str) -> str:
    return f'<div class="card">{_table(FINDING_HEAD, _finding_rows(rows))}</div>' if rows else f'<p class="card muted">{esc(none)}</p>'


def _size(n: int) -> str:
    exp = min((n.bit_length() - 1) // 10, 3) if n > 0 else 0
    return f"{n} B" if exp == 0 else f"{n / 1024**exp:.1f} {('KiB', 'MiB', 'GiB')[exp - 1]}"


def _coverage(result: ScanResult) -> str:
    """Every container read, the ones not read completely first."""
    order = {"error": 0, "skipped": 1, "partial": 2, "complete": 3}
    rows = [(t.status, [esc(t.target), '<span class="muted">(whole target)</span>', esc(t.reason or ""), "", ""])
            for t in result.targets if t.status != "complete"]  # fmt: skip
    for c in sorted(sorted_coverage(result), key=lambda c: order.get(c.status, 0)):
        location = esc(" > ".join(p for p in (c.path, c.container) if p is not None))
        size = _size(c.bytes) if c.bytes else "–"
        rows.append((c.status, [esc(c.target), location, esc(c.reason or ""), _num(c.records), size]))
    if not rows:
        return ""
    cells = [[_badge(status, READ_COLOURS), *rest] for status, rest in rows]
    bad = ["bad" if status != "complete" else "" for status, _ in rows]
    table = _table(["status", "target", "location|40%", "reason", "#records", "#bytes"], cells, bad)
    return _section("coverage", "Coverage", f'<div class="card">{table}</div>')
