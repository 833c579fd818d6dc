"""The `core` pack's check of what a menu button opens by an id (attack review 69, F3).

A button of type article_id, article_view_limited, media_id or view_limited opens a published article or a
material by its platform id: whatever it says was written in the console, not in the spec, so no rule reads it
and the plan shows the reviewer an opaque id. It is always reported (a warning by default): validate reads no
state, and an article oaspec published may be edited in the console since; the plan says which ids are articles
oaspec published from `content.articles`.
"""

from __future__ import annotations

from collections.abc import Iterator

from oa_spec.policy.rules import Hit, Rule
from oa_spec.policy.subjects import AccountView

PACK = "core"
RULE_ID = "content.unreviewed-target"


def _unreviewed_target(view: AccountView) -> Iterator[Hit]:
    for target in view.index.targets:
        yield Hit(target.address, target.loc, f"按钮「{target.label}」打开 {target.type} {target.id}")


RULES = (
    Rule(RULE_ID, "warning", "菜单按钮打开的内容不在 spec 中，未经规则检查和评审",
         "bank policy: what a follower opens from the menu is reviewed in the pull request and read by the rules",
         "A menu button of type article_id, article_view_limited, media_id or view_limited opens content the spec "
         "does not hold (a console article or material): no rule reads it and the plan shows only its id.", PACK,
         _unreviewed_target, "policy",
         fix="point the button at a page (type: view) or a module the spec declares; or review the content in the "
             "console and waive this finding for the menu's address with a reason, an approver and an expiry"),
)
