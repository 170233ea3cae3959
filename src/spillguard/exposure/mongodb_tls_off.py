"""mongodb-tls-off: the server accepts unencrypted connections.

Connects without TLS and without credentials and sends only the handshake and ``ping``
(transport, not authorization, is under test). Plaintext refused but a TLS handshake
answered (the target's TLS options, or certificates unchecked when it gives none: no
credentials are sent on this probe) -> not exposed; neither answers -> unknown."""

from __future__ import annotations

from spillguard.exposure import _mongodb as m
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

_TLS_KEYS = ("tls", "ssl")


def _ping(ctx: CheckContext, **tls) -> None:
    client = m.connect(ctx.uri, ctx.settings, credentials=False, op_timeout_s=ctx.timeout, **tls)
    try:
        client.admin.command("ping", maxTimeMS=m.max_time_ms(ctx.timeout))
    finally:
        client.close()


class MongoTlsOff(Check):
    id = "mongodb-tls-off"
    kinds = (m.KIND,)
    title = "MongoDB accepts connections without TLS (traffic and passwords in clear text)"
    severity = "medium"
    fix = (
        "In mongod.conf set 'net:\\n  tls:\\n    mode: requireTLS\\n    certificateKeyFile: "
        "/etc/ssl/mongodb.pem' (add CAFile for client certificates), restart mongod, and "
        "connect with 'mongodb://host/?tls=true&tlsCAFile=/path/ca.pem'."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        try:
            _ping(ctx, tls=False)
            return Outcome(EXPOSED, "the server answered over an unencrypted connection")
        except Exception as exc:
            plain_why = m.reason(exc)
        has_tls = any(k.lower().startswith(_TLS_KEYS) for k in ctx.uri.query) or ctx.uri.scheme.endswith("+srv")
        try:
            _ping(ctx, tls=True, tls_insecure=not has_tls)
        except Exception as exc:
            return Outcome(UNKNOWN, f"no connection, with or without TLS: {plain_why} / {m.reason(exc)}")
        return Outcome(NOT_EXPOSED, "an unencrypted connection was refused; TLS answered")
