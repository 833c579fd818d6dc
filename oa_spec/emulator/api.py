"""The /cgi-bin/ dispatch: admission (method, body, token, IP), fault injection, the call log, tokens."""

from __future__ import annotations

import secrets
import time
from typing import Any

from oa_spec.emulator.accounts import AccountHandlers
from oa_spec.emulator.admin import AdminRoutes
from oa_spec.emulator.base import Call, Endpoint, Outcome, Token, parse_body
from oa_spec.emulator.broadcast import BroadcastHandlers
from oa_spec.emulator.callback import custom_send
from oa_spec.emulator.drafts import DraftHandlers
from oa_spec.emulator.faults import DropFault, matches, take
from oa_spec.emulator.state import ROTATE_BEFORE, TOKEN_PATTERN, TOKEN_TTL, ApiError, App, Json


class Emulator(AccountHandlers, DraftHandlers, BroadcastHandlers, AdminRoutes):
    """The platform's state and rules; `EmulatorServer` puts it on HTTP. Thread-safe."""

    # -- /cgi-bin/ --
    def api(self, call: Call) -> Outcome:
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)  # outside the lock: concurrent calls overlap, as on the platform
        endpoint = ENDPOINTS.get(call.name)
        with self._lock:
            if endpoint is None:
                return Outcome(404, {"errcode": 404, "errmsg": f"no such API /cgi-bin/{call.name}"})
            garble = take(self.garble_faults, call.name, call.appid)
            if garble is not None and not garble.after_processing:
                return Outcome(garble.status, {}, raw=garble.body.encode("utf-8", "surrogatepass"),
                               byte_ms=garble.byte_ms)
            outcome = self._api_locked(call, endpoint)
            if garble is not None:
                outcome = Outcome(garble.status, {}, raw=garble.body.encode("utf-8", "surrogatepass"),
                                  byte_ms=garble.byte_ms)
            if endpoint.write:
                self._save()
            slow = take(self.slow_faults, call.name, call.appid)
        if slow is not None:
            time.sleep(slow.ms / 1000)
        return outcome

    def _api_locked(self, call: Call, endpoint: Endpoint) -> Outcome:
        dropped = errcode = drop = None
        try:
            self._admit(call, endpoint)
            drop = self._take_drop(call)
            if drop is not None and not (drop.after_processing or drop.partial_body):
                dropped = True
                return Outcome(200, None)
            self._inject_errcode(call, endpoint)
            assert call.app is not None
            payload = endpoint.handler(self, call, call.app)
            errcode = 0
            dropped = drop is not None
            if drop is not None and drop.partial_body:
                return Outcome(200, payload, partial=True)
            return Outcome(200, None if dropped else payload)
        except ApiError as exc:
            errcode = exc.code
            partial = drop is not None and drop.partial_body
            dropped = dropped or partial
            answer = {"errcode": exc.code, "errmsg": f"{exc.errmsg} rid: {secrets.token_hex(6)}", **exc.extra}
            return Outcome(200, answer, partial=partial)
        finally:
            self.calls.append({"seq": len(self.calls) + 1, "time": time.time(), "appid": call.appid,
                               "method": call.method, "path": f"/cgi-bin/{call.name}", "errcode": errcode,
                               "write": endpoint.write, "dropped": bool(dropped)})

    def _admit(self, call: Call, endpoint: Endpoint) -> None:
        """Method, body and credentials, in the order the platform checks them."""
        if call.method != endpoint.method:
            raise ApiError(43001 if endpoint.method == "GET" else 43002)
        if call.method == "POST" and not endpoint.multipart:
            call.body = parse_body(call.raw, call.name)
        if call.name in ("token", "stable_token"):
            source = call.query if call.name == "token" else call.body
            call.appid = str(source.get("appid") or "")
            call.app = self.apps.get(call.appid)
            if call.app is None:
                raise ApiError(40013)
        else:
            self._authenticate(call)
        assert call.app is not None
        if call.app.ip_whitelist is not None and call.client_ip not in call.app.ip_whitelist:
            ip = call.client_ip
            raise ApiError(40164, f"invalid ip {ip} ipv6 ::ffff:{ip}, not in whitelist")

    def _authenticate(self, call: Call) -> None:
        token = call.query.get("access_token")
        if not token:
            raise ApiError(41001)
        if not TOKEN_PATTERN.match(token):
            raise ApiError(40014)
        known = self.tokens.get(token)
        if known is None or known.appid not in self.apps:
            raise ApiError(40001)
        call.appid, call.app = known.appid, self.apps[known.appid]  # logged even when expired
        if known.expires_at <= time.time():
            raise ApiError(42001)

    def _take_drop(self, call: Call) -> DropFault | None:
        return take(self.drop_faults, call.name, call.appid)

    def _inject_errcode(self, call: Call, endpoint: Endpoint) -> None:
        for fault in self.errcode_faults:
            if matches(fault, call.name, call.appid) and (endpoint.write or not fault.writes_only):
                fault.seen += 1
                if fault.seen % fault.every == 0:
                    raise ApiError(fault.errcode)

    # -- tokens --
    def _issue(self, appid: str, stable: bool) -> Json:
        token = secrets.token_urlsafe(96)
        self.tokens[token] = Token(appid, stable, time.time() + TOKEN_TTL)
        return {"access_token": token, "expires_in": TOKEN_TTL}

    @staticmethod
    def _check_secret(app: App, source: dict[str, Any]) -> None:
        if source.get("grant_type") != "client_credential":
            raise ApiError(40002)
        if not secrets.compare_digest(str(source.get("secret") or ""), app.secret):
            raise ApiError(40125)

    def _token(self, call: Call, app: App) -> Json:
        """Classic token: a new one retires the app's older classic tokens after a short overlap."""
        self._check_secret(app, call.query)
        overlap_end = time.time() + ROTATE_BEFORE
        for known in self.tokens.values():
            if known.appid == app.appid and not known.stable:
                known.expires_at = min(known.expires_at, overlap_end)
        return self._issue(app.appid, stable=False)

    def _stable_token(self, call: Call, app: App) -> Json:
        """stable_token: normal mode returns the current token; force_refresh retires it at once."""
        self._check_secret(app, call.body)
        now = time.time()
        current = self.tokens.get(self.stable.get(app.appid, ""))
        if current is not None and call.body.get("force_refresh") is True:
            current.expires_at = min(current.expires_at, now)
        if current is not None and current.expires_at - now > ROTATE_BEFORE:
            return {"access_token": self.stable[app.appid], "expires_in": int(current.expires_at - now)}
        issued = self._issue(app.appid, stable=True)
        self.stable[app.appid] = issued["access_token"]
        return issued


