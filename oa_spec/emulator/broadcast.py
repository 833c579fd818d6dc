"""Publishing and broadcasts: freepublish/submit|get|batchget, message/mass/sendall|get|preview.

The broadcast quota follows the account type (subscription: 1 a day, service: 4 a month), counted per
calendar day or month in Beijing time on the emulator's clock. A clientmsgid already sent within 24
hours is answered 45065 with the first send's msg_id, and nothing is sent again. Jobs finish at once
(a publication gets the admin-set `publish_status`, 0 by default; a broadcast the admin-set
`broadcast_status`, SEND_SUCCESS by default, or stays SENDING) and their events are pushed. The console
(admin) can change a broadcast's msg_status afterwards: DELETE, as 删除 in 群发记录 does to one that went out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from oa_spec import limits
from oa_spec.emulator import events
from oa_spec.emulator.base import Call, EmulatorStore
from oa_spec.emulator.drafts import page, without_content
from oa_spec.emulator.publishing_state import PublishState
from oa_spec.emulator.state import OK, ApiError, App, Json

BEIJING = timezone(timedelta(hours=limits.BEIJING_UTC_OFFSET_HOURS))
ARTICLE_HOST = "https://mp.weixin.qq.com/s"


def quota_period(timestamp: float, period: str) -> str:
    """The Beijing calendar day or month a send counts against."""
    moment = datetime.fromtimestamp(timestamp, UTC).astimezone(BEIJING)
    return moment.strftime("%Y-%m-%d" if period == "day" else "%Y-%m")


class BroadcastHandlers(EmulatorStore):
    """Publications without push and broadcasts to a tag (or everyone)."""

    def _finish(self, pub: PublishState, event: str, fields: dict[str, Any], appid: str) -> None:
        record: Json = {"event": event, "xml": events.event_xml(appid, int(self.now()), event, fields),
                        "attempts": [], "delivery": ""}
        pub.events.append(record)
        events.push(record, {**pub.settings, "appid": appid}, self.now(), self._locked)

    def _locked(self, change: Any) -> None:
        with self._lock:
            change()

    def _publish_submit(self, call: Call, app: App) -> Json:
        pub = self.publish_state(app.appid)
        media_id = str(call.body.get("media_id") or "")
        draft = pub.drafts.get(media_id)
        if draft is None:
            raise ApiError(limits.ERR_INVALID_MEDIA_ID)
        number = pub.new_number()
        publish_id, status = str(2247483000 + number), int(pub.settings["publish_status"])
        news = [dict(a) for a in draft["news_item"]]
        info: Json = {"publish_id": publish_id, "publish_status": status, "fail_idx": []}
        if status == 0 or status in limits.PUBLISHED_THEN_REMOVED:  # 5, 6: it went out, then was taken down
            article_id = f"ARTICLE_{app.appid[-6:]}_{number}"
            items = [{"idx": i, "article_url": f"{ARTICLE_HOST}/{article_id}_{i}"} for i in range(1, len(news) + 1)]
            info |= {"article_id": article_id, "article_detail": {"count": len(items), "item": items}}
        else:
            info["fail_idx"] = list(range(1, len(news) + 1))
        # UNCONFIRMED whether the platform empties the draft box on publication; the draft is kept here.
        pub.publications[publish_id] = {**info, "media_id": media_id, "news_item": news,
                                        "update_time": int(self.now())}
        self._finish(pub, "PUBLISHJOBFINISH", {"PublishEventInfo": info}, app.appid)
        return {**OK, "publish_id": publish_id, "msg_data_id": number}

    def _publish_get(self, call: Call, app: App) -> Json:
        found = self.publish_state(app.appid).publications.get(str(call.body.get("publish_id") or ""))
        if found is None:
            raise ApiError(limits.ERR_INVALID_MEDIA_ID)  # UNCONFIRMED: the code for an unknown publish_id
        return {k: v for k, v in found.items() if k not in ("media_id", "news_item", "update_time")}

    def _publish_batchget(self, call: Call, app: App) -> Json:
        done = [p for p in self.publish_state(app.appid).publications.values() if p["publish_status"] == 0]
        items = [{"article_id": p["article_id"], "update_time": p["update_time"],
                  "content": {"news_item": without_content(p["news_item"], call.body.get("no_content"))}}
                 for p in done]
        return page(call.body, items)

    def _message(self, body: Json, pub: PublishState) -> Json:
        """What a broadcast or preview carries: an mpnews draft or a text."""
        kind, part = body.get("msgtype"), body.get(str(body.get("msgtype")))
        if kind not in ("mpnews", "text") or not isinstance(part, dict):
            raise ApiError(47001)
        if kind == "text":
            if not isinstance(part.get("content"), str) or not part["content"]:
                raise ApiError(47001)
            return {"msgtype": kind, "content": part["content"]}
        media_id = str(part.get("media_id") or "")
        if media_id not in pub.drafts:
            raise ApiError(limits.ERR_INVALID_MEDIA_ID)
        return {"msgtype": kind, "media_id": media_id}

    def _audience(self, body: Json, app: App) -> tuple[Json, int]:
        target = body.get("filter")
        if not isinstance(target, dict):
            raise ApiError(47001)
        if target.get("is_to_all") is True:
            return {"is_to_all": True}, len(app.users)
        tag_id = str(target.get("tag_id"))
        if not tag_id.isdigit() or not any(str(t["id"]) == tag_id for t in app.tags):
            raise ApiError(limits.ERR_INVALID_TAG_FILTER)
        reached = sum(int(tag_id) in u["tagid_list"] for u in app.users)
        return {"is_to_all": False, "tag_id": int(tag_id)}, reached

    def _sendall(self, call: Call, app: App) -> Json:
        pub, now = self.publish_state(app.appid), self.now()
        clientmsgid = str(call.body.get("clientmsgid") or "")
        if len(clientmsgid) > limits.CLIENTMSGID_MAX_CHARS:
            raise ApiError(limits.ERR_CLIENTMSGID_TOO_LONG)
        earlier = next((s for s in pub.sends if clientmsgid and s["clientmsgid"] == clientmsgid
                        and now - s["time"] < limits.CLIENTMSGID_DEDUP_SECONDS), None)
        if earlier is not None:
            raise ApiError(limits.ERR_CLIENTMSGID_EXISTS,
                           extra={"msg_id": earlier["msg_id"], "msg_data_id": earlier["msg_data_id"]})
        message = self._message(call.body, pub)
        audience, reached = self._audience(call.body, app)
        period, allowed = limits.BROADCAST_QUOTA[pub.settings["account_type"]]
        current = quota_period(now, period)
        if sum(quota_period(s["time"], period) == current for s in pub.sends) >= allowed:
            raise ApiError(limits.ERR_NO_BROADCAST_QUOTA)
        msg_id = 1000000000 + pub.new_number()
        outcome = str(pub.settings.get("broadcast_status") or "SEND_SUCCESS")
        send = {"msg_id": msg_id, "msg_data_id": msg_id + 1, "clientmsgid": clientmsgid, "time": now,
                "beijing": quota_period(now, "day"), **audience, **message, "msg_status": outcome,
                "reached": reached}
        pub.sends.append(send)
        if outcome != "SENDING":  # a job still going out has not finished: no event yet
            sent = reached if outcome == "SEND_SUCCESS" else min(int(pub.settings["broadcast_sent_count"]), reached)
            self._finish(pub, "MASSSENDJOBFINISH", {
                "MsgID": msg_id, "Status": "send success" if outcome == "SEND_SUCCESS" else "send fail",
                "TotalCount": reached, "FilterCount": reached, "SentCount": sent, "ErrorCount": reached - sent},
                app.appid)
        return {"errcode": 0, "errmsg": "send job submission success", "msg_id": msg_id,
                "msg_data_id": send["msg_data_id"]}

    def _mass_get(self, call: Call, app: App) -> Json:
        wanted = str(call.body.get("msg_id") or "")
        send = next((s for s in self.publish_state(app.appid).sends if str(s["msg_id"]) == wanted), None)
        if send is None:
            raise ApiError(limits.ERR_INVALID_ARGUMENT)  # UNCONFIRMED: the code for an unknown msg_id
        return {"msg_id": send["msg_id"], "msg_status": send["msg_status"]}

    def _preview(self, call: Call, app: App) -> Json:
        """A preview to one follower; it does not count against the broadcast quota, but previews are capped
        per Beijing day (limits.PREVIEW_DAILY_MAX)."""
        pub, now = self.publish_state(app.appid), self.now()
        touser = str(call.body.get("touser") or "")
        if not any(u["openid"] == touser for u in app.users):
            raise ApiError(40003)
        message = self._message(call.body, pub)
        today = quota_period(now, "day")
        if sum(quota_period(p["time"], "day") == today for p in pub.previews) >= limits.PREVIEW_DAILY_MAX:
            raise ApiError(45009)
        msg_id = 1000000000 + pub.new_number()
        pub.previews.append({"msg_id": msg_id, "touser": touser, "time": now, **message})
        return {"errcode": 0, "errmsg": "preview success", "msg_id": msg_id}
