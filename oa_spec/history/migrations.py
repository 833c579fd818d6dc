"""Upgrade stored records written by an older oaspec to the schema this one reads.

Each record carries `schema_version`. A change to the record's shape bumps the version in its module
(revisions.py: SCHEMA_VERSION) and registers one step here, from the old version to the next:

    @REVISIONS.step(from_version=1)
    def _split_user(record: Record) -> Record:
        ...

Records are upgraded as they are read and never rewritten on disk: history is evidence, and a file
an auditor has a digest of must keep that digest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Record = dict[str, Any]
Step = Callable[[Record], Record]


class Migrations:
    """A registry of single steps, v -> v+1, applied in order up to the current version."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.steps: dict[int, Step] = {}

    def step(self, from_version: int) -> Callable[[Step], Step]:
        def register(fn: Step) -> Step:
            if from_version in self.steps:
                raise ValueError(f"{self.kind}: a migration from schema_version {from_version} already exists")
            self.steps[from_version] = fn
            return fn

        return register

    def upgrade(self, record: Record, current: int) -> Record:
        """`record` at schema_version `current`. Raises ValueError for a version it cannot read."""
        version = record.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ValueError(f"schema_version {version!r} is not a version number")
        if version > current:
            raise ValueError(f"schema_version {version} was written by a newer oaspec (this one reads up to "
                             f"{current}): upgrade oaspec")
        while version < current:  # terminates: each step moves one version up
            step = self.steps.get(version)
            if step is None:
                raise ValueError(f"no migration of {self.kind} from schema_version {version} to {version + 1}")
            record = step(dict(record))
            version += 1
            record["schema_version"] = version
        return record


# Revision records (history/revisions.py). Version 1 is the first; no step is needed yet.
REVISIONS = Migrations("revision records")
