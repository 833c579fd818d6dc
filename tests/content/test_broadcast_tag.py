"""Attack review 68, F1 and F2: a broadcast goes to the tag oaspec manages, by the id its history records, and to
no other followers. A tag renamed or deleted while a publish run sent earlier slots made the later broadcast go to
every follower (is_to_all: the tag was looked up by name, not found, and "no tag" meant everyone); a tag of the CRM
that took the managed tag's name got the broadcast, where plan refuses that tag as oaspec's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.providers.wechat_articles import WeChatPublisher
from testing import FIXED_NOW
from tests.content.bank import APPID, SECRET, SECRET_VAR, publishing_account, small_bank
from tests.content.test_publish_cli import oaspec

NOW = "2026-12-20T09:00:00+08:00"  # due: two broadcasts (12-05 「高净值客户」, 12-20 「银发客户」), two publications
SILVER = "anti-fraud/2026-12-20 elderly/safe-transfer (broadcast to 「银发客户」)"
QUICK = {SECRET_VAR: SECRET, "OASPEC_PUBLISH_WAIT_SECONDS": "2", "OASPEC_PUBLISH_SETTLE_SECONDS": "0"}


def _console(admin: EmulatorAdmin, change: str) -> None:
    """Staff, in the console, rename (or delete) the tag 银发客户."""
    state = admin.state(APPID)
    if change == "renamed":
        state["tags"] = [{**t, "name": "银发客户（停用）"} if t["name"] == "银发客户" else t for t in state["tags"]]
    else:
        state["tags"] = [t for t in state["tags"] if t["name"] != "银发客户"]
    admin.seed(APPID, state)


@pytest.mark.parametrize("change", ["renamed", "deleted"])
def test_a_tag_renamed_or_deleted_while_publish_sends_is_refused_and_never_every_follower(
        tmp_path: Path, server: EmulatorServer, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    admin = publishing_account(server, NOW)
    spec = small_bank(tmp_path, server.base_url)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW, **QUICK).returncode == 0
    publish = WeChatPublisher.publish

    def publish_then_console_edit(self: WeChatPublisher, draft_id: str) -> Any:
        out = publish(self, draft_id)
        _console(admin, change)  # while the run still has the 12-20 broadcast to send
        return out

    monkeypatch.setattr(WeChatPublisher, "publish", publish_then_console_edit)
    run = oaspec(tmp_path, "publish", "-f", str(spec), "--due", now=NOW, **QUICK)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"bank: {SILVER}: refused: the tag 银发客户 oaspec manages (tag id " in run.stderr, run.stderr
    sends = admin.publishing(APPID)["sends"]
    assert len(sends) == 1 and not any(s["is_to_all"] for s in sends), sends  # 「高净值客户」's alone
    record = json.loads((tmp_path / ".oaspec" / "content" / "bank.json").read_text(encoding="utf-8"))
    assert "anti-fraud/2026-12-20" not in record["sends"]  # not sent, and recorded as nothing


def _applied_then_taken(tmp_path: Path, renamed: bool) -> tuple[Path, Path, int, list[dict[str, Any]]]:
    """(spec, local account file, oaspec's tag id, the tags now) once oaspec's tag 高净值客户 was renamed (or deleted)
    in the console and the CRM made tag 150 under its name."""
    spec = small_bank(tmp_path)
    assert oaspec(tmp_path, "apply", "-f", str(spec), "--auto-approve", now=FIXED_NOW).returncode == 0
    local = tmp_path / ".oaspec" / "local" / "bank.json"
    data = json.loads(local.read_text(encoding="utf-8"))
    [ours] = [t["id"] for t in data["state"]["tags"] if t["name"] == "高净值客户"]
    tags = [{**t, "name": "高净值客户-旧"} if t["id"] == ours else t for t in data["state"]["tags"]
            if renamed or t["id"] != ours]
    data["state"]["tags"] = [*tags, {"id": 150, "name": "高净值客户", "count": 5}]
    local.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return spec, local, ours, data["state"]["tags"]


def test_a_tag_that_took_the_managed_tags_name_gets_no_broadcast(tmp_path: Path) -> None:
    spec, local, ours, tags = _applied_then_taken(tmp_path, renamed=True)
    plan = oaspec(tmp_path, "plan", "-f", str(spec))
    assert plan.returncode != 0 and "oaspec will not take that one for its own" in plan.stderr, plan.stderr
    said = (f"refused: the tag 高净值客户 oaspec manages (tag id {ours}) was renamed on the platform to 高净值客户-旧, "
            "and another tag (id 150) now has the name 高净值客户")
    dry = oaspec(tmp_path, "publish", "-f", str(spec), "--due", "--dry-run")
    assert dry.returncode == 1 and said in dry.stderr, dry.stdout + dry.stderr
    run = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert run.returncode == 1 and said in run.stderr, run.stdout + run.stderr
    sends = json.loads((local.with_name("bank.publishing.json")).read_text(encoding="utf-8"))["sends"]
    assert [s["tag_id"] for s in sends] == [next(t["id"] for t in tags if t["name"] == "银发客户")]


def test_a_tag_made_in_place_of_the_deleted_managed_one_gets_no_broadcast(tmp_path: Path) -> None:
    # plan refuses the new tag too (tests/plan/test_console_rename.py), so the refusal says how to get out
    spec, local, ours, _ = _applied_then_taken(tmp_path, renamed=False)
    run = oaspec(tmp_path, "publish", "-f", str(spec), "--due")
    assert run.returncode == 1, run.stdout + run.stderr
    assert (f"refused: the tag 高净值客户 oaspec manages (tag id {ours}) was deleted on the platform, and another tag "
            "(id 150) now has the name 高净值客户: the broadcast is not sent, to that tag or to any other followers; "
            "rename or delete tag 150 in the console") in run.stderr, run.stderr
    sends = json.loads((local.with_name("bank.publishing.json")).read_text(encoding="utf-8"))["sends"]
    assert 150 not in [s["tag_id"] for s in sends] and None not in [s["tag_id"] for s in sends]
