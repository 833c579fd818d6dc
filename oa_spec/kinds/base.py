"""The protocol every resource kind implements, and the diff helpers most kinds share.

A kind owns what oaspec knows about one sort of resource: its normalized state type, where its
resources sit in an address, how desired and live resources pair up in a diff, when each action runs
in an apply, why followers would notice a change (the destroy guard), how a change reads in a plan,
which identities ownership tracks, and how `oaspec import` writes it back as spec. Providers keep one
writer per kind they can write. To add a kind: a module here, an entry in `registry.py`, and a writer
in each provider that can write it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar

from oa_spec import limits
from oa_spec.kinds.addresses import build
from oa_spec.kinds.change import Action, Change, Resource
from oa_spec.kinds.field_limits import bytes_over
from oa_spec.kinds.state import SLOT_FIELDS, AccountState, Article, ConditionalMenu, Reply, article_sha256
from oa_spec.util import precompiled
from oa_spec.util.display import excerpt, fold, text_problem
from oa_spec.util.secret_policy import interpolates

T = TypeVar("T")


@dataclass(frozen=True)
class SlotUse:
    """A send the content record holds for a slot: sent, or an attempt not settled (a failed one is no use)."""

    article: str
    content_sha256: str
    sent: bool  # False: an attempt whose outcome is not settled yet
    tag: str = ""  # the audience tag it went to (send_tag): "" for every follower, or a publication
    declared: bool = False  # an article of its name is still declared: then it is that article's send alone
    shown_sha256: str = ""  # what followers saw of it (shown_sha256); "" in a send recorded before oaspec kept it
    mode: str = ""  # "broadcast" or "publish"

    def of(self, article: Article, slot: str) -> bool:
        """Is this send (in `slot`) a send of this article: by its name; or, when no article of its name is
        declared any more, by all that followers see of it, in the same stream to the same audience (its file
        renamed, or its date moved)? A new title, digest, author, cover, 阅读原文 link or comments switch is a new
        article, even with the same body (a recap), and so are two declared articles with one text (a text reused
        for another audience, a reminder repeated word for word): each goes out in its own slot. A send recorded
        without shown_sha256 is compared by its body alone, as before."""
        if self.article == article.name:
            return True
        same = (self.shown_sha256 == shown_sha256(article) if self.shown_sha256
                else self.content_sha256 == article.content_sha256)
        return (not self.declared and same and slot.rsplit("/", 1)[0] == article.stream
                and self.tag == send_tag(article))


def version_changes(article: Article, shown: str, body: str, tag: str, mode: str) -> str:
    """What differs in `article` from the version a send journalled (`shown`: its shown_sha256, "" in a send
    recorded before attack review 68, which is compared by its `body` digest alone; `tag`; `mode`), "" when nothing
    does. One comparison for `oaspec publish`, which refuses an attempt of unknown outcome whose article changed, and
    the plan, which says so before (attack review 70, F2)."""
    same = shown == shown_sha256(article) if shown else body == article.content_sha256
    return ", ".join(what for what, differs in (
        ("what followers see of it", not same), ("its audience", tag != send_tag(article)),
        ("broadcast or publication", mode != ("broadcast" if article.broadcast else "publish"))) if differs)


def shown_sha256(article: Article) -> str:
    """The sha256 of what followers see of an article wherever it goes: every compared field but its name and its
    slot (title, author, digest, cover, 阅读原文 link, comments switch, body)."""
    return article_sha256(article, leaving_out=("name", *SLOT_FIELDS))


def send_tag(article: Article) -> str:
    """The tag an article's broadcast goes to; "" for every follower, and for a publication (no push)."""
    return article.audience[0] if article.broadcast and article.audience else ""


@dataclass(frozen=True)
class SlotVerdict:
    """What the content record says of an article in its slot, before anything else is asked of it:
    `taken`: the slot's send is another article's; `sent`: this article went out in it; `elsewhere`: this article
    went out, or has an attempt not settled, in another slot (`slot` names it); `unsettled`: an attempt of its
    own here, which publish settles; `free`: nothing recorded. `use` is the send meant."""

    kind: Literal["taken", "sent", "elsewhere", "unsettled", "free"]
    slot: str
    use: SlotUse | None = None


def slot_verdict(article: Article, slot: str, uses: Mapping[str, SlotUse]) -> SlotVerdict:
    """The one decision `oaspec publish` acts on and the plan foretells (content/publish.py, kinds/article.py): an
    article goes out once, in its own slot, and a slot carries one article."""
    here = uses.get(slot)
    if here is not None and not here.of(article, slot):
        return SlotVerdict("taken", slot, here)
    if here is not None and here.sent:
        return SlotVerdict("sent", slot, here)
    elsewhere = next(((s, u) for s, u in sorted(uses.items()) if s != slot and u.of(article, s)), None)
    if elsewhere is not None:  # its date or stream changed since, or its file was renamed
        return SlotVerdict("elsewhere", *elsewhere)
    return SlotVerdict("unsettled", slot, here) if here is not None else SlotVerdict("free", slot)


