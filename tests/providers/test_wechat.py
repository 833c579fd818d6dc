"""The WeChat provider against the emulator, over real HTTP on loopback through requests (no mocks)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from oa_spec import limits
from oa_spec.config.model import WeChatProviderConfig
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.errors import ProviderError
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import (
    AccountState,
    Button,
    ConditionalMenu,
    Industry,
    KeywordRule,
    MatchRule,
    Menu,
    NewsArticle,
    Reply,
    Tag,
    Template,
)
from oa_spec.plan.diff import diff
from oa_spec.providers.settings import WeChatSettings
from oa_spec.providers.wechat import WeChatProvider
from testing.emulator import EmulatorAccount

FIXTURES = Path(__file__).parent.parent / "fixtures"
APPID = "wx0123456789abcdef"
SECRET = "provider-test-secret-7d41c9"
ACCOUNT = "citybank"
FAST_RETRIES = (0.01, 0.02, 0.04)
LIBRARY = [{"template_id_short": "OPENTM000001", "title": "账户余额变动提醒"}]


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


EMULATOR_ACCOUNT = EmulatorAccount(APPID, SECRET, LIBRARY)  # the `admin` fixture's account


def make_provider(server: EmulatorServer, retry_delays: tuple[float, ...] = FAST_RETRIES,
                  **config: Any) -> WeChatProvider:
    settings = {"api_base": server.base_url, "timeout_seconds": 2.0, **config}
    wechat = WeChatProviderConfig(type="wechat", app_id=APPID, app_secret="${OASPEC_TEST_SECRET}", **settings)
    return WeChatProvider(ACCOUNT, settings_of(wechat), SECRET, retry_delays=retry_delays)


def settings_of(config: WeChatProviderConfig, templates_readable: bool = True) -> WeChatSettings:
    """What the workspace gives the provider for this spec config (plan/workspace.py provider_settings)."""
    return WeChatSettings(config.app_id, config.secret_variable, config.api_base, config.token_endpoint,
                          config.timeout_seconds, templates_readable)


@pytest.fixture
def provider(server: EmulatorServer, admin: EmulatorAdmin) -> Iterator[WeChatProvider]:
    live = make_provider(server)
    yield live
    live.close()


def plan(provider: WeChatProvider, desired: AccountState) -> list[Change]:
    return [c for c in diff(ACCOUNT, desired, provider.read(), provider.writable_kinds) if c.writable]


def converge(provider: WeChatProvider, desired: AccountState) -> list[Change]:
    changes = plan(provider, desired)
    for change in changes:
        provider.apply(change)
    return changes


def view(name: str, path: str) -> Button:
    return Button(name, type="view", url=f"https://m.citybank.example.cn/{path}")


MENU = Menu((Button("余额查询", type="click", key="BALANCE"),
             Button("服务", sub_buttons=(view("网点预约", "appt"), Button("在线客服", type="click", key="CS")))))
DESIRED = AccountState(
    menu=MENU,
    conditional_menus=(
        ConditionalMenu("hnw", MatchRule(tag="高净值客户"), (view("专属理财", "vip"),)),
        ConditionalMenu("ios", MatchRule(client_platform_type="1"), (view("下载App", "app"),)),
    ),
    tags=(Tag("高净值客户"), Tag("老年客户")),
    templates=(Template("账户余额变动提醒", name="balance-alert", library_id="OPENTM000001"),),
    industry=Industry("金融业/银行", "IT科技/互联网|电子商务"),
)
CHANGED = replace(
    DESIRED,
    menu=Menu((MENU.buttons[0], replace(MENU.buttons[1], sub_buttons=(view("网点预约", "appt2"),)))),
    conditional_menus=(ConditionalMenu("ios", MatchRule(client_platform_type="1"), (view("下载新App", "app2"),)),),
    tags=(Tag("银发客户", renamed_from="老年客户"),),
    templates=(),
    industry=Industry("金融业/银行", "金融业/保险"),
)


def live_tag_id(admin: EmulatorAdmin, name: str) -> int:
    return next(int(t["id"]) for t in admin.state(APPID)["tags"] if t["name"] == name)


# --- reads ---------------------------------------------------------------------------------------------
def test_read_of_an_empty_account(provider: WeChatProvider) -> None:
    assert provider.read() == AccountState(tags=(Tag("星标组"),))
    assert provider.read().tags[0].id == 2


def test_reads_run_concurrently_with_one_token_fetch(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    admin.set_latency(100)
    started = time.monotonic()
    provider.read()  # token, then 5 reads side by side (menu/get -> 46003 -> selfmenu is the longest branch)
    elapsed = time.monotonic() - started
    assert elapsed < 0.55, f"read took {elapsed:.2f}s: the 7 calls ran one after another"
    assert [c["path"] for c in admin.calls()].count("/cgi-bin/stable_token") == 1


def test_one_failed_read_stops_the_concurrent_reads_with_its_reason(server: EmulatorServer,
                                                                    admin: EmulatorAdmin) -> None:
    admin.fail(45009, path="tags/get", writes_only=False)  # a clear refusal: no retry
    admin.fail(-1, path="menu/get", writes_only=False)  # busy every time: would retry for 10 s
    patient = make_provider(server, retry_delays=(5.0, 5.0))
    started = time.monotonic()
    with pytest.raises(ProviderError) as failure:
        patient.read()
    elapsed = time.monotonic() - started
    assert failure.value.code == 45009
    assert str(failure.value).startswith(f"{ACCOUNT}: tags/get: WeChat error 45009: the daily API quota is reached")
    assert elapsed < 3, f"read took {elapsed:.1f}s: it waited out the busy menu/get's retries"
    admin.clear_faults()
    assert patient.read().tags == (Tag("星标组"),)  # the next read is not abandoned: the flag was reset
    patient.close()


def test_the_read_that_failed_first_is_reported_not_the_first_submitted(provider: WeChatProvider,
                                                                         admin: EmulatorAdmin) -> None:
    admin.fail(45009, path="tags/get", writes_only=False)
    admin.slow(400, path="tags/get")  # tags/get fails late ...
    admin.fail(48001, path="get_current_autoreply_info", writes_only=False)  # ... the replies read at once
    with pytest.raises(ProviderError) as failure:
        provider.read()
    assert failure.value.code == 48001
    assert str(failure.value).startswith(f"{ACCOUNT}: get_current_autoreply_info: WeChat error 48001")


def test_read_maps_templates_industry_tags_and_console_replies(provider: WeChatProvider,
                                                               admin: EmulatorAdmin) -> None:
    admin.seed(APPID, {"tags": fixture("tags_get.json")["tags"], "autoreply": fixture("autoreply_info.json"),
                       "templates": fixture("template_list.json")["template_list"],
                       "industry": {"industry_id1": "7", "industry_id2": "1"}})
    live = provider.read()
    assert [(t.name, t.id, t.count) for t in live.tags] == [
        ("每天一罐可乐星人", 1, 0), ("星标组", 2, 0), ("广东", 127, 5)]
    assert live.templates == (Template("领取奖金提醒"),)
    assert live.templates[0].template_id == "iPk5sOIt5X_flOVKn5GrTFpncEYTojx6ddbt8WYoV5s"
    assert live.industry == Industry("金融业/银行", "IT科技/互联网|电子商务")
    assert live.subscribe_reply == Reply("Thanks for your attention!")
    assert live.default_reply == Reply("Hello, this is autoreply!")
    news = fixture("autoreply_info.json")["keyword_autoreply_info"]["list"][0]["reply_list_info"]
    first, second = (tuple(NewsArticle(**{k: v for k, v in a.items() if k != "show_cover"})
                           for a in reply["news_info"]["list"]) for reply in news)
    assert live.keyword_replies == (
        KeywordRule("autoreply-news", "contains", ("news测试",), Reply("[图文] it's news", media="news", news=first),
                    more_replies=(Reply("[图文] MULTI_NEWS / MULTI_NEWS4", media="news", news=second),)),  # both
        KeywordRule("autoreply-voice", "contains", ("voice测试",), Reply("[语音]", media="voice"),
                    reply_mode="random_one"),
        KeywordRule("autoreply-text", "contains", ("text测试",), Reply("hello!text!"), reply_mode="random_one"),
        KeywordRule("autoreply-video", "exact", ("video测试",), Reply("[视频]", media="video"),
                    reply_mode="random_one"),
    )


def test_console_menu_is_read_through_selfmenu(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    admin.seed(APPID, {"selfmenu": fixture("selfmenu_info.json")})
    menu = provider.read().menu
    assert menu is not None
    group, text, image = menu.buttons
    assert [(b.name, b.type, b.url) for b in group.sub_buttons] == [
        ("view_url", "view", "http://www.qq.com"), ("news", "news", None), ("video", "video", None),
        ("voice", "voice", None)]
    assert (text.type, text.key, image.type, image.media_id) == ("text", None, "img", None)  # no temporary values


def test_api_set_menu_in_selfmenu_format_converts_one_to_one(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    admin.seed(APPID, {"selfmenu": fixture("selfmenu_info_miniprogram.json")})
    menu = provider.read().menu
    assert menu is not None
    assert menu.buttons[1] == Button("学科商城", type="miniprogram", url="https://host/-dAEuY",
                                     appid="wx720f9f1301595564", pagepath="pages/home/dashboard/index")
    assert [b.name for b in menu.buttons[0].sub_buttons] == ["成语答题王", "大师课程"]


def test_a_switched_off_console_menu_reads_as_no_menu(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    admin.seed(APPID, {"selfmenu": {**fixture("selfmenu_info.json"), "is_menu_open": 0}})
    assert provider.read().menu is None


def test_realworld_dump_with_two_same_rule_conditional_menus(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    admin.seed(APPID, {**fixture("leasewechat_menu_get_dump.json"),
                       "tags": [{"id": 104, "name": "已绑定客户", "count": 3}]})
    live = provider.read()
    assert live.menu is not None and [len(b.sub_buttons) for b in live.menu.buttons] == [5, 5, 5]
    rule = MatchRule(tag="已绑定客户", legacy=(("language", "zh_CN"),))
    assert [(m.name, m.match, m.menuid) for m in live.conditional_menus] == [
        ("tag-已绑定客户-language-zh_CN", rule, "447624961"),
        ("tag-已绑定客户-language-zh_CN-447624925", rule, "447624925")]
    newer = live.conditional_menus[0]
    # Keeping one of them plans the stale duplicate's removal, and applying it leaves exactly one.
    changes = converge(provider, replace(live, conditional_menus=(newer,)))
    assert [(c.action, c.key) for c in changes] == [("delete", "tag-已绑定客户-language-zh_CN-447624925")]
    assert [m["menuid"] for m in admin.state(APPID)["conditionalmenu"]] == [447624961]


def test_a_tag_id_without_a_tag_is_kept_not_guessed(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    admin.seed(APPID, {**fixture("menu_get_conditional.json"), "tags": []})  # group_id 2, and no tag 2
    [menu] = provider.read().conditional_menus
    assert menu.match == MatchRule(client_platform_type="2", legacy=(
        ("city", "广州"), ("country", "中国"), ("province", "广东"), ("sex", "1"), ("tag_id", "2")))


# --- writes ----------------------------------------------------------------------------------------------
def test_first_apply_creates_everything_and_then_nothing_is_left(provider: WeChatProvider,
                                                                 admin: EmulatorAdmin) -> None:
    changes = converge(provider, DESIRED)
    assert sorted((c.kind, c.action) for c in changes) == sorted(
        [("tag", "create")] * 2 + [("industry", "create"), ("template", "create"), ("menu", "create")]
        + [("conditional_menu", "create")] * 2)
    assert len(admin.writes()) == len(changes)
    assert plan(provider, DESIRED) == []
    # The conditional menu on the tag created in the same apply matches that tag's new id.
    rules = [m["matchrule"] for m in admin.state(APPID)["conditionalmenu"]]
    assert {"tag_id": str(live_tag_id(admin, "高净值客户"))} in rules


def test_no_change_apply_makes_no_write(server: EmulatorServer, provider: WeChatProvider,
                                       admin: EmulatorAdmin) -> None:
    converge(provider, DESIRED)
    admin.clear_calls()
    assert converge(make_provider(server), DESIRED) == []  # a new run: new provider, new token
    assert admin.writes() == []


def test_one_sub_button_change_is_one_menu_create(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    converge(provider, DESIRED)
    admin.clear_calls()
    menu = Menu((MENU.buttons[0], replace(MENU.buttons[1], sub_buttons=(view("网点预约", "new"),
                                                                        MENU.buttons[1].sub_buttons[1]))))
    converge(provider, replace(DESIRED, menu=menu))
    assert [c["path"] for c in admin.writes()] == ["/cgi-bin/menu/create"]


def test_updates_renames_replaces_and_deletes(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    converge(provider, DESIRED)
    old_id = live_tag_id(admin, "老年客户")
    changes = converge(provider, CHANGED)
    assert {(c.kind, c.action) for c in changes} == {
        ("conditional_menu", "delete"), ("tag", "delete"), ("tag", "update"), ("industry", "update"),
        ("template", "delete"), ("menu", "update"), ("conditional_menu", "replace")}
    assert plan(provider, CHANGED) == []
    assert live_tag_id(admin, "银发客户") == old_id  # renamed, not re-created: members stay
    assert admin.state(APPID)["templates"] == []


def test_menu_delete_removes_conditional_menus_too(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    converge(provider, DESIRED)
    converge(provider, replace(DESIRED, menu=None, conditional_menus=()))
    state = admin.state(APPID)
    assert state["menu"] is None and state["conditionalmenu"] == []


def test_deleting_a_tag_drops_it_from_conditional_rules(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    both = MatchRule(tag="高净值客户", client_platform_type="2")
    desired = replace(DESIRED, conditional_menus=(ConditionalMenu("hnw-android", both, (view("理财", "w"),)),))
    converge(provider, desired)
    [tag_delete] = [c for c in plan(provider, replace(desired, tags=(Tag("老年客户"),))) if c.kind == "tag"]
    provider.apply(tag_delete)
    [menu] = provider.read().conditional_menus
    assert menu.match == MatchRule(client_platform_type="2") and menu.name == "platform-android"


def test_console_replies_are_not_writable(provider: WeChatProvider) -> None:
    assert "reply" not in provider.writable_kinds and "keyword_reply" not in provider.writable_kinds
    change = Change("create", "reply", "subscribe", f"{ACCOUNT}/replies/subscribe", None, Reply("欢迎"))
    with pytest.raises(ProviderError, match="console"):
        provider.apply(change)


def test_a_template_without_library_id_is_refused_clearly(provider: WeChatProvider) -> None:
    change = Change("create", "template", "t", f"{ACCOUNT}/templates/t", None, Template("标题"))
    with pytest.raises(ProviderError, match="library_id"):
        provider.apply(change)


def test_classic_token_endpoint(server: EmulatorServer, admin: EmulatorAdmin) -> None:
    classic = make_provider(server, token_endpoint="classic")
    converge(classic, DESIRED)
    paths = [c["path"] for c in admin.calls()]
    assert "/cgi-bin/token" in paths and "/cgi-bin/stable_token" not in paths


# --- faults -----------------------------------------------------------------------------------------------
def test_token_expiry_mid_run_is_recovered(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    changes = plan(provider, DESIRED)
    provider.apply(changes[0])
    admin.expire_tokens()
    for change in changes[1:]:
        provider.apply(change)
    assert plan(provider, DESIRED) == []
    codes = [(c["path"], c["errcode"]) for c in admin.calls()]
    assert [p for p, _ in codes].count("/cgi-bin/stable_token") == 2  # the first, and one refresh
    assert sum(code == 42001 for _, code in codes) == 1


def test_busy_every_third_write_is_retried(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    admin.fail(-1, every=3)
    converge(provider, DESIRED)
    admin.clear_faults()
    assert plan(provider, DESIRED) == []
    busy = [c["path"] for c in admin.calls() if c["errcode"] == -1]
    assert len(busy) >= 2
    assert len(admin.state(APPID)["conditionalmenu"]) == 2 and len(admin.state(APPID)["templates"]) == 1


def test_busy_on_every_write_stops_cleanly_and_a_rerun_converges(provider: WeChatProvider,
                                                                  admin: EmulatorAdmin) -> None:
    changes = plan(provider, DESIRED)
    provider.apply(changes[0])
    admin.fail(-1)
    started = time.monotonic()
    with pytest.raises(ProviderError) as failure:
        provider.apply(changes[1])
    assert time.monotonic() - started < 2
    assert failure.value.code == -1
    assert "busy" in str(failure.value) and "gave up after 4 attempts" in str(failure.value)
    admin.clear_faults()
    assert live_tag_id(admin, changes[0].key)  # what landed stays
    converge(provider, DESIRED)
    assert plan(provider, DESIRED) == []


@pytest.mark.parametrize(("path", "calls"), [
    ("tags/create", 2), ("menu/addconditional", 2), ("template/api_add_template", 1)])
def test_a_dropped_answer_to_a_landed_write_is_not_repeated(provider: WeChatProvider, admin: EmulatorAdmin,
                                                            path: str, calls: int) -> None:
    admin.drop(path=path, after_processing=True)
    converge(provider, DESIRED)
    assert plan(provider, DESIRED) == []
    assert [c["path"] for c in admin.writes()].count(f"/cgi-bin/{path}") == calls  # one per change: no repeat
    state = admin.state(APPID)
    assert len(state["conditionalmenu"]) == 2 and len(state["templates"]) == 1
    assert [t["name"] for t in state["tags"]] == ["星标组", "高净值客户", "老年客户"]


def test_an_unclear_re_create_is_not_settled_by_the_copy_it_replaces(provider: WeChatProvider,
                                                                       admin: EmulatorAdmin) -> None:
    """A re-create to keep precedence adds a copy of a live menu: when the add's outcome is unclear, the old copy
    is no proof it landed (taken for one, the old menu was deleted and followers fell back to the default)."""
    converge(provider, DESIRED)
    old = next(m for m in provider.read().conditional_menus if m.match.tag == "高净值客户")
    re_create = Change("replace", "conditional_menu", "hnw", f"{ACCOUNT}/conditional_menus/hnw", old,
                       replace(old, menuid=None))
    admin.fail(-1, path="menu/addconditional")  # busy every time: the add never happens
    with pytest.raises(ProviderError, match="gave up"):
        provider.apply(re_create)
    admin.clear_faults()
    assert [m.menuid for m in provider.read().conditional_menus if m.match.tag == "高净值客户"] == [old.menuid]
    admin.drop(path="menu/addconditional")  # dropped before the platform saw it: read back, not landed, resent
    provider.apply(re_create)
    new = [m.menuid for m in provider.read().conditional_menus if m.match.tag == "高净值客户"]
    assert len(new) == 1 and new != [old.menuid]
    assert plan(provider, DESIRED) == []


@pytest.mark.parametrize("path", ["tags/create", "menu/create", "menu/get"])
def test_a_connection_dropped_before_the_call_is_retried(provider: WeChatProvider, admin: EmulatorAdmin,
                                                         path: str) -> None:
    admin.drop(path=path)
    converge(provider, DESIRED)
    assert plan(provider, DESIRED) == []
    assert [c for c in admin.calls() if c["dropped"]]


@pytest.mark.parametrize(("path", "calls"), [  # CHANGED makes `calls` of them; none is repeated
    ("menu/delconditional", 2), ("tags/delete", 1), ("template/del_private_template", 1), ("tags/update", 1),
    ("menu/create", 1), ("template/api_set_industry", 1)])
def test_a_dropped_answer_to_a_landed_write_is_read_back_not_resent(
        provider: WeChatProvider, admin: EmulatorAdmin, path: str, calls: int) -> None:
    converge(provider, DESIRED)
    admin.clear_calls()
    admin.drop(path=path, after_processing=True)
    converge(provider, CHANGED)  # the read-back finds the write landed: that is success, and nothing is resent
    assert plan(provider, CHANGED) == []
    assert [c["path"] for c in admin.writes()].count(f"/cgi-bin/{path}") == calls


def test_a_write_whose_read_back_fails_is_an_error_not_a_guess(provider: WeChatProvider,
                                                                admin: EmulatorAdmin) -> None:
    converge(provider, DESIRED)
    admin.drop(path="tags/delete", after_processing=True)
    admin.drop(path="tags/get")
    admin.drop(path="tags/get")
    admin.drop(path="tags/get")
    admin.drop(path="tags/get")
    with pytest.raises(ProviderError, match="tags/get"):  # the read-back cannot tell: an error, not a guess
        converge(provider, replace(DESIRED, tags=(Tag("高净值客户"),)))


@pytest.mark.parametrize(("path", "calls"), [  # writes of `path` that converging DESIRED makes: none repeated
    ("tags/create", 2), ("menu/addconditional", 2), ("template/api_add_template", 1), ("menu/create", 1),
    ("menu/get", 0)])
def test_an_answer_cut_off_mid_body_is_an_unclear_outcome(provider: WeChatProvider, admin: EmulatorAdmin,
                                                          path: str, calls: int) -> None:
    """requests raises ChunkedEncodingError (not a ConnectionError) when the connection drops mid-answer:
    the call had landed, so a non-repeatable write is read back, not sent again."""
    admin.drop(path=path, partial_body=True)
    converge(provider, DESIRED)
    assert plan(provider, DESIRED) == []
    assert [c["path"] for c in admin.calls() if c["dropped"]] == [f"/cgi-bin/{path}"]
    assert [c["path"] for c in admin.writes()].count(f"/cgi-bin/{path}") == calls
    state = admin.state(APPID)
    assert len(state["conditionalmenu"]) == 2 and len(state["templates"]) == 1
    assert [t["name"] for t in state["tags"]] == ["星标组", "高净值客户", "老年客户"]


def test_answers_cut_off_every_time_give_up_with_a_provider_error(provider: WeChatProvider,
                                                                  admin: EmulatorAdmin) -> None:
    provider.read()  # the token first
    for _ in range(4):
        admin.drop(path="tags/get", partial_body=True)
    with pytest.raises(ProviderError, match=r"tags/get: .*connection .*; gave up after 4 attempts"):
        provider.read()


def test_timeouts_give_up_after_bounded_attempts(server: EmulatorServer, admin: EmulatorAdmin) -> None:
    admin.set_latency(300)
    slow = make_provider(server, timeout_seconds=0.1)
    started = time.monotonic()
    with pytest.raises(ProviderError, match=r"no answer within 0.1s; gave up after 4 attempts"):
        slow.read()
    assert time.monotonic() - started < 2


def test_daily_quota_is_a_clear_error_without_retries(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    admin.fail(45009)
    with pytest.raises(ProviderError) as failure:
        converge(provider, DESIRED)
    assert failure.value.code == 45009
    assert str(failure.value).startswith(f"{ACCOUNT}: tags/create: WeChat error 45009: the daily API quota is reached")
    assert len(admin.writes()) == 1


def test_ip_allow_list_error_names_the_ip(server: EmulatorServer, admin: EmulatorAdmin) -> None:
    admin.register_app(APPID, SECRET, ip_whitelist=["10.9.8.7"])
    with pytest.raises(ProviderError) as failure:
        make_provider(server).read()
    assert failure.value.code == 40164
    assert "IP allow-list" in str(failure.value) and "saw this machine as 127.0.0.1" in str(failure.value)


def test_wrong_secret(server: EmulatorServer, admin: EmulatorAdmin) -> None:
    admin.register_app(APPID, "another-secret")
    with pytest.raises(ProviderError, match="40125: the AppSecret is invalid"):
        make_provider(server).read()


def test_api_base_must_be_https_unless_loopback(server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OASPEC_ALLOWED_API_BASES", "https://egress-proxy.bank.example/wechat,http://localhost:1")
    with pytest.raises(ValueError, match="must be an https:// URL"):  # the spec model refuses it first
        make_provider(server, api_base="http://api.weixin.qq.com")
    unchecked = WeChatSettings(APPID, "OASPEC_X", api_base="http://api.weixin.qq.com", timeout_seconds=2.0)
    with pytest.raises(ProviderError, match="must be an https:// URL"):  # and the provider checks again
        WeChatProvider(ACCOUNT, unchecked, SECRET)
    make_provider(server, api_base="https://egress-proxy.bank.example/wechat").close()
    make_provider(server, api_base="http://localhost:1").close()


@pytest.mark.parametrize(("api_base", "ok"), [
    ("https://api.weixin.qq.com", True), ("http://127.0.0.1:1", True), ("http://[::1]:1", True),
    ("http://localhost:1", True), ("http://api.weixin.qq.com", False), ("https://[oops", False),
    ("http://127.0.0.1.evil.example", False), ("api.weixin.qq.com", False),
])
def test_the_spec_and_the_provider_check_api_base_alike(api_base: str, ok: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """One rule, written once: a link urlsplit cannot parse is refused by both, never a ValueError crash."""
    monkeypatch.setenv("OASPEC_ALLOWED_API_BASES", api_base)
    config = WeChatProviderConfig.model_construct(type="wechat", app_id=APPID, app_secret="${X}", api_base=api_base,
                                                  token_endpoint="stable", timeout_seconds=2.0)
    if ok:
        WeChatProviderConfig.model_validate(config.model_dump())
        WeChatProvider(ACCOUNT, WeChatSettings(APPID, "OASPEC_X", api_base=api_base), SECRET).close()
        return
    with pytest.raises(ValueError, match=r"api_base .* must be an https:// URL \(plain http only on a loopback"):
        WeChatProviderConfig.model_validate(config.model_dump())
    with pytest.raises(ProviderError, match=r"^citybank: api_base .* must be an https:// URL \(plain http only"):
        WeChatProvider(ACCOUNT, WeChatSettings(APPID, "OASPEC_X", api_base=api_base), SECRET)


def test_live_conditional_menus_are_named_after_the_platform_names_in_limits(provider: WeChatProvider,
                                                                             admin: EmulatorAdmin) -> None:
    assert limits.CLIENT_PLATFORM_NAMES == {"1": "ios", "2": "android", "3": "others"}
    menu = {"button": [{"type": "click", "name": "账户", "key": "K"}], "menuid": 400000001}
    admin.seed(APPID, {"menu": menu, "conditionalmenu": [
        {**menu, "matchrule": {"client_platform_type": code}, "menuid": 400000002 + i}
        for i, code in enumerate(limits.CLIENT_PLATFORM_NAMES)]})
    names = [m.name for m in provider.read().conditional_menus]
    assert names == ["platform-ios", "platform-android", "platform-others"]


def test_the_secret_variable_is_named_by_the_config() -> None:
    config = WeChatProviderConfig(type="wechat", app_id=APPID, app_secret="${OASPEC_CITYBANK_SECRET}")
    assert config.secret_variable == "OASPEC_CITYBANK_SECRET"


def test_secret_and_tokens_never_appear_in_logs_or_errors(server: EmulatorServer, admin: EmulatorAdmin,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[str] = []
    tokens: list[str] = []
    for token_endpoint in ("classic", "stable"):
        admin.reset()
        admin.register_app(APPID, SECRET)
        admin.add_library_templates(LIBRARY)
        live = make_provider(server, token_endpoint=token_endpoint)
        live.read()
        admin.expire_tokens()
        admin.drop(path="tags/create")
        admin.fail(-1, every=2)
        converge(live, DESIRED)
        admin.fail(45009)
        with pytest.raises(ProviderError) as failure:
            converge(live, CHANGED)
        errors.append(str(failure.value))
        tokens += server.emulator.tokens  # every token issued in this round (the first one expired)
    assert len(tokens) >= 4
    assert "secret=***" in caplog.text  # the classic token request line was logged, redacted
    for text in [caplog.text, *errors]:
        assert SECRET not in text
        assert not [t for t in tokens if t in text]
