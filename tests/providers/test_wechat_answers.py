"""The WeChat provider and the platform's answers (issue 9 item 9, issue 10 items 6 and 12), against the emulator.

The industry table in the platform's words, writes settled by reading back (after a dropped connection
or a client timeout), templates told apart by id, group_id in rules, menu/trymatch, and reads that fail
stopping the plan instead of reading as "none".
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from oa_spec import limits
from oa_spec.config.model import WeChatProviderConfig
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from oa_spec.errors import ProviderError
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import Button, ConditionalMenu, Industry, MatchRule, Menu, Tag, Template
from oa_spec.providers.wechat import WeChatProvider
from testing.cli import Cli
from testing.emulator import EmulatorAccount
from tests.providers.test_wechat import (
    ACCOUNT,
    APPID,
    DESIRED,
    LIBRARY,
    SECRET,
    converge,
    make_provider,
    plan,
    settings_of,
)

FUND = "金融业/证券|基金|理财|信托"


EMULATOR_ACCOUNT = EmulatorAccount(APPID, SECRET, LIBRARY)  # the `admin` fixture's account


@pytest.fixture
def provider(server: EmulatorServer, admin: EmulatorAdmin) -> WeChatProvider:
    return make_provider(server)


def writes_to(admin: EmulatorAdmin, path: str) -> int:
    return [c["path"] for c in admin.writes()].count(f"/cgi-bin/{path}")


# --- the industry table -------------------------------------------------------------------------------------
def test_the_industry_table_is_the_platforms_own() -> None:
    assert limits.INDUSTRIES["8"] == FUND
    assert limits.INDUSTRIES["21"] == "政府与公共事业/政府|公共事业|非盈利机构"
    assert limits.INDUSTRIES["36"] == "商业服务/会计|审计"
    assert len(limits.INDUSTRIES) == 41 and len(set(limits.INDUSTRIES.values())) == 41
    # The documentation's short names still mean their codes, so a live answer in them is understood.
    assert limits.industry_code("金融业/基金理财信托") == "8" and limits.industry_code(FUND) == "8"
    assert not set(limits.INDUSTRY_ALIASES) & set(limits.INDUSTRY_IDS)


def test_a_bank_on_code_8_converges_and_sets_its_industry_once(provider: WeChatProvider,
                                                               admin: EmulatorAdmin) -> None:
    desired = replace(DESIRED, industry=Industry("金融业/银行", FUND))
    converge(provider, desired)
    assert admin.state(APPID)["industry"] == {"industry_id1": "7", "industry_id2": "8"}
    assert plan(provider, desired) == [], "the platform's answer reads back as the spec's name"
    converge(provider, desired)
    assert writes_to(admin, "template/api_set_industry") == 1


# --- writes settled by reading back -------------------------------------------------------------------------
def test_api_set_industry_is_read_back_after_a_dropped_connection_not_resent(provider: WeChatProvider,
                                                                             admin: EmulatorAdmin) -> None:
    """Once a month: a resend after a lost answer would spend (or be refused) the month's change."""
    admin.drop(path="template/api_set_industry", after_processing=True)
    converge(provider, DESIRED)
    assert writes_to(admin, "template/api_set_industry") == 1
    assert plan(provider, DESIRED) == []


def test_api_set_industry_that_did_not_land_is_sent_again_after_looking(provider: WeChatProvider,
                                                                        admin: EmulatorAdmin) -> None:
    provider.read()
    admin.clear_calls()
    admin.drop(path="template/api_set_industry")  # dropped before the platform did it
    provider.apply(Change("update", "industry", "", f"{ACCOUNT}/industry", None, DESIRED.industry))
    paths = [c["path"].removeprefix("/cgi-bin/") for c in admin.calls()]
    assert paths == ["template/api_set_industry", "template/get_industry", "template/api_set_industry"]
    assert admin.state(APPID)["industry"] == {"industry_id1": "7", "industry_id2": "1"}


@pytest.mark.parametrize("path", ["menu/create", "tags/create", "tags/update", "tags/delete",
                                  "menu/addconditional", "menu/delconditional", "template/api_add_template",
                                  "template/del_private_template", "template/api_set_industry"])
