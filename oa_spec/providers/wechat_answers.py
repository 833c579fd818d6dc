"""The platform's answers, converted to oaspec's state: menus, rules, tags, industry and console replies.

A shape we do not know raises (KeyError, TypeError, ValueError, AttributeError); the provider turns
that into a ProviderError naming the call, never into an empty collection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from oa_spec import limits
from oa_spec.kinds.state import (
    Button,
    ConditionalMenu,
    Industry,
    KeywordMatch,
    KeywordRule,
    MatchRule,
    NewsArticle,
    Reply,
    Tag,
)

Json = dict[str, Any]
_MEDIA_LABELS = {"img": "[图片]", "voice": "[语音]", "video": "[视频]"}


def buttons(raw: Any) -> tuple[Button, ...]:
    return tuple(Button.from_api(b) for b in raw or [])


def menu_buttons(data: Json) -> tuple[Button, ...]:
    """The default menu of a menu/get answer."""
    return buttons(listed(data["menu"], "button"))


def rule_values(raw: Json) -> dict[str, str]:
    """A matchrule as strings, empty fields dropped, the legacy group_id read as tag_id."""
    values = {k: str(v) for k, v in raw.items() if v not in (None, "")}
    if "group_id" in values:
        values.setdefault("tag_id", values.pop("group_id"))
    return values


def _match_rule(raw: Json, tag_names: dict[str, str]) -> MatchRule:
    values = rule_values(raw)
    tag_id = values.pop("tag_id", None)
    tag = tag_names.get(tag_id) if tag_id is not None else None
    legacy = {k: v for k, v in values.items() if k in limits.PRIVACY_MATCH_FIELDS}
    if tag_id is not None and tag is None:
        legacy["tag_id"] = tag_id  # a tag id with no tag: kept as it is, not guessed
    return MatchRule(tag=tag, client_platform_type=values.get("client_platform_type"),
                     legacy=tuple(sorted(legacy.items())))


def _rule_name(rule: MatchRule) -> str:
    """Live conditional menus have no names: they are named after their rule, e.g. tag-高净值客户."""
    parts = [f"tag-{rule.tag}"] if rule.tag is not None else []
    if rule.client_platform_type:
        platform = rule.client_platform_type
        parts.append(f"platform-{limits.CLIENT_PLATFORM_NAMES.get(platform, platform)}")
    parts += [f"{k}-{v}" for k, v in rule.legacy]
    return "-".join(parts) or "everyone"


def conditional_menus(raw: list[Json], tags: Sequence[Tag]) -> tuple[ConditionalMenu, ...]:
    tag_names = {str(t.id): t.name for t in tags}
    menus: list[ConditionalMenu] = []
    for entry in raw:
        rule = _match_rule(entry.get("matchrule") or {}, tag_names)
        menuid = str(entry.get("menuid") or "") or None
        name = _rule_name(rule)
        if any(m.name == name for m in menus):  # the same rule twice: later ones carry their menuid
            name = f"{name}-{menuid}"
        menus.append(ConditionalMenu(name, rule, buttons(entry["button"]), menuid))
    return tuple(menus)


def listed(data: Json, key: str) -> list[Any]:
    """data[key], which must be a list: an answer without it is a shape we do not know, not "none"."""
    value = data[key]
    if not isinstance(value, list):
        raise TypeError(f"{key} is {type(value).__name__}, not a list")
    return value


def industry(data: Json) -> Industry | None:
    """get_industry's answer, in the spec's names. An empty answer (no industry chosen yet) is None."""
    if not data.keys() & {"primary_industry", "secondary_industry"}:
        return None
    return Industry(_industry_name(data["primary_industry"]), _industry_name(data["secondary_industry"]))


def _industry_name(raw: Any) -> str:
    """"大类/小类" as limits.INDUSTRIES names it, whichever known spelling the platform answered."""
    name = f"{raw['first_class']}/{raw['second_class']}"
    code = limits.industry_code(name)
    return limits.INDUSTRIES[code] if code else name


def replies(data: Json) -> tuple[Reply | None, Reply | None, tuple[KeywordRule, ...]]:
    """Console auto-replies; non-text replies are kept by type with a label ([图片]), since media ids are temporary."""
    subscribe = None
    if str(data["is_add_friend_reply_open"]) == "1" and data.get("add_friend_autoreply_info"):
        subscribe = _reply(data["add_friend_autoreply_info"])
    if str(data["is_autoreply_open"]) != "1":
        return subscribe, None, ()
    default_info = data.get("message_default_autoreply_info")
    default = _reply(default_info) if default_info else None
    rules = (data.get("keyword_autoreply_info") or {}).get("list") or []
    return subscribe, default, tuple(_keyword_rule(r) for r in rules)


def _keyword_rule(raw: Json) -> KeywordRule:
    keywords = raw.get("keyword_list_info") or []
    # A console rule may mix match modes per keyword: then each keyword's is kept (a spec rule has one).
    modes = tuple(_match_mode(k) for k in keywords)
    mixed = len(set(modes)) > 1
    replies = [_reply(r) for r in raw.get("reply_list_info") or []] or [Reply("")]
    return KeywordRule(name=str(raw["rule_name"]), match=modes[0] if modes and not mixed else "contains",
                       keywords=tuple(str(k["content"]) for k in keywords), reply=replies[0],
                       more_replies=tuple(replies[1:]),
                       reply_mode="random_one" if raw.get("reply_mode") == "random_one" else "reply_all",
                       match_modes=modes if mixed else ())


def _match_mode(keyword: Json) -> KeywordMatch:
    return "exact" if keyword.get("match_mode") == "equal" else "contains"


def _reply(item: Json) -> Reply:
    """A console reply: its text, or for any other type (img, voice, video, news) a label ([图片]) with the type,
    so that no text reply, whatever it says, is taken for it; a news reply with its articles."""
    kind = str(item.get("type"))
    if kind == "text":
        return Reply(str(item.get("content", "")))
    if kind == "news":
        news = tuple(_news_article(a) for a in (item.get("news_info") or {}).get("list") or [])
        return Reply("[图文] " + " / ".join(a.title for a in news), media=kind, news=news)
    return Reply(_MEDIA_LABELS.get(kind, f"[{kind}]"), media=kind)


def _news_article(raw: Json) -> NewsArticle:
    """One article of a news reply: what followers read (title, author, digest) and open or load (its links)."""
    return NewsArticle(**{name: str(raw.get(name) or "") for name in (
        "title", "author", "digest", "content_url", "source_url", "cover_url")})
