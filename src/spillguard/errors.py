"""The one exception tree of spillguard.

    SpillguardError
     ├── ConfigError        bad option, unknown target form, missing key file  (exit 2)
     ├── SourceError        a target or container could not be read            (coverage: error)
     │    └── LimitExceeded a safety cap was hit (size, depth, members, time)   (coverage: partial/skipped)
     └── FormatError        bytes could not be parsed as the format they claim  (coverage: error)

Every message says what failed and where, never the value that failed: parser
exceptions (UnicodeDecodeError, JSONDecodeError, driver errors) quote their input, so
callers wrap them with ``reason`` codes and never pass ``str(exc)`` along.
"""


class SpillguardError(Exception):
    """Root of all spillguard errors."""

    reason = "error"

    def __init__(self, message: str, *, reason: str | None = None):
        super().__init__(message)
        if reason:
            self.reason = reason


class ConfigError(SpillguardError):
    reason = "config"


class SourceError(SpillguardError):
    reason = "source_error"


class LimitExceeded(SourceError):
    reason = "limit"


class FormatError(SpillguardError):
    reason = "parse_error"


def safe_reason(exc: BaseException) -> str:
    """A reason code for any exception that never includes the exception's text."""
    if isinstance(exc, SpillguardError):
        return exc.reason
    if isinstance(exc, UnicodeError):
        return "decode_error"
    if isinstance(exc, RecursionError):
        return "nesting_too_deep"
    if isinstance(exc, MemoryError):
        return "memory_limit"
    if isinstance(exc, PermissionError):
        return "permission_denied"
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, OSError):
        return "io_error"
    return "parse_error:" + type(exc).__name__
