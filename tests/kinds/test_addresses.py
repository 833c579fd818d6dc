"""addresses.build and addresses.parse: one name per resource, and every name parses back."""

from __future__ import annotations

import datetime

import pytest

from oa_spec.config.model import AccountSpec, PoliciesSpec, Spec
from oa_spec.config.model_safety import PolicySettings
from oa_spec.kinds.addresses import Address, build, parse
from oa_spec.kinds.state import AccountState, Article, Button, ConditionalMenu, MatchRule, Menu, Template
from oa_spec.policy.deployed import evaluate_state

ROUND_TRIPS = [
    ("citybank/menu", Address("citybank", "menu")),
    ("citybank/industry", Address("citybank", "industry")),
    ("citybank/replies/subscribe", Address("citybank", "reply", "subscribe")),
    ("citybank/replies/default", Address("citybank", "reply", "default")),
    ("citybank/replies/keywords/理财", Address("citybank", "keyword_reply", "理财")),
    ("citybank/replies/keywords/keywords", Address("citybank", "keyword_reply", "keywords")),
    ("citybank/tags/A/B测试", Address("citybank", "tag", "A/B测试")),  # a live name a spec cannot hold
    ("citybank/templates/balance-alert", Address("citybank", "template", "balance-alert")),
    ("citybank/conditional_menus/tag-银发客户", Address("citybank", "conditional_menu", "tag-银发客户")),
    ("citybank/modules/balance-query", Address("citybank", "module", "balance-query")),
    ("citybank/content/streams/finance-class", Address("citybank", "stream", "finance-class")),
]


@pytest.mark.parametrize(("text", "address"), ROUND_TRIPS)
def test_addresses_round_trip(text: str, address: Address) -> None:
    assert parse(text) == address
    assert build(address.account, address.kind, address.key) == text == str(address)


@pytest.mark.parametrize("text", ["citybank", "citybank/", "citybank/menu/x", "citybank/replies/welcome",
                                  "citybank/tags/", "citybank/keyword_replies/理财", "citybank/templates",
                                  "/menu", "citybank/industry/x"])
def test_what_is_not_an_address_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse(text)


@pytest.mark.parametrize(("kind", "key"), [("menu", "x"), ("reply", "welcome"), ("tag", ""), ("widget", "x")])
def test_build_refuses_what_has_no_address(kind: str, key: str) -> None:
    with pytest.raises(ValueError):
        build("citybank", kind, key)


PROMISE = "本行理财产品保本保收益，稳赚不赔！立即购买"


def test_deployed_policies_read_every_text_and_link_of_a_state() -> None:
    spec = Spec(version=1, bank="测试银行", accounts=[AccountSpec(id="bank", name="测试银行")],
                policies=PoliciesSpec(packs=["cn-bank"], settings=PolicySettings(allowed_domains=["m.bank.cn"])))
    evil = Button("活动", "view", url="https://evil.example.com/x")
    state = AccountState(
        menu=Menu((Button("理财", sub_buttons=(evil,)),)),
        conditional_menus=(ConditionalMenu("tag-银发客户", MatchRule(tag="银发客户"), (evil,)),),
        templates=(Template(PROMISE),),
        articles=(Article("wealth/dec", "年终理财展望", content=f"<h2>展望</h2><p>{PROMISE}</p>"),),
    )
    found = {(f.rule, f.address, str(f.position)) for f in
             evaluate_state(spec, spec.accounts[0], state, "revision 7", datetime.date(2026, 11, 25))}
    assert ("link.allowed-domains", "bank/menu", "revision 7") in found
    assert ("link.allowed-domains", "bank/conditional_menus/tag-银发客户", "revision 7") in found
    assert ("wealth.no-guaranteed-return", f"bank/templates/{PROMISE}", "revision 7") in found
    assert ("wealth.no-guaranteed-return", "bank/content/articles/wealth/dec", "revision 7") in found  # a draft


