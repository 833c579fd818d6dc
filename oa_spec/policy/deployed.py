"""Today's policies on a state that is not the spec: a history revision about to be rolled back to,
or what the live account shows followers (console edits the API cannot write).

The subjects are built from the normalized AccountState (menu names and links, reply and keyword-reply
texts, a news card's title and description as one text, FAQ answers, module webhooks, template titles, and each
article's title, digest and body text) and run through the same engine, packs, settings, severities and
waivers as the spec. Rules about the spec's structure (modules, streams, consent) have nothing to look at here:
only findings at an address of one of the state's texts, links or webhooks are kept. Each finding's position is
where the state came from ("revision 3", "live") instead of a file:line:col.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, replace

from oa_spec.config.compile import CompiledAccount
from oa_spec.config.diagnostics import Position
from oa_spec.config.locate import Loc
from oa_spec.config.model import AccountSpec, RepliesSpec, Spec
from oa_spec.config.model_services import ContentSpec
from oa_spec.content.characters import drawn_order, readable
from oa_spec.content.diff import policy_reading
from oa_spec.kinds.addresses import build
from oa_spec.kinds.keyword_reply import rule_keys
from oa_spec.kinds.state import AccountState, Button, NewsArticle, Reply
from oa_spec.policy import waivers
from oa_spec.policy.engine import _Engine
from oa_spec.policy.findings import Finding
from oa_spec.policy.rules import Rule
from oa_spec.policy.subjects import AccountIndex, LinkItem, Source, TextItem, add_text_links
from oa_spec.policy.text import normalise

_ROOT: Loc = ("state",)


@dataclass(frozen=True)
class StatePosition(Position):
    """Where a state's text came from: no file, so no line and column."""

    def __str__(self) -> str:
        return self.file


class _StateLocator:
    """The engine asks where a hit is: the state's origin, and the field's path within the state."""

    def __init__(self, where: str) -> None:
        self.where = where

    def find(self, loc: Loc, key_position: bool = False, phrase: object = None) -> tuple[Position, str]:
        return StatePosition(self.where, 0, 0), ".".join(str(part) for part in loc[len(_ROOT):])


def evaluate_state(spec: Spec, account: AccountSpec, state: AccountState, where: str,
                   today: datetime.date) -> list[Finding]:
    """Findings of today's enabled text and link rules on `state`, with the spec's waivers applied."""
    rules = StateRules(spec, account, where, today)
    index, findings = rules.run(state)
    outcome = waivers.apply(spec.policies.waivers, findings, rules.rules, [index], today,
                            spec.policies.waiver_max_days)
    return [replace(f, waiver=outcome.covering.get(n)) for n, f in enumerate(findings)]


class StateRules:
    """Today's enabled text and link rules, configured once (packs, settings, severities, the spec's own rules), on
    one state (the rollback gate, scan: evaluate_state, which applies the waivers) or many small ones (the gateway
    holds each module webhook's answer to them before a follower gets it, with no waiver: a waiver covers a reviewed
    text at its address, and no one reviewed what a service answers)."""

    def __init__(self, spec: Spec, account: AccountSpec, where: str, today: datetime.date) -> None:
        self._account = account
        self._engine = _Engine(spec, _StateLocator(where), today)  # type: ignore[arg-type]  # duck-typed Locator
        self._engine.configure()

    @property
    def rules(self) -> dict[str, Rule]:
        return self._engine.rules

    def run(self, state: AccountState) -> tuple[AccountIndex, list[Finding]]:
        """`state`'s index and the rules' findings on its texts, links, mini-programs and webhooks (a rule about the
        spec's structure has nothing to look at here), at the severity the spec gives each; configuration problems
        are the spec's, reported by validate and plan."""
        index = state_index(self._account, state)
        engine = copy.copy(self._engine)  # a list of findings of its own: answers are checked on several threads
        engine.findings = []
        engine.run_account(index)
        subjects = {item.address for item in index.texts}
        subjects |= {item.address for item in (*index.links, *index.webhooks, *index.miniprograms)}
        return index, [f for f in engine.findings if f.address in subjects]

    def findings(self, state: AccountState) -> list[Finding]:
        return self.run(state)[1]


