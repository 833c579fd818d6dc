from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from oa_spec.content.draft import draft_source
from oa_spec.content.images import ImageProblem
from oa_spec.content.render import render_article
from tests.content.helpers import article

FRONT = ("---\ntitle: 标题\nauthor: 作者\ndigest: 摘要\ncover: cover.png\n"
         "source_url: https://mp.weixin.qq.com/s/a\ncomments: on\n---\n")


def test_the_draft_carries_every_field_and_the_uploads(tmp_path: Path) -> None:
    loaded = article(tmp_path, "正文 ![图](cover.png)\n", FRONT)
    rendered = render_article(loaded)
    source = draft_source(loaded, rendered)
    [(_, digest)] = rendered.images
    assert source.cover_sha256 == digest  # the same file serves as cover and body image here
    sent = source.to_api({digest: "https://mmbiz.qpic.cn/x"}, "MEDIA_ID")
    assert sent == {
        "title": "标题", "author": "作者", "digest": "摘要",
        "content": rendered.html.replace(f"oaspec-image:{digest}", "https://mmbiz.qpic.cn/x"),
        "content_source_url": "https://mp.weixin.qq.com/s/a", "thumb_media_id": "MEDIA_ID",
        "need_open_comment": 1, "only_fans_can_comment": 0,
    }
    with pytest.raises(ImageProblem):
        source.to_api({}, "MEDIA_ID")


def test_the_version_changes_with_any_field_and_only_then(tmp_path: Path) -> None:
    loaded = article(tmp_path, "正文\n", FRONT)
    source = draft_source(loaded, render_article(loaded))
    again = draft_source(loaded, render_article(loaded))
    assert source.version == again.version and len(source.version) == 64
    for change in ({"title": "新标题"}, {"content": source.content + " "}, {"need_open_comment": False},
                   {"cover_sha256": "0" * 64}, {"content_source_url": ""}):
        assert dataclasses.replace(source, **change).version != source.version
