"""The admin API under /_admin/: register and seed apps, read the call log, inject faults, reset."""

from __future__ import annotations

import math
import re
import time
from dataclasses import asdict
from typing import Any

from oa_spec.emulator import callback
from oa_spec.emulator.base import EmulatorStore, Outcome
from oa_spec.emulator.faults import DropFault, ErrcodeFault, GarbleFault, SlowFault, fault_fields
from oa_spec.emulator.state import MATCHRULE_ECHOES, AdminError, ApiError, Json

MSG_STATUS = re.compile(r"[A-Z_]{1,32}")
LATEST_CLOCK = 4_102_444_800.0  # 2100-01-01: later times overflow date arithmetic on some platforms


class AdminRoutes(EmulatorStore):
    """The admin routes; `admin()` answers one request under the emulator's lock."""

    # -- /_admin/ --
    def admin(self, method: str, path: str, query: dict[str, str], body: Any) -> Outcome:
        parts = [p for p in path.removeprefix("/_admin").split("/") if p]
        if method == "POST" and len(parts) == 3 and parts[0] == "apps" and parts[2] == "push":
            return self._push(parts[1], body if isinstance(body, dict) else {})
        with self._lock:
            try:
                result = self._admin_route(method, parts, query, body if isinstance(body, dict) else {})
            except KeyError as exc:
                return Outcome(400, {"error": f"missing field {exc}"})
            except ApiError as exc:  # seeded buttons the platform would not accept
                return Outcome(400, {"error": f"the platform would refuse this: errcode {exc.code} ({exc.errmsg})"})
            except (AdminError, TypeError, ValueError, AttributeError, IndexError) as exc:
                return Outcome(400, {"error": str(exc) or type(exc).__name__})
            if result is None:
                return Outcome(404, {"error": f"no admin route {method} {path}"})
            if method != "GET":
                self._save()
            return Outcome(200, result)

    def _push(self, appid: str, body: Json) -> Outcome:
        """A follower's message to the account's server: waits out the platform's deadline and retries, so
        it runs outside the lock (the server may call the API meanwhile)."""
        with self._lock:
            if appid not in self.apps:
                return Outcome(400, {"error": f"no app {appid}"})
            settings, now = dict(self.publish_state(appid).settings), self.now()
        try:
            return Outcome(200, callback.push(appid, settings, body, now))
        except AdminError as exc:
            return Outcome(400, {"error": str(exc)})

    def _admin_route(self, method: str, parts: list[str], query: dict[str, str], body: Json) -> Json | None:
        match method, parts:
            case "POST", ["apps"]:
                return self.register(str(body["appid"]), str(body["secret"]), body.get("ip_whitelist"))
            case "GET", ["apps"]:
                return {"apps": sorted(self.apps)}
            case "GET", ["apps", appid, "state"]:
                return self._app(appid).to_doc()
            case "POST", ["apps", appid, "state"]:
                self._app(appid).seed(body)
                return {"ok": True}
            case "GET", ["calls"]:
                wanted = query.get("appid")
                return {"calls": [c for c in self.calls if wanted in (None, c["appid"])]}
            case "DELETE", ["calls"]:
                self.calls.clear()
                return {"ok": True}
            case _:
                return self._admin_publishing(method, parts, body) or self._admin_faults(method, parts, body)

    def _admin_publishing(self, method: str, parts: list[str], body: Json) -> Json | None:
        """Settings (account type, callback, next publication's outcome), read-back and the clock."""
        match method, parts:
            case "GET", ["apps", appid, "messages"]:
                return {"messages": self.customer_messages.get(self._app(appid).appid, [])}
            case "GET", ["apps", appid, "publishing"]:
                return self.publish_state(self._app(appid).appid).to_doc()
            case "POST", ["apps", appid, "publishing", "settings"]:
                self.publish_state(self._app(appid).appid).configure(body)
                return {"ok": True}
            case "POST", ["apps", appid, "publishing", "drafts", media_id, "articles"]:  # a console edit (多图文)
                draft = self.publish_state(self._app(appid).appid).drafts.get(media_id)
                if draft is None:
                    raise AdminError(f"no draft {media_id}")
                draft["news_item"].append(dict(body))
                return {"ok": True}
            case "POST", ["apps", appid, "publishing", "sends", msg_id]:  # the console's 群发记录
                return self._set_broadcast_status(self._app(appid).appid, msg_id, body["msg_status"])
            case "GET", ["clock"]:
                return {"now": self.now(), "offset": self.clock_offset}
            case "POST", ["clock"]:
                now = float(body["now"]) if "now" in body else self.now()
                now += float(body.get("advance", 0))
                if not (math.isfinite(now) and 0 <= now <= LATEST_CLOCK):
                    raise AdminError("the clock must stay between 1970 and 2100 (unix seconds)")
                self.clock_offset = now - time.time()
                return {"now": self.now()}
        return None

    def _set_broadcast_status(self, appid: str, msg_id: str, status: object) -> Json:
        """What message/mass/get answers for a broadcast from now on: DELETE when the account deletes it in the
        console after it went out, SEND_SUCCESS or SEND_FAIL when a SENDING job ends; any other name in capitals
        stands for a status the platform may add. No event is pushed."""
        send = next((s for s in self.publish_state(appid).sends if str(s["msg_id"]) == msg_id), None)
        if send is None:
            raise AdminError(f"no broadcast {msg_id}")
        if not (isinstance(status, str) and MSG_STATUS.fullmatch(status)):
            raise AdminError("msg_status must be a status name in capitals, such as DELETE (1 to 32 of A-Z and _)")
        send["msg_status"] = status
        return {"ok": True}

    def _admin_faults(self, method: str, parts: list[str], body: Json) -> Json | None:
        match method, parts:
            case "GET", ["faults"]:
                return {"errcode": [asdict(f) for f in self.errcode_faults],
                        "drop": [asdict(f) for f in self.drop_faults], "slow": [asdict(f) for f in self.slow_faults],
                        "garble": [asdict(f) for f in self.garble_faults],
                        "latency_ms": self.latency_ms}
            case "DELETE", ["faults"]:
                self.errcode_faults, self.drop_faults, self.slow_faults, self.garble_faults = [], [], [], []
                self.latency_ms = self.base_latency_ms
                return {"ok": True}
            case "POST", ["faults", "errcode"]:
                self.errcode_faults.append(ErrcodeFault(**fault_fields(body, ErrcodeFault)))
                return {"ok": True}
            case "POST", ["faults", "drop"]:
                self.drop_faults.append(DropFault(**fault_fields(body, DropFault)))
                return {"ok": True}
            case "POST", ["faults", "slow"]:
                self.slow_faults.append(SlowFault(**fault_fields(body, SlowFault)))
                return {"ok": True}
            case "POST", ["faults", "garble"]:
                self.garble_faults.append(GarbleFault(**fault_fields(body, GarbleFault)))
                return {"ok": True}
            case "GET", ["options"]:
                return {"matchrule_echo": self.matchrule_echo}
            case "POST", ["options"]:
                if body.get("matchrule_echo") not in MATCHRULE_ECHOES:
                    raise AdminError(f"matchrule_echo must be one of {', '.join(MATCHRULE_ECHOES)}")
                self.matchrule_echo = str(body["matchrule_echo"])
                return {"ok": True}
            case "POST", ["faults", "latency"]:
                self.latency_ms = int(body["ms"])
                return {"ok": True}
            case "POST", ["tokens", "expire"]:
                for token in self.tokens.values():
                    token.expires_at = min(token.expires_at, time.time())
                return {"ok": True}
            case "POST", ["library"]:
                for entry in body["templates"]:
                    self.library[str(entry["template_id_short"])] = {k: v for k, v in entry.items()
                                                                     if k != "template_id_short"}
                return {"ok": True}
            case "GET", ["library"]:
                return {"templates": [{"template_id_short": k, **v} for k, v in self.library.items()]}
            case "POST", ["reset"]:
                self._clear()
                return {"ok": True}
        return None
