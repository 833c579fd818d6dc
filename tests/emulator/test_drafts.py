"""Uploads and the draft box on the wire: limits, error codes, content-addressed images, read-back."""

from __future__ import annotations

import pytest

from oa_spec import limits
from oa_spec.emulator import EmulatorAdmin, EmulatorServer
from testing.emulator import EmulatorAccount
from tests.emulator.publishing_helpers import APPID, GIF, JPEG, PNG, SECRET, Platform

EMULATOR_ACCOUNT = EmulatorAccount(APPID, SECRET)  # the `admin` fixture's account


@pytest.fixture
def platform(server: EmulatorServer, admin: EmulatorAdmin) -> Platform:
    return Platform(server)


def test_body_images_are_stored_by_content_and_uploads_counted(platform: Platform, admin: EmulatorAdmin) -> None:
    first = platform.upload("media/uploadimg", PNG)
    again = platform.upload("media/uploadimg", PNG)
    other = platform.upload("media/uploadimg", JPEG)
    assert first["url"] == again["url"] != other["url"]
    images = admin.publishing(APPID)["images"]
    assert sorted(i["uploads"] for i in images.values()) == [1, 2]


@pytest.mark.parametrize(("data", "errcode"), [
    (GIF, limits.ERR_INVALID_FILE_TYPE),
    (b"not an image at all", limits.ERR_INVALID_FILE_TYPE),
    (PNG + b"\x00" * limits.BODY_IMAGE_MAX_BYTES, limits.ERR_INVALID_IMAGE_SIZE),
])
def test_body_images_outside_the_limits_are_refused(platform: Platform, admin: EmulatorAdmin, data: bytes,
                                                    errcode: int) -> None:
    assert platform.upload("media/uploadimg", data)["errcode"] == errcode
    assert admin.publishing(APPID)["images"] == {}


def test_an_upload_without_a_media_part_is_a_format_error(platform: Platform) -> None:
    assert platform.post("media/uploadimg", {"media": "x"})["errcode"] == 47001


def test_cover_materials_get_one_media_id_per_content(platform: Platform, admin: EmulatorAdmin) -> None:
    assert platform.cover(JPEG) == platform.cover(JPEG) != platform.cover(PNG)
    assert platform.upload("material/add_material", GIF, type="image")["media_id"]  # covers may be gif
    assert platform.upload("material/add_material", JPEG, type="voice")["errcode"] == limits.ERR_INVALID_MEDIA_TYPE
    materials = admin.publishing(APPID)["materials"]
    assert sorted(m["uploads"] for m in materials.values()) == [1, 1, 2]


def test_a_cover_over_the_size_limit_is_refused(platform: Platform, admin: EmulatorAdmin) -> None:
    too_big = JPEG + b"\x00" * limits.COVER_MAX_BYTES
    assert platform.upload("material/add_material", too_big, type="image")["errcode"] == limits.ERR_INVALID_IMAGE_SIZE
    assert admin.publishing(APPID)["materials"] == {}


def test_a_draft_is_added_read_updated_in_place_and_deleted(platform: Platform, admin: EmulatorAdmin) -> None:
    cover = platform.cover()
    media_id = platform.draft(cover)
    assert platform.post("draft/get", {"media_id": media_id})["news_item"][0]["title"] == "五分钟看懂存款保险"

    changed = {"title": "存款保险新版", "content": "<p>新的正文</p>", "thumb_media_id": cover}
    assert platform.post("draft/update", {"media_id": media_id, "index": 0, "articles": changed})["errcode"] == 0
    listed = platform.post("draft/batchget", {"offset": 0, "count": 20, "no_content": 1})
    assert listed["total_count"] == 1
    assert listed["item"][0]["media_id"] == media_id
    assert listed["item"][0]["content"]["news_item"][0]["title"] == "存款保险新版"
    assert "content" not in listed["item"][0]["content"]["news_item"][0]
    assert admin.publishing(APPID)["drafts"][media_id]["news_item"][0]["content"] == "<p>新的正文</p>"

    assert platform.post("draft/delete", {"media_id": media_id})["errcode"] == 0
    assert platform.post("draft/get", {"media_id": media_id})["errcode"] == limits.ERR_INVALID_MEDIA_ID
    assert platform.post("draft/delete", {"media_id": media_id})["errcode"] == limits.ERR_INVALID_MEDIA_ID


