"""Names and texts that would change what a reviewer sees (issue 10 item 1): refused at file:line:col."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from oa_spec.cli.common import fail
from oa_spec.config.model import KeywordReplySpec
from oa_spec.content.characters import ALSO_BLANK, DEFAULT_IGNORABLE
from oa_spec.util.display import visible
from tests.hostile.helpers import ACCOUNT, HEAD, Outcome, run_text

UNSAFE = {
    "esc": "\\e[2J", "cr": "\\r", "nul": "\\0", "bell": "\\a", "backspace": "\\b", "del": "\\x7f",
    "c1-csi": "\\x9b", "nel": "\\N", "rlo": "\\u202E", "lro": "\\u202D", "rli": "\\u2067", "pdi": "\\u2069",
    "lrm": "\\u200E", "alm": "\\u061C", "zwsp": "\\u200B", "word-joiner": "\\u2060", "bom": "\\uFEFF",
    "line-separator": "\\L", "paragraph-separator": "\\P", "soft-hyphen": "\\u00AD",
    # format controls nothing draws (an attack review passed them: a keyword changed and read the same)
    "inhibit-swapping": "\\u206A", "activate-swapping": "\\u206B", "nominal-digits": "\\u206F",
    "mongolian-fvs": "\\u180B", "annotation-anchor": "\\uFFF9", "shorthand-overlap": "\\U0001BCA0",
    "musical-begin-beam": "\\U0001D173",
}


def only_error(outcome: Outcome, line: int) -> str:
    [error] = outcome.errors
    assert error.position.line == line, error
    return error.message


def tag_spec(name: str) -> str:
    return ACCOUNT + f'    tags:\n      - name: "{name}"\n'


@pytest.mark.parametrize("escape", UNSAFE.values(), ids=UNSAFE.keys())
def test_unsafe_characters_in_a_tag_name_are_refused(tmp_path: Path, escape: str) -> None:
    message = only_error(run_text(tmp_path, tag_spec(f"vip{escape}x")), 7)
    assert "contains U+" in message and "at character 4" in message


@pytest.mark.parametrize("field, text, line", [
    ("button", '    menu:\n      - {name: "余额\\e[2J", type: click, key: K}\n', 7),
    ("conditional menu", '    tags: [{name: vip}]\n    menu: [{name: a, type: click, key: K}]\n'
     '    conditional_menus:\n      - name: "vip\\u202Emenu"\n        match: {tag: vip}\n'
     '        menu: [{name: b, type: click, key: K2}]\n', 9),
    ("keyword rule", '    replies:\n      keywords:\n        - {name: "r\\0", keywords: [x], reply: {text: hi}}\n', 8),
    ("template title", '    industry: {primary: 金融业/银行, secondary: 金融业/证券}\n'
     '    templates: [{id: t, title: "到账\\u200B提醒"}]\n', 7),
    ("reply text", '    replies:\n      subscribe: {text: "欢迎\\e]0;pwned\\a"}\n', 7),
    ("bank", None, 2),
    ("account name", None, 5),
    ("custom rule message", None, 6),
])
def test_unsafe_characters_are_refused_in_every_text(tmp_path: Path, field: str, text: str | None,
                                                     line: int) -> None:
    if field == "bank":
        spec = 'version: 1\nbank: "银\\r行"\n'
    elif field == "account name":
        spec = HEAD + 'accounts:\n  - id: demo\n    name: "示例\\u202E"\n'
    elif field == "custom rule message":
        spec = HEAD + ('policies:\n  rules:\n    - id: bank.rule\n      message: "hidden\\e[8m"\n'
                       '      basis: b\n      forbidden: [x]\n')
    else:
        assert text is not None
        spec = ACCOUNT + text
    assert "contains U+" in only_error(run_text(tmp_path, spec), line)


def test_a_key_with_a_control_character_is_refused(tmp_path: Path) -> None:
    errors = run_text(tmp_path, ACCOUNT + '    "na\\e[2Jme": x\n').errors
    assert any("the key contains U+001B" in e.message and e.position.line == 6 for e in errors), errors


@pytest.mark.parametrize("name", ["vip\\n<!--", "a\\tb", "x\\u200Dy", "   ", "\\u3000", "\\t",
                                  "理财\\uFE0F", "基金\\U000E0100"])  # variation selectors: texts only
def test_names_are_one_line_of_visible_characters(tmp_path: Path, name: str) -> None:
    message = only_error(run_text(tmp_path, tag_spec(name)), 7)
    assert "the name" in message and ("contains" in message or "only whitespace" in message)


def test_a_reply_text_may_have_lines_tabs_and_emoji_joiners(tmp_path: Path) -> None:
    spec = ACCOUNT + '    replies:\n      subscribe: {text: "欢迎\\n\\t第二行 👨\\u200D👩\\u200D👧 \\u2764\\uFE0F"}\n'
    assert not run_text(tmp_path, spec).errors


@pytest.mark.parametrize("first, second", [("caf\\u00e9", "cafe\\u0301"), ("VIP", "vip"), ("ＶＩＰ", "VIP"),
                                           ("vip 客户", "vip  客户"), ("ﬁ", "fi"), ("Ⅸ", "IX")])
def test_look_alike_tag_names_are_duplicates(tmp_path: Path, first: str, second: str) -> None:
    spec = ACCOUNT + f'    tags:\n      - name: "{first}"\n      - name: "{second}"\n'
    message = only_error(run_text(tmp_path, spec), 8)
    assert "looks the same as" in message


def test_look_alike_keyword_rule_names_are_duplicates(tmp_path: Path) -> None:
    spec = ACCOUNT + ('    replies:\n      keywords:\n        - {name: "规则VIP", keywords: [a], reply: {text: x}}\n'
                      '        - {name: "规则ＶＩＰ", keywords: [b], reply: {text: y}}\n')
    assert "looks the same as" in only_error(run_text(tmp_path, spec), 9)


def test_a_name_with_an_unseen_space_at_its_end_is_refused(tmp_path: Path) -> None:
    spec = ACCOUNT + ('    replies:\n      keywords:\n        - {name: "规则", keywords: [a], reply: {text: x}}\n'
                      '        - {name: "规则\u3000", keywords: [b], reply: {text: y}}\n')
    assert "ends with U+3000 IDEOGRAPHIC SPACE, which a reader cannot see" in only_error(run_text(tmp_path, spec), 9)


def test_exact_duplicates_still_say_duplicate(tmp_path: Path) -> None:
    spec = ACCOUNT + '    tags:\n      - name: vip\n      - name: vip\n'
    assert only_error(run_text(tmp_path, spec), 8).startswith("duplicate tag name")


def test_an_aliased_bad_name_is_reported_once(tmp_path: Path) -> None:
    spec = ACCOUNT + '    tags:\n      - name: &bad "v\\e[2J"\n' + "".join("      - name: *bad\n" for _ in range(50))
    errors = run_text(tmp_path, spec).errors
    assert len(errors) == 1 and errors[0].position.line == 7


@pytest.mark.parametrize("blank", ["\\u3164", "\\u115F", "\\uFFA0", "\\u2800", "\\U000E0041", "\\u034F"])
def test_blank_looking_and_tag_characters_are_refused(tmp_path: Path, blank: str) -> None:
    assert "invisible character" in only_error(run_text(tmp_path, tag_spec(f"v{blank}")), 7)


# Every code point that draws nothing (the first, middle and last of each range of the one table): attack review 45,
# F3, passed U+2065, U+FFF0-FFF8, U+E0080-E0FFF and U+13430-1345F, and five tags read `VIP`.
DRAWS_NOTHING = sorted({code for low, high in (*DEFAULT_IGNORABLE, *ALSO_BLANK)
                        for code in (low, (low + high) // 2, high)})
EMOJI_NEEDS = ((0x200C, 0x200D), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))  # joiners, variation selectors


@pytest.mark.parametrize("code", DRAWS_NOTHING, ids=lambda code: f"U+{code:04X}")
def test_every_code_point_that_draws_nothing_is_refused_in_a_name(tmp_path: Path, code: int) -> None:
    message = only_error(run_text(tmp_path, tag_spec(f"V\\U{code:08X}IP")), 7)
    assert f"contains U+{code:04X}" in message and "at character 2" in message


@pytest.mark.parametrize("code", DRAWS_NOTHING, ids=lambda code: f"U+{code:04X}")
def test_every_code_point_that_draws_nothing_but_an_emoji_part_is_refused_in_a_text(tmp_path: Path,
                                                                                    code: int) -> None:
    outcome = run_text(tmp_path, ACCOUNT + f'    replies:\n      subscribe: {{text: "欢迎\\U{code:08X}光临"}}\n')
    if any(low <= code <= high for low, high in EMOJI_NEEDS):
        assert not outcome.errors
    else:
        assert f"contains U+{code:04X}" in only_error(outcome, 7)


def test_a_live_name_in_an_error_is_shown_not_sent() -> None:
    @click.command()
    def command() -> None:
        fail("tag 'vip\x1b[2J' was refused\nsecond line \u202e")

    result = CliRunner().invoke(command)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "vip\\x1b[2J" in result.output and "\nsecond line \\u202e" in result.output


@pytest.mark.parametrize("name", ["α策略客户", "聪明β组合", "Smart β指数", "量化α ETF", "信用卡・账单", "ATM・网点",
                                  "Москва分行客户", "VIP客户", "ＶＩＰ客户", "ソニー銀行", "三井住友カード",
                                  "日本語サービス客户", "第Ⅱ期客户", "①号窗口", "稳盈™客户", "Ⅰ类账户",
                                  "第１期客户", "Ⓐ类客户", "🄰级客户", "A|B组客户"])
def test_names_a_bank_writes_with_other_scripts_pass(tmp_path: Path, name: str) -> None:
    # The look-alike check refuses a letter only beside the script it passes for (Cyrillic а among Latin letters,
    # katakana エ among ideographs): a Greek letter in a fund's name or a katakana middle dot is ordinary text.
    assert run_text(tmp_path, tag_spec(name)).diagnostics == []


@pytest.mark.parametrize(("name", "shown"), [("VIΡ客户", "U+03A1 GREEK CAPITAL LETTER RHO"),
                                             ("TXN_DET\ua4eeIL客户", "U+A4EE LISU LETTER A"),
                                             ("c\u0251rd客户", "U+0251 LATIN SMALL LETTER ALPHA"),
                                             ("\u1173网通客户", "U+1173 HANGUL JUNGSEONG EU"),
                                             ("VIP\u0421客户", "U+0421 CYRILLIC CAPITAL LETTER ES"),
                                             ("长期\u30ed客户", "U+30ED KATAKANA LETTER RO"),
                                             ("人エロ客户", "U+30A8 KATAKANA LETTER E"),
                                             ("ѴІР客户", "'ѴІР', letters of another script shaped like Latin ones"),
                                             ("ΑΙ智能投顾", "'ΑΙ', letters of another script shaped like Latin ones"),
                                             ("А股客户", "'А', letters of another script shaped like Latin ones"),
                                             ("ル童账户", "U+30EB KATAKANA LETTER RU"),
                                             # a letter NFKC reads as a Latin one (attack review 74: a mathematical
                                             # letter, beyond U+FFFF, or a letterlike sign passed in a Latin word)
                                             ("V\U0001d5a8P客户", "U+1D5A8 MATHEMATICAL SANS-SERIF CAPITAL I"),
                                             ("\U0001d5e9\U0001d5dc\U0001d5e3客户", "U+1D5E9 MATHEMATICAL SANS"),
                                             ("TXN_\u212aEY客户", "U+212A KELVIN SIGN"),
                                             # a Roman numeral or a small capital drawn as a Latin letter, which is of
                                             # the Latin script itself, in a Latin word (attack review 75)
                                             ("\u2164IP客户", "U+2164 ROMAN NUMERAL FIVE"),
                                             ("\u216dARD客户", "U+216D ROMAN NUMERAL ONE HUNDRED"),
                                             ("\u1d20ip客户", "U+1D20 LATIN LETTER SMALL CAPITAL V"),
                                             ("c\u1d0fde", "U+1D0F LATIN LETTER SMALL CAPITAL O"),
                                             ("V\u01c0P客户", "U+01C0 LATIN LETTER DENTAL CLICK"),
                                             ("V\u0196P客户", "U+0196 LATIN CAPITAL LETTER IOTA"),
                                             ("V\ua7aeP客户", "U+A7AE LATIN CAPITAL LETTER SMALL CAPITAL I"),
                                             ("V\ua647P客户", "U+A647 CYRILLIC SMALL LETTER IOTA"),
                                             ("V\u16c1P客户", "U+16C1 RUNIC LETTER ISAZ"),
                                             ("V\u05d5P客户", "U+05D5 HEBREW LETTER VAV"),
                                             ("V\u0627P客户", "U+0627 ARABIC LETTER ALEF"),
                                             # a raised or lowered letter, a mathematical digit and a vertical bar:
                                             # VᴵP and VIP𝟣 read as VIP and VIP1, V∣P as V|P (both left open by
                                             # review 75)
                                             ("V\u1d35P客户", "U+1D35 MODIFIER LETTER CAPITAL I"),
                                             ("V\u2071P客户", "U+2071 SUPERSCRIPT LATIN SMALL LETTER I"),
                                             ("VIP\U0001d7e3客户", "U+1D7E3 MATHEMATICAL SANS-SERIF DIGIT ONE"),
                                             ("VIP\u00b9客户", "U+00B9 SUPERSCRIPT ONE"),
                                             ("cla\u017fs", "U+017F LATIN SMALL LETTER LONG S"),
                                             ("V\u2223P客户", "U+2223 DIVIDES"),
                                             ("V\u2758P客户", "U+2758 LIGHT VERTICAL BAR"),
                                             ("V\u2502P客户", "U+2502 BOX DRAWINGS LIGHT VERTICAL")])
def test_a_letter_that_passes_for_another_script_beside_it_is_refused(tmp_path: Path, name: str, shown: str) -> None:
    assert shown in only_error(run_text(tmp_path, tag_spec(name)), 7)


@pytest.mark.parametrize("keyword", ["营业时间？", "借钱，利率", "理财（稳健型）", "年化3％", "红包🧧", "ATM",
                                     "一网通", "￥100存款", "Smart β", "환전"])
def test_keywords_followers_type_pass(tmp_path: Path, keyword: str) -> None:
    # Followers on a Chinese keyboard type full-width punctuation, and matching is exact: 营业时间? would miss them.
    rule = f'{{name: 规则, keywords: ["{keyword}"], reply: {{text: x}}}}'
    spec = ACCOUNT + f"    replies:\n      keywords:\n        - {rule}\n"
    assert run_text(tmp_path, spec).diagnostics == []


def test_a_keyword_pattern_may_name_full_width_digits() -> None:
    # followers type １ as often as 1: a pattern's class may take both (its own checks are validate_gateway's)
    rule = KeywordReplySpec.model_validate({"name": "选择", "match": "regex", "keywords": ["^[1-5１-５]$"],
                                            "reply": {"text": "x"}})
    assert rule.keywords == ["^[1-5１-５]$"]


@pytest.mark.parametrize(("keyword", "shown"), [("营业时间‚ ATM", "U+201A SINGLE LOW-9 QUOTATION MARK"),
                                                ("e‐CNY", "U+2010 HYPHEN"),
                                                ("ΑΤΜ", "letters of another script shaped like Latin ones"),
                                                ("营业时间､ATM", "U+FF64 HALFWIDTH IDEOGRAPHIC COMMA"),
                                                ("e－CNY", "U+FF0D FULLWIDTH HYPHEN-MINUS"),
                                                ("Α股", "'Α', letters of another script shaped like Latin ones"),
                                                ("Ο2Ο", "'Ο', letters of another script shaped like Latin ones")])
def test_a_keyword_that_reads_as_another_is_refused(tmp_path: Path, keyword: str, shown: str) -> None:
    rule = f'{{name: 规则, keywords: [网点, "{keyword}"], reply: {{text: x}}}}'
    assert shown in only_error(run_text(tmp_path, ACCOUNT + f"    replies:\n      keywords:\n        - {rule}\n"), 8)


@pytest.mark.parametrize(("pattern", "shown"), [("^АТМ$", "'АТМ', letters of another script"),
                                                ("^e‐CNY$", "U+2010 HYPHEN"), ("[Α][Τ][Μ]", "'Α', letters"),
                                                ("^e－CNY$", "U+FF0D FULLWIDTH HYPHEN-MINUS")])
def test_a_keyword_pattern_is_held_to_what_followers_type_too(pattern: str, shown: str) -> None:
    # Attack review 13, B2: a regex keyword was exempt, so Cyrillic АТМ or a U+2010 hyphen read as the old pattern.
    with pytest.raises(ValueError, match=re.escape(shown)):
        KeywordReplySpec.model_validate({"name": "代码", "match": "regex", "keywords": [pattern],
                                         "reply": {"text": "x"}})


@pytest.mark.parametrize(("text", "said"), [
    ("请回复短信验\\u302A证码", "a combining mark on a Chinese character"),  # read 验证码 (attack review 63)
    # 𠮷 (U+20BB7, a surname's form of 吉) and every ideograph of CJK Extensions B to H lie beyond U+FFFF: a mark on one
    # passed (attack review 74)
    ("欢迎\\U00020BB7\\u0301先生光临", "a combining mark on a Chinese character"),
    ("\\U00030000\\u302A", "a combining mark on a Chinese character"),
    ("欢迎关注a" + "\\u0489\\u0336\\u0338" * 150, "450 combining marks piled on one character"),
])
def test_a_mark_on_a_chinese_character_or_a_pile_of_marks_is_refused_where_it_is(tmp_path: Path, text: str,
                                                                                 said: str) -> None:
    message = only_error(run_text(tmp_path, ACCOUNT + f'    replies:\n      subscribe: {{text: "{text}"}}\n'), 7)
    assert said in message


@pytest.mark.parametrize(("name", "shown"), [("VIP\ue000客户", "U+E000 at character 4, a private-use character"),
                                             ("VIP\U000f0001客户", "U+F0001 at character 4, a private-use character"),
                                             ("VIP\ufffc客户", "U+FFFC OBJECT REPLACEMENT CHARACTER at character 4"),
                                             ("VIP\ufdd0客户", "U+FDD0 at character 4, a noncharacter")])
def test_a_character_drawn_differently_or_not_at_all_is_refused_in_a_name(tmp_path: Path, name: str,
                                                                            shown: str) -> None:
    # attack review 77 (a note): VIP\ue000客户 and VIP\ue001客户 are two tags that look alike (a box, or a vendor's
    # sign on one phone and a box on the next); a noncharacter or U+FFFC stands for nothing, in texts too
    assert shown in only_error(run_text(tmp_path, tag_spec(name)), 7)
    assert "\\u" in visible(name) or "\\U" in visible(name)  # and spelled out wherever it is shown
