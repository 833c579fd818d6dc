"""Crash safety: `oaspec apply` is SIGKILLed at seeded random points mid-apply (the emulator answers slowly,
so the kill lands between writes). Afterwards history is readable, the lock is recognised as stale and
released by `oaspec unlock` naming its holder, the audit trail verifies, a re-run converges, and no
secret shows in any output or file."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from oa_spec import emulator as emulator_module
from oa_spec.emulator import App, Call, Emulator, EmulatorAdmin, EmulatorServer
from testing.cli import child_env, run_cli
from testing.convergence import TEMPLATES
from testing.emulator import EmulatorAccount, allowed_emulator, fresh_account, wait_until_idle

APPID = "wx00000000crashAB1"
SECRET = "crash-test-secret-0f6d2a"
VARIABLE = "OASPEC_CRASH_SECRET"
KILLS = 4
LATENCY_MS = 40  # on every call of the killed apply, so that a kill lands between its writes


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    with allowed_emulator() as server:
        yield server


def _spec(server: EmulatorServer, variant: int) -> dict[str, object]:
    """An account with enough resources that applying it takes a couple of dozen calls."""
    tags = [f"客群{variant}-{i}" for i in range(6)]
    return {"version": 1, "bank": "示例银行", "accounts": [{
        "id": "acct", "name": "示例银行",
        "provider": {"type": "wechat", "app_id": APPID, "app_secret": f"${{{VARIABLE}}}",
                     "api_base": server.base_url, "timeout_seconds": 5},
        "tags": [{"name": t} for t in tags],
        "menu": [{"name": "服务", "sub_buttons": [{"name": f"入口{variant}-{i}", "type": "click", "key": f"K{i}"}
                                                  for i in range(5)]}],
        "conditional_menus": [{"name": f"m{i}", "match": {"tag": t}, "menu": [
            {"name": "专属", "type": "view", "url": f"https://m.bank.example.cn/{variant}/{i}"}]}
            for i, t in enumerate(tags[:4])],
        "industry": {"primary": "金融业/银行", "secondary": "金融业/保险"},
        "templates": [{"id": i, "library_id": lib, "title": title} for i, lib, title in TEMPLATES[variant % 2::2]],
    }]}


def _start_apply(spec: Path, cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "oa_spec", "apply", "-f", str(spec), "--auto-approve",
                             "--allow-destroy"], cwd=cwd, env=child_env(env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _kill_mid_apply(process: subprocess.Popen[str], admin: EmulatorAdmin, writes_before: int, delay: float) -> str:
    """SIGKILL `delay` seconds after the first write reaches the platform; returns what the process printed."""
    deadline = time.monotonic() + 60
    while len(admin.writes(APPID)) <= writes_before and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    out, err = process.communicate(timeout=60)
    return out + err


def _interrupted_revision(tmp_path: Path) -> Path | None:
    """The newest revision file when it is still the journal of a killed run."""
    history = tmp_path / ".oaspec" / "history" / "acct"
    newest = max(history.glob("*.json"), default=None)
    if newest is None:
        return None
    error = json.loads(newest.read_text(encoding="utf-8"))["error"] or ""
    return newest if error.startswith("interrupted") else None


@pytest.mark.long
def test_sigkill_mid_apply_leaves_a_stale_lock_a_readable_history_and_a_converging_rerun(
        emulator: EmulatorServer, tmp_path: Path) -> None:
    rng = random.Random(20261124)
    admin = fresh_account(emulator.admin, EmulatorAccount(APPID, SECRET, [{"template_id_short": lib, "title": title}
                                                                          for _, lib, title in TEMPLATES]))
    env = {VARIABLE: SECRET}
    lock = tmp_path / ".oaspec" / "locks" / "acct.lock"
    outputs: list[str] = []
    stale_seen = reconciled = 0

    for kill in range(KILLS):
        spec = tmp_path / f"spec-{kill}.yaml"
        spec.write_text(yaml.safe_dump(_spec(emulator, kill), allow_unicode=True), encoding="utf-8")
        writes_before = len(admin.writes(APPID))
        admin.set_latency(LATENCY_MS)
        process = _start_apply(spec, tmp_path, env)
        outputs.append(_kill_mid_apply(process, admin, writes_before, rng.uniform(0, 0.4)))
        admin.set_latency(0)  # what follows runs in this process and needs no time window
        wait_until_idle()  # the killed run's last call, still in the emulator, lands before anything reads
        assert len(admin.writes(APPID)) > writes_before, "the kill landed before any write"

        history = run_cli("history", cwd=tmp_path, env=env)
        outputs.append(history.stdout + history.stderr)
        assert history.returncode == 0, history.stderr
        killed = _interrupted_revision(tmp_path)
        left = run_cli("plan", "-f", str(spec), "--format", "json", "--allow-destroy", cwd=tmp_path, env=env)
        assert left.returncode == 0, left.stderr
        not_landed = {c["address"] for a in json.loads(left.stdout)["accounts"] for c in a["changes"]}

        if lock.exists():
            stale_seen += 1
            holder_pid = int(json.loads(lock.read_text(encoding="utf-8"))["pid"])
            blocked = run_cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy", cwd=tmp_path, env=env)
            outputs.append(blocked.stdout + blocked.stderr)
            assert blocked.returncode == 1
            assert f"the lock is stale: the holder's process (pid {holder_pid}) is gone from this host" \
                in blocked.stderr
            released = run_cli("unlock", "acct", cwd=tmp_path, env=env)
            outputs.append(released.stdout + released.stderr)
            assert "Released the lock on acct held by" in released.stdout
            assert f"(pid {holder_pid}, apply since" in released.stdout

        rerun = run_cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy", cwd=tmp_path, env=env)
        outputs.append(rerun.stdout + rerun.stderr)
        assert rerun.returncode == 0, rerun.stderr
        again = run_cli("plan", "-f", str(spec), "--detailed-exitcode", cwd=tmp_path, env=env)
        outputs.append(again.stdout + again.stderr)
        assert again.returncode == 0, again.stdout + again.stderr
        if killed is not None:  # the rerun recorded what the killed run had landed, not "nothing is known"
            record = json.loads(killed.read_text(encoding="utf-8"))
            assert "reconciled" in record["extra"], record["error"]
            assert record["applied"] == [c["address"] for c in record["changes"] if c["address"] not in not_landed]
            reconciled += 1

    assert stale_seen >= KILLS // 2, "too few kills landed while the lock was held"
    assert reconciled >= KILLS // 2, "too few kills left a journal behind"
    verified = run_cli("audit", "verify", cwd=tmp_path, env=env)
    assert verified.returncode == 0, verified.stderr
    assert all("Traceback" not in text for text in outputs)

    credentials = {SECRET, *emulator.emulator.tokens, *emulator.emulator.stable.values()}
    assert len(credentials) > 1
    for text in outputs:
        assert not [c for c in credentials if c in text]
    for path in (p for p in (tmp_path / ".oaspec").rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert not [c for c in credentials if c.encode() in data], path


REPLACED = """\
version: 1
bank: 示例银行
accounts:
  - id: acct
    name: 示例银行
    provider: {type: wechat, app_id: APPID, app_secret: "${VARIABLE}", api_base: "BASE", timeout_seconds: 5}
    tags: [{name: 银发客户}TAGS]
    menu:
      - {name: MENU, type: view, url: "https://m.bank.example.cn/wealth"}
    conditional_menus:
      - name: 长辈版
        match: {tag: 银发客户}
        menu:
          - {name: 查余额, type: view, url: "https://m.bank.example.cn/balance"}
          - {name: HUMAN, type: click, key: KEY}
