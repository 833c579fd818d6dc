"""A longer soak of the fault suite (testing/faults.py): many more seeded apply attempts against the
emulator under random faults, with the same checks as CI (all-or-nothing changes recorded exactly,
a converging re-run, no secret in any file, result or log line).

    python benchmarks/soak_faults.py                   # 2,000 attempts (about 15 minutes)
    python benchmarks/soak_faults.py --attempts 300 --seed 7

Exit 0 when every attempt held; otherwise hypothesis prints the smallest failing attempt (its specs
and faults), and the exit status is 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from oa_spec.emulator import run_emulator  # noqa: E402
from testing.faults import SECRET, SECRET_VARIABLE, LogCapture, Secrets, run_attempt  # noqa: E402


def soak(attempts: int, seed_value: int) -> Counter[str]:
    os.environ[SECRET_VARIABLE] = SECRET
    secrets = Secrets()
    outcomes: Counter[str] = Counter()
    capture = LogCapture()
    logging.getLogger().addHandler(capture)
    logging.getLogger().setLevel(logging.DEBUG)
    with run_emulator() as server:
        os.environ["OASPEC_ALLOWED_API_BASES"] = server.base_url  # the documented allowance

        @seed(seed_value)
        @settings(max_examples=attempts, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(data=st.data())
        def attempt(data: st.DataObject) -> None:
            with tempfile.TemporaryDirectory() as tmp:
                outcomes[run_attempt(server, Path(tmp), data, secrets)] += 1
            leaks = secrets.leaks_in(capture.lines)
            capture.lines.clear()  # checked per attempt, so memory stays flat over a long soak
            assert not leaks, leaks
            if sum(outcomes.values()) % 100 == 0:
                print(f"{sum(outcomes.values())} attempts: {dict(outcomes)}", file=sys.stderr)

        attempt()
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.monotonic()
    outcomes = soak(args.attempts, args.seed)
    print(f"{sum(outcomes.values())} attempts in {time.monotonic() - started:.0f} s, all held: {dict(outcomes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
