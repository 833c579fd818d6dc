"""Platform limits and error codes of WeChat Official Accounts, defined once.

The validator, the providers and the emulator all read from here, so a limit the platform changes
(several are marked UNCONFIRMED in ../shared/wechat-api.md) is corrected in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# --- Custom menu (wechat-api.md §1.2, §1.3) ---------------------------------------------------
MAX_TOP_BUTTONS = 3
MAX_SUB_BUTTONS = 5
TOP_NAME_BYTES = 16  # counted in UTF-8 bytes: a CJK character is 3 bytes
SUB_NAME_BYTES = 60
KEY_BYTES = 128
URL_BYTES = 1024
# The client truncates names wider than this many characters (a warning, not an error).
TOP_NAME_DISPLAY_CHARS = 4
SUB_NAME_DISPLAY_CHARS = 8

# type -> fields the platform requires besides `name`
BUTTON_REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "click": ("key",),
    "view": ("url",),
    "scancode_push": ("key",),
    "scancode_waitmsg": ("key",),
    "pic_sysphoto": ("key",),
    "pic_photo_or_album": ("key",),
    "pic_weixin": ("key",),
    "location_select": ("key",),
    "media_id": ("media_id",),
    "view_limited": ("media_id",),
    "article_id": ("article_id",),
    "article_view_limited": ("article_id",),
    "miniprogram": ("url", "appid", "pagepath"),
}
BUTTON_TYPES = tuple(BUTTON_REQUIRED_FIELDS)
# Types that get_current_selfmenu_info reports for menus set in the web console. menu/create does not
# accept them (their `value` is often a temporary media id), so such a menu can be read but not re-created.
CONSOLE_BUTTON_TYPES = ("text", "img", "voice", "video", "news")
BUTTON_ACTION_FIELDS = ("key", "url", "media_id", "article_id", "appid", "pagepath")

# --- Conditional menus (§2) --------------------------------------------------------------------
# The platform has a limit (65305) but does not publish the number: UNCONFIRMED, kept conservative.
MAX_CONDITIONAL_MENUS = 20
MAX_CONDITIONAL_LINK_DOMAINS = 3  # 65316, across all conditional menus together
CLIENT_PLATFORM_TYPES = {"ios": "1", "android": "2", "others": "3"}
CLIENT_PLATFORM_NAMES = {code: name for name, code in CLIENT_PLATFORM_TYPES.items()}  # "1" -> "ios"
# Match fields the platform now refuses for new menus (65320); still echoed by menu/get.
PRIVACY_MATCH_FIELDS = ("sex", "country", "province", "city", "language")

# --- Tags (§3) ---------------------------------------------------------------------------------
MAX_TAGS = 100
TAG_NAME_BYTES = 30
RESERVED_TAG_IDS = frozenset({0, 1, 2})
FIRST_USER_TAG_ID = 100  # ids the platform assigns to new tags start above the reserved ones
MAX_DELETABLE_TAG_FOLLOWERS = 100_000  # 45057: a tag with more followers cannot be deleted

# --- Templates (§4) ----------------------------------------------------------------------------
MAX_TEMPLATES = 25

# industry_id -> "大类/小类" in the platform's own words: what get_industry answers (and a template's
# primary_industry/deputy_industry say), which are the console's names, not the abbreviated ones of the
# documentation's table. Code 8 is answered "证券|基金|理财|信托": a table saying "基金理财信托" never
# converges and re-sets the industry, which the platform allows once a month, on every apply.
# Sources: real get_industry/template answers quoted in client code (code 8, 21, 29, 33, 35-37, 40) and
# client libraries' tables (WxJava WxMpTemplateIndustryEnum); see ../shared/wechat-api.md §4.1.
INDUSTRIES: dict[str, str] = {
    "1": "IT科技/互联网|电子商务", "2": "IT科技/IT软件与服务", "3": "IT科技/IT硬件与设备",
    "4": "IT科技/电子技术", "5": "IT科技/通信与运营商", "6": "IT科技/网络游戏",
    "7": "金融业/银行", "8": "金融业/证券|基金|理财|信托", "9": "金融业/保险",
    "10": "餐饮/餐饮", "11": "酒店旅游/酒店", "12": "酒店旅游/旅游", "13": "运输与仓储/快递",
    "14": "运输与仓储/物流", "15": "运输与仓储/仓储", "16": "教育/培训", "17": "教育/院校",
    "18": "政府与公共事业/学术科研", "19": "政府与公共事业/交警", "20": "政府与公共事业/博物馆",
    "21": "政府与公共事业/政府|公共事业|非盈利机构", "22": "医药护理/医药医疗", "23": "医药护理/护理美容",
    "24": "医药护理/保健与卫生", "25": "交通工具/汽车相关", "26": "交通工具/摩托车相关",
    "27": "交通工具/火车相关", "28": "交通工具/飞机相关", "29": "房地产/房地产|建筑", "30": "房地产/物业",
    "31": "消费品/消费品", "32": "商业服务/法律", "33": "商业服务/广告|会展", "34": "商业服务/中介服务",
    "35": "商业服务/检测|认证", "36": "商业服务/会计|审计", "37": "文体娱乐/文化|传媒", "38": "文体娱乐/体育",
    "39": "文体娱乐/娱乐休闲", "40": "印刷/打印|印刷", "41": "其它/其它",
}
INDUSTRY_IDS = {name: code for code, name in INDUSTRIES.items()}
# Other spellings of the same codes (the documentation's short names, older tables, client libraries),
# so that a live answer in any of them reads as the code it means. A spec uses the names above.
INDUSTRY_ALIASES: dict[str, str] = {
    "金融业/基金理财信托": "8", "金融业/基金|理财|信托": "8", "金融业/(证券)基金理财信托": "8",
    "政府与公共事业/公共事业非盈利机构": "21", "政府与公共事业/公共事业|非盈利机构": "21",
    "政府与公共事业/政府公共事业非盈利机构": "21",
    "医疗护理/医药医疗": "22", "医疗护理/护理美容": "23", "医疗护理/保健与卫生": "24",
    "房地产/建筑": "29", "商业服务/会展": "33", "商业服务/广告会展": "33", "商业服务/认证": "35",
    "商业服务/审计": "36", "文体娱乐/传媒": "37", "印刷/印刷": "40", "其他/其他": "41",
}


def industry_code(name: str) -> str | None:
    """The industry_id a "大类/小类" name means, in the platform's words or a known other spelling."""
    return INDUSTRY_IDS.get(name) or INDUSTRY_ALIASES.get(name)

