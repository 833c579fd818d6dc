"""Shared machinery for the property and fault suites: random valid specs, a call-recording provider,
and a driver that runs the real pipeline (Workspace -> plan -> apply_plan -> history -> rollback).

Specs are generated in the spec language and go through load, validate and compile, so a generator
that drifts from the validator fails loudly instead of testing nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from oa_spec import limits
from oa_spec.apply.outcome import ApplyOptions, ApplyResult
from oa_spec.apply.rollback import rollback_plan
from oa_spec.apply.run import apply_plan
from oa_spec.config.model import AccountSpec
from oa_spec.kinds.change import Change
from oa_spec.kinds.precedence import ages, overlapping_pairs
from oa_spec.kinds.state import AccountState, comparable
from oa_spec.plan.model import Plan
from oa_spec.plan.workspace import Workspace
from oa_spec.providers.base import Provider, Writer

ACCOUNT = "acct"
# Small pools, so desired and live states overlap often (the interesting case for a diff).
TAG_NAMES = ("高净值客户", "年轻客群", "银发客户", "小微企业主", "代发工资", "信用卡用户", "新客", "VIP")
NEW_TAG_NAMES = ("私行客户", "青年客群", "长辈客户")  # what renames choose
TOP_NAMES = ("我的账户", "财富", "服务", "活动", "贷款")
SUB_NAMES = ("余额查询", "交易明细", "信用卡账单", "理财产品", "网点预约", "在线客服", "附近网点", "每日签到")
KEYS = ("BALANCE", "TXN_DETAIL", "CARD_BILL", "RM_CONTACT", "CHECK_IN")
URLS = ("https://m.bank.example.cn/a", "https://m.bank.example.cn/b", "https://m.bank.example.cn/c")
TEMPLATES = (("balance-alert", "OPENTM207665002", "账户资金变动提醒"),
             ("appointment", "OPENTM411344461", "预约成功通知"),
             ("repayment", "OPENTM405456204", "还款提醒"),
             ("login-alert", "OPENTM400000001", "登录提醒"))
INDUSTRIES = ("金融业/银行", "IT科技/互联网|电子商务", "金融业/保险")
TEXTS = ("欢迎关注！", "您好，回复“客服”转人工。", "本行理财产品请在“财富”查看。", "营业时间 9:00-17:00")
KEYWORD_RULES = ("客服", "理财", "贷款", "网点")
PLATFORMS = ("ios", "android", "others")
PRUNE_ALL = {"tags": True, "templates": True, "conditional_menus": True, "keyword_replies": True}


# --- strategies ----------------------------------------------------------------------------------------
# Built once: a strategy made inside a draw is validated again on every draw, which cost the property
# suites about a third of their time.
_MOSTLY = st.sampled_from((True, True, False))
_LEAF = st.one_of(st.builds(lambda k: {"type": "click", "key": k}, st.sampled_from(KEYS)),
                  st.builds(lambda u: {"type": "view", "url": u}, st.sampled_from(URLS)))
_SUB_NAME_LISTS = st.lists(st.sampled_from(SUB_NAMES), min_size=1, max_size=limits.MAX_SUB_BUTTONS, unique=True)
_TOP_NAME = st.sampled_from(TOP_NAMES)
_SUB_NAME = st.sampled_from(SUB_NAMES)
_TAG_NAME_LISTS = st.lists(st.sampled_from(TAG_NAMES), min_size=1, max_size=5, unique=True)
_TEMPLATE_LISTS = st.lists(st.sampled_from(TEMPLATES), max_size=3, unique=True)
_INDUSTRY = st.sampled_from(INDUSTRIES)
_TEXT = st.sampled_from(TEXTS)
_KEYWORD_RULE_LISTS = st.lists(st.sampled_from(KEYWORD_RULES), max_size=3, unique=True)
_MATCH = st.sampled_from(("exact", "contains"))
_MORE_KEYWORDS = st.lists(st.sampled_from(("人工", "基金", "借钱")), max_size=2, unique=True)


def leaf() -> st.SearchStrategy[dict[str, Any]]:
    return _LEAF


@st.composite
def button(draw: st.DrawFn, top: bool) -> dict[str, Any]:
    if top and draw(st.booleans()):
        names = draw(_SUB_NAME_LISTS)
        return {"name": draw(_TOP_NAME), "sub_buttons": [{"name": n, **draw(_LEAF)} for n in names]}
    return {"name": draw(_TOP_NAME if top else _SUB_NAME), **draw(_LEAF)}


menus = st.lists(button(top=True), min_size=1, max_size=limits.MAX_TOP_BUTTONS, unique_by=lambda b: b["name"])


@st.composite
def account_spec(draw: st.DrawFn, provider: dict[str, Any], base: dict[str, Any] | None = None,
                 live_tags: tuple[str, ...] = (), with_replies: bool = True) -> dict[str, Any]:
    """A valid account. With `base` (the spec applied before), each part is either kept or drawn anew,
    so that unchanged resources are common; `live_tags` (names on the live account) may be renamed.
    `with_replies=False` for providers that cannot write replies (WeChat: console only)."""
    spec: dict[str, Any] = {"id": ACCOUNT, "name": "示例银行", "provider": provider, "prune": PRUNE_ALL}
    fresh = draw(_FRESH_PARTS)
    if not with_replies:
        fresh.pop("replies")
    for part in _PARTS:
        source = base if base is not None and draw(_MOSTLY) else fresh
        spec.update({k: source[k] for k in part if k in source})
    renames = draw(_renames(spec, live_tags))
    if spec.get("tags") or renames:
        spec["tags"] = [t for t in spec.get("tags", []) if t["name"] not in renames] + \
            [{"name": new, "renamed_from": old} for old, new in renames.items()]
    declared = {t["name"] for t in spec.get("tags", [])}
    kept = []
    for menu in spec.get("conditional_menus", []):  # follow renames; drop menus on undeclared tags
        tag = menu["match"].get("tag")
        match = {**menu["match"], "tag": renames.get(tag, tag)} if tag else menu["match"]
        if match.get("tag") in declared or "tag" not in match:
            kept.append({**menu, "match": match})
    if "menu" in spec:
        spec["conditional_menus"] = kept
    return spec


_PARTS = (("tags",), ("menu", "conditional_menus"), ("industry", "templates"), ("replies",))


@st.composite
def _fresh_parts(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(_TAG_NAME_LISTS)
    out: dict[str, Any] = {"tags": [{"name": n} for n in names], "replies": draw(_REPLIES)}
    if draw(_MOSTLY):
        out["menu"] = draw(menus)
        out["conditional_menus"] = draw(conditional_menus(names))
    templates = draw(_TEMPLATE_LISTS)
    if bool(templates) or draw(st.booleans()):
        out["industry"] = {"primary": draw(_INDUSTRY), "secondary": draw(_INDUSTRY)}
    if templates:
        out["templates"] = [{"id": i, "library_id": lib, "title": title} for i, lib, title in templates]
    return out


@st.composite
def _renames(draw: st.DrawFn, spec: dict[str, Any], live_tags: tuple[str, ...]) -> dict[str, str]:
    """old -> new: at most one declared, live tag given a name that is neither declared nor live."""
    names = [t["name"] for t in spec.get("tags", [])]
    old = [t for t in names if t in live_tags]
    new = [t for t in TAG_NAMES + NEW_TAG_NAMES if t not in names and t not in live_tags]
    if not (old and new and draw(_MOSTLY)):
        return {}
    under_menus = [t for t in old if any(m["match"].get("tag") == t for m in spec.get("conditional_menus", []))]
    return {draw(st.sampled_from(under_menus or old)): draw(st.sampled_from(new))}


@st.composite
def conditional_menus(draw: st.DrawFn, tags: list[str]) -> list[dict[str, Any]]:
    rules: list[dict[str, str]] = [{"tag": t} for t in tags]
    rules += [{"tag": t, "client_platform_type": "ios"} for t in tags[:1]]
    rules += [{"client_platform_type": p} for p in PLATFORMS]
    chosen = draw(st.lists(st.sampled_from(rules), max_size=3, unique_by=lambda r: json.dumps(r, sort_keys=True)))
    return [{"name": f"menu-{i}", "match": rule, "menu": draw(menus)} for i, rule in enumerate(chosen)]


@st.composite
def replies(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("subscribe", "default"):
        if draw(st.booleans()):
            out[kind] = {"text": draw(_TEXT)}
    rules = draw(_KEYWORD_RULE_LISTS)
    if rules:
        out["keywords"] = [{"name": name, "match": draw(_MATCH), "keywords": [name, *draw(_MORE_KEYWORDS)],
                            "reply": {"text": draw(_TEXT)}} for name in rules]
    return out


_REPLIES = replies()
_FRESH_PARTS = _fresh_parts()


# --- comparing states -----------------------------------------------------------------------------------
_ORDER_BY = {"tags": "name", "keyword_replies": "name", "templates": "title", "conditional_menus": "match"}


def normalized(state: AccountState, desired: AccountState | None = None) -> dict[str, Any]:
    """The state as comparable JSON, collections in a fixed order (the platform keeps no useful order),
    spec-only names dropped, and the platform's reserved tags left out. Given the `desired` state it is
    compared with, an industry the spec leaves out is dropped too: the platform cannot unset one."""
    data: dict[str, Any] = comparable(state.to_json())
    if desired is not None and desired.industry is None:
        data.pop("industry", None)
    data["tags"] = [t for t in data.get("tags", []) if t["name"] not in ("星标组",)]
    for key in ("templates", "conditional_menus"):
        for item in data.get(key, []):
            item.pop("name", None)
    for key, by in _ORDER_BY.items():
        if data.get(key):
            data[key] = sorted(data[key], key=partial(_sort_key, by))
        else:
            data.pop(key, None)
    return data


def _sort_key(by: str, item: dict[str, Any]) -> str:
    return json.dumps(item[by], sort_keys=True, ensure_ascii=False)


def matches(live: AccountState, desired: AccountState) -> bool:
    return normalized(live, desired) == normalized(desired)


def precedence_holds(live: AccountState, desired: AccountState) -> bool:
    """Of any two desired conditional menus one follower can match, the one listed first is the newer live
    (the platform shows the newest): the live precedence is the spec's order."""
    age = dict(zip((m.match for m in live.conditional_menus), ages(live.conditional_menus), strict=True))
    rules = [m.match for m in desired.conditional_menus]
    return all(age[rules[i]] > age[rules[j]] for i, j in overlapping_pairs(rules)
               if rules[i] in age and rules[j] in age)