def test_deployed_policies_read_an_articles_links_author_and_a_buttons_mini_program() -> None:
    """A rollback restores what a revision holds: its article links, its author line and its mini-programs
    answer to today's allow-lists and rules like the spec's own."""
    settings = PolicySettings(allowed_domains=["m.bank.cn"], allowed_miniprograms=["wx1111111111111111"])
    spec = Spec(version=1, bank="测试银行", accounts=[AccountSpec(id="bank", name="测试银行")],
                policies=PoliciesSpec(packs=["cn-bank"], settings=settings))
    dropped = Button("理财", "miniprogram", url="https://m.bank.cn/wealth", appid="wx2222222222222222",
                     pagepath="pages/wealth")
    state = AccountState(menu=Menu((dropped,)), articles=(
        Article("wealth/dec", "年终理财展望", author="编辑部", source_url="https://old.example.com/read",
                content='<p>详见<a href="https://evil.example.com/promo">活动页</a>。</p>'),
        Article("wealth/jan", "新年理财", author=PROMISE, content="<p>理财非存款、产品有风险、投资须谨慎。</p>")))
    found = {(f.rule, f.address, f.detail) for f in
             evaluate_state(spec, spec.accounts[0], state, "revision 3", datetime.date(2026, 11, 25))}
    rules = {(rule, address) for rule, address, _ in found}
    assert ("wealth.own-platform-link", "bank/menu") in rules
    assert any("wx2222222222222222" in detail for rule, _, detail in found if rule == "wealth.own-platform-link")
    links = {detail for rule, address, detail in found
             if rule == "link.allowed-domains" and address == "bank/content/articles/wealth/dec"}
    assert any("old.example.com" in d for d in links) and any("evil.example.com" in d for d in links), found
    assert ("wealth.no-guaranteed-return", "bank/content/articles/wealth/jan") in rules


def test_deployed_policies_read_an_images_alt_text_for_claims_never_for_a_statement() -> None:
    """A rollback restores an article as a revision holds it: a risk statement only in an image's alt text (which
    readers never see) is not made, and a promise there is still one (attack review 27 F9)."""
    spec = Spec(version=1, bank="测试银行", accounts=[AccountSpec(id="bank", name="测试银行")],
                policies=PoliciesSpec(packs=["cn-bank"]))
    statement = '<p>欢迎到网点咨询本行理财产品。</p><p><img src="x.png" alt="理财非存款、产品有风险、投资须谨慎。"></p>'
    promise = '<p>理财非存款、产品有风险、投资须谨慎。</p><p><img src="x.png" alt="本行理财保本保收益"></p>'
    state = AccountState(articles=(Article("wealth/dec", "年终理财展望", content=statement),
                                   Article("wealth/jan", "新年理财", content=promise)))
    found = {(f.rule, f.address) for f in
             evaluate_state(spec, spec.accounts[0], state, "revision 3", datetime.date(2026, 11, 25))}
    assert ("wealth.risk-disclaimer", "bank/content/articles/wealth/dec") in found
    assert ("wealth.no-guaranteed-return", "bank/content/articles/wealth/jan") in found
    assert ("wealth.risk-disclaimer", "bank/content/articles/wealth/jan") not in found


