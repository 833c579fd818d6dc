"""Run a hostile spec through the library's load and check path, in-process, within a time and memory budget.

Each case asserts what a user would see: no exception other than SpecError escapes, the run ends within
`seconds` of CPU, Python allocates at most `megabytes` (tracemalloc's peak), and every diagnostic has a file:line:col.
"""

from __future__ import annotations

import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from oa_spec.config.diagnostics import Diagnostic, SpecError
from oa_spec.config.load import load_spec
from oa_spec.config.validate import check

HEAD = "version: 1\nbank: 测试银行\n"
ACCOUNT = HEAD + "accounts:\n  - id: demo\n    name: 示例\n"


@dataclass
class Outcome:
    diagnostics: list[Diagnostic]
    seconds: float
    peak_bytes: int

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def error_text(self) -> str:
        return "\n".join(str(d) for d in self.errors)


def write(directory: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return directory / "oaspec.yaml"


def run(spec: Path, seconds: float = 5.0, megabytes: float = 200.0) -> Outcome:
    """Load and check `spec`, within budget; only SpecError may come out of the library."""
    tracemalloc.start()
    started = time.process_time()
    try:
        try:
            diagnostics = check(load_spec(spec))[1]
        except SpecError as exc:
            diagnostics = exc.diagnostics
        elapsed = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f}s"
    assert peak < megabytes * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    for diagnostic in diagnostics:
        assert diagnostic.position.line >= 1 and diagnostic.position.col >= 1, diagnostic
        assert diagnostic.position.file, diagnostic
    return Outcome(diagnostics, elapsed, peak)


def run_text(directory: Path, text: str | bytes, seconds: float = 5.0, megabytes: float = 200.0,
             **files: str | bytes) -> Outcome:
    return run(write(directory, {"oaspec.yaml": text, **files}), seconds, megabytes)
