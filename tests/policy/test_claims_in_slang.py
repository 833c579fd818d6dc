"""Probe 63's readings: loan terms, sharing, gifts and superlatives in slang and on posters (有手就能借, 不审不问,
发到群里, 回馈888元现金, 全国找不出第二张, 稳居前排), 别家 as another bank rather than a negation, and a rating
cited with the outlet that published it. Each reading fails without the change its comment names."""

from __future__ import annotations

import pytest

from tests.policy.helpers import FUND_NOTICE, text_rules_on

PRUDENCE = "请理性借贷。"
LOAN_TERMS = "loan.misleading-terms"
DEPOSIT_GIFTS = "deposit.no-improper-inducement"


@pytest.mark.parametrize(("text", "rule"), [
    # claims.yaml loan_misleading (probe 63)
    (f"【海报】有手就能借 随心贷 年化利率（单利）5.9%起 {PRUDENCE}", LOAN_TERMS),
    (f"客服回复：提交申请后系统几秒钟就出审批结果。年化利率（单利）7.8%，{PRUDENCE}", LOAN_TERMS),
    (f"闪借：App里看得到额度就能直接提出来花，不审不问。年化利率（单利）6.5%，{PRUDENCE}", LOAN_TERMS),
    (f"现场申请消费贷，保证每位到场居民都有额度。年化利率（单利）7.2%，{PRUDENCE}", LOAN_TERMS),
    # cn_bank_platform._SHARE: a group named with more words between (发到3个50人以上的群里)
    ("把活动页发到3个50人以上的群里，截图回传后台，就能多转一次大转盘哦。", "platform.induced-sharing"),
    # claims.yaml fund_gifts (probe 63)
    ("三年期整存整取每满10万回馈888元现金，欢迎到网点办理。", DEPOSIT_GIFTS),
    (f"本周申购这只债券基金满1万元，系统会多放100元基金份额。{FUND_NOTICE}", "fund.no-lottery-sales"),
    # vocabulary.CLAUSE_NEGATORS: 别家 is another bank, not 别 (don't)
    ("各位叔叔阿姨，把别家到期的钱挪过来存个一年定期，每人额外拿一袋20斤大米。", DEPOSIT_GIFTS),
    # claims.yaml absolutes_said and superlative
    ("XX银行白金信用卡｜这份权益，全国找不出第二张。", "ad.absolute-terms"),
    ("这款理财自成立以来业绩相当能打，在同期产品中稳居前排。理财非存款，产品有风险，投资须谨慎。",
     "wealth.unsupported-superlatives"),
])
def test_a_claim_in_slang_or_on_a_poster_is_read(text: str, rule: str) -> None:
    assert rule in text_rules_on(text)


def test_a_rating_cited_with_the_outlet_that_published_it_is_sourced() -> None:
    # textkit.SOURCED: 据…公布的…评选结果
    text = (f"据中国证券报2025年4月公布的金牛奖评选结果，这只债券基金获评“三年期开放式债券型金牛基金”。"
            f"由XX基金管理有限公司管理，本行为代销机构。{FUND_NOTICE}")
    assert "wealth.rating-citation" not in text_rules_on(text)
