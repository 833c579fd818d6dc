"""What `validate` quotes back of a value it refuses (attack review 45, F5): diagnostics go into the CI log of every
pull request, so an OpenID (personal data) is never quoted, nor a value that could be a secret in the wrong field;
the diagnostic names where it is and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from testing.cli import run_cli

HEAD = "version: 1\nbank: 测试银行\naccounts:\n  - id: demo\n    name: 测试银行\n"
GOOD_OPENID = "oQ3xA5tBm2Kc9LzR7wYpN4eFhU1s"  # mixed case, as the platform gives them


def validate(tmp_path: Path, spec: str) -> str:
    (tmp_path / "oaspec.yaml").write_text(spec, encoding="utf-8")
    result = run_cli("validate", "-f", "oaspec.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout + result.stderr


def with_reviewers(*openids: str) -> str:
    listed = ", ".join(f'"{openid}"' for openid in openids)
    return HEAD + ("    content:\n      streams:\n        - {id: news, title: 资讯, cadence: {every: week, on: wed}, "
                   f"preview: {{reviewers: [{listed}]}}}}\n")


@pytest.mark.parametrize(("openid", "wrong"), [
    ("oZ8vT2nLq6HdR3cJm9XbW5aGkE7y.", "has U+002E FULL STOP at character 29 of 29, which an OpenID never holds"),
    ("oZ8vT2nLq6Hd RcJm9XbW5aGkE7y", "has U+0020 SPACE at character 13 of 28"),
    ("oZ8vT2nLq6HdR", "is 13 characters long, outside an OpenID's 20 to 64"),
])
def test_a_malformed_preview_openid_is_located_and_never_quoted(tmp_path: Path, openid: str, wrong: str) -> None:
    said = validate(tmp_path, with_reviewers(GOOD_OPENID, openid))
    assert openid not in said and openid[:12] not in said and GOOD_OPENID not in said, said
    assert f"preview.reviewers[1]: this OpenID {wrong}" in said, said
    assert "capital and small: keep their case" in said and "lowercase" not in said, said


@pytest.mark.parametrize(("field", "spec"), [
    ("state.variable", "version: 1\nbank: 测试银行\nstate: {variable: 9f3c2a1b8e7d6c5b4a3f2e1d0c9b8a7f}\n"),
    ("accounts[0].provider.app_id", HEAD + "    provider: {type: wechat, app_id: 9f3c2a1b8e7d6c5b4a3f2e1d0c9b8a7f, "
                                           "app_secret: '${OASPEC_DEMO_SECRET}'}\n"),
    ("accounts[0].provider.token_endpoint", HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, "
     "app_secret: '${OASPEC_DEMO_SECRET}', token_endpoint: 9f3c2a1b8e7d6c5b4a3f2e1d0c9b8a7f}\n"),
    # attack review 65, F4: api_base (bare, and after https:// where it was quoted in the error and its hint),
    # provider.type, and a secret glued to a variable's name
    ("accounts[0].provider.api_base", HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, "
     "app_secret: '${OASPEC_DEMO_SECRET}', api_base: 9f3c2a1b8e7d6c5b4a3f2e1d0c9b8a7f}\n"),
    ("accounts[0].provider.api_base", HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, "
     "app_secret: '${OASPEC_DEMO_SECRET}', api_base: 'https://9f3c2a1b8e7d6c5b4a3f2e1d0c9b8a7f'}\n"),
    ("accounts[0].provider", HEAD + "    provider: {type: 9f3c2a1b8e7d6c5b4a3f2e1d0c9b8a7f}\n"),
    # attack review 66, F5: a '/' in a URL splits it into readable segments, but not a base64 key holding '/'
    ("accounts[0].provider.api_base", HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, "
     "app_secret: '${OASPEC_DEMO_SECRET}', api_base: 'https://9f3c2a1b/8e7d6c5b+4a3f2E1d/0c9b8a7f'}\n"),
    ("accounts[0].provider.app_id", HEAD + "    provider: {type: wechat, "
     "app_id: 'q8Zr3kLm/9Wv2Xc+Yt7N/p4Bd6Hs1Jf0aQ=', app_secret: '${OASPEC_DEMO_SECRET}'}\n"),
    # attack review 67, F4: a key split by hyphens (a UUID, a prefixed key) is not a host label of words and numbers
    ("accounts[0].provider.api_base", HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, "
     "app_secret: '${OASPEC_DEMO_SECRET}', api_base: 'https://9f3c2a1b-8e7d-6c5b-4a3f-2e1d0c9b8a7f'}\n"),
    ("accounts[0].provider.api_base", HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, "
     "app_secret: '${OASPEC_DEMO_SECRET}', api_base: 'https://gw.bank.cn/sk-9f3c2a1b8e7d6c5b4a3f2e1d0c9b8a7f'}\n"),
    ("accounts[0].provider.api_base", HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, "
     "app_secret: '${OASPEC_DEMO_SECRET}', api_base: 'https://gw.bank.cn/key_9f3c2a1b8e7d6c5b'}\n"),
    ("accounts[0].provider.app_secret", HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, "
     "app_secret: '${OASPEC_X9f3c2a1b8e7d6c5b4a3f2e1d0c9b8a7f}'}\n"),
    ("accounts[0].gateway.token", HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, "
     "app_secret: '${OASPEC_DEMO_SECRET}'}\n    gateway: {mode: plain, "
     "token: '${OASPEC_X9f3c2a1b8e7d6c5b4a3f2e1d0c9b8a7f}'}\n"),
])
def test_a_secret_pasted_in_another_field_is_named_by_its_length(tmp_path: Path, field: str, spec: str) -> None:
    said = validate(tmp_path, spec)
    assert "9f3c2a1b" not in said and "q8Zr3kLm" not in said, said
    named = [line for line in said.splitlines() if f"{field}: " in line and "characters, not quoted back: it could be "
             "a key or token)" in line]
    assert named, said


@pytest.mark.parametrize(("spec", "shown"), [
    (HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, app_secret: '${OASPEC_DEMO_SECRET}', "
     "api_base: 'http://proxy-01.bank-internal.example.com/wechat'}\n",
     "api_base 'http://proxy-01.bank-internal.example.com/wechat' must be an https:// URL"),
    (HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, app_secret: '${OASPEC_DEMO_SECRET}', "
     "api_base: 'https://wx-proxy.bank2024.example.com'}\n",
     "OASPEC_ALLOWED_API_BASES='https://wx-proxy.bank2024.example.com'"),
    # attack review 66, F5: a host label or path segment of 14 or more characters holding a digit
    (HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, app_secret: '${OASPEC_DEMO_SECRET}', "
     "api_base: 'https://wechat-proxy01.bank.cn'}\n",
     "OASPEC_ALLOWED_API_BASES='https://wechat-proxy01.bank.cn' in the CI settings"),
    (HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, app_secret: '${OASPEC_DEMO_SECRET}', "
     "api_base: 'https://gw.bank.cn/wechat/api/v2024/proxy'}\n",
     "OASPEC_ALLOWED_API_BASES='https://gw.bank.cn/wechat/api/v2024/proxy' in the CI settings"),
    # attack review 67, F4: ... of 16 or more characters, a hyphen-joined label or segment of words and numbers
    *((HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, app_secret: '${OASPEC_DEMO_SECRET}', "
       f"api_base: '{url}'}}\n", f"OASPEC_ALLOWED_API_BASES='{url}' in the CI settings")
      for url in ("https://wechat-gateway-prod01.citybank.com.cn", "https://api.citybank.com.cn/wechat/gateway-v20240601",
                  "https://api.wechat-gateway-prod01.citybank.cn", "https://GW.BANK.CN/WECHAT-GATEWAY-PROD01")),
    (HEAD + "    provider: {type: wechat_mp}\n", "unknown provider type 'wechat_mp'"),
    (HEAD + "    provider: {type: wechat, app_id: wx1234567890abcdef, app_secret: '${OASPEC_Bank1_Secret}'}\n",
     "names the environment variable OASPEC_Bank1_Secret, but"),
])
def test_an_ordinary_url_type_or_variable_name_is_still_quoted(tmp_path: Path, spec: str, shown: str) -> None:
    said = validate(tmp_path, spec)
    assert shown in said and "not quoted back" not in said, said


def test_a_value_that_cannot_be_a_secret_is_still_quoted(tmp_path: Path) -> None:
    said = validate(tmp_path, HEAD.replace("id: demo", "id: City Bank"))
    assert "'City Bank' has the wrong form" in said, said