@pytest.mark.parametrize("hidden", [
    '<p style="display:none">{}</p>', '<noscript><p>{}</p></noscript>', '<p hidden>{}</p>',
    '<template><p>{}</p></template>', '<p style="visibility:hidden">{}</p>', '<p style="color:#fff">{}</p>',
    # attack review 32: elements and attributes outside the plain article ones, and a class with a style sheet
    '<font color="#ffffff">{}</font>', '<details><summary>更多</summary>{}</details>', '<dialog>{}</dialog>',
    '<style>.x{{display:none}}</style><p class="x">{}</p>', '<iframe>{}</iframe>',
    '<svg><text opacity="0">{}</text></svg>', '<select><option>1</option><option>{}</option></select>',
    '<table bgcolor="#000000"><tr><td>{}</td></tr></table>',
])
def test_deployed_policies_read_hidden_text_for_claims_never_for_a_statement(hidden: str) -> None:
    """A live article as `scan`, the plan's live findings and rollback read it: a risk statement no reader sees is
    not made; a promise hidden there is still read (attack review 31 F4)."""
    spec = Spec(version=1, bank="测试银行", accounts=[AccountSpec(id="bank", name="测试银行")],
                policies=PoliciesSpec(packs=["cn-bank"]))
    statement = "<p>欢迎到网点咨询本行理财产品。</p>" + hidden.format("理财非存款、产品有风险、投资须谨慎。")
    promise = "<p>理财非存款、产品有风险、投资须谨慎。</p>" + hidden.format("本行理财保本保收益")
    state = AccountState(articles=(Article("wealth/dec", "年终理财展望", content=statement),
                                   Article("wealth/jan", "新年理财", content=promise)))
    found = {(f.rule, f.address) for f in
             evaluate_state(spec, spec.accounts[0], state, "live", datetime.date(2026, 11, 25))}
    assert ("wealth.risk-disclaimer", "bank/content/articles/wealth/dec") in found, found
    assert ("wealth.no-guaranteed-return", "bank/content/articles/wealth/jan") in found, found


def test_deployed_policies_read_raw_text_elements_and_right_to_left_paragraphs_as_a_browser_does() -> None:
    """Attack review 33: `</p>` does not end a <title> (a browser draws none of it), and a paragraph a reader sees
    right to left (dir="rtl", or right-to-left marks) is read in that order."""
    spec = Spec(version=1, bank="测试银行", accounts=[AccountSpec(id="bank", name="测试银行")],
                policies=PoliciesSpec(packs=["cn-bank"]))
    statement = "理财非存款、产品有风险、投资须谨慎。"
    articles = (
        Article("wealth/title", "理财",
                content=f"<p>欢迎到网点咨询本行理财产品。</p><p><title></p>{statement}</title></p>"),
        Article("wealth/dir", "理财", content=f'<p>{statement}</p><p dir="rtl">给我\u200f码\u200f验证\u200f请发送</p>'),
        Article("wealth/rlm", "理财", content=f"<p>{statement}</p><p>\u200f给我\u200f码\u200f验证\u200f请发送</p>"))
    state = AccountState(articles=articles)
    found = {(f.rule, f.address.rsplit("/", 1)[-1]) for f in
             evaluate_state(spec, spec.accounts[0], state, "live", datetime.date(2026, 11, 25))}
    assert ("wealth.risk-disclaimer", "title") in found
    assert {("pii.no-credential-solicitation", "dir"), ("pii.no-credential-solicitation", "rlm")} <= found, found


def _live_findings(*articles: Article) -> set[tuple[str, str]]:
    """(rule, article name) of each finding `scan` shows on live articles."""
    spec = Spec(version=1, bank="测试银行", accounts=[AccountSpec(id="bank", name="测试银行")],
                policies=PoliciesSpec(packs=["cn-bank"]))
    return {(f.rule, f.address.rsplit("articles/", 1)[-1]) for f in
            evaluate_state(spec, spec.accounts[0], AccountState(articles=articles), "live",
                           datetime.date(2026, 11, 25))}


STATEMENT, PROMISE = "理财非存款、产品有风险、投资须谨慎。", "本行理财保本保收益"


def _hides_the_statement_and_reads_the_promise(markup: str) -> None:
    """`markup` (its text at {}) keeps a wealth article's risk statement from readers, so it is not made; a
    promise written there is still read."""
    found = _live_findings(
        Article("wealth/dec", "年终理财展望", content="<p>欢迎到网点咨询本行理财产品。</p>" + markup.format(STATEMENT)),
        Article("wealth/jan", "新年理财", content=f"<p>{STATEMENT}</p>" + markup.format(PROMISE)))
    assert ("wealth.risk-disclaimer", "wealth/dec") in found, found
    assert ("wealth.no-guaranteed-return", "wealth/jan") in found, found


