"""Images an article uses: where they are, what they really are (by their first bytes, never by the
file name), their sha256, and an upload manifest so each image is uploaded once.

Body images and covers go to different endpoints (`media/uploadimg` gives a URL, `material/add_material`
a permanent media id), so the same bytes used both ways are two uploads: the manifest is keyed by
(hash, kind).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote

from oa_spec import limits
from oa_spec.config.diagnostics import Diagnostic
from oa_spec.content.article import Article, one_line
from oa_spec.content.markdown import inline_refs

if TYPE_CHECKING:
    from markdown_it.token import Token

ImageKind = Literal["body", "cover"]
ImageFormat = Literal["jpeg", "png", "gif", "bmp", "webp", "unknown"]
PLACEHOLDER_SCHEME = "oaspec-image"  # <img src="oaspec-image:<sha256>">, replaced by the uploaded URL
PLACEHOLDER = re.compile(PLACEHOLDER_SCHEME + r":([0-9a-f]{64})")
_CHUNK = 1 << 16
# No image the platform takes is larger (covers: 10 MB); a larger file is refused before it is read.
MAX_IMAGE_BYTES = max(limits.COVER_MAX_BYTES, limits.BODY_IMAGE_MAX_BYTES)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class ImageProblem(Exception):
    """An image reference that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class ImageFile:
    path: Path
    sha256: str
    size: int  # bytes
    format: ImageFormat


@dataclass(frozen=True)
class ManifestEntry:
    sha256: str
    kind: ImageKind
    path: Path  # the first file seen with these bytes
    format: ImageFormat
    size: int


@dataclass(frozen=True)
class UploadManifest:
    entries: tuple[ManifestEntry, ...] = ()

    def with_image(self, image: ImageFile, kind: ImageKind) -> UploadManifest:
        if any(e.sha256 == image.sha256 and e.kind == kind for e in self.entries):
            return self
        entry = ManifestEntry(image.sha256, kind, image.path, image.format, image.size)
        return UploadManifest(tuple(sorted((*self.entries, entry), key=lambda e: (e.kind, e.sha256))))

    def merged(self, other: UploadManifest) -> UploadManifest:
        result = self
        for entry in other.entries:
            result = result.with_image(ImageFile(entry.path, entry.sha256, entry.size, entry.format), entry.kind)
        return result


def sniff_format(head: bytes) -> ImageFormat:
    """The format the bytes are, whatever the file is called."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    return "unknown"


def image_file(path: Path) -> ImageFile:
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_IMAGE_BYTES:
                raise ImageProblem(f"the image {path.name} is larger than {MAX_IMAGE_BYTES} bytes, "
                                   "more than the platform takes for any image")
            head = handle.read(16)
            digest.update(head)
            size = len(head)
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise ImageProblem(f"cannot read the image {path.name} ({exc.strerror})") from exc
    return ImageFile(path, digest.hexdigest(), size, sniff_format(head))


def resolve_image(reference: str, article_dir: Path, root: Path | None = None) -> Path:
    """The local file an image reference names. Refuses URLs (the platform filters external images) and
    anything outside `root` (the article's directory by default), symlinks included, so a spec cannot
    make the publisher upload a file from elsewhere on the machine."""
    shown = one_line(unquote(reference))  # markdown-it percent-encodes what the author wrote
    if _SCHEME.match(reference) or reference.startswith("//"):
        raise ImageProblem(f"the image '{shown}' is not a local file; "
                           "external and inline images are filtered by WeChat: put the file next to the article")
    relative = unquote(reference.split("#", 1)[0].split("?", 1)[0])
    if not relative or relative.startswith("/"):
        raise ImageProblem(f"the image '{shown}' must be a path relative to the article")
    boundary = (root or article_dir).resolve()
    path = (article_dir / relative).resolve()
    if not path.is_relative_to(boundary):
        raise ImageProblem(f"the image '{shown}' is outside {boundary.name}/; keep images inside it")
    if not path.exists():
        raise ImageProblem(f"the image '{shown}' does not exist")
    if not path.is_file():
        raise ImageProblem(f"the image '{shown}' is not a file")
    return path


@dataclass(frozen=True)
class ScannedImages:
    by_reference: dict[str, ImageFile]  # each body image reference as written -> its file
    cover: ImageFile | None
    manifest: UploadManifest
    problems: tuple[Diagnostic, ...]  # references that cannot be used, at their file:line:col


def scan_images(article: Article, tokens: list[Token], root: Path | None = None) -> ScannedImages:
    """Resolve and hash the cover and every body image; what cannot be used is a problem at its position."""
    found: dict[str, ImageFile] = {}
    manifest = UploadManifest()
    problems: list[Diagnostic] = []
    cover: ImageFile | None = None
    try:
        cover = image_file(resolve_image(article.front.cover, article.directory, root))
        manifest = manifest.with_image(cover, "cover")
    except ImageProblem as exc:
        problems.append(Diagnostic(article.position_of("cover"), "cover", str(exc), _HINT))
    for ref in inline_refs(article, tokens):
        if ref.kind != "image":
            continue
        try:
            image = found.get(ref.target) or image_file(resolve_image(ref.target, article.directory, root))
        except ImageProblem as exc:
            problems.append(Diagnostic(ref.position, "body", str(exc), _HINT))
            continue
        found[ref.target] = image
        manifest = manifest.with_image(image, "body")
    return ScannedImages(found, cover, manifest, tuple(problems))


_HINT = "reference an image file next to the article, e.g. images/chart.png"


def placeholder(sha256: str) -> str:
    return f"{PLACEHOLDER_SCHEME}:{sha256}"


def replace_placeholders(body: str, urls: dict[str, str]) -> str:
    """The rendered body with every placeholder replaced by its uploaded URL (sha256 -> URL).
    An image without a URL is an error: publishing a body with a placeholder would show a broken image."""
    missing = sorted({m.group(1) for m in PLACEHOLDER.finditer(body)} - set(urls))
    if missing:
        raise ImageProblem(f"no uploaded URL for the image with sha256 {missing[0]}; upload it first")
    return PLACEHOLDER.sub(lambda m: html.escape(urls[m.group(1)], quote=True), body)
