"""Throwaway servers for the live-store tests: random free ports on 127.0.0.1, temp data
directories, started and stopped by the tests themselves.

The servers are installed by ``make test`` (scripts/servers/install-*.sh). A missing
server binary is a failure, not a skip: a green run must mean the stores were tested.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before listening on {port}: {_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {timeout}s: {_tail(log)}")


def require_binary(name: str, *candidates: str) -> str:
    for c in (name, *candidates):
        path = shutil.which(c) or (c if os.path.isfile(c) and os.access(c, os.X_OK) else None)
        if path:
            return path
    raise RuntimeError(f"{name} is not installed: run `make test` (scripts/servers/) to install the test servers")


def temp_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"spillguard-{prefix}-"))


class ManagedProcess:
    """A server process in its own process group, logging to a file, stopped for sure."""

    def __init__(self, argv: list[str], log: Path, env: dict | None = None, cwd: str | None = None, user: str | None = None):
        self.log = log
        self._logf = open(log, "ab")
        self.proc = subprocess.Popen(
            argv, stdout=self._logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})}, cwd=cwd, start_new_session=True, user=user,
        )

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=timeout)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=timeout)
        self._logf.close()

    def kill(self) -> None:
        """Simulate a crash: SIGKILL the whole group at once."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)

    def pause(self) -> None:
        os.killpg(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.killpg(self.proc.pid, signal.SIGCONT)


def _tail(log: Path | None, n: int = 1500) -> str:
    if log is None or not log.exists():
        return ""
    return log.read_bytes()[-n:].decode("utf-8", "replace")
