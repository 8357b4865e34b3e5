"""Resource limits for reading workbooks: generous for real directories, fatal for bombs.

A real national directory has tens of thousands of rows; these limits are far above that and far
below what would exhaust an old laptop. They are documented in docs/security.md.
"""

from __future__ import annotations

MAX_FILE_BYTES = 100 * 1024 * 1024  # the .xlsx file itself
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024  # sum of the archive members' declared sizes
MAX_MEMBER_RATIO = 200  # declared uncompressed / compressed size of one member (zip bombs are ~1000+)
MAX_MEMBERS = 10_000
MAX_ROWS = 30_000  # per sheet; validate and build stay under 1 GB of memory here (docs/benchmark.md)
MAX_COLUMNS = 300
MAX_CELL_CHARS = 10_000  # longer text is an error for that cell (Excel's own limit is 32,767)
# Counted in the XML before openpyxl sees it: the parse work of a file that stays under the byte limits.
MAX_SHARED_STRINGS = 1_000_000  # openpyxl loads every shared string into memory when it opens the file
MAX_CELLS = 10_000_000  # all sheets together; openpyxl parses every cell of a row, even far-right ones
