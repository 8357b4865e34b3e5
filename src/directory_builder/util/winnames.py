"""The file names Windows refuses, so that no output is ever given one.

Staff open the folders on Windows laptops, copy them to USB sticks (FAT32, exFAT) and share them from
macOS: a name valid on Linux can be one these systems refuse, or one that lands on the same file as
another. The district file names (``slug.py``) are made from workbook text, so they are checked against
these rules; the tests pass every file a build writes through ``windows_refuses`` and ``case_clashes``.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Device names: ``CON.pdf`` or ``nul.txt`` opens the device, whatever the extension (and with trailing
#: spaces). Windows 11 also reserves the superscript digits after COM and LPT.
DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789¹²³"}
)
#: Characters no Windows file name may hold (besides the control characters).
RESERVED_CHARACTERS = frozenset('<>:"/\\|?*')
#: NTFS, exFAT and most Linux file systems stop at 255 (UTF-16 units or bytes): the stricter of the two.
MAX_NAME_BYTES = 255


def windows_refuses(name: str) -> str | None:
    """Why Windows (or a FAT/exFAT stick) would refuse ``name`` as one file or folder name, or None."""
    if name in ("", ".", ".."):
        return "an empty name"
    bad = sorted({c for c in name if c in RESERVED_CHARACTERS or ord(c) < 32})
    if bad:
        return f"the characters {''.join(bad)!r}"
    if name[-1] in ". ":
        return "a name ending with a dot or a space"
    if name.split(".")[0].rstrip(" ").casefold() in DEVICE_NAMES:
        return "a device name"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES or len(name.encode("utf-16-le")) // 2 > MAX_NAME_BYTES:
        return f"more than {MAX_NAME_BYTES} bytes"
    return None


def case_clashes(paths: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of relative paths that are one file where case is ignored (Windows, macOS): 'Jakarta.pdf' and
    'JAKARTA.pdf'."""
    seen: dict[str, str] = {}
    clashes = []
    for path in paths:
        key = path.casefold()
        if key in seen and seen[key] != path:
            clashes.append((seen[key], path))
        seen.setdefault(key, path)
    return clashes
