"""The one address function: `citybank/replies/keywords/理财` names one resource everywhere.

Plans, waivers, policy findings, ownership notes, adopt hints, import notes and history all build
their addresses here, so a reviewer can search for one string and a waiver target written from a
plan matches the finding it means. `parse` is the inverse: every address oaspec prints parses back
into (account, kind, key).
"""

from __future__ import annotations

from dataclasses import dataclass

# kind -> the path under the account. Singletons (menu, industry, gateway) have no key; the two fixed replies
# are keyed by their name (subscribe, default); an article by its path (citybank/content/articles/young/x).
PATHS: dict[str, str] = {
    "tag": "tags", "template": "templates", "conditional_menu": "conditional_menus",
    "keyword_reply": "replies/keywords", "module": "modules", "stream": "content/streams",
    "menu": "menu", "industry": "industry", "reply": "replies", "faq": "faq", "article": "content/articles",
    "click_reply": "replies/clicks", "scene_reply": "replies/scenes", "gateway": "gateway",
    "webhook": "gateway/webhooks",
}
SINGLETONS = frozenset({"menu", "industry", "gateway"})
REPLY_KEYS = ("subscribe", "default")


@dataclass(frozen=True)
class Address:
    account: str
    kind: str  # a key of PATHS
    key: str = ""  # the resource's name within its kind ("" for the menu and the industry)

    def __str__(self) -> str:
        return build(self.account, self.kind, self.key)


def build(account: str, kind: str, key: str = "") -> str:
    """The address of one resource. Raises ValueError for a kind or key that cannot be addressed."""
    if kind not in PATHS:
        raise ValueError(f"no address for resources of kind {kind!r}")
    if not account or "/" in account:
        raise ValueError(f"account id {account!r} cannot be part of an address")
    if kind in SINGLETONS:
        if key:
            raise ValueError(f"the {kind} is one per account: it has no key ({key!r} given)")
        return f"{account}/{PATHS[kind]}"
    if kind == "reply" and key not in REPLY_KEYS:
        raise ValueError(f"a reply is one of {', '.join(REPLY_KEYS)}, not {key!r}")
    if not key:
        raise ValueError(f"a {kind} address needs its name")
    return f"{account}/{PATHS[kind]}/{key}"


def parse(address: str) -> Address:
    """(account, kind, key) of an address `build` made; ValueError for anything else."""
    account, _, rest = address.partition("/")
    if not account or not rest:
        raise ValueError(f"{address!r} is not a resource address (ACCOUNT/KIND[/NAME])")
    # Longest path first: replies/keywords/x is a keyword reply, not a reply called keywords.
    for kind, path in sorted(PATHS.items(), key=lambda item: -len(item[1])):
        if kind in SINGLETONS and rest == path:
            return Address(account, kind)
        if kind not in SINGLETONS and rest.startswith(path + "/"):
            key = rest[len(path) + 1:]
            if kind == "reply" and key not in REPLY_KEYS:
                continue
            if key:
                return Address(account, kind, key)
    raise ValueError(f"{address!r} names no resource oaspec knows (kinds: {', '.join(sorted(PATHS.values()))})")
