from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from oa_spec.content.images import (
    ImageProblem,
    UploadManifest,
    image_file,
    placeholder,
    replace_placeholders,
    resolve_image,
    scan_images,
    sniff_format,
)
from oa_spec.content.markdown import parse_body
from tests.content.helpers import GIF_BYTES, JPEG_BYTES, article, png_bytes


def test_format_is_read_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    assert sniff_format(png_bytes()) == "png"
    assert sniff_format(JPEG_BYTES) == "jpeg"
    assert sniff_format(GIF_BYTES) == "gif"
    assert sniff_format(b"BM\x00\x00") == "bmp"
    assert sniff_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff_format(b"<svg xmlns=...>") == "unknown"
    disguised = tmp_path / "photo.png"
    disguised.write_bytes(GIF_BYTES)
    assert image_file(disguised).format == "gif"


def test_hash_and_size_cover_the_whole_file(tmp_path: Path) -> None:
    data = png_bytes(padding=200_000)
    (tmp_path / "big.png").write_bytes(data)
    image = image_file(tmp_path / "big.png")
    assert image.sha256 == hashlib.sha256(data).hexdigest()
    assert image.size == len(data)


@pytest.mark.parametrize(("reference", "why"), [
    ("https://img.example.com/a.png", "not a local file"),
    ("HTTP://img.example.com/a.png", "not a local file"),
    ("//img.example.com/a.png", "not a local file"),
    ("data:image/png;base64,iVBOR", "not a local file"),
    ("/etc/passwd", "relative to the article"),
    ("../outside.png", "outside"),
    ("link.png", "outside"),
    ("missing.png", "does not exist"),
])
def test_only_local_files_inside_the_root_are_images(tmp_path: Path, reference: str, why: str) -> None:
    root = tmp_path / "content"
    root.mkdir()
    (tmp_path / "outside.png").write_bytes(png_bytes())
    os.symlink(tmp_path / "outside.png", root / "link.png")
    with pytest.raises(ImageProblem, match=why):
        resolve_image(reference, root, root)


def test_an_image_shared_by_articles_in_subfolders_resolves_inside_the_root(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "c.png").write_bytes(png_bytes())
    assert resolve_image("../images/c.png", tmp_path / "young", tmp_path) == (tmp_path / "images" / "c.png").resolve()
    assert resolve_image("images/c%2Epng", tmp_path, None).name == "c.png"


def test_manifest_uploads_each_image_once_per_endpoint(tmp_path: Path) -> None:
    (tmp_path / "twin.png").write_bytes(png_bytes())
    a = article(tmp_path, "![a](cover.png) ![b](twin.png) ![c](cover.png)\n")
    scanned = scan_images(a, parse_body(a))
    assert not scanned.problems
    assert [(e.kind, e.path.name) for e in scanned.manifest.entries] == [("body", "cover.png"), ("cover", "cover.png")]
    assert set(scanned.by_reference) == {"cover.png", "twin.png"}
    merged = scanned.manifest.merged(UploadManifest()).merged(scanned.manifest)
    assert merged == scanned.manifest


def test_unusable_images_are_problems_at_their_position(tmp_path: Path) -> None:
    a = article(tmp_path, "text\n\nsee ![x](https://e.com/x.png) and ![y](nope.png)\n")
    scanned = scan_images(a, parse_body(a))
    assert [str(p.position) for p in scanned.problems] == ["a.md:8:5", "a.md:8:35"]  # at each "!["


def test_placeholders_are_replaced_by_uploaded_urls_escaped(tmp_path: Path) -> None:
    digest = "ab" * 32
    body = f'<img src="{placeholder(digest)}" alt="x">'
    assert replace_placeholders(body, {digest: 'https://mmbiz.qpic.cn/a?x=1&y="2"'}) == (
        '<img src="https://mmbiz.qpic.cn/a?x=1&amp;y=&quot;2&quot;" alt="x">')
    with pytest.raises(ImageProblem, match="upload it first"):
        replace_placeholders(body, {})


def test_chinese_file_names_and_spaces_resolve_and_are_located(tmp_path: Path) -> None:
    (tmp_path / "图片").mkdir()
    (tmp_path / "图片" / "封面 1.png").write_bytes(png_bytes())
    a = article(tmp_path, "文字 ![图](<图片/封面 1.png>) ![缺](图片/没有.png)\n")
    scanned = scan_images(a, parse_body(a))
    assert [image.path.name for image in scanned.by_reference.values()] == ["封面 1.png"]
    assert [(str(p.position), p.message) for p in scanned.problems] == [
        ("a.md:6:24", "the image '图片/没有.png' does not exist")]


def test_a_reference_with_line_breaks_is_reported_on_one_line(tmp_path: Path) -> None:
    with pytest.raises(ImageProblem) as caught:
        resolve_image("a%0Ab%1B.png", tmp_path)
    assert str(caught.value) == "the image 'a?b?.png' does not exist"