@pytest.mark.parametrize(("change", "errcode"), [
    ({"title": ""}, limits.ERR_ARTICLE_TITLE_SIZE),
    ({"title": "题" * (limits.ARTICLE_TITLE_MAX_CHARS + 1)}, limits.ERR_ARTICLE_TITLE_SIZE),
    ({"author": "作" * (limits.ARTICLE_AUTHOR_MAX_CHARS + 1)}, limits.ERR_ARTICLE_AUTHOR_SIZE),
    ({"digest": "摘" * (limits.ARTICLE_DIGEST_MAX_CHARS + 1)}, limits.ERR_ARTICLE_DIGEST_SIZE),
    ({"content": "字" * limits.ARTICLE_BODY_MAX_CHARS}, limits.ERR_ARTICLE_CONTENT_SIZE),
    ({"content": ""}, limits.ERR_ARTICLE_CONTENT_SIZE),
    ({"thumb_media_id": "MEDIA_unknown"}, limits.ERR_INVALID_MEDIA_ID),
])
def test_articles_outside_the_limits_are_refused(platform: Platform, admin: EmulatorAdmin, change: dict[str, str],
                                                 errcode: int) -> None:
    article = {"title": "标题", "author": "银行", "digest": "摘要", "content": "<p>正文</p>",
               "thumb_media_id": platform.cover(), **change}
    assert platform.post("draft/add", {"articles": [article]})["errcode"] == errcode
    assert admin.publishing(APPID)["drafts"] == {}


def test_limits_at_the_boundary_are_accepted(platform: Platform) -> None:
    article = {"title": "题" * limits.ARTICLE_TITLE_MAX_CHARS, "author": "作" * limits.ARTICLE_AUTHOR_MAX_CHARS,
               "digest": "摘" * limits.ARTICLE_DIGEST_MAX_CHARS, "content": "a" * (limits.ARTICLE_BODY_MAX_CHARS - 1),
               "thumb_media_id": platform.cover()}
    assert "media_id" in platform.post("draft/add", {"articles": [article]})


def test_a_draft_holds_at_most_eight_articles(platform: Platform) -> None:
    article = {"title": "标题", "content": "<p>正文</p>", "thumb_media_id": platform.cover()}
    too_many = {"articles": [article] * (limits.DRAFT_MAX_ARTICLES + 1)}
    assert platform.post("draft/add", too_many)["errcode"] == limits.ERR_TOO_MANY_ARTICLES
    assert "media_id" in platform.post("draft/add", {"articles": [article] * limits.DRAFT_MAX_ARTICLES})


def test_updating_an_index_the_draft_lacks_is_refused(platform: Platform, admin: EmulatorAdmin) -> None:
    cover = platform.cover()
    media_id = platform.draft(cover)
    article = {"title": "新", "content": "<p>x</p>", "thumb_media_id": cover}
    answer = platform.post("draft/update", {"media_id": media_id, "index": 1, "articles": article})
    assert answer["errcode"] == limits.ERR_INVALID_ARGUMENT
    assert admin.publishing(APPID)["drafts"][media_id]["news_item"][0]["title"] == "五分钟看懂存款保险"


def test_batchget_pages_and_checks_its_count(platform: Platform) -> None:
    cover = platform.cover()
    ids = [platform.draft(cover, title=f"第{i}篇") for i in range(3)]
    second_page = platform.post("draft/batchget", {"offset": 2, "count": 2})
    assert (second_page["total_count"], second_page["item_count"]) == (3, 1)
    assert second_page["item"][0]["media_id"] == ids[2]
    assert platform.post("draft/batchget", {"offset": 0, "count": 21})["errcode"] == limits.ERR_INVALID_ARGUMENT
