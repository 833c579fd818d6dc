"""The spec side of serving: the gateway: block, module webhooks and FAQ entries are validated, policy-
checked and compiled; the served provider makes replies writable and reads them back from history."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from oa_spec.apply.rollback import rollback_plan
from oa_spec.apply.run import apply_plan
from oa_spec.config.diagnostics import Diagnostic
from oa_spec.config.load import load_spec
from oa_spec.config.validate import check
from oa_spec.gateway.applied import account_gateway, revision_marker, served_state
from oa_spec.history.files import FilesState
from oa_spec.plan.workspace import Workspace
from oa_spec.policy.findings import Finding
from oa_spec.providers.served import ServedProvider
from tests.gateway.e2e import ENV, applied, oaspec

HEAD = """\
version: 1
bank: 测试银行
accounts:
  - id: citybank
    name: 测试银行
"""
GATEWAY = """\
gateway:
  token: ${OASPEC_CITYBANK_TOKEN}
  encoding_aes_key: ${OASPEC_CITYBANK_AES_KEY}
  app_id: wx2c2769f8efd9abc2
"""
CS = """\
modules:
  - id: smart-cs
    kind: customer_service
    entry: {key: CS_ENTRY}
    faq:
      - id: card-loss
        questions: [银行卡丢了怎么挂失, 如何挂失银行卡]
        answer: {text: 请立即拨打客服热线95000或在手机银行办理挂失。}
replies:
  keywords:
    - {name: 客服, match: exact, keywords: [客服], reply: {module: smart-cs}}
