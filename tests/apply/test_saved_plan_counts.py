"""Review 47 F8: a saved plan and the follower counts that move all day. The documented CI flow (plan on the pull
request, apply that plan on merge) must not be refused because a CRM tagged one more follower in between; it must
still be refused when a count crosses what the plan decides on (none to some: the destroy guard; past the 100,000 a
tag delete allows), and then it says that the live account moved, not that the file was edited.

Each scenario runs on both providers (the `account` fixture: the local provider, and the emulator over loopback)."""

from __future__ import annotations

import json
from pathlib import Path

from oa_spec.kinds.state import Tag
from testing.accounts import LiveAccount, LocalAccount, WeChatAccount
from testing.cli import Cli
from tests.plan.test_ownership import write_spec

CRM = Tag("CRM高价值", id=120, count=40)


def set_count(account: LiveAccount, name: str, count: int) -> None:
    """The CRM tags or untags followers: only the tag's follower count moves."""
    if isinstance(account, WeChatAccount):
        admin, appid = account.server.admin, account.emulator_account.appid
        state = admin.state(appid)
        for tag in state["tags"]:
            if tag["name"] == name:
                tag["count"] = count
        admin.seed(appid, state)
        return
    assert isinstance(account, LocalAccount)
    path = account.state_dir / "local" / f"{account.account_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for tag in data["state"]["tags"]:
        if tag["name"] == name:
            tag["count"] = count
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def planned(cli: Cli, spec: Path, account: LiveAccount) -> None:
    made = cli("plan", "-f", str(spec), "--out", "plan.json", env=account.env)
    assert made.returncode == 0, made.stdout + made.stderr


def delete_planned_then_counted(cli: Cli, tmp_path: Path, account: LiveAccount, planned_at: int, now: int) -> Path:
    """The tag 代发工资 applied, its delete planned (plan.json) while it has `planned_at` followers, `now` after."""
    spec = write_spec(tmp_path, extra_tags="      - name: 代发工资", provider=account.provider_lines)
    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 0
    set_count(account, "代发工资", planned_at)
    spec = write_spec(tmp_path, provider=account.provider_lines)
    planned(cli, spec, account)
    set_count(account, "代发工资", now)
    return spec


def assert_stale_not_edited(cli: Cli, spec: Path, account: LiveAccount, *extra: str) -> None:
    refused = cli("apply", "plan.json", "-f", str(spec), *extra, env=account.env)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "live account" in refused.stderr and "moved" in refused.stderr, refused.stderr
    assert "edited" not in refused.stderr, refused.stderr  # nobody touched the file
    assert "oaspec plan" in refused.stderr  # what to do


def test_a_saved_plan_applies_when_an_unmanaged_tag_gains_a_follower(cli: Cli, tmp_path: Path,
                                                                      account: LiveAccount) -> None:
    account.seed_tags(CRM)
    spec = write_spec(tmp_path, provider=account.provider_lines)
    planned(cli, spec, account)
    set_count(account, CRM.name, 41)
    applied = cli("apply", "plan.json", "-f", str(spec), env=account.env)
    assert applied.returncode == 0, applied.stderr
    assert account.live().tag("高净值客户") is not None


def test_a_saved_rename_applies_when_the_tags_count_moves(cli: Cli, tmp_path: Path, account: LiveAccount) -> None:
    spec = write_spec(tmp_path, provider=account.provider_lines)
    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 0
    set_count(account, "高净值客户", 10)
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "- name: 高净值客户", "- {name: 私行客户, renamed_from: 高净值客户}"), encoding="utf-8")
    planned(cli, spec, account)
    assert "keeps its 10 followers" in json.dumps(
        json.loads((tmp_path / "plan.json").read_text(encoding="utf-8")), ensure_ascii=False)
    set_count(account, "高净值客户", 11)
    applied = cli("apply", "plan.json", "-f", str(spec), env=account.env)
    assert applied.returncode == 0, applied.stderr
    renamed = account.live().tag("私行客户")
    assert renamed is not None and renamed.count == 11


def test_a_saved_delete_is_refused_when_its_tag_gains_its_first_followers(cli: Cli, tmp_path: Path,
                                                                          account: LiveAccount) -> None:
    spec = write_spec(tmp_path, extra_tags="      - name: 临时活动", provider=account.provider_lines)
    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 0
    spec = write_spec(tmp_path, provider=account.provider_lines)
    planned(cli, spec, account)  # 0 followers: the delete is not guarded, the reviewer saw no warning
    set_count(account, "临时活动", 5)
    assert_stale_not_edited(cli, spec, account, "--allow-destroy")
    assert account.live().tag("临时活动") is not None


def test_a_saved_delete_is_refused_when_its_tag_passes_the_delete_limit(cli: Cli, tmp_path: Path,
                                                                        account: LiveAccount) -> None:
    spec = delete_planned_then_counted(cli, tmp_path, account, 90000, 150000)  # over 100,000: 45057
    refused = cli("apply", "plan.json", "-f", str(spec), "--allow-destroy", env=account.env)
    assert refused.returncode == 1 and "edited" not in refused.stderr, refused.stderr  # nobody touched the file
    assert "cannot be deleted (45057), and it has 150000" in refused.stderr, refused.stderr


def test_a_count_that_moves_within_its_band_keeps_the_guarded_plan(cli: Cli, tmp_path: Path,
                                                                   account: LiveAccount) -> None:
    spec = delete_planned_then_counted(cli, tmp_path, account, 90, 95)
    applied = cli("apply", "plan.json", "-f", str(spec), "--allow-destroy", env=account.env)
    assert applied.returncode == 0, applied.stderr
    assert account.live().tag("代发工资") is None
