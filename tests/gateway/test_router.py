"""Routing: events, click keys, keyword semantics, 转人工, FAQ hand-off, job-finish events."""

from __future__ import annotations

import random

import pytest

from oa_spec.content.characters import ALSO_BLANK, DEFAULT_IGNORABLE
from oa_spec.gateway.config import AccountGateway, Reply
from oa_spec.gateway.router import HUMAN_OFFER, FaqAnswer, Router
from tests.gateway.helpers import account


def citybank(**extra: object) -> AccountGateway:
    return account(
        "safe",
        subscribe_reply="欢迎关注城市银行",
        scene_welcomes={"branch_042": "欢迎来到人民路支行"},
        scan_replies={"campaign_7": "活动详情请看菜单"},
        click_actions={"TXN_DETAIL": {"reply": "请登录手机银行查看交易明细"}, "BALANCE": {"module": "balance"}},
        modules=[{"id": "balance", "webhook": {"url": "http://127.0.0.1:1/x"}}],
        keyword_rules=[
            {"name": "hours", "keywords": [{"match": "exact", "keyword": "营业时间"}], "replies": ["9:00-17:00"]},
            {"name": "card", "keywords": [{"match": "contains", "keyword": "信用卡"}],
             "replies": ["信用卡A", "信用卡B"], "reply_mode": "random_one"},
            {"name": "rate", "keywords": [{"match": "regex", "keyword": r"利率\d*"}], "replies": ["利率表", "见官网"]},
            {"name": "late-contains", "keywords": [{"match": "contains", "keyword": "营业"}], "replies": ["late"]},
        ],
        default_reply="您好，请点击菜单",
        **extra,
    )


def event(name: str, key: str = "") -> dict[str, str]:
    return {"MsgType": "event", "Event": name, "EventKey": key, "FromUserName": "u", "ToUserName": "gh"}


def text(content: str) -> dict[str, str]:
    return {"MsgType": "text", "Content": content, "FromUserName": "u", "ToUserName": "gh", "MsgId": "1"}


def texts(router: Router, fields: dict[str, str]) -> list[str | None]:
    return [r.text for r in router.route(fields).replies]


def test_subscribe_scene_welcome_scan_and_click() -> None:
    router = Router(citybank())
    assert texts(router, event("subscribe")) == ["欢迎关注城市银行"]
    assert texts(router, event("subscribe", "qrscene_branch_042")) == ["欢迎来到人民路支行"]
    assert texts(router, event("subscribe", "qrscene_unknown")) == ["欢迎关注城市银行"]
    assert texts(router, event("SCAN", "campaign_7")) == ["活动详情请看菜单"]
    assert router.route(event("SCAN", "other")).kind == "success"
    assert texts(router, event("CLICK", "TXN_DETAIL")) == ["请登录手机银行查看交易明细"]
    clicked = router.route(event("CLICK", "BALANCE"))
    assert (clicked.kind, clicked.module) == ("module", "balance")
    assert router.route(event("CLICK", "NOPE")).kind == "success"
    assert router.route(event("unsubscribe")).kind == "success"
    assert router.route(event("VIEW", "https://x")).kind == "success"


def test_job_finish_events_are_acknowledged() -> None:
    router = Router(citybank())
    for name in ("TEMPLATESENDJOBFINISH", "MASSSENDJOBFINISH", "PUBLISHJOBFINISH"):
        assert router.route(event(name)).kind == "job_finished"


def test_keyword_semantics_first_listed_rule_wins() -> None:
    router = Router(citybank(), rng=random.Random(1))
    assert texts(router, text("营业时间")) == ["9:00-17:00"]  # exact beats the later contains rule
    assert texts(router, text("周末营业吗")) == ["late"]  # exact does not fire on a longer text
    assert texts(router, text("我想办信用卡")) in (["信用卡A"], ["信用卡B"])
    seen = {texts(router, text("信用卡"))[0] for _ in range(40)}
    assert seen == {"信用卡A", "信用卡B"}  # random_one picks among all
    assert texts(router, text("存款利率3")) == ["利率表", "见官网"]  # reply_all returns every reply
    assert texts(router, text("随便说说")) == ["您好，请点击菜单"]
    assert texts(router, {**text(""), "MsgType": "image"}) == ["您好，请点击菜单"]


def test_transfer_to_human() -> None:
    router = Router(citybank())
    assert router.route(text("我要转人工")).kind == "transfer"
    assert router.route(text("人工客服在吗")).kind == "transfer"


