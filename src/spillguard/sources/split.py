"""Which big files several workers scan at once (``--jobs N``, ``--engine spark``), and
where they are cut.

A file is split only when the scan reads it whole (``--sample-size 0``: head sampling
needs its records in order) and it is larger than ``limits.split_bytes``; it must be a
regular file whose format (picked from its name and head as a one-process scan picks it)
is plain text, JSON Lines or CSV decoding as UTF-8 (or ASCII), or Parquet with two row
groups or more. Everything else stays one unit: compressed files and archives, SQLite,
XLSX, whole-document JSON, other encodings, S3 objects, and CSV files with a quote
character in their first MiB (a quoted field may hold a line break, so a line start may
be no record start) or a head too long to hold the sniffed sample.

Byte parts are cut at ``i * size / n`` and each owns the lines that *start* in its range
(see ``streams.ByteRange``); Parquet parts are runs of whole row groups of about equal
compressed size. The number of parts is ``max(2, min(size // split_bytes, 4 * workers))``
rounded up to a multiple of the workers (parts of equal size run in whole rounds): about
``split_bytes`` (8 MiB) or more each, so that what a part costs on top of its scan
(opening the file, the tallies it sends back: a few MB at most) stays small, and up to
four per worker, so that the parts of one file and the other files of the scan even out
across workers (one part may be slower than another: denser in entities).

The planner runs on the driver and reads only each candidate file's first 64 KiB (the
first MiB of a CSV file, the footer of a Parquet file): no value leaves it.
"""

from __future__ import annotations

from spillguard.formats.delimited import SAMPLE_CHARS, SAMPLE_LINES
from spillguard.formats.encoding import detect
from spillguard.settings import Settings
from spillguard.sources.files import _open_regular
from spillguard.sources.streams import PART_HEAD_BYTES, SQLITE_MAGIC, Part, pick_format, read_head

BYTE_FORMATS = ("text", "jsonl", "delimited")  # read line by line: cut between lines
PARTS_PER_WORKER = 4
_QUOTES = (b'"', b"'")


def plan(path: str, rel: str, size: int, settings: Settings, workers: int) -> list[Part]:
    """The parts of the file at ``path`` (shown as ``rel``), or [] when it stays whole.
    Never raises: a file that cannot be planned is scanned as one unit, which reports why."""
    split = max(settings.limits.split_bytes, 1)
    if settings.sample_size or workers < 2 or size <= split:
        return []
    try:
        return _plan(path, rel, size, settings, workers)
    except Exception:  # unreadable, gone, not Parquet after all: the one-unit scan says why
        return []


def _plan(path: str, rel: str, size: int, settings: Settings, workers: int) -> list[Part]:
    limits = settings.limits
    limit = min(size, limits.max_file_bytes)
    n = max(2, min(limit // max(limits.split_bytes, 1), PARTS_PER_WORKER * workers))
    # in whole rounds: 3 equal parts on 2 workers take as long as 4 (two rounds), and 2 as 1
    n = min(-(-n // workers) * workers, PARTS_PER_WORKER * workers)
    with _open_regular(path) as f:  # regular files only: a FIFO is never opened
        head = read_head(f)
        if head.startswith(SQLITE_MAGIC):
            return []
        fmt = pick_format(rel, head)
        if fmt is None:
            return []
        if fmt.id == "parquet":
            return _row_group_parts(f, n, size) if limit == size else []  # a capped Parquet is unreadable
        if fmt.id not in BYTE_FORMATS:
            return []
        encoding = detect(head[:limit])  # as the one-pass reader detects it, on the capped head
        if encoding[0] != "utf-8":
            return []
        if fmt.id == "delimited" and not _csv_splits(f, limit):
            return []
    kind = "text" if fmt.kind == "text" else "records"
    cuts = [limit * i // n for i in range(n + 1)]
    return [Part(i, n, cuts[i], cuts[i + 1], limit, kind, encoding=encoding, weight=cuts[i + 1] - cuts[i],
                 capped=limit < size) for i in range(n)]


def _csv_splits(f, limit: int) -> bool:
    """No quote character in the first MiB, and the lines the dialect is sniffed on (50,
    or those holding the first 8,192 characters) lie within it: every part reads them."""
    f.seek(0)
    head = f.read(min(PART_HEAD_BYTES, limit))
    if any(q in head for q in _QUOTES):
        return False
    return head.count(b"\n") >= SAMPLE_LINES or head.find(b"\n", 4 * SAMPLE_CHARS) >= 0


def _row_group_parts(f, n: int, size: int) -> list[Part]:
    """Runs of whole row groups of about equal compressed size."""
    import pyarrow.parquet as pq

    f.seek(0)
    meta = pq.ParquetFile(f).metadata
    sizes = [sum(meta.row_group(g).column(c).total_compressed_size for c in range(meta.num_columns))
             for g in range(meta.num_row_groups)]
    n = min(n, len(sizes))
    if n < 2:
        return []
    prefix = [0]
    for s in sizes:
        prefix.append(prefix[-1] + s)
    bounds = [0]
    for k in range(1, n):
        # the first cut at or past the k-th share that leaves a group for each later part
        cut = bounds[-1] + 1
        while cut < len(sizes) - (n - k) and prefix[cut] * n < prefix[-1] * k:
            cut += 1
        bounds.append(cut)
    bounds.append(len(sizes))
    return [Part(i, len(bounds) - 1, bounds[i], bounds[i + 1], size, "records", rows=True,
                 weight=sum(sizes[bounds[i]:bounds[i + 1]]))
            for i in range(len(bounds) - 1)]
