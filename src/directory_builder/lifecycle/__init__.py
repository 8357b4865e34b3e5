"""Between editions: the diff and the staff report."""
