"""Apache Parquet, read in record batches of ``limits.batch_records`` rows.

Flat columns keep their names; struct, list and map columns are flattened to field
paths (``guest.id_no``, ``companions[].id_no``, vectors kept whole; see flatten.py).
Dates and times become ISO text, decimals int or text, binary stays bytes.

A big file can be read in parts of whole row groups (``--jobs``, Spark: see
spillguard.sources.split).

Parquet needs random access: a stream that cannot seek (an archive member) is held in
memory up to ``max_json_document_bytes``, else LimitExceeded "size_limit". A file that
pyarrow cannot read -> FormatError "invalid_parquet" (pyarrow's text is not passed on).
"""

from __future__ import annotations

import bisect
from itertools import accumulate
from typing import Any, BinaryIO, Iterator

from spillguard.errors import FormatError
from spillguard.formats.base import Format, Item, ReadContext
from spillguard.formats.flatten import FlattenStats, flatten_records, to_scalar
from spillguard.formats.zip_format import seekable
from spillguard.models import Batch

MAGIC = b"PAR1"


class Parquet(Format):
    id = "parquet"
    extensions = (".parquet", ".parq", ".pq")
    priority = 80
    kind = "records"

    def sniff(self, name: str, head: bytes) -> bool:
        return head.startswith(MAGIC)

    def read(self, stream: BinaryIO, ctx: ReadContext) -> Iterator[Item]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        source = seekable(stream, ctx.limits.max_json_document_bytes, ctx.name)
        stats = FlattenStats()
        total = 0
        failed = False
        pf = None
        try:
            pf = pq.ParquetFile(source)
            groups = getattr(stream, "row_groups", None)  # a part of a split file reads only these
            if groups is None or groups.start == 0:
                ctx.coverage.bytes += pf.metadata.serialized_size
            # a part reads only its row groups; batches may straddle groups (what a scan
            # finds does not depend on where batches are cut, only its cost does)
            wanted = list(range(pf.metadata.num_row_groups)) if groups is None else list(groups)
            size = _RowBytes(pf.metadata, wanted)
            for rb in pf.iter_batches(batch_size=max(ctx.limits.batch_records, 1), row_groups=wanted):
                if ctx.sample_size and total + rb.num_rows > ctx.sample_size:
                    rb = rb.slice(0, ctx.sample_size - total)
                columns = _columns(rb, stats)
                ctx.coverage.bytes += size.upto(total + rb.num_rows) - size.upto(total)
                total += rb.num_rows
                if stats.reason():
                    ctx.coverage.mark("partial", stats.reason())
                yield Batch(columns=columns, records=rb.num_rows)
                if ctx.sample_size and total >= ctx.sample_size:
                    return
        except (pa.ArrowException, OSError, ValueError, TypeError, IndexError, OverflowError):
            failed = True  # message dropped: it may quote statistics or values
        finally:
            if pf is not None and hasattr(pf, "close"):
                pf.close()
        if failed:
            raise FormatError(f"{ctx.name} could not be read as Parquet", reason="invalid_parquet")


class _RowBytes:
    """Bytes of the first n rows of some row groups: whole groups at their uncompressed
    size (Parquet metadata), a group read in part pro rata. It depends only on the rows
    read, not on where batches were cut: the parts of a split file add up to one read."""

    def __init__(self, meta: Any, groups: list[int]):
        self._rows = list(accumulate((meta.row_group(g).num_rows for g in groups), initial=0))
        self._bytes = list(accumulate((meta.row_group(g).total_byte_size for g in groups), initial=0))

    def upto(self, n: int) -> int:
        i = bisect.bisect_right(self._rows, n) - 1  # whole groups before row n
        if i >= len(self._rows) - 1:
            return self._bytes[-1]
        rows, size = self._rows[i + 1] - self._rows[i], self._bytes[i + 1] - self._bytes[i]
        return self._bytes[i] + size * (n - self._rows[i]) // rows


def _columns(rb: Any, stats: FlattenStats) -> dict[str, list[Any]]:
    import pyarrow as pa

    columns: dict[str, list[Any]] = {}
    nested: dict[str, list[Any]] = {}
    for field, array in zip(rb.schema, rb.columns):
        t = field.type
        if pa.types.is_struct(t) or pa.types.is_map(t) or _is_list(t):
            nested[field.name] = array.to_pylist(maps_as_pydicts="lossy")
        else:
            columns[field.name] = [None if v is None else to_scalar(v) for v in array.to_pylist()]
    if nested:
        names = list(nested)
        rows = [dict(zip(names, values)) for values in zip(*nested.values())]
        for path, values in flatten_records(rows, stats=stats).items():
            columns.setdefault(path, values)
    return columns


def _is_list(t: Any) -> bool:
    import pyarrow as pa

    return (
        pa.types.is_list(t)
        or pa.types.is_large_list(t)
        or pa.types.is_fixed_size_list(t)
        or getattr(pa.types, "is_list_view", lambda _: False)(t)
        or getattr(pa.types, "is_large_list_view", lambda _: False)(t)
    )