@pytest.mark.parametrize("keyword", [
    {"match": "contains", "keyword": "人工客服电话"}, {"match": "exact", "keyword": "人工客服在吗"},
    {"match": "exact", "keyword": "转人工客服"}, {"match": "contains", "keyword": "人工"},
    {"match": "regex", "keyword": "^(我要|请|帮我)?(转人工|人工客服)(客服)?[！!。.，,吧啊]+"},
    {"match": "regex", "keyword": "人\\s*工|轉|找人"},
])
def test_no_keyword_rule_keeps_a_follower_who_asks_for_a_human_from_one(keyword: dict[str, str]) -> None:
    # attack reviews 27-31: each rule of this kind took the follower's request to a webhook or a canned reply
    rule = {"name": "r", "keywords": [keyword], "replies": ["请问有什么可以帮您"]}
    router = Router(account("safe", keyword_rules=[rule]))
    for message in ("人工客服电话是多少", "人工客服在吗", "转人工客服", "转人工！", "我要人工服务",
                    # attack review 32: spaces, traditional script, characters that draw nothing, 人工 alone
                    "转 人工", "人工 客服", "轉人工", "人\u200b工客服", "我要人工", "找人工",
                    # attack review 33: punctuation that joined 人工 to 智能, look-alike Kangxi radicals
                    "人工，智能客服听不懂", "⼈⼯客服"):
        assert router.route(text(message)).kind == "transfer", (keyword, message)


# Every code point that draws nothing (content.characters: Default_Ignorable_Code_Point and the other blanks), the
# first and last of each range, and the katakana a reader takes for 工 (full and half width).
_DRAWS_NOTHING = sorted({chr(end) for low, high in (*DEFAULT_IGNORABLE, *ALSO_BLANK) for end in (low, high)})


@pytest.mark.parametrize("message", [
    *(f"人{blank}工客服" for blank in _DRAWS_NOTHING), "我要人\u3164工", "转人\uffa0工", "人\u115f工服务",
    "人エ客服", "人ｴ客服", "我要人エ", "転人エ",
])
@pytest.mark.parametrize("rules", [[], [{"name": "r", "keywords": [{"match": "contains", "keyword": "客服"}],
                                         "replies": ["请问有什么可以帮您"]}]])
def test_a_follower_who_asks_for_a_human_through_blank_letters_or_katakana_is_transferred(
        message: str, rules: list[dict[str, object]]) -> None:
    # attack review 34: the Hangul fillers (U+3164, U+FFA0, U+115F, U+1160) are letters to isalnum() but draw
    # nothing, and katakana エ is drawn as 工; 人\u3164工客服 went to a 客服 rule's canned reply, or to silence
    assert Router(account("safe", keyword_rules=rules)).route(text(message)).kind == "transfer"


@pytest.mark.parametrize("message", [
    "人ー工客服", "人ˉ工客服", "人ㆍ工客服", "人\u0640工客服", "人\ua4f8工客服", "人ᐧ工客服", "转人ʼ工", "人·工服务",
    "人α工客服", "人ж工", "人ｰ工客服",
])
@pytest.mark.parametrize("rules", [[], [{"name": "r", "keywords": [{"match": "contains", "keyword": "客服"}],
                                         "replies": ["请问有什么可以帮您"]}]])
def test_a_follower_who_asks_for_a_human_through_letters_drawn_as_a_dash_or_dot_is_transferred(
        message: str, rules: list[dict[str, object]]) -> None:
    # attack review 37: ー (the long-vowel mark, drawn as a dash), ˉ, ㆍ, the tatweel and other marks are letters to
    # isalnum(), so 人ー工客服 went to a 客服 rule's canned reply or the default reply: only ideographs and ASCII
    # letters and digits are read, whatever stands between them
    assert Router(account("safe", keyword_rules=rules)).route(text(message)).kind == "transfer"


_CS_RULE = [{"name": "r", "keywords": [{"match": "contains", "keyword": "客服"}], "replies": ["请问有什么可以帮您"]}]


