"""mysql-tls-off: connections (and passwords) cross the network in clear text."""

from __future__ import annotations

from spillguard.exposure._mysql import CLIENT_SSL, driver, rows, session, unknown, variable
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, Check, CheckContext, Outcome


class MysqlTlsOff(Check):
    id = "mysql-tls-off"
    kinds = ("mysql",)
    title = "MySQL/MariaDB does not offer or use TLS"
    severity = "high"
    fix = (
        "Give the server a certificate and require TLS: in my.cnf [mysqld] set "
        "ssl_cert = /etc/mysql/server-cert.pem, ssl_key = /etc/mysql/server-key.pem, "
        "ssl_ca = /etc/mysql/ca.pem and require_secure_transport = ON, restart, and "
        "ALTER USER 'app'@'%' REQUIRE SSL for remote accounts."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        pymysql = driver()
        try:
            with session(ctx) as conn:  # TLS preferred: used whenever the server offers it
                have_ssl = variable(conn, "have_ssl")  # gone in MySQL 8.4: None
                cipher = rows(conn, "SHOW SESSION STATUS LIKE 'Ssl_cipher'")
                require = (variable(conn, "require_secure_transport") or "OFF").upper()
        except pymysql.err.MySQLError as exc:
            caps = getattr(getattr(exc, "mysql_conn", None), "server_capabilities", None)
            if isinstance(caps, int) and caps:  # the server's handshake was read
                if not caps & CLIENT_SSL:
                    return Outcome(EXPOSED, "the server's handshake offers no TLS")
                return Outcome(NOT_EXPOSED, "the server's handshake offers TLS "
                                            "(could not log in to check have_ssl)")
            return unknown("could not reach the server to check TLS", exc)
        if cipher and cipher[0][1]:
            return Outcome(NOT_EXPOSED, "TLS in use for this connection; "
                                        f"require_secure_transport={require}")
        if have_ssl is not None and have_ssl.upper() != "YES":
            return Outcome(EXPOSED, f"have_ssl is {have_ssl or 'empty'}: TLS is not available")
        return Outcome(EXPOSED, "TLS was not negotiated for this connection")
