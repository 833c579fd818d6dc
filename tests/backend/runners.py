"""CI runners in a test: working directories that share nothing but a PostgreSQL state and the platform
(the emulator), each running the real CLI entry point (`python -m oa_spec`) as its own process, or
in this process where the test is about what a command says rather than about processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import yaml

from oa_spec.emulator import EmulatorServer
from testing.cli import Result, run_in_process, this_checkout_first
from tests.conftest import FIXED_NOW

SECRET_VARIABLE = "OASPEC_RUNNER_SECRET"
SECRET = "runner-test-secret-7c2e91"
ACCOUNT = "acct"


def spec(server: EmulatorServer, appid: str, variant: int = 0, tags: int = 4) -> dict[str, Any]:
    """An account on the emulator; `variant` changes its tags and menus, so each variant is an apply of
    about `tags` + 3 writes."""
    names = [f"客群{variant}-{i}" for i in range(tags)]
    return {"version": 1, "bank": "示例银行", "accounts": [{
        "id": ACCOUNT, "name": "示例银行",
        "provider": {"type": "wechat", "app_id": appid, "app_secret": f"${{{SECRET_VARIABLE}}}",
                     "api_base": server.base_url, "timeout_seconds": 10},
        "tags": [{"name": t} for t in names],
        "menu": [{"name": "服务", "sub_buttons": [{"name": f"入口{variant}-{i}", "type": "click", "key": f"K{i}"}
                                                  for i in range(3)]}],
        "conditional_menus": [{"name": f"m{i}", "match": {"tag": t}, "menu": [
            {"name": "专属", "type": "view", "url": f"https://m.bank.example.cn/{variant}/{i}"}]}
            for i, t in enumerate(names[:2])],
    }]}


def local_spec(variant: int = 0) -> dict[str, Any]:
    """An account of the embedded `local` provider (no platform at all)."""
    return {"version": 1, "bank": "示例银行", "accounts": [{
        "id": ACCOUNT, "name": "示例银行", "provider": {"type": "local"},
        "tags": [{"name": f"客群{variant}-{i}"} for i in range(3)],
        "menu": [{"name": f"服务{variant}", "type": "click", "key": "SERVICE"}]}]}


def write_spec(directory: Path, data: dict[str, Any]) -> Path:
    path = directory / "oaspec.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def runner_env(dsn: str | None, **extra: str) -> dict[str, str]:
    """A runner's environment: this checkout's oa_spec, the state address (None: the files state), the AppSecret,
    a fixed clock."""
    env = {**os.environ, "PYTHONPATH": this_checkout_first(), **runner_variables(dsn, **extra)}
    return {name: value for name, value in env.items() if value is not None}


def runner_variables(dsn: str | None, **extra: str) -> dict[str, str | None]:
    """What a runner sets in (a string) or removes from (None) the environment it starts with."""
    return {"NO_COLOR": "1", "OASPEC_NOW": FIXED_NOW, SECRET_VARIABLE: SECRET, "OASPEC_STATE_DIR": None,
            "OASPEC_LOCK_TIMEOUT": None, "OASPEC_STATE": dsn, **extra}


def oaspec(cwd: Path, dsn: str | None, *args: str, timeout: float = 120, stdin: str = "", process: bool = True,
           **extra: str) -> Result:
    """One run of the CLI in `cwd`: as its own process (`python -m oa_spec`), or, with process=False,
    through click in this process where the process is not what the test is about."""
    if process:
        done = subprocess.run([sys.executable, "-m", "oa_spec", *args], cwd=cwd, env=runner_env(dsn, **extra),
                              input=stdin, capture_output=True, text=True, timeout=timeout, check=False)
        result = Result(tuple(args), done.returncode, done.stdout, done.stderr)
    else:
        result = run_in_process(*args, cwd=cwd, env=runner_variables(dsn, **extra), stdin=stdin)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def start(cwd: Path, dsn: str | None, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "oa_spec", *args], cwd=cwd, env=runner_env(dsn, **extra),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@contextmanager
def resumed(proc: subprocess.Popen[str]) -> Iterator[None]:
    """A stopped process is continued whatever the test does, so it never outlives the test stopped."""
    try:
        yield
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGCONT)


def wait_for(condition: Callable[[], bool], timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def query(dsn: str, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return list(conn.execute(sql, params).fetchall())


def journal_started(dsn: str) -> bool:
    """A run has recorded its journal: it holds the lock and is about to write (or writing)."""
    try:
        return bool(query(dsn, "SELECT 1 FROM oaspec_revisions WHERE phase = 'started'"))
    except psycopg.errors.UndefinedTable:  # the first run has not made the schema yet
        return False