"""


def _replaced_spec(server: EmulatorServer, second: bool) -> str:
    """The first spec, or the second: a tag added, a default-menu button renamed, and 长辈版's 人工客服 button
    changed (a conditional menu cannot be edited: that change is a replace)."""
    words = {"APPID": APPID, "VARIABLE": VARIABLE, "BASE": server.base_url,
             "TAGS": ", {name: 高净值客户}" if second else "", "MENU": "财富" if second else "理财",
             "HUMAN": "人工服务" if second else "人工客服", "KEY": "CS_HUMAN2" if second else "CS_HUMAN"}
    text = REPLACED
    for word, value in words.items():
        text = text.replace(word, value)
    return text


def _killed_after(monkeypatch: pytest.MonkeyPatch, path: str, process: list[subprocess.Popen[str]]) -> None:
    """SIGKILL the apply in `process` once the platform has done its first `path` call, before it answers: the
    call landed, and the run never hears so (nor sends its next call)."""
    endpoint = emulator_module.ENDPOINTS[path]

    def handler(emulator: Emulator, call: Call, app: App) -> dict[str, Any]:
        result = endpoint.handler(emulator, call, app)
        if process and process[0].poll() is None:
            os.kill(process.pop().pid, signal.SIGKILL)
        return result

    monkeypatch.setitem(emulator_module.ENDPOINTS, path, replace(endpoint, handler=handler))


def test_a_run_killed_inside_a_conditional_menu_replace_is_reconciled_as_partly_landed(
        emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # attack review 39, F4: killed after menu/addconditional (the new 长辈版 live, the old one not yet deleted), the
    # journal read "[NOT applied]" for the three changes before reconciliation, and "applied 3/3" after it, the old
    # copy still live: the replace counted as landed because the copy left behind sits under another address
    admin = fresh_account(emulator.admin, EmulatorAccount(APPID, SECRET))
    env = {VARIABLE: SECRET}
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(_replaced_spec(emulator, False), encoding="utf-8")
    assert run_cli("apply", "-f", str(spec), "--auto-approve", cwd=tmp_path, env=env).returncode == 0
    [old] = [str(menu["menuid"]) for menu in admin.state(APPID)["conditionalmenu"]]
    spec.write_text(_replaced_spec(emulator, True), encoding="utf-8")
    running: list[subprocess.Popen[str]] = []
    _killed_after(monkeypatch, "menu/addconditional", running)
    running.append(_start_apply(spec, tmp_path, env))
    killed = running[0]
    killed.communicate(timeout=60)
    assert killed.returncode == -signal.SIGKILL
    wait_until_idle()
    writes = [c["path"].removeprefix("/cgi-bin/") for c in admin.writes(APPID)]
    assert writes[-3:] == ["tags/create", "menu/create", "menu/addconditional"], writes
    assert old in {str(menu["menuid"]) for menu in admin.state(APPID)["conditionalmenu"]}

    address = "acct/conditional_menus/长辈版"
    shown = run_cli("show", "2", "--account", "acct", "-f", str(spec), cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "NOT applied" not in shown.stdout and f"replace  {address}  [unknown]" in shown.stdout, shown.stdout
    assert "changes:     ?/3" in shown.stdout, shown.stdout

    assert run_cli("unlock", "acct", cwd=tmp_path, env=env).returncode == 0
    rerun = run_cli("apply", "-f", str(spec), "--auto-approve", cwd=tmp_path, env=env)
    assert rerun.returncode == 0, rerun.stderr
    record = json.loads(run_cli("show", "2", "--account", "acct", "-f", str(spec), "--format", "json",
                                cwd=tmp_path, env=env).stdout)
    assert record["status"] == "failed" and len(record["applied"]) == 3, record
    assert record["partly"] == {address: f"the old copy (menuid {old}) was still live when this run was reconciled; "
                                         "the next plan deletes it"}, record["partly"]
    assert f"3 of 3 changes had landed; {address} landed in part: the old copy (menuid {old})" in record["error"]
    reconciled = run_cli("show", "2", "--account", "acct", "-f", str(spec), cwd=tmp_path, env=env).stdout
    assert f"replace  {address}  [applied; left behind: the old copy (menuid {old})" in reconciled
    assert "changes:     3/3" in reconciled and "status:      failed" in reconciled, reconciled
    assert old not in {str(menu["menuid"]) for menu in admin.state(APPID)["conditionalmenu"]}  # the rerun deleted it
    assert run_cli("plan", "-f", str(spec), "--detailed-exitcode", cwd=tmp_path, env=env).returncode == 0
    assert run_cli("audit", "verify", cwd=tmp_path, env=env).returncode == 0
