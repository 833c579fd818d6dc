"""Write a spec from a live account: `oaspec import`. Importing and then planning shows no changes.

Each kind writes its own live resources back as spec entries (Kind.export); this module puts the
account around them and marks what exists already as adopted. Articles are Markdown files, not live
resources: the declared account's `content:` (its streams, and its article globs rebased onto the folder
of the imported file) is carried over, so the drafts stay that account's articles.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any

import yaml

from oa_spec.config.compile import compile_account, gateway_routing
from oa_spec.config.model import AccountSpec, Spec
from oa_spec.content.spec import resolved
from oa_spec.errors import OaspecError
from oa_spec.kinds.addresses import build
from oa_spec.kinds.base import Flow, ImportContext
from oa_spec.kinds.conditional_menu import rule_key, spec_name
from oa_spec.kinds.registry import KINDS
from oa_spec.kinds.state import AccountState
from oa_spec.kinds.template import template_key
from oa_spec.plan.import_policies import carry_policies
from oa_spec.plan.import_settings import carry_settings
from oa_spec.plan.scope import COLLECTIONS, SINGLETONS, Managed, identities, singleton_address
from oa_spec.providers import Provider
from oa_spec.util.display import visible

# Where each kind's entries go in the account, in the order a person reads a spec.
_SPEC_ORDER = ("tags", "menu", "conditional_menus", "industry", "templates", "replies")


def import_account(account: AccountSpec, provider: Provider, out_dir: Path | None = None,
                   managed: Managed | None = None,
                   given: tuple[Spec, str] | None = None) -> tuple[str, list[str]]:
    """The spec text, and notes on what the live account holds that a spec cannot express. `out_dir`: the
    folder the text will be written in, where the declared account's article globs are rebased to. `managed`:
    what the account's newest revision says oaspec manages; a live one of them the spec cannot hold is refused
    (UnheldError), since the imported spec's plan would delete it. `given`: the spec given and its path, whose
    policies and deployment settings (the bank's and the account's own) the imported spec carries (None: no spec
    was given)."""
    live = provider.read()
    context = ImportContext(account.id)
    written = account_to_spec(account, live, context)
    unheld = left_out_managed(account.id, live, written, managed or {})
    if unheld:
        raise UnheldError(account.id, unheld, context.notes)
    if out_dir is not None:
        written.update(content_to_spec(account, out_dir, context))
    given_spec, source = given or (None, "")
    settings, copied = carry_settings(account, given_spec, written)
    policies = carry_policies(account, given_spec.policies if given_spec else None, source, written, context)
    spec = {"version": 1, "bank": account.name, **({"state": settings.pop("state")} if "state" in settings else {}),
            **policies, **settings, "accounts": [written]}
    header = f"# Imported from the live account {account.id}. Review it, then run: oaspec plan -f <this file>\n"
    if given_spec is not None:
        header += f"# Policies: copied from {visible(source)} as it declares them (the bank's and {account.id}'s own)\n"
    if copied:  # how the account is deployed: freeze windows, the shared state, guards
        header += f"# Deployment settings: copied from {visible(source)} as it declares them: {copied}\n"
    # Notes quote live values: escaped, one comment line each, so a value cannot add YAML of its own.
    header += "".join(f"# NOTE: {visible(note)}\n" for note in context.notes)
    return header + yaml.dump(spec, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120), context.notes


def account_to_spec(account: AccountSpec, live: AccountState, context: ImportContext) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": account.id, "name": account.name, "type": account.type,
        "provider": account.provider.model_dump(exclude_defaults=True),
    }
    if not account.verified:
        out["verified"] = False
    if account.gateway is not None:  # the server configuration and the modules are the bank's, not the platform's:
        out["gateway"] = account.gateway.model_dump(mode="json", exclude_defaults=True)  # carried as declared
    entries: dict[str, Any] = {}
    for kind in KINDS.values():
        for key, value in kind.export(live, context).items():
            if isinstance(value, dict) and isinstance(entries.get(key), dict):
                entries[key].update(value)  # replies: the fixed ones and the keyword rules
            else:
                entries[key] = value
    if "conditional_menus" in entries and "menu" not in entries:  # the spec refuses them without a default menu
        context.notes.append(f"the conditional menus of {account.id} are left out as well: a spec declares them "
                             "only beside the default menu, so oaspec leaves them alone")
        del entries["conditional_menus"]
        context.adopt.pop("conditional_menus", None)
    out.update((key, entries[key]) for key in _SPEC_ORDER if key in entries)
    if account.gateway is not None and account.modules:  # a served account's FAQ lives in its modules
        out["modules"] = [module.model_dump(mode="json", exclude_defaults=True) for module in account.modules]
    context.notes += _routing_differences(account, live)
    adopt = {collection: names for collection, names in context.adopt.items() if names}
    if adopt:
        out["adopt"] = adopt  # they exist already: manage them as they are, never re-create them
    return out


class UnheldError(OaspecError):
    """Import would leave out objects oaspec manages: declared by no spec, the imported spec's plan deletes them
    (ownership comes from history), so nothing is written."""

    def __init__(self, account: str, addresses: list[str], notes: list[str]) -> None:
        lines = [f"  {address}: " + ("; ".join(visible(_reason(n, address)) for n in notes if _about(n, address))
                                     or "left out with the object it belongs to (a conditional menu goes with "
                                        "the default menu)") for address in addresses]
        super().__init__(
            f"import of {account} would leave out what oaspec manages there (its newest revision declares it), and "
            "the imported spec's plan would then delete it:\n" + "\n".join(lines) + "\nA spec cannot hold these "
            "as they are live. Change or delete each on the platform (the console) so that a spec can hold it, "
            "then run import again; nothing was written")
        self.addresses = addresses


def _about(note: str, address: str) -> bool:
    """Whether an import note is about the object at `address` (or one of its buttons)."""
    return note == address or note.startswith((f"{address}:", f"{address}/", f"{address} "))


def _reason(note: str, address: str) -> str:
    """The note without the address it starts with, when it is the object's own."""
    return note.removeprefix(f"{address}: ")