# --- Account capabilities (what each kind of account may use) -------------------------------------
@dataclass(frozen=True)
class Capability:
    name: str
    rule: str  # the platform rule, named in errors
    granted: Callable[[str, bool], bool]  # (account type, verified) -> allowed by default


CAPABILITIES: dict[str, Capability] = {
    c.name: c
    for c in (
        Capability("conditional_menus", "conditional menus need a verified account (65306)",
                   lambda kind, verified: verified),
        Capability("template_messages", "template messages need a verified service account (48001)",
                   lambda kind, verified: kind == "service" and verified),
        Capability("miniprogram_links", "mini-program buttons need a verified account (48001/45064)",
                   lambda kind, verified: verified),
    )
}


# --- Keyword auto-replies (console rules; §5) ----------------------------------------------------
# The console caps rules and keywords; the numbers below are the console's documented sizes.
MAX_KEYWORD_RULES = 2000
MAX_KEYWORDS_PER_RULE = 10
KEYWORD_BYTES = 90  # 30 CJK characters
MAX_REPLIES_PER_RULE = 5  # the console's editor holds five replies per rule (sent all, or one at random)
REPLY_TEXT_BYTES = 2048
# Regular-expression keywords exist only where `oaspec serve` answers (the console has none); the cap is
# ours, so that a rule stays reviewable.
KEYWORD_PATTERN_BYTES = 256
# RE2 is linear in the message, but its constant grows with the compiled program: a counted repetition
# ([一-龥]{1,1000}: 10,000 instructions) makes the matcher fall back from its DFA, and five such patterns
# took 0.28 s for one 2,000-character message; RE2's set of all patterns fails to compile past ~50,000.
# A reviewed keyword pattern is tens of instructions ((信用卡|储蓄卡).{0,10}(挂失|冻结): 128).
KEYWORD_PATTERN_PROGRAM = 500  # RE2 instructions per pattern
KEYWORD_PATTERNS_PROGRAM = 10_000  # RE2 instructions of all an account's patterns together


