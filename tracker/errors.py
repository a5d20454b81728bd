"""Typed errors. Each one says what went wrong and how to fix it; the CLI prints it as one line."""


class TrackerError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing sentence that names the fix."""

    code = "T000"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return f"[{self.code}] {self.message}"

    @property
    def message(self) -> str:
        """The sentence without its ``[Txxx]`` code (to wrap it in another error)."""
        return Exception.__str__(self)


class ConfigError(TrackerError):
    code = "T001"


class StoreError(TrackerError):
    code = "T002"


class MigrationError(StoreError):
    code = "T003"


class StageBusy(StoreError):
    """Another process is running the same stage on the same database."""

    code = "T004"


class StoreReadOnly(StoreError):
    """A writing command was pointed at a database (or folder) it may not write."""

    code = "T005"


class Interrupted(TrackerError):
    """Ctrl-C (SIGINT) stopped a stage; ``str(err)`` says what was saved and what is left to do."""

    code = "T006"


class FetchError(TrackerError):
    """A feed or page could not be fetched (network, HTTP status, size cap, timeout). ``unreachable``: the host
    did not resolve, refused or timed out connecting (the collector then skips it for the rest of the pass);
    ``permanent``: trying again will not help (a 4xx answer, not an article page), so the page queue gives up."""

    code = "T010"

    def __init__(self, message: str, *, unreachable: bool = False, permanent: bool = False):
        super().__init__(message)
        self.unreachable = unreachable
        self.permanent = permanent


class FeedParseError(TrackerError):
    code = "T011"


class InputError(TrackerError):
    """Input that is not usable text: binary data, an undecodable encoding, an empty file."""

    code = "T012"


class ModelError(TrackerError):
    """An NLP model package is missing or corrupt."""

    code = "T020"


class SecuritiesError(TrackerError):
    code = "T030"


class EvalError(TrackerError):
    code = "T040"


class LinkError(TrackerError):
    """A claim cannot be linked as asked (``tracker link``)."""

    code = "T060"


class FeedError(TrackerError):
    """A feed cannot be added or removed as asked (not an http(s) URL, listed in the config, unknown id)."""

    code = "T013"
