import datetime
import json
import re

import pytest
from stdnum.cn.ric import calc_check_digit

from spillguard.analysis.people import (
    IDENTIFIER_ENTITIES, ContainerPeople, Demographics, people_blocks,
)
from spillguard.keys import Keyed
from spillguard.models import Coverage
from spillguard.scanning.distinct import STD_ERROR, DistinctCounter

TODAY = datetime.date(2024, 6, 1)
KEYED = Keyed(b"k" * 32)


def ric(region: str, born: str, seq: int) -> str:
    body = f"{region}{born}{seq:03d}"
    return body + calc_check_digit(body + "0")


# (number, band); odd sequence = male
PEOPLE = [
    (ric("650104", "20150101", 11), "0-13"),   # 9, male
    (ric("650104", "20100602", 12), "0-13"),   # 13, fourteenth birthday tomorrow, female
    (ric("650104", "20100601", 13), "14-17"),  # 14 today, male
    (ric("650104", "20000101", 14), "18-29"),  # female
    (ric("110101", "19900315", 15), "30-44"),  # male
    (ric("110101", "19700704", 16), "45-59"),  # female
    (ric("310101", "19500101", 17), "60+"),    # male
]


def _demographics(values, entity="CN_RESIDENT_ID") -> Demographics:
    d = Demographics(today=TODAY)
    for v in values:
        d.add(entity, v)
    return d


def test_demographics_from_valid_ids():
    d = _demographics([n for n, _ in PEOPLE]).as_dict()
    assert d["from"] == "CN_RESIDENT_ID" and d["ids"] == 7
    assert (d["male"], d["female"]) == (4, 3)
    assert d["age_bands"] == {"0-13": 2, "14-17": 1, "18-29": 1, "30-44": 1, "45-59": 1, "60+": 1}
    assert d["under_14"] == 2
    assert d["provinces"] == {"65": 4, "11": 2, "31": 1}
    assert d["summary"] == "IDs reveal sex and age of 7 people; 2 are under 14"


def test_under_14_is_relative_to_today():
    child = ric("650104", "20100602", 12)
    assert _demographics([child]).as_dict()["under_14"] == 1
    later = Demographics(today=datetime.date(2024, 6, 2))
    later.add("CN_RESIDENT_ID", child)
    assert later.as_dict()["under_14"] == 0 and later.as_dict()["age_bands"]["14-17"] == 1


def test_repeats_and_lowercase_x_count_once():
    n = next(x for s in range(1, 999) if (x := ric("110101", "19800101", s)).endswith("X"))
    d = _demographics([n, n, n.lower(), PEOPLE[0][0], PEOPLE[0][0]]).as_dict()
    assert d["ids"] == 2


@pytest.mark.parametrize("value", [
    PEOPLE[0][0][:-1] + ("0" if PEOPLE[0][0][-1] != "0" else "1"),  # wrong check character
    ric("990104", "19900101", 11),  # no such province
    ric("650104", "20250101", 11),  # born after today
    ric("650104", "19900230", 11),  # no such date
    "not an id", "", "1" * 18,
])
def test_invalid_values_are_ignored(value):
    assert _demographics([value]).as_dict() == {}


def test_other_entities_are_ignored():
    assert _demographics(["13123456789"], "PHONE_NUMBER").as_dict() == {}
    assert _demographics([PEOPLE[0][0]], "PHONE_NUMBER").as_dict() == {}


def test_as_dict_contains_no_id_or_part_of_one():
    numbers = [n for n, _ in PEOPLE]
    text = json.dumps(_demographics(numbers).as_dict(), ensure_ascii=False)
    assert not re.search(r"\d{4,}", text)
    assert not any(n in text or n[6:14] in text for n in numbers)


def test_demographics_merge_counts_a_person_once():
    a = _demographics([n for n, _ in PEOPLE[:4]])
    b = _demographics([n for n, _ in PEOPLE[2:]])
    merged = a.merge(b).as_dict()
    assert merged["ids"] == 7 and merged["under_14"] == 2
    assert merged == _demographics([n for n, _ in PEOPLE]).as_dict()
    assert a.as_dict()["ids"] == 4  # merge leaves its inputs alone


# ---- people_blocks ------------------------------------------------------------------------

def _counter(entity: str, values) -> DistinctCounter:
    c = DistinctCounter()
    for v in values:
        c.add(KEYED.value_hash(entity, v))
    return c


def _container(target: str, name: str, **values) -> ContainerPeople:
    ids = {e: _counter(e, v) for e, v in values.items()}
    demo = _demographics(values.get("CN_RESIDENT_ID", ()))
    return ContainerPeople(Coverage(target, None, name), ids, demo)


def test_identifier_entities():
    assert IDENTIFIER_ENTITIES == {
        "CN_RESIDENT_ID", "HK_ID", "TW_ID", "US_SSN", "PASSPORT_MRZ",
        "PHONE_NUMBER", "EMAIL_ADDRESS", "IMEI", "IMSI", "MAC_ADDRESS",
    }


