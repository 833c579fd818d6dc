"""The session every deadline-bound call is made on: the environment's proxy only for a host that is not loopback."""

from __future__ import annotations

import pytest

from oa_spec.util.http_deadline import DeadlineAdapter, deadline_session


@pytest.mark.parametrize(("url", "proxied"), [
    ("http://127.0.0.1:8080/wx", False), ("http://localhost:9/hook", False), ("http://[::1]:9/hook", False),
    ("https://api.weixin.qq.com", True), ("https://svc.citybank.example.cn/wx", True), (None, False)])
def test_a_proxy_from_the_environment_is_used_only_for_a_host_that_is_not_loopback(url: str | None,
                                                                                   proxied: bool) -> None:
    # the webhook call and the wechat provider's client both take their session from here (attack review 61: a
    # loopback webhook's OpenID and signed body went to HTTP_PROXY in plain text)
    with deadline_session(url) as session:
        assert session.trust_env is proxied
        assert all(isinstance(session.get_adapter(f"{scheme}://x"), DeadlineAdapter) for scheme in ("http", "https"))
