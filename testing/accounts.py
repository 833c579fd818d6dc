"""One live account behind either provider, so a scenario is written once and runs on both: the
embedded `local` provider (a JSON file under the state directory) and the WeChat provider against the
emulator over HTTP. A test writes its spec with `account.provider_lines`, seeds what the console or a
CRM left on the account, runs the CLI with `account.env`, and reads the account back."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from oa_spec.emulator import EmulatorServer
from oa_spec.history import audit
from oa_spec.history.integrity import desired_digest
from oa_spec.kinds.state import AccountState, Tag, digest
from oa_spec.providers.local import LocalProvider
from oa_spec.providers.settings import WeChatSettings
from oa_spec.providers.wechat import WeChatProvider
from testing import EXAMPLES
from testing.cli import Cli
from testing.emulator import EmulatorAccount, fresh_account

PROVIDERS = ("local", "wechat")
RESERVED_TAG = {"id": 2, "name": "星标组", "count": 0}  # every WeChat account has it; oaspec leaves it alone
# The head of a spec of one account, `bank`, under the cn-bank pack: a test adds the account's fields (indented 4).
BANK_HEAD = """\
version: 1
bank: 测试银行
accounts:
  - id: bank
    name: 测试银行
"""  # one account, `bank`: a spec's first lines
ONE_BANK_SPEC = """\
version: 1
bank: 测试银行
policies:
  packs: [cn-bank]
accounts:
  - id: bank
    name: 测试银行
"""


class LiveAccount(Protocol):
    @property
    def account_id(self) -> str: ...

    @property
    def provider_lines(self) -> str:
        """The account's `provider:` entry in a spec (indented 4), empty for the default (local)."""

    @property
    def env(self) -> dict[str, str]:
        """What a CLI run needs (the AppSecret)."""

    def seed_tags(self, *tags: Tag) -> None:
        """The account's tags as someone else left them, before oaspec ever ran."""

    def live(self) -> AccountState:
        """The account as its provider reads it now."""

    def writes(self) -> list[str] | None:
        """The write calls since the seed (paths below /cgi-bin/), or None where no call log exists."""


@dataclass
class LocalAccount:
    account_id: str
    state_dir: Path
    provider_lines: str = ""
    env: dict[str, str] = field(default_factory=dict)

    def seed_tags(self, *tags: Tag) -> None:
        seed_local(self.state_dir, self.account_id, AccountState(tags=tags))

    def live(self) -> AccountState:
        return LocalProvider(self.account_id, self.state_dir).read()

    def writes(self) -> list[str] | None:
        return None


@dataclass
class WeChatAccount:
    account_id: str
    server: EmulatorServer
    emulator_account: EmulatorAccount
    secret_variable: str = "OASPEC_TEST_APPSECRET"

    @property
    def provider_lines(self) -> str:
        return ("    provider:\n      type: wechat\n"
                f"      app_id: {self.emulator_account.appid}\n"
                f"      app_secret: ${{{self.secret_variable}}}\n"
                f"      api_base: {self.server.base_url}\n")

    @property
    def env(self) -> dict[str, str]:
        return {self.secret_variable: self.emulator_account.secret}

    def seed_tags(self, *tags: Tag) -> None:
        fresh_account(self.server.admin, self.emulator_account)
        self.server.admin.seed(self.emulator_account.appid, {"tags": [RESERVED_TAG, *(
            {"id": t.id, "name": t.name, "count": t.count} for t in tags)]})
        self.server.admin.clear_calls()

    def live(self) -> AccountState:
        settings = WeChatSettings(self.emulator_account.appid, self.secret_variable, api_base=self.server.base_url)
        provider = WeChatProvider(self.account_id, settings, self.emulator_account.secret)
        try:
            return provider.read()
        finally:
            provider.close()

    def writes(self) -> list[str] | None:
        return [c["path"].removeprefix("/cgi-bin/") for c in self.server.admin.writes(self.emulator_account.appid)]


def seed_local(state_dir: Path, account_id: str, state: AccountState, next_tag_id: int = 200) -> None:
    """A local account as the CRM and the console left it, before oaspec ever ran."""
    path = state_dir / "local" / f"{account_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"state": state.to_json(), "counters": {"next_tag_id": next_tag_id,
                                                                       "next_menuid": 500}}), encoding="utf-8")