def utf8_len(text: str) -> int:
    """Length as the platform counts it: bytes of the UTF-8 encoding."""
    return len(text.encode("utf-8"))


# --- Error codes (§10) ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ErrorCode:
    code: int
    message: str  # what it means, for a person
    hint: str  # what to do about it
    retry: str = "no"  # "no" | "backoff" (system busy) | "token" (refresh the token once)


ERROR_CODES: dict[int, ErrorCode] = {
    e.code: e
    for e in (
        ErrorCode(-1, "the platform is busy (system error)", "retry in a moment; oaspec retries reads itself",
                  "backoff"),
        ErrorCode(40001, "the access token or AppSecret is invalid",
                  "check the account's app_secret environment variable", "token"),
        ErrorCode(40002, "the grant_type is invalid", "an oaspec bug: report it"),
        ErrorCode(40003, "no follower with that OpenID", "check the user id (an OpenID of this account)"),
        ErrorCode(40013, "the AppID is invalid", "check app_id in the spec"),
        ErrorCode(40014, "the access token is invalid", "oaspec fetches a new token and retries once", "token"),
        ErrorCode(40016, "wrong number of top-level menu buttons", f"use 1 to {MAX_TOP_BUTTONS} buttons"),
        ErrorCode(40017, "invalid button type", "use one of: " + ", ".join(BUTTON_TYPES)),
        ErrorCode(40018, "top-level button name too long", f"keep it within {TOP_NAME_BYTES} UTF-8 bytes"),
        ErrorCode(40019, "button key too long", f"keep it within {KEY_BYTES} bytes"),
        ErrorCode(40020, "button url too long", f"keep it within {URL_BYTES} bytes"),
        ErrorCode(40022, "menu nested too deep", "a menu has two levels only"),
        ErrorCode(40023, "wrong number of sub-buttons", f"use 1 to {MAX_SUB_BUTTONS} sub_buttons"),
        ErrorCode(40024, "invalid sub-button type", "use one of: " + ", ".join(BUTTON_TYPES)),
        ErrorCode(40025, "sub-button name too long", f"keep it within {SUB_NAME_BYTES} UTF-8 bytes"),
        ErrorCode(40026, "sub-button key too long", f"keep it within {KEY_BYTES} bytes"),
        ErrorCode(40027, "sub-button url too long", f"keep it within {URL_BYTES} bytes"),
        ErrorCode(40033, "the request contained \\uXXXX escapes", "send raw UTF-8 (an oaspec bug: report it)"),
        ErrorCode(40037, "the template id is invalid",
                  "check the template's library_id (template_id_short), or run plan again"),
        ErrorCode(40054, "a sub-button URL's domain is not allowed", "use a domain the account may link to"),
        ErrorCode(40055, "a button URL's domain is not allowed", "use a domain the account may link to"),
        ErrorCode(40125, "the AppSecret is invalid", "check the account's app_secret environment variable"),
        ErrorCode(40164, "this machine's IP is not on the account's IP allow-list",
                  "add the CI runner's egress IP in the console (设置与开发 > 基本配置 > IP白名单)"),
        ErrorCode(40243, "the AppSecret is frozen", "unfreeze it in the console"),
        ErrorCode(41001, "the access token is missing", "an oaspec bug: report it"),
        ErrorCode(42001, "the access token expired", "oaspec fetches a new token and retries once", "token"),
        ErrorCode(43001, "the API requires a GET request", "an oaspec bug: report it"),
        ErrorCode(43002, "the API requires a POST request", "an oaspec bug: report it"),
        ErrorCode(45009, "the daily API quota is reached",
                  "wait until tomorrow (quotas reset at 00:00 Beijing time) or reset it with clear_quota"),
        ErrorCode(45010, "too many menu changes today", "wait until tomorrow"),
        ErrorCode(45011, "the per-minute API quota is reached", "wait a minute and run again"),
        ErrorCode(45026, "too many templates", f"an account keeps at most {MAX_TEMPLATES} templates"),
        ErrorCode(45027, "the template does not fit the account's industry", "set a matching industry"),
        ErrorCode(45056, "too many tags", f"an account keeps at most {MAX_TAGS} tags"),
        ErrorCode(45057, "the tag has more than 100,000 followers and cannot be deleted",
                  "untag its followers first, in batches"),
        ErrorCode(45058, "tags 0, 1 and 2 are reserved by the platform", "leave them out of the spec"),
        ErrorCode(45064, "the menu links a Mini Program that is not linked to this account",
                  "link the Mini Program in the console first"),
        ErrorCode(45157, "the tag name is already taken", "tag names must be unique"),
        ErrorCode(45158, "the tag name is too long", f"keep it within {TAG_NAME_BYTES} UTF-8 bytes"),
        ErrorCode(45159, "the tag id is invalid", "run plan again: the tag may have been deleted meanwhile"),
        ErrorCode(46003, "the account has no menu", "nothing to do"),
        ErrorCode(47001, "the request body was malformed", "an oaspec bug: report it"),
        ErrorCode(48001, "the account type or verification lacks this API",
                  "check the account's type/verified capabilities in the spec"),
        ErrorCode(48004, "this API is banned for the account", "see the notice in the console"),
        ErrorCode(65301, "no conditional menu with that id", "run plan again"),
        ErrorCode(65303, "a conditional menu needs a default menu first", "declare a default menu"),
        ErrorCode(65304, "the conditional menu's match rule is empty", "set match.tag or match.client_platform_type"),
        ErrorCode(65305, "too many conditional menus", "delete stale conditional menus"),
        ErrorCode(65306, "the account does not support conditional menus",
                  "conditional menus need a verified account"),
        ErrorCode(65307, "the conditional menu is empty", "give it at least one button"),
        ErrorCode(65308, "a button has no action", "give every leaf button the fields its type requires"),
        ErrorCode(65316, "conditional menus link too many domains",
                  f"use at most {MAX_CONDITIONAL_LINK_DOMAINS} link domains in conditional menus"),
        ErrorCode(65317, "a menu contains an invalid URL", "check the button URLs"),
        ErrorCode(65318, "the request was not UTF-8", "an oaspec bug: report it"),
        ErrorCode(65319, "menu creation is not allowed for this account", "check the account's menu permission"),
        ErrorCode(65320, "sex, region and language match rules are no longer allowed",
                  "match on tag or client_platform_type instead"),
        ErrorCode(89503, "the call needs an administrator's confirmation", "confirm it in WeChat, then run again"),
    )
}
RETRY_WITH_NEW_TOKEN = frozenset(c for c, e in ERROR_CODES.items() if e.retry == "token")