@dataclass
class DiffContext:
    """What one kind's diff needs to know beyond the scoped states: tag renames carried out by this plan, and
    the live conditional menus outside the plan's scope (plan/scope.py), which a create or replace overtakes."""

    renames: Mapping[str, str] = field(default_factory=dict)  # old tag name -> new
    unmanaged_menus: tuple[ConditionalMenu, ...] = ()  # left alone, but followers may see them today
    # stream/date -> the send the content record holds for that slot (sent, or not settled; a failed one is no
    # use): what `oaspec publish` will and will not send
    slots_used: Mapping[str, SlotUse] = field(default_factory=dict)


@dataclass
class ImportContext:
    """What `oaspec import` collects while kinds write themselves back as spec."""

    account: str
    notes: list[str] = field(default_factory=list)  # what a spec cannot express
    adopt: dict[str, list[str]] = field(default_factory=dict)  # spec collection -> identities to adopt


class Kind:
    """One kind of resource. Subclasses are stateless: the registry holds one instance of each."""

    name: ClassVar[str]  # "conditional_menu": Change.kind, plan JSON, GuardSpec keys
    label: ClassVar[str]  # "conditional menu": how a plan names it
    state_type: ClassVar[type]
    ranks: ClassVar[Mapping[Action, int]]  # apply order per action; lower runs first (see registry.py)
    # The spec's collection for prune:/adopt: and ownership ("tags"); None for singletons, which
    # ownership tracks by their own name under "singletons".
    collection: ClassVar[str | None] = None
    # Decides where followers' messages go or how they are protected (the gateway's mode, a webhook's host): a
    # plan too long for a pull-request comment still shows these changes whole (render/comment.py)
    always_shown: ClassVar[bool] = False

    def diff(self, account: str, desired: AccountState, live: AccountState, context: DiffContext) -> list[Change]:
        raise NotImplementedError

    def felt(self, change: Change) -> str | None:
        """Why followers would notice this change (the destroy guard counts these), or None."""
        return None

    def removes(self, change: Change) -> bool:
        """Whether the change takes away something followers had (the guard's percentage counts these)."""
        return change.action == "delete"

    def live_count(self, state: AccountState) -> int | None:
        """How many of this kind the account holds, for the guard's percentage; None: not counted."""
        return None

    def details(self, change: Change) -> list[str]:
        """The lines under a change in a plan."""
        return []

    def beside(self, change: Change, changes: Sequence[Change]) -> list[str]:
        """Lines under a change that read the rest of its account's plan (`changes`): an article created
        under a new name is compared with the one this plan deletes."""
        return []

    def identities(self, state: AccountState) -> set[str]:
        """The identities ownership records for the resources of this kind in `state`."""
        return set()

    def identity(self, change: Change) -> str:
        """The identity of the resource a change touches."""
        return change.key or self.name

    def export(self, live: AccountState, context: ImportContext) -> dict[str, Any]:
        """The spec entries (top-level key -> value) for this kind's live resources."""
        return {}


def diff_singleton(account: str, kind: str, want: Resource | None, have: Resource | None,
                   key: str = "", deletable: bool = True) -> list[Change]:
    """One resource per account (or per fixed key): create, update or delete it."""
    address = build(account, kind, key)
    if want == have or (want is None and not deletable):
        return []
    if have is None:
        return [Change("create", kind, key, address, None, want)]
    if want is None:
        return [Change("delete", kind, key, address, have, None)]
    return [Change("update", kind, key, address, have, want)]


def diff_named(account: str, kind: str, want: Mapping[str, Resource], have: Mapping[str, Resource]) -> list[Change]:
    """Resources paired by name: create the new, update the changed, delete the gone."""
    changes = []
    for name, item in want.items():
        if name not in have:
            changes.append(Change("create", kind, name, build(account, kind, name), None, item))
        elif have[name] != item:
            changes.append(Change("update", kind, name, build(account, kind, name), have[name], item))
    changes += [Change("delete", kind, name, build(account, kind, name), item, None)
                for name, item in have.items() if name not in want]
    return changes


class Flow(dict[str, Any]):
    """A spec mapping `oaspec import` writes on one line (a leaf button, a reply)."""


def reply_spec(reply: Reply) -> Flow:
    """A reply as the spec writes it: its text, and the module that answers it on a served account."""
    return Flow(text=reply.text, module=reply.module) if reply.module else Flow(text=reply.text)


def console_only(replies: Sequence[Reply]) -> str | None:
    """Why a spec cannot declare these live replies: one is a console reply that is not text (an image, a news
    reply). Declared as its label ([图片]), followers would get the label instead; None when all are text."""
    for n, reply in enumerate(replies, start=1):
        if reply.media_kind is not None:
            return f"reply {n} is {reply.media_kind}" if len(replies) > 1 else f"it is {reply.media_kind}"
    return None


def over_bytes(what: str, value: str, limit: int) -> str | None:
    """Why a live value is over a byte limit validate holds the spec to (the same check: field_limits.bytes_over),
    as import's note says it, or None. The platform may count otherwise (wechat-api.md: UTF-8 or GBK bytes or
    characters is unconfirmed), so a live one can be."""
    over = bytes_over(value, limit)
    return f"{what} is {over.size} bytes in UTF-8, over the limit of {over.limit}" if over else None


def long_reply(replies: Sequence[Reply]) -> str | None:
    """Why a spec cannot declare these live replies: a text over validate's limit (a module's reply is checked at
    the module); None when all fit."""
    for n, reply in enumerate(replies, start=1):
        what = f"the text of reply {n}" if len(replies) > 1 else "the text"
        if reply.module is None and (problem := over_bytes(what, reply.text, limits.REPLY_TEXT_BYTES)):
            return problem
    return None


def nameable(what: str, name: str, context: ImportContext) -> bool:
    """Spec names become addresses, so they hold no '/', and are one line of visible characters; such a live
    object is left out, and unmanaged."""
    if "/" in name:
        context.notes.append(f"{what}: {name!r} has a '/' in its name, which a spec name cannot hold: left out, so "
                             "oaspec leaves it alone; to manage it, declare it under a new name with renamed_from: "
                             f"{name!r}")
        return False
    return holdable(what, name, context, names=(name,))


def holdable(what: str, entry: object, context: ImportContext, names: Iterable[str] = ()) -> bool:
    """Whether the spec loader would take one live object as import writes it (`entry`, its spec value):
    `names` are held to the loader's name check and every text in `entry` to its text check (both
    display.text_problem). Otherwise the object is left out with a note, or the imported spec would not load."""
    found = next((f"the name {excerpt(n)} {p}" for n in names if (p := text_problem(n, name=True))), None)
    found = found or next((f"the text {excerpt(t)} {p}" for t in _texts(entry) if (p := _text_problem(t))), None)
    return held(what, found, context)


def held(what: str, problem: str | None, context: ImportContext) -> bool:
    """Whether the spec can hold the live object `what`: without a `problem`, yes; otherwise it is left out of the
    imported spec with a note saying why (declared as it is, the spec would not load)."""
    if problem is not None:
        context.notes.append(f"{what}: {problem}, which a spec cannot hold: left out, so oaspec does not declare it; "
                             "change it on the platform to manage it")
    return problem is None


def _text_problem(text: str) -> str | None:
    if interpolates(text):  # the loader takes `${...}` for an environment variable, which only secrets may name
        return "holds '${' (a spec reads it as naming an environment variable)"
    return text_problem(text)


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def distinct(items: Iterable[T], name: Callable[[T], str], what: Callable[[T], str], context: ImportContext) -> list[T]:
    """The spec refuses two names a reviewer cannot tell apart (compared display.fold-ed, as its duplicate check
    does): the first is declared, one that looks the same after it is left out with a note."""
    first: dict[str, str] = {}
    kept = []
    for item in items:
        key = fold(name(item))
        if key not in first:
            first[key] = name(item)
            kept.append(item)
            continue
        same = "is the name of another" if first[key] == name(item) else f"looks the same as {first[key]!r}"
        context.notes.append(f"{what(item)}: {name(item)!r} {same}, and a spec cannot hold both (a reviewer could "
                             "not tell them apart): left out, so oaspec leaves it alone")
    return kept


def before_after(label: str, old: str | None, new: str | None) -> list[str]:
    """One line per side; line breaks inside a value are shown as \\n so a value cannot add lines of its own."""
    old, new = (None if v is None else v.replace("\r", "\\r").replace("\n", "\\n") for v in (old, new))
    if old is None:
        return [f"  + {label}: {new}"]
    if new is None:
        return [f"  - {label}: {old}"]
    return [f"  - {label}: {old}", f"  + {label}: {new}"]


Shown = Iterable[tuple[str, Callable[[Any], str | None]]]  # (label, what a reviewer reads of a resource)


def changed_lines(change: Change, shown: Shown) -> list[str]:
    """Before/after lines for each shown field of a change's resource that differs between its two sides."""
    return differing_lines(change.before, change.after, shown)


def differing_lines(before: object | None, after: object | None, shown: Shown) -> list[str]:
    """Before/after lines for each shown field that differs between two resources (None: there is none)."""
    lines: list[str] = []
    for label, show in shown:
        old, new = (None if side is None else show(side) for side in (before, after))
        if old != new:
            lines += before_after(label, old, new)
    return lines


def joined(values: Iterable[object]) -> str:
    """A list on one line; an item that could be read as more or fewer items (贷款, 借钱 as one keyword, an
    empty one, one with edge spaces) is quoted, so two different lists never read the same."""
    return ", ".join(_item(str(value)) for value in values)


def _item(value: str) -> str:
    plain = value and not _SEPARATOR_LIKE.search(value) and value == value.strip() and not value.startswith('"')
    return value if plain else json.dumps(value, ensure_ascii=False)


_SEPARATOR_LIKE = precompiled.compile("[,，、﹐﹑‚]")  # what reads as the list's comma, or a Chinese list's
