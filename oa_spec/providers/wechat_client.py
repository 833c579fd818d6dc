"""HTTP, access token and retries for one Official Account: the transport of the `wechat` provider.

Calls carry an access token fetched once per run (stable_token by default, which leaves the tokens of
the bank's other systems valid) and refreshed once on 40001/42001/40014. An unclear outcome (a timeout,
a dropped connection, -1; for a write also an answer oaspec cannot read, wechat_http.py) is an `Unclear`;
`retrying` runs a read again after a bounded backoff. The AppSecret and the token never appear in messages or
logs.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any, TypeVar

import requests
import urllib3

from oa_spec import limits
from oa_spec.errors import ProviderError
from oa_spec.providers.settings import WeChatSettings
from oa_spec.providers.wechat_http import TooLarge, Unreadable, body_of, decoded
from oa_spec.util.http_deadline import CallDeadline, deadline_session
from oa_spec.util.redact import install_log_redaction, redacted
from oa_spec.util.secret_policy import api_base_allowance_problem, api_base_problem, secret_value_problem

log = logging.getLogger("oa_spec.providers.wechat")  # one logger name for the provider's messages

T = TypeVar("T")
Json = dict[str, Any]

READ_WORKERS = 5  # one per independent read of an account: the connection pool's size


class Unclear(Exception):
    """A call whose outcome is unknown: timed out, dropped, answered -1 (system busy), or a write answered in a way
    oaspec cannot read."""

    def __init__(self, reason: str, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class Client:
    """HTTP, token and retries for one account. Thread-safe."""

    def __init__(self, account_id: str, settings: WeChatSettings, secret: str,
                 retry_delays: Sequence[float]) -> None:
        self.account_id = account_id
        self.retry_delays = tuple(retry_delays)
        self._config = settings
        if problem := secret_value_problem(settings.secret_variable, secret):  # never sent as is, nor altered
            raise ProviderError(f"{account_id}: {problem}")
        self._secret = secret
        self._base = _checked_api_base(account_id, settings.api_base)
        self._token: str | None = None
        self._token_lock = threading.Lock()
        self._abandoned = threading.Event()  # set when one of concurrent reads failed: the others stop retrying
        self.before_send: Callable[[], None] | None = None
        self._session = deadline_session(self._base, pool_connections=1, pool_maxsize=READ_WORKERS, max_retries=0)
        install_log_redaction()

    def close(self) -> None:
        self._session.close()

    # -- calls --
    def call(self, method: str, path: str, body: Json | None = None, retry: bool = True,
             accept: frozenset[int] = frozenset()) -> Json:
        """One API call with the account's token. With retry=False an unclear outcome raises Unclear; an
        errcode in `accept` is answered as data (45065 carries the first send's msg_id), not raised."""
        if not retry:  # a write
            return _unclear_if_unreadable(lambda: self._with_token(method, path, body, accept), self._redact)
        return self.retrying(path, lambda: self.readable(path, lambda: self._with_token(method, path, body, accept)))

    def upload(self, path: str, data: bytes, filename: str, query: dict[str, str] | None = None,
               retry: bool = True) -> Json:
        """A file upload (media/uploadimg, material/add_material): multipart, the file in the `media` field.
        Retried while unclear: a body image uploaded twice is stored twice, never shown twice. With retry=False an
        unclear outcome raises Unclear (a permanent material uploaded twice is a second copy: wechat_uploads.py)."""
        def send() -> Json:
            files = {"media": (filename, data, "application/octet-stream")}
            token = self.token()
            answer = self._send("POST", path, None, {**(query or {}), "access_token": token}, files)
            if _errcode(answer) in limits.RETRY_WITH_NEW_TOKEN:
                answer = self._send("POST", path, None, {**(query or {}), "access_token": self._refresh(token)}, files)
            return answer

        def attempt() -> Json:  # an unreadable answer is uploaded again when retried: harmless, as above
            return self._checked(path, _unclear_if_unreadable(send, self._redact))

        return self.retrying(path, attempt) if retry else attempt()

    def retrying(self, what: str, attempt: Callable[[], T]) -> T:
        """Run `attempt`, again after each delay while its outcome is unclear."""
        delays = iter(self.retry_delays)
        while True:
            try:
                return attempt()
            except Unclear as exc:
                delay = next(delays, None)
                if delay is None:
                    raise self.gave_up(what, exc) from None
                log.warning("%s: %s: %s; retrying in %.2gs", self.account_id, what, exc.reason, delay)
                if self._abandoned.wait(delay):  # a sibling read failed: this one's answer is no longer wanted
                    raise ProviderError(f"{self.account_id}: {what}: abandoned, another read failed") from None

    @contextmanager
    def concurrently(self, name: str) -> Iterator[Callable[[Callable[[], T]], Future[T]]]:
        """Submit independent calls to run side by side; on leaving, wait for them all. The first to fail
        (in time, not in submission order) is raised: calls not started are cancelled and retrying ones
        give up at once, so one failed read stops the account's read instead of waiting out the others."""
        futures: list[Future[Any]] = []
        pool = ThreadPoolExecutor(READ_WORKERS, thread_name_prefix=name)

        def submit(call: Callable[[], T]) -> Future[T]:
            future = pool.submit(call)
            futures.append(future)
            return future

        first_failure: BaseException | None = None
        try:
            yield submit
            for future in as_completed(futures):
                first_failure = future.exception()
                if first_failure is not None:
                    self._abandoned.set()
                    break
        except BaseException:  # Ctrl-C while waiting: the calls in progress end by their deadline, and retry no more
            self._abandoned.set()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self._abandoned.clear()
        if first_failure is not None:
            raise first_failure

    def gave_up(self, what: str, exc: Unclear) -> ProviderError:
        attempts = len(self.retry_delays) + 1
        if exc.code is not None:
            return self.error(what, exc.code, suffix=f" (gave up after {attempts} attempts)")
        return ProviderError(self._redact(f"{self.account_id}: {what}: {exc.reason}; gave up after {attempts} "
                                          "attempts (check the network path to the API, or run again)"))

    def readable(self, what: str, attempt: Callable[[], T]) -> T:
        """`attempt`, a read: an answer oaspec cannot read stops it with the reason (never retried: a proxy's page
        or an answer too deep to decode is not a platform that is busy)."""
        try:
            return attempt()
        except Unreadable as exc:
            fix = exc.fix or f"is api_base {self._base} the WeChat API?"  # the reason may quote the answer's keys
            raise ProviderError(self._redact(f"{self.account_id}: {what}: unexpected answer ({exc.reason}); {fix}")) \
                from None

    def _with_token(self, method: str, path: str, body: Json | None, accept: frozenset[int] = frozenset()) -> Json:
        token = self.token()
        data = self._send(method, path, body, {"access_token": token})
        if _errcode(data) in limits.RETRY_WITH_NEW_TOKEN:
            log.info("%s: %s: the access token was refused (%s); fetching a new one",
                     self.account_id, path, _errcode(data))
            data = self._send(method, path, body, {"access_token": self._refresh(token)})
        return self._checked(path, data, accept)

    def _checked(self, path: str, data: Json, accept: frozenset[int] = frozenset()) -> Json:
        code = _errcode(data)
        if code == -1:
            raise Unclear("the platform was busy (errcode -1)", -1)
        if code and code not in accept:
            raise self.error(path, code, str(data.get("errmsg", "")))
        return data

    def _send(self, method: str, path: str, body: Json | None, params: dict[str, str],
              files: dict[str, tuple[str, bytes, str]] | None = None) -> Json:
        # Raw UTF-8: the platform refuses \\uXXXX escapes of non-ASCII with 40033.
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {} if data is None else {"Content-Type": "application/json; charset=utf-8"}
        if self.before_send is not None:  # the last moment to find out the lock was lost (apply sets it)
            self.before_send()
        started, seconds = time.monotonic(), self._config.timeout_seconds
        deadline = CallDeadline(seconds)  # for the whole call: requests' timeout bounds each read only
        try:
            # never redirected: the AppSecret and the token would follow a Location to a host nobody listed
            with deadline, self._session.request(method, f"{self._base}/cgi-bin/{path}", params=params, data=data,
                                                 files=files, headers=headers, timeout=seconds,
                                                 allow_redirects=False, stream=True) as response:
                if response.status_code >= 500:
                    raise Unclear(f"HTTP {response.status_code}")
                answer = body_of(response, limits.MAX_API_ANSWER_BYTES)
        except TooLarge:
            raise Unclear(f"an answer over {limits.MAX_API_ANSWER_BYTES} bytes, more than any the platform "
                          "gives") from None
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise Unclear(_broken(exc, seconds, deadline.expired)) from None
        log.debug("%s: %s /cgi-bin/%s -> HTTP %s in %.0f ms", self.account_id, method, path,
                  response.status_code, (time.monotonic() - started) * 1000)
        return decoded(response.status_code, answer)

    # -- token --
    def token(self) -> str:
        """The run's access token, fetched on first use by exactly one thread."""
        with self._token_lock:
            token = self._token or self.retrying("access token", self._fetch_token)
            self._token = token
            return token

    def _refresh(self, stale: str) -> str:
        with self._token_lock:
            token = self._token
            if token is None or token == stale:  # else another thread refreshed it already
                token = self.retrying("access token", self._fetch_token)
                self._token = token
            return token

    def _fetch_token(self) -> str:
        credentials = {"grant_type": "client_credential", "appid": self._config.app_id, "secret": self._secret}
        if self._config.token_endpoint == "classic":
            data = self.readable("access token", lambda: self._send("GET", "token", None, credentials))
        else:  # normal mode: never force_refresh, which would cut off the bank's other systems
            body = {**credentials, "force_refresh": False}
            data = self.readable("access token", lambda: self._send("POST", "stable_token", body, {}))
        token = self._checked("access token", data).get("access_token")
        if not isinstance(token, str) or not token:
            raise ProviderError(f"{self.account_id}: the token answer carried no access_token")
        return token

    # -- errors --
    def error(self, what: str, code: int, errmsg: str = "", suffix: str = "") -> ProviderError:
        # redacted before display.visible spells its controls out, and after (every form an echo takes: redact.py)
        message = f"{self.account_id}: {what}: {limits.describe_error(code, self._redact(errmsg))}{suffix}"
        seen_ip = re.search(r"invalid ip ([0-9a-fA-F.:]+)", errmsg) if code == 40164 else None
        if seen_ip:
            message += f" (the platform saw this machine as {seen_ip.group(1)})"
        return ProviderError(self._redact(message), code)

    def _redact(self, text: str) -> str:
        return redacted(text, (self._secret, self._token))


def _errcode(data: Json) -> int:
    """0 when the answer has no errcode: most reads return bare data."""
    try:
        return int(data.get("errcode") or 0)
    except (TypeError, ValueError):
        return -1


def _unclear_if_unreadable(send: Callable[[], Json], redact: Callable[[str], str]) -> Json:
    """`send`, a write: an answer oaspec cannot read may be of one that landed, so it is Unclear (settled, or sent
    again), never a refusal. Its reason may quote the answer's keys (an echo of the request): `redact` masks the
    credentials in it before logs and errors carry it (attack review 78 F3)."""
    try:
        return send()
    except Unreadable as exc:
        raise Unclear(redact(f"an answer oaspec cannot read ({exc.reason})")) from None


def _broken(exc: BaseException, seconds: float, expired: bool) -> str:
    """Why a call that raised has no answer: the deadline (its socket was shut: part of an answer is none), a read
    timeout, or the network."""
    if expired or isinstance(exc, requests.Timeout):
        return f"no answer within {seconds:g}s"
    if isinstance(exc, requests.ConnectionError):
        return "the connection failed or was dropped"
    return f"the connection broke during the answer ({type(exc).__name__})"  # e.g. ChunkedEncodingError


def _checked_api_base(account_id: str, api_base: str) -> str:
    """Checked again here, before the secret is sent, for a config that did not come through validate."""
    problem = api_base_problem(api_base) or api_base_allowance_problem(api_base, os.environ)
    if problem:
        raise ProviderError(f"{account_id}: {problem}")
    return api_base.rstrip("/")
