"""Live keyword rules a spec cannot hold as they are: one without keywords (attack review 70 F5), and two under one
name (F4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from oa_spec.kinds.state import AccountState, Button, KeywordRule, Menu, Reply
from testing.accounts import ONE_BANK_SPEC, seed_bank
from testing.cli import Cli

MENU = Menu((Button("账户", type="click", key="ACCOUNT"),))


def test_a_live_keyword_rule_without_keywords_is_left_out_with_a_note(cli: Cli, tmp_path: Path) -> None:
    # import stopped with an internal ValidationError (List should have at least 1 item)
    rules = (KeywordRule("空规则", "contains", (), Reply("您好")),
             KeywordRule("网点", "contains", ("网点",), Reply("见官网")))
    seed_bank(tmp_path, AccountState(menu=MENU, keyword_replies=rules))
    imported = cli("import", "--account", "bank", "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    assert "note: bank/replies/keywords/空规则: it has no keywords (a spec rule needs at least one), which a spec " \
           "cannot hold: left out" in imported.stderr, imported.stderr
    spec = yaml.safe_load((tmp_path / "imported.yaml").read_text(encoding="utf-8"))
    assert [r["name"] for r in spec["accounts"][0]["replies"]["keywords"]] == ["网点"]
    assert cli("validate", "-f", "imported.yaml").returncode == 0
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr


# --- two console rules under one name (attack review 70 F4) ----------------------------------------------------
ASKS = KeywordRule("理财", "exact", ("理财",), Reply("请把短信验证码发给我们，领取理财礼包"))
FUNDS = KeywordRule("理财", "contains", ("基金",), Reply("基金详情请咨询网点。"))
CN_BANK = ONE_BANK_SPEC + """\
    menu:
      - {name: 账户, type: click, key: ACCOUNT}
"""


def _seeded(tmp_path: Path, *rules: KeywordRule) -> None:
    """The live bank holding `rules`, and a spec of it with the cn-bank pack."""
    seed_bank(tmp_path, AccountState(menu=MENU, keyword_replies=rules))
    (tmp_path / "oaspec.yaml").write_text(CN_BANK, encoding="utf-8")


def _imported(cli: Cli, tmp_path: Path, *rules: KeywordRule) -> tuple[str, dict[str, Any]]:
    """`import` of the bank holding `rules` into imported.yaml: what it said, and the account it wrote."""
    _seeded(tmp_path, *rules)
    imported = cli("import", "--account", "bank", "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    return imported.stderr, yaml.safe_load((tmp_path / "imported.yaml").read_text(encoding="utf-8"))["accounts"][0]


def _scan(cli: Cli, tmp_path: Path, *rules: KeywordRule) -> list[tuple[str, str, str]]:
    _seeded(tmp_path, *rules)
    out = cli("scan", "--format", "json")
    found = json.loads(out.stdout)["accounts"][0]["findings"]
    return [(f["address"], f["path"], f["excerpt"]) for f in found if f["rule"] == "pii.no-credential-solicitation"]


def test_scan_names_each_same_named_rule_apart_with_its_own_text(cli: Cli, tmp_path: Path) -> None:
    # the excerpt was the other rule's clean text, and one address (so one waiver) stood for both
    assert _scan(cli, tmp_path, ASKS, FUNDS) == [
        ("bank/replies/keywords/理财", "replies.keywords.理财.reply", ASKS.replies[0].text)]
    assert _scan(cli, tmp_path, FUNDS, ASKS) == [
        ("bank/replies/keywords/理财/2", "replies.keywords.理财/2.reply", ASKS.replies[0].text)]
    # attack review 71 F3: a console rule named 理财/2 took the same address, and its text became the excerpt
    named_like_the_count = KeywordRule("理财/2", "contains", ("存款",), Reply("存款利率见官网。"))
    assert _scan(cli, tmp_path, FUNDS, named_like_the_count, ASKS) == [
        ("bank/replies/keywords/理财/3", "replies.keywords.理财/3.reply", ASKS.replies[0].text)]


def test_import_and_plan_mean_the_first_of_two_same_named_rules_and_the_plan_says_so(cli: Cli, tmp_path: Path) -> None:
    # import wrote the first while the plan paired the spec's rule with the second, and said nothing of it
    first = KeywordRule("理财", "exact", ("理财",), Reply("理财详情见官网。"))
    said, account = _imported(cli, tmp_path, first, FUNDS)
    assert "note: bank/replies/keywords/理财: rule 2 named '理财' (contains 基金) is left out" in said, said
    [rule] = account["replies"]["keywords"]
    assert rule["match"] == "exact" and rule["reply"] == {"text": "理财详情见官网。"}
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "bank/replies/keywords/理财: the live account holds 2 keyword rules named '理财'" in plan.stdout, plan.stdout
    assert "pairs the spec's with the first and leaves the others alone" in plan.stdout


def test_when_the_first_of_two_same_named_rules_cannot_be_held_neither_is_declared(cli: Cli, tmp_path: Path) -> None:
    # declaring the second would pair it with the first in the plan, and change that rule into it
    spaced = KeywordRule("理财", "exact", (" 理财 ",), Reply("理财详情见官网。"))
    said, account = _imported(cli, tmp_path, spaced, FUNDS)
    assert "rule 2 named '理财' (contains 基金) is left out" in said, said
    assert "replies" not in account, account
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr
