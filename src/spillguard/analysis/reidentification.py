"""Re-identification risk of one structured container from its quasi-identifiers.

Birth date or age, gender, address (region / compound / building as stored), ethnicity
and marital status are harmless one by one and identifying together (Sweeney: ZIP code,
sex and birth date single out most Americans). Over the value-free record sample this
groups records by the tuple of keyed digests of those fields — equal values, equal
digests — and reports k-anonymity: the share of records alone in their group, the
smallest group, the share in groups of at least K. Values are taken as stored, without
generalisation, so the result is the risk of the data as exported. Counts, shares and
field names only.
"""

from __future__ import annotations

from collections import Counter

from spillguard.detectors.context import name_matches
from spillguard.models import Finding
from spillguard.scanning.records import RecordSample

QI_ENTITIES = ("AGE", "DATE_OF_BIRTH", "GENDER", "ADDRESS", "ETHNICITY", "MARITAL_STATUS")
# Fields named like a region or a place of residence that no detector reports as ADDRESS.
QI_NAMES = ("region", "xzqh", "区划", "community", "社区", "小区", "xqmc", "building", "楼栋", "楼号", "ldh")
K = 5


def reidentification(sample: RecordSample, findings: list[Finding]) -> dict:
    """k-anonymity over the sampled records; {} with fewer than two quasi-identifiers."""
    by_field: dict[str, set[str]] = {}
    for f in findings:
        if f.field in sample.digests:
            by_field.setdefault(f.field, set()).add(f.entity)
    qis = [
        f for f in sample.fields
        if by_field.get(f, set()) & set(QI_ENTITIES)
        or (f not in by_field and name_matches(f, QI_NAMES))
    ]
    if len(qis) < 2:
        return {}
    cols = [sample.digests[f] for f in qis]
    rows = [r for r in zip(*cols) if any(r)]  # records with every QI empty say nothing
    if not rows:
        return {}
    sizes = Counter(rows)
    n = len(rows)
    return {
        "quasi_identifiers": qis,
        "records": n,
        "unique_share": round(sum(1 for r in rows if sizes[r] == 1) / n, 4),
        "k_min": min(sizes.values()),
        f"share_k_ge_{K}": round(sum(1 for r in rows if sizes[r] >= K) / n, 4),
        "method": f"k-anonymity on {n} sampled records, values as stored (no generalisation); "
                  "equality of keyed digests",
    }
