"""A preview to reviewers' OpenIDs (message/mass/preview) before a slot goes out: named per stream or for the
account, sent first by `publish --due` (once per version of the article), shown by `--dry-run`, and never
printed or recorded by OpenID; the emulator refuses non-followers and caps previews per day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from oa_spec.content.slots import reviewers
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.plan.workspace import Workspace
from testing import FIXED_NOW
from testing.accounts import edit
from tests.content.bank import APPID, SECRET, citybank
from tests.content.test_publishing import DECEMBER_20, LIBRARY, applied, at, oaspec

EDITOR = "oAbCdEfGhIjKlMnOpQrStUvWx001"  # OpenIDs on the emulated account: 28 characters, as the platform's
COMPLIANCE = "oAbCdEfGhIjKlMnOpQrStUvWx002"
STRANGER = "oAbCdEfGhIjKlMnOpQrStUvWx999"  # follows nobody


@pytest.fixture
def platform(server: EmulatorServer) -> EmulatorAdmin:
    server.admin.reset()
    server.admin.register_app(APPID, SECRET)
    server.admin.add_library_templates(LIBRARY)
    server.admin.seed(APPID, {"users": [{"openid": EDITOR}, {"openid": COMPLIANCE}]})
    server.admin.set_publishing(APPID, account_type="service")
    server.admin.set_clock(at(FIXED_NOW))
    return server.admin


def with_reviewers(tmp_path: Path, api_base: str | None, *openids: str) -> Path:
    """The example with the monthly report previewed to `openids` first."""
    spec = citybank(tmp_path, api_base)
    edit(spec.parent / "accounts" / "citybank.yaml", "          title: 月度理财观察\n",
         f"          title: 月度理财观察\n          preview: {{reviewers: [{', '.join(openids)}]}}\n")
    return spec


def publish(tmp_path: Path, spec: Path, *extra: str) -> tuple[int, str]:
    result = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", *extra, now=DECEMBER_20)
    return result.returncode, result.stdout + result.stderr


def test_publish_previews_to_the_streams_reviewers_first_and_once(tmp_path: Path, server: EmulatorServer,
                                                                  platform: EmulatorAdmin) -> None:
    spec = with_reviewers(tmp_path, server.base_url, EDITOR, COMPLIANCE)
    applied(tmp_path, spec)
    platform.set_clock(at(DECEMBER_20))
    code, dry = publish(tmp_path, spec, "--dry-run")
    assert code == 0
    assert ("monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): would send: "
            "preview first to 2 reviewer(s) (message/mass/preview)") in dry
    # no reviewers:
    assert "anti-fraud/2026-12-20 elderly/safe-transfer (broadcast to 「银发客户」): would send\n" in dry
    assert platform.publishing(APPID)["previews"] == []  # a dry run shows it; it sends nothing
    code, out = publish(tmp_path, spec)
    assert code == 0 and "Done: 4 sent now" in out, out
    state = platform.publishing(APPID)
    outlook = next(s for s in state["sends"] if s["media_id"] == state["previews"][0]["media_id"])
    assert sorted(p["touser"] for p in state["previews"]) == [EDITOR, COMPLIANCE]
    assert all(p["msg_id"] < outlook["msg_id"] for p in state["previews"])  # before the broadcast went out
    record_text = (tmp_path / ".oaspec" / "content" / "citybank.json").read_text(encoding="utf-8")
    assert json.loads(record_text)["previews"]["monthly-report/2026-12-05"]["reviewers"] == 2
    for openid in (EDITOR, COMPLIANCE):  # personal data: neither printed nor recorded
        assert openid not in out + dry + record_text
    assert publish(tmp_path, spec)[0] == 0 and len(platform.publishing(APPID)["previews"]) == 2  # not again


def test_a_refused_preview_leaves_the_slot_unsent_naming_the_reviewer_by_position(
        tmp_path: Path, server: EmulatorServer, platform: EmulatorAdmin) -> None:
    spec = with_reviewers(tmp_path, server.base_url, EDITOR, STRANGER)
    applied(tmp_path, spec)
    platform.set_clock(at(DECEMBER_20))
    code, out = publish(tmp_path, spec)
    assert code == 1
    assert ("monthly-report/2026-12-05 wealth/december-outlook (broadcast to 「高净值客户」): failed: the preview to "
            "reviewer 2 of 2 failed (citybank: message/mass/preview: WeChat error 40003: no follower with that "
            "OpenID") in out
    assert STRANGER not in out and EDITOR not in out
    sends = platform.publishing(APPID)["sends"]
    assert len(sends) == 1  # the anti-fraud broadcast only: the monthly report was not sent
    record = json.loads((tmp_path / ".oaspec" / "content" / "citybank.json").read_text(encoding="utf-8"))
    assert "monthly-report/2026-12-05" not in record["sends"] and record["previews"] == {}


def test_reviewers_come_from_the_stream_else_the_account(tmp_path: Path) -> None:
    spec = with_reviewers(tmp_path, None, EDITOR)
    edit(spec.parent / "accounts" / "citybank.yaml", "    content:\n", f"    content:\n      preview: {{reviewers: "
         f"[{COMPLIANCE}]}}\n")
    compiled = Workspace.open(spec, tmp_path / ".oaspec").account("citybank")
    assert reviewers(compiled, "monthly-report") == (EDITOR,)
    assert reviewers(compiled, "anti-fraud") == (COMPLIANCE,)


def test_a_malformed_openid_is_an_error_at_its_line(tmp_path: Path) -> None:
    spec = with_reviewers(tmp_path, None, "not an openid")
    result = oaspec(tmp_path, "validate", "-f", str(spec))
    assert result.returncode == 1
    assert "citybank.yaml" in result.stderr and "preview.reviewers[0]" in result.stderr


def test_the_emulator_refuses_strangers_and_caps_previews_per_day(server: EmulatorServer,
                                                                  platform: EmulatorAdmin) -> None:
    token = requests.get(f"{server.base_url}/cgi-bin/token", timeout=5, params={
        "grant_type": "client_credential", "appid": APPID, "secret": SECRET}).json()["access_token"]

    def preview(openid: str) -> int:
        body = {"touser": openid, "msgtype": "text", "text": {"content": "预览"}}
        answer = requests.post(f"{server.base_url}/cgi-bin/message/mass/preview", params={"access_token": token},
                               data=json.dumps(body, ensure_ascii=False).encode(), timeout=5).json()
        return int(answer["errcode"])

    assert preview(STRANGER) == 40003
    assert [preview(EDITOR) for _ in range(100)] == [0] * 100
    assert preview(EDITOR) == 45009
    platform.set_clock(at(FIXED_NOW) + 24 * 3600)  # the next Beijing day
    assert preview(EDITOR) == 0
