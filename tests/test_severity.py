import pytest

from spillguard.severity import at_or_above, severity


@pytest.mark.parametrize("entity,distinct,records,expected", [
    ("POLITICAL_AFFILIATION", 5, 400, "critical"),  # five statuses, 400 people
    ("FACE_EMBEDDING", 1500, 1500, "critical"),
    ("FACE_EMBEDDING", 3, 3, "medium"),
    ("CN_RESIDENT_ID", 482, 482, "high"),
    ("CN_RESIDENT_ID", 1000, 1000, "critical"),
    ("CN_RESIDENT_ID", 2, 2, "medium"),
    ("EMAIL_ADDRESS", 3, 3, "low"),
    ("EMAIL_ADDRESS", 5000, 5000, "high"),
    ("GENDER", 2, 400, "low"),
    ("GENDER", 2, 4, "info"),
])
def test_severity_table(entity, distinct, records, expected):
    assert severity(entity, distinct, records) == expected


@pytest.mark.parametrize("sev,threshold,expected", [
    ("critical", "high", True), ("high", "high", True), ("medium", "high", False),
    ("low", "low", True), ("info", "low", False), ("critical", "never", False),
])
def test_at_or_above(sev, threshold, expected):
    assert at_or_above(sev, threshold) is expected
