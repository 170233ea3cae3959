"""Distinct counting in bounded memory.

Values arrive as 16-byte keyed digests (HMAC), already uniformly distributed. Up to
``EXACT_LIMIT`` digests are kept in a set and counted exactly; past that the counter
switches to HyperLogLog (Flajolet et al. 2007) with 2^14 one-byte registers (16 KiB),
whose standard error is 1.04 / sqrt(2^14) ≈ 0.8 %. Memory per counter is therefore at
most the exact set (~2 MB) or 16 KiB, whatever the number of values.
"""

from __future__ import annotations

import math

import numpy as np

EXACT_LIMIT = 20_000
P = 14
M = 1 << P
ALPHA = 0.7213 / (1 + 1.079 / M)
STD_ERROR = 1.04 / math.sqrt(M)


class DistinctCounter:
    __slots__ = ("_exact", "_registers")

    def __init__(self) -> None:
        self._exact: set[bytes] | None = set()
        self._registers: bytearray | None = None

    def add(self, digest: bytes) -> bool:
        """Add one digest; True when it was (as far as is known) not seen before."""
        if self._exact is not None:
            if digest in self._exact:
                return False
            self._exact.add(digest)
            if len(self._exact) > EXACT_LIMIT:
                self._to_sketch()
            return True
        return self._sketch_add(digest)

    def add_all(self, digests: list[bytes], flags: bool = True) -> tuple[list[bool], int]:
        """``add`` for each digest in order: whether each was new, and the index of the first
        digest after whose add the counter is estimated (``len(digests)`` if it stays exact).
        ``flags=False``: the caller needs neither, and a sketch takes the whole list at
        once (the same registers)."""
        exact, n = self._exact, len(digests)
        if exact is not None and len(exact) + n <= EXACT_LIMIT:  # cannot switch to the sketch
            new = []
            for d in digests:
                if d in exact:
                    new.append(False)
                else:
                    exact.add(d)
                    new.append(True)
            return new, n
        if exact is None and not flags:
            self._sketch_add_all(digests)
            return [], 0
        new, estimated_from = [], n
        for i, d in enumerate(digests):
            new.append(self.add(d))
            if estimated_from == n and self._exact is None:
                estimated_from = i
        return new, estimated_from

    def _sketch_add_all(self, digests: list[bytes]) -> None:
        """``_sketch_add`` for every digest, in NumPy: the register index is the top P bits,
        the rank the leading zeros of the rest plus one. The rest has its low P bits zero,
        so at most 64 - P = 50 significant bits: a float64 holds it exactly, and frexp's
        exponent is its bit length."""
        if not digests:
            return
        x = np.frombuffer(b"".join(d[:8] for d in digests), dtype=">u8").astype(np.uint64)
        index = (x >> np.uint64(64 - P)).astype(np.int64)
        rest = x << np.uint64(P)  # wraps at 64 bits, as the Python mask does
        bits = np.frexp(rest.astype(np.float64))[1]
        rank = np.where(rest == 0, 64 - P + 1, 65 - bits).astype(np.uint8)
        regs = np.frombuffer(self._registers, dtype=np.uint8)  # a view: updated in place
        np.maximum.at(regs, index, rank)

    def _to_sketch(self) -> None:
        exact, self._exact = self._exact or set(), None
        self._registers = bytearray(M)
        for d in exact:
            self._sketch_add(d)

    def _sketch_add(self, digest: bytes) -> bool:
        x = int.from_bytes(digest[:8], "big")
        index = x >> (64 - P)
        rest = (x << P) & ((1 << 64) - 1)
        rank = (64 - P + 1) if rest == 0 else (65 - rest.bit_length())
        regs = self._registers
        if rank > regs[index]:
            regs[index] = rank
            return True
        return False

    def merge(self, other: "DistinctCounter") -> "DistinctCounter":
        """A new counter over the union of both (same key and entity, so equal values
        have equal digests: a person in two fields or stores is counted once)."""
        out = DistinctCounter()
        out.absorb(self)
        out.absorb(other)
        return out

    def absorb(self, other: "DistinctCounter") -> None:
        """Add ``other``'s values to this counter in place (``merge`` without the copy, for
        running totals)."""
        if self._exact is not None and other._exact is not None:
            self._exact |= other._exact
            if len(self._exact) > EXACT_LIMIT:
                self._to_sketch()
            return
        if self._exact is not None:
            self._to_sketch()
        if other._exact is not None:
            for d in other._exact:
                self._sketch_add(d)
        else:
            self._registers = bytearray(map(max, self._registers, other._registers))

    @property
    def estimated(self) -> bool:
        return self._exact is None

    def count(self) -> int:
        if self._exact is not None:
            return len(self._exact)
        regs = self._registers
        raw = ALPHA * M * M / sum(2.0 ** -r for r in regs)
        zeros = regs.count(0)
        if raw <= 2.5 * M and zeros:
            return round(M * math.log(M / zeros))  # linear counting for small cardinalities
        return round(raw)
