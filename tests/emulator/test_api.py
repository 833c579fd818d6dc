"""The emulator on the wire: raw HTTP on loopback, checked against the platform's documented behaviour."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any

import pytest
import requests

from oa_spec import limits
from oa_spec.emulator import HOST, AdminError, EmulatorAdmin, EmulatorServer, run_emulator
from testing.emulator import EmulatorAccount

FIXTURES = Path(__file__).parent.parent / "fixtures"
APPID = "wx0123456789abcdef"
SECRET = "emulator-test-secret"
TIMEOUT = 5


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class Wire:
    """Raw calls with a token, the way any client would make them."""

    def __init__(self, server: EmulatorServer, appid: str = APPID, secret: str = SECRET) -> None:
        self.base = f"{server.base_url}/cgi-bin/"
        self.http = requests.Session()
        self.appid, self.secret = appid, secret
        self.token = ""

    def login(self) -> Wire:
        self.token = self.stable_token()["access_token"]
        return self

    def stable_token(self, **extra: object) -> Any:
        body = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret, **extra}
        return self.http.post(self.base + "stable_token", data=json.dumps(body), timeout=TIMEOUT).json()

    def get(self, path: str, token: str | None = None) -> Any:
        return self.http.get(self.base + path, params={"access_token": token or self.token}, timeout=TIMEOUT).json()

    def post(self, path: str, body: Any, token: str | None = None) -> Any:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self.http.post(self.base + path, params={"access_token": token or self.token}, data=data,
                              timeout=TIMEOUT).json()


EMULATOR_ACCOUNT = EmulatorAccount(APPID, SECRET)  # the `admin` fixture's account


@pytest.fixture
def wire(server: EmulatorServer, admin: EmulatorAdmin) -> Wire:
    return Wire(server).login()


MENU = {"button": [{"type": "click", "name": "余额查询", "key": "BALANCE"},
                   {"name": "服务", "sub_button": [{"type": "view", "name": "网点", "url": "https://m.bank.example/a"}]}]}


def with_menu(wire: Wire) -> Wire:
    assert wire.post("menu/create", MENU)["errcode"] == 0
    return wire


def add_tag(wire: Wire, name: str) -> int:
    return int(wire.post("tags/create", {"tag": {"name": name}})["tag"]["id"])


# --- serving ----------------------------------------------------------------------------------------
def test_binds_loopback_only(server: EmulatorServer) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")


def test_unknown_api_is_404(wire: Wire) -> None:
    response = wire.http.get(wire.base + "no/such", timeout=TIMEOUT)
    assert response.status_code == 404


# --- tokens -------------------------------------------------------------------------------------------
def test_classic_token(server: EmulatorServer, admin: EmulatorAdmin) -> None:
    params = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}
    answer = requests.get(f"{server.base_url}/cgi-bin/token", params=params, timeout=TIMEOUT).json()
    assert answer["expires_in"] == 7200 and len(answer["access_token"]) >= 100
    wrong = requests.get(f"{server.base_url}/cgi-bin/token", params={**params, "secret": "nope"}, timeout=TIMEOUT)
    assert wrong.json()["errcode"] == 40125
    unknown = requests.get(f"{server.base_url}/cgi-bin/token", params={**params, "appid": "wx" + "9" * 16},
                           timeout=TIMEOUT)
    assert unknown.json()["errcode"] == 40013


def test_stable_token_normal_mode_keeps_the_token_and_force_refresh_retires_it(wire: Wire) -> None:
    first = wire.stable_token()["access_token"]
    assert wire.stable_token()["access_token"] == first
    refreshed = wire.stable_token(force_refresh=True)["access_token"]
    assert refreshed != first
    assert wire.get("tags/get", token=first)["errcode"] == 42001
    assert "tags" in wire.get("tags/get", token=refreshed)


def test_stable_token_is_post_only(wire: Wire) -> None:
    assert wire.http.get(wire.base + "stable_token", timeout=TIMEOUT).json()["errcode"] == 43002


@pytest.mark.parametrize(("token", "errcode"), [("", 41001), ("short!", 40014), ("A" * 64, 40001)])
def test_every_call_checks_the_token(wire: Wire, token: str, errcode: int) -> None:
    response = wire.http.get(wire.base + "menu/get", params={"access_token": token}, timeout=TIMEOUT)
    assert response.json()["errcode"] == errcode


def test_expired_tokens_answer_42001_and_a_new_one_works(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.expire_tokens()
    assert wire.get("tags/get")["errcode"] == 42001
    assert "tags" in wire.login().get("tags/get")


def test_ip_allow_list_answers_40164_with_the_ip(server: EmulatorServer, admin: EmulatorAdmin) -> None:
    admin.register_app(APPID, SECRET, ip_whitelist=["10.1.2.3"])
    answer = Wire(server).stable_token()
    assert answer["errcode"] == 40164
    assert "invalid ip 127.0.0.1" in answer["errmsg"]


# --- encoding -------------------------------------------------------------------------------------------
def test_unicode_escapes_are_refused_with_40033(wire: Wire) -> None:
    escaped = json.dumps(MENU).encode()  # ensure_ascii: 余 becomes \\u4f59
    assert wire.post("menu/create", escaped)["errcode"] == 40033
    assert wire.post("menu/create", MENU)["errcode"] == 0


def test_ascii_escapes_and_escaped_backslashes_are_accepted(wire: Wire) -> None:
    body = b'{"tag": {"name": "a\\u0041\\\\u4f59"}}'  # \u0041 is ASCII; \\u4f59 is a backslash and text
    assert wire.post("tags/create", body)["tag"]["name"] == "aA\\u4f59"


def test_malformed_json_is_47001(wire: Wire) -> None:
    assert wire.post("tags/create", b"{not json")["errcode"] == 47001


# --- menus ---------------------------------------------------------------------------------------------
def test_menu_get_without_a_menu_is_46003(wire: Wire) -> None:
    assert wire.get("menu/get")["errcode"] == 46003


def test_menu_get_shape_has_empty_sub_button_on_leaves_and_no_menuid(wire: Wire) -> None:
    answer = with_menu(wire).get("menu/get")
    assert "conditionalmenu" not in answer and "menuid" not in answer["menu"]
    top = answer["menu"]["button"]
    assert top[0] == {"type": "click", "name": "余额查询", "key": "BALANCE", "sub_button": []}
    assert top[1]["sub_button"][0]["sub_button"] == []


def test_menu_create_is_validated_with_limits(wire: Wire) -> None:
    assert wire.post("menu/create", fixture("menu_create_all_types.json"))["errcode"] == 40016
    long_name: list[dict[str, object]] = [{"type": "click", "name": "很长的一级菜单名", "key": "K"}]
    assert wire.post("menu/create", {"button": long_name})["errcode"] == limits.menu_error_code(long_name) == 40018
    no_key = {"button": [{"type": "click", "name": "无键"}]}
    assert wire.post("menu/create", no_key)["errcode"] == 65308


def test_conditional_menu_lifecycle(wire: Wire) -> None:
    tag_id = add_tag(with_menu(wire), "高净值客户")
    added = wire.post("menu/addconditional", {"button": MENU["button"], "matchrule": {"tag_id": tag_id}})
    assert isinstance(added["menuid"], str)
    answer = wire.get("menu/get")
    assert isinstance(answer["menu"]["menuid"], int)
    [conditional] = answer["conditionalmenu"]
    assert conditional["matchrule"] == {"tag_id": str(tag_id)}
    assert conditional["menuid"] == int(added["menuid"])
    assert wire.post("menu/delconditional", {"menuid": added["menuid"]})["errcode"] == 0
    assert wire.post("menu/delconditional", {"menuid": added["menuid"]})["errcode"] == 65301
    assert "conditionalmenu" not in wire.get("menu/get")


@pytest.mark.parametrize(("rule", "errcode"), [
    ({}, 65304),
    ({"sex": "1"}, 65320),
    ({"client_platform_type": "1", "language": "zh_CN"}, 65320),
    ({"tag_id": "999"}, 45159),
])
def test_addconditional_rule_checks(wire: Wire, rule: dict[str, str], errcode: int) -> None:
    answer = with_menu(wire).post("menu/addconditional", {"button": MENU["button"], "matchrule": rule})
    assert answer["errcode"] == errcode


def test_official_addconditional_example_is_refused_for_its_language_rule(wire: Wire) -> None:
    assert with_menu(wire).post("menu/addconditional", fixture("menu_addconditional_request.json"))["errcode"] == 65320


def test_addconditional_needs_a_default_menu(wire: Wire) -> None:
    answer = wire.post("menu/addconditional", {"button": MENU["button"], "matchrule": {"client_platform_type": "1"}})
    assert answer["errcode"] == 65303


def test_addconditional_count_limit(wire: Wire) -> None:
    with_menu(wire)
    body = {"button": [{"type": "click", "name": "x", "key": "K"}], "matchrule": {"client_platform_type": "1"}}
    for _ in range(limits.MAX_CONDITIONAL_MENUS):
        assert "menuid" in wire.post("menu/addconditional", body)
    assert wire.post("menu/addconditional", body)["errcode"] == 65305


def test_conditional_menus_link_at_most_three_domains(wire: Wire) -> None:
    with_menu(wire)
    for n in range(limits.MAX_CONDITIONAL_LINK_DOMAINS + 1):
        body = {"button": [{"type": "view", "name": "v", "url": f"https://d{n}.example/"}],
                "matchrule": {"client_platform_type": "1"}}
        answer = wire.post("menu/addconditional", body)
    assert answer["errcode"] == 65316


def test_a_link_that_cannot_be_parsed_is_refused_not_a_crash(wire: Wire, server: EmulatorServer) -> None:
    body = {"button": [{"type": "view", "name": "v", "url": "https://[oops"}],
            "matchrule": {"client_platform_type": "1"}}
    assert with_menu(wire).post("menu/addconditional", body)["errcode"] == 65317
    connection = http.client.HTTPConnection(HOST, server.port, timeout=TIMEOUT)  # sends the path unquoted
    connection.putrequest("GET", "http://[oops", skip_host=True)  # an absolute-form target with a broken host
    connection.putheader("Host", HOST)
    connection.endheaders()
    answer = connection.getresponse()
    assert answer.status == 400 and json.loads(answer.read()) == {"error": "malformed request path"}
    connection.close()


def test_menu_delete_removes_conditional_menus(wire: Wire) -> None:
    with_menu(wire).post("menu/addconditional", {"button": MENU["button"], "matchrule": {"client_platform_type": "2"}})
    assert wire.get("menu/delete")["errcode"] == 0
    assert wire.get("menu/get")["errcode"] == 46003


def test_selfmenu_shows_the_api_menu_in_its_own_shape(wire: Wire) -> None:
    answer = with_menu(wire).get("get_current_selfmenu_info")
    assert answer["is_menu_open"] == 1
    top = answer["selfmenu_info"]["button"]
    assert "sub_button" not in top[0]
    assert top[1]["sub_button"] == {"list": [{"type": "view", "name": "网点", "url": "https://m.bank.example/a"}]}


def test_console_menu_shows_in_selfmenu_only_until_the_api_replaces_it(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.seed(APPID, {"selfmenu": fixture("selfmenu_info.json")})
    assert wire.get("menu/get")["errcode"] == 46003
    assert wire.get("get_current_selfmenu_info") == fixture("selfmenu_info.json")
    with_menu(wire)
    assert wire.get("get_current_selfmenu_info")["selfmenu_info"]["button"][0]["name"] == "余额查询"


def test_seeded_menu_get_dump_reads_back_verbatim(wire: Wire, admin: EmulatorAdmin) -> None:
    dump = fixture("leasewechat_menu_get_dump.json")
    admin.seed(APPID, dump)
    assert wire.get("menu/get") == dump


# --- tags -----------------------------------------------------------------------------------------------
def test_tags_ids_start_above_reserved_and_count_followers(wire: Wire, admin: EmulatorAdmin) -> None:
    assert add_tag(wire, "银发客户") == limits.FIRST_USER_TAG_ID
    assert add_tag(wire, "年轻客群") == limits.FIRST_USER_TAG_ID + 1
    admin.seed(APPID, {"tags": fixture("tags_get.json")["tags"]})
    assert wire.get("tags/get") == fixture("tags_get.json")
    assert add_tag(wire, "新标签") == 128  # above the highest seeded id


@pytest.mark.parametrize(("body", "errcode"), [
    ({"tag": {"name": "星标组"}}, 45157),
    ({"tag": {"name": "很" * 11}}, 45158),
    ({"tag": {}}, 47001),
])
def test_tag_create_errors(wire: Wire, body: dict[str, Any], errcode: int) -> None:
    assert wire.post("tags/create", body)["errcode"] == errcode


def test_tag_limit(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.seed(APPID, {"tags": [{"id": 100 + n, "name": f"t{n}"} for n in range(limits.MAX_TAGS)]})
    assert wire.post("tags/create", {"tag": {"name": "one more"}})["errcode"] == 45056


def test_reserved_tags_cannot_change(wire: Wire) -> None:
    assert wire.post("tags/update", {"tag": {"id": 2, "name": "x"}})["errcode"] == 45058
    assert wire.post("tags/delete", {"tag": {"id": 2}})["errcode"] == 45058


def test_rename_keeps_id_and_count(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.seed(APPID, {"tags": [{"id": 130, "name": "老年客户", "count": 42}]})
    assert wire.post("tags/update", {"tag": {"id": 130, "name": "银发客户"}})["errcode"] == 0
    assert wire.get("tags/get")["tags"] == [{"id": 130, "name": "银发客户", "count": 42}]
    assert wire.post("tags/update", {"tag": {"id": 130, "name": "银发客户"}})["errcode"] == 0  # idempotent


def test_deleting_a_tag_removes_it_from_conditional_rules(wire: Wire) -> None:
    tag_id = add_tag(with_menu(wire), "高净值客户")
    rule = {"tag_id": str(tag_id), "client_platform_type": "1"}
    wire.post("menu/addconditional", {"button": MENU["button"], "matchrule": rule})
    assert wire.post("tags/delete", {"tag": {"id": tag_id}})["errcode"] == 0
    assert wire.get("menu/get")["conditionalmenu"][0]["matchrule"] == {"client_platform_type": "1"}
    assert wire.post("tags/delete", {"tag": {"id": tag_id}})["errcode"] == 45159


# --- templates and industry -----------------------------------------------------------------------------
LIBRARY = [{"template_id_short": "OPENTM000001", "title": "账户余额变动提醒", "content": "{{first.DATA}}"}]


def test_template_add_list_delete(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.add_library_templates(LIBRARY)
    added = wire.post("template/api_add_template", {"template_id_short": "OPENTM000001"})
    assert added["errcode"] == 0 and len(added["template_id"]) == 43
    [listed] = wire.get("template/get_all_private_template")["template_list"]
    assert listed["template_id"] == added["template_id"] and listed["title"] == "账户余额变动提醒"
    assert wire.post("template/del_private_template", {"template_id": added["template_id"]})["errcode"] == 0
    assert wire.post("template/del_private_template", {"template_id": added["template_id"]})["errcode"] == 40037


def test_template_errors(wire: Wire, admin: EmulatorAdmin) -> None:
    assert wire.post("template/api_add_template", {"template_id_short": "OPENTM999"})["errcode"] == 40037
    admin.add_library_templates(LIBRARY)
    admin.seed(APPID, {"templates": [{"template_id": f"t{n}", "title": f"t{n}"} for n in range(limits.MAX_TEMPLATES)]})
    assert wire.post("template/api_add_template", {"template_id_short": "OPENTM000001"})["errcode"] == 45026


def test_template_of_another_industry_conflicts(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.add_library_templates([{**fixture("template_list.json")["template_list"][0], "template_id_short": "TM1"}])
    wire.post("template/api_set_industry", {"industry_id1": "7", "industry_id2": "2"})
    assert wire.post("template/api_add_template", {"template_id_short": "TM1"})["errcode"] == 45027
    wire.post("template/api_set_industry", {"industry_id1": "7", "industry_id2": "1"})
    assert wire.post("template/api_add_template", {"template_id_short": "TM1"})["errcode"] == 0


def test_industry_set_and_get(wire: Wire) -> None:
    assert wire.get("template/get_industry") == {}
    assert wire.post("template/api_set_industry", {"industry_id1": "7", "industry_id2": "1"})["errcode"] == 0
    assert wire.get("template/get_industry") == {
        "primary_industry": {"first_class": "金融业", "second_class": "银行"},
        "secondary_industry": {"first_class": "IT科技", "second_class": "互联网|电子商务"},
    }
    assert wire.post("template/api_set_industry", {"industry_id1": "99", "industry_id2": "1"})["errcode"] == 47001


def test_autoreply_is_the_seeded_console_rules(wire: Wire, admin: EmulatorAdmin) -> None:
    assert wire.get("get_current_autoreply_info") == {"is_add_friend_reply_open": 0, "is_autoreply_open": 0}
    admin.seed(APPID, {"autoreply": fixture("autoreply_info.json")})
    assert wire.get("get_current_autoreply_info") == fixture("autoreply_info.json")


# --- admin: call log and faults -------------------------------------------------------------------------
def test_call_log_records_writes_without_credentials(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.clear_calls()
    with_menu(wire).get("menu/get")
    calls = admin.calls(APPID)
    assert [(c["method"], c["path"], c["errcode"], c["write"]) for c in calls] == [
        ("POST", "/cgi-bin/menu/create", 0, True), ("GET", "/cgi-bin/menu/get", 0, False)]
    assert wire.token not in json.dumps(calls)


def test_errcode_on_every_third_write(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.fail(-1, every=3)
    answers = [wire.post("tags/create", {"tag": {"name": f"t{n}"}}) for n in range(6)]
    assert [a.get("errcode", 0) for a in answers] == [0, 0, -1, 0, 0, -1]
    assert "tags" in wire.get("tags/get")  # reads are not counted


def test_errcode_from_now_on_for_one_path(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.fail(45009, path="/cgi-bin/menu/create")
    assert wire.post("menu/create", MENU)["errcode"] == 45009
    assert wire.post("tags/create", {"tag": {"name": "x"}})["tag"]["name"] == "x"
    admin.clear_faults()
    assert wire.post("menu/create", MENU)["errcode"] == 0


def test_drop_before_processing(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.drop(nth=2, path="tags/create")
    add_tag(wire, "a")
    with pytest.raises(requests.ConnectionError):
        wire.post("tags/create", {"tag": {"name": "b"}})
    assert [t["name"] for t in wire.get("tags/get")["tags"]] == ["星标组", "a"]
    assert admin.calls()[-2]["dropped"] is True


def test_drop_after_processing_lands_the_write(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.drop(path="tags/create", after_processing=True)
    with pytest.raises(requests.ConnectionError):
        wire.post("tags/create", {"tag": {"name": "landed"}})
    assert "landed" in [t["name"] for t in wire.get("tags/get")["tags"]]


def test_drop_mid_answer_lands_the_write_and_cuts_the_body(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.drop(path="tags/create", partial_body=True)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):  # the answer ends before Content-Length
        wire.post("tags/create", {"tag": {"name": "landed"}})
    assert "landed" in [t["name"] for t in wire.get("tags/get")["tags"]]
    assert [c["dropped"] for c in admin.calls()[-2:]] == [True, False]


def test_latency(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.set_latency(300)
    with pytest.raises(requests.Timeout):
        wire.http.get(wire.base + "tags/get", params={"access_token": wire.token}, timeout=0.1)
    admin.clear_faults()
    assert admin.request("GET", "faults")["latency_ms"] == 0


def test_admin_rejects_bad_requests(admin: EmulatorAdmin) -> None:
    with pytest.raises(AdminError, match="wx"):
        admin.register_app("not-an-appid", "s")
    with pytest.raises(AdminError, match="unknown app"):
        admin.seed("wx" + "1" * 16, {})
    with pytest.raises(AdminError, match="unknown fault fields"):
        admin.request("POST", "faults/drop", {"nth": 1, "bogus": True})


@pytest.mark.parametrize(("state", "error"), [
    ({"menu": {"button": "余额查询"}}, "errcode 47001"),
    ({"conditionalmenu": [{"button": [["not", "a", "button"]], "menuid": 1}]}, "errcode 47001"),
    ({"menu": "余额查询"}, "has no attribute"),
    ({"menu": {"button": [{"name": "账户", "type": "click", "key": "K"}]}, "tags": 3}, "not iterable"),
])
def test_a_malformed_seed_is_a_400_and_changes_nothing(admin: EmulatorAdmin, state: dict[str, Any],
                                                        error: str) -> None:
    """It dropped the connection and printed a traceback (ApiError, AttributeError), and could half-apply."""
    admin.seed(APPID, {"tags": [{"id": 100, "name": "高净值客户", "count": 3}]})
    before = admin.state(APPID)
    with pytest.raises(AdminError, match=error):
        admin.seed(APPID, state)
    assert admin.state(APPID) == before


def test_state_file_persists_across_restarts(tmp_path: Path) -> None:
    state_file = tmp_path / "emulator.json"
    with run_emulator(state_file=state_file) as first:
        first.admin.register_app(APPID, SECRET)
        with_menu(Wire(first).login())
    with run_emulator(state_file=state_file) as second:
        wire = Wire(second).login()  # old tokens died with the process; the secret did not
        assert wire.get("menu/get")["menu"]["button"][0]["name"] == "余额查询"
        assert second.admin.state(APPID)["menu"]["button"] == MENU["button"]


# --- the platform's answers (issue 9, item 9) -------------------------------------------------------------
def test_industry_answers_in_the_platforms_own_words(wire: Wire) -> None:
    """Code 8 is answered 证券|基金|理财|信托 (not the documentation's short 基金理财信托); 21 and 36 likewise."""
    assert wire.post("template/api_set_industry", {"industry_id1": "7", "industry_id2": "8"})["errcode"] == 0
    assert wire.get("template/get_industry")["secondary_industry"] == {"first_class": "金融业",
                                                                       "second_class": "证券|基金|理财|信托"}
    wire.post("template/api_set_industry", {"industry_id1": "21", "industry_id2": "36"})
    assert wire.get("template/get_industry") == {
        "primary_industry": {"first_class": "政府与公共事业", "second_class": "政府|公共事业|非盈利机构"},
        "secondary_industry": {"first_class": "商业服务", "second_class": "会计|审计"},
    }


def test_a_library_template_of_industry_8_fits_an_account_on_code_8(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.add_library_templates([{"template_id_short": "OPENTM405980080", "title": "账户收益通知",
                                  "primary_industry": "金融业", "deputy_industry": "证券|基金|理财|信托"}])
    wire.post("template/api_set_industry", {"industry_id1": "7", "industry_id2": "8"})
    assert wire.post("template/api_add_template", {"template_id_short": "OPENTM405980080"})["errcode"] == 0


@pytest.mark.parametrize(("echo", "expected"), [
    ("tag_id", {"tag_id": "@"}), ("group_id", {"group_id": "#"}), ("both", {"tag_id": "@", "group_id": "#"})])
def test_menu_get_echoes_the_rules_tag_as_configured(wire: Wire, admin: EmulatorAdmin, echo: str,
                                                     expected: dict[str, str]) -> None:
    """Real accounts answer the old group_id (a number) in some menu/get answers, or both."""
    tag = add_tag(with_menu(wire), "高净值客户")
    wire.post("menu/addconditional", {"button": MENU["button"], "matchrule": {"tag_id": str(tag)}})
    admin.set_matchrule_echo(echo)
    rule = wire.get("menu/get")["conditionalmenu"][0]["matchrule"]
    assert rule == {k: (str(tag) if v == "@" else tag) for k, v in expected.items()}


def test_reset_restores_the_matchrule_echo(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.set_matchrule_echo("group_id")
    admin.reset()
    assert admin.options()["matchrule_echo"] == "tag_id"


def test_matchrule_echo_must_be_known(admin: EmulatorAdmin) -> None:
    with pytest.raises(AdminError, match="matchrule_echo must be one of tag_id, group_id, both"):
        admin.set_matchrule_echo("groupid")


def test_trymatch_answers_the_menu_a_follower_sees(wire: Wire, admin: EmulatorAdmin) -> None:
    tag = add_tag(with_menu(wire), "高净值客户")
    vip = [{"type": "click", "name": "专属理财", "key": "VIP"}]
    ios = [{"type": "click", "name": "下载App", "key": "APP"}]
    wire.post("menu/addconditional", {"button": vip, "matchrule": {"tag_id": str(tag)}})
    wire.post("menu/addconditional", {"button": ios, "matchrule": {"client_platform_type": "1"}})
    admin.seed(APPID, {**admin.state(APPID), "users": [
        {"openid": "o-vip-android", "tagid_list": [tag], "client_platform_type": "2"},
        {"openid": "o-vip-ios", "tagid_list": [tag], "client_platform_type": "1"},
        {"openid": "o-plain", "tagid_list": []}]})
    assert wire.post("menu/trymatch", {"user_id": "o-vip-android"}) == {"button": [{**vip[0], "sub_button": []}]}
    # Both menus fit: the newest one wins, as on the platform.
    assert wire.post("menu/trymatch", {"user_id": "o-vip-ios"}) == {"button": [{**ios[0], "sub_button": []}]}
    assert wire.post("menu/trymatch", {"user_id": "o-plain"})["button"][0]["name"] == "余额查询"
    assert wire.post("menu/trymatch", {"user_id": "o-nobody"})["errcode"] == 40003
    wire.get("menu/delete")
    assert wire.post("menu/trymatch", {"user_id": "o-plain"})["errcode"] == 46003


def test_a_slow_answer_lands_the_write_and_times_the_client_out(wire: Wire, admin: EmulatorAdmin) -> None:
    admin.slow(ms=800, path="tags/create")
    with pytest.raises(requests.Timeout):
        wire.http.post(wire.base + "tags/create", params={"access_token": wire.token},
                       data=json.dumps({"tag": {"name": "landed"}}), timeout=0.3)
    assert "landed" in [t["name"] for t in wire.get("tags/get")["tags"]]
    assert wire.post("tags/create", {"tag": {"name": "quick"}})["tag"]["name"] == "quick"  # once only
