"""Attack review 47, F10: staff rename a tag oaspec manages in the console (its id and followers kept). oaspec
knows the tag by the id history recorded for it, before its name: the plan shows the live rename as an update back
to the spec's name, keeping its followers and the conditional menus on it, not as a new empty tag beside an
"unmanaged" one that oaspec made itself."""

from __future__ import annotations

import json
from pathlib import Path

from oa_spec.kinds.state import MatchRule, Tag
from testing.accounts import ONE_BANK_SPEC, LiveAccount
from testing.cli import Cli
from testing.console import rename_tag, replace_tag

SPEC = ONE_BANK_SPEC + """\
{provider}    tags: [{tags}]
    menu:
      - {{name: 理财, type: click, key: W}}
{menus}"""
MENU = """\
    conditional_menus:
      - name: 高端
        match: {tag: 高净值}
        menu:
          - {name: 专属, type: click, key: VIP}
"""


def _spec(tmp_path: Path, account: LiveAccount, tags: str = "{name: 高净值}", menus: str = MENU) -> Path:
    path = tmp_path / "oaspec.yaml"
    path.write_text(SPEC.format(provider=account.provider_lines, tags=tags, menus=menus), encoding="utf-8")
    return path


def _applied_then_renamed_in_the_console(cli: Cli, tmp_path: Path, account: LiveAccount) -> tuple[int, str]:
    """(the tag's id, the conditional menu's menuid) as oaspec made them, before staff renamed the tag."""
    assert cli("apply", "-f", str(_spec(tmp_path, account)), "--auto-approve", env=account.env).returncode == 0
    before = account.live()
    tag, [menu] = before.tag("高净值"), before.conditional_menus
    assert tag is not None and tag.id is not None and menu.menuid is not None
    rename_tag(account, "高净值", "高净值客户", count=800)
    return tag.id, menu.menuid


def test_a_console_rename_of_a_managed_tag_is_renamed_back_keeping_its_followers_and_menu(
        cli: Cli, tmp_path: Path, account: LiveAccount) -> None:
    tag_id, menuid = _applied_then_renamed_in_the_console(cli, tmp_path, account)
    spec = _spec(tmp_path, account)

    plan = cli("plan", "-f", str(spec), env=account.env)
    assert plan.returncode == 0, plan.stderr
    assert "~ tag 高净值" in plan.stdout and "name: 高净值客户 -> 高净值" in plan.stdout
    assert (f"renamed on the platform to 高净值客户 since oaspec last applied it (tag id {tag_id}): renamed back to "
            "the spec's name; keeps its 800 followers") in plan.stdout
    assert "Plan: 0 to create, 1 to update, 0 to replace, 0 to delete." in plan.stdout
    assert "unmanaged" not in plan.stdout and "+ tag" not in plan.stdout and "conditional menu" not in plan.stdout

    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 0
    after = account.live()
    assert after.tag("高净值") == Tag("高净值", id=tag_id, count=800) and after.tag("高净值客户") is None
    assert [(m.match, m.menuid) for m in after.conditional_menus] == [(MatchRule(tag="高净值"), menuid)]
    assert cli("plan", "-f", str(spec), "--detailed-exitcode", env=account.env).returncode == 0


def test_a_console_renamed_managed_tag_the_spec_drops_is_still_oaspecs_to_delete(
        cli: Cli, tmp_path: Path, account: LiveAccount) -> None:
    _applied_then_renamed_in_the_console(cli, tmp_path, account)
    spec = _spec(tmp_path, account, tags="", menus="")

    plan = cli("plan", "-f", str(spec), env=account.env)
    assert plan.returncode == 0, plan.stderr
    assert "- tag 高净值客户" in plan.stdout and "800 followers lose this tag" in plan.stdout
    assert "- conditional menu 高端" in plan.stdout or "- conditional menu tag-高净值客户" in plan.stdout
    assert "unmanaged" not in plan.stdout
    assert cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy", env=account.env).returncode == 0
    record = json.loads((tmp_path / ".oaspec" / "history" / "bank" / "000002.json").read_text(encoding="utf-8"))
    assert record["managed"]["tags"] == record["managed"]["conditional_menus"] == []  # its old name released too


def test_a_spec_that_declares_the_console_name_as_well_is_refused(cli: Cli, tmp_path: Path,
                                                                  account: LiveAccount) -> None:
    tag_id, _ = _applied_then_renamed_in_the_console(cli, tmp_path, account)
    spec = _spec(tmp_path, account, tags="{name: 高净值}, {name: 高净值客户}")

    refused = cli("plan", "-f", str(spec), env=account.env)
    assert refused.returncode == 1
    assert (f"bank/tags/高净值: the tag oaspec manages as 高净值 (tag id {tag_id}) was renamed on the platform to "
            "高净值客户, which the spec declares as well") in refused.stderr


def test_a_console_rename_by_case_alone_is_still_oaspecs_tag(cli: Cli, tmp_path: Path, account: LiveAccount) -> None:
    spec = _spec(tmp_path, account, tags="{name: VIP}", menus="")
    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 0
    rename_tag(account, "VIP", "vip")  # not a look-alike made elsewhere (review 47, F5): the same tag

    plan = cli("plan", "-f", str(spec), env=account.env)
    assert plan.returncode == 0, plan.stderr
    assert "name: vip -> VIP" in plan.stdout and "renamed back to the spec's name" in plan.stdout


def test_a_tag_made_under_the_name_of_a_deleted_managed_one_is_not_taken_for_oaspecs(
        cli: Cli, tmp_path: Path, account: LiveAccount) -> None:
    # attack review 68: taken by its name, the CRM's tag would get the spec's conditional menu and its broadcasts
    spec = _spec(tmp_path, account)
    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 0
    tag = account.live().tag("高净值")
    assert tag is not None and tag.id is not None
    replace_tag(account, "高净值", new_id=tag.id + 50, count=9)

    refused = cli("plan", "-f", str(spec), env=account.env)
    assert refused.returncode == 1, refused.stdout
    assert (f"bank/tags/高净值: the tag oaspec manages as 高净值 (tag id {tag.id}) was deleted on the platform, and "
            f"another tag (id {tag.id + 50}) now has its name: oaspec will not take that one for its own"
            ) in refused.stderr
    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 1
    assert account.live().tag("高净值") == Tag("高净值", id=tag.id + 50, count=9)  # nothing written
