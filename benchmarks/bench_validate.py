"""How long `validate` and a no-change `plan` take on a large spec, next to a bare libyaml load.

Builds a bank with many accounts in a temporary directory (one file per account, pulled in with
`include:`), each with a full menu (3 top-level buttons x 5 sub-buttons), two conditional menus,
100 tags, 25 templates, a few modules and 2,000 keyword rules. Then it times, in-process and with
the very code the CLI runs:

- bare:     yaml.load(..., Loader=yaml.CSafeLoader) of every file (the floor: parsing alone);
- validate: load (positions, includes, duplicate keys) + check (shapes, limits, references) + compile
            + the policy packs, i.e. `Workspace.open`, what `oaspec validate` runs;
- plan:     the same, then read every account from the local provider, diff and render the plan,
            i.e. what `oaspec plan` runs, after one untimed apply so that the plan is empty;

and prints validate and plan as ratios to bare. Targets: validate <= 2.5x, plan <= 4x.

    python benchmarks/bench_validate.py               # 200 accounts, 92 MB of YAML (about 5 minutes,
                                                      # half of it building and applying the spec)
    python benchmarks/bench_validate.py --accounts 10 # a quick run (15 seconds)

The untimed apply runs through `apply_plan` (plan, ownership, locks, revisions), with the local
provider writing each account's file once at the end instead of after every change (see
`_WriteBack`); the timed plan reads those files with the real local provider.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from oa_spec.apply.run import apply_plan
from oa_spec.kinds.state import AccountState
from oa_spec.plan.workspace import Workspace
from oa_spec.providers.local import LocalProvider
from oa_spec.render.terminal import render_text

TARGET_VALIDATE = 2.5
TARGET_PLAN = 4.0
TOP_BUTTONS = ("我的账户", "财富管理", "便民服务")
SUB_BUTTONS = ("余额查询", "交易明细", "信用卡账单", "网点预约", "在线客服")


def account_yaml(n: int, tags: int, templates: int, rules: int) -> str:
    """One account's file: a realistic mix of block and flow style, Chinese names throughout."""
    out = [
        "accounts:",
        f"  - id: branch-{n:04d}",
        f"    name: 示例城市商业银行第{n:04d}支行",
        "    type: service",
        "    provider: {type: local}",
        "    tags:",
        *(f"      - name: 客群{t:03d}" for t in range(tags)),
        "    menu:",
    ]
    for i, top in enumerate(TOP_BUTTONS):
        out += [f"      - name: {top}", "        sub_buttons:"]
        for j, sub in enumerate(SUB_BUTTONS):
            if j == 0:
                out.append(f"          - {{name: {sub}, module: balance-query}}")
            elif j % 2:
                out.append(f"          - {{name: {sub}{i}, type: click, key: BTN_{i}_{j}}}")
            else:
                out += [f"          - name: {sub}{i}", "            type: view",
                        f"            url: https://m.citybank.example.cn/menu/{i}/{j}?from=menu"]
    out.append("    conditional_menus:")
    for c in range(2):
        out += [f"      - name: segment-{c}", f"        match: {{tag: 客群{c:03d}}}", "        menu:",
                f"          - {{name: 专属理财{c}, type: view, url: https://m.citybank.example.cn/vip/{c}}}",
                "          - {name: 客户经理, type: click, key: RM_CONTACT}"]
    out += ["    industry: {primary: 金融业/银行, secondary: IT科技/互联网|电子商务}", "    templates:"]
    out += [f"      - {{id: tpl-{t:02d}, library_id: OPENTM{t:06d}, title: 账户变动提醒{t:02d}}}"
            for t in range(templates)]
    out += [
        "    modules:",
        "      - id: balance-query",
        "        kind: account_query",
        "        title: 余额查询",
        "        entry: {url: https://m.citybank.example.cn/balance, oauth_scope: snsapi_base}",
        "        personal_data: [financial_account]",
        "        consent: separate",
        "      - id: loan",
        "        kind: loan",
        "        phase: 2",
        "        entry: {key: LOAN_ENTRY}",
        "    replies:",
        "      subscribe: {text: 欢迎关注示例城市商业银行！回复“余额”查询账户余额。}",
        "      default: {text: 您好，回复“客服”转人工服务。}",
        "      keywords:",
    ]
    for r in range(rules):
        if r % 10 == 0:
            out += [f"        - name: 业务{r:04d}", "          match: exact", f"          keywords: [业务{r:04d}]",
                    "          reply: {module: loan}"]
        else:
            out += [f"        - name: 规则{r:04d}", "          match: contains",
                    f"          keywords: [关键词{r:04d}, 咨询{r:04d}, KW{r:04d}]",
                    f"          reply: {{text: 您好，关于“关键词{r:04d}”的业务，请点击菜单“便民服务”办理或致电客服。}}"]
    return "\n".join(out) + "\n"


