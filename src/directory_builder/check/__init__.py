"""Checking a workbook: cell parsing, the row checker, cross-row rules, the runner and its cache."""