@pytest.mark.parametrize("message", [
    # the ideographs of one stroke that are never words (丶 is the IME's decoration for 、), the Kangxi radicals NFKC
    # folds to them; 一 and 乙 (⼀ and ⼄) are words, and are read (test_words_between_ren_and_gong_are_still_read)
    *(f"人{stroke}工客服" for stroke in "丨丶丿乀乁乚乛亅⼁⼂⼃⼅"), "转人丶工", "人丶工服务", "我要人丨工",
    # the one-stroke ideographs of Extensions B and E (attack review 40, F2: 𠃊 is drawn as 乚, 𠄌 as 亅, 𡿨 as 丿 with
    # a dot), and the compatibility ideograph that is 乁
    *(f"人{stroke}工客服" for stroke in "𠃉𠃊𠃋𠃌𠃍𠃎𠃏𠃑𠄌𠄎𡿨𪛙𬼂\U0002f802"), "转人𠃋工", "我要人𠄌工",
    # ASCII letters a reader takes for a bar, a dot or a ring (never digits: 1 and 0 are words), alone or in a run,
    # full width too, and | (not read at all)
    *(f"人{mark}工客服" for mark in ("l", "I", "i", "j", "o", "O", "ｌ", "Ｉ", "ll", "l l", "Il", "|", "｜")),
    "转人l工", "人 I 工服务", "人丶l工客服", "人𠃊l工客服",
    # a small katakana is its letter drawn smaller: ェ (and the half-width ｪ) is エ, so 工; ヵ is カ, so 力
    "人ェ客服", "转人ェ", "人ｪ客服", "我要人ェ",
])
@pytest.mark.parametrize("rules", [[], _CS_RULE])
def test_a_follower_who_asks_for_a_human_through_a_one_stroke_character_is_transferred(
        message: str, rules: list[dict[str, object]]) -> None:
    # attack review 39, F3: 丶 丨 丿 (ideographs, so read) and l or I (ASCII letters, so read) between 人 and 工 took
    # 人丶工客服 to a 客服 rule's canned reply or the FAQ's: a character drawn as one stroke, a dot or a ring between
    # two words is punctuation to the eye
    assert Router(account("safe", keyword_rules=rules)).route(text(message)).kind == "transfer"


@pytest.mark.parametrize("message", ["人员工资怎么查", "个人IC卡工本费多少", "本人5工作日内到账吗", "人民币工资卡",
                                     "个人一个工作日能到吗",
                                     # attack review 40, F2: 一, 乙 and digits are words, wherever they stand
                                     "一人一工号怎么申请", "每人10工分", "联系人1工作日内回电吗", "本人0工本费吗",
                                     "甲乙双方每人乙工位", "个人一工作日内到账吗", "人一工", "人1工", "人⼀工",
                                     "人⼄工"])
def test_words_between_ren_and_gong_are_still_read(message: str) -> None:
    # what stands between 人 and 工 here is a word (员, IC卡, 5, 民币, 个, 一, 10, 1, 乙), so no 人工 is read into the
    # message. 一 (one) and the digits are words, not strokes, so even 人一工 and 人1工 are read as written: the
    # check passes over only what is never a word (丶 丨 丿 乀 乁 乚 乛 亅 and their kin, l and I between ideographs)
    assert Router(account("safe", keyword_rules=_CS_RULE)).route(text(message)).kind != "transfer"


_WORK_ID_RULE = [{"name": "gonghao", "keywords": [{"match": "contains", "keyword": "工号"}],
                  "replies": ["工号办理请携带身份证到网点"]}]


def test_a_question_with_one_or_a_number_before_gong_reaches_its_keyword_rule() -> None:
    # attack review 40, F2: the one-stroke fix dropped 一 everywhere, so 一人一工号怎么申请 read as 人工号 and went to
    # the customer-service queue instead of the 工号 rule that answers it
    router = Router(account("safe", keyword_rules=_WORK_ID_RULE, default_reply="您好"))
    outcome = router.route(text("一人一工号怎么申请"))
    assert (outcome.kind, outcome.source) == ("reply", "keyword")
    assert [reply.text for reply in outcome.replies] == ["工号办理请携带身份证到网点"]
    assert router.route(text("每人10工分")).source == "default"


def test_faq_lookup_used_after_keywords_and_offers_a_human_below_threshold() -> None:
    def lookup(question: str) -> FaqAnswer:
        return FaqAnswer("card-loss", "请拨打95000挂失", None, confident="挂失" in question)

    router = Router(citybank(), faq=lookup)
    assert texts(router, text("卡丢了要挂失")) == ["请拨打95000挂失"]
    assert texts(router, text("今天天气怎么样")) == [HUMAN_OFFER]
    assert texts(router, text("营业时间")) == ["9:00-17:00"]


def test_ten_thousand_rules_answer_the_rule_that_matches() -> None:
    """Correctness at scale; that the cost does not grow with the rule count is measured side by side
    in benchmarks/bench_gateway.py (10 vs 10,000 rules), not timed here."""
    rules = [{"name": f"r{i}", "keywords": [{"match": "contains", "keyword": f"关键词{i}号"},
                                            {"match": "exact", "keyword": f"精确{i}"}],
              "replies": [Reply(text=f"answer {i}").text]} for i in range(10_000)]
    large = Router(account("safe", keyword_rules=rules))
    assert texts(large, text("请问关键词9999号")) == ["answer 9999"]
    assert texts(large, text("精确5000")) == ["answer 5000"]
    assert texts(large, text("精确5000吗")) == []  # exact means the whole message: no rule answers
    assert texts(large, text("关键词12号和关键词7号")) == ["answer 7"]  # the first rule in the spec's order wins