ENDPOINTS: dict[str, Endpoint] = {
    "token": Endpoint("GET", False, Emulator._token),
    "stable_token": Endpoint("POST", False, Emulator._stable_token),
    "menu/create": Endpoint("POST", True, Emulator._menu_create),
    "menu/get": Endpoint("GET", False, Emulator._menu_get),
    "menu/delete": Endpoint("GET", True, Emulator._menu_delete),
    "menu/addconditional": Endpoint("POST", True, Emulator._add_conditional),
    "menu/delconditional": Endpoint("POST", True, Emulator._del_conditional),
    "menu/trymatch": Endpoint("POST", False, Emulator._try_match),
    "get_current_selfmenu_info": Endpoint("GET", False, Emulator._selfmenu_info),
    "tags/get": Endpoint("GET", False, Emulator._tags_get),
    "tags/create": Endpoint("POST", True, Emulator._tags_create),
    "tags/update": Endpoint("POST", True, Emulator._tags_update),
    "tags/delete": Endpoint("POST", True, Emulator._tags_delete),
    "template/get_all_private_template": Endpoint("GET", False, Emulator._templates_get),
    "template/api_add_template": Endpoint("POST", True, Emulator._template_add),
    "template/del_private_template": Endpoint("POST", True, Emulator._template_delete),
    "template/api_set_industry": Endpoint("POST", True, Emulator._set_industry),
    "template/get_industry": Endpoint("GET", False, Emulator._get_industry),
    "get_current_autoreply_info": Endpoint("GET", False, Emulator._autoreply),
    "media/uploadimg": Endpoint("POST", True, Emulator._upload_image, multipart=True),
    "material/add_material": Endpoint("POST", True, Emulator._add_material, multipart=True),
    "draft/add": Endpoint("POST", True, Emulator._draft_add),
    "draft/update": Endpoint("POST", True, Emulator._draft_update),
    "draft/get": Endpoint("POST", False, Emulator._draft_get),
    "draft/delete": Endpoint("POST", True, Emulator._draft_delete),
    "draft/batchget": Endpoint("POST", False, Emulator._draft_batchget),
    "draft/count": Endpoint("GET", False, Emulator._draft_count),
    "freepublish/submit": Endpoint("POST", True, Emulator._publish_submit),
    "freepublish/get": Endpoint("POST", False, Emulator._publish_get),
    "freepublish/batchget": Endpoint("POST", False, Emulator._publish_batchget),
    "message/mass/sendall": Endpoint("POST", True, Emulator._sendall),
    "message/mass/get": Endpoint("POST", False, Emulator._mass_get),
    "message/mass/preview": Endpoint("POST", True, Emulator._preview),
    "message/custom/send": Endpoint("POST", True, custom_send),
}
UPLOAD_PATHS = frozenset(name for name, endpoint in ENDPOINTS.items() if endpoint.multipart)
