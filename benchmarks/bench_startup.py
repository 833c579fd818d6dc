"""How fast oaspec starts: `oaspec --help` and `validate` of the citybank example, as whole processes,
next to a bare interpreter and to an interpreter that only imports yaml and pydantic (what any
spec tool built on them pays). Targets on the 2-core machine: --help <= 0.15 s, validate <= 0.30 s.

    python benchmarks/bench_startup.py            # 15 runs of each, interleaved; the median counts
    python benchmarks/bench_startup.py --runs 5

Runs are interleaved (a, b, c, d, a, b, ...) so that load from other processes on the machine falls
on all four alike; the ratios are what compares across machines. oa_spec's bytecode is written first,
as `pip install` does: with PYTHONDONTWRITEBYTECODE set (as on the 2-core machine) a checkout would
otherwise compile every module again in every run.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITYBANK = ROOT / "specs" / "examples" / "citybank" / "oaspec.yaml"
TARGETS = {"oaspec --help": 0.15, "oaspec validate (citybank)": 0.30}


def commands() -> dict[str, list[str]]:
    python = sys.executable
    return {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import yaml, pydantic'": [python, "-c", "import yaml, pydantic"],
        "oaspec --help": [python, "-m", "oa_spec", "--help"],
        "oaspec validate (citybank)": [python, "-m", "oa_spec", "validate", "-f", str(CITYBANK)],
    }


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=env, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    # force: compileall keeps a .pyc written in the second its source was edited again, which import refuses
    compileall.compile_dir(ROOT / "oa_spec", quiet=1, force=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("OASPEC_STATE", None)
    runs: dict[str, list[float]] = {name: [] for name in commands()}
    for _ in range(args.runs):
        for name, argv in commands().items():
            runs[name].append(timed(argv, env))
    median = {name: statistics.median(times) for name, times in runs.items()}
    bare, libs = median["python -c pass"], median["python -c 'import yaml, pydantic'"]
    print(f"{'command':<36} {'median s':>9} {'x bare':>7} {'x yaml+pydantic':>16}  target")
    for name, value in median.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else f"<= {target:.2f} s {'met' if value <= target else 'MISSED'}"
        print(f"{name:<36} {value:>9.3f} {value / bare:>7.2f} {value / libs:>16.2f}  {verdict}")


if __name__ == "__main__":
    main()
