"""Domain errors. The CLI turns them into a one-line message and a non-zero exit; the web into an HTTP status.

The message is English (logs, the CLI, the API); ``indonesian``, when given, is what the dashboard shows in
Indonesian (``citra.web.messages`` renders the common ones that have none)."""


class CitraError(Exception):
    """Base class of every error citra reports to a user."""

    exit_code = 1
    http_status = 400
    indonesian = ""

    def __init__(self, *args: object, indonesian: str = "") -> None:
        super().__init__(*args)
        if indonesian:
            self.indonesian = indonesian


class ConfigError(CitraError):
    """The workspace or its citra.toml is missing or invalid."""

    exit_code = 2


class SourceError(CitraError):
    """An input file or feed cannot be read or recognised."""

    exit_code = 3
    http_status = 422


class NotFound(CitraError):
    """A thing asked for does not exist."""

    exit_code = 4
    http_status = 404


class Forbidden(CitraError):
    """The user's role (or OPD) does not allow this change."""

    http_status = 403
