"""redact.py: one rule masks a secret in every form it can come back in (attack review 65, F3), and names a value
that could be a secret by its length."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

import pytest

from oa_spec.util.display import visible
from oa_spec.util.redact import redacted, redacted_password

SECRET = "3f9a1c0e7b2d4a6f8e1c3b5d7a9f0e2c"


@pytest.mark.parametrize("secret", [SECRET, SECRET + "\n", SECRET + '"x', "a'b\"c\\d e\tf\x1bg中h"])
@pytest.mark.parametrize(("form", "encode"), [
    ("raw", lambda s: s),
    ("JSON-escaped", lambda s: json.dumps(s)[1:-1]),
    ("JSON-escaped, ASCII only", lambda s: json.dumps(s, ensure_ascii=True)[1:-1]),
    ("JSON-escaped twice", lambda s: json.dumps(json.dumps(s)[1:-1])[1:-1]),
    ("quote", quote),
    ("quote, nothing safe", lambda s: quote(s, safe="")),
    ("quote_plus", quote_plus),
    ("percent-encoded in small letters", lambda s: quote(s).lower()),
    ("repr", lambda s: repr(s)[1:-1]),
    ("display.visible", visible),
])
def test_every_form_of_an_echoed_secret_is_masked(secret: str, form: str, encode: object) -> None:
    assert callable(encode)
    echoed = f"bad request: secret={encode(secret)}&x=1 {{\"secret\": \"{encode(secret)}\"}}"
    said = redacted(echoed, [secret])
    assert said == "bad request: secret=***&x=1 {\"secret\": \"***\"}", (form, said)


def test_other_text_and_empty_secrets_are_left_alone() -> None:
    assert redacted("errcode 40013: invalid appid", [None, "", SECRET]) == "errcode 40013: invalid appid"


@pytest.mark.parametrize(("form", "echoed"), [
    ("truncated", SECRET[:28] + "..."),
    ("its first 8 characters", f"secret={SECRET[:8]}&x=1"),
    ("its last 8 characters", f"secret=...{SECRET[-8:]}"),
    ("split by a line break", SECRET[:16] + "\n" + SECRET[16:]),
    ("split by a line break and spaces", SECRET[:12] + "\r\n   " + SECRET[12:]),
    ("upper-cased", SECRET.upper()),
    ("base64", base64.b64encode(SECRET.encode()).decode()),
    ("base64, truncated", base64.b64encode(SECRET.encode()).decode()[:20]),
    ("url-safe base64", base64.urlsafe_b64encode(SECRET.encode()).decode()),
])
def test_a_piece_of_a_secret_echoed_back_is_masked_with_its_run(form: str, echoed: str) -> None:
    """Attack review 66, F4: any run of a key's characters holding 8 consecutive characters of the secret (any case,
    or of its base64) is masked whole."""
    said = redacted(f"bad request: {echoed} (errcode 49999)", [SECRET])
    assert not any(SECRET[i:i + 8].lower() in said.lower() for i in range(len(SECRET) - 7)), (form, said)
    assert "***" in said and said.startswith("bad request: ") and said.endswith(" (errcode 49999)"), (form, said)


@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode])
@pytest.mark.parametrize("before", ["", "x", "xy", "/cgi-bin/token?grant_type=client_credential&secret=",
                                    '{"grant_type": "client_credential", "secret": "'])
def test_a_secret_inside_a_base64_of_the_request_is_masked_at_every_offset(before: str, encode: object) -> None:
    """Attack review 67, F1: the base64 of a text holding the secret at a byte offset that is not a multiple of 3 is
    another string than the secret's own base64; a gateway quoting the whole request base64-encoded leaked it."""
    assert callable(encode)
    echoed = encode((before + SECRET + '" rest').encode()).decode()
    said = redacted(f"bad request (base64): {echoed}", [SECRET])
    assert said == "bad request (base64): ***", said


def test_seven_characters_of_a_secret_and_other_words_are_left_alone() -> None:
    text = f"errcode 40013: invalid appid wx0123456789abcdef, got {SECRET[:7]} secret=x grant_type=client_credential"
    assert redacted(text, [SECRET]) == text


def test_a_run_sharing_8_characters_with_a_word_like_secret_is_masked_a_hex_secret_masks_no_word() -> None:
    """Attack review 67, F6 (documented in `redacted`): the piece rule cannot tell a chance match from an echo; with
    a word-like test secret ordinary words can go, with a real 32-hex AppSecret an ordinary message stays whole."""
    text = "demo-wechat: menu: WeChat error 40001: invalid credential, use-secret-yourself hint: [x]"
    assert redacted(text, ["any-secret-you-like"]) == text.replace("use-secret-yourself", "***")
    assert redacted(text, [SECRET]) == text


@pytest.mark.parametrize(("text", "said"), [
    ('FATAL:  database "oaspec_postgres" does not exist', 'FATAL:  database "oaspec_postgres" does not exist'),
    ('role "postgres-ci" and schema postgres2 are names', 'role "postgres-ci" and schema postgres2 are names'),
    ('password authentication failed for user "postgres"', 'password authentication failed for user "***"'),
    ("host=db password=postgres dbname=x", "host=db password=*** dbname=x"),
    ("password='postgres' and postgres alone", "password='***' and *** alone"),
    ('{"password": "postgres"}', '{"password": "***"}'),
])
def test_a_password_is_masked_where_it_stands_as_the_password_not_inside_a_name(text: str, said: str) -> None:
    """Attack review 66, F6: an ordinary word as the password (postgres) is masked as a token of its own, so that a
    database or role whose name holds it is still named; a user named exactly as the password is hidden."""
    assert redacted_password(text, ["postgres"]) == said


@pytest.mark.parametrize(("text", "said"), [
    ("FATAL: 密码hunter2错误", "FATAL: 密码***错误"),
    ('option "hunter2的" is wrong', 'option "***的" is wrong'),
    ("pw hunter2_ rest", "pw ***_ rest"),
    ("PASSWORD=HUNTER2", "PASSWORD=***"),
    ("echo Hunter2, then 'HUNTER2'", "echo ***, then '***'"),
    ("names hunter22, xhunter2, hunter2-ci, my_hunter2 and hunter2_db", "names hunter22, xhunter2, hunter2-ci, "
                                                                         "my_hunter2 and hunter2_db"),
])
def test_a_password_next_to_a_chinese_character_or_a_sign_or_re_cased_is_masked(text: str, said: str) -> None:
    """Attack review 67, F5: the boundary was Unicode \\w, so a password touching a Chinese character or an
    underscore, or echoed in another case, was printed. Only an ASCII letter or digit (or '_'/'-' joining one) makes
    it part of a longer name."""
    assert redacted_password(text, ["hunter2"]) == said


def test_a_password_beginning_or_ending_in_a_sign_is_masked_wherever_it_stands() -> None:
    assert redacted_password("x!pa ss!y and '!pa ss!'", ["!pa ss!"]) == "x***y and '***'"


def test_secrets_given_as_a_one_pass_iterable_mask_pieces_too() -> None:
    # the secrets were read twice: a generator left nothing for the piece rule, and a truncated echo leaked
    assert redacted(f"bad request: {SECRET[:24]}", (secret for secret in [SECRET])) == "bad request: ***"
