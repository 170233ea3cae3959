"""Text encoding: detect it from a stream's head, and decode a byte stream in bounded
pieces while counting undecodable bytes (never keeping or reporting them).

Detection order: BOM (UTF-32, UTF-8, UTF-16) -> UTF-16 without BOM (NUL pattern) ->
strict UTF-8, or UTF-8 with a few bad bytes (>= 80% of non-ASCII sequences valid; the
bad ones are then counted as decode errors) -> charset-normalizer among GB18030, Big5
(HKSCS), Latin-1 -> strict GB18030 -> strict Big5 -> Latin-1 (never fails).
"""

from __future__ import annotations

import codecs
import re
import threading
from typing import BinaryIO

HEAD_BYTES = 64 * 1024
READ_BYTES = 64 * 1024
_ERRORS = "spillguard.count"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CN_NAMES = {"gb18030": "gb18030", "gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs",
             "big5hkscs": "big5hkscs", "cp950": "big5hkscs", "latin_1": "latin-1",
             "cp1252": "latin-1", "iso8859_15": "latin-1"}
# bytes that do not occur in text: C0 controls except \t \n \v \f \r and ESC
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_NEWLINE = re.compile(r"[\r\n]")

_state = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    reader = getattr(_state, "reader", None)
    if reader is not None and isinstance(exc, UnicodeDecodeError):
        reader.errors += exc.end - exc.start
    return "\ufffd", exc.end  # type: ignore[attr-defined]


codecs.register_error(_ERRORS, _count_and_replace)


def bom(head: bytes) -> tuple[str, int] | None:
    for mark, enc in _BOMS:
        if head.startswith(mark):
            return enc, len(mark)
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    sample = head[: len(head) & ~1]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= half * 0.3 and even <= half * 0.02:
        return "utf-16-le"
    if even >= half * 0.3 and odd <= half * 0.02:
        return "utf-16-be"
    return None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(head: bytes) -> bool:
    """UTF-8 with a few bad bytes: at least 4 of 5 non-ASCII sequences are valid."""
    text = head.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - bad
    return valid >= 4 * bad


def detect(head: bytes) -> tuple[str, int]:
    """(Python codec name, BOM length to skip) for a stream starting with ``head``."""
    found = bom(head)
    if found:
        return found
    wide = _utf16_without_bom(head)
    if wide:
        return wide, 0
    if _decodes(head, "utf-8") or _mostly_utf8(head):
        return "utf-8", 0
    sample = head[:32768]
    if b"\n" in sample:  # never cut a multi-byte character: 0x0A is no trail byte
        sample = sample[: sample.rindex(b"\n") + 1]
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(sample, cp_isolation=["gb18030", "big5", "latin_1", "cp1252"]).best()
    except Exception:  # noqa: BLE001 - detection is best effort; fall back below
        best = None
    if best is not None and best.encoding in _CN_NAMES:
        return _CN_NAMES[best.encoding], 0
    for enc in ("gb18030", "big5hkscs"):
        if _decodes(sample, enc):
            return enc, 0
    return "latin-1", 0


def looks_binary(head: bytes) -> bool:
    """True for heads that are no text in any supported encoding (NUL-heavy, controls)."""
    if not head or bom(head) or _utf16_without_bom(head):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL))
    return head.count(0) * 100 > len(head) or controls * 20 > len(head)


class DecodedReader:
    """Decode a binary stream in bounded pieces. ``errors`` counts undecodable bytes,
    ``bytes_read`` counts raw bytes consumed. Reads never return more than asked for."""

    def __init__(self, raw: BinaryIO, encoding: str | None = None, prefix: bytes = b""):
        self._raw = raw
        known = getattr(raw, "known_encoding", None) if encoding is None else None
        if known is not None:  # a part of a split file: the file's encoding, its BOM at byte 0 only
            encoding, skip = known
            self.bytes_read = len(raw.read(skip)) if skip else 0
        elif encoding is None:
            while len(prefix) < HEAD_BYTES:
                more = raw.read(HEAD_BYTES - len(prefix))
                if not more:
                    break
                prefix += more
            encoding, skip = detect(prefix)
            self.bytes_read = len(prefix)
            prefix = prefix[skip:]
        else:
            self.bytes_read = len(prefix)
        self.encoding = encoding
        self.errors = 0
        self._dec = codecs.getincrementaldecoder(encoding)(_ERRORS)
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._pending = prefix
        self.failure: Exception | None = None  # see read(keep_on_error=True)

    def _decode(self, data: bytes, final: bool) -> str:
        _state.reader = self
        try:
            return self._dec.decode(data, final)
        finally:
            _state.reader = None

    def _fill(self) -> bool:
        """Append decoded text to the buffer; False at end of stream."""
        if self._eof:
            return False
        if self._pending:
            data, self._pending = self._pending, b""
        else:
            # read1: one underlying read at most, so a stream that fails (a cap) fails on
            # a call that has nothing else to give, and what came before is kept
            data = getattr(self._raw, "read1", self._raw.read)(READ_BYTES)
            self.bytes_read += len(data)
        text = self._decode(data, final=not data)
        if not data:
            self._eof = True
        self._buf = self._buf[self._pos :] + text
        self._pos = 0
        return True

    def read(self, n: int, keep_on_error: bool = False) -> str:
        """Up to ``n`` characters; fewer only at end of stream. ``keep_on_error``: when the
        stream fails (a size cap) after some characters were read, return those and keep
        the error in ``failure`` for the caller to raise once it has used them."""
        parts: list[str] = []
        want = n
        while want > 0:
            try:
                more = self._pos < len(self._buf) or self._fill()
            except Exception as exc:
                if not (keep_on_error and parts):
                    raise
                self.failure = exc
                break
            if not more:
                break
            piece = self._buf[self._pos : self._pos + want]
            self._pos += len(piece)
            want -= len(piece)
            parts.append(piece)
        return "".join(parts)

    def readline(self, limit: int) -> str:
        """One line with its terminator (\\n, \\r\\n or \\r), at most ``limit`` characters:
        a result of ``limit`` characters without a terminator means the line goes on."""
        parts: list[str] = []
        want = limit
        while want > 0:
            if self._pos >= len(self._buf) and not self._fill():
                break
            buf, start = self._buf, self._pos
            end = min(len(buf), start + want)
            m = _NEWLINE.search(buf, start, end)
            if m is None:
                parts.append(buf[start:end])
                want -= end - start
                self._pos = end
                continue
            stop = m.end()
            if buf[m.start()] == "\r":
                if stop == len(buf) and not self._eof and stop < start + want:
                    self._fill()  # need one more character to see a \r\n pair
                    continue
                if stop < len(buf) and buf[stop] == "\n" and stop < start + want:
                    stop += 1
            parts.append(buf[start:stop])
            self._pos = stop
            break
        return "".join(parts)


class Utf8Reader:
    """A binary file-like view of a DecodedReader, re-encoded as UTF-8 (for ijson)."""

    def __init__(self, text: DecodedReader):
        self.text = text

    def read(self, n: int = READ_BYTES) -> bytes:
        if n == 0:
            return b""
        return self.text.read(max(n // 4, 1024) if n > 0 else READ_BYTES).encode("utf-8")
