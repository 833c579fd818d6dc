"""Checks of what `oaspec serve` answers with: the `gateway:` block, keyword patterns, module webhooks and
FAQ entries.

Called by validate.py for every account; every problem names its place in the spec and what to do.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from oa_spec import limits
from oa_spec.config.diagnostics import Position
from oa_spec.config.model import AccountSpec, WeChatProviderConfig, leaves
from oa_spec.util.regex import LinearPattern, PatternError, compile_linear
from oa_spec.util.secret_policy import GLUED, secret_variable_problem, variable_named
from oa_spec.util.urls import is_loopback, split_url

Loc = tuple[str | int, ...]


class Checker(Protocol):
    def error(self, loc: Loc, message: str, hint: str, severity: str = "error") -> None: ...
    def warn(self, loc: Loc, message: str, hint: str) -> None: ...
    def unique(self, loc: Loc, values: list[str], what: str, names: bool = False) -> None: ...
    def _closest(self, value: str, known: Iterable[str], otherwise: str) -> str: ...
    def reply(self, loc: Loc, reply: Any, modules: dict[str, Any]) -> None: ...
    def find(self, loc: Loc) -> tuple[Position, str]: ...


def variable(reference: str) -> str:
    """NAME from `${NAME}`."""
    return reference[2:-1]


def check_gateway(checker: Checker, loc: Loc, account: AccountSpec) -> None:
    gateway = account.gateway
    served = gateway is not None
    if gateway is not None:
        at = (*loc, "gateway")
        for field, reference in (("token", gateway.token), ("encoding_aes_key", gateway.encoding_aes_key)):
            if reference is not None:
                _secret(checker, (*at, field), variable(reference), field)
        if gateway.mode != "plain" and gateway.encoding_aes_key is None:
            checker.error((*at, "encoding_aes_key"), f"mode {gateway.mode} encrypts messages, so it needs the "
                          "EncodingAESKey", "add encoding_aes_key: ${OASPEC_<ACCOUNT>_AES_KEY}, or use mode: plain")
        if gateway.app_id is None and not isinstance(account.provider, WeChatProviderConfig):
            checker.error((*at, "app_id"), "the gateway needs the account's AppID (encrypted messages carry it, "
                          "and the gateway checks it); a local account has none to default to",
                          "add app_id: wx... (as shown in the console), or use provider type wechat")
    _event_replies(checker, loc, account)
    _click_claims(checker, loc, account)
    _keyword_rules(checker, loc, account)
    ids: list[str] = []
    modules = {m.id for m in account.modules}
    for i, module in enumerate(account.modules):
        here = (*loc, "modules", i)
        if module.webhook is not None:
            _webhook(checker, (*here, "webhook"), module.webhook.url, module.webhook.signing_secret)
            if not served:
                checker.warn((*here, "webhook"), "only `oaspec serve` calls module webhooks, and this account has "
                             "no gateway: block", "add gateway: to the account, or remove the webhook")
        if module.faq and module.kind != "customer_service":
            checker.error((*here, "faq"), f"FAQ entries belong to a customer_service module, not {module.kind}",
                          "move them to the account's customer_service module")
        elif module.faq and not served:
            checker.warn((*here, "faq"), "only `oaspec serve` answers FAQ entries, and this account has no gateway: "
                         "block", "add gateway: to the account, or remove the FAQ")
        for j, entry in enumerate(module.faq):
            ids.append(entry.id)
            if entry.module is not None and entry.module not in modules:
                checker.error((*here, "faq", j, "module"), f"no module with id {entry.module!r}",
                              checker._closest(entry.module, modules, "declare it under modules:"))
            if not entry.answer.text.strip():
                checker.error((*here, "faq", j, "answer", "text"), "the answer is empty", "write the answer text")
    if len(set(ids)) != len(ids):
        duplicate = next(i for i in ids if ids.count(i) > 1)
        faq_at = next((*loc, "modules", i, "faq") for i, m in enumerate(account.modules)
                      if duplicate in {e.id for e in m.faq})
        checker.error(faq_at, f"FAQ id {duplicate!r} is used more than once in this account",
                      "each FAQ entry needs its own id (it names the entry in plans and history)")


def _secret(checker: Checker, loc: Loc, name: str, field: str) -> None:
    problem = secret_variable_problem(name, field)
    if problem:
        checker.error(loc, problem, "write ${OASPEC_<ACCOUNT>_...} and keep the value under that name in the "
                      "server's environment")
    elif not os.environ.get(name):  # a warning: validate and plan need no gateway secrets
        named = variable_named(name)
        checker.warn(loc, f"{named} is not set; `oaspec serve` needs it",
                     f"export {name}=... on the machines that run oaspec serve" if named.endswith(name) else GLUED)


def _webhook(checker: Checker, loc: Loc, url: str, secret: str | None) -> None:
    parts = split_url(url)
    if parts is None or not parts.hostname or not (
            parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))):
        checker.error((*loc, "url"), f"webhook url {url!r} must be an https:// URL (plain http only on a loopback "
                      "address)", "customers' messages travel to it: use the service's https address")
    if secret is None:  # followers' OpenIDs and messages go to it: the service must be able to tell it is us
        checker.error((*loc, "signing_secret"), "the webhook has no signing_secret: `oaspec serve` signs every call "
                      "(HMAC-SHA256 over the body and a timestamp), so the bank's service can refuse followers' "
                      "OpenIDs and messages that do not come from it",
                      "add signing_secret: ${OASPEC_<ACCOUNT>_HOOK} to the webhook, set that variable where "
                      "oaspec serve runs, and have the service check X-Oaspec-Signature")
    else:
        _secret(checker, (*loc, "signing_secret"), variable(secret), "signing_secret")


# Messages of every kind a follower types, one character and more: a pattern that matches all of them (`.`,
# `..`, `[\s\S]`, `[^!]`, `\C`) takes every message (the platform sends no message of whitespace alone).
_ONE_CHARACTER_MESSAGES = ("转", "a", "Z", "7", "？", "!", "😀")
_ORDINARY_MESSAGES = ("转人工", "人工客服", "你好", "hi", "12", "我想查一下余额", "ok?", "查 balance 😀")
# What followers send a bank's account, as they type it: questions, a word, a menu digit, numbers, English,
# emoji, the words for a human. A pattern that takes most of them (`\p{Han}`, `[^12转]`) misses a probe above
# but still takes the account's conversation from the FAQ and the default reply.
_CUSTOMER_MESSAGES = (
    "转人工", "人工客服", "人工服务", "银行卡丢了怎么挂失", "我的卡号是6222021234567890123", "营业时间", "你好",
    "在吗", "余额", "查余额", "怎么查明细", "信用卡还款日是哪天", "忘记密码怎么办", "手机银行登录不上",
    "转账失败钱能退吗", "定期存款利率多少", "房贷提前还款要什么材料", "附近网点在哪里", "卡被冻结了", "谢谢",
    "好的", "1", "3", "ok", "hello", "How do I reset my password?", "ATM吞卡了", "我要投诉", "收到一条短信说我中奖了",
    "理财产品到期了钱什么时候到账", "额度能提吗", "怎么开通短信提醒", "13800138000", "外币兑换", "怎么注销账户",
    "为什么扣了我年费", "车贷审批要多久", "社保卡怎么激活", "你们周末上班吗", "网银U盾丢了", "？", "👍",
    "有人吗？？？", "工资卡怎么办理", "大额取现要预约吗", "跨行转账手续费", "信用卡分期怎么算利息", "怎么绑定微信支付",
    "验证码收不到", "账户异常", "退款什么时候到", "ETC怎么办理", "想办一张储蓄卡", "人呢", "客服电话多少",
)
def _keyword_rules(checker: Checker, loc: Loc, account: AccountSpec) -> None:
    """A webhook module answers a one-reply rule only. match: regex is the gateway's (the console has none);
    each pattern meets every customer's message, so it is RE2, needs at least one character, and stays within
    the size budgets (limits.KEYWORD_PATTERN_PROGRAM, KEYWORD_PATTERNS_PROGRAM)."""
    hooks = {m.id for m in account.modules if m.webhook is not None}
    total = 0
    matchers: list[Callable[[str], bool]] = []  # what each rule matches, for the rules' take together
    took = False  # a rule already said to take the conversation on its own
    for i, rule in enumerate(account.replies.keywords):
        at = (*loc, "replies", "keywords", i)
        replies = rule.located_replies()
        if len(replies) > 1 and account.gateway is not None:
            for where, reply in replies:
                if reply.module in hooks:
                    checker.error((*at, *where, "module"), f"module {reply.module} answers through its webhook, "
                                  "which only a rule's single reply can do", "give this rule one reply")
        if rule.match != "regex":
            matcher = partial(_contains_any if rule.match == "contains" else _equals_any, rule.keywords)
            matchers.append(matcher)
            taken = _takes_the_conversation(matcher, f"rule {rule.name!r}") if account.gateway is not None else None
            if taken is not None:
                took = True
                checker.error((*at, "keywords"), taken, "use longer keywords (营业时间, 信用卡还款), match: exact, "
                              "or replies.default")
            continue
        if account.gateway is None:
            checker.error((*at, "match"), "only `oaspec serve` matches regular expressions (the console has none), "
                          "and this account has no gateway: block", "add gateway: to the account, or use contains")
        for j, pattern in enumerate(rule.keywords):
            try:
                compiled = compile_linear(pattern)
            except PatternError as exc:
                checker.error((*at, "keywords", j), str(exc), "write it as an RE2 regular expression")
                continue
            if compiled.size > limits.KEYWORD_PATTERN_PROGRAM:
                checker.error((*at, "keywords", j), f"pattern compiles to {compiled.size} RE2 instructions; the "
                              f"limit is {limits.KEYWORD_PATTERN_PROGRAM} (every message is matched against it)",
                              "counted repetitions multiply the size: write {1,1000} as +, or use a smaller count")
                continue
            total += compiled.size
            matchers.append(partial(_finds, compiled))
            problem = _pattern_problem(compiled, pattern)
            if problem is not None:
                took = True
                checker.error((*at, "keywords", j), *problem)
    if account.gateway is not None and not took and (together := _takes_the_conversation(
            lambda message: any(m(message) for m in matchers), "the keyword rules together")) is not None:
        checker.error((*loc, "replies", "keywords"), together, "split across rules, one-character keywords take as "
                      "much as one rule would: match the words each rule is for, or use replies.default")
    if total > limits.KEYWORD_PATTERNS_PROGRAM:
        checker.error((*loc, "replies", "keywords"), f"the keyword patterns compile to {total} RE2 instructions "
                      f"together; the limit is {limits.KEYWORD_PATTERNS_PROGRAM}",
                      "use match: contains or exact where a pattern is not needed, or merge patterns")


def _pattern_problem(compiled: LinearPattern, pattern: str) -> tuple[str, str] | None:
    """(what is wrong, what to do) when a pattern answers every message or takes the conversation, else None."""
    if next(compiled.matches(""), None) is not None:
        return (f"pattern {pattern!r} matches every message (it matches the empty text)",
                "make it need at least one character, or use replies.default")
    if any(all(_finds(compiled, probe) for probe in probes)
           for probes in (_ONE_CHARACTER_MESSAGES, _ORDINARY_MESSAGES)):
        return (f"pattern {pattern!r} matches every message (any one character, or any ordinary message: 转人工, "
                "你好, hi, 12), so the FAQ and the default reply would never be reached",
                "match the words it is for, or use replies.default")
    taken = _takes_the_conversation(partial(_finds, compiled), f"pattern {pattern!r}")
    return None if taken is None else (taken, "match the words it is for (余额|明细, 营业时间, ^客服$), or use "
                                              "replies.default")


def _contains_any(keywords: Iterable[str], message: str) -> bool:
    return any(keyword in message for keyword in keywords)


def _equals_any(keywords: Iterable[str], message: str) -> bool:
    return message in keywords


def _finds(compiled: LinearPattern, message: str) -> bool:
    return next(compiled.matches(message), None) is not None


def _takes_the_conversation(finds: Callable[[str], bool], what: str) -> str | None:
    """Why a keyword rule would answer what followers send for the FAQ or anyone (keyword rules are matched before
    the FAQ and the default reply; a way of asking for a human is transferred before them all), or None: a quarter
    of the sample of customers' messages is too much; a rule for a word or phrase matches few of them."""
    taken = [message for message in _CUSTOMER_MESSAGES if finds(message)]
    if 4 * len(taken) > len(_CUSTOMER_MESSAGES):
        return (f"{what} matches {len(taken)} of {len(_CUSTOMER_MESSAGES)} typical customer messages "
                f"({'、'.join(taken[:4])} …), so the FAQ and the default reply would never be reached for many "
                "followers")
    return None


