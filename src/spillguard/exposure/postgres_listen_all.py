"""postgres-listen-all: the server listens on every network interface."""

from __future__ import annotations

from spillguard.errors import SourceError
from spillguard.exposure import _postgres as pg
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

_ALL = {"*", "0.0.0.0", "::"}


def _loopback(addr: str) -> bool:
    return addr in ("localhost", "::1") or addr.startswith("127.")


class PostgresListenAll(Check):
    id = "postgres-listen-all"
    kinds = ("postgresql",)
    title = "PostgreSQL listens on every network interface (listen_addresses = '*')"
    severity = "high"
    fix = ("In postgresql.conf set `listen_addresses = 'localhost'` (or only the private address "
           "the applications use), restart PostgreSQL, and let only the application hosts reach "
           "port 5432 in the firewall (e.g. `ufw allow from 10.0.0.0/24 to any port 5432`).")

    def run(self, ctx: CheckContext) -> Outcome:
        try:
            [rows] = pg.metadata(ctx, "SHOW listen_addresses")
        except SourceError as exc:
            return Outcome(UNKNOWN, f"listen_addresses not visible: {exc.reason}")
        value = (rows[0][0] if rows else "") or ""
        addrs = [a.strip() for a in value.split(",") if a.strip()]
        if _ALL & set(addrs):
            return Outcome(EXPOSED, f"listen_addresses = '{value}': connections are accepted on every interface")
        if not addrs:
            return Outcome(NOT_EXPOSED, "listen_addresses is empty: Unix socket only")
        outside = [a for a in addrs if not _loopback(a)]
        if outside:
            return Outcome(NOT_EXPOSED, f"listens on {len(outside)} specific non-loopback address(es), "
                                        "not on every interface")
        return Outcome(NOT_EXPOSED, "listens on loopback only")