def build_spec(root: Path, accounts: int, tags: int = 100, templates: int = 25, rules: int = 2000) -> list[Path]:
    """Write the spec under root; returns every file (main first)."""
    (root / "accounts").mkdir(parents=True)
    main = root / "oaspec.yaml"
    main.write_text("version: 1\nbank: 示例城市商业银行\ninclude:\n  - accounts/*.yaml\n", encoding="utf-8")
    files = [main]
    for n in range(accounts):
        path = root / "accounts" / f"branch-{n:04d}.yaml"
        path.write_text(account_yaml(n, tags, templates, rules), encoding="utf-8")
        files.append(path)
    return files


def timed(work: Callable[[], object], repeat: int) -> float:
    """Best of `repeat` runs, in seconds (garbage collection as in normal use, collected in between)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def bare_load(files: list[Path]) -> None:
    for path in files:
        with path.open(encoding="utf-8") as f:
            yaml.load(f, Loader=yaml.CSafeLoader)


def run_validate(spec: Path, state_dir: Path) -> Workspace:
    return Workspace.open(spec, state_dir)


def run_plan(spec: Path, state_dir: Path) -> str:
    ws = Workspace.open(spec, state_dir)
    plan = ws.plan()
    if plan.has_changes:
        raise SystemExit("the plan after apply is not empty: the benchmark's premise is broken\n"
                         + render_text(plan, colour=False)[:2000])
    return render_text(plan, colour=False)


class _WriteBack(LocalProvider):
    """The local provider with a write-back cache: changes stay in memory until the next read (or
    close), then the account's file is written once.

    The real one rewrites (and fsyncs) its JSON file after every change, so that a failed apply
    leaves exactly what landed; for 2,000 keyword rules that is quadratic, and hours of untimed
    setup for 200 accounts. Everything else (plan, ownership, revisions) is the real code path.
    """

    _cached: tuple[AccountState, dict[str, int]] | None = None
    _dirty = False

    def _load(self) -> tuple[AccountState, dict[str, int]]:
        if self._cached is None:
            self._cached = super()._load()
        return self._cached

    def _save(self, state: AccountState, counters: dict[str, int]) -> None:
        self._cached, self._dirty = (state, counters), True

    def read(self) -> AccountState:
        self._flush()
        return super().read()

    def close(self) -> None:
        self._flush()
        super().close()

    def _flush(self) -> None:
        if self._dirty and self._cached is not None:
            super()._save(*self._cached)
            self._dirty = False


def apply_once(spec: Path, state_dir: Path) -> None:
    """Apply the whole spec (untimed), so that the timed plan has nothing to do."""
    ws = Workspace.open(spec, state_dir)
    ws.provider = lambda account: _WriteBack(account.id, ws.state_dir)  # type: ignore[method-assign]
    results = apply_plan(ws, ws.plan())
    failed = [r.error for r in results if not r.ok]
    if failed:
        raise SystemExit(f"apply failed: {failed[:3]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=200, help="accounts in the spec (default 200)")
    parser.add_argument("--rules", type=int, default=2000, help="keyword rules per account (default 2000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the best counts (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the generated spec and print where it is")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="oaspec-bench-"))
    try:
        spec_dir, state_dir = tmp / "spec", tmp / "state"
        files = build_spec(spec_dir, args.accounts, rules=args.rules)
        spec = files[0]
        size = sum(f.stat().st_size for f in files)
        print(f"spec: {args.accounts} accounts x (15 sub-buttons, 100 tags, 25 templates, {args.rules} keyword "
              f"rules) in {len(files)} files, {size / 1e6:.1f} MB; applying it once (untimed)...", flush=True)
        apply_once(spec, state_dir)

        bare = timed(lambda: bare_load(files), args.repeat)
        validate = timed(lambda: run_validate(spec, state_dir), args.repeat)
        plan = timed(lambda: run_plan(spec, state_dir), args.repeat)

        ok_validate, ok_plan = validate / bare <= TARGET_VALIDATE, plan / bare <= TARGET_PLAN
        print(f"bare yaml.load (CSafeLoader): {bare:7.2f} s   1.00x")
        print(f"validate                    : {validate:7.2f} s   {validate / bare:.2f}x  "
              f"(target <= {TARGET_VALIDATE}x: {'ok' if ok_validate else 'MISSED'})")
        print(f"plan (no changes, local)    : {plan:7.2f} s   {plan / bare:.2f}x  "
              f"(target <= {TARGET_PLAN}x: {'ok' if ok_plan else 'MISSED'})")
        return 0 if ok_validate and ok_plan else 1
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
