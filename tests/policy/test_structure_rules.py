"""Rules that need spec structure: links, modules and personal data, templates, review chains,
elderly-friendly menus, and the service-module requirements of the core pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from oa_spec.config.compile import compile_spec
from oa_spec.config.load import load_spec
from oa_spec.config.locate import Locator
from oa_spec.config.validate import check
from oa_spec.policy import evaluate
from tests.policy.helpers import TODAY, run_yaml

HEAD = """\
version: 1
bank: 示例银行
policies:
  packs: [cn-bank]
  settings: {allowed_domains: [m.bank.example.cn, "*.cdn.bank.example.cn"]}
accounts:
  - id: bank
    name: 示例银行
"""


def account(body: str) -> str:
    """HEAD plus an account body written at the account's indentation."""
    return HEAD + "".join(f"    {line}\n" for line in body.strip("\n").splitlines())


def test_http_link_in_menu(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account("menu:\n  - {name: 网点, type: view, url: 'http://m.bank.example.cn/b'}"))
    assert run.hits("link.https") == ["bank/menu"]
    finding = next(f for f in run.report.findings if f.rule == "link.https")
    assert finding.path == "accounts[0].menu[0].url" and finding.position.line == 10


def test_https_link_on_allowed_hosts(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account("""
menu:
  - {name: 网点, type: view, url: 'https://m.bank.example.cn/b'}
  - {name: 图片, type: view, url: 'https://img.cdn.bank.example.cn/a.png'}
"""))
    assert run.hits("link.https") == [] and run.hits("link.allowed-domains") == []


def test_foreign_host(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account("menu:\n  - {name: 网点, type: view, url: 'https://bank-example.top/b'}"))
    assert run.hits("link.allowed-domains") == ["bank/menu"]


def test_a_backslash_that_moves_the_host_for_a_browser_is_refused(tmp_path: Path) -> None:
    # urlsplit reads the host after the last @ (m.bank.example.cn); a browser reads \\ as / and opens evil.example
    evil = "https://evil.example\\@m.bank.example.cn/x"
    run = run_yaml(tmp_path, account(f"replies:\n  default: {{text: 请访问 {evil} 查询}}"))
    assert ("link.allowed-domains", "bank/replies/default") in run.pairs()
    path = tmp_path / "menu.yaml"
    path.write_text(account(f"menu:\n  - {{name: 网点, type: view, url: '{evil}'}}"), encoding="utf-8")
    _, diagnostics = check(load_spec(path))
    assert [d.message for d in diagnostics if d.severity == "error"] == [f"{evil!r} is not an http(s) link"]


@pytest.mark.parametrize("evil", ["https:///evil.example/x", "https:////evil.example/x", "HTTPS:///evil.example/x",
                                  "https:/evil.example/x", "https:evil.example/x", "https://:443/x"])
def test_a_link_whose_host_a_browser_finds_past_the_slashes_is_refused(tmp_path: Path, evil: str) -> None:
    # attack review 34: a browser opens https:///evil.example/x at evil.example (the URL standard skips the slashes
    # after a special scheme); urlsplit read no host, and the rules took it for a relative link
    reply = f"replies:\n  default: {{text: '请访问 {evil} 查询'}}\n"
    # validate refuses a menu button deployed with this entry (review 47, F2); the rules judge the entry itself
    module = MODULE.format(url=evil).replace("{name: 理财, module: wealth}", "{name: 理财, type: click, key: W}")
    run = run_yaml(tmp_path, account(reply + module))
    assert {("link.allowed-domains", "bank/modules/wealth"), ("wealth.own-platform-link", "bank/modules/wealth")} \
        <= run.pairs()
    # every one of them is a link in a text too, with or without the slashes (attack review 69, F4)
    assert ("link.allowed-domains", "bank/replies/default") in run.pairs()
    assert f"{evil} 不是可解析的链接" in {f.detail for f in run.report.findings if f.rule == "wealth.own-platform-link"}
    path = tmp_path / "menu.yaml"
    path.write_text(account(f"menu:\n  - {{name: 网点, type: view, url: '{evil}'}}"), encoding="utf-8")
    _, diagnostics = check(load_spec(path))
    assert [d.message for d in diagnostics if d.severity == "error"] == [f"{evil!r} is not an http(s) link"]


def test_link_inside_reply_text(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account("""
replies:
  subscribe: {text: 欢迎关注！网点查询：http://bank-example.top/x?phone=13800138000}
"""))
    assert {("link.https", "bank/replies/subscribe"), ("link.allowed-domains", "bank/replies/subscribe"),
            ("pii.url-personal-data", "bank/replies/subscribe")} <= run.pairs()


MODULE = """
menu:
  - {{name: 理财, module: wealth}}
modules:
  - id: wealth
    kind: wealth
    title: 理财产品
    entry: {{url: '{url}'}}
    review: {{consumer_protection: XB-2026-01}}
"""


def test_wealth_entry_off_the_bank_platform(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account(MODULE.format(url="https://partner.example.com/wealth")))
    assert run.hits("wealth.own-platform-link") == ["bank/modules/wealth"]
    assert run.hits("link.allowed-domains") == ["bank/modules/wealth"]


