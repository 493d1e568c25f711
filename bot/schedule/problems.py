"""Problems found in a schedule file: where (sheet, row, column) and what, in any language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.i18n import _, use_lang

EMPTY_PARAMS: Mapping[str, object] = MappingProxyType({})


class Msgid(str):
    """A parameter that is itself a message id (a kind's name): translated when shown."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file; ``message`` is an English msgid with ``{name}`` fields."""

    message: str
    params: Mapping[str, object] = field(default_factory=lambda: EMPTY_PARAMS)
    sheet: str = ""
    row: int | None = None
    column: str = ""
    by_line: bool = False
    """Rows of the text form are line numbers."""

    def explain(self) -> str:
        """The problem as a sentence in the active language."""
        params = {k: _(v) if isinstance(v, Msgid) else v for k, v in self.params.items()}
        return _(self.message).format(**params)

    def text(self, lang: str | None = None) -> str:
        """Location and explanation, e.g. 'Lịch học, row 7, column C (Ngày): …'."""
        if lang is not None:
            with use_lang(lang):
                return self.text()
        problem = self.explain()
        if self.row is not None and self.column:
            template = (
                _("{sheet}, line {row}, field {column}: {problem}")
                if self.by_line
                else _("{sheet}, row {row}, column {column}: {problem}")
            )
        elif self.row is not None:
            template = (
                _("{sheet}, line {row}: {problem}")
                if self.by_line
                else _("{sheet}, row {row}: {problem}")
            )
        elif self.column:
            template = _("{sheet}, column {column}: {problem}")
        elif self.sheet:
            template = _("{sheet}: {problem}")
        else:
            return problem
        return template.format(sheet=self.sheet, row=self.row, column=self.column, problem=problem)

    def sort_key(self) -> tuple[str, int, str]:
        return (self.sheet, self.row or 0, self.column)


class ScheduleProblems(Exception):
    """A schedule file was refused; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the schedule file")

    def lines(self, lang: str | None = None) -> list[str]:
        return [p.text(lang) for p in self.problems]
