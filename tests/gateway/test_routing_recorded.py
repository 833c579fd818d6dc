"""Where followers' messages go (the gateway's mode and variable names, module webhooks and the click keys
that reach them) is planned, recorded in the revision, served from it and rolled back like a reply (attack
review 7, B10: such edits used to plan as "No changes" and were served straight from the spec)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.gateway.applied import account_gateway
from oa_spec.gateway.config import AccountGateway
from oa_spec.gateway.runner import AppliedAccounts, check_secrets
from oa_spec.history.files import FilesState
from oa_spec.kinds.state import AccountState, GatewaySettings, Reply, WebhookRoute
from oa_spec.plan.workspace import Workspace
from tests.gateway.e2e import ENV, applied, oaspec
from tests.gateway.test_spec_gateway import GATEWAY, secrets, spec

__all__ = ["secrets"]

ROUTED = """\
menu:
  - {name: 余额, type: click, key: BALANCE}
  - {name: 积分, type: click, key: POINTS}
replies:
  default: {text: 您好}
modules:
  - id: balance
    kind: account_query
    entry: {key: BALANCE}
    webhook: {url: "https://svc.citybank.example.cn/wx/balance", signing_secret: "${OASPEC_CITYBANK_HOOK}"}
"""
OWN_URL, FOREIGN_URL = "https://svc.citybank.example.cn/wx/balance", "https://collector.evil.example/wx"
# Each edit a pull request could make, and the plan lines that show it.
EDITS = {
    "webhook url": ((OWN_URL, FOREIGN_URL),
                    ["~ webhook balance", "citybank/gateway/webhooks/balance", f"- url: {OWN_URL}",
                     f"+ url: {FOREIGN_URL}", "will go to collector.evil.example instead of svc.citybank.example.cn"]),
    "mode": (("app_id: wx2c2769f8efd9abc2", "app_id: wx2c2769f8efd9abc2\n      mode: plain"),
             ["~ gateway ", "citybank/gateway\n", "- mode: safe", "+ mode: plain"]),
    "click key": (("entry: {key: BALANCE}", "entry: {key: POINTS}"),
                  ["~ webhook balance", "citybank/gateway/webhooks/balance", "- click key: BALANCE",
                   "+ click key: POINTS"]),
}


def _edit(path: Path, name: str) -> None:
    (old, new), _ = EDITS[name]
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _served(tmp_path: Path) -> AccountGateway:
    """What `oaspec serve` started with the spec as it is now would answer with."""
    ws = Workspace.open(tmp_path / "oaspec.yaml", tmp_path / ".oaspec")
    [config] = AppliedAccounts([ws.account("citybank").spec], FilesState(tmp_path / ".oaspec")).configs()
    ws.close()
    return config


def _routing(config: AccountGateway) -> tuple[str, str | None, dict[str, str | None]]:
    hook = config.modules["balance"].webhook
    return (config.mode, None if hook is None else hook.url,
            {key: action.module for key, action in config.click_actions.items()})


BEFORE = ("safe", OWN_URL, {"BALANCE": "balance"})


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_of_where_messages_go_plans_as_a_change_and_is_served_only_once_applied(
        tmp_path: Path, edit: str) -> None:
    path = spec(tmp_path, GATEWAY, ROUTED)
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
    _edit(path, edit)

    plan = oaspec("plan", "-f", "oaspec.yaml", "--detailed-exitcode", cwd=tmp_path)
    assert plan.returncode == 2, plan.stdout + plan.stderr
    for line in EDITS[edit][1]:
        assert line in plan.stdout, plan.stdout
    assert _routing(_served(tmp_path)) == BEFORE  # the spec alone changes nothing serve does

    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
    expected = {"webhook url": ("safe", FOREIGN_URL, {"BALANCE": "balance"}),
                "mode": ("plain", OWN_URL, {"BALANCE": "balance"}),
                "click key": ("safe", OWN_URL, {"POINTS": "balance"})}[edit]
    assert _routing(_served(tmp_path)) == expected
    revision = FilesState(tmp_path / ".oaspec").history("citybank").get(2)
    assert revision.live_after is not None
    assert {c.address for c in revision.changes} <= {"citybank/gateway", "citybank/gateway/webhooks/balance"}
    assert oaspec("plan", "-f", "oaspec.yaml", "--detailed-exitcode", cwd=tmp_path).returncode == 0

    rolled = oaspec("rollback", "1", "--account", "citybank", "-f", "oaspec.yaml", "--auto-approve", cwd=tmp_path)
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert _routing(_served(tmp_path)) == BEFORE


def test_the_revision_records_variable_names_and_never_the_secrets(tmp_path: Path) -> None:
    spec(tmp_path, GATEWAY, ROUTED)
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
    history = FilesState(tmp_path / ".oaspec").history("citybank")
    after = history.get(1).live_after
    assert after is not None
    assert after.gateway == GatewaySettings("safe", "wx2c2769f8efd9abc2", "OASPEC_CITYBANK_TOKEN",
                                            "OASPEC_CITYBANK_AES_KEY")
    assert after.webhooks == (WebhookRoute("balance", OWN_URL, 3.0, "OASPEC_CITYBANK_HOOK", "BALANCE"),)
    records = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / ".oaspec").rglob("*") if p.is_file())
    assert all(value not in records for name, value in ENV.items() if name != "OASPEC_CITYBANK_SECRET")
    shown = oaspec("plan", "-f", "oaspec.yaml", "--format", "json", cwd=tmp_path).stdout
    assert json.loads(shown)["accounts"][0]["changes"] == []


def test_a_module_left_out_of_the_rollout_stops_receiving_messages_when_applied(tmp_path: Path) -> None:
    path = spec(tmp_path, GATEWAY, ROUTED.replace("kind: account_query", "kind: account_query\n    phase: 3"))
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "    rollout: {max_phase: 2}\n", encoding="utf-8")
    plan = oaspec("plan", "-f", "oaspec.yaml", "--detailed-exitcode", cwd=tmp_path)
    assert plan.returncode == 2 and "- webhook balance  citybank/gateway/webhooks/balance" in plan.stdout
    assert "balance" in _served(tmp_path).modules
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
    assert _served(tmp_path).modules == {} and _served(tmp_path).click_actions == {}


def test_an_account_whose_revisions_record_no_routing_calls_no_webhook(tmp_path: Path) -> None:
    # Nothing applied yet (URL verification needs the Token), only revisions of an older oaspec, which recorded
    # the replies alone, or a rollback to one of those: the spec's settings answer the platform, but no webhook
    # is called (attack review 8: a rollback handed routing to whatever host the spec serve ran with named).
    spec(tmp_path, GATEWAY, ROUTED)
    nothing_applied = _served(tmp_path)
    assert (nothing_applied.mode, nothing_applied.modules, nothing_applied.click_actions) == ("safe", {}, {})
    ws = Workspace.open(tmp_path / "oaspec.yaml", tmp_path / ".oaspec")
    older = AccountState(default_reply=Reply("您好"))
    config = account_gateway(ws.account("citybank").spec, older)
    ws.close()
    assert (config.modules, config.click_actions) == ({}, {})
    assert config.default_reply is not None and config.default_reply.text == "您好"


def test_serve_checks_the_variables_the_applied_revision_names(tmp_path: Path) -> None:
    path = spec(tmp_path, GATEWAY, ROUTED)
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("OASPEC_CITYBANK_TOKEN", "OASPEC_CITYBANK_TOKEN2"),
                    encoding="utf-8")
    ws = Workspace.open(path, tmp_path / ".oaspec")
    accounts = [ws.account("citybank").spec]
    assert check_secrets(accounts, ws.state, dict(ENV)) == []  # serve reads the applied revision's variable
    assert "OASPEC_CITYBANK_TOKEN" in check_secrets(accounts, ws.state, {})[0]
    # an attack review: serve started, and /healthz said ok, with a webhook's signing secret missing (every balance
    # query got the fallback text); it is checked as the Token is
    without_hook = {k: v for k, v in ENV.items() if k != "OASPEC_CITYBANK_HOOK"}
    assert check_secrets(accounts, ws.state, without_hook) == [
        "account citybank: module balance: set its webhook's signing secret in environment variable "
        "OASPEC_CITYBANK_HOOK"]
    # attack review 76 (a note): a signing secret pasted with its line break signed every call with it, where the
    # Token and EncodingAESKey are refused so; refused the same way, the value never shown
    pasted = {**ENV, "OASPEC_CITYBANK_HOOK": ENV["OASPEC_CITYBANK_HOOK"] + "\n"}
    [problem] = check_secrets(accounts, ws.state, pasted)
    assert problem.startswith("account citybank: module balance: environment variable OASPEC_CITYBANK_HOOK holds a "
                              "space, line break"), problem
    assert ENV["OASPEC_CITYBANK_HOOK"] not in problem
    ws.close()


def _allow(path: Path, domains: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("accounts:\n", f"policies:\n  settings: {{allowed_domains: [{domains}]}}\naccounts:\n",
                                 1), encoding="utf-8")


@pytest.mark.parametrize(("url", "refused"), [(FOREIGN_URL, True), (OWN_URL, False),
                                              ("http://127.0.0.1:18799/collect", False)])
def test_a_webhook_host_outside_the_allowed_domains_is_a_blocking_link_finding(
        tmp_path: Path, url: str, refused: bool) -> None:
    path = spec(tmp_path, GATEWAY, ROUTED.replace(OWN_URL, url))
    _allow(path, "svc.citybank.example.cn")
    checked = oaspec("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    found = "link.allowed-domains" in checked.stdout + checked.stderr
    assert found == refused and (checked.returncode != 0) == refused, checked.stdout + checked.stderr
    if refused:
        assert "citybank/gateway/webhooks/balance" in checked.stdout + checked.stderr
        assert "collector.evil.example" in checked.stdout + checked.stderr


def test_a_rollback_to_a_webhook_host_no_longer_allowed_is_refused(tmp_path: Path) -> None:
    path = spec(tmp_path, GATEWAY, ROUTED.replace(OWN_URL, FOREIGN_URL))
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)  # revision 1, before the bank listed its domains
    path.write_text(path.read_text(encoding="utf-8").replace(FOREIGN_URL, OWN_URL), encoding="utf-8")
    _allow(path, "svc.citybank.example.cn")
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
    refused = oaspec("rollback", "1", "--account", "citybank", "-f", "oaspec.yaml", "--auto-approve", cwd=tmp_path)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "link.allowed-domains at citybank/gateway/webhooks/balance (revision 1" in refused.stderr
    assert _routing(_served(tmp_path)) == BEFORE


def test_a_click_reaches_the_applied_webhook_not_the_one_an_unapplied_spec_names(tmp_path: Path) -> None:
    from oa_spec.gateway.app import GatewayApp
    from oa_spec.gateway.simulator import PlatformSimulator, event_message
    from tests.gateway.helpers import OFFICIAL_APPID, OFFICIAL_KEY, OFFICIAL_TOKEN
    from tests.gateway.servers import FakeWebhook, running

    applied_hook, collector = FakeWebhook("余额 1.00"), FakeWebhook("collected")
    try:
        path = spec(tmp_path, GATEWAY, ROUTED.replace(OWN_URL, applied_hook.url))
        applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
        path.write_text(path.read_text(encoding="utf-8").replace(applied_hook.url, collector.url), encoding="utf-8")
        with running(GatewayApp([_served(tmp_path)], environ=dict(ENV))) as url:
            sim = PlatformSimulator(f"{url}/wx/citybank", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID, aes_key=OFFICIAL_KEY)
            answer = sim.push(event_message("CLICK", "BALANCE")).reply
    finally:
        applied_hook.close()
        collector.close()
    assert answer is not None and answer["Content"] == "余额 1.00"
    assert len(applied_hook.calls) == 1 and collector.calls == []


def test_import_names_where_the_served_routing_differs_from_the_given_spec(tmp_path: Path) -> None:
    """Attack review 8: import carried the given spec's webhooks silently, though the applied ones differed."""
    path = spec(tmp_path, GATEWAY, ROUTED)
    applied("apply", "-f", "oaspec.yaml", cwd=tmp_path)
    _edit(path, "webhook url")
    imported = oaspec("import", "--account", "citybank", "-f", "oaspec.yaml", "--out", "imp.yaml", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    note = f"citybank/gateway/webhooks/balance is served as {OWN_URL}, the given spec declares {FOREIGN_URL}"
    assert note in imported.stderr and note in (tmp_path / "imp.yaml").read_text(encoding="utf-8")
