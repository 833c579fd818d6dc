"""State backends: where oaspec keeps revisions, locks, the audit trail and ownership between runs."""
