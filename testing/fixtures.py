"""The suite's shared fixtures, a pytest plugin loaded by the top-level conftest.py."""

from __future__ import annotations

import compileall
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.providers.wechat import WeChatProvider
from testing import EXAMPLES, FIXED_NOW, ROOT
from testing.accounts import PROVIDERS, LiveAccount, LocalAccount, WeChatAccount
from testing.cli import Cli, Env, Result, run_cli
from testing.emulator import EmulatorAccount, allowed_emulator, fresh_account

EITHER_PROVIDER_ACCOUNT = EmulatorAccount("wx00000000b0th0001", "either-provider-secret-4c1d")

# Retry delays for in-process runs: the same four attempts as the default (0.25, 0.5, 1.0), without
# waiting seconds for an emulator that answers at once. What a retry does is asserted, not how long it waits.
FAST_RETRIES = (0.005, 0.01, 0.02)


# Settings an operator exports for a CI job that narrow what oaspec accepts (README "In CI").
OPERATOR_SETTINGS = ("OASPEC_REQUIRED_PACKS", "OASPEC_ALLOWED_API_BASES")


def pytest_configure(config: pytest.Config) -> None:
    """A pytest that a test starts (tests/backend/test_conftest.py does) runs in one process: the
    `-n auto` of addopts, read again by that inner run, would otherwise give it workers of its own.
    xdist has chosen this run's workers by now, and they inherit the variable harmlessly."""
    os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"] = "0"
    for operator_setting in OPERATOR_SETTINGS:  # a CI job's exported pins must not change what every test's spec is
        os.environ.pop(operator_setting, None)  # held to; the tests of each pin set it themselves
    config.addinivalue_line("markers", "long: takes ten seconds or more (real processes, fault suites); runs first")
    if not hasattr(config, "workerinput"):
        _compile_bytecode()
        _rewrite_test_modules(config)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `long` go first, so the workers start on them together: run last, one of them kept a
    worker busy for ten seconds after the others had finished."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto`: two workers per core. About half of the suite's time is spent waiting (on child
    processes, PostgreSQL, the emulator's latency, leases running out), which a second worker per core
    fills: on the 2-core machine the whole suite took 197 s with 2 workers and 174 s with 4.
    PYTEST_XDIST_AUTO_NUM_WORKERS, when set (an inner pytest, see above), is left to xdist."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return 2 * (os.cpu_count() or 1)


def _compile_bytecode() -> None:
    """Write the bytecode of oa_spec (and of the test helpers that child processes import) once, before
    the workers start. Many tests start `oaspec` in a child process; with PYTHONDONTWRITEBYTECODE set
    (as on the CI machines) or on a fresh clone, each child would otherwise compile every module it
    imports again (~0.35 s of CPU per process). A wheel install does the same at install time;
    unchanged modules are skipped."""
    for package in ("oa_spec", "testing", "tests"):
        compileall.compile_dir(ROOT / package, quiet=1)


def _rewrite_test_modules(config: pytest.Config) -> None:
    """Write pytest's assertion-rewritten bytecode of the test modules once, before the workers start.
    With PYTHONDONTWRITEBYTECODE set pytest rewrites every test module in every worker and never keeps
    the result (about 4 s of CPU per worker on the 2-core machine), though it reads such a file when one
    exists. Done with pytest's own functions, which are not public: if they change, the workers rewrite
    as they did before. A run in one process (-n 0) rewrites only what it collects, as usual."""
    if not config.getoption("numprocesses", None):
        return
    try:
        from _pytest.assertion.rewrite import (
            PYC_TAIL,
            _read_pyc,
            _rewrite_test,
            _write_pyc,
            assertstate_key,
            get_cache_dir,
        )

        state = config.stash[assertstate_key]
    except (ImportError, KeyError):
        return
    test_files = [path for pattern in config.getini("python_files") for path in (ROOT / "tests").rglob(pattern)]
    modules = [*ROOT.glob("conftest.py"), *(ROOT / "testing").glob("*.py"), *test_files,
               *(ROOT / "tests").rglob("conftest.py")]
    for path in modules:
        cache = get_cache_dir(path)
        pyc = cache / (path.name[:-3] + PYC_TAIL)
        if _read_pyc(path, pyc) is None:
            cache.mkdir(exist_ok=True)
            source_stat, code = _rewrite_test(path, config)
            _write_pyc(state, code, source_stat, pyc)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process code reads the same fixed clock as the CLI runs."""
    monkeypatch.setenv("OASPEC_NOW", FIXED_NOW)


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeChat providers made without explicit retry delays (as the CLI makes them) retry after
    FAST_RETRIES. A test of the delays themselves passes its own."""
    init = WeChatProvider.__init__
    defaults = init.__kwdefaults__
    assert defaults is not None and "retry_delays" in defaults, "WeChatProvider(..., *, retry_delays=...)"
    monkeypatch.setattr(init, "__kwdefaults__", {**defaults, "retry_delays": FAST_RETRIES})


@pytest.fixture(autouse=True)
def no_waiting_for_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """os.fsync in this process checks its descriptor, as the real one does, but does not wait for the disk.
    A flush to the platter only shows after a power loss, which no test makes; on the 2-core machine the
    in-process tests made ~12,000 of them, 46 s of waiting. Every write path still calls it (a test of the
    calls themselves, tests/history/test_storage.py, records them), and `python -m oa_spec` children, the
    runs that are killed mid-write, flush for real."""
    monkeypatch.setattr(os, "fsync", _fsync_without_waiting)


def _fsync_without_waiting(fd: int) -> None:
    os.fstat(fd)  # a closed or invalid descriptor fails as fsync would (EBADF)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """`cli("plan", "-f", ...)` runs oaspec in tmp_path (state in tmp_path/.oaspec), in-process."""

    def run(*args: str, env: Env | None = None, stdin: str = "", process: bool = False) -> Result:
        return run_cli(*args, cwd=tmp_path, env=env, stdin=stdin, process=process)

    return run


@pytest.fixture
def citybank(tmp_path: Path) -> Path:
    """A private copy of the realistic example, so a test may edit it."""
    target = tmp_path / "citybank"
    shutil.copytree(EXAMPLES / "citybank", target)
    return target / "oaspec.yaml"


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    """The WeChat API emulator on loopback, one per test module (tests reset what they use)."""
    with allowed_emulator() as running:
        yield running


@pytest.fixture
def admin(server: EmulatorServer, request: pytest.FixtureRequest) -> EmulatorAdmin:
    """The emulator reset to the one account the test module describes as EMULATOR_ACCOUNT."""
    account = getattr(request.module, "EMULATOR_ACCOUNT", None)
    assert isinstance(account, EmulatorAccount), f"{request.module.__name__} defines no EMULATOR_ACCOUNT"
    return fresh_account(server.admin, account)


@pytest.fixture(params=PROVIDERS)
def account(request: pytest.FixtureRequest, tmp_path: Path) -> LiveAccount:
    """The account `bank`, once on the local provider and once on the WeChat provider against the
    emulator: a test using it is one scenario run on both. State and CLI runs are in tmp_path."""
    if request.param == "local":
        return LocalAccount("bank", tmp_path / ".oaspec")
    server: EmulatorServer = request.getfixturevalue("server")
    live = WeChatAccount("bank", server, EITHER_PROVIDER_ACCOUNT)
    fresh_account(server.admin, EITHER_PROVIDER_ACCOUNT)
    return live
