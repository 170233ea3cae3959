"""The check contract and the runner that turns any failure into ``unknown``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

from spillguard.credentials import TargetURI
from spillguard.errors import safe_reason
from spillguard.models import Exposure
from spillguard.settings import Settings

log = logging.getLogger("spillguard")

EXPOSED, NOT_EXPOSED, UNKNOWN = "exposed", "not_exposed", "unknown"


@dataclass(frozen=True)
class CheckContext:
    uri: TargetURI  # parsed target with resolved credentials: never print it, use .display
    kind: str  # source kind ("postgresql", "mongodb", ...)
    settings: Settings

    @property
    def timeout(self) -> float:
        return self.settings.limits.connect_timeout_s


@dataclass(frozen=True)
class Outcome:
    status: str  # EXPOSED | NOT_EXPOSED | UNKNOWN
    detail: str  # what was observed; never a value read from the store


class Check:
    id: ClassVar[str] = ""  # stable: "redis-no-password"
    kinds: ClassVar[tuple[str, ...]] = ()  # source kinds this check applies to
    title: ClassVar[str] = ""  # one line: what exposure it looks for
    severity: ClassVar[str] = "high"  # severity when exposed
    fix: ClassVar[str] = ""  # what to change, concretely

    def run(self, ctx: CheckContext) -> Outcome:
        raise NotImplementedError

    def run_each(self, ctx: CheckContext) -> list[tuple[str, Outcome]]:
        """(where, outcome) pairs: one for the target by default; a check that answers
        per part of a target (S3 buckets of ``s3://``) returns one pair per part."""
        return [(ctx.uri.display, self.run(ctx))]


def run_check(check: Check, ctx: CheckContext) -> list[Exposure]:
    """Run one check; any exception becomes ``unknown`` with a safe reason."""
    try:
        outcomes = check.run_each(ctx)
    except Exception as exc:  # never let a probe failure read as "safe"
        outcomes = [(ctx.uri.display, Outcome(UNKNOWN, f"check failed: {safe_reason(exc)}"))]
    found = []
    for where, outcome in outcomes:
        status = outcome.status if outcome.status in (EXPOSED, NOT_EXPOSED, UNKNOWN) else UNKNOWN
        log.info("check %s on %s: %s", check.id, where, status)
        found.append(Exposure(
            target=where,
            check=check.id,
            status=status,
            severity=check.severity if status == EXPOSED else "info",
            detail=outcome.detail,
            fix=check.fix,
        ))
    return found
