"""Issue 5's speed targets, checked against the rows of one run (bench/run.py).

Each target is computed from numbers measured in the same run on the same bytes:
spillguard end to end in one process (MB/s per core), DataFog's Python regex engine and
Presidio's pattern recognizers (the peers' slice), and the re2 floor (one combined
pattern over the whole file). A missing row gives no verdict, never a pass.
"""

from __future__ import annotations

# (label, what is compared, the bar, True when higher is better)
TARGETS = (
    ("MB/s per core", "spillguard", 100.0, True),
    ("× DataFog (Python regex engine)", "datafog", 30.0, True),
    ("× Presidio (pattern recognizers)", "presidio", 1000.0, True),
    ("re2 floor ÷ spillguard", "re2", 2.0, False),
)
FORMATS = ("text", "logs", "csv", "jsonl")


def _rate(rows: list[dict], tool: str, fmt: str) -> float | None:
    for r in rows:
        if r["tool"] == tool and r["format"] == fmt and not r.get("na") and r.get("mb_s"):
            return r["mb_s"]
    return None


def verdicts(rows: list[dict]) -> list[tuple[str, str, float | None, bool | None]]:
    """(target, format, measured value, met?) for every target and format: the value is
    None (and met None) when a row it needs was not measured."""
    out = []
    for label, tool, bar, higher in TARGETS:
        for fmt in FORMATS:
            sg, other = _rate(rows, "spillguard", fmt), _rate(rows, tool, fmt)
            if sg is None or other is None:
                value = None
            elif tool == "spillguard":
                value = sg
            else:
                value = sg / other if higher else other / sg
            met = None if value is None else (value >= bar if higher else value <= bar)
            out.append((f"{label} {'≥' if higher else '≤'} {bar:g}", fmt, value, met))
    return out


def markdown(rows: list[dict]) -> str:
    """One row per target, one column per format: the value and whether it is met."""
    table: dict[str, dict[str, str]] = {}
    for target, fmt, value, met in verdicts(rows):
        shown = "—" if value is None else f"{value:,.2f} {'met' if met else 'not met'}" if value < 10 else \
            f"{value:,.0f} {'met' if met else 'not met'}"
        table.setdefault(target, {})[fmt] = shown
    lines = ["| target | " + " | ".join(FORMATS) + " |", "|---|" + "---:|" * len(FORMATS)]
    lines += [f"| {t} | " + " | ".join(cells[f] for f in FORMATS) + " |" for t, cells in table.items()]
    return "\n".join(lines)
