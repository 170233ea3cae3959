"""spillguard command line. Exit codes:

  0  nothing at or above --fail-on
  1  findings at or above --fail-on
  2  usage or configuration error
  3  the scan could not complete any target
"""

from __future__ import annotations

import json
import logging
import sys

import click

from spillguard import __version__
from spillguard.cli.jobs import Jobs
from spillguard.cli.output import format_for, write_atomic
from spillguard.cli.progress import live_progress
from spillguard.cli.sizes import ByteSize
from spillguard.errors import ConfigError
from spillguard.settings import Limits, Settings
from spillguard.severity import at_or_above

EXIT_FINDINGS, EXIT_USAGE, EXIT_NO_TARGET = 1, 2, 3
FORMATS = ("table", "json", "sarif", "html")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="spillguard")
def cli() -> None:
    """Find personal data left unguarded in your own data stores."""


def _common(f):
    """Options shared by `scan` and `check` (one place, so they cannot drift apart)."""
    options = [
        click.argument("targets", nargs=-1, required=True),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                     help="Report format on stdout, and for --output files without a known extension."),
        click.option("--output", "outputs", multiple=True, metavar="FILE",
                     help="Write the report to FILE (repeatable; .json/.sarif/.txt pick the format)."),
        click.option("--fail-on", type=click.Choice(["critical", "high", "medium", "low", "never"]),
                     default="high", show_default=True,
                     help="Exit 1 when a finding or an exposure is at or above this severity."),
        click.option("--endpoint-url", metavar="URL", help="S3-compatible endpoint for s3:// targets."),
        click.option("--credentials", "credentials_file", metavar="FILE",
                     help="TOML file with passwords per target (default ~/.config/spillguard/credentials.toml)."),
        click.option("--try-default-credentials", is_flag=True,
                     help="Also try a few vendor default logins on the targets named (opt-in)."),
        click.option("-q", "--quiet", is_flag=True, help="No progress and, with --output, no report on stdout."),
        click.option("-v", "--verbose", is_flag=True, help="Log each container scanned (paths and counts only)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@cli.command()
@_common
@click.option("--sample-size", type=int, default=10_000, show_default=True,
              help="Records read per container; 0 reads everything.")
@click.option("--min-confidence", type=float, default=0.5, show_default=True,
              help="Drop findings below this confidence (0-1).")
@click.option("--include", multiple=True, metavar="GLOB", help="Only scan paths matching GLOB (repeatable).")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip paths matching GLOB (repeatable).")
@click.option("--no-checks", is_flag=True, help="Skip the exposure checks; only read data.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="Where files are read: this process, or Apache Spark executors (files, directories, s3://).")
@click.option("--master", metavar="URL", help="Spark master for --engine spark (local[2], spark://host:7077, yarn).")
@click.option("--jobs", type=Jobs(), default="1", show_default=True,
              help="Worker processes for files, directories and s3:// (one file per task); auto: one per CPU.")
@click.option("--max-file-size", type=ByteSize(), default="2G", show_default=True,
              help="Read files and objects up to this size (500M, 10G; 0 = whole files).")
def scan(targets, fmt, outputs, fail_on, endpoint_url, credentials_file, try_default_credentials, quiet,
         verbose, sample_size, min_confidence, include, exclude, no_checks, engine, master, jobs, max_file_size):
    """Scan TARGETS (files, directories, database/bucket URIs) for personal data and exposure."""
    if master and engine != "spark":
        raise click.BadParameter("--master needs --engine spark", param_hint="--master")
    _run(targets, fmt, outputs, fail_on, quiet, verbose, dict(
        sample_size=sample_size, min_confidence=min_confidence, include=list(include),
        exclude=list(exclude), endpoint_url=endpoint_url, credentials_file=credentials_file,
        try_default_credentials=try_default_credentials, run_checks=not no_checks,
        engine=engine, spark_master=master, jobs=jobs, limits=Limits(max_file_bytes=max_file_size)))


@cli.command()
@_common
def check(targets, fmt, outputs, fail_on, endpoint_url, credentials_file, try_default_credentials, quiet, verbose):
    """Exposure checks only on TARGETS: metadata probes, no rows or documents are read."""
    _run(targets, fmt, outputs, fail_on, quiet, verbose, dict(
        endpoint_url=endpoint_url, credentials_file=credentials_file,
        try_default_credentials=try_default_credentials, read_data=False))


def _run(targets, fmt, outputs, fail_on, quiet, verbose, options) -> None:
    from spillguard.api import scan as run_scan
    from spillguard.reporting import get as reporter
    from spillguard.runtime import tune_gc

    _setup_logging(verbose)
    tune_gc()
    try:
        settings = Settings(targets=list(targets), fail_on=fail_on, **options)
        writers = [(path, reporter(format_for(path, fmt))) for path in outputs]
        stdout_writer = None if (outputs and quiet) else reporter("table" if outputs else fmt)
        with live_progress(not quiet) as on_event:
            result = run_scan(settings, progress=on_event)
        for path, writer in writers:
            write_atomic(path, writer.render(result))
        if stdout_writer is not None:
            color = sys.stdout.isatty() and stdout_writer.id == "table"
            click.echo(stdout_writer.render(result, color=color, width=_width()), nl=False)
    except ConfigError as exc:
        click.echo(f"spillguard: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if result.targets and all(t.status in ("error", "skipped") for t in result.targets):
        click.echo("spillguard: no target could be scanned (see the targets section)", err=True)
        sys.exit(EXIT_NO_TARGET)
    worst = [f.severity for f in result.findings] + [e.severity for e in result.exposure if e.status == "exposed"]
    if any(at_or_above(sev, fail_on) for sev in worst):
        sys.exit(EXIT_FINDINGS)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def detectors(fmt):
    """List every detector: entity, what it checks, and its own examples."""
    from spillguard.detectors import registry

    rows = [
        {
            "id": d.id,
            "entity": d.entity,
            "description": d.description,
            "field_names": list(d.field_names),
            "positives": [_example(e) for e in d.positives],
            "negatives": [_example(e) for e in d.negatives],
        }
        for d in registry()
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} detectors", show_lines=True)
    for col in ("id", "entity", "checks", "examples (synthetic)"):
        table.add_column(col)
    for r in rows:
        ex = "\n".join([f"+ {p}" for p in r["positives"][:2]] + [f"- {n}" for n in r["negatives"][:2]])
        table.add_row(r["id"], r["entity"], r["description"], ex)
    Console(width=_width()).print(table)


def _example(e) -> str:
    value = e.value if isinstance(e.value, str) else f"<{type(e.value).__name__}>"
    if len(value) > 80:
        value = value[:77] + "..."
    return f"{e.field}: {value}" if e.field else value


def _width() -> int:
    import shutil

    return max(80, shutil.get_terminal_size((120, 40)).columns)


def _setup_logging(verbose: bool) -> None:
    # only spillguard's own logger goes verbose: drivers log documents and SQL at
    # INFO/DEBUG (pymongo.command does), and those may hold raw values
    logging.basicConfig(level=logging.WARNING, format="spillguard: %(levelname)s: %(message)s", stream=sys.stderr)
    logging.getLogger("spillguard").setLevel(logging.INFO if verbose else logging.WARNING)


def main() -> None:
    try:
        cli.main(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("spillguard: interrupted", err=True)
        sys.exit(130)
