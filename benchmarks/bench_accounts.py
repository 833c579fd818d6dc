"""How a plan over many WeChat accounts scales: 50 accounts against one, at 50 ms per API call.

The WeChat API emulator runs in its own process (`python -m oa_spec emulator --latency-ms 50
--spec ...`), so it shares no GIL with the client, and every API call waits 50 ms before it is
answered, like a platform far away. Each account is configured (menu, two tags, a conditional menu,
an industry, a template) by one untimed apply, so the timed plans are the steady state of CI: a
plan with no changes, which reads every account in full (a token, then five concurrent reads).

Timed, each as the median of --repeat rounds (a round runs every figure once, one after another, so
that the busy machine's drift touches all figures alike), with the real CLI (`python -m oa_spec
plan`, wall clock including interpreter start-up, as a user or CI sees it):

- one account's plan (a spec with that account alone);
- the 50-account plan at the default parallelism (the figure: target <= 2x the single account; the
  floor is about 1x, since accounts are independent);
- the 50-account plan at each --table parallelism: the measurement the default was chosen from;

and, in-process, the same plans without interpreter start-up (`Workspace.plan`: the reads and the diff).

    python benchmarks/bench_accounts.py                 # 50 accounts, 50 ms (about a minute)
    python benchmarks/bench_accounts.py --table 8,16,32,64 --repeat 5
    python benchmarks/bench_accounts.py --accounts 10 --repeat 1
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from oa_spec.emulator import EmulatorAdmin
from oa_spec.plan import DEFAULT_PARALLELISM
from oa_spec.plan.workspace import Workspace

TARGET = 2.0
SECRET_VAR = "OASPEC_BENCH_SECRET"
SECRET = "bench-secret-not-a-real-one"
START_TIMEOUT = 30.0
RUN_TIMEOUT = 300.0


def account_yaml(n: int, api_base: str) -> str:
    return f"""\
  - id: branch-{n:03d}
    name: 示例城市商业银行第{n:03d}支行
    type: service
    provider:
      type: wechat
      app_id: wxbench{n:011d}
      app_secret: ${{{SECRET_VAR}}}
      api_base: {api_base}
    tags: [{{name: 高净值客户}}, {{name: 银发客户}}]
    menu:
      - name: 我的账户
        sub_buttons:
          - {{name: 余额查询, type: view, url: "https://m.citybank.example.cn/balance"}}
          - {{name: 交易明细, type: click, key: TXN_DETAIL}}
      - {{name: 理财, type: view, url: "https://m.citybank.example.cn/wealth"}}
      - name: 服务
        sub_buttons:
          - {{name: 网点预约, type: view, url: "https://m.citybank.example.cn/appointment"}}
          - {{name: 在线客服, type: click, key: CS_ENTRY}}
    conditional_menus:
      - name: 长辈版
        match: {{tag: 银发客户}}
        menu:
          - {{name: 查余额, type: view, url: "https://m.citybank.example.cn/balance"}}
          - {{name: 人工客服, type: click, key: CS_HUMAN}}
    industry: {{primary: 金融业/银行, secondary: IT科技/互联网|电子商务}}
    templates:
      - {{id: balance-alert, library_id: OPENTM207665002, title: 账户资金变动提醒}}
