"""Bad specs through the CLI: each one exits 1 and names the offending place.

Every case runs `oaspec validate -f oaspec.yaml` (in-process, testing.cli: the same exit code and
streams as the process, whose own contract is tests/cli/test_process.py) and checks that
- the exit code is 1 and there is no traceback (nor an "internal error");
- stderr has an error at `file:LINE:` whose message contains the expected words, where LINE is the
  line marked `# <-` in the spec (or given explicitly when a comment cannot mark it: syntax errors);
- a `hint:` line follows that error;
- the spec has exactly the expected number of errors (policy findings aside), so that a case tests
  the one problem it names.

The passing boundary cases (exactly at each limit) are in `test_specs_at_the_limits_pass`.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from oa_spec import limits
from testing import ROOT
from testing.cli import run_cli

FIXTURES = ROOT / "tests" / "fixtures"
MARK = "# <-"
HEAD = """\
version: 1
bank: 测试银行
accounts:
  - id: demo
    name: 测试银行
"""


def account(*parts: str) -> str:
    """A spec with one account whose fields are `parts` (each written at any indentation, dedented)."""
    return HEAD + "".join(textwrap.indent(textwrap.dedent(part).lstrip("\n"), "    ") for part in parts)


def click(name: str, key: str = "K") -> str:
    return f"{{name: {name}, type: click, key: {key}}}"


def menu_with(*top: str) -> str:
    return "menu:\n" + "".join(f"  - {b}\n" for b in top)


ONE_BUTTON_MENU = menu_with(click("账户"))
INDUSTRY = "industry: {primary: 金融业/银行, secondary: IT科技/互联网|电子商务}\n"


@dataclass(frozen=True)
class Bad:
    id: str
    text: str  # the main spec; the line ending in `# <-` is where the error must be
    message: str  # words the error message must contain
    line: int | None = None  # instead of the mark
    col: int | None = None  # checked when given
    errors: int = 1  # how many errors the spec has in all
    file: str = "oaspec.yaml"  # the file the error is in (relative to the spec's directory)
    files: dict[str, str] = field(default_factory=dict)  # more files, relative to the spec's directory
    env: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # the main spec's bytes, when they are not UTF-8 text

    def expected_line(self) -> int:
        if self.line is not None:
            return self.line
        source = self.files.get(self.file, self.text) if self.file != "oaspec.yaml" else self.text
        marked = [n for n, text in enumerate(source.splitlines(), 1) if text.rstrip().endswith(MARK)]
        assert len(marked) == 1, f"{self.id}: mark exactly one line with {MARK!r}"
        return marked[0]


def _tags(n: int, mark_last: bool = False) -> str:
    lines = [f"  - name: 客群{i:03d}" for i in range(n)]
    if mark_last:
        lines[-1] += f"  {MARK}"
    return "tags:\n" + "\n".join(lines) + "\n"


BILLION_LAUGHS = """\
version: 1
bank: 测试银行
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]  # <-
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
"""

CASES = [
    # --- YAML syntax ----------------------------------------------------------------------------------
    Bad("syntax-bad-indentation", account("""
        menu:
          - name: 账户
           type: click
        """), "YAML syntax error", line=8),
    Bad("syntax-unclosed-quote", account("""
        menu:
          - {name: "账户, type: click, key: K}
        """), "YAML syntax error", line=7, col=16),
    Bad("syntax-tab-indentation", HEAD + "    menu:\n\t- {name: 账户, type: click, key: K}\n",
        "YAML syntax error", line=7, col=1),
    Bad("syntax-unclosed-bracket", account("""
        tags: [{name: 客群, {name: 老客户}
        menu: []
        """), "YAML syntax error", line=7),
    Bad("syntax-colon-in-plain-value", account("""
        menu:
          - name: 账户: 查询  # <-
            type: click
        """), "YAML syntax error"),
    Bad("not-utf8", "", "not UTF-8", line=2, raw="version: 1\nbank: 测试".encode("gbk") + b"\n"),

    # --- duplicate keys -------------------------------------------------------------------------------
    Bad("duplicate-top-level-key", "version: 1\nbank: 测试银行\nbank: 另一家银行  # <-\n", "duplicate key 'bank'"),
    Bad("duplicate-menu-key", account(ONE_BUTTON_MENU, f"""
        menu:  {MARK}
          - {click("理财")}
        """), "duplicate key 'menu' (first defined at line 6)"),
    Bad("duplicate-button-key", account("""
        menu:
          - name: 账户
            type: click
            key: ACCOUNT
            key: ACCOUNT_V2  # <-
        """), "duplicate key 'key'"),
    Bad("duplicate-key-in-flow-mapping", account("""
        menu:
          - {name: 账户, type: click, name: 余额, key: K}  # <-
        """), "duplicate key 'name'"),
    Bad("duplicate-key-after-merge", account("""
        menu:
          - &first {name: 账户, type: click, key: K}
          - <<: *first
            name: 理财
            name: 财富  # <-
        """), "duplicate key 'name'"),

    # --- unknown fields -------------------------------------------------------------------------------
    Bad("unknown-field-sub_button", account("""
        menu:
          - name: 我的账户
            sub_button:  # <-
              - {name: 余额, type: click, key: BALANCE}
        """), "unknown field `sub_button`", col=9),
    Bad("unknown-top-level-field", "version: 1\nbank: 测试银行\naccount: []  # <-\n", "did you mean `accounts`?"),
    Bad("unknown-account-field", account("""
        templetes: []  # <-
        """), "did you mean `templates`?"),
    Bad("privacy-match-field", account(ONE_BUTTON_MENU, f"""
        conditional_menus:
          - name: 男性客户
            match: {{sex: "1"}}  {MARK}
            menu: [{click("专享")}]
        """), "unknown field `sex`"),

    # --- wrong types ----------------------------------------------------------------------------------
    Bad("list-where-mapping", account("""
        provider: [local]  # <-
        """), "expected a mapping, got a list"),
    Bad("text-where-list", account("""
        menu: 账户查询  # <-
        """), "expected a list, got text"),
    Bad("number-where-text", account("""
        menu:
          - {name: 2024, type: click, key: K}  # <-
        """), "expected text, got a number"),
    Bad("boolean-where-text", account("""
        menu:
          - {name: 账户, type: click, key: yes}  # <-
        """), "expected text, got true/false"),
    Bad("mapping-where-list", account("""
        tags: {name: 客群}  # <-
        """), "expected a list, got a mapping"),
    Bad("text-where-number", account("""
        modules:
          - id: loan
            kind: loan
            phase: high  # <-
        """), "expected a whole number"),
    Bad("boolean-as-a-day-of-the-month", account("""
        content:
          streams:
            - id: report
              title: 月度报告
              cadence: {every: month, on: true}  # <-
        """), "on: has true or false (YAML reads yes, no, on, off, true and false as booleans)"),
    Bad("boolean-among-weekdays", account("""
        content:
          streams:
            - id: class
              title: 金融小课堂
              cadence: {every: week, on: [mon, no]}  # <-
        """), "not a weekday or a day of the month"),
    Bad("boolean-as-a-phase", account("""
        modules:
          - id: loan
            kind: loan
            phase: yes  # <-
        """), "expected a whole number, got true/false"),
    Bad("boolean-as-max_phase", account("""
        rollout: {max_phase: on}  # <-
        """), "YAML reads yes, no, on, off, true and false as true/false"),
    Bad("text-where-date", account("""
        content:
          streams:
            - id: class
              title: 金融小课堂
              cadence: {dates: [next-monday]}  # <-
        """), "expected a date"),
    Bad("empty-account-item", "version: 1\nbank: 测试银行\naccounts:\n  -  # <-\n", "expected a mapping, got nothing"),

    # --- each limit exceeded by exactly one -------------------------------------------------------------
    Bad("4-top-level-buttons", account(menu_with(click("一", "A"), click("二", "B"), click("三", "C"),
                                                 click("四", "D") + f"  {MARK}")),
        "4 top-level buttons"),
    Bad("6-sub-buttons", account("menu:\n  - name: 服务\n    sub_buttons:\n" + "".join(
        f"      - {click(f'服务{i}', f'S{i}')}{f'  {MARK}' if i == 5 else ''}\n" for i in range(6))),
        "6 sub-buttons"),
    Bad("top-level-name-17-bytes", account(f"""
        menu:
          - {click("账户查询服AB")}  {MARK}
        """), "is 17 bytes in UTF-8; the limit is 16"),
    Bad("top-level-name-6-cjk", account(f"""
        menu:
          - {click("账户余额查询")}  {MARK}
        """), "is 18 bytes in UTF-8; the limit is 16"),
    Bad("sub-button-name-61-bytes", account(f"""
        menu:
          - name: 服务
            sub_buttons:
              - {click("账" * 20 + "A")}  {MARK}
        """), "is 61 bytes in UTF-8; the limit is 60"),
    Bad("key-129-bytes", account(f"""
        menu:
          - {click("账户", "K" * 129)}  {MARK}
        """), "key is 129 bytes; the limit is 128"),
    Bad("url-1025-bytes", account(f"""
        menu:
          - name: 网点
            type: view
            url: https://m.bank.example.cn/{"p" * (1025 - len("https://m.bank.example.cn/"))}  {MARK}
        """), "url is 1025 bytes; the limit is 1024"),
    Bad("101-tags", account(_tags(101, mark_last=True)), "101 tags"),
    Bad("tag-name-31-bytes", account(f"""
        tags:
          - name: {"标" * 10}A  {MARK}
        """), "tag name is 31 bytes"),
    Bad("26-templates", account(INDUSTRY + "templates:\n" + "".join(
        f"  - {{id: t{i:02d}, library_id: OPENTM{i:06d}, title: 模板{i:02d}}}{f'  {MARK}' if i == 25 else ''}\n"
        for i in range(26))), "26 templates"),
    Bad(f"{limits.MAX_CONDITIONAL_MENUS + 1}-conditional-menus", account(
        ONE_BUTTON_MENU + _tags(limits.MAX_CONDITIONAL_MENUS + 1) + "conditional_menus:\n" + "".join(
            f"  - {{name: m{i}, match: {{tag: 客群{i:03d}}}, menu: [{click('专享')}]}}"
            f"{f'  {MARK}' if i == limits.MAX_CONDITIONAL_MENUS else ''}\n"
            for i in range(limits.MAX_CONDITIONAL_MENUS + 1))),
        f"{limits.MAX_CONDITIONAL_MENUS + 1} conditional menus"),
    Bad("11-keywords-in-a-rule", account(f"""
        replies:
          keywords:
            - name: 理财
              keywords: [{", ".join(f"词{i}" for i in range(11))}]  {MARK}
              reply: {{text: 理财产品请看菜单。}}
        """), "11 keywords; a rule has at most 10"),
    Bad("keyword-91-bytes", account(f"""
        replies:
          keywords:
            - name: 理财
              keywords: [{"理" * 30}A]  {MARK}
              reply: {{text: 理财产品请看菜单。}}
        """), "keyword is 91 bytes"),
    Bad(f"{limits.MAX_KEYWORD_RULES + 1}-keyword-rules", account("replies:\n  keywords:\n" + "".join(
        f"    - {{name: r{i}, keywords: [词{i}], reply: {{text: 好}}}}"
        f"{f'  {MARK}' if i == limits.MAX_KEYWORD_RULES else ''}\n" for i in range(limits.MAX_KEYWORD_RULES + 1))),
        f"{limits.MAX_KEYWORD_RULES + 1} keyword rules"),
    Bad("reply-text-2049-bytes", account(f"""
        replies:
          subscribe:
            text: {"欢" * 682}ABC  {MARK}
        """), "reply is 2049 bytes; the limit is 2048"),
    Bad("duplicate-keyword-rule-name", account(f"""
        replies:
          keywords:
            - {{name: 理财, keywords: [理财], reply: {{text: 请看菜单。}}}}
            - {{name: 理财, keywords: [基金], reply: {{text: 请看菜单。}}}}  {MARK}
        """), "duplicate keyword rule name '理财'"),

    # --- buttons: required fields and structure -----------------------------------------------------------
    Bad("click-without-key", account("""
        menu:
          - name: 账户  # <-
            type: click
        """), "a click button needs `key`"),
    Bad("view-without-url", account("""
        menu:
          - name: 网点  # <-
            type: view
        """), "a view button needs `url`"),
    Bad("miniprogram-without-appid-and-pagepath", account("""
        menu:
          - name: 小程序  # <-
            type: miniprogram
            url: https://m.bank.example.cn/
        """), "a miniprogram button needs `appid`", errors=2),
    Bad("media_id-without-media_id", account("""
        menu:
          - name: 图片  # <-
            type: media_id
        """), "a media_id button needs `media_id`"),
    Bad("article_id-without-article_id", account("""
        menu:
          - name: 文章  # <-
            type: article_id
        """), "a article_id button needs `article_id`"),
    Bad("field-the-type-does-not-use", account("""
        menu:
          - name: 账户
            type: click
            key: K
            url: https://m.bank.example.cn/  # <-
        """), "`url` is not used by a click button"),
    Bad("url-beside-module", account("""
        modules:
          - {id: balance, kind: account_query, entry: {url: "https://m.bank.example.cn/b"}}
        menu:
          - name: 余额
            module: balance
            url: https://m.bank.example.cn/old  # <-
        """), "`url` is not used by a button with module:"),
    Bad("key-beside-module", account(f"""
        modules:
          - {{id: balance, kind: account_query, entry: {{key: BALANCE}}}}
        menu:
          - name: 服务
            sub_buttons:
              - {{name: 余额, module: balance, key: BALANCE_OLD}}  {MARK}
        """), "`key` is not used by a button with module:"),
    Bad("type-beside-module", account("""
        modules:
          - {id: balance, kind: account_query, entry: {key: BALANCE}}
        menu:
          - {name: 余额, module: balance, type: view}  # <-
        """), "needs exactly one of type:, module: or sub_buttons:"),
    Bad("unknown-button-type", account("""
        menu:
          - {name: 账户, type: clik, key: K}  # <-
        """), "'clik' is not allowed here"),
    Bad("both-sub_buttons-and-type", account(f"""
        menu:
          - name: 服务
            type: click  {MARK}
            sub_buttons:
              - {click("客服")}
        """), "a button with sub_buttons has no `type`"),
    Bad("three-levels-of-sub_buttons", account(f"""
        menu:
          - name: 服务
            sub_buttons:
              - name: 更多
                sub_buttons:  {MARK}
                  - {click("客服")}
        """), "a sub-button cannot have sub_buttons"),
    Bad("button-without-action", account("""
        menu:
          - name: 账户  # <-
        """), "needs exactly one of type:, module: or sub_buttons:"),
    Bad("a-tag-renamed-twice", account(f"""
        tags:
          - {{name: 银发客户, renamed_from: 老年客户}}
          - {{name: 长辈客户, renamed_from: 老年客户}}  {MARK}
        """), "'老年客户' is renamed twice"),
    Bad("sibling-buttons-of-one-name", account(f"""
        menu:
          - name: 我的账户
            sub_buttons:
              - {click("账单", "BILL")}
              - {click("账单", "BILL_V2")}  {MARK}
        """), "duplicate button name '账单'"),
    # Values a plan prints bare: one that could pass for another would read the same before and after.
    Bad("click-key-with-a-trailing-space", account(f"""
        menu:
          - {{name: 交易明细, type: click, key: "TXN_DETAIL "}}  {MARK}
        """), "ends with U+0020 SPACE, which a reader cannot see"),
    Bad("link-ending-in-a-no-break-space", account(f"""
        menu:
          - {{name: 账单, type: view, url: "https://m.bank.example/card/bill\\u00a0"}}  {MARK}
        """), "ends with U+00A0 NO-BREAK SPACE"),
    Bad("full-width-click-key", account(f"""
        menu:
          - {{name: 交易明细, type: click, key: ＴＸＮ}}  {MARK}
        """), "U+FF34 FULLWIDTH LATIN CAPITAL LETTER T at character 1, which looks like 'T'"),
    Bad("keyword-in-kangxi-radicals", account(f"""
        replies:
          keywords:
            - name: 客服
              keywords: [客服, "\\u2f08\\u2f2f"]  {MARK}
              reply: {{text: 请稍候。}}
        """), "U+2F08 KANGXI RADICAL MAN at character 1, which looks like '人' but is not it"),
    # Letters of another script that pass for Latin or Han beside them (UTS #39's mixed-script confusables).
    Bad("click-key-with-a-cyrillic-letter", account(f"""
        menu:
          - {{name: 交易明细, type: click, key: "TXN_DET\\u0410IL"}}  {MARK}
        """), "U+0410 CYRILLIC CAPITAL LETTER A at character 8 beside Latin letters, which it can pass for"),
    Bad("link-with-cyrillic-letters", account(f"""
        menu:
          - {{name: 账单, type: view, url: "https://m.bank.example/c\\u0430rd/bill"}}  {MARK}
        """), "U+0430 CYRILLIC SMALL LETTER A"),
    Bad("keyword-with-a-katakana-letter", account(f"""
        replies:
          keywords:
            - name: 客服
              keywords: [客服, "人\\u30a8客服"]  {MARK}
              reply: {{text: 请稍候。}}
        """), "U+30A8 KATAKANA LETTER E at character 2"),
    Bad("keyword-with-a-kelvin-sign", account(f"""
        replies:
          keywords:
            - name: 理财
              keywords: [理财, "\\u212a线"]  {MARK}
              reply: {{text: 请看菜单。}}
        """), "U+212A KELVIN SIGN at character 1, which looks like 'K' but is not it"),
    Bad("click-key-wholly-in-cyrillic-and-greek", account(f"""
        menu:
          - {{name: 扫码付款, type: click, key: "\\u0405\\u0421\\u0410\\u039d_\\u0420\\u0410\\u03a5"}}  {MARK}
        """), "letters of another script shaped like Latin ones"),
    Bad("click-key-with-a-multiplication-sign", account(f"""
        menu:
          - {{name: 服务, type: click, key: "SERVICE_5×24"}}  {MARK}
        """), "a key, link or id holds printable ASCII and Chinese characters only"),
    Bad("keyword-wholly-in-cyrillic", account(f"""
        replies:
          keywords:
            - name: 网点
              keywords: [网点, "\\u0410\\u0422\\u041c"]  {MARK}
              reply: {{text: 请看菜单。}}
        """), "letters of another script shaped like Latin ones"),
    Bad("tag-name-with-a-cjk-radical", account(f"""
        tags:
          - name: "\\u2ed3期客户"  {MARK}
        """), "U+2ED3 CJK RADICAL C-SIMPLIFIED LONG"),
    Bad("empty-menu", account("""
        menu: []  # <-
        """), "the menu has no buttons"),
    Bad("empty-sub_buttons", account("""
        menu:
          - name: 服务
            sub_buttons: []  # <-
        """), "0 sub-buttons"),
    Bad("url-not-http", account("""
        menu:
          - {name: 网点, type: view, url: "ftp://bank.example.cn/x"}  # <-
        """), "is not an http(s) link"),

    # --- rollout gating must not leave a menu empty (the platform refuses it: 40016, 65307) --------------------
    Bad("rollout-leaves-the-default-menu-empty", account(f"""
        rollout: {{max_phase: 1}}
        modules:
          - {{id: wealth, kind: custom, phase: 2, entry: {{url: "https://m.bank.example.cn/w"}}}}
          - {{id: loan, kind: custom, enabled: false, entry: {{url: "https://m.bank.example.cn/l"}}}}
        menu:  {MARK}
          - {{name: 理财, module: wealth}}
          - name: 服务
            sub_buttons: [{{name: 贷款, module: loan}}]
        """), "with rollout.max_phase 1 this menu has no buttons left (module wealth is phase 2; module loan is "
        "disabled)"),
    Bad("rollout-leaves-a-conditional-menu-empty", account(ONE_BUTTON_MENU, f"""
        rollout: {{max_phase: 2}}
        modules:
          - {{id: robo, kind: custom, phase: 3, entry: {{key: ROBO}}}}
        conditional_menus:
          - name: ios
            match: {{client_platform_type: ios}}
            menu:  {MARK}
              - {{name: 智能投顾, module: robo}}
        """), "(module robo is phase 3); the platform refuses an empty menu (65307)"),

    # --- dangling references ------------------------------------------------------------------------------
    Bad("module-not-declared", account("""
        modules:
          - {id: balance-query, kind: account_query, entry: {url: "https://m.bank.example.cn/b"}}
        menu:
          - {name: 余额, module: balance-qeury}  # <-
        """), "no module with id 'balance-qeury'"),
    Bad("match-tag-not-declared", account(ONE_BUTTON_MENU, f"""
        tags: [{{name: 高净值客户}}]
        conditional_menus:
          - name: vip
            match: {{tag: 高净值}}  {MARK}
            menu: [{click("专享")}]
        """), "no tag named '高净值'"),
    Bad("module-template-not-declared", account(INDUSTRY, f"""
        templates: [{{id: balance-alert, library_id: OPENTM000001, title: 余额变动提醒}}]
        modules:
          - {{id: alerts, kind: balance_alert, template: balance-alrt}}  {MARK}
        """), "no template with id 'balance-alrt'"),
    Bad("stream-audience-tag-not-declared", account("""
        tags: [{name: 年轻客群}]
        content:
          streams:
            - id: class
              title: 金融小课堂
              audience: {tags: [老年客群]}  # <-
              cadence: {every: week, on: wed}
        """), "no tag named '老年客群'"),
    Bad("module-audience-tag-not-declared", account("""
        tags: [{name: 银发客户}]
        modules:
          - id: elderly-service
            kind: custom
            audience: {tags: [老年客户]}  # <-
        """), "no tag named '老年客户'"),
    Bad("reply-module-not-declared", account("""
        replies:
          keywords:
            - name: 贷款
              keywords: [贷款]
              reply: {module: loan}  # <-
        """), "no module with id 'loan'"),

    # --- duplicate ids and conflicting declarations ------------------------------------------------------
    Bad("duplicate-account-id", "version: 1\nbank: 测试银行\naccounts:\n  - {id: demo, name: 一}\n"
        f"  - {{id: demo, name: 二}}  {MARK}\n", "duplicate account id 'demo'"),
    Bad("duplicate-module-id", account(f"""
        modules:
          - {{id: loan, kind: loan}}
          - {{id: loan, kind: custom}}  {MARK}
        """), "duplicate module id 'loan'"),
    Bad("duplicate-tag-name", account(f"""
        tags:
          - name: 高净值客户
          - name: 高净值客户  {MARK}
        """), "duplicate tag name '高净值客户'"),
    Bad("duplicate-conditional-menu-name", account(ONE_BUTTON_MENU, f"""
        conditional_menus:
          - {{name: mobile, match: {{client_platform_type: ios}}, menu: [{click("专享")}]}}
          - {{name: mobile, match: {{client_platform_type: android}}, menu: [{click("专享")}]}}  {MARK}
        """), "duplicate conditional menu name 'mobile'"),
    Bad("duplicate-template-id", account(INDUSTRY, f"""
        templates:
          - {{id: alert, library_id: OPENTM000001, title: 余额变动提醒}}
          - {{id: alert, library_id: OPENTM000002, title: 还款提醒}}  {MARK}
        """), "duplicate template id 'alert'"),
    Bad("duplicate-conditional-match-rule", account(ONE_BUTTON_MENU, f"""
        conditional_menus:
          - {{name: ios, match: {{client_platform_type: ios}}, menu: [{click("专享")}]}}
          - name: iphone
            match: {{client_platform_type: ios}}  {MARK}
            menu: [{click("专享")}]
        """), "same match rule as 'ios'"),
    Bad("empty-match-rule", account(ONE_BUTTON_MENU, f"""
        conditional_menus:
          - name: everyone
            match: {{}}  {MARK}
            menu: [{click("专享")}]
        """), "empty match rule"),
    Bad("conditional-menus-without-default-menu", account(f"""
        conditional_menus:  {MARK}
          - {{name: ios, match: {{client_platform_type: ios}}, menu: [{click("专享")}]}}
        """), "conditional menus need a default menu"),
    Bad("4-link-domains-in-conditional-menus", account(ONE_BUTTON_MENU, f"""
        conditional_menus:  {MARK}
          - name: ios
            match: {{client_platform_type: ios}}
            menu:
              - {{name: 一, type: view, url: "https://a.bank.example.cn/"}}
              - {{name: 二, type: view, url: "https://b.bank.example.cn/"}}
          - name: android
            match: {{client_platform_type: android}}
            menu:
              - {{name: 三, type: view, url: "https://c.bank.example.cn/"}}
              - {{name: 四, type: view, url: "https://d.bank.example.cn/"}}
        """), "conditional menus link 4 domains"),
    Bad("renamed-tag-still-declared", account(f"""
        tags:
          - name: 老年客户
          - {{name: 银发客户, renamed_from: 老年客户}}  {MARK}
        """), "'老年客户' is still declared as a tag"),
    Bad("templates-without-industry", account("""
        templates:  # <-
          - {id: alert, library_id: OPENTM000001, title: 余额变动提醒}
        """), "templates need an industry"),

    # --- names that become part of a plan address (citybank/tags/NAME) -------------------------------------
    Bad("slash-in-tag-name", account(f"""
        tags:
          - name: 高净值/私行  {MARK}
        """), "tag name '高净值/私行' contains '/'"),
    Bad("slash-in-conditional-menu-name", account(ONE_BUTTON_MENU, f"""
        conditional_menus:
          - name: iOS/安卓  {MARK}
            match: {{client_platform_type: ios}}
            menu: [{click("专享")}]
        """), "conditional menu name 'iOS/安卓' contains '/'"),
    Bad("slash-in-keyword-rule-name", account(f"""
        replies:
          keywords:
            - name: 理财/基金  {MARK}
              keywords: [理财]
              reply: {{text: 请看菜单。}}
        """), "keyword rule name '理财/基金' contains '/'"),

    # --- freeze windows ------------------------------------------------------------------------------------
    Bad("weekly-freeze-window-that-ends-where-it-starts", account("""
        freeze:
          - {name: 夜间批处理, weekly: {days: [fri], start: "22:00", end: "22:00"}}  # <-
        """), "a weekly window from 22:00 to 22:00 is empty"),

    # --- aliases ------------------------------------------------------------------------------------------
    Bad("billion-laughs", BILLION_LAUGHS, "YAML aliases expand to more than"),
    Bad("recursive-alias", "version: 1\nbank: 测试银行\nloop: &loop\n  again: *loop  # <-\n", "recursive YAML alias"),
    Bad("merge-of-a-non-mapping", account(f"""
        menu:
          - <<: 3  {MARK}
            name: 账户
        """), "a merge key (<<) needs a mapping"),

    # --- environment variables and secrets -------------------------------------------------------------
    Bad("env-var-in-non-secret-field", "version: 1\nbank: ${BANK_NAME}  # <-\n", "${...} is only allowed in secret",
        env={"BANK_NAME": "测试银行"}),
    Bad("env-var-in-a-list-item", account(f"""
        replies:
          keywords:
            - name: 理财
              keywords: [理财, "${{PRODUCT}}"]  {MARK}
              reply: {{text: 请看菜单。}}
        """), "${...} is only allowed in secret"),
    Bad("app_secret-names-a-variable-outside-OASPEC_", account(f"""
        provider:
          type: wechat
          app_id: wx1234567890abcdef
          app_secret: ${{AWS_SECRET_ACCESS_KEY}}  {MARK}
        """), "a spec may only name variables OASPEC_*", env={"AWS_SECRET_ACCESS_KEY": "x"}),
    Bad("literal-secret-in-app_secret", account(f"""
        provider:
          type: wechat
          app_id: wx1234567890abcdef
          app_secret: 3f1a9c0b7e5d2a4c8b6e0f1d2c3b4a59  {MARK}
        """), "a literal value (32 characters) where a secret belongs"),
    Bad("malformed-app_id", account(f"""
        provider:
          type: wechat
          app_id: 1234567890abcdef  {MARK}
          app_secret: ${{OASPEC_TEST_SECRET}}
        """), "has the wrong form", env={"OASPEC_TEST_SECRET": "x"}),
    Bad("unknown-provider-type", account("""
        provider: {type: wechatt}  # <-
        """), "unknown provider type 'wechatt'"),

    # --- includes -----------------------------------------------------------------------------------------
    Bad("include-missing-file", "version: 1\nbank: 测试银行\ninclude: [accounts/branch.yaml]  # <-\n",
        "no file matches 'accounts/branch.yaml'"),
    Bad("include-outside-the-spec-directory", "version: 1\nbank: 测试银行\ninclude: ['../x.yaml']  # <-\n",
        "reaches outside the spec's directory", files={"../x.yaml": "accounts: []\n"}),
    Bad("include-not-a-list", "version: 1\nbank: 测试银行\ninclude: {file: a.yaml}  # <-\n",
        "include must be a list of file globs"),
    Bad("included-file-with-bank-settings", "version: 1\nbank: 测试银行\ninclude: [more.yaml]\n",
        "an included file may only hold accounts:", file="more.yaml",
        files={"more.yaml": "accounts: []\nbank: 另一家银行  # <-\n"}),
    Bad("error-inside-an-included-file", "version: 1\nbank: 测试银行\ninclude: [accounts/*.yaml]\n",
        "4 top-level buttons", file="accounts/demo.yaml", files={"accounts/demo.yaml": textwrap.dedent(f"""\
            accounts:
              - id: demo
                name: 测试银行
                menu: [{click("一", "A")}, {click("二", "B")}, {click("三", "C")},
                       {click("四", "D")}]  {MARK}
            """)}),

    # --- the document as a whole ------------------------------------------------------------------------------
    Bad("unknown-industry", account(f"""
        industry:
          primary: 金融业/银行业  {MARK}
          secondary: IT科技/互联网|电子商务
        """), "unknown industry '金融业/银行业'"),
    Bad("invalid-id", "version: 1\nbank: 测试银行\naccounts:\n  - id: City Bank  # <-\n    name: 测试银行\n",
        "'City Bank' has the wrong form"),
    # attack review 76 (a note): '*.com' made link.allowed-domains allow every .com host, webhooks included
    Bad("allowed-domains-over-a-public-suffix", "version: 1\nbank: 测试银行\npolicies:\n  settings:\n"
        f"    allowed_domains: [m.bank.example.cn, \"*.com.cn\"]  {MARK}\n", "'*.com.cn' allows every host under a "
        "public suffix"),
    Bad("allowed-domains-over-a-province-suffix", "version: 1\nbank: 测试银行\npolicies:\n  settings:\n"
        f"    allowed_domains: [\"*.sh.cn\"]  {MARK}\n", "'*.sh.cn' allows every host under a public suffix"),
    Bad("allowed-domains-with-a-scheme", "version: 1\nbank: 测试银行\npolicies:\n  settings:\n"
        f"    allowed_domains: [\"https://m.bank.example.cn\"]  {MARK}\n", "is not a host name"),
    Bad("version-2", "version: 2  # <-\nbank: 测试银行\n", "2 is not allowed here"),
    Bad("missing-bank", "version: 1\naccounts: []\n", "missing required field `bank`", line=1),
    Bad("empty-file", "", "the spec file is empty", line=1, col=1),
    Bad("only-comments", "# nothing here yet\n", "the spec file is empty", line=1),
    Bad("top-level-list", "- version: 1\n- bank: 测试银行\n", "the spec must be a mapping", line=1),
    Bad("menu-fixture-with-8-top-level-buttons", (FIXTURES / "spec_menu_all_button_types.yaml").read_text(
        encoding="utf-8"), "8 top-level buttons", line=43, col=9, errors=4),  # and its two buttons of one name
]


def write_spec(directory: Path, case: Bad) -> None:
    spec_dir = directory / "spec"
    spec_dir.mkdir()
    if case.raw is not None:
        (spec_dir / "oaspec.yaml").write_bytes(case.raw)
    else:
        (spec_dir / "oaspec.yaml").write_text(case.text, encoding="utf-8")
    for name, text in case.files.items():
        path = spec_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_there_are_enough_distinct_cases() -> None:
    assert len(CASES) >= 45
    assert len({c.id for c in CASES}) == len(CASES)
    assert len({(c.text, tuple(c.files.items()), c.raw) for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_spec(case: Bad, tmp_path: Path) -> None:
    write_spec(tmp_path, case)
    result = run_cli("validate", "-f", "oaspec.yaml", cwd=tmp_path / "spec", env=case.env)
    output = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 1, output
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, output

    where = f"{case.file}:{case.expected_line()}:" + (f"{case.col}:" if case.col else "")
    lines = result.stderr.splitlines()
    # the error's line and its hint line, which must follow it
    reports = [(text, lines[i + 1] if i + 1 < len(lines) else "") for i, text in enumerate(lines)
               if text.startswith(where) and ": error" in text]
    hits = [(error, hint) for error, hint in reports if case.message in error + hint]
    assert hits, f"expected an error at {where} containing {case.message!r}\n{output}"
    hint = hits[0][1]
    assert re.fullmatch(r"\s+hint: \S.{5,}", hint), f"no hint after the error\n{output}"
    # Policy findings (`error [rule.id]:`) belong to the policy packs' tests, not to this one.
    spec_errors = [text for text in lines if re.match(r"\S+:\d+:\d+: error: ", text)]
    assert len(spec_errors) == case.errors, output


# --- the same limits, exactly met: valid ------------------------------------------------------------------
def at_the_limits() -> str:
    """One account at every limit at once: 3x5 buttons, 16/60-byte names, 128-byte key, 1024-byte url,
    100 tags (one of 30 bytes), 25 templates, the most conditional menus (3 link domains), 10 keywords."""
    url = "https://m.bank.example.cn/"
    subs = [click("账" * 20, "K" * limits.KEY_BYTES),  # 60 bytes, 128-byte key
            f"{{name: 网点, type: view, url: {url}{'p' * (limits.URL_BYTES - len(url))}}}",
            click("客服", "CS"), click("预约", "BOOK"), click("理财", "WEALTH")]
    menu = "menu:\n" + "".join(f"  - name: {top}\n    sub_buttons:\n" + "".join(f"      - {s}\n" for s in subs)
                               for top in ("账户查询服A", "账户查询服务"[:5] + "B", "我的"))
    tags = _tags(limits.MAX_TAGS - 1) + f"  - name: {'标' * (limits.TAG_NAME_BYTES // 3)}\n"
    templates = "templates:\n" + "".join(f"  - {{id: t{i:02d}, library_id: OPENTM{i:06d}, title: 模板{i:02d}}}\n"
                                         for i in range(limits.MAX_TEMPLATES))
    domains = [f"https://{d}.bank.example.cn/" for d in "abc"]
    conditional = "conditional_menus:\n" + "".join(
        f"  - {{name: m{i}, match: {{tag: 客群{i:03d}}}, menu: [{{name: 专享, type: view, url: {domains[i % 3]}}}]}}\n"
        for i in range(limits.MAX_CONDITIONAL_MENUS))
    keywords = ", ".join(f"词{i}" for i in range(limits.MAX_KEYWORDS_PER_RULE - 1)) + ", " + "理" * 30
    replies = f"replies:\n  keywords:\n    - {{name: 理财, keywords: [{keywords}], reply: {{text: 请看菜单。}}}}\n"
    return account(menu + tags + INDUSTRY + templates + conditional + replies)


def all_button_types() -> str:
    """The fixture's 8 top-level buttons regrouped into 3 groups of at most 5: every type, valid."""
    fixture = yaml.safe_load((FIXTURES / "spec_menu_all_button_types.yaml").read_text(encoding="utf-8"))
    scan, menu, photos, location, *leaves = fixture["accounts"][0]["menu"]
    groups = [
        {"name": scan["name"], "sub_buttons": [*scan["sub_buttons"], location, leaves[0], leaves[1]]},
        menu,
        {"name": photos["name"], "sub_buttons": [*photos["sub_buttons"], leaves[2], leaves[3]]},
    ]
    for button in (b for g in groups for b in g["sub_buttons"] if "url" in b):
        button["url"] = button["url"].replace("http://", "https://")  # a bank's links are https
    leaves[3]["name"] = "限制图文"  # the fixture's two article buttons share a name, and here they are siblings
    fixture["accounts"][0]["menu"] = groups
    assert {b["type"] for g in groups for b in g["sub_buttons"]} == set(limits.BUTTON_TYPES)
    return json.dumps(fixture, ensure_ascii=False, indent=2)  # JSON is YAML


@pytest.mark.parametrize("text", [at_the_limits(), all_button_types()], ids=["at-every-limit", "every-button-type"])
def test_specs_at_the_limits_pass(text: str, tmp_path: Path) -> None:
    (tmp_path / "oaspec.yaml").write_text(text, encoding="utf-8")
    result = run_cli("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "valid (1 account(s)" in result.stdout
    assert "error" not in result.stderr


def test_a_16_byte_name_passes_and_17_fails(tmp_path: Path) -> None:
    """5 CJK + 1 ASCII is 16 bytes (valid); 5 CJK + 2 ASCII is 17, 6 CJK is 18 (both invalid)."""
    cases = (("账户查询服A", True), ("账户查询服AB", False), ("账户余额查询", False), ("ABCDEFGHIJKLMNOP", True))
    for name, ok in cases:
        (tmp_path / "oaspec.yaml").write_text(account(menu_with(click(name))), encoding="utf-8")
        result = run_cli("validate", "-f", "oaspec.yaml", cwd=tmp_path)
        assert (result.returncode == 0) is ok, (name, result.stderr)


def test_links_with_template_placeholders_are_pointed_out_and_plain_ones_are_not(tmp_path: Path) -> None:
    """Placeholders nothing fills in (a Ruby gem's menu file kept `#{request[:FromUserName]}`) are warnings:
    the spec is valid, and a reviewer sees each. `&`, `#` fragments and `#/` routes are ordinary."""
    placeholders = ("#{openid}", "{{ openid }}", "{% url 'home' %}", "<%= openid %>")
    plain = ("?a=1&b=2#rd", "#/wx/calculator", "%E8%80%92%E9%98%B3/")
    buttons = [f"{{name: 链接{i}, type: view, url: {json.dumps('https://m.bank.example.cn/' + tail)}}}"
               for i, tail in enumerate(placeholders + plain)]
    menu = "menu:\n" + "".join(f"  - name: 组{g}\n    sub_buttons: [{', '.join(buttons[g * 4:g * 4 + 4])}]\n"
                               for g in range(2))
    (tmp_path / "oaspec.yaml").write_text(account(menu), encoding="utf-8")
    result = run_cli("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warned = re.findall(r"warning: accounts\[0\]\.menu\[(\d)\]\.sub_buttons\[(\d)\]\.url: url has the template "
                        r"placeholder '(.{2})'", result.stderr)
    assert warned == [("0", "0", "#{"), ("0", "1", "{{"), ("0", "2", "{%"), ("0", "3", "<%")], result.stderr
    assert result.stderr.count("warning:") == 4, result.stderr


@pytest.mark.parametrize("command", [("validate",), ("plan", "--format", "json")])
def test_a_secret_pasted_as_a_literal_is_never_quoted_back(tmp_path: Path, command: tuple[str, ...]) -> None:
    # an attack review: validate echoed each literal secret in full ("'...' has the wrong form"), into the CI log
    secrets = {"app_secret": "0123456789abcdefSECRETVALUE00000", "token": "LITERALTOKENsecret123",
               "encoding_aes_key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "signing_secret": "HOOKsecret999"}
    (tmp_path / "oaspec.yaml").write_text(textwrap.dedent(f"""\
        version: 1
        bank: 测试银行
        accounts:
          - id: citybank
            name: 测试银行
            provider: {{type: wechat, app_id: wx1234567890abcdef, app_secret: {secrets["app_secret"]}}}
            gateway:
              token: {secrets["token"]}
              encoding_aes_key: {secrets["encoding_aes_key"]}
              mode: safe
            modules:
              - id: balance
                kind: balance_query
                phase: 1
                webhook: {{url: "https://bank.example/hook", signing_secret: {secrets["signing_secret"]}}}
        """), encoding="utf-8")
    result = run_cli(*command, "-f", "oaspec.yaml", cwd=tmp_path)
    said = result.stdout + result.stderr
    assert result.returncode == 1 and said.count("where a secret belongs") == 4, said
    assert not any(secret in said for secret in secrets.values()), said
