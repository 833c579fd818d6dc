"""The content record is the live account's it was kept for (attack review 72 F6): an account that keeps its id
but names another app read the old app's drafts, images and sends as its own, so apply failed on the old cover's
media_id (40007, "run plan and apply again") and `publish --due` said "already sent", exit 0, for slots the new app
never sent. Read or changed for another live account, the record is refused, naming both."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from oa_spec.content.bound import BoundContent
from oa_spec.content.record import ContentRecord
from oa_spec.emulator import EmulatorServer
from oa_spec.errors import OaspecError
from oa_spec.gateway.runner import JobFinishRecorder
from oa_spec.history.files import FilesState
from oa_spec.plan.workspace import Workspace
from testing.cli import run_cli
from tests.content.bank import APPID, SECRET, SECRET_VAR, publishing_account, small_bank

DUE = "2026-12-20T09:00:00+08:00"
APPLIED = "2026-12-03T10:00:00+08:00"
ENV = {SECRET_VAR: SECRET, "OASPEC_PUBLISH_WAIT_SECONDS": "1", "OASPEC_PUBLISH_SETTLE_SECONDS": "0"}
OTHER_APP = APPID[:-2] + "c2"


def test_a_record_kept_for_one_app_is_not_read_for_another(tmp_path: Path, server: EmulatorServer) -> None:
    admin = publishing_account(server, APPLIED)
    admin.register_app(OTHER_APP, SECRET)
    admin.set_publishing(OTHER_APP, account_type="service")
    spec = small_bank(tmp_path, api_base=server.base_url)
    assert run_cli("apply", "-f", str(spec), "--auto-approve", cwd=tmp_path,
                   env={**ENV, "OASPEC_NOW": APPLIED}).returncode == 0
    admin.set_clock(datetime.datetime.fromisoformat(DUE).timestamp())
    sent = run_cli("publish", "-f", str(spec), "--due", cwd=tmp_path, env={**ENV, "OASPEC_NOW": DUE})
    assert sent.returncode == 0 and "Done: 4 sent now" in sent.stdout

    spec.write_text(spec.read_text(encoding="utf-8").replace(APPID, OTHER_APP), encoding="utf-8")  # same id
    kept_for = f"was kept for wechat {APPID} at {server.base_url}, and the spec now writes to wechat {OTHER_APP}"
    for command in (("apply", "--auto-approve"), ("publish", "--due"), ("calendar",)):
        refused = run_cli(command[0], "-f", str(spec), *command[1:], cwd=tmp_path, env={**ENV, "OASPEC_NOW": DUE})
        assert refused.returncode == 1, refused.stdout
        assert kept_for in refused.stderr and "give the new account its own `id`" in refused.stderr, refused.stderr
        assert "already sent" not in refused.stdout
    assert admin.publishing(OTHER_APP)["drafts"] == {} and admin.publishing(OTHER_APP)["sends"] == []
    assert admin.writes(OTHER_APP) == []  # the plan stopped before any write

    spec.write_text(spec.read_text(encoding="utf-8").replace(OTHER_APP, APPID), encoding="utf-8")  # put back
    again = run_cli("publish", "-f", str(spec), "--due", cwd=tmp_path, env={**ENV, "OASPEC_NOW": DUE})
    assert again.returncode == 0 and "Done: 0 sent now, 4 sent before." in again.stdout, again.stderr


def test_the_same_app_through_another_api_base_reads_its_record(tmp_path: Path) -> None:
    # the platform's ids are the app's, whichever base (the platform, the bank's egress proxy) reaches it
    store = ContentRecord(tmp_path, "bank")
    with BoundContent(store, f"wechat {APPID} at https://api.weixin.qq.com").edit() as record:
        record.images["cover:abc"] = "MEDIA_1"
    proxied = BoundContent(store, f"wechat {APPID} at https://wechat-proxy.bank.example.cn")
    assert proxied.load().images == {"cover:abc": "MEDIA_1"}
    with pytest.raises(OaspecError, match=f"was kept for wechat {APPID} at https://api.weixin.qq.com"):
        BoundContent(store, f"wechat {OTHER_APP} at https://api.weixin.qq.com").load()


def test_the_gateway_keeps_no_job_finish_event_in_a_record_kept_for_another_app(tmp_path: Path) -> None:
    # review 74's note: the gateway wrote the new app's MASSSENDJOBFINISH into the old app's record
    spec = small_bank(tmp_path, api_base="https://api.weixin.qq.com")
    state = FilesState(tmp_path / ".oaspec")
    with BoundContent(state.content("bank"), f"wechat {APPID} at https://api.weixin.qq.com").edit() as record:
        record.images["cover:abc"] = "MEDIA_1"
    kept = (tmp_path / ".oaspec" / "content" / "bank.json").read_bytes()
    event = {"Event": "MASSSENDJOBFINISH", "MsgID": "1000001", "Status": "send success", "ToUserName": "gh_x"}
    spec.write_text(spec.read_text(encoding="utf-8").replace(APPID, OTHER_APP), encoding="utf-8")
    moved = tuple(Workspace.open(spec, tmp_path / ".oaspec").spec.accounts)
    with pytest.raises(OaspecError, match=f"was kept for wechat {APPID} at https://api.weixin.qq.com"):
        JobFinishRecorder(state, moved)("bank", event)
    assert (tmp_path / ".oaspec" / "content" / "bank.json").read_bytes() == kept
    spec.write_text(spec.read_text(encoding="utf-8").replace(OTHER_APP, APPID), encoding="utf-8")
    JobFinishRecorder(state, tuple(Workspace.open(spec, tmp_path / ".oaspec").spec.accounts))("bank", event)
    assert (tmp_path / ".oaspec" / "content" / "bank.json").read_bytes() != kept  # its own app's event is kept
