"""The Spark engine: ``spillguard scan LAKE --engine spark [--master URL]``.

Same detectors, same results, more machines. The unit of work is a file (an object on
S3): the driver lists the targets (see :mod:`spillguard.spark.tasks`, no data is read
there), runs the exposure checks, and hands the files to Spark, largest first, one task
per file (grouped when there are more than ``MAX_TASKS``; with ``--sample-size 0`` a big
text, JSON Lines, CSV or Parquet file is one task per part, see ``split.py``). Each executor task runs
spillguard's ordinary per-container loop (``ContainerRun``) on its files and returns
their ``ContainerSummary``s: coverage rows, findings, traces, re-identification blocks
and people counters (keyed digests, never values). The driver puts them back in listing
order and assesses them exactly as the local engine does (``scanning.assess.assess``:
traces, people merged across every container, risk), so the ScanResult equals a local
scan's: the same coverage rows, findings (count, distinct, records, fingerprint), people
estimate and risk.

Secrets: the fingerprint key (and credentials given in an ``s3://`` URI or the
credentials file) are read once on the driver and travel in the task closure, never in
the task data, and are never logged. The key resident IDs are digested under for the
demographics (derived from the fingerprint key, as in a local scan) and the per-scan
random shift of sampled times travel the same way (see ``tasks.scan_units``).

pyspark is imported only here and only when a scan runs: ``pip install 'spillguard[spark]'``.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import tempfile
from typing import Any, Callable

from spillguard import __version__
from spillguard.analysis import people as people_module
from spillguard.analysis.people import PeopleTally
from spillguard.detectors import registry as detector_registry
from spillguard.errors import ConfigError, safe_reason
from spillguard.keys import Keyed, load_key
from spillguard.models import Coverage, Exposure, Finding, ScanResult, TargetResult
from spillguard.redaction import redact_result
from spillguard.scanning.assess import assess
from spillguard.scanning.container import ContainerRun, ContainerSummary
from spillguard.scanning.engine import DEMOGRAPHICS, gather, log_row, utc_now, run_checks
from spillguard.scanning.names import NameScan
from spillguard.settings import Settings
from spillguard.sources import mask_credentials, source_for
from spillguard.sources.base import ContainerScan
from spillguard.sources.streams import empty_scan
from spillguard.spark import split
from spillguard.spark.tasks import Listed, TargetSpec, Unit, lister, new_time_shift, scan_units

log = logging.getLogger("spillguard")

KINDS = ("files", "s3")  # targets the Spark engine spreads out: directories, files, buckets
MAX_TASKS = 10_000  # more files than this: several per task
INSTALL_HINT = "pip install 'spillguard[spark]'"

_LOG4J2 = """\
rootLogger.level = error
# the same level for the shell loggers, or Spark prints "Setting default log level"
logger.repl.name = org.apache.spark.repl.Main
logger.repl.level = error
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = spark: %p %c{1}: %m%n
"""


Execute = Callable[..., dict[int, list[ContainerSummary]]]  # (units, settings, specs, key, master, reporter)


class Reporter:
    """Progress while an executor runs: a unit's containers when it comes back, a split
    file's bytes and records as its parts come back. The local process pool (--jobs)
    reports as results arrive; Spark's collect() returns them all at once, so there the
    engine reports at the end."""

    def __init__(self, progress: Callable[[str, Coverage], None] | None):
        self.progress = progress
        self.reported: set[int] = set()  # unit indices whose containers were reported

    def unit(self, index: int, summaries: list[ContainerSummary]) -> None:
        if self.progress:
            for s in summaries:
                self.progress("start", s.row)
                self.progress("done", s.row)
        self.reported.add(index)

    def part(self, row: Coverage) -> None:
        if self.progress:
            self.progress("batch", row)


def run(
    settings: Settings, master: str | None = None, progress: Callable[[str, Coverage], None] | None = None,
    execute: Execute | None = None,
) -> ScanResult:
    """Scan ``settings.targets`` on Spark. ``master`` (else ``settings.spark_master``)
    is the Spark master URL (``local[2]``, ``spark://host:7077``, ``yarn`` ...); with
    neither, an active SparkSession or spark-submit's ``--master`` is used, else
    ``local[*]``. An already running SparkContext is reused and left running; one
    started here is stopped at the end. ``progress`` gets "start"/"done" per container
    as the results arrive on the driver."""
    key = load_key()  # key problems fail first, as in a local scan
    keyed = Keyed(key)
    people_module.use_key(keyed.derived(DEMOGRAPHICS))  # as the executors (and a local scan) digest
    started = utc_now()
    plan = [(t, source_for(t)) for t in settings.targets]
    for target, cls in plan:
        if cls.kind not in KINDS:
            raise ConfigError(
                f"the spark engine scans files, directories and s3:// buckets, not {mask_credentials(target)!r}: "
                "scan databases with the local engine"
            )
    specs: list[TargetSpec] = []
    targets: list[TargetResult] = []
    exposure: list[Exposure] = []
    reach: dict[str, list[Exposure]] = {}
    listings: list[list[Any]] = []  # per target: Listed or ContainerScan (a row decided by the walk)
    for target, cls in plan:
        display = mask_credentials(target)
        result = TargetResult(display, cls.kind)
        targets.append(result)
        reach[display] = run_checks(target, cls.kind, settings)
        exposure.extend(reach[display])
        items: list[Any] = []
        listings.append(items)
        specs.append(TargetSpec(target, display, cls.kind))
        if not settings.read_data:
            continue
        source = lister(cls.kind, target, settings, display)
        try:
            if cls.kind == "s3":  # resolved here, so that executors need no credentials file
                from spillguard.exposure._s3 import parse_s3

                specs[-1] = TargetSpec(target, display, cls.kind, parse_s3(target, settings))
            items.extend(source.containers())
        except Exception as exc:  # the target itself failed (missing, unreachable, denied)
            result.status = "error"
            result.reason = safe_reason(exc)
            log.warning("target %s: %s", display, result.reason)
        finally:
            source.close()
        # a walk that failed part way still lists what it found before
        if result.status == "error" and items:
            result.status = "partial"

    units: list[Unit] = []
    for n, items in enumerate(listings):
        for item in items:
            if isinstance(item, Listed):
                units.append(Unit(len(units), n, item.rel, item.where, item.size))
    run_units = execute or _execute  # Spark executors, or a local process pool (--jobs)
    reporter = Reporter(progress)
    done = run_units(units, settings, specs, key, master or settings.spark_master, reporter) if units else {}

    detectors = detector_registry()
    coverage: list[Coverage] = []
    findings: list[Finding] = []
    summaries: list[ContainerSummary] = []
    people = PeopleTally()
    next_unit = 0
    for result, spec, items in zip(targets, specs, listings):
        rows_before = len(coverage)
        names = NameScan(spec.display, settings, detectors, keyed)
        for item in items:
            if isinstance(item, ContainerScan):  # decided by the walk: no data to read
                container = ContainerRun(item, settings, detectors, keyed)
                container.run()
                parts = [container.summary()]
            else:
                parts = done[next_unit] if next_unit in done else [_lost(spec, item)]
                next_unit += 1
            shown = not isinstance(item, ContainerScan) and next_unit - 1 in reporter.reported
            for s in parts:
                coverage.append(s.row)
                names.add(s.row)
                gather(s, findings, people, summaries)
                if progress and not shown:
                    progress("start", s.row)
                    progress("done", s.row)
                log_row(s.row)
        named = names.summary()  # identifiers in the names listed, read or not
        if named is not None:
            gather(named, findings, people, summaries)
        if result.status == "complete":
            if any(r.status in ("partial", "error") for r in coverage[rows_before:]):
                result.status, result.reason = "partial", "incomplete_containers"
    traces, blocks, risk = assess(summaries, reach, people)
    result = ScanResult(__version__, started, utc_now(), targets, coverage, findings, exposure, traces, blocks, risk)
    return redact_result(result)  # identifiers in names: masked (redaction.py)


def _lost(spec: TargetSpec, item: Listed) -> ContainerSummary:
    """The row of a file whose task never came back (the Spark job failed)."""
    from spillguard.analysis.people import ContainerPeople, Demographics

    row = empty_scan(Coverage(spec.display, item.rel, None), "error", "spark_task_failed").coverage
    return ContainerSummary(row, [], None, {}, ContainerPeople(row, {}, Demographics()))


def _execute(
    units: list[Unit], settings: Settings, specs: list[TargetSpec], key: bytes, master: str | None,
    reporter: Reporter | None = None,
) -> dict[int, list[ContainerSummary]]:
    """Scan every unit on Spark: {unit index: summaries}. A failed job (a worker killed,
    an executor lost past its retries) leaves the missing units out; their files get an
    error row ``spark_task_failed``."""
    spark, created = _session(master)
    try:
        sc = spark.sparkContext
        # a big file in parts, up to four per core of the cluster (see sources/split.py)
        tasks = split.expand(units, specs, settings, max(sc.defaultParallelism, 1))
        order = split.order(tasks)  # largest first: shorter tail
        slices = min(len(order), MAX_TASKS)
        groups = [order[i::slices] for i in range(slices)]
        body = functools.partial(
            scan_units, settings=settings, targets=specs, key=key, people_key=Keyed(key).derived(DEMOGRAPHICS),
            time_shift=new_time_shift(),
        )
        sc.setJobGroup("spillguard", f"spillguard scan: {len(units)} files", interruptOnCancel=True)
        try:
            results = sc.parallelize(groups, slices).mapPartitions(functools.partial(_in_worker, body)).collect()
        except Exception as exc:
            # the job's text may quote a worker's traceback: only its type is logged
            log.error("the Spark job failed (%s): files not scanned get the row spark_task_failed",
                      type(exc).__name__)
            return {}
        return split.gather(results, tasks, specs, settings, key)
    finally:
        if created:
            spark.stop()


def _in_worker(body: Callable, groups: Any) -> Any:
    """A Spark task, in a Python worker that runs nothing but spillguard's tasks."""
    from spillguard.runtime import tune_gc

    tune_gc()
    return body(groups)


def _session(master: str | None) -> tuple[Any, bool]:
    """(SparkSession, created here). Local masters bind to 127.0.0.1; the UI is off and
    Spark's own logging is quiet (errors only, on stderr)."""
    try:
        from pyspark import SparkContext
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(f"the spark engine needs PySpark: {INSTALL_HINT}") from None
    if SparkContext._active_spark_context is not None:  # spark-submit, a notebook, a test fixture
        spark = SparkSession.builder.getOrCreate()
        running = spark.sparkContext.master
        if master and master != running:
            log.warning("a SparkContext is already running on %s: --master %s is ignored", running, master)
        return spark, False
    # the executors' Python must be one with spillguard installed: this one, unless told
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # under spark-submit: its --master wins
    local = (master or ("" if submitted else "local")).startswith("local")
    builder = SparkSession.builder.appName("spillguard")
    if master or not submitted:
        builder = builder.master(master or "local[*]")
    if local:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (builder.config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    conf_file = None
    if not submitted:  # the JVM starts now: give it a quiet log4j2 configuration
        fd, conf_file = tempfile.mkstemp(prefix="spillguard-log4j2-", suffix=".properties")
        with os.fdopen(fd, "w") as f:
            f.write(_LOG4J2)
        builder = builder.config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{conf_file}")
    builder = (builder.config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.maxResultSize", "0"))  # the driver keeps every summary anyway
    try:
        spark = builder.getOrCreate()
    except Exception as exc:
        raise ConfigError(f"Spark could not start ({type(exc).__name__}): is Java 17+ installed, "
                          "and is the master URL right?") from None
    finally:
        if conf_file:
            os.unlink(conf_file)
    spark.sparkContext.setLogLevel("ERROR")
    return spark, True
