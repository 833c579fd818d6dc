"""`oaspec import` of a live account that others filled: what the live values may not do to the written spec
(add YAML of their own through a note) or to the terminal (attack review 7, B7), and what a spec could not
hold, left out with a note so that the imported spec loads and plans to no changes (B8)."""

from __future__ import annotations

from pathlib import Path

import yaml

from oa_spec.kinds.state import AccountState, Button, ConditionalMenu, MatchRule, Menu
from testing.accounts import seed_bank
from testing.cli import Cli

# What a terminal would act on: ESC, CR, the bidirectional override.
RAW = ("\x1b", "\r", "\u202e")
INJECTED = "\npolicies: {packs: []}\nstate: {variable: OASPEC_EVIL}\ninclude: ['**/*.yaml']\n#"
MENU = Menu((Button("账户", type="click", key="ACCOUNT"),
             Button("活动" + INJECTED + "\x1b[31mRED\u202eX\rY", type="news")))  # console-only: left out with a note


def test_live_values_in_notes_cannot_add_yaml_or_reach_the_terminal_raw(cli: Cli, tmp_path: Path) -> None:
    legacy = MatchRule(legacy=(("sex", "1"), ("country", "中国" + INJECTED + "\x1b[31mRED\u202eX\rY")))
    seed_bank(tmp_path, AccountState(menu=MENU, conditional_menus=(
        ConditionalMenu("x", legacy, (Button("男", type="click", key="M"),), menuid="400000001"),)))

    imported = cli("import", "--account", "bank", "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    text = (tmp_path / "imported.yaml").read_text(encoding="utf-8")
    assert list(yaml.safe_load(text)) == ["version", "bank", "accounts"]
    assert "country=中国\\npolicies: {packs: []}\\nstate:" in text and "button 活动\\npolicies:" in text
    on_screen = cli("import", "--account", "bank")
    for output in (text, imported.stdout, imported.stderr, on_screen.stdout, on_screen.stderr):
        assert not any(ch in output for ch in RAW), ascii(output)
    assert "\\x1b[31mRED\\u202eX\\rY" in imported.stderr
    assert cli("validate", "-f", "imported.yaml").returncode == 0
