"""The destroy guard as a table (like octoDNS's plan-safety tests): which plans need --allow-destroy."""

from __future__ import annotations

import pytest

from oa_spec.config.model_safety import GuardSpec
from oa_spec.kinds.change import Change
from oa_spec.kinds.state import (
    AccountState,
    Button,
    ConditionalMenu,
    EventReply,
    FaqEntry,
    KeywordRule,
    MatchRule,
    Menu,
    Reply,
    Tag,
    Template,
)
from oa_spec.plan.guards import felt, tripped

HOME = Menu((Button("首页", type="view", url="https://bank.example/"),))
OTHER = Menu((Button("理财", type="click", key="W"),))
CM = ConditionalMenu("vip", MatchRule(tag="vip"), HOME.buttons, menuid="1")


def tags(n: int, count: int = 0) -> tuple[Tag, ...]:
    return tuple(Tag(f"t{i}", id=100 + i, count=count) for i in range(n))


def delete_tag(tag: Tag) -> Change:
    return Change("delete", "tag", tag.name, f"bank/tags/{tag.name}", tag, None)


RULES = tuple(KeywordRule(f"r{i}", "exact", (f"词{i}",), Reply(f"回复{i}")) for i in range(10))
FAQS = tuple(FaqEntry(f"q{i}", (f"问{i}",), f"答{i}") for i in range(10))
CLICKS = tuple(EventReply(f"K{i}", Reply(f"回复{i}")) for i in range(10))


def deletes(kind: str, collection: str, items: tuple[KeywordRule | FaqEntry | EventReply, ...],
            key: str) -> list[Change]:
    return [Change("delete", kind, str(getattr(i, key)), f"bank/{collection}/{getattr(i, key)}", i, None)
            for i in items]


CASES = [
    # (changes, live account, guards, how many reasons)
    pytest.param([delete_tag(Tag("t", count=0))], AccountState(tags=(Tag("t"),)), GuardSpec(), 0,
                 id="a tag nobody carries: not felt, one of one is under the 5-object minimum"),
    pytest.param([delete_tag(Tag("t", count=5))], AccountState(tags=(Tag("t", count=5),)), GuardSpec(), 1,
                 id="a tag with followers is felt"),
    pytest.param([delete_tag(Tag("t", count=5))], AccountState(tags=(Tag("t", count=5),)),
                 GuardSpec(max_destroy={"tag": 1}), 0, id="...unless the spec allows one"),
    pytest.param([delete_tag(t) for t in tags(2)], AccountState(tags=tags(6)), GuardSpec(), 1,
                 id="2 of 6 tags is over 30%"),
    pytest.param([delete_tag(t) for t in tags(2)], AccountState(tags=tags(6)), GuardSpec(max_delete_percent=50), 0,
                 id="...but not over 50%"),
    pytest.param([delete_tag(t) for t in tags(2)], AccountState(tags=tags(4)), GuardSpec(), 0,
                 id="kinds with fewer than 5 live objects have no percentage limit"),
    pytest.param([delete_tag(t) for t in tags(2, count=1)], AccountState(tags=tags(6, count=1)), GuardSpec(), 2,
                 id="felt and over the percentage: both reasons"),
    pytest.param([Change("delete", "menu", "", "bank/menu", HOME, None)], AccountState(menu=HOME), GuardSpec(), 1,
                 id="deleting the menu"),
    pytest.param([Change("update", "menu", "", "bank/menu", HOME, OTHER)], AccountState(menu=HOME), GuardSpec(), 1,
                 id="a menu where no top-level button stays"),
    pytest.param([Change("delete", "template", "t", "bank/templates/t", Template("t"), None)],
                 AccountState(templates=(Template("t"),)), GuardSpec(), 1, id="deleting a template"),
    pytest.param([Change("delete", "conditional_menu", "vip", "bank/conditional_menus/vip", CM, None)],
                 AccountState(conditional_menus=(CM,)), GuardSpec(), 1, id="deleting a conditional menu"),
    # attack review 7: the percentage applied only to tags, templates, conditional menus and articles
    pytest.param(deletes("keyword_reply", "replies/keywords", RULES, "name"), AccountState(keyword_replies=RULES),
                 GuardSpec(), 1, id="deleting every keyword reply"),
    pytest.param(deletes("keyword_reply", "replies/keywords", RULES[:3], "name"),
                 AccountState(keyword_replies=RULES), GuardSpec(), 0, id="...but 3 of 10 is not over 30%"),
    pytest.param(deletes("faq", "faq", FAQS, "id"), AccountState(faq=FAQS), GuardSpec(), 1,
                 id="deleting every FAQ entry"),
    pytest.param(deletes("click_reply", "replies/clicks", CLICKS, "key"), AccountState(click_replies=CLICKS),
                 GuardSpec(), 1, id="deleting every click reply"),
    pytest.param(deletes("scene_reply", "replies/scenes", CLICKS, "key"), AccountState(scene_replies=CLICKS),
                 GuardSpec(), 1, id="deleting every scene welcome"),
    pytest.param([Change("delete", "reply", "default", "bank/replies/default", Reply("x"), None)],
                 AccountState(default_reply=Reply("x")), GuardSpec(), 0, id="a reply is not guarded"),
    pytest.param([Change("delete", "menu", "", "bank/menu", HOME, None, writable=False)], AccountState(menu=HOME),
                 GuardSpec(), 0, id="a change apply will not write is not guarded"),
]


@pytest.mark.parametrize(("changes", "live", "guards", "reasons"), CASES)
def test_guard(changes: list[Change], live: AccountState, guards: GuardSpec, reasons: int) -> None:
    found = tripped(changes, live, guards)
    assert len(found) == reasons, found
    for change in changes:
        if felt(change) and change.writable and reasons:
            assert any(change.address in reason for reason in found)
