"""mysql-anonymous-grants: anonymous accounts ('' user) exist or hold grants."""

from __future__ import annotations

from spillguard.exposure._mysql import driver, error_code, rows, session, skip_grant_tables, unknown
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

_PRIVILEGE_VIEWS = ("USER_PRIVILEGES", "SCHEMA_PRIVILEGES", "TABLE_PRIVILEGES")


class MysqlAnonymousGrants(Check):
    id = "mysql-anonymous-grants"
    kinds = ("mysql",)
    title = "MySQL/MariaDB has anonymous accounts"
    severity = "high"
    fix = (
        "Drop the anonymous accounts and restart without --skip-grant-tables: "
        "SELECT User, Host FROM mysql.user WHERE User = ''; then DROP USER ''@'<host>' for each "
        "(mariadb-secure-installation does the same). So that spillguard can verify it, give the "
        "scanning account GRANT SELECT (User, Host) ON mysql.user TO 'spillguard'@'<host>'."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        pymysql = driver()
        try:
            with session(ctx) as conn:
                if skip_grant_tables(conn):
                    return Outcome(EXPOSED, "skip_grant_tables is ON: every connection is "
                                            "anonymous-equivalent with every privilege")
                try:
                    n = rows(conn, "SELECT COUNT(*) FROM mysql.user WHERE User = ''")[0][0]
                    return (Outcome(EXPOSED, f"{n} anonymous account(s) in mysql.user") if n
                            else Outcome(NOT_EXPOSED, "no anonymous account in mysql.user"))
                except pymysql.err.MySQLError as exc:
                    if error_code(exc) not in (1142, 1143, 1044, 1146):
                        raise
                grants = 0
                for view in _PRIVILEGE_VIEWS:  # only what this account may see
                    grants += rows(conn, f"SELECT COUNT(*) FROM information_schema.{view} "
                                         "WHERE GRANTEE LIKE %s", ("''@%",))[0][0]
                if grants:
                    return Outcome(EXPOSED, f"{grants} grant(s) to an anonymous account visible")
                return Outcome(UNKNOWN, "mysql.user is not visible to this account: "
                                        "GRANT SELECT (User, Host) ON mysql.user to check")
        except pymysql.err.MySQLError as exc:
            return unknown("could not list the accounts", exc)
