"""Without a server, backend tests skip on a laptop but FAIL in CI, so the backend is never silently untested."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEEDS_SERVER = "tests/backend/test_postgres.py::test_schema_migrations_are_idempotent_and_versioned"


def run_without_server(ci: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OASPEC_TEST_PG_DSN", "CI")}
    env.update({"OASPEC_TEST_PG_SCRIPT": "/bin/false", "PYTHONPATH": str(ROOT)})
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", NEEDS_SERVER, "-q", "-rs", "-p", "no:cacheprovider"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(("ci", "returncode", "outcome"), [("true", 1, "Failed: "), (None, 0, "SKIPPED [1] ")])
def test_a_missing_server_fails_in_ci_and_skips_elsewhere(ci: str | None, returncode: int, outcome: str) -> None:
    result = run_without_server(ci)
    assert result.returncode == returncode, result.stdout[-2000:]
    assert outcome in result.stdout and "cannot start a throwaway PostgreSQL with /bin/false" in result.stdout
    assert "bringing up nodes" not in result.stdout  # one process: no xdist workers of its own