"""


def spec(tmp_path: Path, *parts: str) -> Path:
    body = HEAD + "".join(textwrap.indent(textwrap.dedent(p), "    ") for p in parts)
    path = tmp_path / "oaspec.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def errors(path: Path) -> list[Diagnostic]:
    return [d for d in check(load_spec(path))[1] if d.severity == "error"]


@pytest.fixture(autouse=True)
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def test_a_served_account_validates_and_compiles_its_faq(tmp_path: Path) -> None:
    ws = Workspace.open(spec(tmp_path, GATEWAY, CS), tmp_path / ".oaspec")
    compiled = ws.account("citybank")
    assert [f.id for f in compiled.desired.faq] == ["card-loss"]
    assert any("served by `oaspec serve`" in note for note in compiled.notes)
    config = account_gateway(compiled.spec, compiled.desired)
    assert (config.mode, config.app_id, config.token_env) == ("safe", "wx2c2769f8efd9abc2", "OASPEC_CITYBANK_TOKEN")


@pytest.mark.parametrize(("gateway", "words"), [
    ("gateway: {token: '${CI_DEPLOY_TOKEN}', encoding_aes_key: '${OASPEC_K}', app_id: wx2c2769f8efd9abc2}",
     "may only name variables OASPEC_*"),
    ("gateway: {token: plain-text-token, app_id: wx2c2769f8efd9abc2, mode: plain}", "OASPEC_<ACCOUNT>_TOKEN"),
    ("gateway: {token: '${OASPEC_T}', app_id: wx2c2769f8efd9abc2}", "needs the EncodingAESKey"),
    ("gateway: {token: '${OASPEC_T}', encoding_aes_key: '${OASPEC_K}'}", "needs the account's AppID"),
    ("gateway: {token: '${OASPEC_T}', mode: loud, app_id: wx2c2769f8efd9abc2}", "is not allowed here"),
])
def test_bad_gateway_blocks_name_the_place_and_what_to_do(tmp_path: Path, gateway: str, words: str) -> None:
    found = errors(spec(tmp_path, gateway + "\n"))
    assert len(found) == 1 and words in found[0].message + found[0].hint, found
    assert found[0].path.startswith("accounts[0].gateway") and found[0].position.line == 6


def test_secrets_in_any_other_field_are_refused(tmp_path: Path) -> None:
    found = errors(spec(tmp_path, GATEWAY, "replies: {default: {text: '${OASPEC_CITYBANK_TOKEN}'}}\n"))
    assert [d.message for d in found] == ["${...} is only allowed in secret fields"]


def test_faq_belongs_to_customer_service_with_unique_ids_and_known_modules(tmp_path: Path) -> None:
    bad = CS.replace("kind: customer_service", "kind: wealth").replace("      - id: card-loss", """\
      - id: card-loss
        questions: [卡丢了]
        answer: {text: 挂失}
        module: nowhere
      - id: card-loss""")
    messages = [d.message for d in errors(spec(tmp_path, GATEWAY, bad))]
    assert any("belong to a customer_service module" in m for m in messages)
    assert any("no module with id 'nowhere'" in m for m in messages)
    assert any("FAQ id 'card-loss' is used more than once" in m for m in messages)


@pytest.mark.parametrize("url", ["http://bank.example/balance",
                                 # plain http that looks like loopback to urlsplit and goes to attacker.example
                                 "http://attacker.example\\\\@127.0.0.1/hook"])
def test_webhooks_go_over_https_only(tmp_path: Path, url: str) -> None:
    module = f"""\
    modules:
      - id: balance
        kind: account_query
        entry: {{key: BALANCE}}
        webhook: {{url: "{url}", signing_secret: "${{OASPEC_CITYBANK_HOOK}}"}}
    """
    (found,) = errors(spec(tmp_path, GATEWAY, module))
    assert "must be an https:// URL" in found.message and found.path.endswith("webhook.url")


def test_a_webhook_without_a_signing_secret_is_refused_at_validate(tmp_path: Path) -> None:
    # attack review 27 F7: validate accepted it, and serve sent followers' OpenIDs and messages to it unsigned
    module = """\
    modules:
      - id: balance
        kind: account_query
        entry: {key: BALANCE}
        webhook: {url: "https://svc.citybank.example.cn/wx/balance", timeout_seconds: 3}
    """
    spec(tmp_path, GATEWAY, module)
    result = oaspec("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.output
    assert "modules[0].webhook.signing_secret" in result.output
    assert "signs every call" in result.output and "signing_secret: ${OASPEC_" in result.output


def cn_bank_findings(tmp_path: Path, address: str, *parts: str) -> list[Finding]:
    """The cn-bank pack's findings at `address` for a served spec made of `parts`."""
    path = spec(tmp_path, GATEWAY, *parts)
    path.write_text(path.read_text(encoding="utf-8").replace("accounts:", "policies: {packs: [cn-bank]}\naccounts:"),
                    encoding="utf-8")
    ws = Workspace.open(path, tmp_path / ".oaspec")
    try:
        return [f for f in ws.policy.for_account("citybank") if f.address == address]
    finally:
        ws.close()


def test_faq_answers_are_policy_checked_at_their_own_address(tmp_path: Path) -> None:
    promise = CS.replace("请立即拨打客服热线95000或在手机银行办理挂失。", "本行理财产品保本保收益，年化收益率最高")
    findings = cn_bank_findings(tmp_path, "citybank/faq/card-loss", promise)
    assert findings and any(f.blocking for f in findings)
    assert all(f.path.endswith("faq[0].answer.text") for f in findings)


