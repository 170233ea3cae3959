"""mongodb-bind-all: mongod listens on every network interface.

Reads ``getCmdLineOpts`` (needs the clusterMonitor role when authorization is on; uses the
target's credentials): ``net.bindIpAll``, or ``net.bindIp`` holding 0.0.0.0, :: or *, is
exposed. No bindIp at all means the version default: localhost only since MongoDB 3.6,
every interface before (version from buildInfo, which answers without credentials).
Not permitted or not supported -> unknown."""

from __future__ import annotations

from typing import Any

from spillguard.exposure import _mongodb as m
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

WILDCARDS = ("0.0.0.0", "::", "*", "[::]", "::0")
_LOOPBACK = ("127.", "localhost", "::1", "[::1]")


def evaluate(reply: dict[str, Any], version: tuple[int, ...] | None) -> Outcome:
    """The verdict from a getCmdLineOpts reply (pure: unit-tested with mongod replies)."""
    parsed = reply.get("parsed") if isinstance(reply.get("parsed"), dict) else {}
    net = parsed.get("net") if isinstance(parsed.get("net"), dict) else {}
    argv = [a for a in reply.get("argv") or () if isinstance(a, str)]
    if net.get("bindIpAll") in (True, "true") or "--bind_ip_all" in argv:
        return Outcome(EXPOSED, "net.bindIpAll is set: mongod listens on every interface")
    bind = net.get("bindIp")
    if bind is None and "--bind_ip" in argv[:-1]:
        bind = argv[argv.index("--bind_ip") + 1]
    if isinstance(bind, str) and bind.strip():
        addrs = [a.strip() for a in bind.split(",") if a.strip()]
        wild = sorted({a for a in addrs if a in WILDCARDS})
        if wild:
            return Outcome(EXPOSED, f"net.bindIp includes {', '.join(wild)}: every interface")
        other = [a for a in addrs if not a.startswith(_LOOPBACK) and not a.startswith("/")]
        return Outcome(NOT_EXPOSED, f"net.bindIp lists {len(addrs)} address(es), "
                                    f"{len(other)} non-loopback, no wildcard")
    if version is None:
        return Outcome(UNKNOWN, "net.bindIp is not set and the server version is unknown")
    if tuple(version[:2]) >= (3, 6):
        return Outcome(NOT_EXPOSED, "net.bindIp is not set: MongoDB >= 3.6 listens on localhost only")
    return Outcome(EXPOSED, "net.bindIp is not set: MongoDB < 3.6 listens on every interface")


class MongoBindAll(Check):
    id = "mongodb-bind-all"
    kinds = (m.KIND,)
    title = "mongod listens on all network interfaces (net.bindIp 0.0.0.0/:: or bindIpAll)"
    severity = "high"
    fix = (
        "In mongod.conf set 'net:\\n  bindIp: 127.0.0.1,<private address>' and remove "
        "'bindIpAll: true' (or drop --bind_ip_all / --bind_ip 0.0.0.0 from the command line, "
        "also in Docker images), restart mongod, and allow port 27017 only from the "
        "application hosts (e.g. ufw allow from 10.0.0.0/24 to any port 27017)."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        client = m.connect(ctx.uri, ctx.settings, credentials=True, op_timeout_s=ctx.timeout)
        ms = m.max_time_ms(ctx.timeout)
        try:
            try:
                reply = client.admin.command("getCmdLineOpts", maxTimeMS=ms)
            except Exception as exc:
                why = m.reason(exc)
                if why == "permission_denied":
                    return Outcome(UNKNOWN, "getCmdLineOpts not permitted (grant the clusterMonitor role)")
                return Outcome(UNKNOWN, f"getCmdLineOpts failed: {why}")
            try:
                info = client.admin.command("buildInfo", maxTimeMS=ms)
                version = tuple(int(x) for x in info.get("versionArray", [])[:2]) or None
            except Exception:
                version = None
        finally:
            client.close()
        return evaluate(reply, version)
