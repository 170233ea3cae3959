"""Settings: everything a scan needs, built by the CLI or by library callers."""

from __future__ import annotations

from dataclasses import dataclass, field

from spillguard.errors import ConfigError
from spillguard.models import SEVERITIES


@dataclass
class Limits:
    """Safety caps. Hitting one marks the container partial or skipped with a reason."""

    max_file_bytes: int = 2 * 1024**3  # files larger are read up to this many bytes
    max_archive_depth: int = 3
    max_archive_members: int = 10_000
    max_archive_total_bytes: int = 1 * 1024**3  # uncompressed bytes over all members
    max_compression_ratio: int = 200  # per member; bombs exceed this
    max_field_bytes: int = 16 * 1024**2  # one CSV field / one JSON value
    max_json_document_bytes: int = 256 * 1024**2  # whole-document JSON objects
    text_chunk_chars: int = 1 << 20
    # --jobs / Spark with --sample-size 0: a text, JSON Lines, CSV or Parquet file larger
    # than this is scanned in parts by several workers (see spillguard.sources.split); a
    # part of a few MB costs well under a second of set-up and tallies on top of its scan
    split_bytes: int = 8 * 1024**2
    batch_records: int = 2_000
    query_timeout_s: float = 120.0  # one query against a store
    connect_timeout_s: float = 10.0  # one connection attempt or metadata probe


@dataclass
class Settings:
    targets: list[str]
    sample_size: int = 10_000  # records per container; 0 = all
    min_confidence: float = 0.5
    fail_on: str = "high"
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    progress: bool = False
    endpoint_url: str | None = None  # S3-compatible endpoint (e.g. http://127.0.0.1:8333)
    credentials_file: str | None = None  # TOML file: passwords per target, see credentials.py
    try_default_credentials: bool = False  # opt-in, only for the targets named
    run_checks: bool = True  # exposure checks before reading
    read_data: bool = True  # False for `spillguard check`: metadata only
    engine: str = "local"  # "spark": spillguard.spark.engine.run (scale-out over files/objects)
    jobs: int = 1  # worker processes for file and S3 targets (--jobs)
    spark_master: str | None = None  # Spark master URL for engine="spark" (local[2], spark://…, yarn)

    def __post_init__(self) -> None:
        if not self.targets:
            raise ConfigError("no target given: name at least one file, directory or URI")
        if self.sample_size < 0:
            raise ConfigError("--sample-size must be 0 (all) or a positive number of records")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ConfigError("--min-confidence must be between 0 and 1")
        if self.jobs < 1:
            raise ConfigError("--jobs must be 1 or more")
        if self.fail_on not in SEVERITIES + ("never",) or self.fail_on == "info":
            raise ConfigError("--fail-on must be one of critical, high, medium, low, never")
