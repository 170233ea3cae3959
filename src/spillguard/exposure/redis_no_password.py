"""redis-no-password: the server answers INFO to a client that never sent AUTH."""

from __future__ import annotations

from spillguard.exposure._redis import KIND, anonymous, redis_reason, unknown
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome


class RedisNoPassword(Check):
    id = "redis-no-password"
    kinds = (KIND,)
    title = "Redis answers commands without a password"
    severity = "critical"
    fix = (
        "Require authentication: in redis.conf set `requirepass <long random secret>` (or "
        "`ACL SETUSER default off` and named users: `ACL SETUSER app on >SECRET ~app:* +@read "
        "+@write -@dangerous`), then `CONFIG REWRITE`; keep `bind 127.0.0.1 -::1` and "
        "`protected-mode yes`, and firewall port 6379 from everything but the app servers."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        client = anonymous(ctx)
        try:
            client.info("server")  # needs auth; PING/HELLO would prove nothing
        except Exception as exc:
            reason = redis_reason(exc)
            if reason == "auth_failed":
                return Outcome(NOT_EXPOSED, "INFO without AUTH is refused (NOAUTH): a password is required")
            if reason == "permission_denied":
                return Outcome(UNKNOWN, "the default user needs no password but INFO is denied by ACL: "
                                        "review `ACL GETUSER default`")
            return unknown("cannot probe without credentials", exc)
        finally:
            client.close()
        return Outcome(EXPOSED, "INFO answered without AUTH: anyone who reaches the port can read every key")
