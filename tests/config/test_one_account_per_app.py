"""One app, one account (attack review 72 F3): two accounts of a spec naming one app_id each took the other's drafts
for its own (an identical draft oaspec does not know is taken as it is) and `publish --due` sent every article
twice, once per account, each with its own clientmsgid, quota count and lock. validate refuses the second, at its
app_id, naming the first; so plan, apply and publish refuse it before anything is read or written."""

from __future__ import annotations

import datetime
from pathlib import Path

from oa_spec.emulator import EmulatorServer
from testing.cli import run_cli
from tests.content.bank import APPID, SECRET, SECRET_VAR, publishing_account, small_bank

DUE = "2026-12-20T09:00:00+08:00"
APPLIED = "2026-12-03T10:00:00+08:00"
ENV = {SECRET_VAR: SECRET, "OASPEC_PUBLISH_WAIT_SECONDS": "1", "OASPEC_PUBLISH_SETTLE_SECONDS": "0"}


def twice(spec: Path) -> Path:
    """The spec with a copy of its account `bank` as `bank2`, on the same app (its tags adopted, as the takeover
    refusal says to)."""
    text = spec.read_text(encoding="utf-8")
    account = text[text.index("  - id: bank"):]
    copy = account.replace("id: bank", "id: bank2", 1).replace(
        "    tags: [", "    adopt: {tags: [高净值客户, 年轻客群, 银发客户]}\n    tags: [", 1)
    spec.write_text(text + copy, encoding="utf-8")
    return spec


def test_a_second_account_on_one_app_is_refused_and_nothing_goes_out_twice(
        tmp_path: Path, server: EmulatorServer) -> None:
    admin = publishing_account(server, APPLIED)
    spec = small_bank(tmp_path, api_base=server.base_url)
    first = run_cli("apply", "-f", str(spec), "--auto-approve", cwd=tmp_path, env={**ENV, "OASPEC_NOW": APPLIED})
    assert first.returncode == 0, first.stderr
    twice(spec)

    validated = run_cli("validate", "-f", str(spec), cwd=tmp_path, env=ENV)
    assert validated.returncode == 1
    assert (f"oaspec.yaml:22:38: error: accounts[1].provider.app_id: account 'bank2' names the app {APPID}, which "
            "account 'bank' (accounts[0]) names already") in validated.stderr, validated.stderr
    second = run_cli("apply", "-f", str(spec), "--account", "bank2", "--auto-approve", cwd=tmp_path,
                     env={**ENV, "OASPEC_NOW": APPLIED})
    assert second.returncode == 1 and "names the app" in second.stderr, second.stdout + second.stderr
    admin.set_clock(datetime.datetime.fromisoformat(DUE).timestamp())
    published = run_cli("publish", "-f", str(spec), "--due", cwd=tmp_path, env={**ENV, "OASPEC_NOW": DUE})
    assert published.returncode == 1 and "names the app" in published.stderr
    assert admin.publishing(APPID)["sends"] == [] and admin.publishing(APPID)["publications"] == {}


def test_accounts_on_apps_of_their_own_pass(tmp_path: Path) -> None:
    spec = small_bank(tmp_path, api_base="http://127.0.0.1:9")
    text = spec.read_text(encoding="utf-8")
    account = text[text.index("  - id: bank"):]
    spec.write_text(text + account.replace("id: bank", "id: bank2", 1).replace(APPID, APPID[:-2] + "c2"),
                    encoding="utf-8")
    result = run_cli("validate", "-f", str(spec), cwd=tmp_path,
                     env={**ENV, "OASPEC_ALLOWED_API_BASES": "http://127.0.0.1:9"})
    assert result.returncode == 0, result.stderr
