"""mysql-anonymous-login: the server lets someone in without a password."""

from __future__ import annotations

from spillguard.exposure._mysql import driver, error_code, rows, session, unknown, who
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, Check, CheckContext, Outcome

# Tried only with --try-default-credentials, only against the target named.
DEFAULT_CREDENTIALS = (("root", ""), ("root", "root"), ("root", "123456"))


class MysqlAnonymousLogin(Check):
    id = "mysql-anonymous-login"
    kinds = ("mysql",)
    title = "MySQL/MariaDB accepts a login without a password"
    severity = "critical"
    fix = (
        "Remove passwordless and anonymous accounts and restart without --skip-grant-tables: "
        "DROP USER IF EXISTS ''@'%', ''@'localhost'; "
        "ALTER USER 'name'@'host' IDENTIFIED BY '<strong password>'; "
        "remove skip-grant-tables from my.cnf ([mysqld]/[mariadbd]); "
        "or run mariadb-secure-installation."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        attempts = [("", "")]
        if ctx.uri.username:
            attempts.append((ctx.uri.username, ""))
        if ctx.settings.try_default_credentials:
            attempts += [c for c in DEFAULT_CREDENTIALS if c not in attempts]
        refused = []
        for user, password in attempts:
            try:
                with session(ctx, user=user, password=password, use_target_credentials=False) as conn:
                    dbs = [r[0] for r in rows(conn, "SHOW DATABASES")]
            except driver().err.MySQLError as exc:
                if error_code(exc) in (1045, 1698):  # access denied: the login was refused
                    refused.append(user)
                    continue
                return unknown(f"could not try a login as {who(user)}", exc)
            kind = "with a guessed default password" if password else "without a password"
            user_dbs = [d for d in dbs if str(d).lower() != "information_schema"]
            return Outcome(EXPOSED, f"logged in as {who(user)} {kind}; "
                                    f"{len(user_dbs)} database(s) visible")
        tried = ", ".join(who(u) for u in refused)
        return Outcome(NOT_EXPOSED, f"login refused for {tried} without a password"
                                    + (" and for the default credentials" if
                                       ctx.settings.try_default_credentials else ""))
