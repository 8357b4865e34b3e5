"""The list every check writes its problems to: one way to say "this cell has this problem"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from directory_builder.check.parse import Issue
from directory_builder.check.problems import Problem, make_problem


@dataclass
class Recorder:
    """Problems in the order they were found (sorted once at the end, by ``validate``)."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, code: str, *, sheet: str | None, row: int | None = None, col: int | None = None,
            column: str | None = None, severity: Any = None, **params: Any) -> None:
        self.problems.append(make_problem(code, sheet=sheet, row=row, col=col, column=column, severity=severity,
                                          **params))

    def issue(self, issue: Issue, *, sheet: str, row: int | None, col: int | None, column: str | None) -> None:
        """A problem a parser found in one cell (``parse.Issue``), placed at that cell."""
        self.add(issue.code, sheet=sheet, row=row, col=col, column=column, severity=issue.severity, **issue.params)
