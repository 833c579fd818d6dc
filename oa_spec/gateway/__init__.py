"""The reply gateway: answers an account's callback messages from its applied configuration (issue 13)."""
