"""A `module:` button is deployed as a view of its module's entry url or a click of its entry key (attack review 47,
F2): validate checks the platform's button limits on that compiled button (key and url bytes, an http(s) link, pasted
markup, and the conditional menus' link domains), and says which module to change and which buttons use it."""

from __future__ import annotations

import re
from pathlib import Path

from oa_spec import limits
from testing.accounts import ONE_BANK_SPEC, LiveAccount
from testing.cli import Cli

FOUR_DOMAINS = """\
    tags: [{name: 甲}, {name: 乙}]
    menu:
      - {name: 理财, type: click, key: W}
    conditional_menus:
      - name: 甲版
        match: {tag: 甲}
        menu:
          - {name: 一, module: m1}
          - {name: 二, module: m2}
      - name: 乙版
        match: {tag: 乙}
        menu:
          - {name: 三, module: m3}
          - {name: 四, module: m4}
    modules:
      - {id: m1, kind: custom, entry: {url: "https://a.example.cn/x"}}
      - {id: m2, kind: custom, entry: {url: "https://b.example.cn/x"}}
      - {id: m3, kind: custom, entry: {url: "https://c.example.cn/x"}}
      - {id: m4, kind: custom, entry: {url: "https://d.example.cn/x"}}
"""


def spec_file(tmp_path: Path, body: str, provider: str = "") -> Path:
    path = tmp_path / "oaspec.yaml"
    path.write_text(ONE_BANK_SPEC + provider + body, encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_module_buttons_linking_a_fourth_domain_are_refused_before_apply_writes_anything(
        cli: Cli, tmp_path: Path, account: LiveAccount) -> None:
    """It validated, and apply added one conditional menu and stopped at the other with 65316 (4 of 5 landed)."""
    spec = spec_file(tmp_path, FOUR_DOMAINS, account.provider_lines)
    checked = cli("validate", "-f", str(spec), env=account.env)
    assert checked.returncode == 1, checked.output
    assert "conditional menus link 4 domains" in checked.stderr
    for domain, module in (("a", "m1"), ("b", "m2"), ("c", "m3"), ("d", "m4")):
        assert f"{domain}.example.cn (module {module})" in checked.stderr
    assert f"at most {limits.MAX_CONDITIONAL_LINK_DOMAINS} (65316)" in checked.stderr
    applied = cli("apply", "-f", str(spec), "--auto-approve", env=account.env)
    assert applied.returncode == 1 and "conditional menus link 4 domains" in applied.stderr
    assert account.live().conditional_menus == () and account.live().menu is None
    assert account.writes() in (None, [])


def test_a_module_entry_key_and_url_over_the_button_limits_are_errors_at_the_module_naming_its_buttons(
        cli: Cli, tmp_path: Path) -> None:
    """The key (200 bytes) and the url (1130 bytes) validated; apply failed with 40019 from the local account."""
    key, url = "K" * 200, "https://m.citybank.example.cn/" + "a" * 1100
    spec = spec_file(tmp_path, f"""\
    menu:
      - {{name: 一, module: m1}}
      - name: 服务
        sub_buttons:
          - {{name: 二, module: m2}}
          - {{name: 三, module: m2}}
    modules:
      - {{id: m1, kind: custom, entry: {{key: "{key}"}}}}
      - {{id: m2, kind: custom, entry: {{url: "{url}"}}}}
""")
    checked = cli("validate", "-f", str(spec))
    assert checked.returncode == 1, checked.output
    errors = re.findall(r"^\S+:(\d+):\d+: error: (.*)$", checked.stderr, re.MULTILINE)
    assert len(errors) == 2, checked.stderr
    (key_line, key_error), (url_line, url_error) = errors
    assert int(key_line) == line_of(spec, "id: m1") and int(url_line) == line_of(spec, "id: m2")
    assert key_error.startswith("accounts[0].modules[0].entry.key: module m1's entry key is 200 bytes; the limit "
                                f"is {limits.KEY_BYTES} (buttons with module: m1 are deployed with it: ")
    assert "accounts[0].menu[0] (一)" in key_error
    assert url_error.startswith("accounts[0].modules[1].entry.url: module m2's entry url is 1130 bytes; the limit "
                                f"is {limits.URL_BYTES} (buttons with module: m2 are deployed with it: ")
    assert "accounts[0].menu[1].sub_buttons[0] (二)" in url_error and "sub_buttons[1] (三)" in url_error
    assert "hint: use a shorter key (in module m1's entry: every button with module: m1 opens it)" in checked.stderr
    applied = cli("apply", "-f", str(spec), "--auto-approve")
    assert applied.returncode == 1 and "module m1's entry key is 200 bytes" in applied.stderr
    assert not (tmp_path / ".oaspec" / "local" / "bank.json").exists()  # nothing written


def test_a_module_entry_url_a_button_cannot_open_or_carrying_pasted_markup_is_named_at_the_module(
        cli: Cli, tmp_path: Path) -> None:
    spec = spec_file(tmp_path, """\
    menu:
      - {name: 一, module: m1}
      - {name: 二, module: m2}
    modules:
      - {id: m1, kind: custom, entry: {url: "m.citybank.example.cn/x"}}
      - {id: m2, kind: custom, entry: {url: "https://m.citybank.example.cn/x?a=1&amp;mid=2"}}
""")
    checked = cli("validate", "-f", str(spec))
    assert checked.returncode == 1, checked.output
    assert "modules[0].entry.url: module m1's entry url 'm.citybank.example.cn/x' is not an http(s) link" \
        in checked.stderr
    assert re.search(r"warning: accounts\[0\]\.modules\[1\]\.entry\.url: module m2's entry url .*&amp;",
                     checked.stderr), checked.stderr


def test_a_module_only_replies_use_is_not_held_to_the_button_limits(cli: Cli, tmp_path: Path) -> None:
    """A reply sends the entry url as text: the 1024-byte limit of a button's url is not its limit."""
    url = "https://m.citybank.example.cn/" + "a" * 1100
    spec = spec_file(tmp_path, f"""\
    menu:
      - {{name: 一, type: click, key: K}}
    replies:
      keywords:
        - {{name: 贷款, match: exact, keywords: [贷款], reply: {{module: m1}}}}
    modules:
      - {{id: m1, kind: custom, title: 贷款, entry: {{url: "{url}"}}}}
""")
    checked = cli("validate", "-f", str(spec))
    assert checked.returncode == 0, checked.output
