"""The risk model: one severity per container and per target.

    score = round(100 x reach x sensitivity x people x re-identifiability)

reach (from the exposure checks of the target, see ``reach_of``)
    exposed 1.0 | unknown 0.85 (a check failed: never treated as safe)
    not_checked 0.7 (no check exists for this kind of store, e.g. files) | not_exposed 0.6

sensitivity (the worst driver among the container's findings)
    1.0   biometric, location trace, surveillance log, minors under 14 (read from IDs)
    0.85  special category (political affiliation, religion, ethnicity, health)
          +0.15 (capped at 1.0) when it is joined to someone: identifiers, names,
          contact details, device ids, plates, cards, a trace or biometrics
    0.8   strong identifiers (ID numbers), device ids, plates, financial, coordinates
    0.45  contact details, names and birth dates, IP addresses
    0.2   quasi-identifiers only (age, gender, marital status)

people (log scale: 1 -> 0.46, 10 -> 0.61, 100 -> 0.8, 400 -> 0.92, >= 999 -> 1.0)
    min(1, 0.4 + 0.2 x log10(1 + n)); n = distinct people from strong identifiers,
    else the keys of a location trace, else the most records any finding covers

re-identifiability
    1.0 when the records carry a direct identifier (identified, not merely identifiable)
    else 0.85 + 0.15 x unique_share (k-anonymity over quasi-identifiers); 0.9 if unknown

severity: critical >= 75, high >= 50, medium >= 25, low >= 10, else info. A surveillance
log or minors under 14 raise the severity one band, and at least to high.

A target's risk is its worst container re-scored with the target's reach and its people
count (distinct across containers); it is never below any of its containers'.

Everything is a pure function of counts, categories and field names: no value, sample
or fingerprint reaches a Risk.
"""

from __future__ import annotations

import math
from typing import Any

from spillguard.entities import ENTITIES
from spillguard.models import SEVERITIES, Coverage, Exposure, Finding, Risk, Trace

REACH_FACTOR = {"exposed": 1.0, "unknown": 0.85, "not_checked": 0.7, "not_exposed": 0.6}

# Drivers of sensitivity, in the order they are reported.
DRIVER_LEVEL = {
    "biometric": 1.0,
    "special_category": 0.85,
    "identifier": 0.8,  # strong identifiers (tier 2): ID numbers, passports
    "trace": 1.0,
    "surveillance": 1.0,
    "minors": 1.0,
    "device": 0.8,
    "vehicle": 0.8,
    "financial": 0.8,
    "location": 0.8,
    "contact": 0.45,
    "names": 0.45,  # identifier category, tier 1: names, birth dates
    "network": 0.45,  # device category, tier 1: IP addresses
    "quasi_identifier": 0.2,
}
JOINED_BONUS = 0.15
# Drivers that point at a person: they join a special category to someone, and make the
# records identified outright (re-identifiability 1.0).
IDENTIFYING = frozenset(
    {"identifier", "names", "contact", "device", "vehicle", "financial", "biometric", "trace"}
)

BANDS = ((75, "critical"), (50, "high"), (25, "medium"), (10, "low"))
_BUMPERS = ("surveillance", "minors")

REACH_REASON = {
    "exposed": "open to anyone (exposed check)",
    "unknown": "reach unknown: a check failed or was denied (not treated as safe)",
    "not_checked": "reach not checked: no exposure check for this kind of store",
    "not_exposed": "closed: the exposure checks found no open access",
}

_LABEL = {
    "CN_RESIDENT_ID": "resident IDs", "HK_ID": "HK IDs", "TW_ID": "Taiwan IDs",
    "US_SSN": "SSNs", "PASSPORT_MRZ": "passport MRZs", "PERSON_NAME": "names",
    "DATE_OF_BIRTH": "birth dates", "PHONE_NUMBER": "phone numbers",
    "EMAIL_ADDRESS": "e-mail addresses", "ADDRESS": "addresses", "IMEI": "IMEIs",
    "IMSI": "IMSIs", "MAC_ADDRESS": "MAC addresses", "IP_ADDRESS": "IP addresses",
    "LICENSE_PLATE": "licence plates", "CREDIT_CARD": "card numbers", "IBAN": "IBANs",
    "GEO_COORDINATES": "coordinates", "LOCATION_TRACE": "location traces",
    "FACE_IMAGE": "face images", "FACE_EMBEDDING": "face embeddings",
    "FINGERPRINT_TEMPLATE": "fingerprints", "IRIS_TEMPLATE": "iris templates",
    "POLITICAL_AFFILIATION": "political affiliation",
    "RELIGION": "religion", "ETHNICITY": "ethnicity", "HEALTH": "health data",
    "AGE": "age", "GENDER": "gender", "MARITAL_STATUS": "marital status",
}
_CATALOGUE = list(ENTITIES)
_MAX_LABELS = 4


