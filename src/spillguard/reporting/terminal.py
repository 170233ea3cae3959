"""Terminal report: a summary, the risk ratings, people, exposure, location traces, one
table per store container, then what was not read.

Rendered with rich into a string. Every piece of scan data goes in as a ``Text`` (never
as markup), so a field called ``[red]x`` or ``companions[].id_no`` prints as it is.
"""

from __future__ import annotations

import io
import math
from itertools import groupby

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from spillguard.models import SEVERITIES, Finding, People, ScanResult
from spillguard.reporting.base import (
    Reporter,
    derived_phrases,
    severity_rank,
    sorted_coverage,
    sorted_exposure,
    sorted_people,
    sorted_risk,
    sorted_traces,
    where,
)

NO_FINDINGS = "No personal data found at or above the confidence threshold."
STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}
_TABLE = dict(box=box.SIMPLE_HEAD, show_edge=False, collapse_padding=True)
STATUS_STYLES = {"partial": "yellow", "skipped": "yellow", "error": "red"}


class TerminalReporter(Reporter):
    id = "table"
    extension = "txt"

    def render(self, result: ScanResult, *, color: bool = False, width: int = 100) -> str:
        console = Console(
            file=io.StringIO(),
            width=width,
            color_system="standard" if color else None,
            force_terminal=color,
            no_color=not color,
            highlight=False,
            emoji=False,
            markup=False,
            legacy_windows=False,
            soft_wrap=False,
        )
        _summary(console, result)
        _risk(console, result)
        _people(console, result)
        _exposure(console, result)
        _traces(console, result)
        _findings(console, result)
        _coverage(console, result)
        lines = console.file.getvalue().splitlines()
        return "".join(line.rstrip() + "\n" for line in lines)


def _summary(console: Console, result: ScanResult) -> None:
    console.print(Text(f"spillguard {result.tool_version}", style="bold"))
    console.print(Text(f"Scan: {result.started_at} to {result.finished_at}"))
    console.print(Text(f"Targets scanned: {len(result.targets)}"))
    statuses = [c.status for c in result.coverage]
    kinds = ("complete", "partial", "skipped", "error")
    counts = ", ".join(f"{statuses.count(s)} {s}" for s in kinds)
    console.print(Text(f"Containers: {counts}"))
    by_sev = result.summary()["by_severity"]
    line = Text(f"Findings: {len(result.findings)}")
    for i, sev in enumerate(s for s in SEVERITIES if s in by_sev):
        line.append(" (" if i == 0 else ", ")
        line.append(f"{by_sev[sev]} {sev}", style=STYLES[sev])
    if by_sev:
        line.append(")")
    console.print(line)
    if result.incomplete:
        console.print(
            Text(
                "WARNING: scan incomplete: some targets or containers were not read completely;"
                " see Coverage below.",
                style="bold yellow",
            )
        )
    console.print()


RISK_ROWS = 10  # the terminal shows the worst ones; JSON and HTML carry them all


def _risk(console: Console, result: ScanResult) -> None:
    rows = sorted_risk(result)
    if not rows:
        return
    sevs = [r.severity for r in rows]
    line = Text("Risk: ", style="bold")
    line.append(", ".join(f"{sevs.count(s)} {s}" for s in SEVERITIES if s in sevs))
    line.append(" (worst first)")
    console.print(line)
    table = Table(**_TABLE)
    table.add_column("severity", overflow="fold")
    table.add_column("score", justify="right")
    table.add_column("where", overflow="fold")
    table.add_column("people", justify="right")
    table.add_column("drives it", overflow="fold")
    for r in rows[:RISK_ROWS]:
        drives = ", ".join((f"reach {r.reach}", *r.sensitivity))
        k = r.reidentification.get("k_min") if isinstance(r.reidentification, dict) else None
        if isinstance(k, int) and not isinstance(k, bool):
            drives += f", k={k}"
        table.add_row(
            Text(r.severity, style=STYLES.get(r.severity, "")),
            Text(str(r.score)),
            Text(where(r.target, r.path, r.container)),
            Text(str(r.people)),
            Text(drives),
        )
    console.print(table)
    if len(rows) > RISK_ROWS:
        console.print(Text(f"... and {len(rows) - RISK_ROWS} more (see the JSON or HTML report)"))
    console.print()


def _people(console: Console, result: ScanResult) -> None:
    rows = sorted_people(result)
    rows = [p for p in rows if p.scope == "scan"] or [p for p in rows if p.scope == "target"]
    for p in rows:
        console.print(_people_line(p))
        phrases = derived_phrases(p.derived)
        if phrases:
            console.print(Text("  " + "; ".join(phrases)))
    if rows:
        console.print()


def _people_line(p: People) -> Text:
    line = Text("People: ", style="bold")
    scope = "across the scan" if p.scope == "scan" else f"in {p.target}"
    line.append(f"~{p.estimate} distinct people {scope}")
    how = "; ".join(x for x in (p.basis, p.method) if x)
    return line.append(f" ({how})" if how else "")


