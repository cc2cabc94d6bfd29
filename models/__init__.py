"""fzcheck.models."""
