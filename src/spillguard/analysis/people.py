"""How many distinct people a container, a target and the whole scan expose, and what
their resident ID numbers reveal about them as a group.

People are counted from strong identifiers only: entities that stand for one person
each (``IDENTIFIER_ENTITIES``). Their values arrive here as per-entity
``DistinctCounter``s of keyed digests, already the union over the container's fields;
merging counters of equal entities across containers counts a person found in two
stores once. Different entities are never added up: one person's ID number, phone and
e-mail would be three. The estimate is the largest distinct count among them, a lower
bound when different people are known by different kinds of identifier.

``Demographics`` reads sex, birth date (age band, minors under 14) and birthplace
province from valid PRC resident ID numbers. It keeps no value: each number becomes a
16-byte digest (so a number seen in two fields or two containers is counted once) and
lands in a few counters per attribute. Only counts leave this module. The digest key is
random per process until a scan sets one derived from its fingerprint key
(``use_key``): then every worker of a scan digests alike and the same data gives the
same estimates in every run.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from spillguard.models import Coverage, People
from spillguard.scanning.distinct import STD_ERROR, DistinctCounter
from spillguard.validators import cn_ric

# Order matters: the first listed wins a tie for the basis of an estimate.
_IDENTIFIER_ORDER = (
    "CN_RESIDENT_ID", "HK_ID", "TW_ID", "US_SSN", "PASSPORT_MRZ",
    "PHONE_NUMBER", "EMAIL_ADDRESS", "IMEI", "IMSI", "MAC_ADDRESS",
)
IDENTIFIER_ENTITIES: frozenset[str] = frozenset(_IDENTIFIER_ORDER)

AGE_BANDS = (("0-13", 0), ("14-17", 14), ("18-29", 18), ("30-44", 30), ("45-59", 45), ("60+", 60))
MINOR_BAND = "0-13"  # PIPL Art. 28: personal information of minors under 14 is sensitive
_SOURCE = "CN_RESIDENT_ID"

# Digests for de-duplication only, in memory; the key is never written.
_PROCESS_KEY = secrets.token_bytes(32)


def use_key(key: bytes) -> None:
    """Digest resident IDs under ``key`` from now on (a scan's, see Keyed.derived)."""
    global _PROCESS_KEY
    _PROCESS_KEY = key


def _digest(number: str) -> bytes:
    return hashlib.blake2b(number.encode("ascii"), key=_PROCESS_KEY, digest_size=16).digest()


def _age(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _band(age: int) -> str:
    name = AGE_BANDS[0][0]
    for label, low in AGE_BANDS:
        if age >= low:
            name = label
    return name


class Demographics:
    """Sex, age bands, minors and birthplace provinces of the people whose resident ID
    numbers a container holds. Counts only, de-duplicated by keyed digest.

    ``today`` fixes the date ages are computed at (default: the day of construction).
    """

    __slots__ = ("today", "_ids", "_buckets")

    def __init__(self, today: datetime.date | None = None) -> None:
        self.today = today or datetime.date.today()
        self._ids = DistinctCounter()
        self._buckets: dict[tuple[str, str], DistinctCounter] = {}

    def add(self, entity: str, value: str) -> None:
        """Count one identifier value (normalised, in memory only; never kept). Anything
        but a valid CN resident ID number is ignored."""
        if entity != _SOURCE or not isinstance(value, str):
            return
        ric = cn_ric.validate(value, today=self.today)
        if ric is None:
            return
        d = _digest(ric.number)
        self._ids.add(d)
        # Every counter sees every value: in HyperLogLog mode "not new" is not certain.
        self._bucket("sex", ric.sex).add(d)
        self._bucket("age", _band(_age(ric.birth_date, self.today))).add(d)
        if ric.foreign:
            self._bucket("foreign", "").add(d)
        else:
            self._bucket("province", ric.number[:2]).add(d)

    def _bucket(self, kind: str, name: str) -> DistinctCounter:
        c = self._buckets.get((kind, name))
        if c is None:
            c = self._buckets[(kind, name)] = DistinctCounter()
        return c

    def merge(self, other: "Demographics") -> "Demographics":
        """A new Demographics over both (a number in both is counted once)."""
        out = Demographics(self.today)
        out.absorb(self)
        out.absorb(other)
        return out

    def absorb(self, other: "Demographics") -> None:
        """Add ``other``'s people to these counters in place (as ``merge`` does)."""
        self._ids.absorb(other._ids)
        for (kind, name), c in other._buckets.items():
            self._bucket(kind, name).absorb(c)

    def _count(self, kind: str, name: str) -> int:
        c = self._buckets.get((kind, name))
        return c.count() if c is not None else 0

    @property
    def estimated(self) -> bool:
        return self._ids.estimated

    def as_dict(self) -> dict[str, Any]:
        """Aggregates only ({} when no valid resident ID was seen)."""
        ids = self._ids.count()
        if not ids:
            return {}
        bands = {label: self._count("age", label) for label, _ in AGE_BANDS}
        minors = bands[MINOR_BAND]
        provinces = {
            name: c.count() for (kind, name), c in self._buckets.items() if kind == "province"
        }
        provinces = dict(sorted(provinces.items(), key=lambda kv: (-kv[1], kv[0])))
        about = "about " if self.estimated else ""
        summary = f"IDs reveal sex and age of {about}{ids} people"
        if minors:
            summary += f"; {minors} are under 14"
        out: dict[str, Any] = {
            "from": _SOURCE,
            "ids": ids,
            "male": self._count("sex", "M"),
            "female": self._count("sex", "F"),
            "age_bands": bands,
            "under_14": minors,
            "provinces": provinces,
        }
        foreign = self._count("foreign", "")
        if foreign:
            out["foreign_permanent_residents"] = foreign
        if self.estimated:
            out["estimated"] = f"HyperLogLog, standard error ±{STD_ERROR:.1%}"
        out["summary"] = summary
        return out


@dataclass
class ContainerPeople:
    """What the engine hands over per container."""

    row: Coverage  # target, path, container
    identifiers: dict[str, DistinctCounter]  # per identifier entity, union over fields
    demographics: Demographics


def _absorb_counters(into: dict[str, DistinctCounter], counters: dict[str, DistinctCounter]) -> None:
    for entity, c in counters.items():
        if entity in IDENTIFIER_ENTITIES:
            into.setdefault(entity, DistinctCounter()).absorb(c)


def _block(
    scope: str, row: Coverage | None, target: str | None,
    counters: dict[str, DistinctCounter], demographics: Demographics, containers: int,
) -> People:
    counts = {
        e: n for e in _IDENTIFIER_ORDER
        if e in counters and (n := counters[e].count()) > 0
    }
    if not counts:
        basis, estimate, method = None, 0, "no strong identifier found: people not counted"
    else:
        basis = max(counts, key=lambda e: (counts[e], -_IDENTIFIER_ORDER.index(e)))
        estimate = counts[basis]
        method = (
            f"largest distinct count among strong identifiers ({basis}); identifiers of one "
            "person (ID, phone, e-mail) are not added up, so this is a lower bound when "
            "different people are known by different identifiers"
        )
        if scope != "container":
            plural = "s" if containers != 1 else ""
            method += f"; keyed digests merged across {containers} container{plural}, each person once"
        if counters[basis].estimated:
            method += f"; estimated with HyperLogLog, standard error ±{STD_ERROR:.1%}"
    return People(
        scope=scope,
        target=target,
        path=row.path if row is not None else None,
        container=row.container if row is not None else None,
        estimate=estimate,
        basis=basis,
        method=method,
        by_entity=dict(sorted(counts.items())),
        derived=demographics.as_dict(),
    )


def _has_identifiers(counters: dict[str, DistinctCounter]) -> bool:
    return any(e in IDENTIFIER_ENTITIES and c.count() > 0 for e, c in counters.items())


@dataclass
class _Target:
    """A target's running people counters, and the blocks of its containers."""

    counters: dict[str, DistinctCounter] = field(default_factory=dict)
    demographics: Demographics = field(default_factory=Demographics)
    containers: int = 0
    blocks: list[People] = field(default_factory=list)


class PeopleTally:
    """The people blocks of a scan, folded in one container at a time: it keeps one
    running set of counters per target (and counts only per container), so a scan of
    thousands of files or tables holds no per-container counters."""

    def __init__(self) -> None:
        self._targets: dict[str, _Target] = {}  # in order of first appearance
        self._n = 0

    def add(self, c: ContainerPeople) -> None:
        t = self._targets.setdefault(c.row.target, _Target())
        _absorb_counters(t.counters, c.identifiers)
        t.demographics.absorb(c.demographics)
        t.containers += 1
        self._n += 1
        if _has_identifiers(c.identifiers):
            own: dict[str, DistinctCounter] = {}
            _absorb_counters(own, c.identifiers)
            t.blocks.append(_block("container", c.row, c.row.target, own, c.demographics, 1))

    def blocks(self) -> list[People]:
        """One People for the whole scan (always), then one per target and one per
        container that holds strong identifiers. Targets in order of first appearance;
        containers grouped by target, sorted by path and container name."""
        scan_counters: dict[str, DistinctCounter] = {}
        scan_demographics = Demographics()
        target_blocks: list[People] = []
        container_blocks: list[People] = []
        for target, t in self._targets.items():
            if _has_identifiers(t.counters):
                target_blocks.append(_block("target", None, target, t.counters, t.demographics, t.containers))
            _absorb_counters(scan_counters, t.counters)
            scan_demographics.absorb(t.demographics)
            container_blocks += sorted(t.blocks, key=lambda p: (p.path or "", p.container or ""))
        scan = _block("scan", None, None, scan_counters, scan_demographics, self._n)
        return [scan, *target_blocks, *container_blocks]


def people_blocks(containers: list[ContainerPeople]) -> list[People]:
    """PeopleTally over a list (see there)."""
    tally = PeopleTally()
    for c in containers:
        tally.add(c)
    return tally.blocks()
