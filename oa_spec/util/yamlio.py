"""YAML through libyaml when PyYAML was built with it (CSafeLoader, about ten times faster), else the
pure-Python SafeLoader: the same documents, the same safe subset."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_packaged(package: str, name: str) -> object:
    """A YAML data file shipped inside `package` (e.g. the policy lexicons)."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=SafeLoader)
