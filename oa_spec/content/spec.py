"""The spec's articles: each account's `content.articles` globs found, checked and compiled, once, by validate.

`check_articles` runs inside validate (config/validate.py `check`): every article is loaded and checked
offline (content/validate.py), then against its account (the stream exists and schedules that date, the
tags exist, a broadcast reaches one tag, the slot stays within the broadcast quota), rendered, and turned
into the desired `Article` state. The result rides on the account's ContentSpec, so compile
(config/compile.py), the policy packs (the texts) and the providers (the image files to upload) use
exactly what was checked. Every problem is at file:line:col: of the glob in the spec, or of the Markdown.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from oa_spec.config import cadence
from oa_spec.config.diagnostics import Diagnostic, Position, SpecError
from oa_spec.config.model import AccountSpec, Spec
from oa_spec.config.model_services import StreamSpec
from oa_spec.content.article import Article as Source
from oa_spec.content.article import load_article
from oa_spec.content.collection import check_slots, check_streams, find_articles
from oa_spec.content.render import Rendered
from oa_spec.content.texts import ArticleTexts, article_texts
from oa_spec.content.validate import ContentRules, check_article
from oa_spec.kinds.state import Article

if TYPE_CHECKING:
    from oa_spec.config.locate import Locator

PLATFORM_DOMAIN = "mp.weixin.qq.com"  # links to other articles on the platform are always allowed


@dataclass(frozen=True)
class CompiledArticle:
    state: Article  # the desired draft, with its slot
    source: Source  # the Markdown, with the positions of its fields
    texts: ArticleTexts  # for the policy packs, each at its file:line:col


@dataclass(frozen=True)
class ResolvedContent:
    articles: tuple[CompiledArticle, ...] = ()
    files: Mapping[str, Path] = field(default_factory=dict)  # "body:<sha256>" / "cover:<sha256>" -> the file
    base: Path | None = None  # the folder the globs are relative to (that of the file naming them)
    allowed_domains: tuple[str, ...] = ()  # the link domains the articles were checked against


def resolved(account: AccountSpec) -> ResolvedContent:
    """What validate resolved for the account's articles; empty for an account without `content.articles`."""
    found = account.content._resolved
    if isinstance(found, ResolvedContent):
        return found
    if account.content.articles:  # a spec that did not come through validate: never compile it without them
        raise SpecError([Diagnostic(Position("<spec>", 1, 1), f"{account.id}.content.articles",
                                    "the articles were not read: the spec did not go through validate",
                                    "load specs with Workspace.open (or config.validate.check)")])
    return ResolvedContent()


def check_articles(spec: Spec, locator: Locator, root: Path) -> list[Diagnostic]:
    """Find, check and compile every account's articles; the problems, each at its file:line:col."""
    problems: list[Diagnostic] = []
    for index, account in enumerate(spec.accounts):
        if account.content.articles:
            problems += _Account(spec, account, index, locator, root).check()
    return problems


