"""The bounded face-detection worker, with real OpenCV: faces are counted, bombs are
refused from their header, slow images get the worker killed and replaced, resource
limits hold, and nothing but a count ever crosses the pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

cv2 = pytest.importorskip("cv2")
np = pytest.importorskip("numpy")

from spillguard.faces import FaceCount, FaceWorker  # noqa: E402
from spillguard.faces.worker import MAGIC  # noqa: E402

ASSETS = Path(__file__).resolve().parents[2] / "samples" / "assets"
PHOTO = (ASSETS / "astronaut.jpg").read_bytes()


@pytest.fixture
def worker():
    w = FaceWorker(timeout_s=30)
    yield w
    w.close()


def _png(width: int, height: int, idat: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x00\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_when_the_astronaut_photo_is_checked_then_a_face_is_found(worker):
    result = worker.count(PHOTO)
    assert result.status == "ok" and result.faces >= 1
    png = cv2.imencode(".png", cv2.imdecode(np.frombuffer(PHOTO, np.uint8), cv2.IMREAD_COLOR))[1].tobytes()
    assert worker.count(png).faces >= 1


def test_when_images_are_blank_or_not_images_then_no_face_is_counted(worker):
    blank = cv2.imencode(".png", np.full((400, 300), 180, np.uint8))[1].tobytes()
    noise = cv2.imencode(".jpg", np.random.default_rng(7).integers(0, 255, (300, 300), dtype=np.uint8))[1].tobytes()
    assert worker.count(blank) == FaceCount("ok", 0)
    assert worker.count(noise) == FaceCount("ok", 0)
    assert worker.count(b"not an image at all").status == "not_an_image"
    corrupt = PHOTO[:600] + bytes(2000)  # a valid header, then garbage
    assert worker.count(corrupt).faces == 0
    assert worker.count(PHOTO).faces >= 1  # the same worker carries on


def test_when_a_png_declares_huge_dimensions_then_it_is_refused_before_any_decoder(worker):
    bomb = _png(100_000, 100_000, zlib.compress(bytes(1 << 20), 9))  # ~1 KB that inflates to 30 GB
    assert len(bomb) < 4096
    assert worker.count(bomb) == FaceCount("pixel_limit", 0)
    assert worker.pid is None  # the worker was never even started
    sof = b"\xff\xc0\x00\x11\x08" + (60000).to_bytes(2, "big") + (60000).to_bytes(2, "big") + bytes(10)
    assert worker.count(b"\xff\xd8" + sof + b"\xff\xd9").status == "pixel_limit"


def test_when_a_bomb_slips_past_a_lax_pixel_limit_then_the_memory_limit_contains_it():
    bomb = _png(40_000, 40_000, zlib.compress(bytes(1 << 20), 9))  # 1.6 GB of grey pixels
    lax = FaceWorker(max_pixels=10**12, memory_bytes=900 * 1024 * 1024, timeout_s=60)
    try:
        result = lax.count(bomb)
        assert result.faces == 0 and result.status in ("decode_failed", "memory_limit", "worker_died")
        assert lax.count(PHOTO).faces >= 1  # the scan goes on
    finally:
        lax.close()


def test_when_an_image_takes_too_long_then_the_worker_is_killed_and_replaced(worker):
    assert worker.count(PHOTO).faces >= 1
    first = worker.pid
    worker.timeout_s = 0.001
    assert worker.count(PHOTO) == FaceCount("timeout", 0)
    assert worker.pid is None and not _alive(first) and worker.restarts == 1
    worker.timeout_s = 30
    again = worker.count(PHOTO)
    assert again.status == "ok" and again.faces >= 1
    assert worker.pid not in (None, first)


def test_when_the_worker_dies_then_the_next_image_gets_a_fresh_one(worker):
    assert worker.count(PHOTO).checked
    os.kill(worker.pid, 9)  # our own child
    statuses = [worker.count(PHOTO).status for _ in range(2)]
    assert statuses[-1] == "ok" and statuses[0] in ("ok", "worker_died")


def test_when_the_worker_runs_then_its_address_space_is_limited(worker):
    worker.count(PHOTO)
    limits = Path(f"/proc/{worker.pid}/limits").read_text()
    line = next(l for l in limits.splitlines() if l.startswith("Max address space"))
    assert line.split()[3] == str(worker.memory_bytes)
    core = next(l for l in limits.splitlines() if l.startswith("Max core file size"))
    assert core.split()[4] == "0"


def test_when_the_worker_answers_then_only_a_status_and_a_count_cross_the_pipe():
    cfg = json.dumps({"max_pixels": 40_000_000, "max_bytes": 1 << 24, "memory_bytes": 1 << 31})
    proc = subprocess.Popen([sys.executable, "-m", "spillguard.faces.worker", cfg],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert json.loads(proc.stdout.readline()) == {"status": "ready", "faces": 0}
        proc.stdin.write(MAGIC + len(PHOTO).to_bytes(4, "big") + PHOTO)
        proc.stdin.close()
        out = proc.stdout.read()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    lines = out.splitlines()
    assert len(lines) == 1 and len(out) < 64
    reply = json.loads(lines[0])
    assert set(reply) == {"status", "faces"} and reply["status"] == "ok" and reply["faces"] >= 1
