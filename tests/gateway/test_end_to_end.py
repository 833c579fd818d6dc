"""`oaspec apply` -> `oaspec serve` -> the emulator pushing as the platform, all real processes on loopback.

What issue 13 says the gateway must show: an encrypted text message answered with the spec's reply; an
edited reply served within a second of its apply and the old one back within a second of a rollback;
a slow webhook that makes the platform retry, with one reply to the customer and one webhook call.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from oa_spec.emulator import EmulatorServer, run_emulator
from oa_spec.emulator.client import EmulatorAdmin
from tests.gateway.e2e import APP_ID, ENV, SECRET, applied, oaspec, serving, until_reply
from tests.gateway.helpers import OFFICIAL_KEY, OFFICIAL_TOKEN
from tests.gateway.servers import FakeWebhook

OPENID = "oFollowerOpenId000000000001"
SPEC = """\
version: 1
bank: 示例城市银行
accounts:
  - id: citybank
    name: 示例城市银行
    provider: {provider}
    gateway:
      token: ${{OASPEC_CITYBANK_TOKEN}}
      encoding_aes_key: ${{OASPEC_CITYBANK_AES_KEY}}
      mode: safe
      app_id: {app_id}
    replies:
      subscribe: {{text: 欢迎关注示例城市银行}}
      default: {{text: 您好，请回复“营业时间”或“余额”}}
      keywords:
        - {{name: 营业时间, match: contains, keywords: [营业时间], reply: {{text: "{hours}"}}}}
        - {{name: 余额, match: contains, keywords: [余额], reply: {{module: balance}}}}
    modules:
      - id: balance
        kind: account_query
        title: 余额查询
        entry: {{key: BALANCE}}
        webhook: {{url: "{hook}", timeout_seconds: 8, signing_secret: "${{OASPEC_CITYBANK_HOOK}}"}}