def test_wealth_entry_on_the_bank_platform(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account(MODULE.format(url="https://m.bank.example.cn/wealth")))
    assert run.hits("wealth.own-platform-link") == [] and run.hits("content.consumer-protection-review") == []


def test_wealth_entry_without_allowed_domains(tmp_path: Path) -> None:
    spec = account(MODULE.format(url="https://m.bank.example.cn/wealth")).replace(
        '  settings: {allowed_domains: [m.bank.example.cn, "*.cdn.bank.example.cn"]}\n', "")
    run = run_yaml(tmp_path, spec)
    assert run.hits("link.allowed-domains") == ["bank/modules/wealth"]


def test_url_personal_data_and_openid(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account("""
menu:
  - {name: 账户, type: view, url: 'https://m.bank.example.cn/a?idcard=110101199001011234'}
  - {name: 活动, type: view, url: 'https://m.bank.example.cn/c?openid=oABC'}
  - {name: 网点, type: view, url: 'https://m.bank.example.cn/b?branch=xinhua'}
"""))
    assert run.hits("pii.url-personal-data") == ["bank/menu"]
    assert run.hits("pii.openid-in-url") == ["bank/menu"]


SENSITIVE = """
menu:
  - {{name: 余额, module: balance}}
modules:
  - id: balance
    kind: account_query
    entry: {{url: 'https://m.bank.example.cn/balance', oauth_scope: {scope}}}
    personal_data: [financial_account]
{extra}
"""


def test_sensitive_data_without_separate_consent(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account(SENSITIVE.format(scope="snsapi_userinfo", extra="    consent: 页面告知")))
    assert run.hits("pii.sensitive-consent") == ["bank/modules/balance"]
    assert run.hits("pii.privacy-notice") == ["bank/modules/balance"]
    assert run.hits("pii.oauth-scope") == ["bank/modules/balance"]


def test_sensitive_data_with_consent_notice_and_necessity(tmp_path: Path) -> None:
    extra = ("    consent: separate\n    necessity: 查询余额须读取账户信息\n"
             "    privacy_notice: 'https://m.bank.example.cn/privacy'")
    run = run_yaml(tmp_path, account(SENSITIVE.format(scope="snsapi_base", extra=extra)))
    assert run.hits("pii.sensitive-consent") == [] and run.hits("pii.privacy-notice") == []
    assert run.hits("pii.oauth-scope") == [] and run.hits("module.consent") == []


def test_personal_data_without_any_consent(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account(SENSITIVE.format(scope="snsapi_base", extra="")))
    assert run.hits("module.consent") == ["bank/modules/balance"]


def test_minimisation(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account("""
replies:
  keywords:
    - {name: 签到, keywords: [签到], reply: {module: check-in}}
modules:
  - {id: check-in, kind: check_in, entry: {key: CHECK_IN}, personal_data: [id_number], consent: separate}
"""))
    assert run.hits("pii.minimisation") == ["bank/modules/check-in"]


def test_module_requirements(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account("""
modules:
  - {id: alert, kind: balance_alert}
  - {id: cs, kind: customer_service, entry: {key: CS}}
  - {id: appoint, kind: appointment, entry: {url: 'https://m.bank.example.cn/ap'}}
  - {id: quiz, kind: quiz}
"""))
    assert run.hits("module.template-required") == ["bank/modules/alert"]
    assert run.hits("module.way-in") == ["bank/modules/cs"]
    assert set(run.hits("module.unreachable")) == {"bank/modules/appoint", "bank/modules/quiz"}
    assert run.hits("module.entry-required") == ["bank/modules/quiz"]


def test_customer_service_reached_by_click_key_or_default_reply(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account("""
menu:
  - {name: 客服, type: click, key: CS}
replies:
  default: {module: cs2}
modules:
  - {id: cs, kind: customer_service, entry: {key: CS}, human_handoff: true}
  - {id: cs2, kind: customer_service, entry: {url: 'https://m.bank.example.cn/cs'}}
"""))
    assert run.hits("module.way-in") == []
    assert run.hits("service.human-handoff") == ["bank/modules/cs2"]
    assert run.hits("service.complaint-channel") == []


def test_template_marketing(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account("""
industry: {primary: 金融业/银行, secondary: IT科技/互联网|电子商务}
templates:
  - {id: promo, library_id: OPENTM1, title: 理财优惠活动提醒}
  - {id: alert, library_id: OPENTM2, title: 账户资金变动提醒}
"""))
    assert run.hits("platform.template-no-marketing") == ["bank/templates/promo"]


STREAM = """
tags: [{{name: 年轻客群}}, {{name: 大学生}}]
content:
  streams:
    - id: s
      title: {title}
      audience: {{tags: [{tag}]}}
      cadence: {{every: month, on: 5}}
{review}
"""


def test_stream_without_review_chain(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account(STREAM.format(title="金融知识小课堂", tag="年轻客群", review="")))
    assert run.hits("content.review-required") == ["bank/content/streams/s"]