def test_a_write_that_landed_after_a_client_timeout_is_reported_as_landed(server: EmulatorServer,
                                                                          admin: EmulatorAdmin, path: str) -> None:
    """Every attempt times out, yet the first one landed: read back, report it landed, never resend."""
    quick = make_provider(server, timeout_seconds=0.3)
    converge(quick, replace(DESIRED, tags=(*DESIRED.tags, Tag("待删除")),
                            industry=Industry("金融业/银行", "金融业/保险")))
    changed = replace(DESIRED, menu=Menu((Button("余额", type="click", key="B2"),)),
                      tags=(DESIRED.tags[0], replace(DESIRED.tags[1], name="银发客户", renamed_from="老年客户"),
                            Tag("新客户")),
                      conditional_menus=(ConditionalMenu("android", MatchRule(client_platform_type="2"),
                                                         (Button("安卓", type="click", key="AND"),)),),
                      templates=(Template("还款提醒", name="repay", library_id="OPENTM000002"),),
                      industry=DESIRED.industry)
    admin.add_library_templates([{"template_id_short": "OPENTM000002", "title": "还款提醒"}])
    admin.clear_calls()
    for _ in range(4):
        admin.slow(ms=700, path=path)
    converge(quick, changed)  # no ProviderError: the write had landed
    assert plan(quick, changed) == []
    expected = 2 if path == "menu/delconditional" else 1  # the plan deletes both conditional menus
    assert writes_to(admin, path) == expected, "read back after the timeout, not sent again"


def test_an_unclear_template_add_is_decided_by_template_id_not_title(provider: WeChatProvider,
                                                                     admin: EmulatorAdmin) -> None:
    """The account already holds a template with this title (titles are not unique): that one is not
    taken for the one being added, whose add was dropped before it landed."""
    converge(provider, DESIRED)
    held = {t["template_id"] for t in admin.state(APPID)["templates"]}
    admin.drop(path="template/api_add_template")
    second = Template("账户余额变动提醒", name="second", library_id="OPENTM000001")
    provider.apply(Change("create", "template", "second", f"{ACCOUNT}/templates/second", None, second))
    templates = admin.state(APPID)["templates"]
    assert [t["title"] for t in templates] == ["账户余额变动提醒", "账户余额变动提醒"]
    assert len({t["template_id"] for t in templates} - held) == 1
    assert writes_to(admin, "template/api_add_template") == 3  # DESIRED's, the dropped one, the resend


def test_an_add_whose_answer_was_lost_is_found_by_its_new_id(provider: WeChatProvider,
                                                             admin: EmulatorAdmin) -> None:
    converge(provider, DESIRED)
    admin.drop(path="template/api_add_template", after_processing=True)
    second = Template("账户余额变动提醒", name="second", library_id="OPENTM000001")
    provider.apply(Change("create", "template", "second", f"{ACCOUNT}/templates/second", None, second))
    assert len(admin.state(APPID)["templates"]) == 2, "landed once, not added again"
    assert writes_to(admin, "template/api_add_template") == 2


# --- group_id and menu/trymatch -----------------------------------------------------------------------------
@pytest.mark.parametrize("echo", ["group_id", "both"])
def test_rules_answered_with_group_id_round_trip(provider: WeChatProvider, admin: EmulatorAdmin, echo: str) -> None:
    admin.set_matchrule_echo(echo)
    converge(provider, DESIRED)
    assert plan(provider, DESIRED) == []
    assert any(m.match == MatchRule(tag="高净值客户") for m in provider.read().conditional_menus)
    # An addconditional whose answer is lost is found in a menu/get that names the tag group_id.
    admin.drop(path="menu/addconditional", partial_body=True)
    changed = replace(DESIRED, conditional_menus=(
        *DESIRED.conditional_menus, ConditionalMenu("android", MatchRule(client_platform_type="2"),
                                                    (Button("安卓", type="click", key="AND"),))))
    converge(provider, changed)
    assert plan(provider, changed) == []
    assert len(admin.state(APPID)["conditionalmenu"]) == 3


def test_try_match_shows_the_menu_a_follower_sees(provider: WeChatProvider, admin: EmulatorAdmin) -> None:
    converge(provider, DESIRED)
    hnw = next(t for t in admin.state(APPID)["tags"] if t["name"] == "高净值客户")["id"]
    admin.seed(APPID, {**admin.state(APPID), "users": [
        {"openid": "o-hnw", "tagid_list": [hnw], "client_platform_type": "2"},
        {"openid": "o-plain", "tagid_list": [], "client_platform_type": "2"}]})
    by_name = {m.name: m for m in DESIRED.conditional_menus}
    assert provider.try_match("o-hnw") == Menu(by_name["hnw"].buttons)
    assert provider.try_match("o-plain") == DESIRED.menu
    with pytest.raises(ProviderError, match="40003: no follower with that OpenID"):
        provider.try_match("o-nobody")
    provider.apply(Change("delete", "menu", "", f"{ACCOUNT}/menu", DESIRED.menu, None))
    assert provider.try_match("o-plain") is None


# --- partial reads are errors (issue 10, item 6) ------------------------------------------------------------
@pytest.mark.parametrize("path", ["template/get_all_private_template", "template/get_industry"])
def test_a_template_read_refused_with_48001_is_an_error_not_none(provider: WeChatProvider, admin: EmulatorAdmin,
                                                                 path: str) -> None:
    converge(provider, DESIRED)
    admin.fail(48001, path=path, writes_only=False)
    with pytest.raises(ProviderError, match=f"{path}: WeChat error 48001"):
        provider.read()