def describe_error(code: int, errmsg: str = "", prefix: str = "WeChat error") -> str:
    """One line for a platform error: what it means and what to do. `prefix` says who answered:
    "WeChat error 40016: ..." by default; the local provider, which refuses as the platform would,
    says so in its own words. The platform's own `errmsg` (quoted for a code oaspec does not know) is
    shown escaped (display.visible): a line break or a control in it cannot add a line of its own."""
    from oa_spec.util.display import visible  # only for the rare unknown code: limits loads without it

    known = ERROR_CODES.get(code)
    if known is None:
        return f"{prefix} {code}: {visible(errmsg) if errmsg else 'unknown error'}"
    return f"{prefix} {code}: {known.message}; {known.hint}"


def menu_error_code(buttons: list[dict[str, object]]) -> int | None:
    """The errcode the platform answers menu/create (or addconditional) with, or None if it accepts it.

    Takes the API shape (`sub_button`), so the emulator checks request bodies and the local provider
    checks compiled menus with the very same rules.
    """
    if not 1 <= len(buttons) <= MAX_TOP_BUTTONS:
        return 40016
    for top in buttons:
        subs = top.get("sub_button") or []
        if utf8_len(str(top.get("name", ""))) > TOP_NAME_BYTES or not top.get("name"):
            return 40018
        if subs:
            if not isinstance(subs, list) or len(subs) > MAX_SUB_BUTTONS:
                return 40023
            for sub in subs:
                if sub.get("sub_button"):
                    return 40022
                if utf8_len(str(sub.get("name", ""))) > SUB_NAME_BYTES or not sub.get("name"):
                    return 40025
                code = _leaf_error_code(sub, sub_level=True)
                if code:
                    return code
        else:
            code = _leaf_error_code(top, sub_level=False)
            if code:
                return code
    return None