def state_index(account: AccountSpec, state: AccountState) -> AccountIndex:
    """The texts and links of `state`, on an account that keeps its policies but declares nothing else."""
    bare = account.model_copy(update={"menu": None, "conditional_menus": [], "templates": [], "tags": [],
                                      "replies": RepliesSpec(), "modules": [], "content": ContentSpec()})
    index = AccountIndex(CompiledAccount(bare, state), _ROOT)
    if state.menu is not None:
        _menu(index, build(account.id, "menu"), ("menu",), state.menu.buttons, ())
    for menu in state.conditional_menus:
        audience = (menu.match.tag,) if menu.match.tag else ()
        _menu(index, build(account.id, "conditional_menu", menu.name), ("conditional_menus", menu.name),
              menu.buttons, audience)
    for key, reply in (("subscribe", state.subscribe_reply), ("default", state.default_reply)):
        if reply is not None:
            _reply(index, build(account.id, "reply", key), ("replies", key, "text"), reply)
    for rule, key in zip(state.keyword_replies, rule_keys(state.keyword_replies), strict=True):
        for n, reply in enumerate(rule.replies):
            where = ("reply",) if n == 0 else ("replies", n)
            _reply(index, build(account.id, "keyword_reply", key), ("replies", "keywords", key, *where), reply)
    for kind, replies in (("click_reply", state.click_replies), ("scene_reply", state.scene_replies)):
        for event in replies:
            _reply(index, build(account.id, kind, event.key), (kind, event.key, "reply"), event.reply)
    for entry in state.faq:
        _text(index, build(account.id, "faq", entry.id), ("faq", entry.id, "answer"), entry.answer, "replies")
    for article in state.articles:  # read whole, as the spec's articles are: title, author, digest, the body
        address, loc = build(account.id, "article", article.name), ("content", "articles", article.name)
        head, body = [article.title, article.author, article.digest], policy_reading(article.content)
        shown = "\n".join([*head, *body.shown])  # every rule: a statement must be seen
        _text(index, address, loc, shown, "articles", article.audience)
        for line in body.everything if body.styled else ():  # a style sheet may show this line alone
            _text(index, address, loc, "\n".join([*head, line]), "articles", article.audience)
        # text hidden from readers and images' alt texts are read for what they claim, never as a statement
        everything = "\n".join([*head, *body.everything])
        if everything != shown:
            _text(index, address, loc, everything, "articles", article.audience)
        for url in filter(None, [article.source_url, *body.links]):
            index.links.append(LinkItem(address, (*_ROOT, *loc), url, "articles", label=article.title))
    for hook in state.webhooks:  # a rollback must not send followers' messages to a host no longer allowed
        index.webhooks.append(LinkItem(build(account.id, "webhook", hook.module), (*_ROOT, "webhooks", hook.module,
                                                                                    "url"), hook.url, "modules"))
    for template in state.templates:
        _text(index, build(account.id, "template", template.name or template.title),
              ("templates", template.name or template.title, "title"), template.title, "templates")
    return index


def _reply(index: AccountIndex, address: str, loc: Loc, reply: Reply) -> None:
    """A reply's text, at the reply's address; of a console media reply not its label ([图片]), which no
    follower sees, but a news (图文) reply's articles: each as one text, and each link (the article, its 阅读原文,
    the cover every phone loads) as a link."""
    if reply.media is None:
        _text(index, address, loc, reply.text, "replies")
    for n, article in enumerate(reply.news):
        _text(index, address, (*loc, "news", n), card_text(article), "replies")
        for name, url in article.urls().items():
            index.links.append(LinkItem(address, (*_ROOT, *loc, "news", n, name), url, "replies", label=article.title))


def card_text(article: NewsArticle) -> str:
    """A news (图文) article as its follower reads the card: the title, then the description under it, as one text,
    so a claim split across them (稳盈1号理财产品 / 保本保收益) or a disclaimer in the description is read whole
    (attack review 70 F1). A space, not a line break, joins them: the rules read through a space inside a word
    (请回复短信 验证码) but take a line break as the end of a statement. The author, shown on the article's page and
    not on the card, follows on a line of its own."""
    card = " ".join(filter(None, (article.title, article.digest)))
    return "\n".join(filter(None, (card, article.author)))


def _text(index: AccountIndex, address: str, loc: Loc, text: str, source: Source,
          audience: tuple[str, ...] = ()) -> None:
    """A state's text as followers see it drawn: without the characters that draw nothing (验&#8203;证码 is 验证码
    on a phone, content/characters.py), as the spec's texts (which refuse them) and articles are read."""
    for drawn in dict.fromkeys([readable(text), readable(drawn_order(text))]):  # an override reorders the screen
        item = TextItem(address, (*_ROOT, *loc), normalise(drawn), source, audience)
        index.texts.append(item)
        add_text_links(index, item, drawn)


def _menu(index: AccountIndex, address: str, loc: Loc, buttons: tuple[Button, ...],
          audience: tuple[str, ...]) -> None:
    for i, button in enumerate(buttons):
        here = (*loc, i)
        _text(index, address, (*here, "name"), button.name, "menus", audience)
        for j, sub in enumerate(button.sub_buttons):
            _text(index, address, (*here, "sub_buttons", j, "name"), sub.name, "menus", audience)
            _link(index, address, (*here, "sub_buttons", j, "url"), sub)
        if not button.sub_buttons:
            _link(index, address, (*here, "url"), button)


def _link(index: AccountIndex, address: str, loc: Loc, button: Button) -> None:
    if button.url is not None:
        index.links.append(LinkItem(address, (*_ROOT, *loc), button.url, "menus", label=button.name,
                                    appid=button.appid or ""))