@pytest.mark.parametrize("hidden", [
    # `</` then a space (or any non-letter) is a comment to a browser: the element stays open
    '<section style="display:none"></ section>{}</section>', '<p hidden></ p>{}</p>',
    '<details></ details>{}</details>',
    '<p style="font-size:0"></\tp>{}</p>', '<p hidden></1p>{}</p>', '<p hidden></>{}</p>',
    # a raw-text element ends only at `</name` then a space, `/` or `>`
    '<p><title></ title>{}</title></p>', '<p><noembed></ noembed>{}</noembed></p>',
    '<p><iframe></ iframe>{}</iframe></p>', '<p><textarea hidden></ textarea>{}</textarea></p>',
    '<p><noscript></ noscript>{}</noscript></p>', '<p><xmp hidden></ xmp>{}</xmp></p>',
    '<p><template></ template>{}</template></p>', '<p><title></titlex>{}</title></p>', '<p><title>{}',
])
def test_deployed_policies_read_end_tags_as_a_browser_does(hidden: str) -> None:
    """Attack review 34 F1: `</ section>` (a space after `</`) ends nothing in a browser, so the statement after it
    stays hidden; a promise there is still read."""
    _hides_the_statement_and_reads_the_promise(hidden)


@pytest.mark.parametrize("unseen", [
    '<p hidden>x</p a=">{}">',  # an end tag's quoted attribute value holds its `>`
    '<p>x<!-- -- >{}--></p>',  # `-- >` does not end a comment
    '<p>x</p><!-- {}', '<p>x</ {}', '<p>x</p><p title="{}',  # the body ends in a comment or a tag
])
def test_deployed_policies_read_no_statement_in_what_a_browser_takes_for_markup(unseen: str) -> None:
    found = _live_findings(Article("wealth/dec", "年终理财展望", content="<p>欢迎到网点咨询本行理财产品。</p>"
                                   + unseen.format(STATEMENT)))
    assert ("wealth.risk-disclaimer", "wealth/dec") in found, found


@pytest.mark.parametrize("shown", [
    '<section style="display:none"></section>{}', '<p><title></title >{}</p>', '<p><title></title\n>{}</p>',
    '<p><title></TITLE/>{}</p>', '<p>{}</p>',
    '<p><!-->{}</p>', '<p><!--->{}</p>', '<p><!-- x --!>{}</p>', '<p><![CDATA[>{}]]></p>',  # comments a browser ends
])
def test_deployed_policies_read_what_a_browser_shows_as_shown(shown: str) -> None:
    found = _live_findings(
        Article("wealth/dec", "年终理财展望", content="<p>欢迎到网点咨询本行理财产品。</p>" + shown.format(STATEMENT)),
        Article("wealth/jan", "新年理财", content=f"<p>{STATEMENT}</p>" + shown.format(PROMISE)))
    assert ("wealth.risk-disclaimer", "wealth/dec") not in found, found
    assert ("wealth.no-guaranteed-return", "wealth/jan") in found, found


@pytest.mark.parametrize("sheet", [
    "<style>blockquote{{display:none}}</style><blockquote>{}</blockquote>",
    "<style>p+p{{display:none}}</style><p>{}</p>",
    '<style>#r{{display:none}}</style><p id="r">{}</p>', '<style>[title]{{display:none}}</style><p title="t">{}</p>',
    "<style>p:last-child{{display:none}}</style><p>{}</p>", "<p>{}</p><STYLE>*{{color:#fff}}</STYLE>",
    "<style>body{{font-size:0}}</style>{}", '<link rel="stylesheet" href="https://evil.example/h.css"><p>{}</p>',
])
def test_deployed_policies_take_no_statement_from_a_body_with_a_style_sheet(sheet: str) -> None:
    """Attack review 34 F7: a style sheet hides by element, id, attribute, combinator or pseudo-class as well as
    by class: in a body that has one, no text makes a statement; a promise is still read."""
    _hides_the_statement_and_reads_the_promise(sheet)


