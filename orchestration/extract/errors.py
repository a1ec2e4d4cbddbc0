from __future__ import annotations

import json


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


def parse_json(payload: bytes | str, file: str):
    """The document of a JSON response; a body that does not parse (often cut off in transit) names where it broke."""
    try:
        return json.loads(payload)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(file, f"response is not valid JSON ({exc.msg} at char {exc.pos}; truncated?)") from exc
