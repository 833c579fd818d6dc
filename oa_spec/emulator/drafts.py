"""Drafts and uploads: draft/add|update|get|delete|batchget, media/uploadimg, material/add_material.

Uploads are multipart/form-data with the file in the `media` field; the platform stores images by
content here, so the same bytes get the same URL and the upload count shows a client that uploads twice.
"""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from oa_spec import limits
from oa_spec.emulator.base import Call, EmulatorStore
from oa_spec.emulator.publishing_state import PublishState, as_int, image_format, sha256
from oa_spec.emulator.state import OK, ApiError, App, Json

ARTICLE_FIELDS = ("title", "author", "digest", "content", "content_source_url", "thumb_media_id",
                  "show_cover_pic", "need_open_comment", "only_fans_can_comment")
IMAGE_HOST = "http://mmbiz.qpic.cn/mmbiz_png"  # what the platform's image URLs look like


def uploaded_file(call: Call) -> bytes:
    """The `media` part of a multipart/form-data body; 47001 when there is none."""
    if not call.content_type.startswith("multipart/form-data"):
        raise ApiError(47001)
    head = f"Content-Type: {call.content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + call.raw)
    for part in message.iter_parts() if message.is_multipart() else ():
        if part.get_param("name", header="content-disposition") == "media":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload:
                return payload
    raise ApiError(47001)


def checked_image(data: bytes, formats: tuple[str, ...], max_bytes: int) -> None:
    if image_format(data) not in formats:
        raise ApiError(limits.ERR_INVALID_FILE_TYPE)
    if len(data) > max_bytes:
        raise ApiError(limits.ERR_INVALID_IMAGE_SIZE)


def checked_article(raw: Any, pub: PublishState) -> Json:
    """One article of draft/add or draft/update, with the platform's limits and error codes."""
    if not isinstance(raw, dict):
        raise ApiError(47001)
    article = {k: raw[k] for k in ARTICLE_FIELDS if k in raw}
    title, content = str(article.get("title") or ""), str(article.get("content") or "")
    if not title or len(title) > limits.ARTICLE_TITLE_MAX_CHARS:
        raise ApiError(limits.ERR_ARTICLE_TITLE_SIZE)
    if len(str(article.get("author") or "")) > limits.ARTICLE_AUTHOR_MAX_CHARS:
        raise ApiError(limits.ERR_ARTICLE_AUTHOR_SIZE)
    if len(str(article.get("digest") or "")) > limits.ARTICLE_DIGEST_MAX_CHARS:
        raise ApiError(limits.ERR_ARTICLE_DIGEST_SIZE)
    if not content or len(content) >= limits.ARTICLE_BODY_MAX_CHARS or \
            limits.utf8_len(content) >= limits.ARTICLE_BODY_MAX_BYTES:
        raise ApiError(limits.ERR_ARTICLE_CONTENT_SIZE)
    if str(article.get("thumb_media_id") or "") not in pub.materials:
        raise ApiError(limits.ERR_INVALID_MEDIA_ID)  # the cover must be a permanent image material
    return article


def page(body: Json, items: list[Json]) -> Json:
    """The offset/count page of a batchget answer."""
    offset, count = as_int(body.get("offset"), 0), as_int(body.get("count"), limits.BATCHGET_MAX_COUNT)
    if offset < 0 or not 1 <= count <= limits.BATCHGET_MAX_COUNT:
        raise ApiError(limits.ERR_INVALID_ARGUMENT)
    chosen = items[offset:offset + count]
    return {"total_count": len(items), "item_count": len(chosen), "item": chosen}


def without_content(news: list[Json], no_content: Any) -> list[Json]:
    return [{k: v for k, v in a.items() if k != "content"} for a in news] if no_content in (1, True) else news


class DraftHandlers(EmulatorStore):
    """The draft box and the uploads it refers to."""

    def _upload_image(self, call: Call, app: App) -> Json:
        data = uploaded_file(call)
        checked_image(data, limits.BODY_IMAGE_FORMATS, limits.BODY_IMAGE_MAX_BYTES)
        digest = sha256(data)
        entry = self.publish_state(app.appid).images.setdefault(
            digest, {"url": f"{IMAGE_HOST}/{digest[:32]}/0", "bytes": len(data), "uploads": 0})
        entry["uploads"] += 1
        return {"url": entry["url"]}

    def _add_material(self, call: Call, app: App) -> Json:
        if call.query.get("type") not in ("image", "thumb"):
            raise ApiError(limits.ERR_INVALID_MEDIA_TYPE)  # only image materials are emulated
        data = uploaded_file(call)
        checked_image(data, limits.COVER_FORMATS, limits.COVER_MAX_BYTES)
        pub, digest = self.publish_state(app.appid), sha256(data)
        found = next((mid for mid, m in pub.materials.items() if m["sha256"] == digest), None)
        media_id = found or f"MEDIA_{digest[:24]}"
        entry = pub.materials.setdefault(media_id, {"sha256": digest, "type": call.query["type"],
                                                    "url": f"{IMAGE_HOST}/{digest[:32]}/0", "uploads": 0})
        entry["uploads"] += 1
        return {"media_id": media_id, "url": entry["url"]}

    def _draft_add(self, call: Call, app: App) -> Json:
        pub = self.publish_state(app.appid)
        raw = call.body.get("articles")
        if not isinstance(raw, list) or not raw:
            raise ApiError(47001)
        if len(raw) > limits.DRAFT_MAX_ARTICLES:
            raise ApiError(limits.ERR_TOO_MANY_ARTICLES)
        news = [checked_article(a, pub) for a in raw]
        media_id = f"DRAFT_{app.appid[-6:]}_{pub.new_number()}"
        pub.drafts[media_id] = {"news_item": news, "update_time": int(self.now())}
        return {"media_id": media_id}

    def _draft(self, body: Json, app: App) -> Json:
        draft = self.publish_state(app.appid).drafts.get(str(body.get("media_id") or ""))
        if draft is None:
            raise ApiError(limits.ERR_INVALID_MEDIA_ID)
        return draft

    def _draft_update(self, call: Call, app: App) -> Json:
        draft = self._draft(call.body, app)
        index = as_int(call.body.get("index"), 0)
        if not 0 <= index < len(draft["news_item"]):
            raise ApiError(limits.ERR_INVALID_ARGUMENT)
        draft["news_item"][index] = checked_article(call.body.get("articles"), self.publish_state(app.appid))
        draft["update_time"] = int(self.now())
        return OK

    def _draft_get(self, call: Call, app: App) -> Json:
        return {"news_item": self._draft(call.body, app)["news_item"]}

    def _draft_delete(self, call: Call, app: App) -> Json:
        self._draft(call.body, app)
        del self.publish_state(app.appid).drafts[str(call.body["media_id"])]
        return OK

    def _draft_batchget(self, call: Call, app: App) -> Json:
        drafts = self.publish_state(app.appid).drafts
        items = [{"media_id": mid, "update_time": d["update_time"],
                  "content": {"news_item": without_content(d["news_item"], call.body.get("no_content"))}}
                 for mid, d in drafts.items()]
        return page(call.body, items)

    def _draft_count(self, call: Call, app: App) -> Json:
        return {"total_count": len(self.publish_state(app.appid).drafts)}
