"""scan(settings) -> ScanResult: the one entry point for the CLI and for library callers."""

from __future__ import annotations

from typing import Callable

from spillguard.models import Coverage, ScanResult
from spillguard.settings import Settings


def scan(settings: Settings, progress: Callable[[str, Coverage], None] | None = None) -> ScanResult:
    """Scan every target in ``settings``; ``progress(event, coverage_row)`` is called as
    each container starts ("start"), after each batch read from it ("batch": the row's
    records and bytes so far; in one process, or with --jobs as the parts of a split
    file come back) and when it ends ("done").
    ``settings.engine == "spark"``
    runs the same scan on Apache Spark (``settings.spark_master``)."""
    if settings.engine == "spark":
        from spillguard.spark.engine import run as run_on_spark  # pyspark only when asked

        return run_on_spark(settings, progress=progress)
    from spillguard import parallel

    if parallel.can_spread(settings):
        return parallel.run(settings, progress)
    from spillguard.scanning.engine import run

    return run(settings, progress)
