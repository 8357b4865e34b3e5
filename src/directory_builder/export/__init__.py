"""The exporters (HSDS 3.0, HXL, JSON): pure functions from the published directory to bytes.

Each export obeys the edition's publishing rules exactly like the directories: the rows and fields come
from ``selection.published_directory`` and nowhere else. Each is registered as an output (``outputs/``);
the ``export`` command's driver, which validates the workbook (a workbook with errors exports nothing) and
writes the files through ``util/storage.py``, is ``build/export.py``. Exports are readable by their owner
only (files 0600, folders 0700): they go to other systems, not to a web site.
"""