def _traces(console: Console, result: ScanResult) -> None:
    rows = sorted_traces(result)
    if not rows:
        return
    console.print(Text(f"Location traces: {len(rows)} containers", style="bold"))
    table = Table(**_TABLE)
    table.add_column("container", overflow="fold")
    table.add_column("kind", overflow="fold")
    table.add_column("keys", justify="right")
    table.add_column("4+ points", justify="right")
    table.add_column("span", justify="right")
    table.add_column("key / time / place", overflow="fold")
    for t in rows:
        share = f" ({t.keys_4_plus * 100 // t.keys}%)" if t.keys else ""
        span = f"{t.span_days:.0f} d" if t.span_days is not None and math.isfinite(t.span_days) else "-"
        kind = t.kind + (" *" if t.surveillance_log else "")
        fields = f"{t.key_field} / {t.time_field} / {', '.join(t.place_fields)}"
        table.add_row(
            Text(where(t.target, t.path, t.container)),
            Text(kind, style="bold red" if t.surveillance_log else ""),
            Text(str(t.keys)),
            Text(f"{t.keys_4_plus}{share}"),
            Text(span),
            Text(fields),
        )
    console.print(table)
    if any(t.surveillance_log for t in rows):
        console.print(Text("* the schema reads as a surveillance log (face gate, camera, checkpoint)"))
    console.print()


EXPOSURE_LABELS = {"exposed": "EXPOSED", "not_exposed": "not exposed", "unknown": "UNKNOWN"}
EXPOSURE_STYLES = {"exposed": "bold red", "not_exposed": "green", "unknown": "yellow"}


def _exposure(console: Console, result: ScanResult) -> None:
    rows = sorted_exposure(result)
    if not rows:
        return
    exposed = sum(1 for e in rows if e.status == "exposed")
    unknown = sum(1 for e in rows if e.status == "unknown")
    console.print(Text(f"Exposure: {exposed} exposed, {unknown} unknown, {len(rows) - exposed - unknown} not exposed", style="bold"))
    for target in dict.fromkeys(e.target for e in rows):
        table = Table(title=Text(target, style="bold"), title_justify="left", **_TABLE)
        table.add_column("status", overflow="fold")
        table.add_column("check", overflow="fold")
        table.add_column("severity", overflow="fold")
        table.add_column("observed / fix", overflow="fold", ratio=1)
        for e in (e for e in rows if e.target == target):
            text = Text(e.detail)
            if e.status != "not_exposed" and e.fix:
                text.append("\nfix: " + e.fix)
            table.add_row(
                Text(EXPOSURE_LABELS.get(e.status, e.status), style=EXPOSURE_STYLES.get(e.status, "")),
                Text(e.check),
                Text(e.severity if e.status == "exposed" else "-", style=STYLES.get(e.severity, "") if e.status == "exposed" else ""),
                text,
            )
        console.print(table)
    console.print()


def _group_key(f: Finding) -> tuple:
    return (f.target, f.path or "", f.container or "")


def _findings(console: Console, result: ScanResult) -> None:
    if not result.findings:
        console.print(Text(NO_FINDINGS, style="green"))
        console.print()
        return
    groups = [list(g) for _, g in groupby(sorted(result.findings, key=_group_key), key=_group_key)]
    groups.sort(key=lambda g: (min(severity_rank(f.severity) for f in g), _group_key(g[0])))
    for group in groups:
        console.print(_table(group))
        console.print()


def _title(f: Finding) -> Text:
    title = Text(f.target, style="bold")
    where = " > ".join(p for p in (f.path, f.container) if p is not None)
    if where and where != f.target:
        title.append("  " + where)
    return title


def _table(group: list[Finding]) -> Table:
    table = Table(title=_title(group[0]), title_justify="left", **_TABLE)
    table.add_column("field", overflow="fold", min_width=8)
    table.add_column("entity", overflow="fold")
    table.add_column("severity", overflow="fold")
    for name in ("confidence", "records", "distinct"):
        table.add_column(name, justify="right", overflow="fold")
    table.add_column("masked samples", overflow="fold", min_width=8)
    rows = sorted(group, key=lambda f: (severity_rank(f.severity), f.field or "", f.entity))
    for f in rows:
        table.add_row(
            Text("(free text)" if f.field is None else f.field),
            Text(f.entity),
            Text(f.severity, style=STYLES.get(f.severity, "")),
            Text(f"{f.confidence:.2f}"),
            Text(str(f.records)),
            Text(str(f.distinct)),
            Text("\n".join(f.samples)),
        )
    return table


def _coverage(console: Console, result: ScanResult) -> None:
    targets = [t for t in result.targets if t.status != "complete"]
    rows = [c for c in sorted_coverage(result) if c.status != "complete"]
    if not targets and not rows:
        return
    console.print(Text("Coverage: not read completely", style="bold"))
    table = Table(**_TABLE)
    table.add_column("status", overflow="fold")
    table.add_column("target", overflow="fold")
    table.add_column("location", overflow="fold")
    table.add_column("reason", overflow="fold")
    for t in targets:
        reason = Text(t.reason or "")
        table.add_row(_status(t.status), Text(t.target), Text("(whole target)"), reason)
    for c in rows:
        where = " > ".join(p for p in (c.path, c.container) if p is not None)
        table.add_row(_status(c.status), Text(c.target), Text(where), Text(c.reason or ""))
    console.print(table)


def _status(status: str) -> Text:
    return Text(status, style=STATUS_STYLES.get(status, ""))
