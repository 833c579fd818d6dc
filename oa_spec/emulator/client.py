"""`EmulatorAdmin`: the client of the emulator's admin API, for tests and scripts."""

from __future__ import annotations

from typing import cast

import requests

from oa_spec.emulator.state import AdminError, Json


class EmulatorAdmin:
    """A client of the emulator's admin API (/_admin/), for tests and scripts."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def request(self, method: str, path: str, body: Json | None = None,
                params: dict[str, str] | None = None, timeout: float | None = None) -> Json:
        response = requests.request(method, f"{self.base_url}/_admin/{path}", json=body, params=params,
                                    timeout=timeout or self.timeout)
        data = response.json()
        if response.status_code != 200:
            raise AdminError(f"{method} /_admin/{path}: {data.get('error')}")
        return cast(Json, data)

    def register_app(self, appid: str, secret: str, ip_whitelist: list[str] | None = None) -> None:
        self.request("POST", "apps", {"appid": appid, "secret": secret, "ip_whitelist": ip_whitelist})

    def seed(self, appid: str, state: Json) -> None:
        self.request("POST", f"apps/{appid}/state", state)

    def state(self, appid: str) -> Json:
        return self.request("GET", f"apps/{appid}/state")

    def calls(self, appid: str | None = None) -> list[Json]:
        return cast(list[Json], self.request("GET", "calls", params={"appid": appid} if appid else None)["calls"])

    def writes(self, appid: str | None = None) -> list[Json]:
        return [c for c in self.calls(appid) if c["write"]]

    def clear_calls(self) -> None:
        self.request("DELETE", "calls")

    def fail(self, errcode: int, every: int = 1, path: str | None = None, appid: str | None = None,
             writes_only: bool = True) -> None:
        self.request("POST", "faults/errcode", {"errcode": errcode, "every": every, "path": path,
                                                "appid": appid, "writes_only": writes_only})

    def drop(self, nth: int = 1, path: str | None = None, appid: str | None = None,
             after_processing: bool = False, partial_body: bool = False) -> None:
        self.request("POST", "faults/drop", {"nth": nth, "path": path, "appid": appid,
                                             "after_processing": after_processing, "partial_body": partial_body})

    def slow(self, ms: int, nth: int = 1, path: str | None = None, appid: str | None = None) -> None:
        self.request("POST", "faults/slow", {"ms": ms, "nth": nth, "path": path, "appid": appid})

    def garble(self, body: str, status: int = 200, nth: int = 1, path: str | None = None, appid: str | None = None,
               after_processing: bool = True, byte_ms: int = 0) -> None:
        """Answer the nth matching call with `body` and `status` (after doing it, with after_processing), a byte
        every `byte_ms` milliseconds if given."""
        self.request("POST", "faults/garble", {"body": body, "status": status, "nth": nth, "path": path,
                                               "appid": appid, "after_processing": after_processing,
                                               "byte_ms": byte_ms})

    def set_matchrule_echo(self, echo: str) -> None:
        self.request("POST", "options", {"matchrule_echo": echo})

    def options(self) -> Json:
        return self.request("GET", "options")

    def set_latency(self, ms: int) -> None:
        self.request("POST", "faults/latency", {"ms": ms})

    def clear_faults(self) -> None:
        self.request("DELETE", "faults")

    def expire_tokens(self) -> None:
        self.request("POST", "tokens/expire")

    def add_library_templates(self, templates: list[Json]) -> None:
        self.request("POST", "library", {"templates": templates})

    def reset(self) -> None:
        self.request("POST", "reset")

    # -- publishing (issue 14) --
    def publishing(self, appid: str) -> Json:
        """Drafts, publications, sends, previews, uploaded images and materials, job-finish events."""
        return self.request("GET", f"apps/{appid}/publishing")

    def set_publishing(self, appid: str, **settings: object) -> None:
        """account_type, callback_url, callback_token, callback_timeout_s, publish_status, callback_mode
        (plain, compatible or safe), callback_aes_key, broadcast_status (SEND_SUCCESS, SENDING or SEND_FAIL: what
        the next broadcasts' jobs become) and broadcast_sent_count (how many followers a SEND_FAIL one reached)."""
        self.request("POST", f"apps/{appid}/publishing/settings", dict(settings))

    def set_broadcast_status(self, appid: str, msg_id: str | int, msg_status: str) -> None:
        """What the console does to a broadcast: DELETE deletes one that went out (群发记录 > 删除), and
        message/mass/get answers it from now on; SEND_SUCCESS or SEND_FAIL ends a job left SENDING."""
        self.request("POST", f"apps/{appid}/publishing/sends/{msg_id}", {"msg_status": msg_status})

    def add_draft_article(self, appid: str, media_id: str, article: Json) -> None:
        """An article added to a draft in the console (a draft of several articles goes out as one)."""
        self.request("POST", f"apps/{appid}/publishing/drafts/{media_id}/articles", article)

    # -- the message callback (issue 13) --
    def push(self, appid: str, **message: object) -> Json:
        """A follower's message to the account's callback URL, as the platform sends it: text=..., or
        event=... (key=...), or fields={...}; openid=... optional. Answers attempts, status, reply (decrypted)."""
        return self.request("POST", f"apps/{appid}/push", dict(message), timeout=120)  # 3 attempts of up to 30 s

    def customer_messages(self, appid: str) -> list[Json]:
        """What the account's server sent through message/custom/send."""
        return cast(list[Json], self.request("GET", f"apps/{appid}/messages")["messages"])

    def set_clock(self, now: float | None = None, advance: float = 0) -> float:
        """Move the emulator's clock (quotas and sends use it) to `now` and/or by `advance` seconds."""
        body: Json = {"advance": advance} if now is None else {"now": now, "advance": advance}
        return float(self.request("POST", "clock", body)["now"])
