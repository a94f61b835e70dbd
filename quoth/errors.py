"""Errors quoth reports to users as one clear line (never a traceback)."""


class QuothError(Exception):
    """A problem with the input that the user can fix; str(e) is the one-line message."""
