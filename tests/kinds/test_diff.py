"""Each kind's diff, and the apply order of the whole plan (a table, like octoDNS's plan tests)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from oa_spec.kinds.menu import menu_diff
from oa_spec.kinds.state import (
    AccountState,
    Button,
    ConditionalMenu,
    Industry,
    KeywordRule,
    MatchRule,
    Menu,
    Reply,
    Tag,
    Template,
)
from oa_spec.plan.diff import diff

A = "bank"
VIP = MatchRule(tag="vip")
HOME = (Button("首页", type="view", url="https://bank.example/"),)
OTHER = (Button("理财", type="click", key="WEALTH"),)


def changes(desired: AccountState, live: AccountState) -> list[tuple[str, str, str]]:
    return [(c.action, c.kind, c.key) for c in diff(A, desired, live)]


def test_no_differences_no_changes() -> None:
    state = AccountState(menu=Menu(HOME), tags=(Tag("vip"),), subscribe_reply=Reply("hi"))
    assert diff(A, state, state) == []


def test_tags_pair_by_name_and_the_platforms_reserved_tags_are_never_touched() -> None:
    live = AccountState(tags=(Tag("星标组", id=2), Tag("old", id=100), Tag("keep", id=101)))
    desired = AccountState(tags=(Tag("keep"), Tag("new")))
    assert changes(desired, live) == [("delete", "tag", "old"), ("create", "tag", "new")]


def test_a_rename_keeps_the_tag_id_and_followers_and_moves_its_conditional_menu() -> None:
    live = AccountState(tags=(Tag("vip", id=100, count=7),),
                        conditional_menus=(ConditionalMenu("m", VIP, HOME, menuid="1"),))
    desired = AccountState(tags=(Tag("贵宾", renamed_from="vip"),),
                           conditional_menus=(ConditionalMenu("m", MatchRule(tag="贵宾"), HOME),))
    [rename] = diff(A, desired, live)
    assert (rename.action, rename.key) == ("update", "贵宾")
    assert isinstance(rename.after, Tag) and (rename.after.id, rename.after.count) == (100, 7)
    assert "keeps its 7 followers" in rename.reason


def test_templates_pair_by_title_and_cannot_be_edited() -> None:
    live = AccountState(templates=(Template("余额变动", template_id="T1"), Template("旧通知", template_id="T2")))
    desired = AccountState(templates=(Template("余额变动", name="balance"), Template("新通知", name="notice")))
    assert changes(desired, live) == [("delete", "template", "旧通知"), ("create", "template", "notice")]


def test_a_changed_conditional_menu_is_replaced_and_a_stale_duplicate_deleted() -> None:
    live = AccountState(conditional_menus=(ConditionalMenu("a", VIP, HOME, menuid="1"),
                                           ConditionalMenu("b", VIP, HOME, menuid="2")))
    desired = AccountState(conditional_menus=(ConditionalMenu("vip", VIP, OTHER),))
    found = diff(A, desired, live)
    # The newest copy is the one followers see: the replace starts from it, the older copy is the stale one.
    assert [(c.action, c.key) for c in found] == [("delete", "a"), ("replace", "vip")]
    assert "stale duplicate" in found[0].reason


def test_a_stale_copy_that_followers_see_today_says_their_buttons_change() -> None:
    # A newer copy made in the console with other buttons is what followers see; deleting it is no fall-back to
    # the default menu, but their buttons change, and the reason must not say the segment keeps "its" menu only.
    live = AccountState(conditional_menus=(ConditionalMenu("vip", VIP, OTHER, menuid="1"),
                                           ConditionalMenu("console", VIP, HOME, menuid="2")))
    [stale] = diff(A, AccountState(conditional_menus=(ConditionalMenu("vip", VIP, OTHER),)), live)
    assert (stale.action, stale.key) == ("delete", "console")
    assert stale.reason.endswith("followers in it see this copy's buttons today, and vip's after this plan")
    older = AccountState(conditional_menus=(live.conditional_menus[0], replace(live.conditional_menus[1], menuid="0")))
    [quiet] = diff(A, AccountState(conditional_menus=(ConditionalMenu("vip", VIP, OTHER),)), older)
    assert "see this copy's buttons today" not in quiet.reason


def test_the_industry_is_set_but_never_deleted() -> None:
    live = AccountState(industry=Industry("金融业", "银行"))
    assert diff(A, AccountState(), live) == []
    assert changes(AccountState(industry=Industry("金融业", "证券")), live) == [("update", "industry", "")]


def test_replies_pair_by_their_fixed_key_and_keyword_rules_by_name() -> None:
    live = AccountState(subscribe_reply=Reply("hi"), keyword_replies=(KeywordRule("r", "exact", ("a",), Reply("x")),))
    desired = AccountState(default_reply=Reply("?"), keyword_replies=(KeywordRule("r", "exact", ("a",), Reply("y")),))
    assert sorted(changes(desired, live)) == [("create", "reply", "default"), ("delete", "reply", "subscribe"),
                                              ("update", "keyword_reply", "r")]


def test_kinds_the_provider_cannot_write_are_shown_not_applied() -> None:
    [change] = diff(A, AccountState(default_reply=Reply("?")), AccountState(), writable=frozenset({"tag"}))
    assert not change.writable


# Apply order: (what the live account holds, what the spec wants) -> the order of (action, kind).
ORDER = [
    pytest.param(
        AccountState(tags=(Tag("vip", id=100),), conditional_menus=(ConditionalMenu("m", VIP, HOME, menuid="1"),)),
        AccountState(tags=(Tag("new"),), menu=Menu(HOME)),
        [("delete", "conditional_menu"), ("delete", "tag"), ("create", "tag"), ("create", "menu")],
        id="a menu is deleted before the tag it matches; removals free slots before additions"),
    pytest.param(
        AccountState(),
        AccountState(tags=(Tag("vip"),), industry=Industry("金融业", "银行"), templates=(Template("t", name="t"),),
                     menu=Menu(HOME), conditional_menus=(ConditionalMenu("m", VIP, OTHER),),
                     subscribe_reply=Reply("hi"), keyword_replies=(KeywordRule("r", "exact", ("a",), Reply("x")),)),
        [("create", "tag"), ("create", "industry"), ("create", "template"), ("create", "menu"),
         ("create", "conditional_menu"), ("create", "reply"), ("create", "keyword_reply")],
        id="tag and default menu before the conditional menu on them; industry before templates"),
    pytest.param(
        AccountState(menu=Menu(HOME), templates=(Template("old", template_id="T"),)),
        AccountState(templates=(Template("new", name="new"),)),
        [("delete", "template"), ("create", "template"), ("delete", "menu")],
        id="menu/delete, which wipes conditional menus too, runs last"),
]


@pytest.mark.parametrize(("live", "desired", "expected"), ORDER)
def test_apply_order(live: AccountState, desired: AccountState, expected: list[tuple[str, str]]) -> None:
    assert [(c.action, c.kind) for c in diff(A, desired, live)] == expected


def test_a_mini_program_buttons_new_target_shows_in_the_menus_diff() -> None:
    # describe() once showed the url alone: another appid or pagepath read as "miniprogram <url> -> <same>"
    url, appid = "https://m.bank.example/bill", "wx1111111111111111"
    old = (Button("账单", type="miniprogram", url=url, appid=appid, pagepath="pages/bill/index"),)
    new = (Button("账单", type="miniprogram", url=url, appid=appid, pagepath="pages/transfer/confirm"),)
    [line] = menu_diff(old, new)
    before, after = line.split(" -> ")
    assert before.endswith("pagepath=pages/bill/index") and after.endswith("pagepath=pages/transfer/confirm")
    assert "appid=wx1111111111111111" in before


ANTI_FRAUD = Button("防骗提醒", type="view", url="https://m.bank.example/anti-fraud")
REGROUPED = Button("防骗提醒", sub_buttons=(Button("防骗提醒", type="view", url="https://m.bank.example/high-yield"),
                                           Button("转账", type="click", key="LOTTERY_DRAW")))


@pytest.mark.parametrize(("old", "new", "sign"),
                         [((ANTI_FRAUD,), (REGROUPED,), "+"), ((REGROUPED,), (ANTI_FRAUD,), "-")],
                         ids=["leaf-made-a-group", "group-made-a-leaf"])
def test_a_button_turned_into_a_group_or_back_shows_each_of_the_groups_buttons(
        old: tuple[Button, ...], new: tuple[Button, ...], sign: str) -> None:
    # It once read "~ 防骗提醒  view …/anti-fraud -> 2 sub-buttons", and the new targets went unseen.
    lines = menu_diff(old, new)
    assert lines[0].split() == ["~", "防骗提醒", *old[0].describe().split(), "->", *new[0].describe().split()]
    assert [line.split() for line in lines[1:]] == [
        [sign, "防骗提醒", "view", "https://m.bank.example/high-yield"], [sign, "转账", "click", "LOTTERY_DRAW"]]


def test_buttons_of_one_name_pair_in_order_so_an_added_one_shows_as_added() -> None:
    # A live menu may repeat a name (the spec may not): pairing by name alone read an added button as "its link
    # changes", and a removed one as a group update with nothing under it.
    bill, bill_v2 = (Button("账单", type="view", url=f"https://m.bank.example/{p}") for p in ("bill", "bill-v2"))
    one, two = Button("我的", sub_buttons=(bill,)), Button("我的", sub_buttons=(bill, bill_v2))
    assert [line.split() for line in menu_diff((one,), (two,))] == [
        ["~", "我的"], ["+", "账单", "view", "https://m.bank.example/bill-v2"]]
    assert [line.split() for line in menu_diff((two,), (Button("我的", sub_buttons=(bill_v2,)),))] == [
        ["~", "我的"], ["~", "账单", "view", "https://m.bank.example/bill", "->", "view",
                        "https://m.bank.example/bill-v2"], ["-", "账单", "view", "https://m.bank.example/bill-v2"]]


def test_a_live_value_that_could_pass_for_another_is_shown_quoted_and_escaped() -> None:
    old = (Button("交易明细", type="click", key="TXN_DETAIL "), Button("账单", type="view", url="https://m.b.cn/bill\xa0"))
    new = (Button("交易明细", type="click", key="TXN_DETAIL"), Button("账单", type="view", url="https://m.b.cn/bill"))
    assert [line.split(None, 2)[2] for line in menu_diff(old, new)] == [
        'click "TXN_DETAIL " -> click TXN_DETAIL', 'view "https://m.b.cn/bill\\xa0" -> view https://m.b.cn/bill']
    cyrillic = (Button("交易明细", type="click", key="TXN_DET\u0410IL"),)
    assert [line.split(None, 2)[2] for line in menu_diff(cyrillic, new[:1])] == [
        'click "TXN_DET\\u0410IL" -> click TXN_DETAIL']


def test_a_keyword_holding_a_comma_of_any_kind_is_quoted_so_the_list_reads_true() -> None:
    from oa_spec.kinds.base import joined

    assert joined(["网点", "营业时间，ATM", "贷款、借钱", "ATM"]) == '网点, "营业时间，ATM", "贷款、借钱", ATM'
