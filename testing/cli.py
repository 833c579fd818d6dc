"""The one CLI runner: `run_cli("plan", "-f", spec, cwd=...)`.

By default the command runs in this process through click's CliRunner, in `cwd`, with the environment
a subprocess would get: the fixed clock, NO_COLOR, no OASPEC_STATE_DIR, plus `env`. stdout and stderr
are kept apart, and an exception that escapes the command is shown as Python would show it (a
traceback on stderr, exit 1), so "no traceback" checks mean the same in both modes.

`process=True` runs the real `python -m oa_spec` instead (about half a second each, mostly imports):
only for the contracts of the process itself — exit codes and what goes to which stream, as a shell,
CI or a pipe sees them (tests/cli/test_process.py) — and for runs that must be killed or must not
share this process (a crash mid-apply).
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import subprocess
import sys
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from click.testing import CliRunner

from testing import FIXED_NOW, ROOT

Env = Mapping[str, str | None]  # variables to set for a run; None unsets one


@dataclass(frozen=True)
class Result:
    """What a run printed and how it ended (the field names of subprocess.CompletedProcess)."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Cli(Protocol):
    """The `cli` fixture: `run_cli` in the test's tmp_path."""

    def __call__(self, *args: str, env: Env | None = None, stdin: str = "",
                 process: bool = False) -> Result: ...


def base_env(env: Env | None = None) -> dict[str, str | None]:
    """What every run adds to the environment: the fixed clock, NO_COLOR, no OASPEC_STATE_DIR, and `env`."""
    return {"NO_COLOR": "1", "OASPEC_NOW": FIXED_NOW, "OASPEC_STATE_DIR": None, **(env or {})}


def run_cli(*args: str, cwd: Path, env: Env | None = None, stdin: str = "",
            timeout: float = 60, process: bool = False, log_level: int | None = None) -> Result:
    """Run `oaspec ARGS` in `cwd`. `log_level` also writes every log record of oaspec and the HTTP
    libraries at that level to the run's stderr (as `logging.basicConfig` in the process would)."""
    if process:
        return run_process(*args, cwd=cwd, env=env, stdin=stdin, timeout=timeout, log_level=log_level)
    return run_in_process(*args, cwd=cwd, env=env, stdin=stdin, log_level=log_level)


def run_in_process(*args: str, cwd: Path, env: Env | None = None, stdin: str = "",
                   log_level: int | None = None) -> Result:
    from oa_spec.cli.main import main

    runner = CliRunner()
    with contextlib.chdir(cwd), _logging_to_stderr(log_level):
        result = runner.invoke(main, list(args), input=stdin, env=base_env(env), prog_name="oaspec")
    stderr = result.stderr
    code = result.exit_code
    if result.exc_info is not None and not isinstance(result.exc_info[1], SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))  # what the interpreter would print
        code = 1
    return Result(tuple(args), code, result.stdout, stderr)


def run_process(*args: str, cwd: Path, env: Env | None = None, stdin: str = "", timeout: float = 60,
                log_level: int | None = None, memory_limit: int | None = None) -> Result:
    """The real entry point in a child process that imports this checkout's oa_spec; `memory_limit`
    caps its address space (bytes), so a spec that would blow up memory fails the run, not the machine."""
    command = [sys.executable, "-m", "oa_spec", *args]
    if log_level is not None:
        command = [sys.executable, "-c", "import logging, runpy, sys; sys.argv[0] = 'oaspec'; "
                   f"logging.basicConfig(level={log_level}, format='LOG %(name)s %(levelname)s %(message)s'); "
                   "runpy.run_module('oa_spec', run_name='__main__')", *args]
    def limit() -> None:
        if memory_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    done = subprocess.run(command, cwd=cwd, env=child_env(env), input=stdin, capture_output=True, text=True,
                          timeout=timeout, check=False, preexec_fn=limit if memory_limit is not None else None)
    return Result(tuple(args), done.returncode, done.stdout, done.stderr)


def child_env(env: Env | None = None) -> dict[str, str]:
    """The environment of a `python -m oa_spec` child: this one, base_env(env), and this checkout first
    on the import path (the installed package may be another checkout's)."""
    full_env = {key: value for key, value in {**os.environ, **base_env(env)}.items() if value is not None}
    full_env["PYTHONPATH"] = this_checkout_first()
    return full_env


def this_checkout_first() -> str:
    """PYTHONPATH for a child that must import this checkout's oa_spec (the installed package may be another's)."""
    return os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))


class _CurrentStderr:
    """sys.stderr as it is when written to: inside the runner, the run's own stderr."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


@contextlib.contextmanager
def _logging_to_stderr(level: int | None) -> Iterator[None]:
    if level is None:
        yield
        return
    handler = logging.StreamHandler(_CurrentStderr())
    handler.setFormatter(logging.Formatter("LOG %(name)s %(levelname)s %(message)s"))
    handler.addFilter(_not_the_emulator)  # it runs in this process too; a real CLI would not print its log
    root = logging.getLogger()
    before = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(before)


def _not_the_emulator(record: logging.LogRecord) -> bool:
    return not record.name.startswith("oa_spec.emulator")
