"""The `core` pack: platform facts, module structure, content cadence, and the engine's own checks.

It runs for every spec, whatever `policies.packs` says: these are what the platform will refuse or
what makes a module unusable, not a bank's choice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from oa_spec.config import cadence
from oa_spec.policy.rules import Hit, Rule
from oa_spec.policy.subjects import AccountView, host_allowed
from oa_spec.util.urls import is_loopback

PACK = "core"
USER_OPENED = frozenset({"account_query", "appointment", "wealth", "loan", "check_in", "quiz", "campaign",
                         "customer_service"})
OWN_PLATFORM_KINDS = frozenset({"wealth", "loan"})


# --- links ---------------------------------------------------------------------------------------------
def _https(view: AccountView) -> Iterator[Hit]:
    for link in view.links:
        if not link.url.lower().startswith("https://"):
            yield Hit(link.address, link.loc, link.url)


def _allowed_domains(view: AccountView) -> Iterator[Hit]:
    allowed = view.settings.allowed_domains
    for link in view.links:
        if not link.parsed and allowed:  # no host can be told, so none is allowed
            yield Hit(link.address, link.loc, f"{link.url} 不是可解析的链接")
        if not link.host:
            continue
        if allowed and not host_allowed(link.host, allowed):
            yield Hit(link.address, link.loc, f"{link.host} 不在 allowed_domains 中")
        elif not allowed and link.module is not None and link.module.kind in OWN_PLATFORM_KINDS:
            yield Hit(link.address, link.loc, f"{link.host}：未声明 policies.settings.allowed_domains")
    # A webhook's host receives followers' OpenIDs and messages; one on this machine (loopback) keeps them here.
    for hook in view.index.webhooks if allowed else ():
        if not is_loopback(hook.host) and not host_allowed(hook.host, allowed):
            yield Hit(hook.address, hook.loc, f"webhook {hook.host or hook.url} 不在 allowed_domains 中")


# --- modules -------------------------------------------------------------------------------------------
def _template_required(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        if module.kind == "balance_alert" and not module.template:
            yield Hit(view.address("module", module.id), (*loc, "kind"), module.id)


def _way_in(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        if module.kind == "customer_service" and not view.index.reachable(module.id):
            yield Hit(view.address("module", module.id), (*loc, "id"), module.id)


def _unreachable(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        if module.kind in USER_OPENED - {"customer_service"} and module.enabled and not view.index.reachable(module.id):
            yield Hit(view.address("module", module.id), (*loc, "id"), module.id)


def _entry_required(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        entry = module.entry
        if module.kind in USER_OPENED and (entry is None or not (entry.url or entry.key)):
            yield Hit(view.address("module", module.id), loc, module.id)


def _consent(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        if module.personal_data and not (module.consent or "").strip():
            yield Hit(view.address("module", module.id), (*loc, "personal_data"), ", ".join(module.personal_data))


# --- content cadence -----------------------------------------------------------------------------------
def _cadence_invalid(view: AccountView) -> Iterator[Hit]:
    for loc, stream in view.index.streams():
        for where, message in cadence.cadence_problems(stream.cadence):
            yield Hit(view.address("stream", stream.id), (*loc, "cadence", *where), message)


def _window(view: AccountView) -> list[cadence.Slot]:
    account = view.account
    start = cadence.period_start(account.type, view.today)
    end = view.today + datetime.timedelta(days=view.settings.cadence_horizon_days)
    return [s for s in cadence.account_slots(account, start, end) if s.broadcast]


def _broadcast_quota(view: AccountView) -> Iterator[Hit]:
    account = view.account
    period_name, allowed = cadence.QUOTAS[account.type]
    over: dict[str, list[str]] = {}
    for slot in _window(view):
        if slot.over_quota and slot.date >= view.today:
            over.setdefault(slot.stream, []).append(cadence.period(account.type, slot.date))
    locs = {s.id: loc for loc, s in view.index.streams()}
    for stream_id, periods in over.items():
        shown = ", ".join(dict.fromkeys(periods[:3]))
        more = f" 等 {len(set(periods))} 个周期" if len(set(periods)) > 3 else ""
        yield Hit(view.address("stream", stream_id), (*locs[stream_id], "broadcast"),
                  f"{shown}{more} 超出 {account.type} 账号每{_PERIOD_ZH[period_name]} {allowed} 次群发")


_PERIOD_ZH = {"month": "自然月", "day": "日"}


def _broadcast_overlap(view: AccountView) -> Iterator[Hit]:
    """One finding per stream: its first same-day broadcast to followers another stream also reaches."""
    slots = [s for s in _window(view) if s.date >= view.today]
    locs = {s.id: loc for loc, s in view.index.streams()}
    reported: set[str] = set()
    for i, slot in enumerate(slots):
        other = next((o for o in slots[:i] if o.date == slot.date and o.stream != slot.stream
                      and cadence.overlaps(slot.audience, o.audience)), None)
        if other is not None and slot.stream not in reported:
            reported.add(slot.stream)
            yield Hit(view.address("stream", slot.stream), (*locs[slot.stream], "cadence"),
                      f"{slot.date} 与 {other.stream} 同日群发给重叠受众")


RULES = (
    Rule("link.https", "error", "链接必须使用 HTTPS", "个人信息保护法 第五十一条第(三)项 (加密); 网络安全法 第二十一条/"
         "第二十三条 (2025 修正) 技术防护措施", "Every menu, module, reply and privacy-notice link uses https.", PACK,
         _https, "CONFIRMED"),
    Rule("link.allowed-domains", "error", "链接域名不在本行允许的域名清单中",
         "bank policy (phishing in a pull request); 金融产品网络营销管理办法 (2026): 购买须跳转至金融机构自有平台",
         "Every link's host, and every module webhook's (where serve sends followers' messages, unless on loopback), "
         "is in policies.settings.allowed_domains ('*.bank.cn' for subdomains); without a list, "
         "wealth and loan module entries are reported, since they must be on the bank's own platform.", PACK,
         _allowed_domains, "policy"),
    Rule("module.template-required", "error", "动账提醒模块须声明消息模板",
         "微信公众平台模板消息接口: 动账提醒通过模板消息下发", "A balance_alert module declares the template it sends.",
         PACK, _template_required, "platform", fixed=True),
    Rule("module.way-in", "error", "在线客服模块须有入口（菜单按钮、关键词或默认回复）",
         "银保监会《关于银行保险机构切实解决老年人运用智能技术困难的通知》(2021): 一键转接人工",
         "A customer_service module is reachable from a menu button (module: or its click key), a keyword reply, "
         "or the subscribe/default reply.", PACK, _way_in, "PARTIAL"),
    Rule("module.unreachable", "warning", "模块没有入口：菜单按钮或关键词回复均未指向它",
         "oaspec: a module no follower can open is dead configuration",
         "An enabled module that users open is reachable from a menu button or a reply.", PACK, _unreachable, "policy"),
    Rule("module.entry-required", "error", "用户打开的模块须有入口链接或点击 key",
         "oaspec: menus and replies link to a module's entry",
         "Modules users open (all kinds except balance_alert and custom) have entry.url or entry.key.", PACK,
         _entry_required, "policy", fixed=True),
    Rule("module.consent", "error", "处理个人信息的模块须声明同意方式 (consent)", "个人信息保护法 第十三条、第十四条",
         "A module with personal_data declares how consent is obtained.", PACK, _consent, "CONFIRMED"),
    Rule("content.cadence-invalid", "error", "内容栏目的发布节奏无法排期", "oaspec: the calendar must be computable",
         "A stream's cadence schedules something: every day/week/month with matching on:, dates, or holidays.",
         PACK, _cadence_invalid, "policy", fixed=True),
    Rule("platform.broadcast-quota", "error", "群发次数超出账号类型的配额",
         "微信公众平台群发规则: 订阅号每天1次; 服务号每个自然月4次 (wechat-api.md §8)",
         "Broadcast slots within the horizon (settings.cadence_horizon_days, default 366) stay within the account "
         "type's quota: subscription 1 per day, service 4 per calendar month; every broadcast counts against every "
         "follower, since followers may carry several tags.", PACK, _broadcast_quota, "CONFIRMED", fixed=True),
    Rule("content.broadcast-overlap", "warning", "同一天向重叠受众群发多条内容",
         "微信公众平台运营规范 4.10 骚扰类内容; 广告法 第四十三条",
         "Two broadcast slots on the same day whose audiences share followers (no tags means everyone).", PACK,
         _broadcast_overlap, "PARTIAL"),
)

META = (
    Rule("policy.config", "error", "策略配置有误", "oaspec: a policy setting that cannot take effect is a mistake",
         "Unknown packs, unknown or fixed rules in severity overrides, custom rules that clash or cannot run.",
         PACK, None, "policy", fixed=True),
    Rule("policy.waiver-invalid", "error", "豁免不完整：须有规则、审批人、理由和到期日",
         "bank policy: a waiver records who accepted which risk, why, and until when",
         "A waiver names a known, waivable rule and has approved_by, reason and expires; a waiver of a regulated "
         "rule names one exact address and runs at most policies.waiver_max_days (default 365).", PACK, None,
         "policy",
         fixed=True),
    Rule("policy.waiver-expired", "error", "豁免已过期", "bank policy: waivers expire and must be renewed or fixed",
         "A waiver whose expires date is before today covers nothing and is itself an error.", PACK, None, "policy",
         fixed=True),
    Rule("policy.waiver-target", "error", "豁免的目标地址不匹配任何资源",
         "bank policy: a waiver must point at something in the spec",
         "A waiver's target glob matches no address of the spec (account, menu, reply, module, stream...).", PACK,
         None, "policy", fixed=True),
    Rule("policy.time-budget", "error", "合规检查未完成：超过时限",
         "oaspec: a text the rules have not read is not known to comply",
         "The rules over one account ran past their time budget: the texts left were not checked.",
         PACK, None, "policy", fixed=True, fix="give the account fewer or shorter texts"),
    Rule("policy.waiver-unused", "error", "豁免未覆盖任何发现：请删除",
         "bank policy: stale waivers hide future findings",
         "A valid waiver that covers no finding (the text was fixed): remove it, or it silently waives the next "
         "finding at that address.", PACK, None, "policy", fixed=True),
)