def _event_replies(checker: Checker, loc: Loc, account: AccountSpec) -> None:
    """Click and scene replies: answered only by `oaspec serve`, one per key, replies checked like any other."""
    modules = {m.id: m for m in account.modules}
    keys = {leaf.key for menu in [account.menu or [], *(m.menu for m in account.conditional_menus)]
            for leaf in leaves(menu) if leaf.key}
    for field, items in (("clicks", [(c.key, c.reply) for c in account.replies.clicks]),
                         ("scenes", [(s.scene, s.reply) for s in account.replies.scenes])):
        at = (*loc, "replies", field)
        if items and account.gateway is None:
            checker.error(at, f"only `oaspec serve` answers {field[:-1]} events, and this account has no gateway: "
                          "block", "add gateway: to the account, or remove them")
        checker.unique(at, [key for key, _ in items], "click key" if field == "clicks" else "scene")
        for i, (key, reply) in enumerate(items):
            checker.reply((*at, i, "reply"), reply, modules)
            if "/" in key:
                checker.error((*at, i), f"{key!r} contains '/', which separates the parts of a plan address",
                              "use another character, such as '-' or '_'")
            if field == "clicks" and key not in keys:
                checker.warn((*at, i, "key"), f"no menu button has the click key {key!r}",
                             checker._closest(key, keys, "add a click button with this key, or remove the reply"))


