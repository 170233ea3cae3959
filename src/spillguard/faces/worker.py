"""The face-detection child process: ``python -m spillguard.faces.worker '<json limits>'``.

Protocol (stdin/stdout pipes, one image at a time):
  parent -> child  b"IMG1" + 4-byte big-endian length + the image bytes
  child -> parent  one JSON line: {"status": "ok", "faces": <int>} or {"status": <reason>, "faces": 0}
On start the child sets its resource limits, imports OpenCV, loads the cascade and
writes {"status": "ready"} (or "unavailable" when OpenCV is missing, "start_failed"
otherwise) before reading requests. It exits on end of input or a malformed request.

Only the status and the face count are ever written: no rectangles, no crops, no pixels.
"""

from __future__ import annotations

import json
import os
import sys

MAGIC = b"IMG1"
TARGET_SIDE = 1024  # images are decoded (JPEG: reduced) and scaled to about this long side


def _limit(memory_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # not POSIX: the parent's time limit still applies
        return
    for name, value in (("RLIMIT_AS", memory_bytes), ("RLIMIT_CORE", 0), ("RLIMIT_FSIZE", 0)):
        which = getattr(resource, name, None)
        if which is None:
            continue
        try:
            soft, hard = resource.getrlimit(which)
            cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(which, (cap, hard))
        except (ValueError, OSError):
            pass


def _reply(out, status: str, faces: int = 0) -> None:
    out.write(json.dumps({"status": status, "faces": int(faces)}).encode() + b"\n")
    out.flush()


def _read_exact(inp, n: int) -> bytes | None:
    chunks, got = [], 0
    while got < n:
        chunk = inp.read(min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


class Detector:
    def __init__(self, max_pixels: int):
        import cv2  # noqa: F401  (ImportError -> "unavailable")
        import numpy

        cv2.setNumThreads(1)
        self.cv2, self.np, self.max_pixels = cv2, numpy, max_pixels
        path = os.path.join(cv2.data.haarcascades, "haarcascade_frontalface_default.xml")
        self.cascade = cv2.CascadeClassifier(path)
        if self.cascade.empty():
            raise RuntimeError("cascade did not load")

    def count(self, data: bytes) -> tuple[str, int]:
        from spillguard.validators.image_headers import image_info

        info = image_info(data)
        if info is None:
            return "not_an_image", 0
        if info.pixels > self.max_pixels:  # the parent checks too; never decode a bomb
            return "pixel_limit", 0
        cv2 = self.cv2
        flag, side = cv2.IMREAD_GRAYSCALE, max(info.width, info.height)
        if info.kind == "jpeg":  # let libjpeg decode at 1/2, 1/4 or 1/8 scale
            for reduced, k in ((cv2.IMREAD_REDUCED_GRAYSCALE_8, 8), (cv2.IMREAD_REDUCED_GRAYSCALE_4, 4),
                               (cv2.IMREAD_REDUCED_GRAYSCALE_2, 2)):
                if side / k >= TARGET_SIDE:
                    flag = reduced
                    break
        img = cv2.imdecode(self.np.frombuffer(data, self.np.uint8), flag)
        if img is None or img.size == 0 or img.ndim != 2:
            return "decode_failed", 0
        h, w = img.shape
        if max(h, w) > TARGET_SIDE * 1.5:
            scale = TARGET_SIDE / max(h, w)
            img = cv2.resize(img, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
            h, w = img.shape
        if min(h, w) < 24:
            return "ok", 0
        smallest = max(24, min(h, w) // 20)
        found = self.cascade.detectMultiScale(cv2.equalizeHist(img), scaleFactor=1.1, minNeighbors=5,
                                              minSize=(smallest, smallest))
        return "ok", len(found)


def main(argv: list[str]) -> int:
    cfg = json.loads(argv[0]) if argv else {}
    max_pixels = int(cfg.get("max_pixels", 40_000_000))
    max_bytes = int(cfg.get("max_bytes", 16 * 1024 * 1024))
    _limit(int(cfg.get("memory_bytes", 1536 * 1024 * 1024)))
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies may reach the pipe
    try:
        detector = Detector(max_pixels)
    except ImportError:
        _reply(out, "unavailable")
        return 3
    except Exception:
        _reply(out, "start_failed")
        return 4
    _reply(out, "ready")
    while True:
        head = _read_exact(inp, 8)
        if head is None or head[:4] != MAGIC:
            return 0 if head is None else 2
        size = int.from_bytes(head[4:], "big")
        if size > max_bytes:
            return 2
        data = _read_exact(inp, size)
        if data is None:
            return 0
        try:
            status, faces = detector.count(data)
        except MemoryError:
            status, faces = "memory_limit", 0
        except Exception:
            status, faces = "decode_failed", 0
        _reply(out, status, faces)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