def seed_bank(directory: Path, state: AccountState, next_tag_id: int = 200) -> None:
    """The local account `bank` of the state directory `directory/.oaspec`, as others left it."""
    seed_local(directory / ".oaspec", "bank", state, next_tag_id)


def imported_bank(cli: Cli, directory: Path, state: AccountState) -> tuple[dict[str, object], str]:
    """`oaspec import` of the live account `bank` seeded as `state`: the written account and what import said on
    stderr; the imported spec validates and plans to no changes."""
    seed_bank(directory, state)
    imported = cli("import", "--account", "bank", "--out", "imported.yaml")
    assert imported.returncode == 0, imported.stderr
    validated = cli("validate", "-f", "imported.yaml")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    plan = cli("plan", "-f", "imported.yaml", "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr
    account = yaml.safe_load((directory / "imported.yaml").read_text(encoding="utf-8"))["accounts"][0]
    return account, imported.stderr


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a spec file (which must contain it)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def audit_entries(state_dir: Path) -> list[dict[str, Any]]:
    """The audit trail of a files state directory, one dict per entry; empty before the first."""
    path = audit.log_path(state_dir)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rewrite_revision(state_dir: Path, account: str, number: int, old: str, new: str) -> None:
    """Replace `old` everywhere in a revision file, and make the record agree with itself and its audit entries
    again (its spec digest recomputed, the trail chained anew): a revision as an older oaspec with weaker checks
    could have written it, for the gates a rollback runs once the record passed its own check (attack review 68)."""
    path = state_dir / "history" / account / f"{number:06d}.json"
    text = path.read_text(encoding="utf-8")
    assert old in text
    record = json.loads(text.replace(old, new))
    written, record["spec_digest"] = record["spec_digest"], desired_digest(AccountState.from_json(record["desired"]))
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    lines, prev = [], audit.GENESIS
    live = record.get("live_after")
    for entry in audit_entries(state_dir):
        if (entry.get("account"), entry.get("revision"), entry.get("spec_digest")) == (account, number, written):
            entry["spec_digest"] = record["spec_digest"]
        if (entry.get("account"), entry.get("revision")) == (account, number) and "live_digest" in entry and live:
            entry["live_digest"] = digest(AccountState.from_json(live).to_json())  # as an outcome records it
        if (entry.get("account"), entry.get("revision")) == (account, number) and "record_digest" in entry:
            entry["record_digest"] = digest(record)  # the whole record, as an outcome records it (review 78)
        entry["prev"] = prev
        entry["hash"] = prev = audit.entry_hash(entry)
        lines.append(audit.canonical(entry) + "\n")
    audit.log_path(state_dir).write_text("".join(lines), encoding="utf-8")


# The served example (specs/examples/gateway): the local provider, and `oaspec serve` answering its replies.
SERVED_ENV = {"OASPEC_DEMO_TOKEN": "demo-token", "OASPEC_DEMO_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
OPENING_HOURS = ("9:00-17:00", "9:00-17:30")  # in a keyword reply and a scene welcome of the served example


def served_example(directory: Path) -> Path:
    """A private copy of the served example's spec in `directory`."""
    target = directory / "oaspec.yaml"
    target.write_text((EXAMPLES / "gateway" / "oaspec.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return target


def edit_served_example(spec: Path) -> None:
    """Three changes: a menu button renamed (the platform's), and the opening hours in a keyword reply and in a
    scene welcome (both served by `oaspec serve`)."""
    edit(spec, "{name: 在线客服, type: click", "{name: 在线服务, type: click")
    spec.write_text(spec.read_text(encoding="utf-8").replace(*OPENING_HOURS), encoding="utf-8")


def assert_served_edit_reported_unlanded(stderr: str) -> None:
    """What a run that could not record its outcome says of edit_served_example's changes: the menu landed, the
    two served by `oaspec serve` did not (they take effect only with a recorded revision)."""
    assert "1 of 3 changes landed on the account (citybank/menu), but their outcome could not be recorded" in stderr
    assert ("the 2 served by `oaspec serve` (citybank/replies/keywords/营业时间, "
            "citybank/replies/scenes/branch-xinhua) did not land: they take effect only with a recorded revision"
            ) in stderr
    assert "applied 1 of 3 changes; the next plan shows the rest:" in stderr
