"""What a plan says of each menu button that opens content by an id (attack review 69, F3).

An article_id / article_view_limited / media_id / view_limited button opens content the platform keeps: the
plan shows only its id. Each such button of the desired menus gets a note: the article of `content.articles`
that oaspec published under that id (the content record's sends), or content not in the spec, which no rule
and no reviewer reads (the `content.unreviewed-target` finding says so too, at validate).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from oa_spec.content.record import Record
from oa_spec.kinds.addresses import build
from oa_spec.kinds.state import AccountState, Button
from oa_spec.policy.subjects import OPAQUE_BUTTONS

NOT_IN_SPEC = "content not in the spec"  # how a note marks a button whose content no one reviewed


def opaque_buttons(account_id: str, desired: AccountState) -> Iterator[tuple[str, Button]]:
    """(menu address, button) of every leaf button of the desired menus that opens content by an id."""
    menus = [(build(account_id, "menu"), desired.menu.buttons)] if desired.menu is not None else []
    menus += [(build(account_id, "conditional_menu", m.name), m.buttons) for m in desired.conditional_menus]
    for address, buttons in menus:
        for button in buttons:
            for leaf in button.sub_buttons or (button,):
                if leaf.type in OPAQUE_BUTTONS:
                    yield address, leaf


def published_articles(record: Record) -> dict[str, str]:
    """article_id -> the spec's article name, for every publication oaspec made and saw succeed."""
    return {send.article_id: send.article for send in record.sends.values() if send.done and send.article_id}


def target_notes(account_id: str, desired: AccountState, record: Callable[[], Record]) -> list[str]:
    """One note per such button; the content record is read only when there is one."""
    buttons = list(opaque_buttons(account_id, desired))
    published: Mapping[str, str] = published_articles(record()) if buttons else {}
    notes = []
    for address, button in buttons:
        target = getattr(button, OPAQUE_BUTTONS[button.type or ""]) or ""
        opens = f"{address}: button {button.name} opens {button.type} {target}"
        article = published.get(target) if button.type in ("article_id", "article_view_limited") else None
        if article is not None:
            notes.append(f"{opens}, the article {article} of content.articles that oaspec published (read by the "
                         "rules when it was published; an edit made in the console since is not)")
        else:
            notes.append(f"{opens}: {NOT_IN_SPEC} (a console article or material); no rule and no reviewer reads "
                         "what it says: point the button at a page or module the spec declares, or review it")
    return notes