# --- recording writes -------------------------------------------------------------------------------
@dataclass
class Recorder:
    writes: list[Change] = field(default_factory=list)


class RecordingProvider(Provider):
    """Passes every call to the real provider and records each write."""

    def __init__(self, inner: Provider, recorder: Recorder) -> None:
        super().__init__(inner.account_id)
        self.inner, self.recorder = inner, recorder

    def writers(self) -> Mapping[str, Writer]:
        return self.inner.writers()

    def read(self) -> AccountState:
        return self.inner.read()

    def apply(self, change: Change) -> None:
        self.recorder.writes.append(change)
        self.inner.apply(change)

    def close(self) -> None:
        self.inner.close()


class RecordingWorkspace(Workspace):
    recorder: Recorder = Recorder()

    def provider(self, account: AccountSpec) -> Provider:
        return RecordingProvider(super().provider(account), self.recorder)


# --- driving the pipeline ----------------------------------------------------------------------------
@dataclass
class Driver:
    """One account in one state directory; each step writes a spec and runs the library pipeline."""

    root: Path
    recorder: Recorder = field(default_factory=Recorder)
    options: ApplyOptions = field(default_factory=lambda: ApplyOptions(allow_destroy=True))
    step: int = 0

    @property
    def state_dir(self) -> Path:
        return self.root / "state"

    def workspace(self, account: dict[str, Any]) -> RecordingWorkspace:
        self.step += 1
        path = self.root / f"spec-{self.step}.yaml"
        path.write_text(yaml.safe_dump({"version": 1, "bank": "示例银行", "accounts": [account]},
                                       allow_unicode=True, sort_keys=False), encoding="utf-8")
        ws = Workspace.open(path, self.state_dir)
        recording = RecordingWorkspace(**{f.name: getattr(ws, f.name) for f in fields(ws)})
        recording.recorder = self.recorder
        return recording

    def plan(self, ws: Workspace) -> Plan:
        return ws.plan(ACCOUNT, parallelism=1)

    def apply(self, ws: Workspace, plan: Plan | None = None) -> ApplyResult:
        [result] = apply_plan(ws, plan or self.plan(ws), self.options)
        return result

    def rollback(self, ws: Workspace, number: int) -> ApplyResult:
        [result] = apply_plan(ws, rollback_plan(ws, ACCOUNT, number), self.options)
        return result

    def live(self, ws: Workspace) -> AccountState:
        provider = ws.provider(ws.account(ACCOUNT).spec)
        try:
            return provider.read()
        finally:
            provider.close()

    def writes_during(self, action: Callable[[], object]) -> list[Change]:
        start = len(self.recorder.writes)
        action()
        return self.recorder.writes[start:]
