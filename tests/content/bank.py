"""The citybank example (its articles wired in by `content.articles: [content/**/*.md]`), on the local
provider or on the emulator, in a scratch copy a test may edit."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.providers.wechat import WeChatProvider
from tests.conftest import EXAMPLES

APPID = "wx00000000000000c1"
SECRET_VAR = "OASPEC_CITYBANK_SECRET"
SECRET = "content-test-secret-0b7f"
ARTICLES = ("elderly/fake-service", "elderly/safe-transfer", "wealth/asset-allocation", "wealth/december-outlook",
            "young/card-dates", "young/deposit-insurance")


def citybank(tmp_path: Path, api_base: str | None = None) -> Path:
    """A copy of specs/examples/citybank (whose citybank account names its articles); with `api_base`, the
    account is on the WeChat provider at that address (the emulator). Returns the main spec file."""
    target = tmp_path / "citybank"
    shutil.copytree(EXAMPLES / "citybank", target)
    account = target / "accounts" / "citybank.yaml"
    text = account.read_text(encoding="utf-8")
    assert "articles: [content/**/*.md]" in text
    if api_base is not None:
        provider = (f"provider: {{type: wechat, app_id: {APPID}, app_secret: '${{{SECRET_VAR}}}', api_base: "
                    f"{api_base}, timeout_seconds: 5}}")
        text = text.replace("provider: {type: local}", provider, 1)
    account.write_text(text, encoding="utf-8")
    return target / "oaspec.yaml"


def article_file(spec: Path, name: str) -> Path:
    return spec.parent / "accounts" / "content" / f"{name}.md"


def set_front(path: Path, field: str, value: str) -> None:
    """Replace one front-matter field's value; a field the article leaves out (as the examples leave out
    `audience:`, their stream's) is added after `stream:`."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(rf"^{field}: .*$", f"{field}: {value}", text, count=1, flags=re.MULTILINE)
    if count == 0:
        new, count = re.subn(r"^(stream: .*)$", rf"\1\n{field}: {value}", text, count=1, flags=re.MULTILINE)
    assert count == 1, f"no {field}: in {path}"
    path.write_text(new, encoding="utf-8")


SMALL_BANK = """\
version: 1
bank: 示例城市商业银行
policies:
  settings: {allowed_domains: [m.citybank.example.cn, www.citybank.example.cn]}
accounts:
  - id: bank
    name: 示例城市商业银行
    type: @TYPE@
    provider: @PROVIDER@
    tags: [{name: 高净值客户}, {name: 年轻客群}, {name: 银发客户}]
    content:
      articles: [content/**/*.md]
      streams:
        - {id: finance-class, title: 金融知识小课堂, audience: {tags: [年轻客群]}, cadence: {every: week, on: wed}}
        - {id: monthly-report, title: 月度理财观察, audience: {tags: [高净值客户]}, cadence: {every: month, on: 5},
           broadcast: true}
        - {id: anti-fraud, title: 反诈骗提醒（长辈版）, audience: {tags: [银发客户]}, cadence: {every: month, on: 20},
           broadcast: true}
"""


def small_bank(tmp_path: Path, api_base: str | None = None, account_type: str = "service") -> Path:
    """One account `bank` with the example's three streams and six articles, and nothing else."""
    target = tmp_path / "bank"
    shutil.copytree(EXAMPLES / "citybank" / "accounts" / "content", target / "content")
    provider = "{type: local}" if api_base is None else (
        f"{{type: wechat, app_id: {APPID}, app_secret: '${{{SECRET_VAR}}}', api_base: {api_base}, timeout_seconds: 5}}")
    spec = target / "oaspec.yaml"
    spec.write_text(SMALL_BANK.replace("@TYPE@", account_type).replace("@PROVIDER@", provider), encoding="utf-8")
    return spec


def publishing_account(server: EmulatorServer, now: str) -> EmulatorAdmin:
    """The emulator holding only the service account APPID, able to publish, its clock at `now`."""
    server.admin.reset()
    server.admin.register_app(APPID, SECRET)
    server.admin.set_publishing(APPID, account_type="service")
    server.admin.set_clock(datetime.datetime.fromisoformat(now).timestamp())
    return server.admin


def quick_publishing(monkeypatch: pytest.MonkeyPatch, now: str) -> None:
    """The secret set, oaspec's clock at `now`, and publishing's waits and the provider's retries cut short."""
    monkeypatch.setenv(SECRET_VAR, SECRET)
    monkeypatch.setenv("OASPEC_NOW", now)
    monkeypatch.setenv("OASPEC_PUBLISH_WAIT_SECONDS", "2")
    monkeypatch.setenv("OASPEC_PUBLISH_SETTLE_SECONDS", "0")
    monkeypatch.setitem(WeChatProvider.__init__.__kwdefaults__ or {}, "retry_delays", (0.01, 0.01))