def test_financial_promo_stream_needs_three_roles_and_consumer_protection(tmp_path: Path) -> None:
    review = "      review: {roles: [编辑, 合规]}"
    run = run_yaml(tmp_path, account(STREAM.format(title="理财产品限时认购", tag="年轻客群", review=review)))
    assert run.hits("content.review-required") == ["bank/content/streams/s"]
    assert run.hits("content.consumer-protection-review") == ["bank/content/streams/s"]


def test_stream_with_full_review(tmp_path: Path) -> None:
    review = "      review: {author: 张三, roles: [编辑, 合规, 审批], consumer_protection: XB-1}"
    run = run_yaml(tmp_path, account(STREAM.format(title="理财产品限时认购", tag="年轻客群", review=review)))
    assert run.hits("content.review-required") == [] and run.hits("content.consumer-protection-review") == []


def test_author_cannot_review(tmp_path: Path) -> None:
    review = "      review: {author: 张三, roles: [张三, 合规]}"
    run = run_yaml(tmp_path, account(STREAM.format(title="金融知识小课堂", tag="年轻客群", review=review)))
    assert run.hits("content.review-required") == ["bank/content/streams/s"]


def test_loan_stream_to_students(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account(STREAM.format(title="消费贷款知识", tag="大学生", review="")))
    assert run.hits("loan.student-targeting") == ["bank/content/streams/s"]


def test_campaign_rewarding_shares(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account("""
menu:
  - {name: 活动, module: poster}
modules:
  - {id: poster, kind: campaign, entry: {url: 'https://m.bank.example.cn/poster'}, share_reward: true}
"""))
    assert run.hits("platform.induced-sharing") == ["bank/modules/poster"]


ELDERLY = """
tags: [{{name: 银发客户}}]
menu:
  - {{name: 首页, type: view, url: 'https://m.bank.example.cn/'}}
conditional_menus:
  - name: 长辈版
    match: {{tag: 银发客户}}
    menu:
      - {{name: 查余额, type: view, url: 'https://m.bank.example.cn/b'}}
{extra}
modules:
  - {{id: cs, kind: customer_service, entry: {{key: CS}}, human_handoff: true}}
"""


def test_elderly_menu_without_human_service(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account(ELDERLY.format(extra="")))
    assert run.hits("content.elderly-friendly") == ["bank/conditional_menus/长辈版"]


def test_elderly_menu_with_human_service(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account(ELDERLY.format(extra="      - {name: 人工客服, module: cs}")))
    assert run.hits("content.elderly-friendly") == []


def test_loan_module_cost_and_anti_fraud(tmp_path: Path) -> None:
    run = run_yaml(tmp_path, account("""
menu:
  - {name: 贷款, module: loan}
modules:
  - {id: loan, kind: loan, entry: {url: 'https://m.bank.example.cn/loan'}, review: {consumer_protection: XB-2}}
"""))
    assert run.hits("loan.total-cost") == ["bank/modules/loan"]
    assert run.hits("content.anti-fraud") == ["bank"]


def test_conditional_menus_are_checked_whatever_their_names(tmp_path: Path) -> None:
    """Compiled menus are paired with the spec's by name, not by parsing the address: a '/' in a name
    (refused by validate, but the policies still run on what check() returns) switched every check off,
    and a name ending like another menu's name got that menu's buttons."""
    path = tmp_path / "oaspec.yaml"
    path.write_text(account("""
tags: [{name: 高净值}]
menu:
  - {name: 账户, type: click, key: K}
conditional_menus:
  - name: 高净值/专属
    match: {tag: 高净值}
    menu:
      - {name: 网点, type: view, url: 'http://m.bank.example.cn/a'}
  - name: 专属
    match: {client_platform_type: ios}
    menu:
      - {name: 网点, type: view, url: 'https://m.bank.example.cn/b'}
"""), encoding="utf-8")
    loaded = load_spec(path)
    spec, _ = check(loaded)
    assert spec is not None
    compiled = compile_spec(spec)
    report = evaluate(spec, compiled, Locator(loaded.data), TODAY)
    https = [f for f in report.findings if f.rule == "link.https"]
    assert [(f.address, f.path) for f in https] == [
        ("bank/conditional_menus/高净值/专属", "accounts[0].conditional_menus[0].menu[0].url")]


def test_a_link_that_cannot_be_parsed_is_reported_not_a_crash(tmp_path: Path) -> None:
    """urlsplit raises ValueError on an unclosed [IPv6 host: validate and plan failed with an internal error."""
    run = run_yaml(tmp_path, account("""
replies:
  subscribe: {text: "欢迎 https://[oops?openid=1&phone=13800138000"}
  default: {text: "网点 https://m.bank.example.cn/b?openid=1"}
"""))
    assert {("link.allowed-domains", "bank/replies/subscribe"), ("pii.url-personal-data", "bank/replies/subscribe"),
            ("pii.openid-in-url", "bank/replies/default")} <= run.pairs()
    assert ("link.allowed-domains", "bank/replies/default") not in run.pairs()
    unparsable = next(f for f in run.report.findings if f.rule == "link.allowed-domains")
    assert unparsable.detail == "https://[oops?openid=1&phone=13800138000 不是可解析的链接"
