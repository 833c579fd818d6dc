"""PostgreSQL for the backend tests: the cluster `.ci/postgres.sh` started (OASPEC_TEST_PG_DSN), or a
throwaway one started here. Each test gets its own schema. In CI (CI=true) a missing server fails the
tests that need it instead of skipping them, so the backend is never silently untested."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from oa_spec.backend.postgres import PostgresBackend

ROOT = Path(__file__).resolve().parents[2]
# OASPEC_TEST_PG_SCRIPT replaces the script only in test_conftest.py.
SCRIPT = Path(os.environ.get("OASPEC_TEST_PG_SCRIPT") or ROOT / ".ci" / "postgres.sh")


@dataclass(frozen=True)
class Cluster:
    dsn: str
    directory: str | None  # set when this test session started it (and may stop it)

    def halt(self) -> None:
        assert self.directory, "only a cluster the tests started may be stopped"
        subprocess.run([str(SCRIPT), "halt", self.directory], check=True, timeout=60)

    def resume(self) -> None:
        assert self.directory
        subprocess.run([str(SCRIPT), "resume", self.directory], check=True, timeout=60)


def start_cluster() -> Cluster:
    try:
        out = subprocess.run([str(SCRIPT), "start"], capture_output=True, text=True, timeout=180, check=True).stdout
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        message = f"cannot start a throwaway PostgreSQL with {SCRIPT}: {detail}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return Cluster(values["OASPEC_TEST_PG_DSN"], values["OASPEC_TEST_PG_DIR"])


def stop_cluster(cluster: Cluster) -> None:
    if cluster.directory:
        subprocess.run([str(SCRIPT), "destroy", cluster.directory], check=False, timeout=60)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    dsn = os.environ.get("OASPEC_TEST_PG_DSN")
    if dsn:
        yield Cluster(dsn, None)
        return
    cluster = start_cluster()
    yield cluster
    stop_cluster(cluster)


def with_schema(dsn: str, schema: str) -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(dsn, options=f"-csearch_path={schema}")


def create_schema(dsn: str) -> tuple[str, str]:
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return schema, with_schema(dsn, schema)


def drop_schema(dsn: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def pg_dsn(pg_cluster: Cluster) -> Iterator[str]:
    """A DSN whose search_path is a fresh schema of its own."""
    schema, dsn = create_schema(pg_cluster.dsn)
    yield dsn
    drop_schema(pg_cluster.dsn, schema)


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """A cluster of this test's own, which it may stop and start (the database going away mid-run)."""
    cluster = start_cluster()
    yield cluster
    stop_cluster(cluster)


@pytest.fixture
def backend(pg_dsn: str) -> Iterator[PostgresBackend]:
    """The PostgreSQL backend on this test's schema."""
    from oa_spec.backend.postgres import PostgresBackend

    b = PostgresBackend.open(pg_dsn)
    yield b
    b.close()