class _Account:
    def __init__(self, spec: Spec, account: AccountSpec, index: int, locator: Locator, root: Path) -> None:
        self.account = account
        self.root = root.resolve()
        self.loc = ("accounts", index, "content", "articles")
        self.where, _ = locator.find(self.loc)
        self.positions = [locator.find((*self.loc, i))[0] for i in range(len(account.content.articles))]
        domains = [*(spec.policies.settings.allowed_domains or []), *(account.policies.settings.allowed_domains or [])]
        self.rules = ContentRules(allowed_domains=(PLATFORM_DOMAIN, *dict.fromkeys(domains)), root=self.root)
        self.streams = {s.id: s for s in account.content.streams}

    def check(self) -> list[Diagnostic]:
        naming_file = Path(self.where.file)
        found = find_articles(self.account.content.articles, naming_file, self.root, self.where, self.positions)
        problems = list(found.problems)
        shown_dir, base = naming_file.parent, naming_file.resolve().parent
        parsed: list[Source] = []
        loaded: list[tuple[str, Source, Rendered]] = []  # the articles without a problem of their own
        for path, name in zip(found.paths, found.ids, strict=True):
            display = str(shown_dir / path.relative_to(base)) if path.is_relative_to(base) else str(path)
            try:
                article = load_article(path, display)
            except SpecError as exc:
                problems += exc.diagnostics
                continue
            parsed.append(article)
            checked = check_article(article, self.rules)
            article_problems = [*checked.problems, *self.against_account(article)]
            problems += article_problems
            if not article_problems and checked.rendered:
                loaded.append((name, article, checked.rendered))
        problems += [*check_slots(parsed), *check_streams(parsed, list(self.streams))]
        if not problems:
            self.account.content._resolved = self.compile(loaded)
        return sorted(problems, key=lambda d: (d.position.file, d.position.line, d.position.col))

    def against_account(self, article: Source) -> Iterator[Diagnostic]:
        """What only the account can tell: its tags, its stream's cadence, audience and quota."""
        front = article.front
        tags = {t.name for t in self.account.tags}
        for tag in front.audience:
            if tag not in tags:
                yield Diagnostic(article.position_of("audience"), "audience", f"the account has no tag {tag!r}",
                                 f"use one of the account's tags: {', '.join(sorted(tags)) or '(none declared)'}")
        stream = self.streams.get(front.stream)
        if stream is None or front.date is None:
            return
        if cadence.stream_dates(stream.cadence, front.date, front.date) != [front.date]:
            yield Diagnostic(article.position_of("date"), "date",
                             f"{front.date} is not a slot of the stream {stream.id}",
                             f"its slots around then: {_nearby(stream, front.date)}")
        audience = front.audience or tuple(stream.audience.tags)
        if stream.broadcast and len(audience) > 1:
            yield Diagnostic(article.position_of("audience" if front.audience else "stream"), "audience",
                             f"a broadcast goes to one tag (message/mass/sendall filters by one tag_id), and this "
                             f"one names {len(audience)}: {', '.join(audience)}",
                             "give the article (or its stream) one audience tag, or none for every follower")
        slots = cadence.account_slots(self.account, cadence.period_start(self.account.type, front.date), front.date)
        mine = next((s for s in slots if s.stream == stream.id and s.date == front.date), None)
        if mine is not None and mine.over_quota:
            period, allowed = cadence.QUOTAS[self.account.type]
            yield Diagnostic(article.position_of("date"), "date",
                             f"the slot {stream.id} {front.date} is a broadcast over the quota of a "
                             f"{self.account.type} account ({allowed} per {period}): the platform would refuse it",
                             "move the article to a slot within the quota, or make its stream a publication "
                             "(broadcast: false)")

    def compile(self, loaded: list[tuple[str, Source, Rendered]]) -> ResolvedContent:
        articles: list[CompiledArticle] = []
        files: dict[str, Path] = {}
        for name, source, rendered in loaded:
            files.update({f"{e.kind}:{e.sha256}": e.path for e in rendered.manifest.entries})
            front = source.front
            stream = self.streams.get(front.stream)
            cover = next((e.sha256 for e in rendered.manifest.entries if e.kind == "cover"), "")
            state = Article(
                name=name, title=front.title, author=front.author, digest=front.digest,
                content_sha256=hashlib.sha256(rendered.html.encode("utf-8")).hexdigest(), cover_sha256=cover,
                source_url=front.source_url, comments=front.comments, content=rendered.html,
                stream=front.stream, date=front.date.isoformat() if front.date else "",
                audience=front.audience or (tuple(stream.audience.tags) if stream else ()),
                broadcast=bool(stream and stream.broadcast))
            articles.append(CompiledArticle(state, source, article_texts(source)))
        domains = tuple(d for d in self.rules.allowed_domains if d != PLATFORM_DOMAIN)
        return ResolvedContent(tuple(articles), files, Path(self.where.file).resolve().parent, domains)


def _nearby(stream: StreamSpec, day: datetime.date) -> str:
    window = cadence.stream_dates(stream.cadence, day - datetime.timedelta(days=40), day + datetime.timedelta(days=40))
    before = [d for d in window if d < day][-2:]
    after = [d for d in window if d > day][:2]
    return ", ".join(d.isoformat() for d in [*before, *after]) or "none within 40 days (check its cadence)"
