"""Fuzz the spec loader and validator: any exception other than SpecError/OaspecError is a crash.

Three generators take turns until the time is up:
- structured: hypothesis builds spec-like documents (the model's own field names, values of every
  YAML type, wrong types in the right places, deep nesting) and dumps them as YAML;
- mutate:     byte- and line-level mutations of the example specs and test fixtures, with YAML
              fragments a hostile pull request might carry (anchors, merges, tags, includes that
              climb out of the root, ${VAR}, huge scalars, tabs, BOMs);
- atheris:    libFuzzer-guided byte fuzzing of the same target (with --atheris, when installed).

Each input runs in a scratch directory through load_spec -> check -> compile (what `oaspec validate`
runs), with a per-input time limit; a crash or a hang is saved to tests/fuzz_corpus/, where
tests/config/test_fuzz_regressions.py turns it into a regression test.

    python benchmarks/fuzz_spec.py                      # 10 minutes
    python benchmarks/fuzz_spec.py --duration 60 --seed 7
    python benchmarks/fuzz_spec.py --atheris --duration 300
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oa_spec.config.compile import compile_spec  # noqa: E402
from oa_spec.config.load import load_spec  # noqa: E402
from oa_spec.config.model import Spec  # noqa: E402
from oa_spec.config.validate import check  # noqa: E402
from oa_spec.errors import OaspecError  # noqa: E402

CORPUS = ROOT / "tests" / "fuzz_corpus"
SEEDS = [*sorted((ROOT / "specs" / "examples").rglob("*.yaml")), *sorted((ROOT / "tests").rglob("*.yaml"))]
PER_INPUT_SECONDS = 5
MAX_INPUT_BYTES = 256 * 1024
FRAGMENTS = (
    "&a [1, 2]", "*a", "<<: *a", "<<: [*a, *a]", "!!python/object:os.system", "!!binary aGk=", "? [a]: b",
    "include: ../../../etc/passwd", "include: [/etc/*]", "include: '**/*.yaml'", "${OASPEC_SECRET}", "${}",
    "\t", "\ufeff", "\x00", "- " * 50, "[" * 200, "{" * 200, "'unterminated", '"\\x"', "0o777", "1e999",
    "2026-02-30", "~", "null", "yes", "on", ".inf", "-.nan", "0x1F", "'" + "长" * 400 + "'", "a" * 5000,
    "app_secret: plain-secret", "api_base: http://evil.example", "type: wechat", "sub_buttons: []",
    "menu: {}", "tags: [[]]", "accounts: 3", "version: 2", "match: {tag: 1}", "name: 123",
)


class Hang(Exception):
    pass


def target(text: bytes, workdir: Path) -> None:
    """What `oaspec validate` runs on a spec. Raises what a user would see as a crash."""
    spec_dir = workdir / "spec"
    if spec_dir.exists():
        shutil.rmtree(spec_dir)
    (spec_dir / "accounts").mkdir(parents=True)
    (spec_dir / "accounts" / "more.yaml").write_text("accounts: []\n", encoding="utf-8")
    path = spec_dir / "oaspec.yaml"
    path.write_bytes(text)
    try:
        loaded = load_spec(path)
        spec, diagnostics = check(loaded)
        if isinstance(spec, Spec) and not any(d.severity == "error" for d in diagnostics):
            compile_spec(spec)
    except OaspecError:  # SpecError is one: a clean, located user error
        return


def run_one(text: bytes, workdir: Path) -> str | None:
    """None when the input was handled; otherwise the crash (or hang) as text."""
    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"no answer within {PER_INPUT_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(PER_INPUT_SECONDS)
    try:
        target(text, workdir)
    except Exception:  # the point: everything that is not an OaspecError is a crash
        return traceback.format_exc(limit=8)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return None


def save_crash(text: bytes) -> Path:
    CORPUS.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(text).hexdigest()[:16]
    path = CORPUS / f"crash-{name}.yaml"
    path.write_bytes(text)
    return path


# --- generators -----------------------------------------------------------------------------------
def mutations(rng: random.Random) -> Iterator[bytes]:
    seeds = [p.read_bytes() for p in SEEDS if p.stat().st_size < MAX_INPUT_BYTES]
    while True:
        text = rng.choice(seeds)
        for _ in range(rng.randint(1, 4)):
            text = rng.choice(_MUTATORS)(rng, text)
        yield text[:MAX_INPUT_BYTES]


def _flip(rng: random.Random, text: bytes) -> bytes:
    if not text:
        return text
    i = rng.randrange(len(text))
    return text[:i] + bytes([rng.randrange(256)]) + text[i + 1:]


def _fragment(rng: random.Random, text: bytes) -> bytes:
    lines = text.split(b"\n")
    i = rng.randrange(len(lines) + 1)
    indent = b" " * rng.choice((0, 2, 4, 6, 8))
    lines.insert(i, indent + rng.choice(FRAGMENTS).encode("utf-8", "surrogatepass"))
    return b"\n".join(lines)


def _replace_value(rng: random.Random, text: bytes) -> bytes:
    lines = text.split(b"\n")
    candidates = [i for i, line in enumerate(lines) if b": " in line]
    if not candidates:
        return text
    i = rng.choice(candidates)
    key = lines[i].split(b": ", 1)[0]
    lines[i] = key + b": " + rng.choice(FRAGMENTS).encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


def _lines(rng: random.Random, text: bytes) -> bytes:
    lines = text.split(b"\n")
    if len(lines) < 2:
        return text
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    operation = rng.choice(("dup", "del", "swap", "dedent"))
    if operation == "dup":
        lines.insert(j, lines[i])
    elif operation == "del":
        del lines[i]
    elif operation == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i] = lines[i].lstrip(b" ")
    return b"\n".join(lines)


_MUTATORS: tuple[Callable[[random.Random, bytes], bytes], ...] = (_flip, _fragment, _replace_value, _lines, _lines)


def structured_inputs(seed: int, count: int) -> list[bytes]:
    """Spec-like documents from hypothesis: right field names, values of any YAML type."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    names = sorted(_field_names())
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                        st.text(max_size=40), st.sampled_from(["click", "view", "wechat", "local", "${X}", ""]),
                        st.dates())
    values = st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=6), st.dictionaries(st.one_of(st.sampled_from(names), st.text(max_size=8)), inner,
                                                     max_size=6)), max_leaves=60)
    documents = st.fixed_dictionaries({"version": st.one_of(st.just(1), scalars), "bank": scalars},
                                      optional={"accounts": st.lists(st.dictionaries(st.sampled_from(names), values,
                                                                                     max_size=10), max_size=3),
                                                "policies": values, "include": values})
    out: list[bytes] = []

    @settings(max_examples=count, database=None, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(documents)
    def collect(document: dict[str, Any]) -> None:
        out.append(yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8"))

    random.seed(seed)
    collect()
    return out


def _field_names() -> set[str]:
    from pydantic import BaseModel

    from oa_spec.config import model, model_safety, model_services

    found: set[str] = set()
    for value in [*vars(model).values(), *vars(model_safety).values(), *vars(model_services).values()]:
        if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
            found |= set(value.model_fields)
    return found


# --- the loops ------------------------------------------------------------------------------------
def fuzz(duration: float, seed: int) -> tuple[int, list[Path]]:
    rng = random.Random(seed)
    deadline = time.monotonic() + duration
    crashes: list[Path] = []
    runs = 0
    mutated = mutations(rng)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        while time.monotonic() < deadline:
            batch = structured_inputs(rng.randrange(2**32), 200) if runs % 2000 == 0 else []
            batch += [next(mutated) for _ in range(200)]
            for text in batch:
                if time.monotonic() >= deadline:
                    break
                runs += 1
                report = run_one(text, workdir)
                if report is not None:
                    crashes.append(save_crash(text))
                    print(f"crash #{len(crashes)} saved to {crashes[-1].relative_to(ROOT)}:\n{report}",
                          file=sys.stderr)
            print(f"{runs} inputs, {len(crashes)} crash(es), {max(0, deadline - time.monotonic()):.0f} s left",
                  file=sys.stderr)
    return runs, crashes


def fuzz_atheris(duration: float) -> None:
    import atheris

    workdir = Path(tempfile.mkdtemp())

    def one(data: bytes) -> None:
        report = run_one(data, workdir)
        if report is not None:
            save_crash(data)
            raise RuntimeError(report)

    seeds_dir = Path(tempfile.mkdtemp())
    for i, path in enumerate(SEEDS):
        shutil.copy(path, seeds_dir / f"seed-{i}.yaml")
    atheris.instrument_all()  # coverage feedback from the already imported oa_spec (and yaml, pydantic)
    atheris.Setup([sys.argv[0], f"-max_total_time={int(duration)}", "-timeout=10", str(seeds_dir)], one)
    atheris.Fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=600, help="seconds to fuzz (default 600)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--atheris", action="store_true", help="use atheris (libFuzzer) instead")
    args = parser.parse_args()
    if args.atheris:
        fuzz_atheris(args.duration)
        return 0
    runs, crashes = fuzz(args.duration, args.seed)
    print(f"done: {runs} inputs in {args.duration:.0f} s, {len(crashes)} crash(es)"
          + (f"; saved under {CORPUS.relative_to(ROOT)}" if crashes else ""))
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
