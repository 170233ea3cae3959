"""Excel workbooks (.xlsx, .xlsm), read with openpyxl (read-only, cached values).

Every sheet is read; its first non-empty row is the header (names made unique as for
CSV: ``col_<n>`` for empty ones). With more than one sheet, column names are prefixed
``<sheet>!`` (``Guests!id_no``); a single sheet keeps plain names. Rows come in batches
of ``limits.batch_records``; ``ctx.sample_size`` counts rows over the whole workbook.

Caps: the zip's declared uncompressed size above ``max_archive_total_bytes`` ->
LimitExceeded "size_limit" before anything is decompressed; a stream that cannot seek
is held in memory up to ``max_json_document_bytes`` ("size_limit"). A file openpyxl
cannot read -> FormatError "invalid_xlsx" (its text is not passed on).
"""

from __future__ import annotations

import zipfile
from typing import Any, BinaryIO, Iterator

from spillguard.errors import FormatError, LimitExceeded
from spillguard.formats.base import Format, Item, ReadContext
from spillguard.formats.delimited import header_names
from spillguard.formats.flatten import to_scalar
from spillguard.formats.zip_format import seekable
from spillguard.models import Batch


class Xlsx(Format):
    id = "xlsx"
    extensions = (".xlsx", ".xlsm")
    priority = 90
    kind = "records"

    def sniff(self, name: str, head: bytes) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        return name.lower().endswith(self.extensions) or b"xl/workbook.xml" in head

    def read(self, stream: BinaryIO, ctx: ReadContext) -> Iterator[Item]:
        limits = ctx.limits
        source = seekable(stream, limits.max_json_document_bytes, ctx.name)
        declared = None
        try:
            with zipfile.ZipFile(source) as archive:
                declared = sum(i.file_size for i in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            pass
        if declared is None:
            raise FormatError(f"{ctx.name} is not a readable xlsx workbook", reason="invalid_xlsx")
        if declared > limits.max_archive_total_bytes:
            raise LimitExceeded(
                f"{ctx.name}: workbook expands to more than max_archive_total_bytes", reason="size_limit"
            )
        source.seek(0)
        ctx.coverage.bytes += declared
        failed = False
        try:
            yield from self._sheets(source, ctx)
        except (LimitExceeded, FormatError):
            raise
        except Exception:  # noqa: BLE001 - openpyxl/zip/xml errors; text may quote cells
            failed = True
        if failed:
            raise FormatError(f"{ctx.name} could not be read as xlsx", reason="invalid_xlsx")

    def _sheets(self, source: BinaryIO, ctx: ReadContext) -> Iterator[Batch]:
        from openpyxl import load_workbook

        wb = load_workbook(source, read_only=True, data_only=True)
        try:
            sheets = wb.worksheets
            prefix = len(sheets) > 1
            total = 0
            for ws in sheets:
                if hasattr(ws, "reset_dimensions"):
                    ws.reset_dimensions()  # trust the cells, not the declared dimension
                sheet = ws.title if prefix else None
                names: list[str] | None = None
                rows: list[tuple[Any, ...]] = []
                for row in ws.iter_rows(values_only=True):
                    if all(v is None or v == "" for v in row):
                        continue
                    if names is None:
                        names = header_names(["" if v is None else str(to_scalar(v)) for v in row])
                        continue
                    rows.append(row)
                    total += 1
                    done = bool(ctx.sample_size) and total >= ctx.sample_size
                    if len(rows) >= ctx.limits.batch_records or done:
                        yield Batch(columns=_columns(names, rows, sheet), records=len(rows))
                        rows = []
                        if done:
                            return
                if rows and names is not None:
                    yield Batch(columns=_columns(names, rows, sheet), records=len(rows))
        finally:
            wb.close()


def _columns(names: list[str], rows: list[tuple[Any, ...]], sheet: str | None) -> dict[str, list[Any]]:
    width = max(len(names), max(len(r) for r in rows))
    if width > len(names):
        names = header_names(names + [""] * (width - len(names)))
    pre = f"{sheet}!" if sheet else ""
    return {
        pre + name: [
            None if j >= len(r) or r[j] is None or r[j] == "" else to_scalar(r[j]) for r in rows
        ]
        for j, name in enumerate(names)
    }
