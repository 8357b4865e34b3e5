"""directory-builder: Directories of Services for trafficking victims, from one Excel workbook."""

__version__ = "0.1.0"
