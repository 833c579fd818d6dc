"""No AppSecret and no access token in anything a run leaves behind.

A full sequence of the CLI against the emulator (plan --out, apply, plan, history, show, import,
rollback, audit export, and failing runs: quota, busy, dropped connections, IP allow-list, a wrong
secret, expired tokens), with Python logging switched on at DEBUG for every run, so urllib3's request
lines (classic tokens carry the secret in the query string, every call the token) are seen too. Then
every stdout, stderr, log line, the plan file, the imported spec, the audit export and every file
under the state directory is searched for the secrets and for every token the emulator issued.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest

from oa_spec.config.model import AccountSpec
from oa_spec.emulator import EmulatorServer
from oa_spec.errors import OaspecError, ProviderError
from oa_spec.plan.workspace import provider_settings
from oa_spec.providers import make_provider
from oa_spec.providers.settings import WeChatSettings
from oa_spec.providers.wechat import WeChatProvider
from testing.cli import Result, run_cli
from testing.emulator import allowed_emulator
from testing.http import answering, echoing

# Two accounts: one on stable_token (secret in a POST body), one on the classic token endpoint
# (secret in the query string of a GET). Distinctive, url-safe secrets: any copy of them is found.
STABLE_APPID, CLASSIC_APPID = "wx5ec2e75ab1e0c0d1", "wx5ec2e75ab1e0c0d2"
SECRETS = {"OASPEC_STABLE_SECRET": "S3cr3t-stable-7Qx9Lm2Vb8Nz4Kp1",
           "OASPEC_CLASSIC_SECRET": "S3cr3t-classic-Hd6Tw3Ry0Ue5Gj7"}
LIBRARY = [{"template_id_short": "OPENTM207665002", "title": "账户资金变动提醒"}]
SPEC = """\
version: 1
bank: 测试城市商业银行
accounts:
@ACCOUNTS@"""
ACCOUNT = """\
  - id: @ID@
    name: 测试城市商业银行
    type: service
    provider:
      type: wechat
      app_id: @APPID@
      app_secret: ${@VAR@}
      api_base: @API_BASE@
      token_endpoint: @ENDPOINT@
    tags: [{name: 高净值客户}, {name: 银发客户}]
    menu:
      - name: 我的账户
        sub_buttons:
          - {name: 余额查询, type: view, url: "https://m.citybank.example.cn/balance"}
          - {name: 交易明细, type: click, key: TXN_DETAIL}
      - {name: 在线客服, type: click, key: CS_ENTRY}
    conditional_menus:
      - {name: 长辈版, match: {tag: 银发客户}, menu: [{name: 人工客服, type: click, key: CS_HUMAN}]}
    industry: {primary: 金融业/银行, secondary: IT科技/互联网|电子商务}
    templates:
      - {id: balance-alert, library_id: OPENTM207665002, title: 账户资金变动提醒}
"""


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with allowed_emulator() as running:
        running.admin.register_app(STABLE_APPID, SECRETS["OASPEC_STABLE_SECRET"])
        running.admin.register_app(CLASSIC_APPID, SECRETS["OASPEC_CLASSIC_SECRET"])
        running.admin.add_library_templates(LIBRARY)
        yield running


class Runs:
    """Runs the CLI in a scratch directory and keeps every byte it printed."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.outputs: list[str] = []

    def __call__(self, *args: str, code: int | None = 0) -> Result:
        # Every logger at DEBUG on the run's stderr, as `logging.basicConfig(level=DEBUG)` would show it.
        result = run_cli(*args, cwd=self.cwd, env=SECRETS, log_level=logging.DEBUG)
        self.outputs += [result.stdout, result.stderr]
        assert "Traceback" not in result.stderr
        if code is not None:
            assert result.returncode == code, f"{args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
        return result


