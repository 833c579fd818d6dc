"""A warning frames what it warns of, not the whole text (attack review 69, F1 and F7; issue 15): a footer that
warns of fraud, a consumer-protection note or an explainer's title beside the bank's own promise leaves the
promise a claim; a warning that quotes the promise, points on to it or back at it keeps it quoted. And a
guarantee said of the bank's product pointed at without its kind (本产品稳赚不赔) is a guarantee."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.policy.helpers import REPLY, reply_spec, run_yaml, text_rules_on

RULE = "wealth.no-guaranteed-return"


@pytest.mark.parametrize("text", [
    # the attack's texts: a fraud footer, a consumer-protection note, a report-it line, an explainer's title
    "稳盈1号理财产品保本保收益，年化4.5%，欢迎到网点咨询。小心电信诈骗，远离非法集资。",
    "稳盈1号理财保本保收益，年化4.5%，欢迎到网点咨询。消保提示：请通过正规渠道购买。",
    "稳盈1号理财产品保本保收益，年化4.5%，欢迎到网点咨询。如遇冒充客服请举报。",
    "理财小知识：本理财产品保本保收益，年化4.5%，欢迎到网点咨询。",
    "理财小知识\n\n本理财产品保本保收益，稳健之选。",
    # variants: other products, other footers and titles, the warning first
    "本行稳盈1号理财产品保本保收益，年化4.5%。温馨提示：谨防电信诈骗，不要向陌生人转账。",
    "安鑫3号基金稳赚不赔，近一年业绩亮眼。反诈提醒：不点陌生链接，不向陌生账户转账。",
    "本期产品本金无忧，收益有保障。理财小课堂：什么是净值型理财？",
    "【理财小知识】本理财产品保本保收益，欢迎咨询。",
    "本行“安享”养老理财保本保收益，年化4%。远离非法集资，守护养老钱。",
])
def test_a_promise_beside_a_warning_of_something_else_is_a_claim(text: str) -> None:
    assert RULE in text_rules_on(text)


@pytest.mark.parametrize("text", [
    # the warning is about the promise: in its sentence, before it pointing on, after it pointing back
    "防范电信诈骗，守护钱袋子。凡是声称保本保收益的理财都是骗局，请到正规渠道购买。",
    "有人冒充我行客服，称本行理财产品保本保收益，年化8%。这是诈骗，请立即挂断。",
    "反诈小课堂：骗子常说“本产品保本保收益”，请勿相信。",
    "警惕！骗子常说：本行理财产品保本保收益。",
    "本行理财产品保本保收益，年化10%。这是典型的诈骗话术！",
    "近期有不法分子冒充我行员工，声称我行理财产品保本保收益，请勿相信。",
    "防骗小知识：本行理财产品保本保收益？",
    "警惕以下话术\n\n本行理财产品保本保收益\n本产品稳赚不赔",
    "谨防诈骗！\n\n本行理财产品保本保收益",
    "远离非法集资，守护养老钱。本行“安享”养老理财保本保收益，年化4%。",  # a fraud warning right before it
    # a story of someone else's words, a customer's question, a denial
    "案例：王阿姨接到电话，对方说我行理财产品保本保收益。后来才明白上当了。",
    "王阿姨说：我在你们行买的稳盈1号理财，保本保收益？客服：不是的，理财非存款。小心诈骗。",
    "本行提醒：理财产品不保本保收益，过往业绩不代表未来表现。小心非法集资。",
])
def test_a_warning_that_quotes_the_promise_keeps_it_quoted(text: str) -> None:
    assert RULE not in text_rules_on(text)


@pytest.mark.parametrize("text", [
    "本产品稳赚不赔。",
    "本行这款产品保本保息，年化4%。",
    "本理财产品保夲保息。",  # 夲 for its look-alike 本
    "这款产品保夲保息，年化4%，欢迎咨询。",
    "我们的产品稳赚不赔，放心买。",
])
def test_a_guarantee_of_the_banks_product_pointed_at_is_a_claim(text: str) -> None:
    assert RULE in text_rules_on(text)


@pytest.mark.parametrize("text", [
    "本产品不保本，过往业绩不代表未来表现。",
    "本产品稳赚不赔？警惕诈骗！",
    "本产品绝对安全，采用银行级加密。",  # a device's safety, no money promised
])
def test_the_banks_product_pointed_at_with_no_guarantee_of_money_is_no_claim(text: str) -> None:
    assert RULE not in text_rules_on(text)


def test_validate_reports_the_promise_in_a_reply_with_a_fraud_footer(tmp_path: Path) -> None:
    text = "稳盈1号理财产品保本保收益，年化4.5%，欢迎到网点咨询。小心电信诈骗，远离非法集资。"
    run = run_yaml(tmp_path, reply_spec(text))
    assert REPLY in run.hits(RULE)
