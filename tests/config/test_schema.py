"""schemas/*.json are the models' JSON Schema, kept in sync, and they say what an editor can check as
you type: every example and every good spec of the suite fits them (checked with jsonschema, as an
editor's YAML plugin checks), and the bad specs whose fault a JSON Schema can express are refused."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from oa_spec.config.model import json_schema
from testing import EXAMPLES, ROOT
from testing.cli import run_cli
from testing.convergence import account_spec
from tests.cli.test_wechat_account import SPEC as EMULATOR_SPEC
from tests.config.test_bad_specs import CASES, Bad, all_button_types, at_the_limits
from tests.plan.test_ownership import SPEC as OWNERSHIP_SPEC

SCHEMA_FILE = ROOT / "schemas" / "oaspec.schema.json"
INCLUDED_SCHEMA_FILE = ROOT / "schemas" / "oaspec-included.schema.json"
REGENERATE = {False: "oaspec schema > schemas/oaspec.schema.json",
              True: "oaspec schema --included > schemas/oaspec-included.schema.json"}
EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.yaml"))
MAIN_SPECS = sorted(EXAMPLES.glob("*/oaspec.yaml"))
MAIN = Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
INCLUDED = Draft202012Validator(json.loads(INCLUDED_SCHEMA_FILE.read_text(encoding="utf-8")))

# The bad specs (tests/config/test_bad_specs.py) that the published schema refuses too: unknown keys,
# wrong types, missing fields, patterns, constants. The others need what a JSON Schema cannot say
# (sizes in UTF-8 bytes, names declared elsewhere, duplicates, files) or what the generated schema does
# not say yet (item counts, the fields each button type requires): validate finds those.
SCHEMA_REFUSES = {
    "unknown-field-sub_button", "unknown-top-level-field", "unknown-account-field", "privacy-match-field",
    "list-where-mapping", "text-where-list", "number-where-text", "mapping-where-list", "text-where-number",
    "boolean-as-a-day-of-the-month", "boolean-among-weekdays", "boolean-as-a-phase", "boolean-as-max_phase",
    "empty-account-item", "unknown-button-type", "billion-laughs", "recursive-alias",
    "literal-secret-in-app_secret", "malformed-app_id", "unknown-provider-type", "include-not-a-list",
    "included-file-with-bank-settings", "invalid-id", "version-2", "missing-bank", "empty-file",
    "only-comments", "top-level-list",
}


class EditorLoader(yaml.CSafeLoader):
    """YAML as an editor's YAML 1.2 plugin reads it: only true/false are booleans (`on:` and `no` are
    text) and dates stay text. libyaml parses (the pure-Python parser took seconds over the examples);
    the resolvers below, which decide the types, run in Python either way."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
EditorLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def editor_yaml(text: str) -> Any:
    return yaml.load(text, Loader=EditorLoader)  # a SafeLoader: no Python objects


def schema_errors(text: str, included: bool = False) -> list[str]:
    """What the schema says of one file's text: `path: message` per error, none when it fits."""
    validator = INCLUDED if included else MAIN
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(editor_yaml(text))]


# --- the files are up to date ----------------------------------------------------------------------------
@pytest.mark.parametrize("included", [False, True], ids=["main", "included"])
def test_the_schema_files_are_up_to_date(included: bool) -> None:
    path = INCLUDED_SCHEMA_FILE if included else SCHEMA_FILE
    assert path.is_file(), f"{path} is missing: generate it with `{REGENERATE[included]}`"
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk == json_schema(included), (
        f"{path.relative_to(ROOT)} is out of date with oa_spec/config/model.py: regenerate it with "
        f"`{REGENERATE[included]}` and commit it")
    Draft202012Validator.check_schema(on_disk)  # and it is a valid JSON Schema (2020-12)


def test_the_included_schema_asks_for_neither_version_nor_bank() -> None:
    schema = json_schema(included=True)
    assert set(schema["properties"]) == {"accounts", "include"} and "required" not in schema


