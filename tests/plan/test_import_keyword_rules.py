"""Live keyword rules a spec cannot hold as they are: one without keywords (attack review 70 F5), and two under one
name (F4)."""

from __future__ import annotations

from pathlib import Path

import yaml

from oa_spec.kinds.state import AccountState, Button, KeywordRule, Menu, Reply
from testing.accounts import seed_bank
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
