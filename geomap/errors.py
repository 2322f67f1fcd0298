"""One exception hierarchy, so the CLI can turn any failure into one clear line and an exit code."""

from __future__ import annotations


class GeomapError(Exception):
    """Base class of every error geomap raises on purpose."""

    exit_code = 1


class InputError(GeomapError):
    """Bad input from a user's file: it knows where (file, line, column) when it can."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: str | int | None = None):
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        super().__init__(self.location_prefix() + message)

    def location_prefix(self) -> str:
        parts = []
        if self.path:
            parts.append(str(self.path))
        if self.line is not None:
            parts.append(str(self.line))
        prefix = ":".join(parts)
        if self.column is not None:
            prefix += f"{': ' if prefix else ''}column {self.column}"
        return f"{prefix}: " if prefix else ""


class GazetteerError(InputError):
    """A gazetteer file cannot be used as it is."""


class GazetteerProblems(GazetteerError):
    """Validation found errors: all of them, one per line, in the order of the file."""

    subject = "the gazetteer"

    def __init__(self, problems):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.is_error]
        super().__init__(f"{len(errors)} error(s) in {self.subject}; nothing was built:\n"
                         + "\n".join(str(p) for p in errors))


class ManifestProblems(GazetteerProblems):
    """A seeds folder's manifest.csv has errors: all of them, like the gazetteer's."""

    subject = "the documents' manifest"


class GeocoderError(GeomapError):
    """The online geocoder failed in a way the build must report."""


class ClusterError(GeomapError):
    """The Dask cluster of ``--dask`` cannot be reached or used, or failed on a document."""


class RenderError(GeomapError):
    """The map could not be rendered (e.g. an asset with no local copy)."""


class OutputError(GeomapError):
    """The output folder cannot be written (read-only, full, not a folder); the old one is unchanged."""

    exit_code = 3
