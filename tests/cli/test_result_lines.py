"""What `apply` and `rollback` print after writing: a live name in a result line is shown, never acted on
(attack review 45, F1)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from oa_spec.kinds.change import Change
from oa_spec.kinds.state import AccountState
from oa_spec.providers import local
from testing.cli import Cli

# A console keyword rule whose name would, printed raw, go back to the start of the line, draw a success line
# over the error, and leave a hyperlink and a C1 CSI behind (click strips only `ESC[...m`-style CSI off a TTY).
HOSTILE = "客服\r\x1b]8;;https://evil.example/\x07demo: applied 2 change(s) (revision 1)\x1b]8;;\x07\x9b2J\u202e"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SPEC = """\
version: 1
bank: 示例银行
accounts:
  - id: demo
    name: 示例银行
    type: service
    provider: {type: local}
    prune: {keyword_replies: true}
    tags:
%s    replies:
      subscribe: {text: 欢迎关注示例银行。}
"""


def write_spec(root: Path, *tags: str) -> Path:
    spec = root / "oaspec.yaml"
    spec.write_text(SPEC % "".join(f"      - {{name: {t}}}\n" for t in tags), encoding="utf-8")
    return spec


def tags_full_meanwhile(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CRM takes the account's last tag slots between the plan and the write, so tags/create is refused (45056)
    and the run stops part-way: a plan that can see the account full is refused before any write (review 47, F3)."""
    update = local._UPDATES["tag"]

    def refused(state: AccountState, change: Change, counters: dict[str, int]) -> AccountState:
        if change.action == "create":
            raise local._fail(45056)
        return update(state, change, counters)

    monkeypatch.setitem(local._UPDATES, "tag", refused)


def fill_live(root: Path, keep: list[dict[str, object]]) -> None:
    """The account as the CRM and the console left it: its tags (`keep`), and the hostile rule."""
    path = root / ".oaspec" / "local" / "demo.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    saved: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {
        "state": {"subscribe_reply": {"text": "欢迎关注示例银行。"}},
        "counters": {"next_tag_id": 300, "next_menuid": 400000000}}
    saved["state"]["tags"] = keep
    saved["state"]["keyword_replies"] = [{"name": HOSTILE, "match": "contains", "keywords": ["客服"],
                                          "reply": {"text": "x"}}]
    path.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")


def assert_shown_not_sent(output: str) -> None:
    assert not RAW.search(output), output
    assert "not applied: demo/replies/keywords/客服\\r\\x1b]8;;https://evil.example/\\x07demo" in output
    assert "\\x9b2J\\u202e" in output


def test_apply_that_stops_part_way_shows_live_names_escaped(cli: Cli, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    spec = write_spec(tmp_path, "新客户")
    fill_live(tmp_path, [])
    tags_full_meanwhile(monkeypatch)
    failed = cli("apply", "-f", str(spec), "--auto-approve")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "applied 0 of 2 changes" in failed.stderr
    assert_shown_not_sent(failed.stdout + failed.stderr)


def test_rollback_that_stops_part_way_shows_live_names_escaped(cli: Cli, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    spec = write_spec(tmp_path, "新客户", "老客户")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    write_spec(tmp_path, "老客户")  # revision 2 deletes 新客户, so rolling back to 1 creates it
    renamed = cli("apply", "-f", str(spec), "--auto-approve", "--allow-destroy")
    assert renamed.returncode == 0, renamed.stderr
    live = json.loads((tmp_path / ".oaspec" / "local" / "demo.json").read_text(encoding="utf-8"))
    fill_live(tmp_path, [t for t in live["state"]["tags"] if t["name"] == "老客户"])
    tags_full_meanwhile(monkeypatch)
    failed = cli("rollback", "1", "--account", "demo", "-f", str(spec), "--auto-approve", "--allow-destroy")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "the next plan shows the rest:" in failed.stderr
    assert_shown_not_sent(failed.stdout + failed.stderr)
