import pytest
from hypothesis import given, strategies as st

from spillguard.masking import MAX_REVEALED, mask


@pytest.mark.parametrize("value,entity,expected", [
    ("11010519491231002X", "CN_RESIDENT_ID", "110************02X"),
    ("+8613912345678", "PHONE_NUMBER", "+86*********78"),
    ("张伟", "PERSON_NAME", "**"),
    ("anna@example.org", "EMAIL_ADDRESS", "an**@*******.*rg"),
    ("0.1,0.2", "FACE_EMBEDDING", "[hidden]"),
])
def test_when_value_is_masked_then_only_the_ends_show(value, entity, expected):
    assert mask(value, entity) == expected


@given(st.text(min_size=0, max_size=200))
def test_when_any_text_is_masked_then_at_most_six_characters_are_revealed(value):
    masked = mask(value, "CN_RESIDENT_ID")
    revealed = sum(1 for a, b in zip(value, masked) if a == b and a.isalnum())
    assert revealed <= MAX_REVEALED


@given(st.from_regex(r"[1-6][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9])[0-9]{3}[0-9X]", fullmatch=True))
def test_when_resident_id_is_masked_then_birth_date_is_hidden(value):
    assert "*" * 8 in mask(value, "CN_RESIDENT_ID")[6:14] or mask(value, "CN_RESIDENT_ID")[6:14] == "********"
