"""Errors a user can act on. The CLI prints them as one line (or one line per location), never a traceback."""

from __future__ import annotations


class OaspecError(Exception):
    """A failure with a message that says what went wrong and what to do."""


class ProviderError(OaspecError):
    """A live account could not be read or written."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class PartlyWritten(ProviderError):
    """The change took effect, but a step after it did not: `left` says what it left behind (a replaced
    conditional menu's old copy), which the next plan cleans up."""

    def __init__(self, message: str, left: str, code: int | None = None) -> None:
        super().__init__(message, code)
        self.left = left
