"""The command line tunes the garbage collector for a scan (spillguard.runtime); the
library leaves its host's collector alone."""

import subprocess
import sys

CHECK = """
import gc, sys
before = gc.get_threshold()
{action}
print(gc.get_threshold()[0], gc.get_freeze_count() > 0, before[1:] == gc.get_threshold()[1:])
"""


def _run(action: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", CHECK.format(action=action)], capture_output=True, text=True,
                         check=True, timeout=120)
    return out.stdout.split()


def test_tune_gc_freezes_what_is_imported_and_collects_the_young_generation_less_often():
    assert _run("from spillguard.runtime import tune_gc; tune_gc()") == ["10000", "True", "True"]
    assert _run("from spillguard.runtime import tune_gc; tune_gc(); import gc; gc.set_threshold(700); tune_gc()") == [
        "700", "True", "True"]  # once per process


def test_a_library_scan_does_not_touch_the_collector(tmp_path):
    (tmp_path / "a.log").write_text("tel 13800138000\n")
    action = ("from spillguard.api import scan; from spillguard.settings import Settings; "
              f"scan(Settings(targets=[{str(tmp_path)!r}]))")
    assert _run(action) == ["700", "False", "True"]


def test_the_command_line_tunes_it_before_scanning(tmp_path, monkeypatch):
    import spillguard.runtime
    from spillguard.cli.main import cli

    calls = []
    monkeypatch.setattr(spillguard.runtime, "tune_gc", lambda: calls.append(1))
    (tmp_path / "a.log").write_text("nothing here\n")
    from click.testing import CliRunner

    CliRunner().invoke(cli, ["scan", str(tmp_path), "--quiet"])
    assert calls == [1]
