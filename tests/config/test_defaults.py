"""A model-valued field default is built without validation (`StrictModel.at_defaults`), so that importing the
models builds no validator: each such default must be exactly what validating it gives."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from oa_spec.config.fields import StrictModel

MODULES = ("oa_spec.config.model", "oa_spec.config.model_safety", "oa_spec.config.model_services")


def _models() -> list[type[StrictModel]]:
    found = [value for name in MODULES for value in vars(importlib.import_module(name)).values()
             if isinstance(value, type) and issubclass(value, StrictModel) and value.__module__ in MODULES]
    return sorted(set(found), key=lambda model: model.__name__)


def _model_defaults() -> list[tuple[str, StrictModel]]:
    return [(f"{model.__name__}.{name}", field.default) for model in _models()
            for name, field in model.model_fields.items() if isinstance(field.default, StrictModel)]


def test_the_model_defaults_are_found() -> None:
    assert {"AccountSpec.replies", "AccountSpec.provider", "Spec.policies", "StreamSpec.audience"} <= {
        where for where, _ in _model_defaults()}


@pytest.mark.parametrize(("where", "default"), _model_defaults())
def test_each_model_default_is_what_validating_it_gives(where: str, default: StrictModel) -> None:
    validated = type(default).model_validate(default.model_dump(by_alias=True))
    assert validated == default and validated.model_dump() == default.model_dump(), where


def test_importing_the_models_builds_no_validator() -> None:
    code = ("import importlib, pydantic; from pydantic._internal._mock_val_ser import MockValSer\n"
            f"mods = [importlib.import_module(m) for m in {MODULES!r}]\n"
            "built = [n for m in mods for n, c in vars(m).items() if isinstance(c, type)\n"
            "         and issubclass(c, pydantic.BaseModel) and c.__module__ == m.__name__\n"
            "         and not isinstance(c.__pydantic_validator__, MockValSer)]\n"
            "print(built)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"  # MockValSer: the stand-in pydantic leaves until a validator is built