def _leaf_error_code(button: dict[str, object], sub_level: bool) -> int | None:
    kind = button.get("type")
    if kind not in BUTTON_REQUIRED_FIELDS:
        return 40024 if sub_level else 40017
    if any(not button.get(f) for f in BUTTON_REQUIRED_FIELDS[str(kind)]):
        return 65308  # button without action
    if utf8_len(str(button.get("key") or "")) > KEY_BYTES:
        return 40026 if sub_level else 40019
    if utf8_len(str(button.get("url") or "")) > URL_BYTES:
        return 40027 if sub_level else 40020
    return None


# === Articles (issue 14; read by oa_spec/content/validate.py) =================================
# Kept as one block at the end of the file so it merges without touching the limits above.
# wechat-api.md §8 and content.md "Platform rules": the body (draft/add `content`, HTML) is under
# 20,000 characters and under 1 MB; body images come from media/uploadimg: jpg/png under 1 MB.
ARTICLE_BODY_MAX_CHARS = 20_000  # exclusive; counted on the rendered HTML, which is what is sent
ARTICLE_BODY_MAX_BYTES = 1024 * 1024  # exclusive; UTF-8 bytes of the rendered HTML
BODY_IMAGE_MAX_BYTES = 1024 * 1024  # inclusive
BODY_IMAGE_FORMATS = ("jpeg", "png")  # by magic bytes, not by file name
# UNCONFIRMED: not in wechat-api.md. The draft editor's limits as the console enforces them; the API
# answers 45003 (title), 45110 (author), 45004 (digest) and 45002 (content) when one is exceeded.
ARTICLE_TITLE_MAX_CHARS = 64
ARTICLE_AUTHOR_MAX_CHARS = 8
ARTICLE_DIGEST_MAX_CHARS = 120
ERR_ARTICLE_CONTENT_SIZE = 45002
ERR_ARTICLE_TITLE_SIZE = 45003
ERR_ARTICLE_DIGEST_SIZE = 45004
ERR_ARTICLE_AUTHOR_SIZE = 45110
# UNCONFIRMED: not in wechat-api.md. The cover is a permanent image material (thumb_media_id must be
# one, content.md), uploaded with material/add_material type image: bmp/png/jpeg/gif up to 10 MB.
COVER_FORMATS = ("jpeg", "png", "gif", "bmp")
COVER_MAX_BYTES = 10 * 1024 * 1024  # inclusive
# content.md: lists deeper than 2 levels break in the editor (mdnice #163); its content is 677 px wide.
ARTICLE_MAX_LIST_DEPTH = 2
ARTICLE_CONTENT_WIDTH_PX = 677


# === Publishing and broadcasts (issue 14; read by oa_spec/emulator/) ===========================
# wechat-api.md §8: broadcast quota per account type, counted per calendar day or month in Beijing time;
# clientmsgid de-duplication (45065 answers the first send's msg_id; 45067: clientmsgid too long).
BEIJING_UTC_OFFSET_HOURS = 8
BROADCAST_QUOTA = {"subscription": ("day", 1), "service": ("month", 4)}  # account type -> (period, sends)
ACCOUNT_TYPES = tuple(BROADCAST_QUOTA)
CLIENTMSGID_MAX_CHARS = 64  # UNCONFIRMED: the length 45067 refuses above is not documented
CLIENTMSGID_DEDUP_SECONDS = 24 * 3600  # the platform checks the last 24 hours of sends for a clientmsgid
# UNCONFIRMED: not in wechat-api.md. message/mass/preview goes to one follower (40003 for an OpenID that does
# not follow the account), is not counted against the broadcast quota, and is capped per Beijing day (the
# platform documents 100 for previews by WeChat id; past it the emulator answers 45009).
PREVIEW_DAILY_MAX = 100
# UNCONFIRMED: not in wechat-api.md. A draft holds 1 to 8 articles (the news limit); lists page 1 to 20.
DRAFT_MAX_ARTICLES = 8
BATCHGET_MAX_COUNT = 20
# The most oaspec reads of one API answer. The platform's largest answers, the material and draft lists
# (batchget pages of 20 articles of at most 1 MB of body each), are well under 10 MB; anything larger is not an
# answer to read whole into memory (a proxy's stream, a broken server), and is an unclear outcome instead.
MAX_API_ANSWER_BYTES = 10 * 1024 * 1024
PUBLISH_STATUS = {0: "success", 1: "publishing", 2: "originality check failed", 3: "failed",
                  4: "rejected by review", 5: "published, then deleted by the account",
                  6: "published, then blocked by the platform"}
