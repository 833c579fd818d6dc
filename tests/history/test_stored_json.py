"""The state's JSON reader: a record nested deeper than oaspec writes is refused as corrupt, never a crash."""

from __future__ import annotations

import pytest

from oa_spec.history import stored_json


def test_records_as_oaspec_writes_them_read_back() -> None:
    nested = "[" * stored_json.MAX_DEPTH + "]" * stored_json.MAX_DEPTH
    assert stored_json.parse_object('{"a": [1, {"b": null}], "c": "x"}') == {"a": [1, {"b": None}], "c": "x"}
    assert stored_json.parse(nested) is not None


@pytest.mark.parametrize("text", ["[" * 200_000, "[" * 101 + "]" * 101, '{"a":' * 150 + "1" + "}" * 150])
def test_json_nested_too_deeply_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        stored_json.parse(text)


def test_a_record_that_must_be_an_object_is_refused_otherwise() -> None:
    with pytest.raises(ValueError, match="not a JSON object"):
        stored_json.parse_object("[1]")
