"""redis-dangerous-commands: a client without a password may run CONFIG, MODULE,
REPLICAOF, FLUSHALL, ...: the path from reading the data to writing SSH keys or cron jobs
(CONFIG SET dir/dbfilename) and to running code (MODULE LOAD, rogue REPLICAOF)."""

from __future__ import annotations

from spillguard.exposure._redis import KIND, anonymous, config_get, needs_password, unknown
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, Check, CheckContext, Outcome

# command -> harmless arguments for ACL DRYRUN (nothing is executed)
DANGEROUS = {
    "CONFIG": ("GET", "dir"), "MODULE": ("LIST",), "REPLICAOF": ("NO", "ONE"),
    "SLAVEOF": ("NO", "ONE"), "FLUSHALL": (), "FLUSHDB": (), "DEBUG": ("HELP",),
    "EVAL": ("return 1", "0"),
}
# Redis 7 switches these off on their own unless the setting says "yes" or "local"
SWITCHES = {"MODULE": "enable-module-command", "DEBUG": "enable-debug-command"}


class RedisDangerousCommands(Check):
    id = "redis-dangerous-commands"
    kinds = (KIND,)
    title = "Unauthenticated clients may run CONFIG, MODULE, REPLICAOF, FLUSHALL"
    severity = "high"
    fix = (
        "Set a password (`requirepass`) and take dangerous commands away from the default user: "
        "`ACL SETUSER default -@dangerous -@admin -eval -evalsha`, or in redis.conf "
        "`rename-command CONFIG \"\"`, `rename-command FLUSHALL \"\"`, `rename-command MODULE \"\"`, "
        "`rename-command REPLICAOF \"\"`; `enable-debug-command no`, `enable-module-command no`."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        try:
            if needs_password(ctx):
                return Outcome(NOT_EXPOSED, "a password is required (NOAUTH) before any command")
        except Exception as exc:
            return unknown("cannot probe without credentials", exc)
        client = anonymous(ctx)
        client.response_callbacks.pop("COMMAND", None)  # raw reply: renamed commands are nil
        try:
            info = client.execute_command("COMMAND", "INFO", *DANGEROUS)
            present = [name for name, item in zip(DANGEROUS, info) if item]
            allowed, verified = [], True
            for name in present:
                try:
                    reply = client.execute_command("ACL", "DRYRUN", "default", name, *DANGEROUS[name])
                except Exception:  # Redis < 7 or ACL denied: existence is all we know
                    verified = False
                    allowed.append(name)
                    continue
                if reply in (b"OK", "OK"):
                    allowed.append(name)
            if "CONFIG" in allowed:
                allowed = [n for n in allowed if n not in SWITCHES
                           or (config_get(client, SWITCHES[n]) or "yes").lower() != "no"]
        except Exception as exc:
            return unknown("no password, but COMMAND INFO failed", exc)
        finally:
            client.close()
        if not allowed:
            return Outcome(NOT_EXPOSED, "no password, but dangerous commands are renamed or denied")
        note = "" if verified else " (ACL not verifiable: commands exist)"
        return Outcome(EXPOSED, f"without a password a client may run {', '.join(allowed)}{note}")