def left_out_managed(account: str, live: AccountState, written: dict[str, Any], managed: Managed) -> list[str]:
    """The addresses of live objects that `managed` (ownership, from history) holds and the written spec entries
    do not declare: its plan would delete each of them."""
    declared = identities(compile_account(AccountSpec.model_validate(written)).desired)
    present = identities(live)
    names = {"templates": {t.title: template_key(t) for t in live.templates},
             "conditional_menus": {rule_key(m): spec_name(m) for m in live.conditional_menus}}
    kinds = {k.collection: k.name for k in KINDS.values() if k.collection}
    out = []
    for collection in (SINGLETONS, *COLLECTIONS):
        for identity in sorted(present.get(collection, set()) & managed.get(collection, set())
                               - declared.get(collection, set())):
            if collection == SINGLETONS:
                out.append(singleton_address(account, identity))
            else:
                out.append(build(account, kinds[collection], names.get(collection, {}).get(identity, identity)))
    return out


def _routing_differences(account: AccountSpec, live: AccountState) -> list[str]:
    """The gateway block and modules are carried as the given spec declares them; where the applied revision
    routes followers' messages otherwise, say so (the imported spec's plan shows it as a change)."""
    if account.gateway is None or live.gateway is None:
        return []
    declared = gateway_routing(account)
    carried = "the imported spec carries the given spec's, and its plan shows the difference"
    notes = [] if declared.gateway == live.gateway else [
        f"{account.id}/gateway is served as {live.gateway}, the given spec declares {declared.gateway}; {carried}"]
    served = {w.module: w for w in live.webhooks}
    for module in sorted({*served, *(w.module for w in declared.webhooks)}):
        spec_route = next((w for w in declared.webhooks if w.module == module), None)
        if served.get(module) != spec_route:
            where = served[module].url if module in served else "no webhook"
            wanted = spec_route.url if spec_route is not None else "none"
            notes.append(f"{account.id}/gateway/webhooks/{module} is served as {where}, the given spec declares "
                         f"{wanted}; {carried}")
    return notes


def content_to_spec(account: AccountSpec, out_dir: Path, context: ImportContext) -> dict[str, Any]:
    """The declared account's streams and preview reviewers as declared, and its article globs relative to
    `out_dir` with the link domains the articles were checked against; nothing for an account without content."""
    content: dict[str, Any] = {}
    found = resolved(account)
    out: dict[str, Any] = {}
    if account.content.articles and found.base is not None:
        where = Path(os.path.relpath(found.base, out_dir.resolve())).as_posix()
        if where == ".." or where.startswith("../"):
            context.notes.append(f"content.articles is left out: the articles are outside {out_dir}, where the "
                                 "imported spec is written (globs never leave its folder); write it beside them")
        else:
            content["articles"] = [posixpath.normpath(posixpath.join(where, p)) for p in account.content.articles]
            if found.allowed_domains:
                out["policies"] = {"settings": {"allowed_domains": list(found.allowed_domains)}}
    if account.content.preview is not None:
        content["preview"] = account.content.preview.model_dump(mode="json")
    if account.content.streams:
        content["streams"] = [s.model_dump(mode="json", exclude_defaults=True) for s in account.content.streams]
    if content:
        out["content"] = content
    return out


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))