"""
LOCAL = "{type: local}"


def write_spec(directory: Path, hours: str, hook: str = "http://127.0.0.1:9/none", provider: str = LOCAL) -> None:
    (directory / "oaspec.yaml").write_text(SPEC.format(provider=provider, app_id=APP_ID, hours=hours, hook=hook),
                                           encoding="utf-8")


@pytest.fixture()
def platform() -> Iterator[EmulatorServer]:
    with run_emulator() as emulator:
        emulator.admin.register_app(APP_ID, SECRET)
        yield emulator


def listen(admin: EmulatorAdmin, base: str, timeout_s: float = 5.0) -> None:
    """Server configuration (服务器配置) as the console sets it: URL, Token, safe mode, EncodingAESKey."""
    admin.set_publishing(APP_ID, callback_url=f"{base}/wx/citybank", callback_token=OFFICIAL_TOKEN,
                         callback_mode="safe", callback_aes_key=OFFICIAL_KEY, callback_timeout_s=timeout_s)


def test_apply_serve_edit_and_rollback_reach_the_customer_within_a_second(tmp_path: Path,
                                                                          platform: EmulatorServer) -> None:
    write_spec(tmp_path, "工作日 9:00-17:00")
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
    admin = platform.admin
    with serving(tmp_path) as (base, output):
        listen(admin, base)
        answer = admin.push(APP_ID, text="请问营业时间", openid=OPENID)
        assert answer["attempts"] == 1 and answer["reply"]["Content"] == "工作日 9:00-17:00"
        assert answer["reply"]["ToUserName"] == OPENID  # decrypted by the emulator, signature checked
        assert admin.push(APP_ID, event="subscribe")["reply"]["Content"] == "欢迎关注示例城市银行"

        edited = "工作日 9:00-18:00，周六 9:00-12:00"
        write_spec(tmp_path, edited)
        plan = oaspec("plan", "-f", "oaspec.yaml", cwd=tmp_path).stdout
        assert "citybank/replies/keywords/营业时间" in plan and "served by `oaspec serve`" in plan
        applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
        took = until_reply(lambda: admin.push(APP_ID, text="营业时间？", openid=OPENID), edited)
        assert took < 1.0

        history = oaspec("history", "--account", "citybank", cwd=tmp_path).stdout
        assert "1" in history and "2" in history
        applied("rollback", "1", "--account", "citybank", "-f", "oaspec.yaml", cwd=tmp_path)
        took_back = until_reply(lambda: admin.push(APP_ID, text="营业时间", openid=OPENID), "工作日 9:00-17:00")
        assert took_back < 1.0
    log = "\n".join(output)
    assert "serving revision 1" in log and '"outcome": "keyword"' in log
    # PIPL: the access log holds neither what followers wrote nor who they are; no secret is printed
    for private in (OPENID, "营业时间", OFFICIAL_TOKEN, OFFICIAL_KEY):
        assert private not in log


@pytest.mark.long
def test_wechat_account_slow_webhook_platform_retries_one_reply_one_call(tmp_path: Path,
                                                                       platform: EmulatorServer) -> None:
    hook = FakeWebhook(text="您的余额为 1,234.56 元", delay_s=1.6)
    provider = (f"{{type: wechat, app_id: {APP_ID}, app_secret: \"${{OASPEC_CITYBANK_SECRET}}\", "
                f"api_base: \"{platform.base_url}\"}}")
    allow = {"OASPEC_ALLOWED_API_BASES": platform.base_url}
    write_spec(tmp_path, "工作日 9:00-17:00", hook=hook.url, provider=provider)
    try:
        out = applied("apply", "-f", "oaspec.yaml", cwd=tmp_path, env=allow)
        assert "revision 1" in out
        # the platform's console auto-replies were not touched: the gateway answers instead
        assert not platform.admin.state(APP_ID).get("autoreply")
        admin = platform.admin
        with serving(tmp_path, env=allow) as (base, output):
            listen(admin, base, timeout_s=1.0)  # the platform gives up on an attempt after 1 s here
            answer = admin.push(APP_ID, text="查余额", openid=OPENID)
            # attempt 1 times out at 1 s; a retry waits for the first attempt's reply (a busy machine may need
            # the third attempt)
            assert answer["attempts"] >= 2 and answer["reply"]["Content"] == "您的余额为 1,234.56 元"
            assert not answer["customer_sees_error"]
            time.sleep(0.5)
            assert len(hook.calls) == 1 and admin.customer_messages(APP_ID) == []
            payload = json.loads(hook.calls[0][1])
            assert payload["openid"] == OPENID and payload["module"] == "balance"

            # slower than the gateway's 4.5 s budget, with the platform's real 5 s deadline: `success` at
            # once, and the reply through the customer-service API, once
            hook.delay_s = 5.0
            listen(admin, base, timeout_s=5.0)
            late = admin.push(APP_ID, text="余额多少", openid=OPENID)
            assert late["success"] and late["reply"] is None and not late["customer_sees_error"]
            deadline = time.monotonic() + 5
            while not admin.customer_messages(APP_ID) and time.monotonic() < deadline:
                time.sleep(0.1)
            sent = admin.customer_messages(APP_ID)
            assert [(m["touser"], m["text"]["content"]) for m in sent] == [(OPENID, "您的余额为 1,234.56 元")]
            assert len(hook.calls) == 2
    finally:
        hook.close()
    log = "\n".join(output)
    assert ENV["OASPEC_CITYBANK_SECRET"] not in log and OPENID not in log and "余额" not in log


@pytest.mark.long
def test_two_workers_share_the_retry_record(tmp_path: Path, platform: EmulatorServer) -> None:
    """A retry may reach the other worker process: the record in the state directory still makes the
    webhook run once per message and every attempt answer with its reply."""
    hook = FakeWebhook(text="余额 88.00 元", delay_s=1.5)
    write_spec(tmp_path, "工作日 9:00-17:00", hook=hook.url)
    try:
        applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
        with serving(tmp_path, workers=2) as (base, _):
            listen(platform.admin, base, timeout_s=1.0)
            answers = [platform.admin.push(APP_ID, text=f"余额{n}", openid=OPENID) for n in range(3)]
            time.sleep(0.3)
            replies = [(a["attempts"] >= 2, (a["reply"] or {}).get("Content")) for a in answers]
            assert replies == [(True, "余额 88.00 元")] * 3
            assert len(hook.calls) == 3
            assert (tmp_path / ".oaspec" / "gateway" / "idempotency").is_dir()
    finally:
        hook.close()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _master(port: int) -> int:
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in args and str(port).encode() in args:
            return int(cmdline.parent.name)
    raise AssertionError(f"no oaspec serve on port {port}")


@pytest.mark.long
def test_a_worker_killed_mid_message_leaves_the_retry_to_answer_and_the_webhook_called_once(
        tmp_path: Path, platform: EmulatorServer) -> None:
    # attack review 77's note: the killed worker's claim made every retry answer `success`, the follower got nothing
    hook = FakeWebhook(text="余额 88.00 元", delay_s=30)  # the worker is killed while it waits on this call
    write_spec(tmp_path, "工作日 9:00-17:00", hook=hook.url)
    try:
        applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
        with serving(tmp_path) as (base, output):
            listen(platform.admin, base)
            answers: list[dict[str, Any]] = []
            pushing = threading.Thread(target=lambda: answers.append(
                platform.admin.push(APP_ID, text="余额", openid=OPENID)))
            pushing.start()
            deadline = time.monotonic() + 10
            while not hook.calls and time.monotonic() < deadline:
                time.sleep(0.05)
            assert hook.calls, "the webhook was never called"
            [worker] = _children(_master(int(base.rsplit(":", 1)[1])))
            os.kill(worker, signal.SIGKILL)  # gunicorn starts another; the platform tries again
            pushing.join(60)
            [answer] = answers
            # the module's own text, as when its webhook fails: 余额查询 (its title)
            assert answer["reply"] is not None and answer["reply"]["Content"] == "余额查询", answer
            assert len(hook.calls) == 1  # the killed attempt may have had its answer: the retry does not call again
    finally:
        hook.close()
    assert any('"outcome": "retaken"' in line or "retaken" in line for line in output), output[-20:]


@pytest.mark.long
def test_a_worker_restarted_while_a_revision_cannot_be_served_does_not_halt_the_replica(tmp_path: Path) -> None:
    # an attack review: a new revision named a Token variable this replica lacked; at the next worker restart (out of
    # memory, a timeout, kill -HUP) the worker failed to boot and gunicorn halted the whole replica
    write_spec(tmp_path, "工作日 9:00-17:00")
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
    with serving(tmp_path) as (base, _):
        spec = tmp_path / "oaspec.yaml"
        spec.write_text(spec.read_text(encoding="utf-8").replace("OASPEC_CITYBANK_TOKEN", "OASPEC_CITYBANK_TOKEN2"),
                        encoding="utf-8")
        applied("apply", "-f", "oaspec.yaml", cwd=tmp_path, env={"OASPEC_CITYBANK_TOKEN2": "rotated"})
        health = f"{base}/healthz"
        deadline = time.monotonic() + 10
        while "OASPEC_CITYBANK_TOKEN2" not in requests.get(health, timeout=5).text:
            assert time.monotonic() < deadline, requests.get(health, timeout=5).text
            time.sleep(0.1)
        master = _master(int(base.rsplit(":", 1)[1]))
        [worker] = _children(master)
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while True:  # a new worker boots on the revision it cannot serve, and says so
            try:
                said = requests.get(health, timeout=5).text
                if "this worker serves none for it" in said:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "the replica did not come back"
            time.sleep(0.2)
        assert os.path.exists(f"/proc/{master}")  # the master still runs


POLICED = """\
version: 1
bank: 示例城市银行
policies:
  packs: [cn-bank]
  settings: {{allowed_domains: [m.citybank.example.cn]}}
