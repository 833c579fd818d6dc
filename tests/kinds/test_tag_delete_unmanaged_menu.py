"""Attack review 47, F4: the platform drops a deleted tag from the rule of every conditional menu that matches it,
so deleting a tag rewrites an unmanaged (CRM, console) menu's rule too, to every follower when the tag was all of
it. The plan says so on the tag's delete, marks it as felt by followers, and the destroy guard holds it."""

from __future__ import annotations

from pathlib import Path

from oa_spec.kinds.base import DiffContext
from oa_spec.kinds.state import AccountState, Button, ConditionalMenu, MatchRule, Tag
from oa_spec.kinds.tag import TAG
from oa_spec.plan.guards import felt
from testing.accounts import ONE_BANK_SPEC, LiveAccount
from testing.cli import Cli
from testing.console import add_conditional_menu

SPEC = ONE_BANK_SPEC + """\
{provider}    tags: [{tags}]
    menu:
      - {{name: 理财, type: click, key: W}}
"""
CRM_MENU = ConditionalMenu("tag-甲", MatchRule(tag="甲"), (Button("CRM挽留礼", type="click", key="CRM_GIFT"),),
                           menuid="400000100")


def _spec(tmp_path: Path, account: LiveAccount, tags: str) -> Path:
    path = tmp_path / "oaspec.yaml"
    path.write_text(SPEC.format(provider=account.provider_lines, tags=tags), encoding="utf-8")
    return path


def test_a_tag_delete_names_the_unmanaged_menu_it_widens_and_is_guarded(cli: Cli, tmp_path: Path,
                                                                        account: LiveAccount) -> None:
    spec = _spec(tmp_path, account, "{name: 甲}, {name: 乙}")
    assert cli("apply", "-f", str(spec), "--auto-approve", env=account.env).returncode == 0
    add_conditional_menu(account, CRM_MENU)  # the CRM's own menu for 甲, which has no followers yet
    spec = _spec(tmp_path, account, "{name: 乙}")

    plan = cli("plan", "-f", str(spec), env=account.env)
    assert plan.returncode == 0, plan.stderr
    assert ("the platform drops it from the rule of the unmanaged conditional menu tag-甲 (menuid 400000100): "
            "tag=甲 -> (empty), which matches every follower") in plan.stdout
    assert "! users will notice: the platform drops it from the rule of the unmanaged conditional menu" in plan.stdout
    assert "destroy guard: apply needs --allow-destroy" in plan.stdout

    refused = cli("apply", "-f", str(spec), "--auto-approve", env=account.env)
    assert refused.returncode == 1 and "refused by the destroy guard" in refused.stderr
    assert [m.match for m in account.live().conditional_menus] == [MatchRule(tag="甲")]  # nothing written
    assert cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy", env=account.env).returncode == 0
    assert [m.match for m in account.live().conditional_menus] == [MatchRule()]  # as the plan said


def test_what_the_rule_becomes_keeps_its_other_fields() -> None:
    live = AccountState(tags=(Tag("甲", id=100),))
    ios = ConditionalMenu("crm-ios", MatchRule(tag="甲", client_platform_type="1"), CRM_MENU.buttons, "400000101")
    [change] = TAG.diff("bank", AccountState(), live, DiffContext(unmanaged_menus=(ios,)))
    assert change.action == "delete"
    assert felt(change) == ("the platform drops it from the rule of the unmanaged conditional menu crm-ios (menuid "
                            "400000101): tag=甲, client_platform_type=1 -> client_platform_type=1, which matches "
                            "every follower on that client")
    # a managed menu on the tag is deleted by the same plan: named, not felt
    managed = AccountState(tags=live.tags, conditional_menus=(CRM_MENU,))
    [change] = TAG.diff("bank", AccountState(), managed, DiffContext())
    assert change.reason == "also removed from the rule of conditional menu tag-甲" and felt(change) is None
