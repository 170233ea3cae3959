"""redis-protected-mode-off: no password and protected mode off, so Redis serves
unauthenticated clients on every interface it listens on."""

from __future__ import annotations

from spillguard.exposure._redis import KIND, anonymous, config_get, needs_password, unknown
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome


class RedisProtectedModeOff(Check):
    id = "redis-protected-mode-off"
    kinds = (KIND,)
    title = "Redis protected mode is off on a server without a password"
    severity = "high"
    fix = (
        "Turn protected mode back on and set a password: `CONFIG SET protected-mode yes`, "
        "`CONFIG SET requirepass <long random secret>`, `CONFIG REWRITE` (redis.conf: "
        "`protected-mode yes`, `requirepass ...`); bind to the addresses that need it only."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        try:
            if needs_password(ctx):
                return Outcome(NOT_EXPOSED, "a password is required (NOAUTH); protected mode only "
                                            "guards servers without one")
        except Exception as exc:
            return unknown("cannot probe without credentials", exc)
        client = anonymous(ctx)
        try:
            value = config_get(client, "protected-mode")
        except Exception as exc:
            return unknown("no password, but CONFIG GET protected-mode failed (denied or renamed)", exc)
        finally:
            client.close()
        if value is None:
            return Outcome(UNKNOWN, "no password, and the server reports no protected-mode setting")
        if value.strip().lower() == "no":
            return Outcome(EXPOSED, "no password and protected-mode no: unauthenticated clients are "
                                    "served on every listening interface")
        return Outcome(NOT_EXPOSED, "no password, but protected-mode is on: only loopback clients "
                                    "are served without one")