def test_oaspec_schema_prints_the_schema(tmp_path: Path) -> None:
    result = run_cli("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json_schema()
    assert "\\u" not in result.stdout  # the Chinese in descriptions stays readable


# --- the examples ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", MAIN_SPECS, ids=lambda p: p.parent.name)
def test_the_examples_validate(spec: Path, tmp_path: Path) -> None:
    secrets = {name: "set-for-the-test" for f in spec.parent.rglob("*.yaml")
               for name in re.findall(r"\$\{(\w+)\}", f.read_text(encoding="utf-8"))}
    allowed = {"OASPEC_ALLOWED_API_BASES": "http://127.0.0.1:8790"}  # the emulator example's, as it says
    result = run_cli("validate", "-f", str(spec), cwd=tmp_path, env={**secrets, **allowed})
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_file_points_editors_at_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, f"{path} should start with the yaml-language-server modeline"
    included = path not in MAIN_SPECS  # files pulled in by include: have no version and no bank
    assert (path.parent / match.group(1)).resolve() == (INCLUDED_SCHEMA_FILE if included else SCHEMA_FILE).resolve()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_file_fits_its_schema(path: Path) -> None:
    assert schema_errors(path.read_text(encoding="utf-8"), included=path not in MAIN_SPECS) == []


# --- the suite's good specs ------------------------------------------------------------------------------
GOOD_SPECS = {
    "at-every-limit": at_the_limits(),
    "every-button-type": all_button_types(),
    "cli-against-the-emulator": EMULATOR_SPEC.replace("@API_BASE@", "http://127.0.0.1:8790"),
    "ownership": OWNERSHIP_SPEC.format(extra_tags="      - {name: 银发客户, renamed_from: 老年客户}",
                                       extra="    adopt: {tags: [CRM高价值]}\n    prune: {tags: true}",
                                       provider="    provider: {type: local}\n"),
}


@pytest.mark.parametrize("text", GOOD_SPECS.values(), ids=GOOD_SPECS.keys())
def test_the_suites_good_specs_fit_the_schema(text: str) -> None:
    assert schema_errors(text) == []


@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_every_generated_spec_fits_the_schema(data: st.DataObject) -> None:
    """The property suites' generator (testing/convergence.py) makes specs validate accepts; each fits."""
    providers: list[dict[str, Any]] = [{"type": "local"}, {
        "type": "wechat", "app_id": "wx0123456789abcdef", "app_secret": "${OASPEC_TEST_SECRET}",
        "api_base": "http://127.0.0.1:8790", "timeout_seconds": 0.3}]
    account = data.draw(account_spec(data.draw(st.sampled_from(providers))))
    text = yaml.safe_dump({"version": 1, "bank": "示例银行", "accounts": [account]}, allow_unicode=True)
    assert schema_errors(text) == []


# --- the bad specs ---------------------------------------------------------------------------------------
def _loadable(case: Bad) -> bool:
    """Whether an editor gets as far as the schema: the YAML parses (no syntax error, valid UTF-8)."""
    try:
        editor_yaml(case.raw.decode("utf-8") if case.raw is not None else case.text)
        for text in case.files.values():
            editor_yaml(text)
    except (yaml.YAMLError, UnicodeDecodeError):
        return False
    return True


@pytest.mark.parametrize("case", [c for c in CASES if _loadable(c)], ids=lambda c: c.id)
def test_the_schema_refuses_the_bad_specs_it_can_express(case: Bad) -> None:
    text = case.raw.decode("utf-8") if case.raw is not None else case.text
    errors = schema_errors(text) + [error for name, included in case.files.items() if name.endswith(".yaml")
                                    for error in schema_errors(included, included=True)]
    if case.id in SCHEMA_REFUSES:
        assert errors, f"{case.id}: the schema no longer refuses this spec"
    else:
        assert errors == [], f"{case.id}: the schema now refuses it too: add it to SCHEMA_REFUSES"


def test_the_list_of_refused_cases_names_real_cases() -> None:
    assert {c.id for c in CASES} >= SCHEMA_REFUSES
