"""Attack review 48, F2: a slot is previewed once per version of its article, and a version is what followers
see: the title, author, digest, cover, 阅读原文 link, comments switch and body as applied. Only a body change
counted, so a headline edited after a failed send went out without the reviewers seeing it."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing.accounts import edit
from tests.content.bank import APPID, article_file, citybank, set_front
from tests.content.test_preview import COMPLIANCE, EDITOR, platform
from tests.content.test_publishing import DECEMBER_20, applied, at, oaspec

__all__ = ["platform"]  # the fixture of test_preview, used here as it is
SLOT = "finance-class/2026-12-09 young/deposit-insurance (publication)"


def _publish(tmp_path: Path, spec: Path, *extra: str) -> str:
    result = oaspec(tmp_path, "publish", "-f", str(spec), "--account", "citybank", "--due", *extra, now=DECEMBER_20)
    return result.stdout + result.stderr


@pytest.mark.parametrize(("field", "value"), [
    ("title", "存款保险的五个常见问题（更新版）"), ("author", "城市银行合规部"),
    ("digest", "存款保险保什么、保多少（2027 年更新）。"), ("source_url", "https://www.citybank.example.cn/deposit-insurance"),
    ("comments", "off"), ("cover", "images/quiz-steps.png")])
def test_an_article_changed_after_a_failed_send_is_previewed_again_before_it_goes_out(
        tmp_path: Path, server: EmulatorServer, platform: EmulatorAdmin, field: str, value: str) -> None:
    spec = citybank(tmp_path, server.base_url)
    edit(spec.parent / "accounts" / "citybank.yaml", "          title: 金融知识小课堂\n",
         f"          title: 金融知识小课堂\n          preview: {{reviewers: [{EDITOR}, {COMPLIANCE}]}}\n")
    applied(tmp_path, spec)
    platform.set_clock(at(DECEMBER_20))
    platform.set_publishing(APPID, publish_status=3)  # the platform's review rejects the publication
    assert f"{SLOT}: failed" in _publish(tmp_path, spec)
    reviewed = [p for p in platform.publishing(APPID)["previews"]]
    draft = reviewed[0]["media_id"]
    assert sum(p["media_id"] == draft for p in reviewed) == 2
    set_front(article_file(spec, "young/deposit-insurance"), field, value)  # a new version, body unchanged
    applied(tmp_path, spec)
    platform.set_publishing(APPID, publish_status=0)
    dry = _publish(tmp_path, spec, "--dry-run")
    assert f"{SLOT}: would send: preview first to 2 reviewer(s) (message/mass/preview)" in dry, dry
    assert f"{SLOT}: sent" in _publish(tmp_path, spec)
    previews = [p for p in platform.publishing(APPID)["previews"] if p["media_id"] == draft]
    assert len(previews) == 4, previews  # the reviewers saw this version too, before it went out
    again = _publish(tmp_path, spec, "--dry-run")  # once per version: not again
    assert "young/deposit-insurance (publication): already sent" in again, again
