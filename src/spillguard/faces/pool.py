"""The parent side of face detection: one reusable worker process, fed over a pipe.

Bounds, in the order an image meets them:
  1. not a JPEG/PNG with a readable header            -> "not_an_image" (no worker call)
  2. more than ``max_bytes`` bytes                     -> "size_limit"
  3. more than ``max_pixels`` declared in the header   -> "pixel_limit" (never decoded)
  4. the child runs under RLIMIT_AS = ``memory_bytes`` -> a bomb that slips through dies
     there ("worker_died"), the next image gets a fresh child
  5. no answer within ``timeout_s``                    -> the child is killed, "timeout",
     a fresh child is started for the next image
Statuses other than "ok" say the image could not be checked; they are never "no face".
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from spillguard.faces.worker import MAGIC
from spillguard.validators.image_headers import image_info

log = logging.getLogger("spillguard")
INSTALL_HINT = "pip install 'spillguard[faces]'"
_MAX_REPLY = 256
_MAX_FACES = 10_000


@dataclass(frozen=True)
class FaceCount:
    status: str  # "ok" or why the image was not checked
    faces: int = 0

    @property
    def checked(self) -> bool:
        return self.status == "ok"


class WorkerUnavailable(Exception):
    """OpenCV is missing or the worker could not start."""


class FaceWorker:
    def __init__(self, *, timeout_s: float = 10.0, max_pixels: int = 40_000_000,
                 max_bytes: int = 16 * 1024 * 1024, memory_bytes: int = 1536 * 1024 * 1024,
                 startup_timeout_s: float = 60.0):
        self.timeout_s, self.max_pixels, self.max_bytes = timeout_s, max_pixels, max_bytes
        self.memory_bytes, self.startup_timeout_s = memory_bytes, startup_timeout_s
        self.unavailable: str | None = None  # reason, once starting has failed for good
        self.restarts = 0
        self._proc: subprocess.Popen | None = None
        self._buf = b""
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def count(self, data) -> FaceCount:
        """Faces in one image (bytes-like), or the reason it was not checked."""
        info = image_info(data)
        if info is None:
            return FaceCount("not_an_image")
        if len(data) > self.max_bytes:
            return FaceCount("size_limit")
        if info.pixels > self.max_pixels:
            return FaceCount("pixel_limit")
        with self._lock:
            if self.unavailable:
                return FaceCount("unavailable")
            try:
                self._ensure()
            except WorkerUnavailable:
                return FaceCount("unavailable")
            return self._ask(bytes(data))

    def close(self) -> None:
        with self._lock:
            self._stop()

    # -- the child process ------------------------------------------------------------
    def _ensure(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        if self._proc is not None:
            self._stop()
            self.restarts += 1
        cfg = json.dumps({"max_pixels": self.max_pixels, "max_bytes": self.max_bytes,
                          "memory_bytes": self.memory_bytes})
        env = dict(os.environ, OPENCV_IO_MAX_IMAGE_PIXELS=str(self.max_pixels), OMP_NUM_THREADS="1",
                   OPENCV_LOG_LEVEL="ERROR")
        src = str(Path(__file__).resolve().parents[2])  # the directory holding spillguard/
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "spillguard.faces.worker", cfg],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                close_fds=True, env=env)
        except OSError:
            self._fail("start_failed")
        self._buf = b""
        os.set_blocking(self._proc.stdin.fileno(), False)
        reply = self._line(time.monotonic() + self.startup_timeout_s)
        status = reply.get("status") if reply else None
        if status != "ready":
            self._stop()
            self._fail(status if status in ("unavailable", "start_failed") else "start_failed")

    def _fail(self, why: str):
        self.unavailable = why
        if why == "unavailable":
            log.warning("face detection is off: OpenCV is not installed (%s); images are not checked for faces",
                        INSTALL_HINT)
        else:
            log.warning("face detection is off: the face-detection worker did not start; images are not checked")
        raise WorkerUnavailable(why)

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if proc.poll() is None:
            proc.kill()  # our own child, by its handle
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def _ask(self, data: bytes) -> FaceCount:
        deadline = time.monotonic() + self.timeout_s
        try:
            self._write(MAGIC + len(data).to_bytes(4, "big") + data, deadline)
            reply = self._line(deadline)
        except TimeoutError:  # the child stopped reading: as good as a timeout
            reply = None
        except OSError:
            reply = {"status": "worker_died"}
        if reply is None:  # timed out: kill now, a fresh child starts with the next image
            self._stop()
            self.restarts += 1
            return FaceCount("timeout")
        status, faces = reply.get("status"), reply.get("faces", 0)
        if status == "worker_died" or self._proc is None or self._proc.poll() is not None:
            self._stop()
            self.restarts += 1
            return FaceCount("worker_died")
        if set(reply) != {"status", "faces"} or not isinstance(status, str) or type(faces) is not int \
                or not 0 <= faces <= _MAX_FACES:
            self._stop()
            return FaceCount("bad_reply")
        return FaceCount(status[:32], faces)

    def _write(self, payload: bytes, deadline: float) -> None:
        fd, view = self._proc.stdin.fileno(), memoryview(payload)
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            _, writable, _ = select.select([], [fd], [], left)
            if not writable:
                continue
            try:
                view = view[os.write(fd, view[: 1 << 16]):]
            except BlockingIOError:
                continue

    def _line(self, deadline: float) -> dict | None:
        """The next reply line as a dict; None on timeout; {"status": "worker_died"} on EOF."""
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            readable, _, _ = select.select([fd], [], [], left)
            if not readable:
                continue
            chunk = os.read(fd, _MAX_REPLY)
            if not chunk:
                return {"status": "worker_died"}
            self._buf += chunk
            if len(self._buf) > _MAX_REPLY:
                return {"status": "bad_reply"}
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            reply = json.loads(line)
        except ValueError:
            return {"status": "bad_reply"}
        return reply if isinstance(reply, dict) else {"status": "bad_reply"}


_default: FaceWorker | None = None
_default_lock = threading.Lock()
_warned_missing = False
_atexit_registered = False


def default_worker() -> FaceWorker | None:
    """The process-wide worker; None (after one warning) when OpenCV is not installed."""
    global _default, _warned_missing, _atexit_registered
    with _default_lock:
        if _default is None:
            if importlib.util.find_spec("cv2") is None:
                if not _warned_missing:
                    _warned_missing = True
                    log.warning("face detection is off: OpenCV is not installed (%s); "
                                "images are not checked for faces", INSTALL_HINT)
                return None
            _default = FaceWorker()
            if not _atexit_registered:
                _atexit_registered = True
                atexit.register(shutdown)
        return None if _default.unavailable else _default


def shutdown() -> None:
    """Stop the process-wide worker (it is started again on demand)."""
    global _default
    with _default_lock:
        worker, _default = _default, None
    if worker is not None:
        worker.close()
