"""How long `validate` takes on a bank split into one file per account (issue 10 item 4).

Before includes were resolved once each, 2,000 files took 83 s and 5,000 about 8 minutes: every new file
was compared with every loaded one. Now the cost is linear in the number of files; this prints the time
per file for two sizes, so a ratio far above 1 shows quadratic work coming back.

    python benchmarks/bench_includes.py               # 1,000 and 5,000 files
    python benchmarks/bench_includes.py --files 2000  # 400 and 2,000 files
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from oa_spec.config.load import load_spec
from oa_spec.config.validate import check


def build(directory: Path, files: int) -> Path:
    for n in range(files):
        path = directory / "accounts" / f"{n % 50:02d}" / f"{n:05d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"accounts:\n  - id: branch-{n:05d}\n    name: 示例银行第{n:05d}支行\n"
                        f"    tags: [{{name: 客群A}}, {{name: 客群B}}]\n", encoding="utf-8")
    main = directory / "oaspec.yaml"
    main.write_text("version: 1\nbank: 示例银行\ninclude: ['accounts/**/*.yaml']\n", encoding="utf-8")
    return main


def seconds_to_validate(files: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        main = build(Path(tmp), files)
        started = time.perf_counter()
        spec, diagnostics = check(load_spec(main))
        elapsed = time.perf_counter() - started
        assert spec is not None and len(spec.accounts) == files, [str(d) for d in diagnostics[:3]]
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=5000)
    files = parser.parse_args().files
    small = max(1, files // 5)
    results = {n: seconds_to_validate(n) for n in (small, files)}
    for n, elapsed in results.items():
        print(f"{n:>6} one-account files: {elapsed:6.2f} s ({elapsed / n * 1000:.2f} ms per file)")
    ratio = (results[files] / files) / (results[small] / small)
    print(f"per-file cost, {files} vs {small} files: {ratio:.2f}x (1.0 is linear)")


if __name__ == "__main__":
    main()