# ---- the table -------------------------------------------------------------------------

def reach_of(exposures: list[Exposure]) -> str:
    """exposed if any check found it open, else unknown if any check could not tell,
    else not_exposed; not_checked when no check ran."""
    statuses = {e.status for e in exposures}
    if not statuses:
        return "not_checked"
    for status in ("exposed", "unknown"):
        if status in statuses:
            return status
    return "not_exposed"


def driver(entity: str, category: str) -> str:
    """The sensitivity driver one finding contributes."""
    meta = ENTITIES.get(entity)
    tier = meta.tier if meta else (3 if category in ("biometric", "special_category") else 1)
    if entity == "LOCATION_TRACE":
        return "trace"
    if category in ("biometric", "special_category", "contact", "quasi_identifier"):
        return category
    if tier >= 2:
        return category if category in DRIVER_LEVEL else "identifier"
    if category == "device":
        return "network"
    return "names" if category == "identifier" else "contact"


def sensitivity(drivers: tuple[str, ...]) -> float:
    if not drivers:
        return 0.0
    level = max(DRIVER_LEVEL.get(d, DRIVER_LEVEL["contact"]) for d in drivers)
    if _joined(drivers):
        level = min(1.0, level + JOINED_BONUS)
    return level


def _joined(drivers: tuple[str, ...]) -> bool:
    return "special_category" in drivers and bool(IDENTIFYING & set(drivers))


def people_factor(n: int) -> float:
    return min(1.0, 0.4 + 0.2 * math.log10(1 + max(n, 0)))


def reidentification_factor(drivers: tuple[str, ...], reid: dict[str, Any]) -> float:
    if IDENTIFYING & set(drivers):
        return 1.0
    share = (reid or {}).get("unique_share")
    if not isinstance(share, (int, float)):
        return 0.9
    return 0.85 + 0.15 * min(1.0, max(0.0, float(share)))


def score(reach: str, drivers: tuple[str, ...], people: int, reid: dict[str, Any]) -> int:
    if reach not in REACH_FACTOR:
        raise ValueError(f"unknown reach {reach!r}; expected one of {', '.join(REACH_FACTOR)}")
    product = REACH_FACTOR[reach] * sensitivity(drivers) * people_factor(people)
    return round(100 * product * reidentification_factor(drivers, reid))


def band(points: int) -> str:
    for floor, name in BANDS:
        if points >= floor:
            return name
    return "info"


def severity(points: int, drivers: tuple[str, ...]) -> str:
    """The band of the score, raised one band (at least to high) by a surveillance log or
    minors."""
    sev = band(points)
    if any(d in drivers for d in _BUMPERS):
        i = max(0, SEVERITIES.index(sev) - 1)
        sev = SEVERITIES[min(i, SEVERITIES.index("high"))]
    return sev


def _worse(a: str, b: str) -> str:
    return a if SEVERITIES.index(a) <= SEVERITIES.index(b) else b


# ---- containers and targets ------------------------------------------------------------

def _drivers(findings: list[Finding], minors: int, trace: Trace | None) -> tuple[str, ...]:
    found = {driver(f.entity, f.category) for f in findings}
    # a trace drives sensitivity when it can single people out (>= 4 points per key) or is
    # a surveillance log; a hotel table where each guest appears twice is not whereabouts
    if trace is not None and (trace.keys_4_plus > 0 or trace.surveillance_log):
        found.add("trace")
        if trace.surveillance_log:
            found.add("surveillance")
    if minors > 0:
        found.add("minors")
    order = list(DRIVER_LEVEL)
    return tuple(sorted(found, key=lambda d: order.index(d) if d in order else len(order)))


def _label(entity: str) -> str:
    return _LABEL.get(entity, entity.lower().replace("_", " "))


