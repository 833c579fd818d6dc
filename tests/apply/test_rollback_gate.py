"""Rollback passes the same gate as apply (issue 9, item 2): the revision's state is checked against today's
policies, waivers as the spec governs them, and what readers of its articles would see."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.accounts import edit, rewrite_revision
from testing.cli import Cli
from tests.apply.test_review_gate import BANNED, EVIL, audit_entries, local_files
from tests.content.bank import small_bank

GATED_SPEC = """\
version: 1
bank: 测试银行
policies:
  packs: [{packs}]
  settings:
    allowed_domains: [m.bank.example.cn]
{waivers}
accounts:
  - id: bank
    name: 测试银行
    menu:
      - {{name: 网点, type: view, url: "https://m.bank.example.cn/branches"}}
      - {{name: 客服, type: click, key: SERVICE}}
    replies:
      subscribe: {{text: "欢迎关注测试银行。投诉请拨打客服热线95500。"}}
      default: {{text: "{default}"}}
"""
WAIVER = """\
  waivers:
    - {rule: wealth.no-guaranteed-return, target: bank/replies/default, reason: 法务已审, approved_by: 合规部 王五,
       expires: 2027-06-30}
"""


def gated_spec(tmp_path: Path, default: str, packs: str = "cn-bank", waivers: str = "") -> Path:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(GATED_SPEC.format(packs=packs, default=default, waivers=waivers), encoding="utf-8")
    return spec


def deployed_before_the_pack(cli: Cli, tmp_path: Path) -> Path:
    """Revision 1 deploys the banned text while no pack is on; revision 2 (pack on) fixes it."""
    spec = gated_spec(tmp_path, BANNED, packs="")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    spec = gated_spec(tmp_path, "理财产品介绍请见网点。")
    applied = cli("apply", "-f", str(spec), "--auto-approve")
    assert applied.returncode == 0, applied.stderr
    return spec


def test_rollback_to_a_revision_todays_policies_forbid_is_refused(cli: Cli, tmp_path: Path) -> None:
    spec = deployed_before_the_pack(cli, tmp_path)
    before = local_files(tmp_path)
    refused = cli("rollback", "1", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1
    assert "wealth.no-guaranteed-return at bank/replies/default (revision 1: " in refused.stderr
    assert "稳赚不赔" in refused.stderr
    assert local_files(tmp_path) == before
    [entry] = [e for e in audit_entries(tmp_path) if e["result"] == "refused"]
    assert entry["operation"] == "rollback" and entry["refusal"] == "policy"


def test_a_waiver_lets_the_rollback_through_and_its_use_is_recorded(cli: Cli, tmp_path: Path) -> None:
    deployed_before_the_pack(cli, tmp_path)
    spec = gated_spec(tmp_path, "理财产品介绍请见网点。", waivers=WAIVER)
    rolled = cli("rollback", "1", "-f", str(spec), "--auto-approve")
    assert rolled.returncode == 0, rolled.stderr
    [used] = [e for e in audit_entries(tmp_path) if e["result"] == "waiver-used"]
    assert used["operation"] == "rollback" and used["rule"] == "wealth.no-guaranteed-return"
    assert used["approved_by"] == "合规部 王五" and used["address"] == "bank/replies/default"


def test_a_waiver_longer_than_waiver_max_days_does_not_let_the_rollback_through(cli: Cli, tmp_path: Path) -> None:
    """The day limit on a regulated rule's waiver holds on the rollback path as it does for validate."""
    deployed_before_the_pack(cli, tmp_path)
    spec = gated_spec(tmp_path, "理财产品介绍请见网点。", waivers="  waiver_max_days: 30\n" + WAIVER)
    before = local_files(tmp_path)
    refused = cli("rollback", "1", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "wealth.no-guaranteed-return at bank/replies/default (revision 1: " in refused.stderr
    assert "policy.waiver-invalid" in refused.stderr and "at most 30 days" in refused.stderr
    assert local_files(tmp_path) == before
    assert not [e for e in audit_entries(tmp_path) if e["result"] == "waiver-used"]


@pytest.mark.parametrize("where", ["bank", "account"])
def test_a_regulated_rules_severity_lowered_does_not_let_the_rollback_through(cli: Cli, tmp_path: Path,
                                                                              where: str) -> None:
    """Attack review 76 F5: validate refuses both lines, and the bank's refused the rollback, but the account's own
    `policies: {severity: {wealth.no-guaranteed-return: off}}` switched the rule off for the revision's texts."""
    deployed_before_the_pack(cli, tmp_path)
    spec = gated_spec(tmp_path, "理财产品介绍请见网点。")
    lowered = '{wealth.no-guaranteed-return: "off"}'
    if where == "bank":
        edit(spec, "  settings:\n", f"  severity: {lowered}\n  settings:\n")
    else:
        edit(spec, "    name: 测试银行\n", f"    name: 测试银行\n    policies: {{severity: {lowered}}}\n")
    before = local_files(tmp_path)
    refused = cli("rollback", "1", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "policy.config" in refused.stderr and "its severity cannot be lowered" in refused.stderr, refused.stderr
    assert local_files(tmp_path) == before


@pytest.mark.parametrize(("url", "needle"), [
    (EVIL, "link.allowed-domains at bank/menu (revision 1: "),
    ("javascript:alert(1)", "revision 1 cannot be deployed as it is"),
])
def test_a_hand_edited_history_url_is_not_deployed(cli: Cli, tmp_path: Path, url: str, needle: str) -> None:
    spec = gated_spec(tmp_path, "理财产品介绍请见网点。")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    spec = gated_spec(tmp_path, "理财产品介绍请见各网点。")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    rewrite_revision(tmp_path / ".oaspec", "bank", 1, "https://m.bank.example.cn/branches", url)
    before = local_files(tmp_path)
    refused = cli("rollback", "1", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1 and needle in refused.stderr, refused.stderr
    assert local_files(tmp_path) == before


def test_a_revision_whose_article_hides_text_is_not_rolled_back_to(cli: Cli, tmp_path: Path) -> None:
    """Attack review 7: validate refuses a hiding style in a source, but a revision made before that check (or
    edited) put a wealth article's only risk warning back inside display:none."""
    spec = small_bank(tmp_path)
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    hidden = '"content": "<p style=\\"display:none\\">理财非存款、产品有风险、投资须谨慎。</p>'
    rewrite_revision(tmp_path / ".oaspec", "bank", 1, '"content": "', hidden)
    edit(spec.parent / "content" / "wealth" / "december-outlook.md", "。", "！")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    before = local_files(tmp_path)
    refused = cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "in revision 1, a style hides text from readers in" in refused.stderr and "display" in refused.stderr
    assert local_files(tmp_path) == before


STATEMENT = "理财非存款、产品有风险、投资须谨慎。"
ALLOWED_STYLES_HIDING = {  # attack review 42: allow-listed styles only, each within its bounds
    "F1-off-the-right": f'<section style=\\"margin-left:300px\\"><p style=\\"margin-left:300px\\">{STATEMENT}</p>'
                        "</section>",
    "F2-kept-spaces": '<p style=\\"white-space:pre\\">' + " " * 120 + f"{STATEMENT}</p>",
    "F3-inline-padding": f"<p>{STATEMENT}</p><p><span style=\\\"padding-top:100px;padding-right:300px;"
                         'background-color:#ffffff\\">。</span></p>',
    "F4-stacked-lines": f'<p style=\\"width:48px;line-height:0.07\\">{STATEMENT}</p>',
}


@pytest.mark.parametrize("variant", sorted(ALLOWED_STYLES_HIDING))
def test_a_revision_whose_allowed_styles_hide_the_statement_is_not_rolled_back_to(cli: Cli, tmp_path: Path,
                                                                                 variant: str) -> None:
    """The rollback check reads a revision's articles as validate and scan read them (attack review 42)."""
    spec = small_bank(tmp_path)
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    rewrite_revision(tmp_path / ".oaspec", "bank", 1, '"content": "',
                     f'"content": "{ALLOWED_STYLES_HIDING[variant]}')
    edit(spec.parent / "content" / "wealth" / "december-outlook.md", "。", "！")
    assert cli("apply", "-f", str(spec), "--auto-approve").returncode == 0
    before = local_files(tmp_path)
    refused = cli("rollback", "1", "--account", "bank", "-f", str(spec), "--auto-approve")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "in revision 1, a style hides text from readers in" in refused.stderr, refused.stderr
    assert local_files(tmp_path) == before
