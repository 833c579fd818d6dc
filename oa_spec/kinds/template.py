"""Template messages (模板消息): the platform cannot edit one, only add or delete, and its list says nothing of
the library template each came from. A template oaspec added is owned by the template_id the platform gave it: the
revision records that id with the spec's id and library_id (OWNED), and a plan pairs the spec's template with it
by that record, so a changed library_id is a replace. Any other live template is paired by title."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, ClassVar

from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import DiffContext, Flow, ImportContext, Kind, distinct, holdable
from oa_spec.kinds.change import Action, Change
from oa_spec.kinds.state import AccountState, Template
from oa_spec.util.display import exact

# The key of a revision's `managed` under which the templates oaspec added are recorded: one entry per template,
# the JSON list [template_id, library_id, spec id] (see added_templates).
OWNED = "template_ids"


def template_key(template: Template) -> str:
    """A template's name in addresses: the spec's id when it has one, else its title (made in the console)."""
    return template.name or template.title


class TemplateKind(Kind):
    name = "template"
    label = "template"
    state_type = Template
    # A delete frees one of the 25 slots first; a replace adds the new template before it deletes the old one.
    ranks: ClassVar[Mapping[Action, int]] = {"delete": 4, "create": 5, "replace": 5}
    collection = "templates"

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        paired = _paired(desired, live)
        changes = [Change("replace", "template", want.name, build(account, "template", want.name), have, want,
                          reason=f"library template {have.library_id} -> {want.library_id}: the platform cannot "
                                 "change a template, so the new one is added and the old one deleted")
                   for want in desired.templates if (have := paired.get(want.name)) is not None
                   and want.library_id and want.library_id != have.library_id]
        taken = {id(t) for t in paired.values()}
        have_titles = {t.title for t in live.templates if id(t) not in taken}
        want_titles = {t.title for t in desired.templates if t.name not in paired}
        changes += [Change("create", "template", t.name, build(account, "template", t.name), None, t)
                    for t in desired.templates if t.name not in paired and t.title not in have_titles]
        changes += [Change("delete", "template", template_key(t), build(account, "template", template_key(t)), t, None)
                    for t in live.templates if id(t) not in taken and t.title not in want_titles]
        return changes

    def felt(self, change: Change) -> str | None:
        if change.action == "delete":
            return "messages sent with this template (balance alerts, notices) fail until it is added back"
        if change.action == "replace":
            return ("the template gets a new template_id: messages sent with the old one fail until the senders use "
                    "the new one")
        return None

    def live_count(self, state: AccountState) -> int:
        return len(state.templates)

    def details(self, change: Change) -> list[str]:
        t = change.resource
        assert isinstance(t, Template)
        before = change.before
        if change.action == "replace" and isinstance(before, Template):
            return [f"  title: {t.title}", f"  library: {before.library_id} -> {t.library_id}"]
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


def claimed(templates: tuple[Template, ...], managed: Mapping[str, Iterable[str]]) -> tuple[Template, ...]:
    """The live templates, each one oaspec added (recorded under OWNED) with the spec's id and the library_id it
    was added from: the platform's list holds neither, and the diff pairs such a template by them."""
    owned = {template_id: (library_id, name) for template_id, library_id, name in _records(managed)}
    return tuple(replace(t, library_id=owned[t.template_id][0], name=owned[t.template_id][1])
                 if t.template_id in owned else t for t in templates)


def owned_ids(managed: Mapping[str, Iterable[str]]) -> set[str]:
    """The template_ids of the templates oaspec added (the live ones among them are oaspec's, whatever their title)."""
    return {template_id for template_id, _, _ in _records(managed)}


def added_templates(managed: Mapping[str, set[str]], added: Iterable[Template],
                    applied: Iterable[Change]) -> dict[str, set[str]]:
    """`managed` once an apply added the templates `added` (with the template_ids the platform gave them) and
    carried out the changes `applied` (a delete or replace releases the template it took away)."""
    gone = {c.before.template_id for c in applied if c.kind == "template" and c.action in ("delete", "replace")
            and isinstance(c.before, Template) and c.before.template_id}
    kept = {json.dumps(r, ensure_ascii=False) for r in _records(managed) if r[0] not in gone}
    kept |= {json.dumps([t.template_id, t.library_id, t.name], ensure_ascii=False)
             for t in added if t.template_id and t.library_id}
    return {**managed, OWNED: kept} if kept or OWNED in managed else dict(managed)


def _records(managed: Mapping[str, Iterable[str]]) -> list[tuple[str, str, str]]:
    out = []
    for entry in managed.get(OWNED, ()):
        try:
            record = json.loads(entry)
        except ValueError:
            continue  # not one oaspec wrote: no claim
        if isinstance(record, list) and len(record) == 3 and all(isinstance(r, str) for r in record):
            out.append((record[0], record[1], record[2]))
    return out


def title_conflicts(account: str, desired: AccountState, live: AccountState) -> list[str]:
    """Spec templates whose library template, as the live account holds it, has another title. The platform gives a
    template its library's title and cannot change it: adding it again would only add another copy."""
    paired = _paired(desired, live)
    return [f"{build(account, 'template', want.name)}: {not_the_librarys_title(want, have.title)}"
            for want in desired.templates if (have := paired.get(want.name)) is not None
            and have.library_id == want.library_id and have.title != want.title]


def _paired(desired: AccountState, live: AccountState) -> dict[str, Template]:
    """Spec id -> the live template known to be it: one whose spec id and library_id are known (claimed, or kept
    by the local provider), of the spec's library_id if there are two (a replace whose delete failed)."""
    paired: dict[str, Template] = {}
    for want in desired.templates:
        known = [t for t in live.templates if t.library_id and t.name == want.name]
        if known:
            paired[want.name] = next((t for t in known if t.library_id == want.library_id), known[0])
    return paired


def not_the_librarys_title(want: Template, library_title: str) -> str:
    """Why a spec's template cannot be had as it is: its library template has another title."""
    return (f"library template {want.library_id} is titled {exact(library_title)}, not {exact(want.title)} as the "
            f"spec says; the platform gives a template its library's title: set title: {exact(library_title)} in "
            f"the spec, or the library_id of a template titled {exact(want.title)}")
