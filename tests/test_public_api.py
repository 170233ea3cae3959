import spillguard


def test_when_package_is_imported_then_public_api_is_exactly_the_documented_names():
    assert sorted(spillguard.__all__) == sorted(["__version__", "scan", "Settings", "ScanResult", "SpillguardError"])
    for name in spillguard.__all__:
        assert hasattr(spillguard, name)
