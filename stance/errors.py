"""Errors the library raises; the CLI turns each into one line on stderr."""


class StanceError(Exception):
    """Base class: the message says what failed, where, and what to try next."""


class InputError(StanceError):
    """An input file, folder or record cannot be read or is unusable."""


class ModelError(StanceError):
    """A model cannot be found, verified, converted or loaded."""


class DatasetError(StanceError):
    """A dataset does not match its task (missing fields, bad rows)."""
