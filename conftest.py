"""The suite's shared fixtures live in testing/ (see testing/__init__.py); this loads them for tests/."""

import pytest

pytest.register_assert_rewrite("testing")
pytest_plugins = ["testing.fixtures"]
