"""A live progress line on a terminal (stderr) for long scans; silent otherwise."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from spillguard.models import Coverage
from spillguard.redaction import mask_identifiers


@contextmanager
def live_progress(enabled: bool) -> Iterator[object | None]:
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task("starting", total=None)
        state = {"done": 0, "records": 0}

        def on_event(event: str, row: Coverage) -> None:
            where = mask_identifiers((row.path or row.target) + (f" [{row.container}]" if row.container else ""))
            records = state["records"]
            if event == "done":
                state["done"] += 1
                state["records"] += row.records
                records = state["records"]
            elif event == "batch":  # inside one big container: its records and bytes so far
                records += row.records
                where += f" ({row.bytes / 1e6:,.0f} MB read)" if row.bytes else ""
            bar.update(task, description=f"{state['done']} containers, {records:,} records - {where}")

        yield on_event