@dataclass(frozen=True)
class _Claim:
    """One thing a CLICK with `key` would go to: a click reply, or the module whose entry.key it is."""

    key: str
    loc: Loc  # the key's field
    named: Loc  # what the error names
    module: str | None = None  # None for a click reply
    webhook: bool = False


def _click_claims(checker: Checker, loc: Loc, account: AccountSpec) -> None:
    """One click key, one claim: the gateway sends a CLICK to one place (attack review 40, F3: a click reply
    and a webhook module on one key both showed in the plan, and only the reply was served). A click reply
    for a module without a webhook answers that module's key, as the served example's 在线客服 does; two
    click replies on one key are `_event_replies`' duplicate. The error stands at the later claim in the
    file and names the earlier one."""
    claims: dict[str, list[_Claim]] = {}
    for i, click in enumerate(account.replies.clicks):
        at = (*loc, "replies", "clicks", i)
        claims.setdefault(click.key, []).append(_Claim(click.key, (*at, "key"), at))
    for i, module in enumerate(account.modules):
        if module.entry is not None and module.entry.key:
            at = (*loc, "modules", i, "entry", "key")
            claims.setdefault(module.entry.key, []).append(
                _Claim(module.entry.key, at, at, module.id, module.webhook is not None))
    for found in claims.values():
        placed = [claim for _, claim in sorted((_place(checker.find(claim.loc)[0], n), claim)
                                                for n, claim in enumerate(found))]
        for index, claim in enumerate(placed):
            earlier = next((first for first in placed[:index] if _clash(first, claim)), None)
            if earlier is not None:
                _claimed_twice(checker, earlier, claim)


def _place(position: Position, order: int) -> tuple[str, int, int, int]:
    return position.file, position.line, position.col, order


def _clash(first: _Claim, second: _Claim) -> bool:
    if first.module is None and second.module is None:
        return False
    module = second if first.module is None else first if second.module is None else None
    return module is None or module.webhook


def _claimed_twice(checker: Checker, first: _Claim, second: _Claim) -> None:
    position, path = checker.find(first.named)
    what = ("a click reply" if first.module is None else
            f"module {first.module}'s webhook" if first.webhook else f"module {first.module}")
    message = (f"click key {second.key!r} is already claimed by {path} ({what}) at {position}; a click with it "
               "reaches only one of the two, so the other would never be reached")
    module = next(c for c in (first, second) if c.module is not None)
    if first.module is None or second.module is None:
        hint = (f"to send the click to module {module.module}'s webhook, remove the click reply; to answer it "
                f"with the reply's text, remove entry.key from module {module.module}; or give one of them "
                "another key, and its menu button that key")
    else:
        hint = ("a button opens one module: give each module its own entry.key (and its menu button that key), "
                "or remove entry.key from the module the button should not open")
    checker.error(second.loc, message, hint)
