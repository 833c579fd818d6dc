"""What staff in the console, or a CRM through its own API client, do to a live account behind oaspec's back, on
either provider (testing/accounts.py): rename a tag (its id and followers kept), delete one and make another under
its name, add a conditional menu."""

from __future__ import annotations

import json
from dataclasses import replace

from oa_spec.kinds.state import AccountState, ConditionalMenu, Tag
from testing.accounts import LiveAccount, LocalAccount, WeChatAccount


def rename_tag(account: LiveAccount, old: str, new: str, count: int | None = None) -> None:
    """The tag `old` renamed to `new` (the same id), now carried by `count` followers when given."""
    if isinstance(account, WeChatAccount):
        appid = account.emulator_account.appid
        doc = account.server.admin.state(appid)
        for tag in doc["tags"]:
            if tag["name"] == old:
                tag["name"], tag["count"] = new, tag["count"] if count is None else count
        account.server.admin.seed(appid, doc)
        return
    state = _local(account)
    tags = tuple(replace(t, name=new, count=t.count if count is None else count) if t.name == old else t
                 for t in state.tags)
    menus = tuple(replace(m, match=replace(m.match, tag=new)) if m.match.tag == old else m
                  for m in state.conditional_menus)  # the platform matches menus by tag id
    _save_local(account, replace(state, tags=tags, conditional_menus=menus))


def replace_tag(account: LiveAccount, name: str, new_id: int, count: int) -> None:
    """The tag `name` deleted and another made under its name (a new id, `count` followers of its own)."""
    if isinstance(account, WeChatAccount):
        appid = account.emulator_account.appid
        doc = account.server.admin.state(appid)
        doc["tags"] = [*(t for t in doc["tags"] if t["name"] != name), {"id": new_id, "name": name, "count": count}]
        account.server.admin.seed(appid, doc)
        return
    state = _local(account)
    tags = (*(t for t in state.tags if t.name != name), Tag(name, id=new_id, count=count))
    _save_local(account, replace(state, tags=tags))


def add_conditional_menu(account: LiveAccount, menu: ConditionalMenu) -> None:
    """A conditional menu made outside oaspec; its rule's tag (by name) must be live. Its menuid is the menu's."""
    assert menu.menuid is not None
    if isinstance(account, WeChatAccount):
        appid = account.emulator_account.appid
        doc = account.server.admin.state(appid)
        rule: dict[str, str] = {}
        if menu.match.tag is not None:
            rule["tag_id"] = str(next(t["id"] for t in doc["tags"] if t["name"] == menu.match.tag))
        if menu.match.client_platform_type is not None:
            rule["client_platform_type"] = menu.match.client_platform_type
        doc["conditionalmenu"].append({"button": [b.to_api() for b in menu.buttons], "matchrule": rule,
                                       "menuid": int(menu.menuid)})
        account.server.admin.seed(appid, doc)
        return
    state = _local(account)
    _save_local(account, replace(state, conditional_menus=(*state.conditional_menus, menu)))


def _local(account: LiveAccount) -> AccountState:
    assert isinstance(account, LocalAccount)
    return account.live()


def _save_local(account: LiveAccount, state: AccountState) -> None:
    assert isinstance(account, LocalAccount)
    path = account.state_dir / "local" / f"{account.account_id}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["state"] = state.to_json()
    path.write_text(json.dumps(data), encoding="utf-8")
