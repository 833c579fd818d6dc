"""Ownership: oaspec changes what it declares or managed before, and leaves the rest alone.

The scenarios that depend on what a platform reports (tag ids, follower counts, the call log) run on
both providers (the `account` fixture); the others on the local provider."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from oa_spec.kinds.state import (
    AccountState,
    Button,
    ConditionalMenu,
    Industry,
    MatchRule,
    Menu,
    Tag,
    Template,
)
from oa_spec.providers.local import LocalProvider
from testing.accounts import LiveAccount, edit, seed_bank
from testing.cli import Cli

SPEC = """\
version: 1
bank: 测试银行
accounts:
  - id: bank
    name: 测试银行
{provider}    tags:
      - name: 高净值客户
{extra_tags}
    menu:
      - {{name: 账户, type: click, key: ACCOUNT}}
{extra}
"""


def write_spec(tmp_path: Path, extra_tags: str = "", extra: str = "", provider: str = "") -> Path:
    path = tmp_path / "oaspec.yaml"
    path.write_text(SPEC.format(extra_tags=extra_tags, extra=extra, provider=provider), encoding="utf-8")
    return path


def live(tmp_path: Path) -> AccountState:
    return LocalProvider("bank", tmp_path / ".oaspec").read()


CRM_TAG = Tag("CRM高价值", id=120, count=37)


def test_crm_tag_with_followers_survives_an_apply_that_does_not_mention_it(cli: Cli, tmp_path: Path,
                                                                          account: LiveAccount) -> None:
    account.seed_tags(CRM_TAG)
    spec = write_spec(tmp_path, provider=account.provider_lines)
    plan = cli("plan", "-f", str(spec), env=account.env)
    assert plan.returncode == 0, plan.stderr
    assert "unmanaged, left alone: bank/tags/CRM高价值 (37 followers)" in plan.stdout
    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 0
    assert account.live().tag("CRM高价值") == CRM_TAG  # the same id, the same 37 followers
    assert "tags/delete" not in (account.writes() or [])
    assert cli("plan", "-f", str(spec), "--detailed-exitcode", env=account.env).returncode == 0


def test_prune_deletes_unmanaged_tag_only_with_allow_destroy(cli: Cli, tmp_path: Path, account: LiveAccount) -> None:
    account.seed_tags(CRM_TAG)
    spec = write_spec(tmp_path, extra="    prune: {tags: true}", provider=account.provider_lines)
    plan = cli("plan", "-f", str(spec), env=account.env)
    assert "- tag CRM高价值" in plan.stdout
    assert "users will notice: 37 followers lose this tag" in plan.stdout
    assert "destroy guard: apply needs --allow-destroy" in plan.stdout
    refused = cli("apply", "-f", str(spec), "--auto-approve", env=account.env)
    assert refused.returncode == 1
    assert "refused by the destroy guard" in refused.stderr and "bank/tags/CRM高价值 (37 followers" in refused.stderr
    assert account.live().tag("CRM高价值") == CRM_TAG
    assert account.writes() in (None, [])  # refused before the first write
    assert cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy", env=account.env).returncode == 0
    assert account.live().tag("CRM高价值") is None
    assert cli("plan", "-f", str(spec), "--detailed-exitcode", env=account.env).returncode == 0


def test_adopt_takes_over_a_tag_keeping_its_id_and_followers(cli: Cli, tmp_path: Path, account: LiveAccount) -> None:
    account.seed_tags(CRM_TAG)
    spec = write_spec(tmp_path, extra_tags="      - name: CRM高价值", provider=account.provider_lines)
    refused = cli("plan", "-f", str(spec), env=account.env)  # declaring an unmanaged tag needs adopt
    assert refused.returncode == 1
    assert "bank/tags/CRM高价值" in refused.stderr and "adopt:" in refused.stderr
    edit(spec, "    menu:\n", "    adopt: {tags: [CRM高价值]}\n    menu:\n")
    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 0
    assert account.live().tag("CRM高价值") == CRM_TAG  # id 120 and its 37 followers kept
    writes = account.writes()
    assert writes is None or writes.count("tags/create") == 1  # the declared new tag; not the adopted one
    assert cli("plan", "-f", str(spec), "--detailed-exitcode", env=account.env).returncode == 0
    # Now it is managed: removing it from the spec (and from adopt) deletes it, behind the guard.
    spec = write_spec(tmp_path, provider=account.provider_lines)
    plan = cli("plan", "-f", str(spec), env=account.env)
    assert "- tag CRM高价值" in plan.stdout and "unmanaged" not in plan.stdout


def test_a_saved_plan_needs_allow_destroy_on_the_apply_command_line(cli: Cli, tmp_path: Path) -> None:
    seed_bank(tmp_path, AccountState(tags=(CRM_TAG,)))
    spec = write_spec(tmp_path, extra="    prune: {tags: true}")
    assert cli("plan", "-f", str(spec), "--allow-destroy", "--out", "plan.json").returncode == 0
    refused = cli("apply", "plan.json")  # a flag inside a file decides nothing
    assert refused.returncode == 1 and "refused by the destroy guard" in refused.stderr
    assert live(tmp_path).tag("CRM高价值") is not None
    assert cli("apply", "plan.json", "--allow-destroy").returncode == 0
    assert live(tmp_path).tag("CRM高价值") is None


def test_removing_a_managed_object_from_the_spec_deletes_it(cli: Cli, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, extra_tags="      - name: 临时活动")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    spec = write_spec(tmp_path)
    plan = cli("plan", "-f", str(spec), "--detailed-exitcode")
    assert plan.returncode == 2
    assert "- tag 临时活动" in plan.stdout
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0  # no followers: not guarded
    assert live(tmp_path).tag("临时活动") is None


def test_duplicate_conditional_menus_are_named_and_cleaned_in_one_plan(cli: Cli, tmp_path: Path) -> None:
    vip = Tag("VIP", id=104, count=3)
    good = (Button("账户", type="click", key="ACCOUNT"),)
    stale = (Button("提前还款", type="view", url="https://bind.example.cn/"),)
    seed_bank(tmp_path, AccountState(
        menu=Menu(good), tags=(vip,),
        conditional_menus=(ConditionalMenu("tag-VIP", MatchRule(tag="VIP"), stale, menuid="401"),
                           ConditionalMenu("tag-VIP", MatchRule(tag="VIP"), good, menuid="402"))))
    spec = write_spec(tmp_path, extra_tags="      - name: VIP", extra=(
        "    adopt: {tags: [VIP], conditional_menus: [VIP专属]}\n"
        "    conditional_menus:\n"
        "      - name: VIP专属\n"
        "        match: {tag: VIP}\n"
        "        menu: [{name: 账户, type: click, key: ACCOUNT}]"))
    plan = cli("plan", "-f", str(spec))
    assert "stale duplicate (menuid 401) of a menu with the same rule" in plan.stdout
    assert cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy").returncode == 0
    menus = live(tmp_path).conditional_menus
    assert [m.menuid for m in menus] == ["402"]
    assert cli("plan", "-f", str(spec), "--detailed-exitcode").returncode == 0


def test_a_plan_file_cannot_switch_the_destroy_guard_off(cli: Cli, tmp_path: Path) -> None:
    seed_bank(tmp_path, AccountState(tags=(CRM_TAG,)))
    spec = write_spec(tmp_path, extra="    prune: {tags: true}")
    assert cli("plan", "-f", str(spec), "--out", "plan.json").returncode == 0
    plan_file = tmp_path / "plan.json"
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    data["accounts"][0]["guard"] = []
    plan_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused = cli("apply", "plan.json", "-f", str(spec))
    assert refused.returncode == 1 and "destroy guard or findings are not what" in refused.stderr
    assert live(tmp_path).tag("CRM高价值") is not None


def test_a_done_rename_does_not_claim_a_new_tag_with_the_old_name(cli: Cli, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, extra_tags="      - {name: 银发客户, renamed_from: 老年客户}")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    state = live(tmp_path)
    seed_bank(tmp_path, replace(state, tags=(*state.tags, Tag("老年客户", id=300, count=0))), next_tag_id=301)
    plan = cli("plan", "-f", str(spec), "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout
    assert "unmanaged, left alone: bank/tags/老年客户" in plan.stdout


def test_a_second_live_template_with_a_managed_title_is_named_in_the_plan(cli: Cli, tmp_path: Path) -> None:
    """Attack review 7: templates are paired by title, so a console template sharing one was silently taken
    for oaspec's (and deleted with it). Until ownership is by template id, the plan says so."""
    templates = (Template("到账通知", library_id="OPENTM400000001", template_id="T-ours"),
                 Template("到账通知", library_id="OPENTM777777777", template_id="CONSOLE_MADE_3"))
    seed_bank(tmp_path, AccountState(menu=Menu((Button("账户", type="click", key="ACCOUNT"),)), templates=templates,
                                     tags=(Tag("高净值客户", id=100),),
                                     industry=Industry("金融业/银行", "IT科技/互联网|电子商务")))
    spec = write_spec(tmp_path, extra=(
        "    adopt: {tags: [高净值客户], templates: [到账通知]}\n"
        "    industry: {primary: 金融业/银行, secondary: IT科技/互联网|电子商务}\n"
        "    templates: [{id: arrival, library_id: OPENTM400000001, title: 到账通知}]"))
    plan = cli("plan", "-f", str(spec))
    assert plan.returncode == 0, plan.stderr
    assert "2 live templates share the title 到账通知 (template_id T-ours, CONSOLE_MADE_3)" in plan.stdout


