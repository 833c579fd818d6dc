"""Protocol: official and wechatpy vectors, and every kind of hostile request rejected."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from oa_spec.gateway.config import GatewayConfigError, Reply, load_secrets
from oa_spec.gateway.protocol import (
    MAX_BODY_BYTES,
    ProtocolError,
    ReplayGuard,
    WXCrypt,
    _parse_full,
    open_request,
    parse_xml,
    reply_xml,
    seal,
    signature,
    verify_url,
)
from tests.gateway.helpers import (
    ENV,
    OFFICIAL_APPID,
    OFFICIAL_KEY,
    OFFICIAL_MSG_SIG,
    OFFICIAL_NONCE,
    OFFICIAL_TOKEN,
    OFFICIAL_TS,
    account,
    fixture,
    vectors,
)

NOW = float(OFFICIAL_TS)


def official_query(**extra: str) -> dict[str, str]:
    return {"timestamp": OFFICIAL_TS, "nonce": OFFICIAL_NONCE, "encrypt_type": "aes",
            "signature": signature(OFFICIAL_TOKEN, OFFICIAL_TS, OFFICIAL_NONCE), "msg_signature": OFFICIAL_MSG_SIG,
            **extra}


def test_plain_signature_vector_from_wechatpy() -> None:
    v = vectors()["plain_signature"]
    assert signature(v["token"], v["timestamp"], v["nonce"]) == v["signature_valid"]
    query = {"timestamp": v["timestamp"], "nonce": v["nonce"], "echostr": "hello"}
    then = float(v["timestamp"])
    assert verify_url(v["token"], {**query, "signature": v["signature_valid"]}, now=then) == "hello"
    with pytest.raises(ProtocolError):
        verify_url(v["token"], {**query, "signature": v["signature_invalid"]}, now=then)
    with pytest.raises(ProtocolError):
        verify_url(v["token"], query, now=then)


def test_url_verification_is_held_to_the_timestamp_window() -> None:
    # any POST's query holds a valid (timestamp, nonce, signature): an attack review verified a GET with a
    # triple from 2001, echoing a script as XML
    v = vectors()["plain_signature"]
    query = {"timestamp": v["timestamp"], "nonce": v["nonce"], "echostr": "hello", "signature": v["signature_valid"]}
    with pytest.raises(ProtocolError, match="stale_timestamp"):
        verify_url(v["token"], query, now=float(v["timestamp"]) + 301)


def test_wechatpy_aes_vectors_decrypt_and_encrypt_byte_exact() -> None:
    aes = vectors()["aes"]
    crypt = WXCrypt(aes["encoding_aes_key"], aes["receiver_id"])
    d = aes["decrypt"]
    assert signature(aes["token"], d["timestamp"], d["nonce"], d["encrypt"]) == d["msg_signature"]
    assert crypt.decrypt(d["encrypt"]) == fixture("crypto_decrypt_plaintext_derived.xml").decode()
    expected = parse_xml(fixture("crypto_encrypt_expected.xml"))
    e = aes["encrypt"]
    token = crypt.encrypt(fixture("crypto_encrypt_plaintext.xml").decode(), e["random_prefix"].encode())
    assert token == expected["Encrypt"]
    assert signature(aes["token"], e["timestamp"], e["nonce"], token) == expected["MsgSignature"]
    echo = aes["echostr_check"]
    assert crypt.decrypt(echo["echo_str"]) == echo["plaintext_derived"]


def test_official_sample_compatible_body_decrypts() -> None:
    incoming = open_request(account("compatible"), load_secrets(account("compatible"), ENV), official_query(),
                            fixture("msg_encrypted.xml"), ReplayGuard(), now=NOW)
    assert incoming.encrypted
    assert incoming.fields["Content"] == "abcdteT"
    assert incoming.fields["MsgId"] == "6054768590064713728"


def test_official_reply_vector_and_wxjava_deterministic_vector() -> None:
    envelope = parse_xml(fixture("reply_encrypted.xml"))
    assert signature(OFFICIAL_TOKEN, OFFICIAL_TS, OFFICIAL_NONCE, envelope["Encrypt"]) == envelope["MsgSignature"]
    decrypted = WXCrypt(OFFICIAL_KEY, OFFICIAL_APPID).decrypt(envelope["Encrypt"])
    assert len(decrypted.encode()) == 434 and decrypted.startswith(" ")
    token = WXCrypt(OFFICIAL_KEY, "wxb11529c136998cb6").encrypt("我是中文abcd123", b"aaaabbbbccccdddd")
    assert token == "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="


def test_sealed_reply_round_trips() -> None:
    keys = load_secrets(account(), ENV)
    xml = seal("<xml><Content>hi</Content></xml>", keys, OFFICIAL_APPID, "1700000000", "abc")
    envelope = parse_xml(xml.encode())
    assert signature(OFFICIAL_TOKEN, "1700000000", "abc", envelope["Encrypt"]) == envelope["MsgSignature"]
    assert WXCrypt(OFFICIAL_KEY, OFFICIAL_APPID).decrypt(envelope["Encrypt"]) == "<xml><Content>hi</Content></xml>"


def reject(mode: str, query: dict[str, str], body: bytes | Callable[[], bytes],
           guard: ReplayGuard | None = None) -> str:
    cfg = account(mode)
    with pytest.raises(ProtocolError) as info:
        open_request(cfg, load_secrets(cfg, ENV), query, body, guard or ReplayGuard(), now=NOW)
    return info.value.reason


def test_wrong_app_id_is_rejected() -> None:
    cfg = account("compatible", app_id="wx0000000000000000")
    with pytest.raises(ProtocolError, match="wrong_app_id"):
        open_request(cfg, load_secrets(cfg, ENV), official_query(), fixture("msg_encrypted.xml"), ReplayGuard(), NOW)


def test_safe_mode_never_accepts_plaintext() -> None:
    query = {k: v for k, v in official_query().items() if k not in ("encrypt_type", "msg_signature")}
    assert reject("safe", query, fixture("msg_encrypted.xml")) == "downgrade"
    assert reject("safe", {**official_query(), "encrypt_type": "raw"}, fixture("msg_encrypted.xml")) == "downgrade"
    # the same body is fine for a compatible-mode account: that is what compatible means
    cfg = account("compatible")
    incoming = open_request(cfg, load_secrets(cfg, ENV), query, fixture("msg_encrypted.xml"), ReplayGuard(), NOW)
    assert not incoming.encrypted and incoming.fields["Content"] == "abcdteT"


def test_bad_signatures_are_rejected_before_anything_else() -> None:
    assert reject("safe", {**official_query(), "msg_signature": "0" * 40}, fixture("msg_encrypted.xml")) \
        == "bad_msg_signature"
    assert reject("safe", {**official_query(), "signature": "0" * 40}, fixture("msg_encrypted.xml")) == "bad_signature"
    assert reject("safe", {**official_query(), "signature": ""}, fixture("msg_encrypted.xml")) == "bad_signature"


def test_replayed_request_is_marked_and_a_reused_nonce_with_new_body_is_rejected() -> None:
    guard, cfg = ReplayGuard(), account("safe")
    keys = load_secrets(cfg, ENV)
    first = open_request(cfg, keys, official_query(), fixture("msg_encrypted.xml"), guard, NOW)
    again = open_request(cfg, keys, official_query(), fixture("msg_encrypted.xml"), guard, NOW)
    assert (first.retry, again.retry) == (False, True)
    forged = fixture("msg_encrypted.xml").replace(b"abcdteT", b"abcdteX")
    assert reject("safe", official_query(), forged, guard) == "nonce_reused"


def test_stale_timestamp_is_rejected() -> None:
    cfg = account("safe")
    with pytest.raises(ProtocolError, match="stale_timestamp"):
        open_request(cfg, load_secrets(cfg, ENV), official_query(), fixture("msg_encrypted.xml"), ReplayGuard(),
                     now=NOW + 301)


@pytest.mark.parametrize("body, reason", [
    (b"<xml><a>", "bad_xml"),
    (b"not xml at all", "bad_xml"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
     b"<xml><Content>&b;</Content></xml>", "bad_xml"),
    (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>', "bad_xml"),
    (b"<xml>" + b"<a>x</a>" * (MAX_BODY_BYTES // 8) + b"</xml>", "too_large"),
    (b"<notxml><a>b</a></notxml>", "bad_xml"),
])
def test_malformed_entity_bomb_and_oversized_bodies_are_rejected(body: bytes, reason: str) -> None:
    query = {k: v for k, v in official_query().items() if k not in ("encrypt_type", "msg_signature")}
    assert reject("plain", query, body) == reason


def test_tampered_ciphertext_is_rejected_without_detail() -> None:
    envelope = fixture("msg_encrypted.xml").decode()
    token = re.search(r"<Encrypt><!\[CDATA\[(.*?)\]\]>", envelope).group(1)  # type: ignore[union-attr]
    for bad in (token[:-8] + "AAAAAAA=", "!!!notbase64", token[:20]):
        body = envelope.replace(token, bad).encode()
        query = official_query(msg_signature=signature(OFFICIAL_TOKEN, OFFICIAL_TS, OFFICIAL_NONCE, bad))
        assert reject("safe", query, body) in {"bad_padding", "bad_base64", "bad_ciphertext", "bad_length",
                                               "wrong_app_id", "bad_utf8"}


def test_cdata_cannot_be_broken_by_user_text() -> None:
    xml = reply_xml({"FromUserName": "u]]><x/>", "ToUserName": "gh"}, Reply(text="a]]><MsgType>evil</MsgType>"),
                    1, True)
    fields = parse_xml(xml.encode())
    assert fields["Content"] == "a]]><MsgType>evil</MsgType>"
    assert fields["ToUserName"] == "u]]><x/>"
    assert fields["MsgType"] == "text"


def test_secrets_only_from_environment_and_never_in_repr() -> None:
    keys = load_secrets(account(), ENV)
    assert OFFICIAL_TOKEN not in repr(keys) and OFFICIAL_KEY not in repr(keys)
    with pytest.raises(GatewayConfigError, match="T_TOKEN") as info:
        load_secrets(account(), {})
    assert OFFICIAL_TOKEN not in str(info.value)
    with pytest.raises(GatewayConfigError, match="T_AES"):
        load_secrets(account(), {"T_TOKEN": "x", "T_AES": "short"})


@pytest.mark.parametrize(("variable", "env"), [
    ("T_TOKEN", {**ENV, "T_TOKEN": OFFICIAL_TOKEN + "\n"}), ("T_TOKEN", {**ENV, "T_TOKEN": " " + OFFICIAL_TOKEN}),
    ("T_AES", {**ENV, "T_AES": OFFICIAL_KEY + "\n"})])
def test_a_gateway_secret_with_whitespace_is_refused_naming_the_variable_only(variable: str,
                                                                               env: dict[str, str]) -> None:
    """Attack review 65, F3: a Token or EncodingAESKey pasted with a line break is refused at start, as the AppSecret
    is, by the one rule in secret_policy.py; the message names the variable and says what to do."""
    with pytest.raises(GatewayConfigError, match=f"environment variable {variable} holds a space, line break") as info:
        load_secrets(account(), env)
    assert OFFICIAL_TOKEN not in str(info.value) and OFFICIAL_KEY not in str(info.value)
    assert "remove it where the variable is set" in str(info.value)


@pytest.mark.parametrize("key", ["SUPERSECRETKEYVALUE" + "!" * 24, "abcdefghijklmnopqrstuvwxyz0123456789ABCDE-_",
                                 "abcdefghijklmnopqrstuvwxyz0123456789ABCD EF"])
def test_a_43_character_key_that_is_not_base64_is_refused_at_start(key: str) -> None:
    """Attack review 7: it passed the start-up check, then every gateway worker died with a traceback."""
    assert len(key) == 43
    with pytest.raises(GatewayConfigError, match="T_AES") as info:
        load_secrets(account(), {"T_TOKEN": "x", "T_AES": key})
    assert key not in str(info.value)


@pytest.mark.parametrize("name", ["msg_encrypted.xml", "msg_text.xml", "event_click.xml", "reply_encrypted.xml",
                                  "crypto_decrypt_input.xml", "crypto_decrypt_plaintext_derived.xml"])
def test_fast_flat_reader_agrees_with_the_xml_parser(name: str) -> None:
    assert parse_xml(fixture(name)) == _parse_full(fixture(name))


@pytest.mark.parametrize("body", [
    b"<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>",
    b"<xml><Content>a &amp; b</Content></xml>",
    b"<xml><Content><![CDATA[line1\nline2]]></Content><N>1</N></xml>",
    b"<xml><Info><Count>2</Count></Info><MsgType>event</MsgType></xml>",
])
def test_unusual_but_valid_bodies_read_the_same_as_the_xml_parser(body: bytes) -> None:
    assert parse_xml(body) == _parse_full(body)


def test_a_body_is_read_only_once_the_query_signature_holds() -> None:
    # attack review 44, F5: the body was read (waited for) before the signature was checked
    def unread() -> bytes:
        raise AssertionError("the body of an unsigned request was read")

    assert reject("safe", {**official_query(), "signature": "forged"}, unread) == "bad_signature"
    cfg = account("compatible")
    incoming = open_request(cfg, load_secrets(cfg, ENV), official_query(), lambda: fixture("msg_encrypted.xml"),
                            ReplayGuard(), NOW)
    assert incoming.encrypted
