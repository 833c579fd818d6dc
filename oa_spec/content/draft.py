"""What `draft/add` and `draft/update` send for one article (wechat-api.md §8 "Drafts"), and a digest
of it that identifies the article's version in plans, state and the publish record.

Two stages, because the uploads happen in between: `DraftSource` is known offline (the rendered body
with image placeholders, the cover's hash) and is what the plan compares and digests; `to_api` fills
in the uploaded URLs and the cover's media id when applying.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from oa_spec.content.article import Article
from oa_spec.content.images import replace_placeholders
from oa_spec.content.render import Rendered


@dataclass(frozen=True)
class DraftSource:
    title: str
    author: str
    digest: str
    content: str  # rendered HTML, images as oaspec-image:<sha256>
    content_source_url: str
    cover_sha256: str
    need_open_comment: bool

    @property
    def version(self) -> str:
        """sha256 of every field, in a fixed encoding: same article, same version, on any machine."""
        encoded = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()

    def to_api(self, image_urls: dict[str, str], cover_media_id: str) -> dict[str, object]:
        """One entry of draft/add's `articles` (and draft/update's `articles`), with uploads filled in.
        Raises ImageProblem if a body image has no uploaded URL."""
        return {
            "title": self.title,
            "author": self.author,
            "digest": self.digest,
            "content": replace_placeholders(self.content, image_urls),
            "content_source_url": self.content_source_url,
            "thumb_media_id": cover_media_id,
            "need_open_comment": int(self.need_open_comment),
            "only_fans_can_comment": 0,
        }


def draft_source(article: Article, rendered: Rendered) -> DraftSource:
    covers = [entry.sha256 for entry in rendered.manifest.entries if entry.kind == "cover"]
    front = article.front
    return DraftSource(title=front.title, author=front.author, digest=front.digest, content=rendered.html,
                       content_source_url=front.source_url, cover_sha256=covers[0] if covers else "",
                       need_open_comment=front.comments)
