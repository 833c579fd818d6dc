"""cn-bank rules that need spec structure (compliance.md rules marked S): modules, links, streams,
templates and review records."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl

from oa_spec.config.fields import SENSITIVE_DATA
from oa_spec.config.model import leaves
from oa_spec.config.model_services import ModuleSpec, ReviewSpec
from oa_spec.policy.patterns import Pattern
from oa_spec.policy.rules import Hit, Rule
from oa_spec.policy.subjects import AccountView, LinkItem, host_allowed
from oa_spec.policy.text import normalise
from oa_spec.policy.vocabulary import FINANCIAL
from oa_spec.util.urls import split_url

PACK = "cn-bank"
FINANCIAL_KINDS = frozenset({"wealth", "loan"})


def _module_address(view: AccountView, module: ModuleSpec) -> str:
    return view.address("module", module.id)


# --- links -----------------------------------------------------------------------------------------------
def _financial_link(link: LinkItem) -> bool:
    if link.module is not None:
        return link.module.kind in FINANCIAL_KINDS
    return bool(normalise(link.label).contexts.subjects & FINANCIAL)


def _own_platform(view: AccountView) -> Iterator[Hit]:
    allowed = view.settings.allowed_domains
    for link in (link for link in view.links if _financial_link(link)):
        if link.host and not host_allowed(link.host, allowed):
            yield Hit(link.address, link.loc, f"{link.host} 不是本行自有平台域名")
        elif not link.parsed:  # no host can be told (https:///evil.example), so it is no platform of the bank's
            yield Hit(link.address, link.loc, f"{link.url} 不是可解析的链接")
    # Any mini-program, whatever the button or text that opens it says (活动专区 can sell a loan as well as
    # 贷款专区 can): the bank's own are listed in allowed_miniprograms (attack review 69, F4).
    for link in (*view.links, *view.miniprograms):
        if link.appid and link.appid not in view.settings.allowed_miniprograms:
            yield Hit(link.address, link.loc, f"小程序 {link.appid} 不在 allowed_miniprograms 中")


PERSONAL_PARAMS = frozenset({"phone", "mobile", "tel", "idcard", "id_no", "idno", "certno", "card", "cardno", "acct",
                             "account", "name", "realname", "email"})
_PERSONAL_VALUES = (
    ("手机号", Pattern(r"(?<!\d)1[3-9]\d{9}(?!\d)")),
    ("身份证号", Pattern(r"(?<![\dxX])\d{17}[\dxX](?![\dxX])")),
    ("银行卡号", Pattern(r"(?<!\d)\d{16,19}(?!\d)")),
    ("电子邮箱", Pattern(r"[\w.+-]+@[\w-]+\.[\w.]+")),
)


def _url_personal_data(view: AccountView) -> Iterator[Hit]:
    for link in view.links:
        parts = split_url(link.url)
        query = parts.query if parts is not None else ""
        searched = parts.path + "?" + parts.query if parts is not None else link.url  # unparsable: all of it
        names = [k for k, _ in parse_qsl(query, keep_blank_values=True) if k.lower() in PERSONAL_PARAMS]
        values = [label for label, pattern in _PERSONAL_VALUES if pattern.search(searched)]
        found = (["参数 " + ", ".join(names)] if names else []) + [f"含{label}" for label in values[:1]]
        if found:
            yield Hit(link.address, link.loc, "链接" + "，".join(found))


def _openid(view: AccountView) -> Iterator[Hit]:
    for link in view.links:
        parts = split_url(link.url)
        query = parts.query if parts is not None else ""
        names = [k for k, _ in parse_qsl(query) if k.lower() in ("openid", "unionid")]
        if names:
            yield Hit(link.address, link.loc, "参数 " + ", ".join(names))


# --- modules and personal information --------------------------------------------------------------------
def _separate(consent: str | None) -> bool:
    return consent is not None and (consent.strip().lower() == "separate" or "单独" in consent)


def _sensitive_consent(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        sensitive = [d for d in module.personal_data if d in SENSITIVE_DATA]
        if not sensitive:
            continue
        missing = [] if _separate(module.consent) else ["consent: separate（单独同意）"]
        if not (module.necessity or "").strip():
            missing.append("necessity（必要性说明）")
        if missing:
            yield Hit(_module_address(view, module), (*loc, "personal_data"),
                      f"敏感个人信息 {', '.join(sensitive)} 缺少 " + "、".join(missing))


def _privacy_notice(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        if module.personal_data and not module.privacy_notice:
            yield Hit(_module_address(view, module), (*loc, "personal_data"), "未声明 privacy_notice 链接")


MINIMAL_DATA: dict[str, frozenset[str]] = {
    "check_in": frozenset({"openid", "phone", "name", "address"}),
    "quiz": frozenset({"openid", "phone", "name", "address"}),
    "campaign": frozenset({"openid", "phone", "name", "address"}),
    "appointment": frozenset({"openid", "phone", "name", "id_number", "location"}),
    "balance_alert": frozenset({"openid", "financial_account", "transaction_record", "phone"}),
}


def _minimisation(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        extra = [d for d in module.personal_data if module.kind in MINIMAL_DATA and d not in MINIMAL_DATA[module.kind]]
        if extra:
            yield Hit(_module_address(view, module), (*loc, "personal_data"), f"{module.kind} 收集 {', '.join(extra)}")


def _oauth_scope(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        entry = module.entry
        if entry is not None and entry.oauth_scope == "snsapi_userinfo" and not entry.profile_reason:
            yield Hit(_module_address(view, module), (*loc, "entry", "oauth_scope"),
                      "snsapi_userinfo 未说明 profile_reason；关注用户从菜单进入时静默授权，微信授权页不等于本行告知")


def _loan_cost(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        if module.kind == "loan" and not module.cost_disclosure:
            yield Hit(_module_address(view, module), (*loc, "kind"), "未声明 cost_disclosure（年化综合融资成本明示）")


# --- templates ----------------------------------------------------------------------------------------------
TEMPLATE_MARKETING = ("优惠", "活动", "红包", "优惠券", "代金券", "立减", "抽奖", "限时", "抢购", "推荐", "新品",
                      "点击领取",
                      "会员卡", "理财推荐")


def _template_marketing(view: AccountView) -> Iterator[Hit]:
    for i, template in enumerate(view.account.templates):
        text = normalise(template.title)
        found = [w for w in TEMPLATE_MARKETING if normalise(w).norm in text.norm]
        if found:
            yield Hit(view.address("template", template.id), (*view.index.loc, "templates", i, "title"),
                      "“" + "”“".join(found) + "”")


# --- content operations ---------------------------------------------------------------------------------
def _financial_promo_text(view: AccountView, address: str) -> bool:
    return any(t.address == address and t.text.contexts.financial_promo for t in view.texts)


def _review_gaps(review: ReviewSpec | None, needed: int) -> str:
    roles = list(dict.fromkeys(review.roles)) if review else []
    if review is not None and review.author and review.author in roles:
        return f"作者 {review.author} 不能同时审核"
    if len(roles) < needed:
        return f"审核角色 {len(roles)} 个，需至少 {needed} 个不同角色"
    return ""


def _review_required(view: AccountView) -> Iterator[Hit]:
    for loc, stream in view.index.streams():
        address = view.address("stream", stream.id)
        gap = _review_gaps(stream.review, 3 if _financial_promo_text(view, address) else 2)
        if gap:
            yield Hit(address, (*loc, "review") if stream.review else (*loc, "id"), gap)


def _consumer_protection(view: AccountView) -> Iterator[Hit]:
    for loc, stream in view.index.streams():
        address = view.address("stream", stream.id)
        if _financial_promo_text(view, address) and not (stream.review and stream.review.consumer_protection):
            yield Hit(address, (*loc, "review") if stream.review else (*loc, "id"), "金融营销内容缺少消保审查记录")
    for loc, module in view.index.modules():
        if module.kind in FINANCIAL_KINDS and not (module.review and module.review.consumer_protection):
            yield Hit(_module_address(view, module), (*loc, "kind"), f"{module.kind} 模块缺少消保审查记录")


def _human_path(buttons: list[object], view: AccountView) -> bool:
    return any(getattr(b, "module", None) in _human_modules(view) for b in buttons)


def _human_modules(view: AccountView) -> set[str]:
    return {m.id for m in view.account.modules if m.kind == "customer_service"}


def _elderly(view: AccountView) -> Iterator[Hit]:
    elderly = view.settings.elderly_tags
    for loc, module in view.index.modules():
        if view.in_segment(module.audience.tags, elderly):
            missing = [f for f in ("large_text", "human_service") if not getattr(module.accessibility, f)]
            if missing:
                yield Hit(_module_address(view, module), (*loc, "audience"),
                          "适老化缺少 accessibility." + "、accessibility.".join(missing))
    for address, loc, buttons, audience in view.index.menus():
        if view.in_segment(audience, elderly) and not _human_path(list(leaves(buttons)), view):
            yield Hit(address, loc, "长辈版菜单没有指向在线客服（人工）模块的按钮")


ANTI_FRAUD = ("防诈", "反诈", "防骗", "诈骗", "反欺诈")
RISKY_KINDS = frozenset({"account_query", "balance_alert", "loan"})


def _anti_fraud(view: AccountView) -> Iterator[Hit]:
    risky = any(m.kind in RISKY_KINDS for m in view.account.modules) or any(
        view.in_segment(s.audience.tags, view.settings.elderly_tags) for s in view.account.content.streams)
    if risky and not any(any(w in t.text.norm for w in ANTI_FRAUD) for t in view.texts):
        yield Hit(view.account.id, view.index.loc, "账户类/贷款模块或长辈内容存在，但没有防诈提示栏目、回复或菜单")


_HANDOFF_WORDS = ("人工", "转人工")


def _human_handoff(view: AccountView) -> Iterator[Hit]:
    for loc, module in view.index.modules():
        if module.kind != "customer_service" or module.human_handoff:
            continue
        routed = any(reply.module == module.id and any(w in k for k in r.keywords for w in _HANDOFF_WORDS)
                     for r in view.account.replies.keywords for _, reply in r.located_replies())
        if not routed:
            yield Hit(_module_address(view, module), (*loc, "kind"), "未声明 human_handoff，也无“人工”关键词指向该模块")


_COMPLAINT = Pattern(r"投诉|热线|客服电话|95\d{3}|400-?\d")


def _complaint_channel(view: AccountView) -> Iterator[Hit]:
    has_cs = any(m.kind == "customer_service" for m in view.account.modules)
    if not has_cs and not any(t.source in ("replies", "menus") and t.text.has(_COMPLAINT) for t in view.texts):
        yield Hit(view.account.id, view.index.loc, "回复、菜单和客服模块中都没有投诉或客服热线入口")


def _suitability(view: AccountView) -> Iterator[Hit]:
    elderly = view.settings.elderly_tags
    for loc, module in view.index.modules():
        if module.kind == "wealth" and view.in_segment(module.audience.tags, elderly):
            yield Hit(_module_address(view, module), (*loc, "audience"), "理财模块面向长辈客群")
    for item in view.texts:
        if item.source == "streams" and item.text.contexts.promo & {"wealth", "fund"} and view.in_segment(
                item.audience, elderly):
            yield Hit(item.address, item.loc, "理财/基金推广推送给长辈客群")


RULES = (
    Rule("wealth.own-platform-link", "error", "金融产品链接须跳转至本行自有平台",
         "金融产品网络营销管理办法 (八部门, 2026-09-30 施行): 购买须跳转至金融机构自有平台; 银发〔2019〕316号 三(一)",
         "Wealth and loan module links and links behind buttons named after a financial product point at "
         "settings.allowed_domains; every mini-program (a button's or one a text opens) is in allowed_miniprograms.",
         PACK, _own_platform, "PARTIAL"),
    Rule("pii.sensitive-consent", "error", "处理敏感个人信息须取得单独同意并说明必要性",
         "个人信息保护法 第二十八条、第二十九条、第三十条; 网络数据安全管理条例 第二十二条",
         "A module whose personal_data includes a sensitive kind (financial_account, transaction_record, id_number, "
         "biometric, location, track, health, minor_u14) has consent: separate (or 单独…) and a necessity.", PACK,
         _sensitive_consent, "CONFIRMED"),
    Rule("pii.privacy-notice", "error", "收集个人信息的模块须提供隐私告知链接",
         "个人信息保护法 第十七条; 网络数据安全管理条例 第二十一条",
         "A module with personal_data has a privacy_notice link (link.https and link.allowed-domains check it).", PACK,
         _privacy_notice, "CONFIRMED"),
    Rule("pii.minimisation", "warning", "模块收集的个人信息超出其功能所需",
         "个人信息保护法 第六条; 网络安全法 第四十一条 (2025 修正后第四十三条)",
         "check_in, quiz and campaign modules collect no account, transaction or ID data; appointments no account "
         "data; balance alerts no location.", PACK, _minimisation, "CONFIRMED"),
    Rule("pii.url-personal-data", "error", "链接中不得携带个人信息（手机号、证件号、卡号、姓名等）",
         "个人信息保护法 第六条、第五十一条第(三)项; CWE-598 (URL 会被日志、历史记录和 Referer 泄露)",
         "No link carries personal data: parameters phone, mobile, idcard, cardno, acct, name, email..., or values "
         "shaped like a mobile number, an ID number, a card number or an e-mail address.", PACK, _url_personal_data,
         "CONFIRMED"),
    Rule("pii.openid-in-url", "warning", "链接参数中含 openid/unionid", "个人信息保护法 第四条、第二十三条",
         "openid or unionid as a query parameter (an error under link.allowed-domains when the host is foreign).",
         PACK, _openid, "CONFIRMED"),
    Rule("pii.oauth-scope", "warning", "使用 snsapi_userinfo 须说明获取用户资料的理由",
         "个人信息保护法 第六条; 微信网页授权文档",
         "A module entry with oauth_scope: snsapi_userinfo gives profile_reason.", PACK, _oauth_scope, "CONFIRMED"),
    Rule("loan.total-cost", "warning", "贷款模块须明示综合融资成本",
         "个人贷款业务明示综合融资成本规定 (金规〔2026〕2号, 2026-08-01 施行)",
         "A loan module declares cost_disclosure (where 年化综合融资成本 and fees are shown).", PACK, _loan_cost,
         "PARTIAL"),
    Rule("platform.template-no-marketing", "error", "模板消息不得用于营销",
         "微信公众平台模板消息运营规范; 2016年关于滥用模板消息的公告",
         "Template titles carry no marketing words (优惠, 活动, 红包, 抽奖, 推荐...).", PACK, _template_marketing,
         "CONFIRMED"),
    Rule("content.review-required", "error", "内容栏目须有审核链（金融营销须三审）",
         "互联网用户公众账号信息服务管理规定 (2021) 第十六条; 三审三校惯例",
         "A stream declares review.roles with at least 2 distinct roles (3 for financial promotion: 编辑 → 合规/消保 → "
         "审批), and its author does not review it.", PACK, _review_required, "CONFIRMED"),
    Rule("content.consumer-protection-review", "error", "金融营销内容和金融产品模块须有消保审查记录",
         "银行保险机构消费者权益保护管理办法 (银保监会令2022年第9号) 第九条",
         "Streams in a financial promotion context and wealth/loan modules have review.consumer_protection.", PACK,
         _consumer_protection, "CONFIRMED"),
    Rule("content.elderly-friendly", "warning", "面向长辈的模块和菜单须满足适老化要求",
         "工信部《互联网网站适老化通用设计规范》(2021); "
         "银保监会《关于银行保险机构切实解决老年人运用智能技术困难的通知》(2021)",
         "Modules for an elderly tag (settings.elderly_tags) declare accessibility.large_text and human_service; "
         "a conditional menu for an elderly tag has a button to a customer_service module.", PACK, _elderly,
         "PARTIAL"),
    Rule("content.anti-fraud", "warning", "开办账户查询、动账提醒、贷款等服务须提供防诈提示",
         "反电信网络诈骗法 第三十条",
         "An account with account_query, balance_alert or loan modules, or elderly streams, has a text mentioning "
         "防诈/反诈/防骗 (a stream, reply or menu).", PACK, _anti_fraud, "CONFIRMED"),
    Rule("service.human-handoff", "warning", "在线客服须能转人工",
         "银保监会 2021 老年人智能技术通知 (一键转接人工); 金融监管总局 2024 适老化指导意见",
         "A customer_service module declares human_handoff: true, or a keyword reply with 人工 points at it.", PACK,
         _human_handoff, "PARTIAL"),
    Rule("service.complaint-channel", "warning", "须提供投诉或客服热线入口", "消费者权益保护法 第二十八条",
         "A customer_service module, or a reply or menu naming 投诉, 热线 or a hotline number.", PACK,
         _complaint_channel, "CONFIRMED"),
    Rule("wealth.suitability-segment", "warning", "理财产品推广面向长辈客群须做适当性管理",
         "银行保险机构消费者权益保护管理办法 第十一条; "
         "金融监管总局《关于进一步提升金融服务适老化水平的指导意见》(2024)",
         "Wealth modules or wealth/fund promotion streams aimed at an elderly tag.", PACK, _suitability, "CONFIRMED"),
)
