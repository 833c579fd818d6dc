"""Decide what answers one incoming message or event, from the account's compiled configuration.

Keyword cost does not grow with the number of rules: exact keywords are one dict lookup, `contains`
keywords one Aho-Corasick pass over the message, regular expressions one pass of an RE2 set (linear in the
message, whatever the patterns). When several rules match, the rule listed first wins (a reviewed,
predictable order).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from oa_spec.content.characters import readable
from oa_spec.gateway.config import AccountGateway, KeywordRule, Reply
from oa_spec.util.display import KANA_LIKE_HAN
from oa_spec.util.hanzi import t2s_table
from oa_spec.util.regex import PatternSet

JOB_FINISH_EVENTS = frozenset({"TEMPLATESENDJOBFINISH", "MASSSENDJOBFINISH", "PUBLISHJOBFINISH"})
USER_MESSAGE_TYPES = frozenset({"text", "image", "voice", "video", "shortvideo", "location", "link"})
HUMAN_OFFER = "抱歉，这个问题我暂时无法准确回答。回复“转人工”即可联系人工客服。"
# What a click on a module that cannot take one more call in time gets (a click has no text of its own).
BUSY_TEXT = "当前咨询人数较多，请稍后再试。"

OutcomeKind = Literal["reply", "transfer", "module", "success", "job_finished"]


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    replies: tuple[Reply, ...] = ()  # the first is the passive reply, the rest go through customer service
    module: str | None = None
    source: str = ""  # what decided it (for metrics; never message content)


@dataclass(frozen=True)
class FaqAnswer:
    entry_id: str
    answer: str
    module: str | None
    confident: bool


FaqLookup = Callable[[str], FaqAnswer]
SUCCESS = Outcome("success", source="none")
# The katakana drawn as ideographs (エ as 工), but ー, the long-vowel mark, which is drawn as a dash (人ー工)
_KANA_AS_HAN = str.maketrans({kana: han for kana, han in KANA_LIKE_HAN.items() if kana != "ー"})


def _small_kana_as_letters() -> dict[int, str]:
    """Each small katakana (ェ, ヵ, ㇳ; NFKC makes the half-width ｪ ェ) as the letter it is drawn smaller."""
    small: dict[int, str] = {}
    for code in (*range(0x30A0, 0x3100), *range(0x31F0, 0x3200), *range(0x1B130, 0x1B170)):
        name = unicodedata.name(chr(code), "")
        if name.startswith("KATAKANA LETTER SMALL "):
            try:
                small[code] = unicodedata.lookup(name.replace(" SMALL ", " ", 1))
            except KeyError:
                continue
    return small


_SMALL_KANA = str.maketrans(_small_kana_as_letters())
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
_READ = re.compile(f"[{_HAN}A-Za-z0-9]")  # ideographs, ASCII letters and digits
# Drawn as one stroke or a dot and never a word, so punctuation to the eye between two words (丶 is the IME's
# decoration for 、): the ideographs of one stroke (Unihan kTotalStrokes 1: the basic block's, the Kangxi
# radicals ⼁⼂⼃⼅ and the compatibility 乁 that NFKC folds to them, Extension B's 𠃉-𠃏 𠃑 𠄌 𠄎 𡿨 𪛙, E's 𬼂),
# but 一 and 乙, which are words (one; the second, as in 甲乙): 一人一工号 is no request, nor is 人一工. And the
# ASCII letters drawn as a bar, a dot or a ring, between two ideographs (人l工, 人I工), but digits, which are
# words (每人10工分, 联系人1工作日); IC卡 and 5G are words too. Other strokes (㇀-㇣, ⺄, |) are not ideographs,
# so are not read at all.
_ONE_STROKE_HAN = str.maketrans("", "", "丨丶丿乀乁乚乛亅𠃉𠃊𠃋𠃌𠃍𠃎𠃏𠃑𠄌𠄎𡿨𪛙𬼂")
_LATIN_AS_MARK = re.compile(f"(?<=[{_HAN}])[IlijoO]+(?=[{_HAN}])")


class KeywordMatcher:
    def __init__(self, rules: tuple[KeywordRule, ...]) -> None:
        import ahocorasick  # type: ignore[import-not-found]

        self._rules = rules
        self._exact: dict[str, int] = {}
        self._automaton: Any = ahocorasick.Automaton()
        patterns: list[str] = []
        pattern_rules: list[int] = []
        for index, rule in enumerate(rules):
            for mode, keyword in rule.keywords:
                if mode == "exact":
                    self._exact.setdefault(keyword.strip(), index)
                elif mode == "contains":
                    known = self._automaton.get(keyword, None)
                    self._automaton.add_word(keyword, index if known is None else min(known, index))
                else:
                    patterns.append(keyword)
                    pattern_rules.append(index)
        self._has_contains = len(self._automaton) > 0
        if self._has_contains:
            self._automaton.make_automaton()
        self._patterns = PatternSet(patterns) if patterns else None
        self._pattern_rules = pattern_rules

    def match(self, text: str) -> KeywordRule | None:
        best = self._exact.get(text.strip())
        if self._has_contains:
            for _, index in self._automaton.iter(text):
                best = index if best is None else min(best, index)
        if self._patterns is not None:
            found = self._patterns.first(text)  # patterns are added in rule order, so the first is the best
            if found is not None:
                index = self._pattern_rules[found]
                best = index if best is None else min(best, index)
        return None if best is None else self._rules[best]


class Router:
    def __init__(self, config: AccountGateway, faq: FaqLookup | None = None,
                 rng: random.Random | None = None) -> None:
        self.config = config
        self._keywords = KeywordMatcher(config.keyword_rules)
        self._transfer = tuple(folded for k in config.transfer_keywords if (folded := _folded(k)))
        self._faq = faq
        self._rng = rng or random.Random()

    def route(self, fields: dict[str, str]) -> Outcome:
        msg_type = fields.get("MsgType", "")
        if msg_type == "event":
            return self._event(fields.get("Event", ""), fields.get("EventKey", ""))
        if msg_type == "text":
            return self._text(fields.get("Content", ""))
        if msg_type in USER_MESSAGE_TYPES:
            return self._reply(self.config.default_reply, "default")
        return SUCCESS

    def _event(self, event: str, key: str) -> Outcome:
        if event in JOB_FINISH_EVENTS:
            return Outcome("job_finished", source=event)
        if event == "subscribe":
            if key.startswith("qrscene_") and key[len("qrscene_"):] in self.config.scene_welcomes:
                return self._reply(self.config.scene_welcomes[key[len("qrscene_"):]], "scene")
            return self._reply(self.config.subscribe_reply, "subscribe")
        if event == "SCAN":
            return self._reply(self.config.scan_replies.get(key), "scan")
        if event == "CLICK":
            action = self.config.click_actions.get(key)
            if action is None:
                return SUCCESS
            if action.module is not None:
                return Outcome("module", module=action.module, source="click")
            return self._reply(action.reply, "click")
        return SUCCESS

    def _text(self, content: str) -> Outcome:
        # A follower asking for a human is transferred before any keyword rule: no rule, however it is written (an
        # exact 人工客服在吗, a pattern for 转人工！), can keep them from one (attack reviews 27-33 wrote such rules
        # faster than validate could refuse them). 人工客服电话是多少 reaches a human, who answers it too.
        if self._asks_for_a_human(content):
            return Outcome("transfer", source="transfer")
        rule = self._keywords.match(content)
        if rule is not None and rule.module is not None:  # the rule's text answers when the module cannot
            return Outcome("module", replies=rule.replies[:1], module=rule.module, source="keyword")
        if rule is not None:
            chosen = rule.replies if rule.reply_mode == "reply_all" else (self._rng.choice(rule.replies),)
            return Outcome("reply", replies=chosen, source="keyword")
        if self._faq is not None and content.strip():
            found = self._faq(content)
            if not found.confident:
                return Outcome("reply", replies=(Reply(text=HUMAN_OFFER),), source="faq_out_of_scope")
            if found.module is not None:
                return Outcome("module", replies=(Reply(text=found.answer),), module=found.module, source="faq")
            return Outcome("reply", replies=(Reply(text=found.answer),), source="faq")
        return self._reply(self.config.default_reply, "default")

    def _asks_for_a_human(self, content: str) -> bool:
        """A transfer word, or 人工 on its own (我要人工, 找人工; 人工智能 too: a human can answer that), read as the
        follower wrote it: in traditional script or look-alike radicals, with spaces, punctuation or characters
        that draw nothing between its characters, or katakana drawn as its ideographs (轉人工, ⼈⼯客服, 人 工客服,
        人\u200b工服务, 人\u3164工, 人エ客服)."""
        folded = _folded(content)
        return "人工" in folded or any(word in folded for word in self._transfer)

    @staticmethod
    def _reply(reply: Reply | None, source: str) -> Outcome:
        return SUCCESS if reply is None else Outcome("reply", replies=(reply,), source=source)



def _folded(text: str) -> str:
    """Simplified script, ideographs and ASCII letters and digits only: what a follower means whatever they typed
    between. What draws nothing is dropped (content.characters, as scan and the spec read it), a katakana drawn as
    an ideograph is read as that ideograph (人エ is 人工), and every other letter or mark between is passed over, as
    punctuation is: the Hangul fillers, ー, ˉ, ㆍ and the tatweel are letters to isalnum() (attack reviews 34, 37).
    A character drawn as one stroke or a dot that is never a word is passed over too (人丶工, 人𠃊工, 人l工: attack
    reviews 39, 40); 一, 乙 and digits are words, so are read (人一工 and 人1工 are not 人工), and a small katakana is
    its letter (人ェ is 人工)."""
    shown = unicodedata.normalize("NFKC", readable(text)).translate(t2s_table())
    shown = shown.translate(_SMALL_KANA).translate(_KANA_AS_HAN)
    return _LATIN_AS_MARK.sub("", "".join(_READ.findall(shown)).translate(_ONE_STROKE_HAN))
