"""Errors that proplens reports to a person as one clear line.

Everything a user can cause (a missing file, bad UTF-8, a malformed label line)
raises a subclass of :class:`ProplensError`; the CLI prints its message on
stderr and exits non-zero, the server turns it into a 4xx JSON answer.
"""


class ProplensError(Exception):
    """Base class: the message is meant for the user, not for a developer."""

    exit_code = 2


class InputError(ProplensError):
    """An article or file the user gave cannot be read as text."""


class FormatError(ProplensError):
    """A label, template or JSON file does not follow its format."""


class ModelError(ProplensError):
    """The model is missing, tampered with, or was built for another version."""

    exit_code = 3


def install_hint(extra: str) -> str:
    """The command that adds an optional extra, as it works from a clone.

    proplens is installed from a clone, not from PyPI, so ``pip install
    'proplens[x]'`` finds nothing; ``-e`` adds the extra to the editable install
    instead of replacing it with a copy of the tree.
    """
    return f"pip install -e '.[{extra}]'"