# 5 and 6 (成功后用户删除所有文章, 成功后系统封禁所有文章): the publication went out; it is not to be made again.
PUBLISHED_THEN_REMOVED = frozenset({5, 6})
# message/mass/get msg_status, as the platform's SDKs document it (发送成功, 发送中, 发送失败, 已删除). DELETE is a
# broadcast deleted after it went out: its followers got it, so it is sent, never to be sent again (as 5 and 6
# above). A status not listed here says nothing oaspec can rely on: the broadcast is neither sent nor failed.
MASS_STATUS = {"SEND_SUCCESS": "sent", "SENDING": "still sending", "SEND_FAIL": "failed",
               "DELETE": "sent, then deleted by the account"}
MASS_SENT_THEN_DELETED = "DELETE"
MASS_SENT = frozenset({"SEND_SUCCESS", MASS_SENT_THEN_DELETED})
# §7.4: the platform waits 5 s for the callback server and tries 3 times in all.
CALLBACK_TIMEOUT_SECONDS = 5.0
CALLBACK_ATTEMPTS = 3
ERR_INVALID_MEDIA_TYPE = 40004
ERR_INVALID_FILE_TYPE = 40005
ERR_INVALID_MEDIA_ID = 40007
ERR_INVALID_IMAGE_SIZE = 40009
ERR_INVALID_TAG_FILTER = 40050  # UNCONFIRMED: sendall to a tag that does not exist
ERR_TOO_MANY_ARTICLES = 45008
ERR_NO_BROADCAST_QUOTA = 45028
ERR_CLIENTMSGID_EXISTS = 45065
ERR_CLIENTMSGID_TOO_LONG = 45067
ERR_INVALID_ARGUMENT = 47003
ERROR_CODES.update({e.code: e for e in (
    ErrorCode(ERR_INVALID_MEDIA_TYPE, "the media type is invalid", "an oaspec bug: report it"),
    ErrorCode(ERR_INVALID_FILE_TYPE, "the file type is not allowed",
              f"body images must be {'/'.join(BODY_IMAGE_FORMATS)}, covers {'/'.join(COVER_FORMATS)}"),
    ErrorCode(ERR_INVALID_MEDIA_ID, "no draft or material with that media_id",
              "it was deleted on the platform; run plan and apply again"),
    ErrorCode(ERR_INVALID_IMAGE_SIZE, "the image is too large",
              f"keep body images within {BODY_IMAGE_MAX_BYTES} bytes and covers within {COVER_MAX_BYTES}"),
    ErrorCode(ERR_INVALID_TAG_FILTER, "the broadcast's tag does not exist", "check the stream's audience tag"),
    ErrorCode(ERR_ARTICLE_CONTENT_SIZE, "the article body is too long",
              f"keep it under {ARTICLE_BODY_MAX_CHARS} characters and {ARTICLE_BODY_MAX_BYTES} bytes"),
    ErrorCode(ERR_ARTICLE_TITLE_SIZE, "the article title is empty or too long",
              f"use 1 to {ARTICLE_TITLE_MAX_CHARS} characters"),
    ErrorCode(ERR_ARTICLE_DIGEST_SIZE, "the article digest is too long",
              f"use at most {ARTICLE_DIGEST_MAX_CHARS} characters"),
    ErrorCode(ERR_TOO_MANY_ARTICLES, "a draft holds too many articles", f"use 1 to {DRAFT_MAX_ARTICLES}"),
    ErrorCode(ERR_ARTICLE_AUTHOR_SIZE, "the article author is too long",
              f"use at most {ARTICLE_AUTHOR_MAX_CHARS} characters"),
    ErrorCode(ERR_NO_BROADCAST_QUOTA, "the account's broadcast quota is used up",
              "service accounts send 4 broadcasts a month, subscription accounts 1 a day (Beijing time)"),
    ErrorCode(ERR_CLIENTMSGID_EXISTS, "a broadcast with this clientmsgid was already sent",
              "the answer carries the first send's msg_id: record it, do not send again"),
    ErrorCode(ERR_CLIENTMSGID_TOO_LONG, "the clientmsgid is too long",
              f"use at most {CLIENTMSGID_MAX_CHARS} characters"),
    ErrorCode(ERR_INVALID_ARGUMENT, "an argument is out of range", "an oaspec bug: report it"),
)})
