from __future__ import annotations


class SourceFormatError(ValueError):
    """Input does not have the layout its publisher documents; the message names file, row and field."""

    def __init__(self, file: str, problem: str, row: int | None = None, field: str | None = None):
        where = file
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {problem}")
        self.file, self.row, self.field = file, row, field
