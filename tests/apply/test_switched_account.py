"""Ownership belongs to the live account it was recorded against (attack review 49, F1): a spec that points its
account at another app takes nothing there for its own, and a rollback to a revision recorded against another
live account is refused."""

from __future__ import annotations

from pathlib import Path

from oa_spec.emulator import EmulatorServer
from testing.accounts import BANK_HEAD, RESERVED_TAG, edit
from testing.cli import Cli
from testing.emulator import EmulatorAccount, fresh_account

FIRST, OTHER = "wx00000000000000e1", "wx00000000000000f1"
SECRET_VAR, SECRET = "OASPEC_SWITCH_SECRET", "switch-secret-1"
ENV = {SECRET_VAR: SECRET}
SPEC = BANK_HEAD + """\
    provider: {{type: wechat, app_id: {appid}, app_secret: "${{{var}}}", api_base: "{base}"}}
{tags}    menu:
      - {{name: 理财, type: view, url: "https://m.citybank.example.cn/wealth"}}
"""
TAGS = "    tags:\n      - name: 高净值客户\n"


def spec_for(tmp_path: Path, server: EmulatorServer, appid: str, tags: str = TAGS) -> Path:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC.format(appid=appid, var=SECRET_VAR, base=server.base_url, tags=tags), encoding="utf-8")
    return spec


def applied_on_first(cli: Cli, tmp_path: Path, server: EmulatorServer, tags: str = TAGS) -> Path:
    """Revision 1 on FIRST; OTHER registered, empty."""
    fresh_account(server.admin, EmulatorAccount(FIRST, SECRET))
    server.admin.register_app(OTHER, SECRET)
    spec = spec_for(tmp_path, server, FIRST, tags)
    applied = cli("apply", "-f", str(spec), "--auto-approve", env=ENV)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    return spec


def first_tag_id(server: EmulatorServer) -> int:
    [tag] = [t for t in server.admin.state(FIRST)["tags"] if t["name"] == "高净值客户"]
    return int(tag["id"])


def test_a_tag_id_recorded_against_another_app_is_not_taken_for_oaspecs(cli: Cli, tmp_path: Path,
                                                                      server: EmulatorServer) -> None:
    spec = applied_on_first(cli, tmp_path, server)
    crm = {"id": first_tag_id(server), "name": "信用卡分期客户", "count": 3200}
    server.admin.seed(OTHER, {"tags": [RESERVED_TAG, crm]})
    edit(spec, FIRST, OTHER)
    plan = cli("plan", "-f", str(spec), env=ENV)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "renamed on the platform" not in plan.stdout and "信用卡分期客户 -> 高净值客户" not in plan.stdout
    assert "+ tag" in plan.stdout and "unmanaged, left alone: bank/tags/信用卡分期客户 (3200 followers)" in plan.stdout
    assert "nothing oaspec recorded there counts as managed on this one" in plan.stdout
    applied = cli("apply", "-f", str(spec), "--auto-approve", env=ENV)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    names = {t["name"]: t["count"] for t in server.admin.state(OTHER)["tags"]}
    assert names["信用卡分期客户"] == 3200 and "高净值客户" in names


def test_a_tag_of_the_same_name_on_another_app_is_a_takeover(cli: Cli, tmp_path: Path,
                                                             server: EmulatorServer) -> None:
    spec = applied_on_first(cli, tmp_path, server)
    server.admin.seed(OTHER, {"tags": [RESERVED_TAG, {"id": 180, "name": "高净值客户", "count": 800}]})
    edit(spec, FIRST, OTHER)
    plan = cli("plan", "-f", str(spec), env=ENV)
    assert plan.returncode == 1, plan.stdout + plan.stderr
    assert "bank/tags/高净值客户" in plan.stderr and "adopt:" in plan.stderr


def test_a_rollback_to_a_revision_recorded_against_another_app_is_refused(cli: Cli, tmp_path: Path,
                                                                         server: EmulatorServer) -> None:
    spec = applied_on_first(cli, tmp_path, server)
    crm = {"id": first_tag_id(server), "name": "信用卡分期客户", "count": 3200}
    server.admin.seed(OTHER, {"tags": [RESERVED_TAG, crm]})
    server.admin.clear_calls()
    edit(spec, FIRST, OTHER)
    refused = cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve", env=ENV)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert f"revision 1 was recorded against wechat {FIRST} at {server.base_url}" in refused.stderr
    assert f"the spec now writes to wechat {OTHER} at {server.base_url}" in refused.stderr
    assert not server.admin.writes(OTHER)
    assert {t["name"] for t in server.admin.state(OTHER)["tags"]} == {RESERVED_TAG["name"], "信用卡分期客户"}


def test_a_rollback_plan_says_the_history_was_recorded_against_another_app(cli: Cli, tmp_path: Path,
                                                                          server: EmulatorServer) -> None:
    """Revision 1 on FIRST, revision 2 on OTHER, the spec back on FIRST: `rollback 1` targets a revision of this
    account, but what oaspec manages was last recorded against OTHER, and the rollback plan says so as plan does."""
    spec = applied_on_first(cli, tmp_path, server, tags="")
    edit(spec, FIRST, OTHER)
    assert cli("apply", "-f", str(spec), "--auto-approve", env=ENV).returncode == 0
    edit(spec, OTHER, FIRST)
    plan = cli("plan", "-f", str(spec), env=ENV)
    rolled = cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve", env=ENV)
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    said = f"now writes to wechat {FIRST} at {server.base_url}; the history of bank was recorded against wechat {OTHER}"
    assert said in plan.stdout and said in rolled.stdout, rolled.stdout