def test_served_replies_are_writable_recorded_in_history_and_rolled_back(tmp_path: Path) -> None:
    path = spec(tmp_path, GATEWAY, CS.replace("replies:\n", "replies:\n  default: {text: 您好}\n"))
    state_dir = tmp_path / ".oaspec"
    ws = Workspace.open(path, state_dir)
    assert isinstance(ws.provider(ws.account("citybank").spec), ServedProvider)
    plan = ws.plan()
    assert {c.address: c.writable for c in plan.accounts[0].changes} == {
        "citybank/replies/default": True, "citybank/replies/keywords/客服": True, "citybank/faq/card-loss": True,
        "citybank/gateway": True}
    (result,) = apply_plan(ws, plan)
    assert result.ok and result.revision is not None and result.revision.number == 1
    found = served_state(FilesState(state_dir).history("citybank"))
    assert found is not None and found[0] == 1 and found[1].default_reply is not None
    assert found[1].default_reply.text == "您好"
    assert not (state_dir / "local" / "citybank.json").exists() or "您好" not in (
        state_dir / "local" / "citybank.json").read_text(encoding="utf-8")  # nothing written to the platform
    marker = revision_marker(FilesState(state_dir).history("citybank"))
    ws.close()

    path.write_text(path.read_text(encoding="utf-8").replace("您好", "您好，欢迎咨询"), encoding="utf-8")
    ws = Workspace.open(path, state_dir)
    plan = ws.plan()
    assert [(c.address, c.action) for c in plan.accounts[0].changes] == [("citybank/replies/default", "update")]
    apply_plan(ws, plan)
    assert revision_marker(FilesState(state_dir).history("citybank")) != marker
    assert served_state(FilesState(state_dir).history("citybank"))[1].default_reply.text == "您好，欢迎咨询"  # type: ignore[index,union-attr]
    assert not ws.plan().accounts[0].changes  # converged: the served state reads back as applied

    (result,) = apply_plan(ws, rollback_plan(ws, "citybank", 1))
    assert result.ok and result.revision is not None and result.revision.operation == "rollback"
    assert served_state(FilesState(state_dir).history("citybank"))[1].default_reply.text == "您好"  # type: ignore[index,union-attr]
    ws.close()


def test_serve_refuses_clearly_without_served_accounts_or_secrets(tmp_path: Path) -> None:
    spec(tmp_path, "replies: {default: {text: 您好}}\n")
    result = oaspec("serve", "-f", "oaspec.yaml", cwd=tmp_path, process=True)
    assert result.returncode == 1 and "no account in oaspec.yaml has a gateway: block" in result.stderr
    spec(tmp_path, GATEWAY)
    result = oaspec("serve", "-f", "oaspec.yaml", cwd=tmp_path, env={"OASPEC_CITYBANK_AES_KEY": ""}, process=True)
    assert result.returncode == 1 and "OASPEC_CITYBANK_AES_KEY" in result.stderr
    assert ENV["OASPEC_CITYBANK_TOKEN"] not in result.stderr and "Traceback" not in result.stderr


def test_plan_json_and_history_show_served_replies_without_secrets(tmp_path: Path) -> None:
    spec(tmp_path, GATEWAY, CS)
    out = applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
    assert "FAQ entry card-loss" in out
    records = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / ".oaspec").rglob("*") if p.is_file())
    assert ENV["OASPEC_CITYBANK_TOKEN"] not in records and ENV["OASPEC_CITYBANK_AES_KEY"] not in records
    assert oaspec("plan", "-f", "oaspec.yaml", "--detailed-exitcode", cwd=tmp_path).returncode == 0


EVENTS = """\
menu:
  - {name: 交易明细, type: click, key: TXN_DETAIL}
replies:
  subscribe: {text: 欢迎关注}
  clicks:
    - {key: TXN_DETAIL, reply: {text: 交易明细请在手机银行“账户”中查看}}
  scenes:
    - {scene: branch-xinhua, reply: {text: 欢迎来到新华路支行，营业时间 9:00-17:00}}
"""


def test_click_and_scene_replies_are_served_resources(tmp_path: Path) -> None:
    from oa_spec.gateway.app import GatewayApp
    from oa_spec.gateway.simulator import PlatformSimulator, event_message
    from tests.gateway.helpers import OFFICIAL_APPID, OFFICIAL_KEY, OFFICIAL_TOKEN
    from tests.gateway.servers import running

    path = spec(tmp_path, GATEWAY, EVENTS)
    ws = Workspace.open(path, tmp_path / ".oaspec")
    plan = ws.plan()
    assert {c.address for c in plan.accounts[0].changes} >= {
        "citybank/replies/clicks/TXN_DETAIL", "citybank/replies/scenes/branch-xinhua"}
    apply_plan(ws, plan)
    ws.close()
    found = served_state(FilesState(tmp_path / ".oaspec").history("citybank"))
    assert found is not None
    app = GatewayApp([account_gateway(ws.account("citybank").spec, found[1])], environ=dict(ENV))
    with running(app) as url:
        sim = PlatformSimulator(f"{url}/wx/citybank", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID, aes_key=OFFICIAL_KEY)
        answers = [sim.push(event_message(*event)).reply for event in (
            ("CLICK", "TXN_DETAIL"), ("subscribe", "qrscene_branch-xinhua"), ("SCAN", "branch-xinhua"),
            ("subscribe", ""))]
    assert [a["Content"] if a else None for a in answers] == [
        "交易明细请在手机银行“账户”中查看", "欢迎来到新华路支行，营业时间 9:00-17:00",
        "欢迎来到新华路支行，营业时间 9:00-17:00", "欢迎关注"]