def test_an_account_the_spec_says_has_no_templates_is_not_asked_for_them(server: EmulatorServer,
                                                                         admin: EmulatorAdmin) -> None:
    config = WeChatProviderConfig(type="wechat", app_id=APPID, app_secret="${OASPEC_TEST_SECRET}",
                                  api_base=server.base_url, timeout_seconds=2.0)
    subscription = WeChatProvider(ACCOUNT, settings_of(config, templates_readable=False), SECRET)
    admin.fail(48001, path="template/get_all_private_template", writes_only=False)
    admin.fail(48001, path="template/get_industry", writes_only=False)
    state = subscription.read()
    assert state.templates == () and state.industry is None
    assert not [c for c in admin.calls() if c["path"].startswith("/cgi-bin/template/")]


SPEC = """\
version: 1
bank: 测试银行
accounts:
  - id: demo
    name: 测试银行
    type: {kind}
    provider: {{type: wechat, app_id: {appid}, app_secret: "${{OASPEC_ANSWERS_SECRET}}", api_base: "{base}"}}
    menu: [{{name: 余额查询, type: click, key: BALANCE}}]
{templates}"""
TEMPLATES = """\
    industry: {primary: 金融业/银行, secondary: 金融业/证券|基金|理财|信托}
    templates:
      - {id: balance-alert, library_id: OPENTM000001, title: 账户余额变动提醒}
"""


def test_plan_stops_for_an_account_whose_template_list_cannot_be_read(cli: Cli, tmp_path: Path,
                                                                      server: EmulatorServer,
                                                                      admin: EmulatorAdmin) -> None:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC.format(kind="service", appid=APPID, base=server.base_url, templates=TEMPLATES),
                    encoding="utf-8")
    env = {"OASPEC_ANSWERS_SECRET": SECRET}
    assert cli("apply", "-f", str(spec), "--auto-approve", env=env).returncode == 0
    admin.fail(48001, path="template/get_all_private_template", writes_only=False)
    admin.clear_calls()
    for command in (["plan", "--detailed-exitcode"], ["apply", "--auto-approve"]):
        result = cli(*command, "-f", str(spec), env=env)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "template/get_all_private_template: WeChat error 48001" in result.stderr
        assert "账户余额变动提醒" not in result.stdout, "no plan to add a template the account holds"
    assert admin.writes() == []


def test_a_subscription_account_plans_without_template_reads(cli: Cli, tmp_path: Path, server: EmulatorServer,
                                                             admin: EmulatorAdmin) -> None:
    spec = tmp_path / "oaspec.yaml"
    spec.write_text(SPEC.format(kind="subscription", appid=APPID, base=server.base_url, templates=""),
                    encoding="utf-8")
    admin.fail(48001, path="template/get_all_private_template", writes_only=False)
    admin.fail(48001, path="template/get_industry", writes_only=False)
    result = cli("plan", "-f", str(spec), env={"OASPEC_ANSWERS_SECRET": SECRET})
    assert result.returncode == 0, result.stderr
    assert not [c for c in admin.calls() if c["path"].startswith("/cgi-bin/template/")]


@pytest.mark.parametrize(("seed", "call"), [
    ({"autoreply": {"is_autoreply_open": 1}}, "get_current_autoreply_info"),  # no is_add_friend_reply_open
    ({"selfmenu": {"is_menu_open": 1}}, "get_current_selfmenu_info"),  # an open menu without its buttons
    ({"selfmenu": {"selfmenu_info": {"button": []}}}, "get_current_selfmenu_info"),  # open or not: unsaid
])
def test_an_answer_in_an_unknown_shape_stops_the_read(provider: WeChatProvider, admin: EmulatorAdmin,
                                                      seed: dict[str, object], call: str) -> None:
    admin.seed(APPID, seed)
    with pytest.raises(ProviderError, match=f"{call}: the platform answered in an unexpected shape"):
        provider.read()


def test_apply_reports_a_write_that_landed_after_a_timeout_as_applied(cli: Cli, tmp_path: Path,
                                                                      server: EmulatorServer,
                                                                      admin: EmulatorAdmin) -> None:
    spec = tmp_path / "oaspec.yaml"
    text = SPEC.format(kind="service", appid=APPID, base=server.base_url, templates="")
    spec.write_text(text.replace('api_base: "', 'timeout_seconds: 0.5, api_base: "'), encoding="utf-8")
    for _ in range(4):  # every attempt would time out; the first one landed
        admin.slow(ms=1200, path="menu/create")
    result = cli("apply", "-f", str(spec), "--auto-approve", env={"OASPEC_ANSWERS_SECRET": SECRET})
    assert result.returncode == 0, result.stderr
    assert "demo: applied 1 change(s) (revision 1)" in result.stdout
    assert writes_to(admin, "menu/create") == 1
    assert cli("plan", "-f", str(spec), "--detailed-exitcode", env={"OASPEC_ANSWERS_SECRET": SECRET}).returncode == 0
