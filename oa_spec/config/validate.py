"""Validate a loaded spec: shapes and types (pydantic), then the platform's limits and cross-references.

Every problem found is reported, each at file:line:col with a hint; nothing stops at the first.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from oa_spec.config.checks import Checker
from oa_spec.config.diagnostics import Diagnostic, SpecError
from oa_spec.config.fields import OPENID_CHARS, OPENID_LENGTHS, OPENID_PATTERN
from oa_spec.config.load import LoadedSpec, load_spec
from oa_spec.config.locate import Loc, Locator
from oa_spec.config.model import SECRET_FIELDS, Spec, StateSpec
from oa_spec.util.display import describe
from oa_spec.util.redact import quoted


def validate(loaded: LoadedSpec) -> Spec:
    """The spec model, or SpecError with every error found. Warnings are attached to the result."""
    spec, diagnostics = check(loaded)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors or spec is None:
        raise SpecError(diagnostics)
    return spec


def check(loaded: LoadedSpec) -> tuple[Spec | None, list[Diagnostic]]:
    """All diagnostics (errors and warnings); the model when the shapes were right."""
    locator = Locator(loaded.data)
    try:
        spec = Spec.model_validate(loaded.data)
    except ValidationError as exc:
        return None, _readable(exc, locator)
    checker = Checker(locator)
    checker.interpolations(loaded)
    checker.spec(spec)
    if any(account.content.articles for account in spec.accounts):
        from oa_spec.content.spec import check_articles  # lazy: articles need the content extra

        checker.diagnostics += check_articles(spec, locator, loaded.root)
    return spec, checker.diagnostics


def state_variable(path: Path) -> str | None:
    """The environment variable the spec's `state:` block names, read without validating the rest: the
    record commands (history, audit, unlock) must find the state while an account's part is being fixed."""
    loaded = load_spec(path)
    block = loaded.data.get("state")
    if block is None:
        return None
    try:
        return StateSpec.model_validate(block).variable
    except ValidationError as exc:
        locator = Locator(loaded.data)
        raise SpecError([_from_pydantic({**err, "loc": ("state", *err["loc"])}, locator)
                         for err in exc.errors()]) from None


# --- pydantic errors, made readable -------------------------------------------------------------------
# Shape errors made readable, at most: a list of 900,000 bad items made as many diagnostics (2 GB); past this,
# one more says how many were left out (no run prints more than MAX_SHOWN anyway).
MAX_SHAPE_ERRORS = 1_000


def _readable(exc: ValidationError, locator: Locator) -> list[Diagnostic]:
    errors = exc.errors(include_url=False)
    readable = [_from_pydantic(err, locator) for err in errors[:MAX_SHAPE_ERRORS]]
    if len(errors) > MAX_SHAPE_ERRORS:
        pos, path = locator.find(tuple(errors[MAX_SHAPE_ERRORS]["loc"]))
        readable.append(Diagnostic(pos, path, f"and {len(errors) - MAX_SHAPE_ERRORS:,} more errors of the spec's "
                                   "shape, not listed", "fix the ones listed (often one list or one field repeated) "
                                   "and run again"))
    return readable

_TYPE_NAMES = {"string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
               "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
               "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping",
               "float_type": "a number", "float_parsing": "a number", "date_type": "a date (YYYY-MM-DD)",
               "date_from_datetime_parsing": "a date (YYYY-MM-DD)", "date_parsing": "a date (YYYY-MM-DD)"}
_TYPE_HINTS = {"text": "quote it to make it text, e.g. '2024' or 'yes'",
               "a list": "write a list as [a, b] or as '- item' lines",
               "a mapping": "write the fields as 'name: value' lines, indented under it",
               "a date (YYYY-MM-DD)": "write a date as YYYY-MM-DD, e.g. 2027-03-31"}