accounts:
  - id: citybank
    name: 示例城市银行
    type: service
    provider: {{type: local}}
    gateway:
      token: ${{OASPEC_CITYBANK_TOKEN}}
      encoding_aes_key: ${{OASPEC_CITYBANK_AES_KEY}}
      mode: safe
      app_id: {app_id}
    menu:
      - {{name: 投诉热线, type: view, url: "https://m.citybank.example.cn/complaint"}}
    replies:
      subscribe: {{text: 欢迎关注，客服热线95000}}
      keywords:
        - {{name: 余额, keywords: [余额], reply: {{module: balance-query}}}}
    modules:
      - id: balance-query
        kind: account_query
        title: 余额查询
        consent: separate
        necessity: 查询余额须核验账户
        personal_data: [financial_account]
        privacy_notice: https://m.citybank.example.cn/privacy
        entry: {{key: BALANCE}}
        webhook: {{url: "{hook}", timeout_seconds: 2, signing_secret: "${{OASPEC_CITYBANK_HOOK}}"}}
"""


def test_a_webhook_answer_a_policy_refuses_never_reaches_the_follower(tmp_path: Path,
                                                                      platform: EmulatorServer) -> None:
    # attack review 69 F2: the follower got this news reply, guarantee, credential request and phishing links whole
    article = {"title": "本行理财保本保收益，年化8%", "description": "请回复短信验证码领取",
               "url": "http://evil.example/phish", "picurl": "http://evil.example/p.jpg"}
    hook = FakeWebhook(answer={"articles": [article]})
    (tmp_path / "oaspec.yaml").write_text(POLICED.format(app_id=APP_ID, hook=hook.url), encoding="utf-8")
    try:
        applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
        with serving(tmp_path) as (base, output):
            listen(platform.admin, base)
            answer = platform.admin.push(APP_ID, text="余额多少", openid=OPENID)
            assert len(hook.calls) == 1
    finally:
        hook.close()
    reply = answer["reply"]
    assert reply["MsgType"] == "text" and "余额查询" in reply["Content"], reply  # the reply's own text
    assert "evil.example" not in json.dumps(answer, ensure_ascii=False)
    log = "\n".join(output)
    [refused] = [json.loads(line)["outcome"] for line in output if '"refused_policy:' in line]
    assert {"link.allowed-domains", "link.https", "pii.no-credential-solicitation",
            "wealth.no-guaranteed-return"} <= set(refused.removeprefix("refused_policy:").split(","))
    for private in (OPENID, "余额多少", "evil.example", "保本", "验证码"):
        assert private not in log
