"""What the PostgreSQL state costs next to the files state, for what users run: a no-change `plan` and an
`apply`, through the real CLI (`python -m oa_spec`), measured side by side.

Two working directories hold the same realistic spec (specs/examples/citybank: two accounts on the local
provider, the cn-bank policy pack); one keeps its state in files, the other in PostgreSQL. The runs
alternate (files, PostgreSQL, files, ...) so load on the machine hits both alike; each apply adds or
removes one tag, so every apply journals, writes, verifies and records a revision. Reported: the median
wall time of each and the PostgreSQL/files ratio (the issue's target: at most 1.2x). The local provider
is the harshest case for the ratio: with the real platform every run also waits for its API.

`--ops` adds the state operations alone (append, read, lock, audit), per operation, in-process.

    .ci/postgres.sh run python benchmarks/bench_state.py            # 9 runs of each
    OASPEC_TEST_PG_DSN=... python benchmarks/bench_state.py -n 15 --ops
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo

from oa_spec.backend.base import LockRequest
from oa_spec.backend.postgres import PostgresBackend
from oa_spec.history import audit
from oa_spec.history.lock import account_lock
from oa_spec.history.revisions import Revision, RevisionStore
from oa_spec.kinds.state import AccountState, Tag

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "specs" / "examples" / "citybank"
TAGS = "    tags:\n      - name: 高净值客户\n"
EXTRA_TAG = TAGS + "      - name: 基准测试客群\n"
ACCOUNT = "citybank"


# --- the CLI, side by side ----------------------------------------------------------------------------
def oaspec(work: Path, dsn: str | None, *args: str) -> float:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("OASPEC_STATE", None)
    env.pop("OASPEC_STATE_DIR", None)
    if dsn is not None:
        env["OASPEC_STATE"] = dsn
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "oa_spec", *args], cwd=work, env=env, capture_output=True,
                          text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 2):
        raise SystemExit(f"oaspec {' '.join(args)} failed in {work}:\n{done.stderr}")
    return elapsed


def with_tag(work: Path, extra: bool) -> None:
    account = work / "citybank" / "accounts" / "citybank.yaml"
    text = account.read_text(encoding="utf-8")
    account.write_text(text.replace(EXTRA_TAG, TAGS) if not extra else text.replace(TAGS, EXTRA_TAG, 1)
                       if EXTRA_TAG not in text else text, encoding="utf-8")


def cli_times(root: Path, dsn: str, n: int) -> dict[str, tuple[list[float], list[float]]]:
    works: dict[str, tuple[Path, str | None]] = {"files": (root / "files", None), "postgres": (root / "pg", dsn)}
    for work, state in works.values():
        shutil.copytree(EXAMPLE, work / "citybank")
        oaspec(work, state, "apply", "-f", "citybank/oaspec.yaml", "--auto-approve")  # the accounts exist
    times: dict[str, tuple[list[float], list[float]]] = {"plan (no change)": ([], []), "apply (one tag)": ([], [])}
    for i in range(n):
        for column, (work, state) in enumerate(works.values()):
            times["plan (no change)"][column].append(oaspec(work, state, "plan", "-f", "citybank/oaspec.yaml"))
        for column, (work, state) in enumerate(works.values()):
            with_tag(work, extra=i % 2 == 0)
            times["apply (one tag)"][column].append(
                oaspec(work, state, "apply", "-f", "citybank/oaspec.yaml", "--auto-approve", "--allow-destroy"))
    return times


# --- the state operations alone -----------------------------------------------------------------------
def revision(number: int) -> Revision:
    state = AccountState(tags=tuple(Tag(name=f"客群{t:03d}") for t in range(20)))
    return Revision(number=number, account=ACCOUNT, time="2026-11-25T02:00:00+00:00", user="bench", operation="apply",
                    status="applied", spec_digest="sha256:" + "a" * 64, desired=state, live_before=AccountState(),
                    live_after=state, changes=[], applied=[], managed={"tags": [t.name for t in state.tags]})


def timed(action: Callable[[int], object], n: int) -> float:
    start = time.perf_counter()
    for i in range(1, n + 1):
        action(i)
    return time.perf_counter() - start


def files_ops(state_dir: Path, n: int) -> dict[str, float]:
    store = RevisionStore(state_dir, ACCOUNT)

    def lock(_: int) -> None:
        with account_lock(state_dir, ACCOUNT, "apply"):
            pass

    return {
        "append": timed(lambda i: store.save(revision(i)), n),
        "read": timed(lambda _: store.get(store.numbers()[-1]), n), "lock": timed(lock, n),
        "audit": timed(lambda i: audit.append(state_dir, "apply", ACCOUNT, "applied", revision=i), n),
    }


def postgres_ops(backend: PostgresBackend, n: int) -> dict[str, float]:
    request = LockRequest(holder="bench", host=socket.gethostname(), operation="apply", pid=os.getpid())
    lease = backend.acquire(ACCOUNT, request)
    times = {"append": timed(lambda i: backend.append(ACCOUNT, revision(i), lease), n),
             "read": timed(lambda _: backend.get(ACCOUNT, backend.numbers(ACCOUNT)[-1]), n)}
    backend.release(ACCOUNT, lease.lock_id)

    def lock(_: int) -> None:
        held = backend.acquire(ACCOUNT, request)
        backend.release(ACCOUNT, held.lock_id)

    times["lock"] = timed(lock, n)
    times["audit"] = timed(lambda i: backend.audit_append("apply", ACCOUNT, "applied", revision=i), n)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=9, help="runs of each command per state")
    parser.add_argument("--ops", action="store_true", help="also time the state operations alone (200 each)")
    args = parser.parse_args()
    dsn = os.environ.get("OASPEC_TEST_PG_DSN")
    if not dsn:
        print("set OASPEC_TEST_PG_DSN, or run under `.ci/postgres.sh run`", file=sys.stderr)
        return 2
    schemas = ["bench_" + uuid.uuid4().hex[:8] for _ in range(2)]
    with psycopg.connect(dsn, autocommit=True) as conn:
        for schema in schemas:
            conn.execute(f"CREATE SCHEMA {schema}")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cli = cli_times(Path(tmp), make_conninfo(dsn, options=f"-csearch_path={schemas[0]}"), args.n)
            ops = None
            if args.ops:
                files = files_ops(Path(tmp) / "ops", 200)
                backend = PostgresBackend.open(make_conninfo(dsn, options=f"-csearch_path={schemas[1]}"))
                try:
                    ops = (files, postgres_ops(backend, 200))
                finally:
                    backend.close()
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            for schema in schemas:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
    print(f"{'command':<18}{'files s':>9}{'postgres s':>12}{'ratio':>8}   (median of {args.n}, alternating)")
    for name, (files_runs, pg_runs) in cli.items():
        f, p = statistics.median(files_runs), statistics.median(pg_runs)
        print(f"{name:<18}{f:>9.3f}{p:>12.3f}{p / f:>7.2f}x")
    if ops is not None:
        print(f"\n{'operation':<10}{'files ms':>10}{'postgres ms':>13}{'ratio':>8}   (200 each, per operation)")
        for name in ops[0]:
            f_ms, p_ms = ops[0][name] * 1000 / 200, ops[1][name] * 1000 / 200
            print(f"{name:<10}{f_ms:>10.2f}{p_ms:>13.2f}{p_ms / f_ms:>7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