def test_no_secret_or_token_in_any_output_plan_history_or_log(tmp_path: Path, server: EmulatorServer,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # the emulator's own request log, in this process
    accounts = [ACCOUNT.replace("@ID@", account_id).replace("@APPID@", appid).replace("@VAR@", var)
                .replace("@ENDPOINT@", endpoint).replace("@API_BASE@", server.base_url)
                for account_id, appid, var, endpoint in (
                    ("stable", STABLE_APPID, "OASPEC_STABLE_SECRET", "stable"),
                    ("classic", CLASSIC_APPID, "OASPEC_CLASSIC_SECRET", "classic"))]
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC.replace("@ACCOUNTS@", "".join(accounts)), encoding="utf-8")
    admin, oaspec = server.admin, Runs(tmp_path)

    oaspec("validate", "-f", str(spec))
    oaspec("plan", "-f", str(spec), "--out", "plan.json")
    oaspec("apply", "plan.json")
    oaspec("plan", "-f", str(spec), "--detailed-exitcode", "--format", "json")
    oaspec("history")
    oaspec("history", "--format", "json")
    for account in ("stable", "classic"):
        oaspec("show", "1", "--account", account, "-f", str(spec))
        oaspec("show", "1", "--account", account, "-f", str(spec), "--format", "json")
        oaspec("import", "--account", account, "-f", str(spec), "--out", f"imported-{account}.yaml")
    oaspec("import", "--account", "classic", "-f", str(spec))

    # Tokens expire between runs and in the middle of one: new ones are fetched and used.
    admin.expire_tokens()
    spec.write_text(spec.read_text(encoding="utf-8").replace("key: TXN_DETAIL}", "key: TXN_DETAIL_V2}"),
                    encoding="utf-8")
    admin.set_latency(20)
    admin.drop(nth=1, path="menu/create", after_processing=True)
    oaspec("apply", "-f", str(spec), "--auto-approve", "--parallelism", "1")
    oaspec("rollback", "1", "--account", "classic", "-f", str(spec), "--auto-approve")
    admin.clear_faults()

    # Failing runs: their messages quote the platform's answers, and retries log warnings.
    spec.write_text(spec.read_text(encoding="utf-8").replace("key: CS_HUMAN}", "key: CS_HUMAN_V2}"),
                    encoding="utf-8")
    admin.fail(45009, path="menu/addconditional")
    oaspec("apply", "-f", str(spec), "--auto-approve", code=1)
    admin.clear_faults()
    admin.fail(-1, path="tags/get", writes_only=False)
    oaspec("plan", "-f", str(spec), code=1)
    admin.clear_faults()
    admin.register_app(CLASSIC_APPID, SECRETS["OASPEC_CLASSIC_SECRET"], ip_whitelist=["203.0.113.7"])
    oaspec("plan", "-f", str(spec), "--account", "classic", code=1)
    admin.register_app(CLASSIC_APPID, "the-platform-knows-another-secret")  # the secret in the env is wrong
    oaspec("plan", "-f", str(spec), "--account", "classic", code=1)
    oaspec("audit", "export", "--since", "2026-01-01", "--out", "audit.jsonl")

    tokens = list(server.emulator.tokens)
    assert len(tokens) >= 4, "both endpoints issued tokens, and again after they expired"
    debug_log = "\n".join(oaspec.outputs)
    assert "LOG urllib3.connectionpool DEBUG" in debug_log, "the runs did log their HTTP requests"
    assert "WeChat error 40125" in debug_log and "WeChat error 40164" in debug_log and "45009" in debug_log

    files = {str(p.relative_to(tmp_path)): p.read_text(encoding="utf-8", errors="replace")
             for p in tmp_path.rglob("*") if p.is_file() and p.name != "oaspec.yaml"}
    assert "plan.json" in files and "audit.jsonl" in files and "imported-classic.yaml" in files
    assert any(name.startswith(".oaspec/history/") for name in files)
    texts = {**{f"output {i}": text for i, text in enumerate(oaspec.outputs)}, **files,
             "emulator log": caplog.text}
    for credential in [*SECRETS.values(), *tokens]:
        # Whole, or a telling piece of it (a token cut short in a message is still a leak).
        for piece in {credential, credential[:16], credential[-16:]}:
            leaks = [where for where, text in texts.items() if piece in text]
            assert not leaks, f"a credential ({piece[:4]}...) appears in {leaks}"
    assert "access_token=***" in debug_log and "secret=***" in debug_log, "credentials were redacted, not absent"


