"""Keyword rules with the platform's semantics on a served account: exact, contains and regular
expressions; several replies, sent all or one at random. Validated, planned, applied, served."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from oa_spec.apply.run import apply_plan
from oa_spec.gateway.app import GatewayApp
from oa_spec.gateway.applied import account_gateway, served_state
from oa_spec.gateway.config import AccountGateway
from oa_spec.gateway.config import Reply as GatewayReply
from oa_spec.gateway.router import Router
from oa_spec.gateway.simulator import PlatformSimulator, text_message
from oa_spec.history.files import FilesState
from oa_spec.plan.workspace import Workspace
from oa_spec.render.terminal import render_text
from oa_spec.util.regex import PatternError
from tests.gateway.e2e import ENV, oaspec
from tests.gateway.helpers import OFFICIAL_APPID, OFFICIAL_KEY, OFFICIAL_TOKEN, account
from tests.gateway.servers import running
from tests.gateway.test_router import text, texts
from tests.gateway.test_spec_gateway import GATEWAY, cn_bank_findings, errors, spec
from tests.gateway.test_spec_gateway import secrets as secrets  # autouse: the gateway's variables

RULES = """\
replies:
  keywords:
    - name: 利率
      match: regex
      keywords: ['(存款|贷款)利率']
      replies: [{text: 存款利率请见官网利率表。}, {text: 贷款利率请咨询网点客户经理。}]
    - name: 信用卡
      keywords: [信用卡]
      replies: [{text: 信用卡申请请点菜单“信用卡”。}, {text: 信用卡问题请致电95000。}]
      reply_mode: random_one
