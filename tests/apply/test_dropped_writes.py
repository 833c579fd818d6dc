"""Changes the platform answered OK and then did not keep (attack review 68, F5): verification after the writes finds
them, and the revision, `history`, `show` and the audit entry record them as dropped by the platform, never as
landed: the record lists exactly the changes that landed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oa_spec.kinds.change import Change
from oa_spec.providers.local import LocalProvider
from testing.accounts import BANK_HEAD, audit_entries
from testing.cli import Cli

DROPPED = "bank/replies/keywords/网点"
ACCOUNT = """\
    tags:
      - name: 高净值客户
    replies:
      keywords:
        - {name: 网点, match: contains, keywords: [网点], reply: {text: 营业时间为工作日九点至五点}}
"""


@pytest.fixture
def forgetful(monkeypatch: pytest.MonkeyPatch) -> None:
    """The platform answers every write OK but silently drops keyword replies."""
    real = LocalProvider.apply

    def apply(self: LocalProvider, change: Change) -> None:
        if change.kind != "keyword_reply":
            real(self, change)

    monkeypatch.setattr(LocalProvider, "apply", apply)


def test_a_change_the_platform_dropped_is_recorded_as_dropped_not_applied(cli: Cli, tmp_path: Path,
                                                                           forgetful: None) -> None:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(BANK_HEAD + ACCOUNT, encoding="utf-8")
    result = cli("apply", "-f", str(spec), "--auto-approve")
    assert result.returncode == 1 and "verification failed" in result.stderr, result.stderr
    assert "bank: applied 1 of 2 changes (revision 1)" in result.stderr, result.stderr
    assert f"dropped by the platform: {DROPPED}" in result.stderr

    [row] = json.loads(cli("history", "--format", "json").stdout)
    assert row["status"] == "failed" and row["changes"] == "1/2" and row["dropped"] == DROPPED
    shown = cli("show", "1", "--account", "bank", "-f", str(spec)).stdout
    assert f"{DROPPED}  [dropped by the platform]" in shown, shown
    assert "bank/tags/高净值客户  [applied]" in shown
    assert f"dropped:     {DROPPED}" in shown.splitlines()
    record = json.loads(cli("show", "1", "--account", "bank", "-f", str(spec), "--format", "json").stdout)
    assert record["applied"] == ["bank/tags/高净值客户"] and record["dropped"] == [DROPPED]

    entry = audit_entries(tmp_path / ".oaspec")[-1]
    assert entry["result"] == "failed" and entry["revision"] == 1
    assert entry["changes"]["applied"] == 1 and entry["changes"]["planned"] == 2
    assert entry["changes"]["addresses"] == ["bank/tags/高净值客户"] and entry["changes"]["dropped"] == [DROPPED]