# --- where a secret may come from and where it may go (issue 9, item 4) ----------------------------------
def _one_account(tmp_path: Path, variable: str, api_base: str) -> Path:
    account = (ACCOUNT.replace("@ID@", "stable").replace("@APPID@", STABLE_APPID).replace("@VAR@", variable)
               .replace("@ENDPOINT@", "stable").replace("@API_BASE@", api_base))
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC.replace("@ACCOUNTS@", account), encoding="utf-8")
    return spec


def _run(tmp_path: Path, *args: str, env: dict[str, str]) -> Result:
    """The CLI without the emulator's allowance this module's fixture gives every run."""
    return run_cli(*args, cwd=tmp_path, env={"OASPEC_ALLOWED_API_BASES": None, **env})


@pytest.mark.parametrize("variable", ["PATH", "AWS_SECRET_ACCESS_KEY", "oaspec_lower_SECRET", "OASPEC_"])
def test_a_spec_may_name_only_OASPEC_variables_as_secrets(tmp_path: Path, server: EmulatorServer,
                                                          variable: str) -> None:
    spec = _one_account(tmp_path, variable, server.base_url)
    server.admin.clear_calls()
    env = {variable: "a-ci-credential-9f2e", "OASPEC_ALLOWED_API_BASES": server.base_url}
    for command in (("validate",), ("plan",)):
        result = _run(tmp_path, *command, "-f", str(spec), env=env)
        assert result.returncode == 1, result.stderr
        assert f"{spec}:10:19: error: accounts[0].provider.app_secret: app_secret names the environment variable " \
               f"{variable}, but a spec may only name variables OASPEC_*" in result.stderr
        assert "Traceback" not in result.stderr and "a-ci-credential-9f2e" not in result.stdout + result.stderr
    assert server.admin.calls() == [], "nothing was sent to the API"


def test_an_api_base_not_allowed_outside_the_spec_is_refused_before_any_secret_is_sent(
        tmp_path: Path, server: EmulatorServer) -> None:
    spec = _one_account(tmp_path, "OASPEC_STABLE_SECRET", server.base_url)
    server.admin.clear_calls()
    env = {"OASPEC_STABLE_SECRET": SECRETS["OASPEC_STABLE_SECRET"]}
    for command in (("validate",), ("plan",), ("apply", "--auto-approve")):
        result = _run(tmp_path, *command, "-f", str(spec), env=env)
        assert result.returncode == 1, result.stderr
        assert (f"{spec}:11:17: error: accounts[0].provider.api_base: api_base '{server.base_url}' is not allowed "
                "here") in result.stderr
        assert f"OASPEC_ALLOWED_API_BASES='{server.base_url}'" in result.stderr  # the hint says how
    assert server.admin.calls() == [], "no token was asked for: the secret never left"
    # Allowed the documented way (exactly; a trailing '/' does not matter), it validates and plans.
    for allowance in (server.base_url, f"https://egress.bank.example, {server.base_url}/"):
        result = _run(tmp_path, "plan", "-f", str(spec), env={**env, "OASPEC_ALLOWED_API_BASES": allowance})
        assert result.returncode == 0, result.stderr
    # Another base on the same host is not the same base.
    result = _run(tmp_path, "validate", "-f", str(spec), env={**env, "OASPEC_ALLOWED_API_BASES":
                                                               server.base_url + "/proxy"})
    assert result.returncode == 1 and "is not allowed here" in result.stderr


def test_the_default_api_base_needs_no_allowance(tmp_path: Path) -> None:
    spec = _one_account(tmp_path, "OASPEC_STABLE_SECRET", "https://api.weixin.qq.com")
    result = _run(tmp_path, "validate", "-f", str(spec), env={"OASPEC_STABLE_SECRET": "x"})
    assert result.returncode == 0, result.stderr


