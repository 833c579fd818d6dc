"""Template messages (模板消息): paired by title; the platform cannot edit one, only add or delete."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import DiffContext, Flow, ImportContext, Kind, distinct, holdable
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, Template


def template_key(template: Template) -> str:
    """A template's name in addresses: the spec's id when it has one, else its title (made in the console)."""
    return template.name or template.title


class TemplateKind(Kind):
    name = "template"
    label = "template"
    state_type = Template
    ranks: ClassVar[Mapping[Action, int]] = {"delete": 4, "create": 5}  # a delete frees one of the 25 slots first
    collection = "templates"

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        have = {t.title: t for t in live.templates}
        want_titles = {t.title for t in desired.templates}
        changes = [Change("create", "template", t.name, build(account, "template", t.name), None, t)
                   for t in desired.templates if t.title not in have]
        changes += [Change("delete", "template", template_key(t), build(account, "template", template_key(t)), t, None)
                    for t in live.templates if t.title not in want_titles]
        return changes

    def felt(self, change: Change) -> str | None:
        if change.action == "delete":
            return "messages sent with this template (balance alerts, notices) fail until it is added back"
        return None

    def live_count(self, state: AccountState) -> int:
        return len(state.templates)

    def details(self, change: Change) -> list[str]:
        t = change.resource
        assert isinstance(t, Template)
        return [f"  title: {t.title}" + (f" (library {t.library_id})" if t.library_id else "")]

    def identities(self, state: AccountState) -> set[str]:
        return {t.title for t in state.templates}

    def identity(self, change: Change) -> str:
        resource = change.resource
        return resource.title if isinstance(resource, Template) else change.key

    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        def where(template: Template) -> str:
            return build(context.account, self.name, template_key(template))

        held = distinct([t for i, t in enumerate(live.templates, 1)
                         if holdable(where(t), _entry(i, t), context, names=(t.title,))], _title, where, context)
        if not held:
            return {}
        context.adopt["templates"] = [t.title for t in held]
        return {"templates": [_entry(i, t) for i, t in enumerate(held, 1)]}


def _title(template: Template) -> str:
    return template.title


def _entry(number: int, template: Template) -> dict[str, Any]:
    is_spec_id = bool(re.fullmatch(r"[a-z0-9][a-z0-9_-]*", template.name))  # the local provider keeps spec ids
    out = Flow(id=template.name if is_spec_id else f"template-{number}", title=template.title)
    if template.library_id:
        out["library_id"] = template.library_id
    return out


TEMPLATE = TemplateKind()
