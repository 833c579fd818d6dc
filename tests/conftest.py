"""Shared test helpers: run the real CLI entry point in a subprocess, in a scratch directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from oa_spec.emulator import EmulatorServer, run_emulator
from oa_spec.util.secrets import ALLOWED_API_BASES_VARIABLE

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "specs" / "examples"
FIXED_NOW = "2026-11-25T10:00:00+08:00"

Cli = Callable[..., subprocess.CompletedProcess[str]]


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = "",
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    # A fixed clock: waiver expiry, freeze windows and cadence must not depend on the day CI runs.
    full_env = {**os.environ, "NO_COLOR": "1", "OASPEC_NOW": FIXED_NOW, **(env or {})}
    full_env.pop("OASPEC_STATE_DIR", None)
    return subprocess.run([sys.executable, "-m", "oa_spec", *args], cwd=cwd, env=full_env, input=stdin,
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process code reads the same fixed clock as the CLI subprocesses."""
    monkeypatch.setenv("OASPEC_NOW", FIXED_NOW)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """`cli("plan", "-f", ...)` runs oaspec in tmp_path (state in tmp_path/.oaspec)."""

    def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, cwd=tmp_path, **kwargs)  # type: ignore[arg-type]

    return run


@pytest.fixture
def citybank(tmp_path: Path) -> Path:
    """A private copy of the realistic example, so a test may edit it."""
    target = tmp_path / "citybank"
    shutil.copytree(EXAMPLES / "citybank", target)
    return target / "oaspec.yaml"


@contextmanager
def allowed_api_base(base: str) -> Iterator[None]:
    """Allow `base` the documented way (OASPEC_ALLOWED_API_BASES), for this process and the CLIs it runs."""
    before = os.environ.get(ALLOWED_API_BASES_VARIABLE)
    os.environ[ALLOWED_API_BASES_VARIABLE] = ",".join(filter(None, [before, base]))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ALLOWED_API_BASES_VARIABLE, None)
        else:
            os.environ[ALLOWED_API_BASES_VARIABLE] = before


@contextmanager
def allowed_emulator(**options: Any) -> Iterator[EmulatorServer]:
    """The emulator, with its address allowed as an api_base while it runs."""
    with run_emulator(**options) as running, allowed_api_base(running.base_url):
        yield running


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    """The WeChat API emulator on loopback, one per test module (tests reset what they use)."""
    with allowed_emulator() as running:
        yield running


def seed_console_reply(server: EmulatorServer, appid: str, secret: str, text: str) -> None:
    """An emulator account as the console left it: a default auto-reply the API cannot write."""
    server.admin.reset()
    server.admin.register_app(appid, secret)
    state = server.admin.state(appid)
    state["autoreply"] = {"is_add_friend_reply_open": 0, "is_autoreply_open": 1,
                          "message_default_autoreply_info": {"type": "text", "content": text}}
    server.admin.seed(appid, state)