def test_click_and_scene_replies_need_a_gateway_and_known_keys(tmp_path: Path) -> None:
    found = errors(spec(tmp_path, EVENTS))
    assert [d.path for d in found] == ["accounts[0].replies.clicks", "accounts[0].replies.scenes"]
    assert "only `oaspec serve` answers click events" in found[0].message
    warnings = [d for d in check(load_spec(spec(tmp_path, GATEWAY, EVENTS.replace("key: TXN_DETAIL, reply",
                                                                                   "key: TXN_DETAL, reply"))))[1]
                if d.severity == "warning" and "click key" in d.message]
    assert warnings and "did you mean 'TXN_DETAIL'?" in warnings[0].hint


def test_a_click_key_named_like_the_menu_does_not_take_over_the_live_menu(tmp_path: Path) -> None:
    from oa_spec.plan.scope import after_apply, change_identity

    path = spec(tmp_path, GATEWAY, "replies:\n  clicks: [{key: menu, reply: {text: 菜单}}]\n")
    ws = Workspace.open(path, tmp_path / ".oaspec")
    (change,) = [c for c in ws.plan().accounts[0].changes if c.kind == "click_reply"]
    assert change_identity(change) == ("singletons", "click_reply:menu")
    assert "menu" not in after_apply({}, [change], ws.account("citybank").desired, False).get("singletons", set())


def _served_everything(tmp_path: Path) -> tuple[Path, Workspace]:
    """An account serving clicks, a scene, keywords and FAQ, applied once (revision 1)."""
    path = spec(tmp_path, GATEWAY, CS.replace("replies:\n", EVENTS.split("replies:\n")[1].join(["replies:\n", ""])
                                              ).replace("modules:\n", "menu:\n  - {name: 交易明细, type: click, key: "
                                                                      "TXN_DETAIL}\nmodules:\n"))
    ws = Workspace.open(path, tmp_path / ".oaspec")
    [result] = apply_plan(ws, ws.plan())
    assert result.ok
    return path, ws


def test_dropping_the_gateway_block_shows_the_served_replies_it_removes(tmp_path: Path) -> None:
    path, ws = _served_everything(tmp_path)
    ws.close()
    served = path.read_text(encoding="utf-8")
    dropped = served[:served.index("    gateway:")] + served[served.index("    menu:"):]
    path.write_text(dropped[:dropped.index("      clicks:")] + dropped[dropped.index("      keywords:"):],
                    encoding="utf-8")
    ws = Workspace.open(path, tmp_path / ".oaspec")
    changes = {(c.address, c.action) for c in ws.plan().accounts[0].changes}
    ws.close()
    assert {("citybank/replies/clicks/TXN_DETAIL", "delete"), ("citybank/replies/scenes/branch-xinhua", "delete"),
            ("citybank/faq/card-loss", "delete")} <= changes, changes


def test_import_of_a_served_account_keeps_its_gateway_clicks_scenes_and_faq(tmp_path: Path) -> None:
    from oa_spec.plan.importer import import_account

    _, ws = _served_everything(tmp_path)
    account = ws.account("citybank").spec
    text, notes = import_account(account, ws.provider(account), tmp_path)
    ws.close()
    imported = tmp_path / "imported.yaml"
    imported.write_text(text, encoding="utf-8")
    # no spec given here: the one note says no policies were carried (tests/plan/test_import_policies.py)
    assert "OASPEC_CITYBANK_TOKEN" in text
    assert [note.startswith("no policies are set: no spec was given") for note in notes] == [True], notes
    ws = Workspace.open(imported, tmp_path / ".oaspec")
    assert ws.plan().accounts[0].changes == []  # plans back to no changes: nothing served was dropped
    ws.close()


