"""Write articles and tiny images for the content tests (no Pillow: the bytes are built here)."""

from __future__ import annotations

import struct
import textwrap
import zlib
from pathlib import Path

from oa_spec.content.article import Article, load_article

FRONT = "---\ntitle: 五分钟看懂存款保险\nauthor: 示例城市银行\ncover: cover.png\n---\n"


def png_bytes(width: int = 2, height: int = 2, padding: int = 0) -> bytes:
    """A valid RGB PNG; `padding` adds an ancillary chunk to make the file as large as a test needs."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80\x20\x20" * width for _ in range(height))
    extra = chunk(b"tEXt", b"c\x00" + b"x" * padding) if padding else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + extra + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF_BYTES = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def write_article(directory: Path, text: str, name: str = "a.md", cover: bool = True) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    if cover and not (directory / "cover.png").exists():
        (directory / "cover.png").write_bytes(png_bytes())
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def article(directory: Path, body: str, front: str = FRONT) -> Article:
    return load_article(write_article(directory, front + textwrap.dedent(body).lstrip("\n")), "a.md")
