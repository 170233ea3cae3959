"""spillguard: find personal data left unguarded in your own data stores.

Public API (guarded by tests/test_public_api.py):

    from spillguard import scan, Settings, ScanResult, SpillguardError
"""

__version__ = "0.1.0"

import logging as _logging

from spillguard.redaction import guard_logger as _guard_logger

_guard_logger(_logging.getLogger("spillguard"))  # identifiers in names never reach a log line

from spillguard.api import scan  # noqa: E402
from spillguard.errors import SpillguardError  # noqa: E402
from spillguard.models import ScanResult  # noqa: E402
from spillguard.settings import Settings  # noqa: E402

__all__ = ["__version__", "scan", "Settings", "ScanResult", "SpillguardError"]
