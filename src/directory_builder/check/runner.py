"""Runs the pure row checker (``rows.py``) over a Services sheet: the row cache, worker processes, memory.

Rows unchanged since the last run come from the row cache (``rowcache.py``); the others are checked here
and, for a big workbook, in forked children as well (``forkwork.py``). A row whose check fails in a way
nobody foresaw becomes a problem of that row, with the details in the log (``--debug``): it is never
dropped without a word, and the other rows go on being checked.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Sequence
from typing import Any

from directory_builder.check.compact import Compactor
from directory_builder.check.problems import make_problem
from directory_builder.check.rowcache import RowCache
from directory_builder.check.rows import RowOutcome, ServicesContext, check_row
from directory_builder.util import forkwork
from directory_builder.workbook.reader import RawSheet

log = logging.getLogger(__name__)


def check_row_safely(ctx: ServicesContext, row: int, cells: dict[int, Any]) -> RowOutcome:
    """``check_row``, with an unexpected failure turned into a problem of the row (and logged in full)."""
    try:
        return check_row(ctx, row, cells)
    except Exception as exc:  # a bug, not bad input: say so on the row, keep the details for --debug
        log.debug("Checking %s row %d failed", ctx.sheet, row, exc_info=True)
        return RowOutcome(None, [make_problem("row-check-failed", sheet=ctx.sheet, row=row,
                                              reason=type(exc).__name__)])


class RowRunner:
    """Checks the rows of one Services sheet; ``consume`` lets each row's cells go once it is checked."""

    def __init__(self, sheet: RawSheet, ctx: ServicesContext, cache: RowCache | None, *, consume: bool) -> None:
        self.sheet = sheet
        self.ctx = ctx
        self.cache = cache
        self.consume = consume
        self._compactor = Compactor()
        self._big = len(sheet.rows) > forkwork.MAX_ITEMS
        self._parent = os.getpid()

    def run(self, keys: Sequence[bytes]) -> list[RowOutcome]:
        """Every row's outcome, in the sheet's order; ``keys``: each row's ``rowcache.row_key``."""
        outcomes: dict[int, RowOutcome] = {}
        for i in range(len(self.sheet.rows)):
            entry = self.cache.get(keys[i]) if self.cache is not None else None
            if entry is not None:
                outcomes[i] = self._compact(RowOutcome(*entry), unpickled=True)
                self._release((i,))
        todo = [i for i in range(len(self.sheet.rows)) if i not in outcomes]
        outcomes.update(self._share_out(todo, keys))
        return [outcomes.pop(i) for i in range(len(self.sheet.rows))]

    def _release(self, indices: Sequence[int]) -> None:
        """Let the cells of rows already checked go (only here: a forked child leaves its copy alone)."""
        if self.consume and os.getpid() == self._parent:
            rows = self.sheet.rows
            for i in indices:
                rows[i] = (rows[i][0], {})

    def _check(self, indices: Sequence[int]) -> dict[int, RowOutcome]:
        checked = {}
        for i in indices:
            row, cells = self.sheet.rows[i]
            checked[i] = self._compact(check_row_safely(self.ctx, row, cells))
            self._release((i,))
        return checked

    def _compact(self, outcome: RowOutcome, *, unpickled: bool = False) -> RowOutcome:
        """The row's service with one copy of what services repeat (``compact.py``): 40 % of the model."""
        if outcome.service is not None:
            # Sharing the codes of a service read back from a pickle costs 50 us a row: worth it only for the
            # big workbooks where memory, not time, is what runs out.
            self._compactor.service(outcome.service, unpickled=unpickled and self._big)
        return outcome

    def _share_out(self, todo: list[int], keys: Sequence[bytes]) -> dict[int, RowOutcome]:
        """The rows ``todo``: a share here, the others in forked children when it pays (``forkwork.py``);
        every result goes into the row cache as well."""
        cache = self.cache
        results: dict[int, RowOutcome] = {}

        def keep(i: int, outcome: RowOutcome, blob: bytes | None = None) -> None:
            results[i] = outcome if blob is None else self._compact(outcome, unpickled=True)  # _check did its own
            if cache is not None:
                if blob is None:
                    cache.put(keys[i], outcome.service, outcome.problems)
                else:
                    cache.put_pickled(keys[i], blob)

        def check_to_bytes(indices: Sequence[int]) -> bytes:  # in a child process
            # Row by row, each service pickled and dropped at once: the child never holds its share's model.
            return pickle.dumps([(i, _pickled(self._check((i,))[i])) for i in indices],
                                protocol=pickle.HIGHEST_PROTOCOL)

        mine, *theirs = forkwork.split(todo)
        children = forkwork.Children(check_to_bytes, theirs) if theirs else None
        try:
            for i, outcome in self._check(mine).items():
                keep(i, outcome)
            for share, data in zip(theirs, children.results() if children else [], strict=True):
                if data is None:  # the child failed: check its rows here
                    for i, outcome in self._check(share).items():
                        keep(i, outcome)
                else:
                    self._release(share)
                    for i, blob in pickle.loads(data):
                        keep(i, RowOutcome(*pickle.loads(blob)), blob)
        finally:
            if children is not None:
                children.stop()
        return results


def _pickled(outcome: RowOutcome) -> bytes:
    """As the row cache keeps an entry (``RowCache.put``): (service, problems)."""
    return pickle.dumps((outcome.service, outcome.problems), protocol=pickle.HIGHEST_PROTOCOL)

