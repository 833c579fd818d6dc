"""Where `oaspec validate` places a policy finding on a reply's text (attack review 69 F6): at the text's place of
use, so an editor or a pull request's annotation lands on the rule the finding is about. An alias (*name) or a
merge key (<<) is placed where it is used, not at its anchor (&name); a finding in a block text (text: |, >) on
the line and column of the phrase it quotes. Each case is read from validate's own `file:line:col` lines."""

from __future__ import annotations

import re
import time
from pathlib import Path

from testing.cli import Cli

HEAD = """\
version: 1
bank: 示例城市银行
policies:
  packs: [cn-bank]
  settings: {allowed_domains: [m.citybank.example.cn]}
accounts:
  - id: citybank
    name: 示例城市银行
    type: service
    provider: {type: local}
    menu:
      - {name: 投诉热线, type: view, url: "https://m.citybank.example.cn/complaint"}
    replies:
      subscribe: {text: 欢迎关注，客服热线95000}
      keywords:
"""
ASK = "请把短信验证码发给客服"  # pii.no-credential-solicitation quotes “把短信验证码发给”
CREDENTIAL = "pii.no-credential-solicitation"


def places(cli: Cli, tmp_path: Path, rules: str, rule: str = CREDENTIAL) -> list[tuple[int, int, str]]:
    """(line, col, path) of each finding of `rule` that validate prints for HEAD + `rules`."""
    (tmp_path / "oaspec.yaml").write_text(HEAD + rules, encoding="utf-8")
    result = cli("validate", "-f", "oaspec.yaml")
    assert result.returncode == 1, result.output
    found = re.findall(rf"^oaspec\.yaml:(\d+):(\d+): error \[{re.escape(rule)}\]: (\S+):", result.stderr, re.M)
    return [(int(line), int(col), path) for line, col, path in found]


def place_of(rules: str, token: str, occurrence: int = 1) -> tuple[int, int]:
    """The 1-based line and column of the `occurrence`-th `token` in HEAD + `rules`, as an editor shows it."""
    text = HEAD + rules
    index = -1
    for _ in range(occurrence):
        index = text.index(token, index + 1)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def rule(name: str, reply: str) -> str:
    return f"        - name: {name}\n          keywords: [{name}]\n          reply: {reply}\n"


def anchored(anchor: str) -> str:
    """A rule whose keyword holds the anchored text: no text rule reads a keyword, so the anchor has no finding."""
    return f"        - {{name: k0, keywords: [k0, &{anchor} {ASK}], reply: {{text: 您好}}}}\n"


def test_an_aliased_text_is_placed_at_its_alias_not_at_its_anchor(cli: Cli, tmp_path: Path) -> None:
    rules = anchored("bad") + rule("k1", "{text: *bad}")
    assert places(cli, tmp_path, rules) == [(*place_of(rules, "*bad"), "accounts[0].replies.keywords[1].reply.text")]


def test_a_merged_text_is_placed_at_the_merge_key_that_uses_it(cli: Cli, tmp_path: Path) -> None:
    rules = rule("k2", f"&r2 {{text: {ASK}}}") + rule("k3", "\n            <<: *r2")
    assert places(cli, tmp_path, rules) == [
        (*place_of(rules, ASK), "accounts[0].replies.keywords[0].reply.text"),  # the anchor's own use stays
        (*place_of(rules, "*r2"), "accounts[0].replies.keywords[1].reply.text")]


def test_a_text_aliased_twice_gives_two_findings_at_two_places(cli: Cli, tmp_path: Path) -> None:
    rules = ("        - {name: k0, keywords: [k0], reply: {text: &ask " + ASK + "}}\n"
             + rule("k1", "{text: *ask}") + rule("k2", "{text: *ask}"))
    assert places(cli, tmp_path, rules) == [
        (*place_of(rules, "&ask"), "accounts[0].replies.keywords[0].reply.text"),  # a scalar starts at its anchor
        (*place_of(rules, "*ask", 1), "accounts[0].replies.keywords[1].reply.text"),
        (*place_of(rules, "*ask", 2), "accounts[0].replies.keywords[2].reply.text")]


def test_a_whole_reply_aliased_is_placed_at_the_alias(cli: Cli, tmp_path: Path) -> None:
    """Everything reached through an alias is at the outermost alias, even a text that is itself an alias inside
    the anchored mapping: the reply of k1 is written nowhere else."""
    rules = anchored("t") + rule("k1", "&r {text: *t}") + rule("k2", "*r")
    assert places(cli, tmp_path, rules) == [
        (*place_of(rules, "*t"), "accounts[0].replies.keywords[1].reply.text"),
        (*place_of(rules, "*r"), "accounts[0].replies.keywords[2].reply.text")]