"""


def write_spec(path: Path, accounts: range, api_base: str) -> Path:
    body = "".join(account_yaml(n, api_base) for n in accounts)
    path.write_text(f"version: 1\nbank: 示例城市商业银行\naccounts:\n{body}", encoding="utf-8")
    return path


@contextmanager
def emulator_process(spec: Path, latency_ms: int, env: dict[str, str]) -> Iterator[str]:
    """`oaspec emulator` in a child process on a free port; yields its base URL."""
    command = [sys.executable, "-m", "oa_spec", "emulator", "--port", "0", "--latency-ms", str(latency_ms),
               "--spec", str(spec)]
    log = spec.with_name("emulator.log")  # a file, not a pipe: a full pipe would stall the emulator
    with log.open("w", encoding="utf-8") as stderr:
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        found = None
        while found is None and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
            found = re.search(r"emulator on (http://127\.0\.0\.1:\d+)", log.read_text(encoding="utf-8"))
        if found is None:
            raise RuntimeError(f"the emulator did not start: {log.read_text(encoding='utf-8').strip() or 'no output'}")
        yield found.group(1)
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def oaspec(*args: str, cwd: Path, env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    """Run the CLI; return its wall time in seconds."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "oa_spec", *args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=RUN_TIMEOUT, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode not in ok:
        raise RuntimeError(f"oaspec {' '.join(args)}: exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return elapsed


def medians(repeat: int, figures: dict[str, Callable[[], float]]) -> dict[str, float]:
    """The median of each figure over `repeat` rounds; a round times every figure once."""
    times: dict[str, list[float]] = {label: [] for label in figures}
    for _ in range(repeat):
        for label, run in figures.items():
            times[label].append(run())
    return {label: statistics.median(values) for label, values in times.items()}


def in_process_plan(spec: Path, state_dir: Path, parallelism: int) -> float:
    """Workspace.plan alone: reads and diff, no interpreter start-up, no spec load."""
    ws = Workspace.open(spec, state_dir)
    started = time.perf_counter()
    plan = ws.plan(parallelism=parallelism)
    elapsed = time.perf_counter() - started
    if plan.has_changes:
        raise RuntimeError(f"{spec}: the plan has changes; the benchmark times no-change plans")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--table", default="8,16,32,64",
                        help="more parallelisms to time the many-account plan at (comma-separated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is reported")
    args = parser.parse_args(argv)

    env = {**os.environ, SECRET_VAR: SECRET, "NO_COLOR": "1"}
    env.pop("OASPEC_STATE_DIR", None)
    os.environ[SECRET_VAR] = SECRET  # for the in-process plans
    with tempfile.TemporaryDirectory(prefix="oaspec-bench-accounts-") as tmp:
        root = Path(tmp)
        every = range(1, args.accounts + 1)
        registration = write_spec(root / "register.yaml", every, "http://127.0.0.1:9")
        env["OASPEC_ALLOWED_API_BASES"] = "http://127.0.0.1:9"  # the documented allowance, for registration
        with emulator_process(registration, args.latency_ms, env) as base_url:
            env["OASPEC_ALLOWED_API_BASES"] = os.environ["OASPEC_ALLOWED_API_BASES"] = base_url
            many = write_spec(root / "many.yaml", every, base_url)
            one = write_spec(root / "one.yaml", range(1, 2), base_url)
            admin = EmulatorAdmin(base_url)
            admin.set_latency(0)  # the untimed set-up apply need not wait
            oaspec("apply", "-f", str(many), "--auto-approve", "--parallelism", "64", cwd=root, env=env)
            admin.clear_faults()  # back to the emulator's --latency-ms
            # Both plans must be empty: the timed runs compare like with like.
            for spec in (one, many):
                oaspec("plan", "-f", str(spec), "--detailed-exitcode", cwd=root, env=env)
            widths = sorted({DEFAULT_PARALLELISM, *(int(p) for p in args.table.split(",") if p.strip())})
            cli = medians(args.repeat, {
                "one": lambda: oaspec("plan", "-f", str(one), "--parallelism", "1", cwd=root, env=env),
                **{str(p): partial(oaspec, "plan", "-f", str(many), "--parallelism", str(p), cwd=root, env=env)
                   for p in widths}})
            state = root / ".oaspec"
            in_process = medians(args.repeat, {
                "one": lambda: in_process_plan(one, state, 1),
                **{str(p): partial(in_process_plan, many, state, p) for p in widths}})
            calls = len(admin.calls())

    n = args.accounts
    print(f"plan, no changes, {n} wechat accounts vs 1, emulator in its own process at {args.latency_ms} ms per "
          f"call (median of {args.repeat}; {calls} API calls in all)")
    rows = [("1 account", "one")] + [
        (f"{n} accounts, --parallelism {p}{' (default)' if p == DEFAULT_PARALLELISM else ''}", str(p))
        for p in widths]
    width = max(len(label) for label, _ in rows)
    print(f"  {'':<{width}}   CLI wall time    in-process Workspace.plan")
    for label, key in rows:
        print(f"  {label:<{width}} : {cli[key]:5.2f} s {cli[key] / cli['one']:5.2f}x    "
              f"{in_process[key]:6.3f} s {in_process[key] / in_process['one']:5.2f}x")
    ratio = cli[str(DEFAULT_PARALLELISM)] / cli["one"]
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"target: {n} accounts at the default --parallelism {DEFAULT_PARALLELISM} <= {TARGET:g}x one account's "
          f"plan (CLI): {ratio:.2f}x, {verdict}")
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