"""
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


class Sent:
    """The customer-service messages the gateway sends after its passive reply."""

    def __init__(self) -> None:
        self.texts: list[str | None] = []

    def __call__(self, account: AccountGateway, openid: str, reply: GatewayReply) -> None:
        self.texts.append(reply.text)

    def wait(self, count: int) -> list[str | None]:
        deadline = time.monotonic() + 3
        while len(self.texts) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.texts


def test_regex_and_several_replies_are_planned_applied_and_served(tmp_path: Path) -> None:
    state_dir = tmp_path / ".oaspec"
    ws = Workspace.open(spec(tmp_path, GATEWAY, RULES), state_dir)
    plan = ws.plan()
    shown = render_text(plan)
    for line in ("+ match: regex", "+ keywords: (存款|贷款)利率", "+ reply mode: reply_all",
                 "+ reply 2: 贷款利率请咨询网点客户经理。", "+ reply mode: random_one"):
        assert line in shown, shown
    (result,) = apply_plan(ws, plan)
    assert result.ok
    assert not ws.plan().accounts[0].changes  # the served state reads back as applied
    found = served_state(FilesState(state_dir).history("citybank"))
    assert found is not None
    sent = Sent()
    app = GatewayApp([account_gateway(ws.account("citybank").spec, found[1])], environ=dict(ENV),
                     send_customer_message=sent)
    ws.close()
    with running(app) as url:
        sim = PlatformSimulator(f"{url}/wx/citybank", OFFICIAL_TOKEN, app_id=OFFICIAL_APPID, aes_key=OFFICIAL_KEY)
        rate = sim.push(text_message("请问三年期贷款利率是多少", openid=OPENID)).reply
        assert rate is not None and rate["Content"] == "存款利率请见官网利率表。"
        assert sent.wait(1) == ["贷款利率请咨询网点客户经理。"]  # reply_all: the rest, in order
        card = sim.push(text_message("信用卡怎么办", openid=OPENID)).reply
        assert card is not None and card["Content"] in {"信用卡申请请点菜单“信用卡”。", "信用卡问题请致电95000。"}
        assert sim.push(text_message("利率", openid=OPENID)).reply is None  # no pattern matched, no default
    assert sent.texts == ["贷款利率请咨询网点客户经理。"]  # random_one sends one reply only


def test_random_one_draws_each_reply() -> None:
    import random

    router = Router(account("plain", keyword_rules=[
        {"name": "card", "keywords": [{"match": "regex", "keyword": "信用卡|储蓄卡"}],
         "replies": ["A", "B", "C"], "reply_mode": "random_one"}]), rng=random.Random(7))
    drawn = {reply for _ in range(60) for reply in texts(router, text("储蓄卡"))}
    assert drawn == {"A", "B", "C"}


@pytest.mark.parametrize(("rule", "path", "words"), [
    ("{name: r, match: regex, keywords: ['(a)\\1'], reply: {text: x}}", "keywords[0].keywords[0]",
     "backreferences"),
    ("{name: r, match: regex, keywords: ['利率|'], reply: {text: x}}", "keywords[0].keywords[0]",
     "matches every message"),
    *((f"{{name: r, match: regex, keywords: ['{catch_all}'], reply: {{text: x}}}}", "keywords[0].keywords[0]",
       "so the FAQ and the default reply would never be reached")  # attack review 7
      for catch_all in (".", "[\\s\\S]", "(?s).", ".|\\n", "\\C", "\\p{Han}|\\w|\\W", "[^\\x{10FFFF}]",
                        "..", "[\\s\\S][\\s\\S]", "[^!]", "[^7]")),  # attack review 8: two characters, all but one
    ("{name: r, match: regex, keywords: ['" + "利" * 86 + "'], reply: {text: x}}", "keywords[0].keywords[0]",
     "258 bytes; the limit is 256"),
    ("{name: r, match: regex, keywords: ['[一-龥]{1,1000}x'], reply: {text: x}}", "keywords[0].keywords[0]",
     "compiles to 10004 RE2 instructions; the limit is 500"),
    ("{name: r, keywords: [利率], reply: {text: x}, replies: [{text: y}]}", "keywords[0]",
     "exactly one of reply: or replies:"),
    ("{name: r, keywords: [利率], replies: [" + ", ".join(["{text: y}"] * 6) + "]}", "keywords[0].replies",
     "6 replies; a rule has at most 5"),
    ("{name: r, keywords: [利率], replies: [], reply_mode: random_one}", "keywords[0].replies",
     "at least 1 item"),
    ("{name: r, keywords: [利率], replies: [{text: y}], reply_mode: sometimes}", "keywords[0].reply_mode",
     "reply_all"),
])
def test_keyword_rule_mistakes_name_the_place_and_what_to_do(tmp_path: Path, rule: str, path: str,
                                                             words: str) -> None:
    found = errors(spec(tmp_path, GATEWAY, f"replies:\n  keywords:\n    - {rule}\n"))
    assert len(found) == 1, found
    assert found[0].path == f"accounts[0].replies.{path}" and words in found[0].message + found[0].hint, found[0]


# Attack review 27, F3: each took every Chinese message (转人工, 银行卡丢了怎么挂失, 我的卡号是6222…) ahead of the
# transfer words and the FAQ, yet missed one probe of each fixed set ('转' and '12'); the last ones take the
# transfer words alone.
@pytest.mark.parametrize(("pattern", "words"), [
    *((catch_all, "typical customer messages") for catch_all in (
        "\\p{Han}", "[^12转]", "[一-龥]", "\\p{Han}{2}", "[^a-z0-9]", "[\\p{Han}？]", "\\p{Han}|\\d{16}",
        # attack review 28: under half the sample, yet 1,411 of 1,569 blind FAQ questions
        "\\p{Han}{6}", "\\p{Han}{5,}")),
])
def test_a_pattern_that_takes_the_followers_conversation_is_refused_at_validate(tmp_path: Path, pattern: str,
                                                                               words: str) -> None:
    rule = f"{{name: 咨询, match: regex, keywords: ['{pattern}'], reply: {{text: 请问有什么可以帮您}}}}"
    spec(tmp_path, GATEWAY, f"replies:\n  keywords:\n    - {rule}\n")
    result = oaspec("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.output
    assert "accounts[0].replies.keywords[0].keywords[0]" in result.output and words in result.output
    assert "the FAQ and the default reply would never be reached" in result.output, result.output


# Attack review 28: the same takes through match: contains; attack review 29: split across rules. (Ways of asking
# for a human are transferred before any rule: tests/gateway/test_router.py.)
@pytest.mark.parametrize("keywords", ["[我, 的, 吗, 了, 怎么]", "[吗, 怎么, 什么, 了]"])
def test_contains_keywords_that_take_the_followers_conversation_are_refused_at_validate(
        tmp_path: Path, keywords: str) -> None:
    rule = f"{{name: 咨询, match: contains, keywords: {keywords}, reply: {{text: 请问有什么可以帮您}}}}"
    spec(tmp_path, GATEWAY, f"replies:\n  keywords:\n    - {rule}\n")
    result = oaspec("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.output
    assert "accounts[0].replies.keywords[0].keywords" in result.output
    assert "typical customer messages" in result.output, result.output


def test_keyword_rules_that_take_the_conversation_together_are_refused_at_validate(tmp_path: Path) -> None:
    # attack review 29 F2: sixteen one-character contains rules each stayed under the line, and took 36 of the 55
    # sample messages together
    rules = "".join(f"    - {{name: r{n}, match: contains, keywords: [{word}], reply: {{text: 请问有什么可以帮您}}}}\n"
                    for n, word in enumerate("卡钱吗了的查账码号户行款多办网"))
    spec(tmp_path, GATEWAY, f"replies:\n  keywords:\n{rules}")
    result = oaspec("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.output
    assert "accounts[0].replies.keywords:" in result.output and "the keyword rules together" in result.output


@pytest.mark.parametrize("keywords", ["[营业时间, 几点开门]", "[人工客服电话]", "[挂失, 补卡]", "[余额]",
                                      "[人工服务时间, 人工客服电话是多少]"])
def test_contains_keywords_for_the_words_they_are_for_are_valid(tmp_path: Path, keywords: str) -> None:
    rule = f"{{name: 咨询, match: contains, keywords: {keywords}, reply: {{text: 请问有什么可以帮您}}}}"
    spec(tmp_path, GATEWAY, f"replies:\n  keywords:\n    - {rule}\n")
    assert errors(tmp_path / "oaspec.yaml") == []


@pytest.mark.parametrize("pattern", ["(存款|贷款)利率", "信用卡|储蓄卡", "利率\\d*", "^[1-5１-５]$", "人工客服电话",
                                     "^客服$", "余额|明细", "挂失"])
def test_a_pattern_for_the_words_it_is_for_is_valid(tmp_path: Path, pattern: str) -> None:
    rule = f"{{name: 咨询, match: regex, keywords: ['{pattern}'], reply: {{text: 请问有什么可以帮您}}}}"
    spec(tmp_path, GATEWAY, f"replies:\n  keywords:\n    - {rule}\n")
    assert errors(tmp_path / "oaspec.yaml") == []


def test_regular_expressions_need_the_gateway(tmp_path: Path) -> None:
    (found,) = errors(spec(tmp_path, "replies:\n  keywords:\n    - {name: r, match: regex, keywords: [利率], "
                                     "reply: {text: x}}\n"))
    assert found.path == "accounts[0].replies.keywords[0].match"
    assert "only `oaspec serve` matches regular expressions" in found.message


def test_a_webhook_module_answers_only_a_one_reply_rule(tmp_path: Path) -> None:
    module = """\
    modules:
      - id: balance
        kind: account_query
        entry: {key: BALANCE}
        webhook: {url: "https://bank.example/balance", signing_secret: "${OASPEC_CITYBANK_HOOK}"}
    replies:
      keywords:
        - {name: 余额, keywords: [余额], replies: [{module: balance}, {text: 请登录手机银行查询}]}
    """
    (found,) = errors(spec(tmp_path, GATEWAY, module))
    assert found.path == "accounts[0].replies.keywords[0].replies[0].module"
    assert "only a rule's single reply" in found.message


def test_every_reply_of_a_rule_is_policy_checked_at_its_own_place(tmp_path: Path) -> None:
    promise = RULES.replace("信用卡问题请致电95000。", "本行理财产品保本保收益")
    findings = cn_bank_findings(tmp_path, "citybank/replies/keywords/信用卡", promise)
    assert findings and any(f.blocking for f in findings)
    assert {f.path for f in findings} == {"accounts[0].replies.keywords[1].replies[1].text"}


def answered_in_time(router: Router, content: str) -> list[list[str | None]]:
    """The router's replies to one message, routed in a thread given 30 s: a hang detector, not a speed
    target (the match takes well under a millisecond); [] if it did not answer."""
    answers: list[list[str | None]] = []
    worker = threading.Thread(target=lambda: answers.append(texts(router, text(content))), daemon=True)
    worker.start()
    worker.join(timeout=30)
    return answers


def test_a_catastrophic_pattern_cannot_stall_the_gateway() -> None:
    """`(a+)+$` against a run of a's and a '!' takes Python's backtracking engine minutes; RE2 is linear."""
    router = Router(account("plain", keyword_rules=[
        {"name": "evil", "keywords": [{"match": "regex", "keyword": "(a+)+$"}], "replies": ["x"]},
        {"name": "rate", "keywords": [{"match": "regex", "keyword": "利率"}], "replies": ["利率表"]}]))
    assert answered_in_time(router, "a" * 5000 + "!利率") == [["利率表"]]


def test_an_accounts_patterns_together_have_a_budget(tmp_path: Path) -> None:
    rules = "".join(f"    - {{name: r{i}, match: regex, keywords: ['[一-龥]{{1,45}}x{i}'], reply: {{text: x}}}}\n"
                    for i in range(23))  # 455 instructions each, 10,478 together
    (found,) = errors(spec(tmp_path, GATEWAY, "replies:\n  keywords:\n" + rules))
    assert found.path == "accounts[0].replies.keywords"
    assert "10478 RE2 instructions together; the limit is 10000" in found.message


def test_patterns_at_the_budget_answer_a_long_hostile_message_at_once() -> None:
    """Counted repetitions make RE2 leave its DFA: five patterns of 10,000 instructions took 0.28 s per
    2,000-character message. At the budget (twenty of 485) the same message is matched at once."""
    router = Router(account("plain", keyword_rules=[
        {"name": f"r{i}", "keywords": [{"match": "regex", "keyword": "[一-龥]{1,48}x" + str(i)}], "replies": [str(i)]}
        for i in range(20)]))
    assert answered_in_time(router, "一" * 2000 + "x5") == [["5"]]


def test_patterns_too_large_to_match_together_are_refused_not_crashed() -> None:
    with pytest.raises(PatternError, match="too large to match together"):
        Router(account("plain", keyword_rules=[
            {"name": f"r{i}", "keywords": [{"match": "regex", "keyword": "[一-龥]{1,1000}x" + str(i)}],
             "replies": ["x"]} for i in range(30)]))


def test_a_rule_inserted_above_another_answers_first_as_the_spec_lists_it(tmp_path: Path) -> None:
    """The first matching rule answers, so the served order is the spec's: a rule added above an older one
    wins over it (it used to be appended after the rules already served)."""
    general = "replies:\n  keywords:\n    - {name: 信用卡, keywords: [信用卡], reply: {text: 信用卡请点菜单}}\n"
    path, state_dir = spec(tmp_path, GATEWAY, general), tmp_path / ".oaspec"
    ws = Workspace.open(path, state_dir)
    apply_plan(ws, ws.plan())
    ws.close()
    spec(tmp_path, GATEWAY, general.replace("  keywords:\n", "  keywords:\n    - {name: 还款, keywords: [信用卡还款], "
                                             "reply: {text: 还款请用自动还款}}\n"))
    ws = Workspace.open(path, state_dir)
    plan = ws.plan()
    assert [(c.action, c.key) for c in plan.accounts[0].changes] == [("create", "还款"), ("update", "信用卡")]
    assert "+ after rule: 还款" in render_text(plan)
    apply_plan(ws, plan)
    found = served_state(FilesState(state_dir).history("citybank"))
    assert found is not None
    assert [(r.name, r.follows) for r in found[1].keyword_replies] == [("还款", ""), ("信用卡", "还款")]
    router = Router(account_gateway(ws.account("citybank").spec, found[1]))
    ws.close()
    assert texts(router, text("信用卡还款怎么弄")) == ["还款请用自动还款"]


def keyword_rules(*names: str) -> str:
    return "replies:\n  keywords:\n" + "".join(f"    - {{name: {n}, keywords: [{n}], reply: {{text: {n.upper()}}}}}\n"
                                                for n in names)


def test_reordering_the_spec_is_a_change_that_reorders_what_is_served(tmp_path: Path) -> None:
    path, state_dir = spec(tmp_path, GATEWAY, keyword_rules("a", "b", "c")), tmp_path / ".oaspec"
    ws = Workspace.open(path, state_dir)
    apply_plan(ws, ws.plan())
    ws.close()
    spec(tmp_path, GATEWAY, keyword_rules("c", "b", "a"))
    ws = Workspace.open(path, state_dir)
    plan = ws.plan()
    assert sorted(c.key for c in plan.accounts[0].changes) == ["a", "b", "c"]  # each now follows another
    apply_plan(ws, plan)
    assert not ws.plan().accounts[0].changes
    ws.close()
    found = served_state(FilesState(state_dir).history("citybank"))
    assert found is not None and [r.name for r in found[1].keyword_replies] == ["c", "b", "a"]
