"""The errors the fulcrum package raises, one class per kind of failure (the C API's statuses).

Each carries the whole message as the CLI prints it (`str(error)`), the C API's `status`, and
`diagnostics`: a list of `Diagnostic` (file, line, column, severity, kind, message, hint, and for
a data error the table and the offending value)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int  # 1-based; 0 when the diagnostic is about a whole file
    column: int
    severity: str  # `error`, `warning` or `note`
    kind: str  # `UnknownName`, `BadCell`...
    message: str
    hint: str = ""
    table: str = ""
    value: str = ""

    def __str__(self):
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message}"


class Error(Exception):
    """Any failure of a fulcrum call; also raised for a defect inside fulcrum (status 70)."""

    def __init__(self, message, status=70, diagnostics=()):
        super().__init__(message)
        self.message = message
        self.status = status
        self.diagnostics = list(diagnostics)

    def __reduce__(self):
        # Pickled whole (a Dask task's error reaches the client with its status and diagnostics).
        return (type(self), (self.message, self.status, self.diagnostics))


class CompileError(Error):
    """The framework's source has errors (status 1)."""


class DataError(Error):
    """Bad data, an unreadable file, or the memory limit (status 2)."""


class UsageError(Error, ValueError):
    """A bad argument: an unknown framework, table or param, a bad period (status 64)."""


class CancelledError(Error):
    """The run was cancelled (status 4)."""


_BY_STATUS = {1: CompileError, 2: DataError, 4: CancelledError, 64: UsageError}


def from_status(status, message, diagnostics):
    """The exception for a failed C call (called by the native module)."""
    kind = _BY_STATUS.get(status, Error)
    return kind(message, status, [Diagnostic(**d) for d in diagnostics])
