"""The one place privacy is decided: selection rules, the published view, presentation."""