def _from_pydantic(err: Any, locator: Locator) -> Diagnostic:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        pos, path = locator.find(loc, key_position=True)
        field = str(loc[-1])
        known = sorted(_fields_at(loc[:-1]))
        close = difflib.get_close_matches(field, known, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else "known fields here: " + ", ".join(known)
        return Diagnostic(pos, path, f"unknown field `{field}`", hint)
    pos, path = locator.find(loc)
    if loc and loc[-1] in SECRET_FIELDS and kind not in _TYPE_NAMES and kind != "missing":
        # a secret pasted as a literal is never quoted back: the message would carry it into the CI log
        size = len(err["input"]) if isinstance(err.get("input"), str) else 0
        return Diagnostic(pos, path, f"a literal value ({size} characters) where a secret belongs", _pattern_hint(loc))
    if kind == "missing":
        return Diagnostic(pos, path, f"missing required field `{loc[-1]}`", f"add `{loc[-1]}:` here")
    if kind in _TYPE_NAMES:
        got = type(err.get("input")).__name__
        expected = _TYPE_NAMES[kind]
        hint = _TYPE_HINTS.get(expected, f"write {expected} here, without quotes")
        if got == "bool" and expected in ("a whole number", "a number"):
            hint = "YAML reads yes, no, on, off, true and false as true/false: " + hint
        return Diagnostic(pos, path, f"expected {expected}, got {_yaml_type(got)}", hint)
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return Diagnostic(pos, path, f"{quoted(err.get('input'))} is not allowed here", f"use one of: {expected}")
    if kind == "union_tag_invalid":
        return Diagnostic(pos, path, f"unknown type {quoted(err['input'])}" if not isinstance(err["input"], dict)
                          else f"unknown provider type {quoted(err['input'].get('type'))}", "use type: local or wechat")
    if kind == "union_tag_not_found":
        if not isinstance(err.get("input"), dict):
            got = _yaml_type(type(err.get("input")).__name__)
            return Diagnostic(pos, path, f"expected a mapping, got {got}", "for example: provider: {type: local}")
        return Diagnostic(pos, path, "missing `type`", "add type: local (embedded) or type: wechat")
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == OPENID_PATTERN:
        return Diagnostic(pos, path, _openid_problem(str(err.get("input"))), _OPENID_HINT)
    if kind == "string_pattern_mismatch":
        return Diagnostic(pos, path, f"{quoted(err.get('input'))} has the wrong form", _pattern_hint(loc))
    if kind == "value_error":
        return Diagnostic(pos, path, str(err["msg"]).removeprefix("Value error, "), "fix the value as described")
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long", "greater_than_equal",
                "less_than_equal", "greater_than", "less_than"):
        return Diagnostic(pos, path, str(err["msg"]).lower().replace("list", "the list"), "adjust the value")
    return Diagnostic(pos, path, str(err["msg"]), "see the spec reference in the README")


_OPENID_HINT = (f"an OpenID is {OPENID_LENGTHS[0]} to {OPENID_LENGTHS[1]} letters (capital and small: keep their "
                "case), digits, '-' and '_': copy it again from where you read it, without the spaces or "
                "punctuation around it")


def _openid_problem(openid: str) -> str:
    """What is wrong with a malformed OpenID, without the OpenID: personal data, never printed."""
    allowed = re.compile(f"[{OPENID_CHARS}]")
    bad = next((at for at, ch in enumerate(openid) if not allowed.fullmatch(ch)), None)
    if bad is not None:
        what = f"has {describe(openid[bad])} at character {bad + 1} of {len(openid)}, which an OpenID never holds"
    else:
        what = f"is {len(openid)} characters long, outside an OpenID's {OPENID_LENGTHS[0]} to {OPENID_LENGTHS[1]}"
    return f"this OpenID {what} (the OpenID is not shown: it is personal data)"


def _yaml_type(python_type: str) -> str:
    return {"str": "text", "int": "a number", "float": "a number", "bool": "true/false", "NoneType": "nothing",
            "PosDict": "a mapping", "PosList": "a list", "date": "a date"}.get(python_type, python_type)


def _pattern_hint(loc: Loc) -> str:
    field = loc[-1]
    if field in SECRET_FIELDS:
        suffix = {"app_secret": "SECRET", "token": "TOKEN", "encoding_aes_key": "AES_KEY"}.get(str(field), "...")
        return f"secrets come from the environment: write ${{OASPEC_<ACCOUNT>_{suffix}}} and set that variable"
    if field == "variable":
        return "name an environment variable OASPEC_* (capital letters, digits and '_'), e.g. OASPEC_STATE_PROD"
    if field == "app_id":
        return "an AppID is 'wx' and 16 letters or digits, as shown in the console"
    return "use lowercase letters, digits, '-' and '_', starting with a letter or digit"


def _fields_at(loc: Loc) -> set[str]:
    """Field names of the model(s) at `loc`, for 'did you mean' suggestions."""
    models: list[type[BaseModel]] = [Spec]
    for elem in loc:
        if not isinstance(elem, str):
            continue
        following = [_models_in(m.model_fields[elem].annotation) for m in models if elem in m.model_fields]
        if following:
            models = [m for group in following for m in group]
    return {name for m in models for name in m.model_fields} | ({"include"} if models == [Spec] else set())


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        args = args[:1]
    elif not args and isinstance(annotation, types.UnionType):
        args = annotation.__args__
    return [m for a in args for m in _models_in(a)]


__all__ = ["SpecError", "check", "validate"]
