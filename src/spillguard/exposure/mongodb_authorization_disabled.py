"""mongodb-authorization-disabled: listDatabases answers without credentials.

listDatabases needs an authenticated user when ``security.authorization`` is enabled
(code 13 Unauthorized otherwise). ``hello``/``buildInfo``/``ping`` answer without
authentication on every server and prove nothing, so they are not used as evidence."""

from __future__ import annotations

from spillguard.exposure import _mongodb as m
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome


class MongoAuthorizationDisabled(Check):
    id = "mongodb-authorization-disabled"
    kinds = (m.KIND,)
    title = "MongoDB answers listDatabases without credentials (authorization disabled)"
    severity = "critical"
    fix = (
        "Create an admin user (mongosh: use admin; db.createUser({user: 'admin', pwd: "
        "passwordPrompt(), roles: ['root']})), then enable authorization in mongod.conf: "
        "'security:\\n  authorization: enabled' (or start mongod with --auth) and restart; "
        "keep net.bindIp to localhost/private addresses and firewall port 27017."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        client = m.connect(ctx.uri, ctx.settings, credentials=False, op_timeout_s=ctx.timeout)
        try:
            names = m.list_database_names(client, ctx.timeout)
        except Exception as exc:
            why = m.reason(exc)
            if why == "permission_denied":
                return Outcome(NOT_EXPOSED, "listDatabases without credentials was refused (Unauthorized)")
            return Outcome(UNKNOWN, f"listDatabases without credentials failed: {why}")
        finally:
            client.close()
        if not names:
            return Outcome(UNKNOWN, "listDatabases without credentials answered with no databases "
                                    "(filtered by authorization, or an empty server)")
        return Outcome(EXPOSED, f"listDatabases without credentials listed {len(names)} database(s)")
