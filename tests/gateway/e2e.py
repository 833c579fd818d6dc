"""Real parts for the end-to-end gateway tests: `oaspec serve` as a process on a loopback port, the other
commands through the shared CLI runner in this process (what a process adds, its exit codes and streams,
is tests/cli/test_process.py's; here it cost half a second of CPU a command), the emulator in-process
playing the platform. Every wait is bounded."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from testing.cli import Result, run_cli
from tests.gateway.helpers import OFFICIAL_APPID, OFFICIAL_KEY, OFFICIAL_TOKEN
from tests.gateway.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "emulator-app-secret-value"
ENV = {"OASPEC_CITYBANK_TOKEN": OFFICIAL_TOKEN, "OASPEC_CITYBANK_AES_KEY": OFFICIAL_KEY,
       "OASPEC_CITYBANK_SECRET": SECRET, "OASPEC_CITYBANK_HOOK": "webhook-signing-secret"}
APP_ID = OFFICIAL_APPID


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(extra or {})}
    env.pop("OASPEC_STATE_DIR", None)
    return env


def oaspec(*args: str, cwd: Path, env: dict[str, str] | None = None, process: bool = False) -> Result:
    """One command, with the gateway's secrets set. `process=True` for `oaspec serve`, which would block
    this process if it did not refuse to start."""
    if process:
        done = subprocess.run([sys.executable, "-m", "oa_spec", *args], cwd=cwd, env=environment(env),
                              capture_output=True, text=True, timeout=120, check=False)
        return Result(tuple(args), done.returncode, done.stdout, done.stderr)
    return run_cli(*args, cwd=cwd, env={**ENV, **(env or {})})


def applied(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = oaspec(*args, "--auto-approve", cwd=cwd, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@contextmanager
def serving(cwd: Path, spec: str = "oaspec.yaml", env: dict[str, str] | None = None,
            workers: int = 1) -> Iterator[tuple[str, list[str]]]:
    """`oaspec serve` as a process; yields its base URL and, after it stopped, its output lines."""
    port = free_port()
    log = cwd / f"serve-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "oa_spec", "serve", "-f", spec, "--port", str(port),
                                    "--workers", str(workers)], cwd=cwd, env=environment(env), stdout=out,
                                   stderr=subprocess.STDOUT)
    output: list[str] = []
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=0.5).status_code == 200:  # up, if perhaps degraded
                    break
            except requests.RequestException:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "oaspec serve did not come up in 30 s: " + log.read_text()
            time.sleep(0.1)
        yield base, output
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        output.extend(log.read_text(encoding="utf-8", errors="replace").splitlines())


def until_reply(push: object, wanted: str, limit_s: float = 3.0) -> float:
    """Push a message every 50 ms until the reply is `wanted`; the seconds it took (bounded)."""
    started = time.monotonic()
    while True:
        answer = push()  # type: ignore[operator]
        reply = answer.get("reply") or {}
        if reply.get("Content") == wanted:
            return time.monotonic() - started
        assert time.monotonic() - started < limit_s, f"still {reply.get('Content')!r} after {limit_s} s"
        time.sleep(0.05)