RENAMED_MENU = ("    conditional_menus:\n"
                "      - {name: 长辈版, match: {tag: 银发客户}, menu: [{name: 长辈, type: click, key: ELDER}]}")


@pytest.mark.parametrize("old", ["老年客户", "老年客户, 长辈"], ids=["plain", "a name holding a comma"])
def test_a_console_menu_on_a_tag_this_plan_renames_is_a_takeover(cli: Cli, tmp_path: Path, old: str) -> None:
    # Attack review 12, B3: the takeover check compared rules literally, so a console menu on 老年客户 was no
    # takeover for a menu declared on its new name; apply then called both landed changes "not kept", and the
    # next plan deleted the console's menu as oaspec's own stale copy (review 14: also for a name holding ", ").
    spec = write_spec(tmp_path, extra_tags=f'      - {{name: "{old}"}}')
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    state = live(tmp_path)
    console = ConditionalMenu("console", MatchRule(tag=old), (Button("年终专享", type="click", key="YEAREND"),),
                              "400000001")
    seed_bank(tmp_path, replace(state, conditional_menus=(console,)), next_tag_id=301)
    spec = write_spec(tmp_path, extra_tags=f'      - {{name: 银发客户, renamed_from: "{old}"}}', extra=RENAMED_MENU)
    plan = cli("plan", "-f", str(spec))
    assert plan.returncode == 1, plan.stdout
    assert "already exist on the live account but were not made by oaspec: bank/conditional_menus/长辈版" \
        in plan.stderr


