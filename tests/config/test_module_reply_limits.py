"""A `{module: X}` reply is deployed as the text "TITLE：URL" (attack review 47, F7): validate measures that text
against the platform's reply limit, at the module, naming the replies that send it, so that apply never records a
revision that rollback then calls damaged."""

from __future__ import annotations

import re
from pathlib import Path

from oa_spec import limits
from testing.cli import Cli

TITLE = "理财" * 350  # 700 characters, 2,100 bytes: with the link, over the 2,048 a reply may have
SPEC = f"""\
version: 1
bank: 示例城市商业银行
accounts:
  - id: bank
    name: 示例银行
    type: service
    menu:
      - {{name: 一, type: click, key: K1}}
    replies:
      subscribe: {{module: m1}}
      keywords:
        - {{name: 贷款, match: exact, keywords: [贷款], reply: {{module: m1}}}}
        - {{name: 利率, match: exact, keywords: [利率], replies: [{{text: 见官网}}, {{module: m1}}]}}
    modules:
      - {{id: m1, kind: custom, title: "{TITLE}", entry: {{url: "https://a.example.cn/x"}}}}
"""


def test_a_module_reply_over_the_reply_limit_is_an_error_at_the_module_and_apply_writes_nothing(
        cli: Cli, tmp_path: Path) -> None:
    """It validated and applied (revision 1); a later rollback to revision 1 was refused as a damaged history."""
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    size = limits.utf8_len(f"{TITLE}：https://a.example.cn/x")
    checked = cli("validate", "-f", str(spec))
    assert checked.returncode == 1, checked.output
    errors = re.findall(r"^\S+:(\d+):\d+: error: (.*)$", checked.stderr, re.MULTILINE)
    assert len(errors) == 1, checked.stderr  # once, at the module, for the three replies that send it
    line, message = errors[0]
    assert int(line) == SPEC.splitlines().index(next(x for x in SPEC.splitlines() if "id: m1" in x)) + 1
    assert message.startswith(f"accounts[0].modules[0].title: module m1's reply text (its title and entry url) is "
                              f"{size} bytes; the limit is {limits.REPLY_TEXT_BYTES} (replies with module: m1 send "
                              "it: accounts[0].replies.subscribe, accounts[0].replies.keywords[0].reply (贷款), "
                              "accounts[0].replies.keywords[1].replies[1] (利率))"), message
    assert "hint: shorten the module's title or its entry url, or reply with text: instead" in checked.stderr
    applied = cli("apply", "-f", str(spec), "--auto-approve")
    assert applied.returncode == 1 and "module m1's reply text" in applied.stderr
    assert not (tmp_path / ".oaspec" / "local" / "bank.json").exists()  # nothing written, no revision to roll to


def test_a_module_reply_at_the_reply_limit_is_valid(cli: Cli, tmp_path: Path) -> None:
    link = "https://a.example.cn/x"
    title = "理" * ((limits.REPLY_TEXT_BYTES - limits.utf8_len(f"：{link}")) // 3)
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC.replace(TITLE, title), encoding="utf-8")
    assert limits.utf8_len(f"{title}：{link}") <= limits.REPLY_TEXT_BYTES
    checked = cli("validate", "-f", str(spec))
    assert checked.returncode == 0, checked.output


def test_a_module_reply_text_is_measured_whether_or_not_the_module_is_deployed_now(cli: Cli, tmp_path: Path) -> None:
    """A module above rollout.max_phase is validated now, before the phase that deploys its replies ships."""
    spec = tmp_path / "oaspec.yaml"
    gated = SPEC.replace("kind: custom,", "kind: custom, phase: 2,").replace(
        "    type: service\n", "    type: service\n    rollout: {max_phase: 1}\n")
    spec.write_text(gated, encoding="utf-8")
    checked = cli("validate", "-f", str(spec))
    assert checked.returncode == 1 and "module m1's reply text" in checked.stderr, checked.output
