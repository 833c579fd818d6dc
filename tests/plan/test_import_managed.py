"""`oaspec import` of an account oaspec already manages (attack review 36, F1): a live object the spec cannot hold
was left out with a note, and the imported spec's plan then deleted it (ownership comes from history). Import
now refuses, naming each such object, and writes nothing; what oaspec never managed is still left out."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from testing.cli import Cli

Edit = Callable[[dict[str, Any]], None]


def _keyword_text(text: str) -> Edit:
    def edit(state: dict[str, Any]) -> None:
        next(k for k in state["keyword_replies"] if k["name"] == "网点")["reply"]["text"] = text
    return edit


def _menu_button(state: dict[str, Any]) -> None:
    state["menu"]["buttons"][0]["sub_buttons"][1]["name"] = "交易\u200b明细"


def _template_library_id(state: dict[str, Any]) -> None:
    state["templates"][0]["library_id"] = "OPENTM207665002\u200b"  # its title (its identity) as oaspec set it


def _console_edit(directory: Path, edit: Edit) -> None:
    """A console edit of the live local account citybank."""
    path = directory / ".oaspec" / "local" / "citybank.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data["state"])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(("edit", "named"), [
    (_keyword_text("网点预约 ${OASPEC_X}"), ["citybank/replies/keywords/网点: the text"]),
    (_keyword_text("https://a.cn/appoint\u200bment"), ["citybank/replies/keywords/网点: the text"]),
    (_menu_button, ["citybank/menu: ", "citybank/conditional_menus/长辈版: left out with the object it belongs to"]),
    (_template_library_id, ["citybank/templates/balance-alert: the text"]),
], ids=["keyword-text-with-a-placeholder", "keyword-text-with-a-zero-width-space", "menu-button-name",
        "template-library-id"])
def test_import_refuses_to_leave_out_what_oaspec_manages(cli: Cli, citybank: Path, tmp_path: Path, edit: Edit,
                                                         named: list[str]) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    _console_edit(tmp_path, edit)
    imported = cli("import", "--account", "citybank", "-f", str(citybank), "--out", "imported.yaml")
    assert imported.returncode == 1, imported.stdout + imported.stderr
    assert "would leave out what oaspec manages there" in imported.stderr
    for what in named:
        assert what in imported.stderr, imported.stderr
    assert "Change or delete each on the platform" in imported.stderr and "Traceback" not in imported.stderr
    assert not (tmp_path / "imported.yaml").exists()


def test_once_the_platform_holds_what_a_spec_can_hold_import_plans_no_changes(cli: Cli, citybank: Path,
                                                                              tmp_path: Path) -> None:
    assert cli("apply", "-f", str(citybank), "--auto-approve").returncode == 0
    _console_edit(tmp_path, _keyword_text("网点预约 ${OASPEC_X}"))
    assert cli("import", "--account", "citybank", "-f", str(citybank), "--out", "imported.yaml").returncode == 1
    _console_edit(tmp_path, _keyword_text("网点预约：请到柜台"))  # changed on the platform
    imported = cli("import", "--account", "citybank", "-f", str(citybank), "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    plan = cli("plan", "-f", "imported.yaml", "--account", "citybank", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr
