"""fzcheck.engine."""
