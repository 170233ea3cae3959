import os
import stat

from spillguard.keys import Keyed, load_key


def test_when_no_key_exists_then_one_is_created_with_mode_0600(tmp_path, monkeypatch):
    monkeypatch.delenv("SPILLGUARD_KEY", raising=False)
    monkeypatch.delenv("SPILLGUARD_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    key = load_key()
    path = tmp_path / "spillguard" / "key"
    assert path.exists() and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_key() == key and len(key) >= 32


def test_when_env_key_is_set_then_it_wins(monkeypatch):
    monkeypatch.setenv("SPILLGUARD_KEY", "x" * 20)
    assert load_key() == b"x" * 20


def test_when_keys_differ_then_fingerprints_differ():
    a, b = Keyed(b"a" * 32), Keyed(b"b" * 32)
    assert a.value_hash("CN_RESIDENT_ID", "1") != b.value_hash("CN_RESIDENT_ID", "1")
    assert a.fingerprint("t", "p", None, "f", "E") == a.fingerprint("t", "p", None, "f", "E")
    assert a.fingerprint("t", "p", None, "f", "E") != b.fingerprint("t", "p", None, "f", "E")


def test_value_hash_is_keyed_blake2b_under_a_derived_key():
    """The hot-path digest (a copied, pre-keyed hasher) is plain keyed BLAKE2b: equal
    values give equal digests across calls and processes with the same key."""
    import hashlib
    import hmac

    key = b"\x01" * 32
    derived = hmac.new(key, b"spillguard value-hash v2", hashlib.sha512).digest()
    want = hashlib.blake2b("PHONE_NUMBER\x1f+8613812345678".encode(), digest_size=16, key=derived).digest()
    k = Keyed(key)
    assert k.value_hash("PHONE_NUMBER", "+8613812345678") == want
    assert k.value_hash("PHONE_NUMBER", "+8613812345678") == want  # the pre-keyed hasher is not consumed