def test_validate_needs_no_secret_so_fork_pull_requests_can_run_it(tmp_path: Path) -> None:
    spec = _one_account(tmp_path, "OASPEC_UNSET_IN_THIS_RUN", "https://api.weixin.qq.com")
    result = _run(tmp_path, "validate", "-f", str(spec), env={})
    assert result.returncode == 0, result.stderr
    assert f"{spec}:10:19: warning: accounts[0].provider.app_secret: environment variable " \
           "OASPEC_UNSET_IN_THIS_RUN is not set; plan and apply need it" in result.stderr
    plan = _run(tmp_path, "plan", "-f", str(spec), env={})
    assert plan.returncode == 1 and "OASPEC_UNSET_IN_THIS_RUN (its AppSecret) is not set" in plan.stderr


def test_the_provider_refuses_an_api_base_that_is_not_allowed(server: EmulatorServer,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A config that did not come through validate (a library user, a future command) is checked too."""
    monkeypatch.delenv("OASPEC_ALLOWED_API_BASES", raising=False)
    settings = WeChatSettings(STABLE_APPID, "OASPEC_STABLE_SECRET", api_base=server.base_url)
    server.admin.clear_calls()
    with pytest.raises(ProviderError, match="is not allowed here"):
        WeChatProvider("stable", settings, SECRETS["OASPEC_STABLE_SECRET"])
    assert server.admin.calls() == []


def test_make_provider_reads_no_variable_outside_OASPEC_(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An account that did not come through validate (a library user) is refused before the variable is read."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "a-cloud-key-0b1e")
    account = AccountSpec.model_validate({"id": "demo", "name": "测试", "provider": {
        "type": "wechat", "app_id": STABLE_APPID, "app_secret": "${AWS_SECRET_ACCESS_KEY}"}})
    with pytest.raises(OaspecError, match=r"^account demo: app_secret names the environment variable "
                                          r"AWS_SECRET_ACCESS_KEY, but a spec may only name variables OASPEC_\*"):
        make_provider(account.id, provider_settings(account), tmp_path)


@pytest.mark.parametrize(("endpoint", "status"), [("stable", 307), ("classic", 302), ("stable", 308)])
def test_a_redirect_from_the_api_base_takes_no_secret_elsewhere(
        monkeypatch: pytest.MonkeyPatch, endpoint: Literal["stable", "classic"], status: int) -> None:
    """Attack review 7: the client followed a Location, sending the AppSecret to a host nobody listed."""
    with answering(404) as elsewhere, answering(status, elsewhere.url + "/x") as listed:
        monkeypatch.setenv("OASPEC_ALLOWED_API_BASES", listed.url)
        settings = WeChatSettings(STABLE_APPID, "OASPEC_STABLE_SECRET", api_base=listed.url, token_endpoint=endpoint)
        provider = WeChatProvider("stable", settings, SECRETS["OASPEC_STABLE_SECRET"])
        try:
            with pytest.raises(ProviderError, match=f"HTTP {status}") as refused:
                provider.read()
        finally:
            provider.close()
        assert listed.seen and elsewhere.seen == []
        assert SECRETS["OASPEC_STABLE_SECRET"] not in str(refused.value) and elsewhere.url not in str(refused.value)


ECHOED = "3f9a1c0e7b2d4a6f8e1c3b5d7a9f0e2c"


@pytest.mark.parametrize("endpoint", ["stable", "classic"])
def test_an_appsecret_echoed_back_escaped_is_redacted(monkeypatch: pytest.MonkeyPatch,
                                                       endpoint: Literal["stable", "classic"]) -> None:
    """Attack review 65, F3: a platform or proxy echoing the request quotes the AppSecret as it was sent, JSON-escaped
    in the stable_token body (\\" for a quote, \\\\ for a backslash) or percent-encoded in the classic query (%22, %5C):
    the exact secret is not in the message, and the old redaction left it whole."""
    secret = ECHOED + '"x\\'
    with echoing() as url:
        monkeypatch.setenv("OASPEC_ALLOWED_API_BASES", url)
        settings = WeChatSettings(STABLE_APPID, "OASPEC_STABLE_SECRET", api_base=url, token_endpoint=endpoint)
        provider = WeChatProvider("stable", settings, secret)
        try:
            with pytest.raises(ProviderError, match="WeChat error 49999") as refused:
                provider.read()
        finally:
            provider.close()
    said = str(refused.value)
    assert ECHOED[:12] not in said and "***" in said, said


def _plan_against(tmp_path: Path, url: str, secret: str, endpoint: str = "stable") -> tuple[int, str]:
    """`oaspec plan` of one wechat account at `url` with `secret` as its AppSecret: exit code and all it said."""
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(f"version: 1\nbank: 测试银行\naccounts:\n  - id: demo\n    name: 测试银行\n    provider: "
                    f"{{type: wechat, app_id: {STABLE_APPID}, app_secret: '${{OASPEC_DEMO_SECRET}}', "
                    f"api_base: '{url}', token_endpoint: {endpoint}}}\n", encoding="utf-8")
    result = run_cli("plan", "-f", str(spec), cwd=tmp_path, env={
        "OASPEC_DEMO_SECRET": secret, "OASPEC_ALLOWED_API_BASES": url, "OASPEC_STATE_DIR": str(tmp_path / "s")})
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("pasted", [ECHOED + "\n", " " + ECHOED, ECHOED + "\r\n", ECHOED[:16] + "\t" + ECHOED[16:]])
def test_an_appsecret_with_whitespace_is_refused_naming_the_variable_only(tmp_path: Path, pasted: str) -> None:
    """Attack review 65, F3: an AppSecret pasted with a line break was sent as is, and the platform's refusal quoted
    it back in full in the plan's error. Now plan refuses it before any call, naming the variable only."""
    with echoing() as url:
        code, said = _plan_against(tmp_path, url, pasted)
    assert code != 0 and ECHOED[:12] not in said and "Traceback" not in said, said
    assert "environment variable OASPEC_DEMO_SECRET holds a space, line break or other invisible character" in said
    assert "remove it where the variable is set" in said, said


@pytest.mark.parametrize("endpoint", ["stable", "classic"])
def test_an_appsecret_echoed_back_truncated_is_redacted(tmp_path: Path, endpoint: str) -> None:
    """Attack review 66, F4: a proxy quoting the first 100 characters of the request it got left 24 of the AppSecret's
    32 characters in plan's error (the whole-echo rule saw no whole secret). Any run holding 8 of them is masked."""
    with echoing(first=100) as url:
        code, said = _plan_against(tmp_path, url, ECHOED, endpoint)
    assert code != 0 and "WeChat error 49999" in said and "Traceback" not in said, said
    assert not any(ECHOED[i:i + 8] in said for i in range(len(ECHOED) - 7)), said


@pytest.mark.parametrize("endpoint", ["stable", "classic"])
@pytest.mark.parametrize("offset", [0, 1, 2])
def test_an_appsecret_echoed_back_in_a_base64_of_the_request_is_redacted(tmp_path: Path, endpoint: str,
                                                                          offset: int) -> None:
    """Attack review 67, F1: a gateway quoting the whole request base64-encoded put the AppSecret at any byte offset;
    only the secret's own base64 (offset 0 mod 3) was recognised, and plan printed the secret in full otherwise."""
    def encode(request: str) -> str:
        return base64.b64encode(("x" * offset + request).encode()).decode()

    with echoing(encode=encode) as url:
        code, said = _plan_against(tmp_path, url, ECHOED, endpoint)
    assert code != 0 and "WeChat error 49999" in said and "Traceback" not in said, said
    decoded = [base64.b64decode(run[:len(run) // 4 * 4]).decode("latin-1")
               for run in re.findall(r"[A-Za-z0-9+/]{12,}", said)]
    assert not any(ECHOED[i:i + 8] in text for text in decoded for i in range(len(ECHOED) - 7)), said
    assert "***" in said, said
