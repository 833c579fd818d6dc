"""A rollback takes what oaspec manages from history only (attack review 49, F3): today's `adopt:` list neither
widens it (deleting a CRM tag that was left alone at the target revision) nor lets it take a live object over."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from oa_spec.kinds.state import Tag
from oa_spec.providers.local import LocalProvider
from testing.accounts import BANK_HEAD, edit, seed_bank
from testing.cli import Cli

SPEC = BANK_HEAD + """\
    tags:
      - name: 高净值客户
    menu:
      - {name: 理财, type: view, url: "https://m.citybank.example.cn/wealth"}
"""
CRM = Tag("CRM理财达人", id=150, count=0)
ADOPTED = "      - name: CRM理财达人\n    adopt: {tags: [CRM理财达人]}\n"


def crm_tag_made(tmp_path: Path) -> None:
    """The CRM adds a tag (no followers yet) beside oaspec's."""
    live = LocalProvider("bank", tmp_path / ".oaspec").read()
    seed_bank(tmp_path, replace(live, tags=(*live.tags, CRM)))


def live_tags(tmp_path: Path) -> set[str]:
    return {t.name for t in LocalProvider("bank", tmp_path / ".oaspec").read().tags}


def test_a_rollback_leaves_alone_a_tag_adopted_since_by_the_spec_alone(cli: Cli, tmp_path: Path) -> None:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0  # revision 1
    crm_tag_made(tmp_path)
    edit(spec, "      - name: 高净值客户\n", "      - name: 高净值客户\n" + ADOPTED)
    adopted = cli("apply", "-f", str(spec), "--auto-approve")
    assert adopted.returncode == 0 and "Nothing to apply" in adopted.stdout, adopted.stdout + adopted.stderr
    rolled = cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve")
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert "- tag" not in rolled.stdout and "unmanaged, left alone: bank/tags/CRM理财达人" in rolled.stdout
    assert CRM.name in live_tags(tmp_path)


def test_a_rollback_does_not_take_over_a_tag_because_the_spec_adopts_it(cli: Cli, tmp_path: Path) -> None:
    """Revision 1 declares a tag the CRM makes later (oaspec deleted it in revision 2): the spec's adopt: does not
    let a rollback to 1 take the CRM's for oaspec's; the refusal says what to do instead."""
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC.replace("      - name: 高净值客户\n", "      - name: 高净值客户\n      - name: CRM理财达人\n"),
                    encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0  # revision 1: oaspec makes the tag
    spec.write_text(SPEC, encoding="utf-8")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0  # revision 2: and deletes it
    crm_tag_made(tmp_path)
    edit(spec, "      - name: 高净值客户\n", "      - name: 高净值客户\n" + ADOPTED)
    refused = cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "bank/tags/CRM理财达人" in refused.stderr
    assert "a rollback takes what oaspec manages from history only" in refused.stderr
    assert CRM.name in live_tags(tmp_path)
