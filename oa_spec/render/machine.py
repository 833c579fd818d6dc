"""The plan for machines. Stable: `format_version` changes when a field changes meaning.

Top level: format_version, created_at, spec_path, source, state, has_changes, allow_destroy, summary, findings[]
(bank-wide policy findings), accounts[].
Each account: account, provider, live_fingerprint, desired_digest, notes[], guard[], findings[], desired,
changes[].
Each change: address, action (create|update|replace|delete), kind, key, before, after, reason, writable.
"""

from __future__ import annotations

import json
from collections import Counter

from oa_spec.plan.model import Plan
from oa_spec.util.display import json_safe


def render_json(plan: Plan) -> str:
    data = plan.to_json()
    counts = Counter(c.action for a in plan.accounts for c in a.actionable)
    data["summary"] = {action: counts[action] for action in ("create", "update", "replace", "delete")}
    # json.dumps escapes C0 controls; json_safe also escapes bidirectional and invisible characters, so a
    # reviewer reading the file in a terminal sees what the names are (the data is the same).
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