@pytest.mark.parametrize("markup", [
    '<p style="-webkit-text-stroke:100px white">{}</p>',
    '<p>{}</p><p style="outline:80px solid #ffffff">更多理财资讯请关注本行。</p>',
    '<p>{}</p><section style="position:relative;top:-60px;height:60px;background:#ffffff"></section>',
    '<p>{}</p><section style="margin-top:-50px;height:50px;background-color:#fff"></section>',
    '<section style="height:60px;overflow:hidden"><br><br><br><br><br><br><p>{}</p></section>',
    '<p style="width:100px;overflow-x:auto;height:20px">{}</p>'.replace("{}", "&nbsp;{}&nbsp;"),
])
def test_deployed_policies_take_no_statement_a_reader_may_not_see(markup: str) -> None:
    """Attack review 41 F2: a statement pushed out of its box, or painted over by a stroke, an outline or a box
    moved over it, is not made in what scan and a rollback read; a promise there is still read."""
    _hides_the_statement_and_reads_the_promise(markup)


ASKED = "给我\u200f码\u200f验证\u200f请发送"  # drawn right to left: 请发送验证码给我


@pytest.mark.parametrize("body", [
    '<section dir="rtl"><p>{}</p></section>', '<section dir="RTL"><p><span>{}</span></p></section>',
    '<div style="direction:rtl"><section><p>{}</p></section></div>', '<p style="direction:/**/rtl">{}</p>',
    '<p style="direction:r\\74l">{}</p>', '<p style="\\64irection:rtl">{}</p>', '<p style="direction:RTL">{}</p>',
    '<p style="direction:&#114;tl">{}</p>', '<p style="color:#333;direction: rtl !important">{}</p>',
    '<p style="direction:rtl;direction:ltr">{}</p>',  # every declaration is read, as visibility.py does
    '<section dir="rtl"><p>正文</p><p>{}</p></section>',
])
def test_deployed_policies_read_a_paragraph_drawn_right_to_left_by_its_container_or_css(body: str) -> None:
    """Attack review 34 F2: `direction` is inherited, and CSS comments and escapes spell it as well as plain
    text does: the paragraph is read in the order it is drawn."""
    found = _live_findings(Article("notice/otp", "账户安全提示", content=body.format(ASKED)))
    assert ("pii.no-credential-solicitation", "notice/otp") in found, found



@pytest.mark.parametrize("struck", [
    "<p><del>{}</del></p>", "<p><s>{}</s></p>", "<p><strike>{}</strike></p>",
    '<p style="text-decoration:line-through">{}</p>', '<section style="text-decoration: underline line-through red">'
    '<p><span style="text-decoration:none">{}</span></p></section>',  # a decoration no descendant takes off
    '<p style="text-decoration-line:line-through">{}</p>', '<p style="text-decoration:line-throug\\68">{}</p>',
])
def test_deployed_policies_take_no_statement_from_struck_text(struck: str) -> None:
    """Attack review 34 F4: a risk statement struck through is one the reader sees withdrawn; a promise struck
    through is still read."""
    _hides_the_statement_and_reads_the_promise(struck)


@pytest.mark.parametrize("hidden", [
    '<p style="display:none" style="color:#333">{}</p>', '<section style="display:none" style="">{}</section>',
    '<p style="font-size:0" STYLE="color:#333">{}</p>', '<p style="text-decoration:line-through" style="">{}</p>',
    '<p hidden style="color:#333" style="">{}</p>', '<p style="display:none" style="margin:0 0 1em 0">{}</p>',
])
def test_deployed_policies_keep_the_first_of_an_attribute_written_twice(hidden: str) -> None:
    """Attack review 35 F1: a browser keeps the first of two attributes with one name (the later is dropped), so
    `<p style="display:none" style="color:#333">` hides its text; a promise there is still read."""
    _hides_the_statement_and_reads_the_promise(hidden)


@pytest.mark.parametrize("body", ['<p dir="rtl" dir="ltr">{}</p>', '<p style="direction:rtl" style="">{}</p>'])
def test_deployed_policies_read_right_to_left_by_the_first_of_an_attribute_written_twice(body: str) -> None:
    found = _live_findings(Article("notice/otp", "账户安全提示", content=body.format(ASKED)))
    assert ("pii.no-credential-solicitation", "notice/otp") in found, found