def _webhook_module(module_id: str, key: str, webhook: bool = True) -> str:
    hook = ('\n    webhook: {url: "https://svc.citybank.example.cn/wx/' + module_id + '", '
            'signing_secret: "${OASPEC_CITYBANK_HOOK}"}') if webhook else ""
    return f"  - id: {module_id}\n    kind: account_query\n    entry: {{key: {key}}}{hook}\n"


BALANCE_MENU = "menu:\n  - {name: 余额查询, type: click, key: BALANCE}\n"
BALANCE_CLICK = "replies:\n  clicks:\n    - {key: BALANCE, reply: {text: 余额请在手机银行查看}}\n"


_CLICK_LINE = "- {key: BALANCE"
_ENTRY_LINE = "entry: {key: BALANCE}"


@pytest.mark.parametrize(("parts", "second", "at", "first", "todo"), [
    # a click reply, then a webhook module on its key: the gateway answered the text, the webhook was never called
    ((BALANCE_CLICK, "modules:\n" + _webhook_module("balance-query", "BALANCE")),
     "accounts[0].modules[0].entry.key", (_ENTRY_LINE, 0), "accounts[0].replies.clicks[0] (a click reply)",
     "remove the click reply"),
    # the same written the other way round: the second claim in the file is the click reply
    (("modules:\n" + _webhook_module("balance-query", "BALANCE"), BALANCE_CLICK),
     "accounts[0].replies.clicks[0].key", (_CLICK_LINE, 0),
     "accounts[0].modules[0].entry.key (module balance-query's webhook)", "remove the click reply"),
    # two webhook modules on one key: only the one listed last was called
    (("modules:\n" + _webhook_module("balance-query", "BALANCE") + _webhook_module("card-query", "BALANCE"),),
     "accounts[0].modules[1].entry.key", (_ENTRY_LINE, 1),
     "accounts[0].modules[0].entry.key (module balance-query's webhook)", "give each module its own entry.key"),
    # a module with no webhook claims its key too: its button would reach the other module's webhook
    (("modules:\n" + _webhook_module("balance-query", "BALANCE") + _webhook_module("card", "BALANCE", False),),
     "accounts[0].modules[1].entry.key", (_ENTRY_LINE, 1),
     "accounts[0].modules[0].entry.key (module balance-query's webhook)", "give each module its own entry.key"),
])
def test_a_click_key_claimed_twice_is_refused_at_the_second_claim_naming_the_first(
        tmp_path: Path, parts: tuple[str, ...], second: str, at: tuple[str, int], first: str, todo: str) -> None:
    # attack review 40, F3: validate accepted a click key claimed by a click reply and a webhook module (or by two
    # modules), the plan showed both receiving the click, and the gateway served only one of them
    path = spec(tmp_path, GATEWAY, BALANCE_MENU, *parts)
    result = oaspec("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.output
    (line,) = [line for line in result.output.splitlines() if "claimed" in line]
    assert f"error: {second}: click key 'BALANCE' is already claimed by {first}" in line, result.output
    text, occurrence = at
    lines = [n for n, written in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in written]
    assert line.startswith(f"oaspec.yaml:{lines[occurrence]}:"), (line, lines)
    assert todo in result.output


def test_a_click_reply_for_a_module_without_a_webhook_still_answers_its_key(tmp_path: Path) -> None:
    # the served example's pattern: smart-cs has no webhook, so its entry.key is answered by the click reply alone
    spec(tmp_path, GATEWAY, BALANCE_MENU, BALANCE_CLICK, "modules:\n" + _webhook_module("card", "BALANCE", False))
    result = oaspec("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.output
