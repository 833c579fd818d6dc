"""Revisions, locks and the audit trail, kept in the state directory (local backend)."""
