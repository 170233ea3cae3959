"""postgres-tls-off: the server has TLS switched off (``ssl = off``)."""

from __future__ import annotations

import socket
import struct

from spillguard.errors import SourceError
from spillguard.exposure import _postgres as pg
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

_SSL_REQUEST = struct.pack("!ii", 8, 80877103)


class PostgresTlsOff(Check):
    id = "postgres-tls-off"
    kinds = ("postgresql",)
    title = "PostgreSQL has TLS switched off: rows and logins cross the network in clear text"
    severity = "medium"
    fix = ("Set `ssl = on`, `ssl_cert_file = 'server.crt'` and `ssl_key_file = 'server.key'` in "
           "postgresql.conf, run `SELECT pg_reload_conf();`, and require TLS in pg_hba.conf with "
           "`hostssl` lines plus `hostnossl all all 0.0.0.0/0 reject`.")

    def run(self, ctx: CheckContext) -> Outcome:
        try:
            [rows] = pg.metadata(ctx, "SHOW ssl")
        except SourceError as exc:
            return self._probe(ctx, exc.reason)
        value = (rows[0][0] if rows else "") or ""
        if value.lower() == "off":
            return Outcome(EXPOSED, "ssl = off")
        if value.lower() == "on":
            return Outcome(NOT_EXPOSED, "ssl = on")
        return Outcome(UNKNOWN, "ssl setting not readable")

    def _probe(self, ctx: CheckContext, reason: str) -> Outcome:
        """Without a session: ask for TLS on the wire (SSLRequest) — TCP targets only."""
        host = ctx.uri.query.get("host") or ctx.uri.host
        unreachable = reason in ("timeout", "connection_refused", "host_not_found", "connection_failed")
        if unreachable or not host or host.startswith("/"):
            return Outcome(UNKNOWN, f"cannot connect to read the ssl setting: {reason}")
        try:
            with socket.create_connection((host, ctx.uri.port or 5432), timeout=ctx.timeout) as s:
                s.sendall(_SSL_REQUEST)
                answer = s.recv(1)
        except OSError as exc:
            return Outcome(UNKNOWN, f"cannot connect: {type(exc).__name__}")
        if answer == b"N":
            return Outcome(EXPOSED, "the server refuses TLS (SSLRequest answered N)")
        if answer == b"S":
            return Outcome(NOT_EXPOSED, "the server offers TLS (SSLRequest answered S)")
        return Outcome(UNKNOWN, "unexpected answer to SSLRequest")
