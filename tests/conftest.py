import os

import pytest
from hypothesis import settings as hypothesis_settings

# `make test` and CI draw the same hypothesis examples on every run, so a red run can be
# rerun and a green main stays green; HYPOTHESIS_PROFILE=explore draws new ones.
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files from the current output instead of comparing",
    )


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")