@pytest.mark.parametrize("hidden", [
    '<section\x00 style="display:none">{}</section>', '<p\x00 hidden>{}</p>', '<font\x00>{}</font>',
    '<p\x00style="display:none">{}</p>', '<section style\x00="display:none" style="display:none">{}</section>',
    '<p style="display:\x00none">{}</p>',
])
def test_deployed_policies_read_a_nul_in_a_tag_as_a_browser_does(hidden: str) -> None:
    """Attack review 35 F2: a browser reads U+0000 in a tag name as U+FFFD and still builds the element (which
    hides its text); Python's HTMLParser took the whole tag for text."""
    _hides_the_statement_and_reads_the_promise(hidden)


@pytest.mark.parametrize("hidden", [
    '<section style="display:none"><table><tr><td>{}</td></tr></table></section>',
    '<section style="display:none"><table><tr><td></section>{}</td></tr></table></section>',
    '<section style="display:none"><table><caption></section>{}</caption></table></section>',
    '<p style="display:none"><object></p>{}</object></p>',
    '<section hidden><table><tr><td></section>{}</td></tr></table></section>',
    '<tbody><section style="display:none"></tbody>{}</section>', '<td><section style="display:none"></td>{}</section>',
    '<tr><section hidden></tr>{}</section>', '<caption><p hidden></caption>{}</p>',
    '<section hidden><table><tr><th></section>{}</th></tr></table></section>',
    '<section hidden><table>{}</table></section>',  # text in a table is fostered out of it: still in the section
])
def test_deployed_policies_read_the_tree_a_browser_builds_from_misnested_tags(hidden: str) -> None:
    """Attack review 35 F3: a browser ignores an end tag whose element a table cell (caption, object) stands
    between, and table-part tags outside a table: the hiding element stays open around the statement."""
    _hides_the_statement_and_reads_the_promise(hidden)


@pytest.mark.parametrize("shown", [
    '<p><span style="display:none"><ul></span>{}</ul></span></p>',  # <ul> closes the <p> and leaves the span
    '<table><tr><td>{}</td></tr></table>',
    '<section style="display:none"></section><table><tr><td>{}</td></tr></table>',
])
def test_deployed_policies_read_a_statement_a_browser_shows_from_misnested_tags(shown: str) -> None:
    found = _live_findings(
        Article("wealth/dec", "年终理财展望", content="<p>欢迎到网点咨询本行理财产品。</p>" + shown.format(STATEMENT)))
    assert ("wealth.risk-disclaimer", "wealth/dec") not in found, found


@pytest.mark.parametrize("hidden", [
    "<p popover>{}</p>", '<section popover="manual">{}</section>', '<div popover="auto"><p>{}</p></div>',
    '<p POPOVER="hint">{}</p>', "<dialog>{}</dialog>", "<dialog><p>{}</p></dialog>", '<p hidden="until-found">{}</p>',
])
def test_deployed_policies_take_no_statement_from_what_the_standard_style_sheet_hides(hidden: str) -> None:
    """Attack review 35 F4: the HTML standard's own style sheet hides a popover not opened (no script opens one in
    an article) and a <dialog> without `open`, as it hides `hidden`: no statement there is made; a promise is read."""
    _hides_the_statement_and_reads_the_promise(hidden)


@pytest.mark.parametrize("style", [
    "-webkit-transform:scale(0)", "-webkit-filter:opacity(0)", "-webkit-clip-path:inset(50%)",
    "offset-path:path('M -9999 0 L -9999 1')", "transform:none;-webkit-transform:scale(0)",
])
def test_deployed_policies_judge_prefixed_and_moving_properties(style: str) -> None:
    """Attack review 35 F5: a statement moved, shrunk or clipped by a prefixed or motion-path property is not made."""
    found = _live_findings(Article("wealth/dec", "年终理财展望", content="<p>欢迎到网点咨询本行理财产品。</p>"
                                   f'<section style="{style}"><p>{STATEMENT}</p></section>'))
    assert ("wealth.risk-disclaimer", "wealth/dec") in found, found
