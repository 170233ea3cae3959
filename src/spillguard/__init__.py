"""spillguard: find personal data left unguarded in your own data stores.

Public API (guarded by tests/test_public_api.py):

    from spillguard import scan, Settings, ScanResult, SpillguardError
"""

__version__ = "0.1.0"

from spillguard.api import scan
from spillguard.errors import SpillguardError
from spillguard.models import ScanResult
from spillguard.settings import Settings

__all__ = ["__version__", "scan", "Settings", "ScanResult", "SpillguardError"]
