"""fzcheck.cli."""
