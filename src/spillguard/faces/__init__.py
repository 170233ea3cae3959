"""Face detection for images found in data stores, in a bounded worker process.

OpenCV's bundled Haar cascade (``pip install 'spillguard[faces]'``) runs in a child
process that is reused across images and fed over a pipe (pool.py). The parent refuses
images above a pixel limit from their header alone, before any decoder sees them; the
child runs under an address-space limit; an image that takes longer than the time limit
gets the child killed and a fresh one started. Only counts cross the pipe: how many faces
an image shows, never where they are and never a crop.
"""

from spillguard.faces.pool import FaceCount, FaceWorker, default_worker, shutdown

__all__ = ["FaceCount", "FaceWorker", "default_worker", "shutdown"]
