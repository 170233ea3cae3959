"""The Spark engine's tests share one local SparkSession (local[2]) for the session."""

from __future__ import annotations

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "spark: needs PySpark and Java (deselect with -m 'not spark')")


@pytest.fixture(scope="session")
def spark_session():
    pytest.importorskip("pyspark")
    from spillguard.spark.engine import _session

    session, created = _session("local[2]")
    try:
        yield session
    finally:
        if created:
            session.stop()