def test_oaspecs_own_menu_on_a_tag_this_plan_renames_is_no_takeover(cli: Cli, tmp_path: Path) -> None:
    before = RENAMED_MENU.replace("银发客户", "老年客户")
    spec = write_spec(tmp_path, extra_tags="      - {name: 老年客户}", extra=before)
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    spec = write_spec(tmp_path, extra_tags="      - {name: 银发客户, renamed_from: 老年客户}", extra=RENAMED_MENU)
    applied = cli("apply", "-f", str(spec), "--auto-approve")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert cli("plan", "-f", str(spec), "--detailed-exitcode").returncode == 0


def test_a_console_menu_adopted_under_its_tags_new_name_is_the_menu_the_plan_changes(cli: Cli, tmp_path: Path) -> None:
    # Attack review 13, B4: with the adopt the takeover error asks for, the plan still created a new menu beside the
    # console's, recorded both landed changes as "not kept", and the next plan deleted the console's menu.
    spec = write_spec(tmp_path, extra_tags="      - {name: 老年客户}")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    console = ConditionalMenu("console", MatchRule(tag="老年客户"), (Button("年终专享", type="click", key="YEAREND"),),
                              "400000001")
    seed_bank(tmp_path, replace(live(tmp_path), conditional_menus=(console,)), next_tag_id=301)
    spec = write_spec(tmp_path, extra_tags="      - {name: 银发客户, renamed_from: 老年客户}",
                      extra="    adopt: {conditional_menus: [长辈版]}\n" + RENAMED_MENU)
    plan = cli("plan", "-f", str(spec))
    assert plan.returncode == 0, plan.stderr
    assert "-/+ conditional menu 长辈版" in plan.stdout and "+ conditional menu" not in plan.stdout.replace("-/+", "")
    applied = cli("apply", "-f", str(spec), "--auto-approve")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert [m.match.tag for m in live(tmp_path).conditional_menus] == ["银发客户"]
    assert cli("plan", "-f", str(spec), "--detailed-exitcode").returncode == 0
