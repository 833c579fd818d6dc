"""Shared test helpers for oaspec's suite (tests/) and the benchmarks that reuse them.

- `testing.cli`: the one way tests run the `oaspec` command, in-process (click's runner) or, where the
  process itself is the contract, as `python -m oa_spec`.
- `testing.emulator`: the WeChat API emulator on loopback, an account in it, the api_base allowance.
- `testing.fixtures`: the pytest fixtures built on these (loaded by the top-level conftest.py).
- `testing.convergence`: random valid specs and a driver that runs the library pipeline.
- `testing.faults`: the randomized fault attempt, shared by tests/ and benchmarks/soak_faults.py.
- `testing.faq`: the labelled FAQ question sets, scores and calibration (tests/gateway/faq, bench_faq.py).
- `testing.assertion_count`: counts the suite's assertions, statically and as run.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "specs" / "examples"
FIXTURES = ROOT / "tests" / "fixtures"
# A fixed clock: waiver expiry, freeze windows and cadence must not depend on the day CI runs.
FIXED_NOW = "2026-11-25T10:00:00+08:00"
