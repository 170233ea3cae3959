"""The interim severity table: entity tier x how many people/records.

The full risk model (reach x sensitivity x people x re-identifiability) replaces this in
a later issue; until then severity depends only on what was found and how much.

  tier (see entities.py)         >= 1000     >= 100     >= 10      < 10
  3 biometric, special category  critical    critical   high       medium
  2 strong ids, device, plates   critical    high       high       medium
  1 contact, names, birth dates  high        medium     medium     low
  0 quasi-identifiers            low         low        low        info

"How many" is the distinct count of values for identifiers, contacts, devices and
biometrics (roughly, people) and the number of records for special categories and
quasi-identifiers (a Party-membership column has five distinct values but describes
every record).
"""

from __future__ import annotations

from spillguard.entities import entity as entity_meta
from spillguard.models import SEVERITIES

_TABLE = {
    3: ("critical", "critical", "high", "medium"),
    2: ("critical", "high", "high", "medium"),
    1: ("high", "medium", "medium", "low"),
    0: ("low", "low", "low", "info"),
}
_BANDS = (1000, 100, 10)
_PER_RECORD = {"special_category", "quasi_identifier"}


def severity(entity: str, distinct: int, records: int) -> str:
    meta = entity_meta(entity)
    tier = meta.tier
    amount = records if meta.category in _PER_RECORD else max(distinct, 1)
    row = _TABLE[tier]
    for i, band in enumerate(_BANDS):
        if amount >= band:
            return row[i]
    return row[3]


def at_or_above(sev: str, threshold: str) -> bool:
    """True when ``sev`` is at least as bad as ``threshold`` ('never' matches nothing)."""
    if threshold == "never":
        return False
    return SEVERITIES.index(sev) <= SEVERITIES.index(threshold)