BLOCK = """\
        - name: k0
          keywords: [k0]
          reply:
            text: {header}
              您好，感谢关注。
              本行网点营业时间为工作日。
              如需办理业务请携带身份证。
              请把手机收到的验证码回复给我们完成认证。
"""


def test_a_literal_block_finding_is_on_the_line_of_the_phrase(cli: Cli, tmp_path: Path) -> None:
    """The phrase is on the fourth line of the block, three below its first: at that line and its column."""
    for header in ("|", "|-", "|+", "&a |", "!!str |"):
        rules = BLOCK.format(header=header)
        first, _ = place_of(rules, "您好")
        assert places(cli, tmp_path, rules) == [
            (first + 3, place_of(rules, "收到的验证码")[1], "accounts[0].replies.keywords[0].reply.text")], header


def test_a_block_with_an_indentation_indicator_is_placed_exactly(cli: Cli, tmp_path: Path) -> None:
    """|2: the first line is more indented than the block, and the value keeps its two extra spaces."""
    rules = ("        - name: k0\n          keywords: [k0]\n          reply:\n            text: |2\n"
             "                  提示：\n              请把短信验证码发给客服。\n\n              谢谢\n")
    assert places(cli, tmp_path, rules) == [
        (*place_of(rules, "把短信验证码"), "accounts[0].replies.keywords[0].reply.text")]


def test_a_folded_block_is_placed_exactly_and_a_quoted_text_at_its_start(cli: Cli, tmp_path: Path) -> None:
    """> folds its lines into one with spaces; each line is still found whole in the text, so the place is exact.
    A quoted scalar over several lines is not: its escapes and folding are not undone to place a character, so
    it keeps its start, as a one-line text does (yaml_text.block_place)."""
    folded = BLOCK.format(header=">")
    quoted = ('        - name: k1\n          keywords: [k1]\n          reply:\n            text: "您好，\\\n'
              '              感谢关注。\n              请把短信验证码发给客服。"\n')
    rules = folded + quoted
    assert places(cli, tmp_path, rules) == [
        (*place_of(rules, "收到的验证码"), "accounts[0].replies.keywords[0].reply.text"),
        (*place_of(rules, '"您好'), "accounts[0].replies.keywords[1].reply.text")]


def test_a_graph_of_aliases_is_placed_at_its_outermost_uses_and_a_bomb_is_still_refused(cli: Cli,
                                                                                        tmp_path: Path) -> None:
    """Aliases of lists of replies that alias a text: each finding at the alias a reader follows first (*l for
    the whole list). The same graph grown into a billion laughs is refused by the alias budget, fast, at the
    place and with the message it had before placing aliases (load.MAX_ALIAS_NODES)."""
    rules = (anchored("t") + "        - name: k1\n          keywords: [k1]\n"
             "          replies: &l [{text: *t}, {text: *t}]\n"
             "        - name: k2\n          keywords: [k2]\n          replies: *l\n")
    path = "accounts[0].replies.keywords[{}].replies[{}].text"
    assert places(cli, tmp_path, rules) == [
        (*place_of(rules, "*t", 1), path.format(1, 0)), (*place_of(rules, "*t", 2), path.format(1, 1)),
        (*place_of(rules, "*l"), path.format(2, 0)), (*place_of(rules, "*l"), path.format(2, 1))]
    laughs = "".join(f"x{n}: &x{n} [{', '.join([f'*x{n - 1}' if n else '*l'] * 10)}]\n" for n in range(8))
    (tmp_path / "oaspec.yaml").write_text(HEAD + rules + laughs, encoding="utf-8")
    started = time.process_time()  # in-process: CPU time, which other jobs on the machine do not add to
    result = cli("validate", "-f", "oaspec.yaml")
    assert time.process_time() - started < 10, "the alias budget must still stop the expansion early"
    line = (HEAD + rules).count("\n") + 4  # x3 is the first list whose expansion passes 50,000 nodes: at its [
    assert re.findall(r"^oaspec\.yaml:(\d+):(\d+): error: (.*)$", result.stderr, re.M) == [
        (str(line), "5", "YAML aliases expand to more than 50000 nodes (an alias bomb?)")], result.stderr