def _content(findings: list[Finding]) -> str:
    def rank(entity: str, category: str) -> tuple:
        meta = ENTITIES.get(entity)
        tier = meta.tier if meta else 1
        first = 0 if category == "identifier" and tier >= 2 else 1 if tier >= 3 else 2
        pos = _CATALOGUE.index(entity) if entity in _CATALOGUE else len(_CATALOGUE)
        return (first, -tier, pos, entity)

    entities = sorted({(f.entity, f.category) for f in findings}, key=lambda ec: rank(*ec))
    labels = list(dict.fromkeys(_label(e) for e, _ in entities))
    text = " + ".join(labels[:_MAX_LABELS])
    if len(labels) > _MAX_LABELS:
        text += f" + {len(labels) - _MAX_LABELS} more"
    return text


def _reid_reason(drivers: tuple[str, ...], reid: dict[str, Any]) -> str:
    if IDENTIFYING & set(drivers):
        return "records carry direct identifiers"
    share = (reid or {}).get("unique_share")
    if isinstance(share, (int, float)):
        qis = ", ".join(str(q) for q in reid.get("quasi_identifiers", ())) or "quasi-identifiers"
        return f"{share:.0%} of records unique on {qis}"
    return "re-identifiability not measured"


def _bump_reason(drivers: tuple[str, ...], sev: str, points: int) -> str | None:
    if sev == band(points):
        return None
    why = " and ".join(
        w for d, w in (("surveillance", "surveillance log"), ("minors", "children under 14"))
        if d in drivers
    )
    return f"raised to {sev}: {why}"


def container_risk(
    row: Coverage, findings: list[Finding], people: int, minors: int,
    trace: Trace | None, reid: dict, reach: str,
) -> Risk | None:
    """The risk of one container; None when it has neither findings nor a trace."""
    if not findings and trace is None:
        return None
    drivers = _drivers(findings, minors, trace)
    reasons = [REACH_REASON[reach]] if reach in REACH_REASON else []
    content = _content(findings) or "location trace"
    if people > 0:
        n = people
        reasons.append(f"{content} of {n} people")
    elif trace is not None and trace.keys > 0:
        n = trace.keys
        reasons.append(f"{content} of {n} keys (people not counted from identifiers)")
    else:
        n = max((f.records for f in findings), default=0)
        reasons.append(f"{content} in {n} records (no strong identifier to count people)")
    if minors > 0:
        reasons.append(f"IDs show {minors} children under 14")
    if "trace" in drivers:
        what = f"surveillance log ({trace.kind}); " if trace.surveillance_log else ""
        reasons.append(f"{what}location trace: {trace.keys_4_plus} keys with ≥ 4 points")
    reasons.append(_reid_reason(drivers, reid))
    points = score(reach, drivers, n, reid)
    sev = severity(points, drivers)
    bump = _bump_reason(drivers, sev, points)
    if bump:
        reasons.append(bump)
    return Risk(
        scope="container", target=row.target, path=row.path, container=row.container,
        severity=sev, score=points, reach=reach, sensitivity=drivers, people=n,
        reidentification=reid, reasons=tuple(reasons),
    )


def target_risk(target: str, containers: list[Risk], people: int, reach: str) -> Risk:
    """The worst container re-scored with the target's reach and people count (never
    fewer than the container's own)."""
    if not containers:
        return Risk("target", target, None, None, "info", 0, reach, (), max(people, 0), {},
                    (REACH_REASON.get(reach, reach), "no personal data found"))
    best: tuple[int, int, int] | None = None
    worst = containers[0]
    for i, c in enumerate(containers):
        n = max(people, c.people)
        points = score(reach, c.sensitivity, n, c.reidentification)
        sev = _worse(severity(points, c.sensitivity), c.severity)
        key = (-SEVERITIES.index(sev), points, -i)
        if best is None or key > best:
            best, worst, w_points, w_sev, w_n = key, c, points, sev, n
    points = max(w_points, worst.score)
    name = worst.container or worst.path or "?"
    k = f"{len(containers)} container{'s' if len(containers) != 1 else ''}"
    serious = sum(1 for c in containers if SEVERITIES.index(c.severity) <= SEVERITIES.index("high"))
    reasons = [
        REACH_REASON.get(reach, reach),
        f"{people} people across {k} with personal data" if people > 0
        else f"{k} with personal data; no strong identifier to count people",
        f"worst: {name} ({worst.severity}, {worst.score})",
    ]
    if serious:
        reasons.append(f"{serious} of {k} high or worse")
    return Risk(
        scope="target", target=target, path=None, container=None, severity=w_sev,
        score=points, reach=reach, sensitivity=worst.sensitivity, people=w_n,
        reidentification=worst.reidentification, reasons=tuple(reasons),
    )
