"""Every registered detector keeps its own promises: its positive examples are found by
the full pipeline (all detectors competing, overlap resolution, field confidence) and its
negative examples are not."""

import pytest

from spillguard.detectors import registry
from spillguard.entities import ENTITIES
from tests.pipeline import entities, scan_column, scan_text

DETECTORS = registry()


def _cases(kind: str):
    for det in DETECTORS:
        for i, ex in enumerate(det.positives if kind == "pos" else det.negatives):
            yield pytest.param(det, ex, id=f"{det.id}-{kind}{i}")


def _found(det, ex) -> set[str]:
    if ex.field is None:
        return entities(scan_text(str(ex.value)))
    return entities(scan_column(ex.field, [ex.value], ex.siblings), ex.field)


def test_when_registry_is_loaded_then_ids_are_unique_and_entities_canonical():
    assert len(DETECTORS) >= 25
    ids = [d.id for d in DETECTORS]
    assert len(ids) == len(set(ids))
    for d in DETECTORS:
        assert d.entity in ENTITIES, d.id
        assert d.description.strip(), d.id
        assert len(d.positives) >= 2 and len(d.negatives) >= 2, d.id


def test_when_entities_are_listed_then_each_issue_entity_has_a_detector():
    required = {
        "CN_RESIDENT_ID", "HK_ID", "TW_ID", "US_SSN", "PASSPORT_MRZ", "PERSON_NAME", "DATE_OF_BIRTH",
        "PHONE_NUMBER", "EMAIL_ADDRESS", "ADDRESS", "IMEI", "IMSI", "MAC_ADDRESS", "IP_ADDRESS",
        "LICENSE_PLATE", "CREDIT_CARD", "IBAN", "GEO_COORDINATES", "FACE_EMBEDDING",
        "POLITICAL_AFFILIATION", "RELIGION", "ETHNICITY", "HEALTH", "AGE", "GENDER", "MARITAL_STATUS",
    }
    assert required <= {d.entity for d in DETECTORS}


@pytest.mark.parametrize("det,ex", list(_cases("pos")))
def test_when_positive_example_is_scanned_then_its_entity_is_found(det, ex):
    assert det.entity in _found(det, ex)


@pytest.mark.parametrize("det,ex", list(_cases("neg")))
def test_when_negative_example_is_scanned_then_its_entity_is_not_found(det, ex):
    assert det.entity not in _found(det, ex)


def test_hits_and_verdicts_stay_frozen_values_with_their_own_init():
    """Hit and Verdict set their fields in one step (base.py), and are still what the
    dataclass made them: frozen, compared and hashed by value, copied by replace()."""
    import dataclasses

    from spillguard.detectors.base import Hit, Verdict

    hit = Hit(3, 1, 5, "v", 0.9, "r")
    assert (hit.row, hit.start, hit.end, hit.value, hit.score, hit.reason, hit.entity) == (3, 1, 5, "v", 0.9, "r", "")
    assert hit == Hit(3, 1, 5, "v", 0.9, "r", "") and hash(hit) == hash(Hit(3, 1, 5, "v", 0.9, "r"))
    assert hit != Hit(3, 1, 5, "v", 0.9, "r", "PHONE_NUMBER")
    assert dataclasses.replace(hit, score=0.5) == Hit(3, 1, 5, "v", 0.5, "r")
    assert Hit(row=1, start=0, end=1, value="x", score=1.0, reason="k", entity="E").entity == "E"
    verdict = Verdict("v", 0.8, "why")
    assert dataclasses.astuple(verdict) == ("v", 0.8, "why") and verdict == Verdict("v", 0.8, "why")
    for obj, name in ((hit, "score"), (verdict, "value")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, 0)
