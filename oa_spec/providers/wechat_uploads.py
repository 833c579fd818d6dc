"""A cover uploaded as permanent material (material/add_material, the draft's thumb_media_id), at most once unless a
person decides otherwise.

A body image (media/uploadimg) uploaded twice is stored twice and never shown twice, so an unclear one is sent
again. A permanent material uploaded twice is a second copy in the account's 素材库 (images and news count against
100,000 together), and oaspec has no way to find one it uploaded (the platform's material list is not read, and the
emulator has none). So a cover's upload is journalled in the content record before it is sent. An outcome oaspec
cannot know (errcode 0 without media_id, an answer it cannot read, a timeout, -1) is sent once more at once, with a
warning naming the file a second copy would be stored as: a passing fault costs at most one copy, never the article's
slot. A second unknown outcome, or a run killed before it recorded the answer, stays journalled: the next run refuses
that article, saying what to look for in the 素材库, until a person sets OASPEC_UPLOAD_AGAIN to the image's sha256
prefix. A clear refusal (an errcode) stored nothing and is simply tried again next run.
"""

from __future__ import annotations

import datetime
import logging
import os
from typing import Any

from oa_spec.content.record import ContentStore
from oa_spec.errors import OaspecError, ProviderError
from oa_spec.providers.wechat_client import Client, Unclear
from oa_spec.providers.wechat_writes import answered

AGAIN_VARIABLE = "OASPEC_UPLOAD_AGAIN"  # sha256 prefixes (12 hex digits or more), comma- or space-separated
SHOWN_SHA = 12
log = logging.getLogger("oa_spec.providers.wechat")


def upload_cover(api: Client, store: ContentStore, sha: str, data: bytes, filename: str) -> str:
    """The media_id of the cover whose bytes are `data` (sha256 `sha`), uploaded now as `filename`. ProviderError,
    saying what a person should do, for one a run uploaded with an outcome oaspec does not know."""
    key = f"cover:{sha}"
    held = store.load().uploads.get(key)
    if held is not None and not allowed_again(sha, os.environ.get(AGAIN_VARIABLE, "")):
        raise ProviderError(held_message(api.account_id, sha, held))
    journal = {"file": filename, "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
               "reason": ""}
    with store.edit() as record:  # fsynced before the upload: a run killed after it leaves this behind
        record.uploads[key] = journal
    try:
        media_id = _sent_at_most_twice(api, sha, data, filename)
    except Unclear as exc:
        with store.edit() as record:
            record.uploads[key] = {**journal, "reason": exc.reason}
        raise ProviderError(held_message(api.account_id, sha, {**journal, "reason": exc.reason})) from None
    except OaspecError:  # the only send was refused, or stopped before it went (the run's lock was lost): none stored
        with store.edit() as record:
            record.uploads.pop(key, None)
        raise
    with store.edit() as record:
        record.images[key] = media_id
        record.uploads.pop(key, None)
    return media_id


def _sent_at_most_twice(api: Client, sha: str, data: bytes, filename: str) -> str:
    """The media_id of one upload, sent once more if the first outcome is unknown. Unclear if the second's is unknown
    too, or if it is refused: a refusal says nothing of the first send, which may have stored the image."""
    def send() -> str:
        return answered(_media_id, api.upload("material/add_material", data, filename, {"type": "image"},
                                              retry=False))
    try:
        return send()
    except Unclear as exc:
        first = exc
        log.warning("%s: material/add_material %s; uploading the cover sha256:%s once more: if the first was stored, "
                    "the 素材库 (图片) holds a second image named %s, which may be deleted", api.account_id, exc.reason,
                    sha[:SHOWN_SHA], filename)
    try:
        return send()
    except OaspecError as refused:
        raise Unclear(f"{first.reason}; sent once more, it was refused: {refused}") from None


def _media_id(data: dict[str, Any]) -> str:
    media_id = data["media_id"]
    if not isinstance(media_id, str) or not media_id:
        raise ValueError(f"media_id {media_id!r}")
    return media_id


def allowed_again(sha: str, setting: str) -> bool:
    """Whether the person's OASPEC_UPLOAD_AGAIN names this image (a prefix of SHOWN_SHA hex digits or more)."""
    names = (name.strip().lower().removeprefix("sha256:") for name in setting.replace(",", " ").split())
    return any(len(name) >= SHOWN_SHA and sha.startswith(name) for name in names)


def held_message(account_id: str, sha: str, held: dict[str, str]) -> str:
    reason = (f"gave no answer oaspec can read ({held['reason']})" if held.get("reason")
              else "was sent by a run that stopped before it recorded the answer")
    file, short = held.get("file", "?"), sha[:SHOWN_SHA]
    return (f"{account_id}: material/add_material {reason}: the cover image sha256:{short} may already be stored as "
            f"permanent material (uploaded as {file} at {held.get('at', '?')}), and oaspec does not upload it again on "
            f"its own, which would store a second copy; look in the account's 素材库 (material library, 图片) for "
            f"an image named {file}, delete it there if it is, then run again with {AGAIN_VARIABLE}={short} to "
            "upload it once more")