def test_blocks_merge_scopes_and_keep_order():
    n = [p for p, _ in PEOPLE]
    blocks = people_blocks([
        _container("t1", "b", CN_RESIDENT_ID=n[0:3]),
        _container("t1", "a", CN_RESIDENT_ID=n[2:5]),  # n[2] in both containers
        _container("t1", "empty"),
        _container("t2", "c", CN_RESIDENT_ID=n[4:7]),  # n[4] in both targets
    ])
    assert [(b.scope, b.target, b.container) for b in blocks] == [
        ("scan", None, None), ("target", "t1", None), ("target", "t2", None),
        ("container", "t1", "a"), ("container", "t1", "b"), ("container", "t2", "c"),
    ]
    scan, t1, t2, a, b, c = blocks
    assert (a.estimate, b.estimate, c.estimate) == (3, 3, 3)
    assert t1.estimate == 5 and t2.estimate == 3 and scan.estimate == 7
    assert t1.derived["ids"] == 5 and scan.derived["ids"] == 7 and scan.derived["under_14"] == 2
    assert all(x.basis == "CN_RESIDENT_ID" for x in blocks)
    assert t1.path is None and scan.path is None


def test_a_phone_and_an_id_of_one_person_are_one_person():
    n = [p for p, _ in PEOPLE]
    blocks = people_blocks([
        _container("t", "guests", CN_RESIDENT_ID=n[:3], PHONE_NUMBER=["13100000001", "13100000002"]),
        _container("t", "contacts", EMAIL_ADDRESS=["a@x.cn", "b@x.cn", "c@x.cn", "d@x.cn"]),
    ])
    scan = blocks[0]
    assert scan.by_entity == {"CN_RESIDENT_ID": 3, "EMAIL_ADDRESS": 4, "PHONE_NUMBER": 2}
    assert scan.estimate == 4 and scan.basis == "EMAIL_ADDRESS"
    guests = next(b for b in blocks if b.container == "guests")
    assert guests.estimate == 3 and guests.basis == "CN_RESIDENT_ID"
    assert "not added up" in guests.method


def test_ties_prefer_resident_ids():
    blocks = people_blocks([_container("t", "x", PHONE_NUMBER=["13100000001"], CN_RESIDENT_ID=[PEOPLE[0][0]])])
    assert blocks[0].basis == "CN_RESIDENT_ID" and blocks[0].estimate == 1


def test_no_identifiers_gives_only_an_empty_scan_block():
    blocks = people_blocks([_container("t", "x")])
    assert len(blocks) == 1
    assert blocks[0].scope == "scan" and blocks[0].estimate == 0 and blocks[0].basis is None
    assert blocks[0].by_entity == {} and blocks[0].derived == {}
    assert people_blocks([])[0].estimate == 0


def test_hyperloglog_path_is_within_four_standard_errors():
    a = _container("t", "a", PHONE_NUMBER=(f"p{i}" for i in range(0, 15_000)))
    b = _container("t", "b", PHONE_NUMBER=(f"p{i}" for i in range(10_000, 25_000)))
    scan, target, ca, cb = people_blocks([a, b])
    assert ca.estimate == 15_000 and "HyperLogLog" not in ca.method
    true = 25_000
    for block in (scan, target):
        assert abs(block.estimate - true) / true < 4 * STD_ERROR
        assert "HyperLogLog" in block.method and f"±{STD_ERROR:.1%}" in block.method


def test_nothing_raw_in_blocks():
    n = [p for p, _ in PEOPLE]
    blocks = people_blocks([_container("t", "x", CN_RESIDENT_ID=n, EMAIL_ADDRESS=["someone@x.cn"])])
    text = repr(blocks)
    assert "someone@x.cn" not in text and not any(p in text for p in n)
    assert not re.search(r"\d{6,}", json.dumps([b.derived for b in blocks]))


def test_resident_id_demographics_past_the_exact_limit_are_the_same_in_every_run(tmp_path, monkeypatch):
    """The demographics digest key is derived from the scan's key: two runs over the same
    25,000 IDs (HyperLogLog past 20,000) give the same estimates, a run under another
    key may differ only within the estimate's error."""
    import dataclasses
    import datetime
    import random
    import secrets

    from spillguard import Settings, scan

    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    rng = random.Random(3)
    lines = []
    for _ in range(25_000):
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(25_000))
        body = f"{rng.choice(['110105', '310115', '440305', '650102'])}{born:%Y%m%d}{rng.randrange(1000):03d}"
        lines.append("身份证号 " + body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11])
    path = tmp_path / "ids.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    from spillguard.analysis import people as people_module

    def people(key: str) -> list:
        monkeypatch.setenv("SPILLGUARD_KEY", key)
        # what a new process starts with: a random key of its own, until the scan sets one
        monkeypatch.setattr(people_module, "_PROCESS_KEY", secrets.token_bytes(32))
        return [dataclasses.asdict(p) for p in scan(Settings([str(path)], sample_size=0, run_checks=False)).people]

    first, second = people("demographics-key-one-0123456789"), people("demographics-key-one-0123456789")
    assert first == second
    other = people("demographics-key-two-0123456789")
    assert abs(other[0]["derived"]["ids"] - first[0]["derived"]["ids"]) < 0.05 * first[0]["derived"]["ids"]
    assert first[0]["derived"]["ids"] > 20_000  # past the exact limit: estimated
