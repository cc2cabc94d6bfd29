"""fzcheck: declarative compliance rules for China's rule-of-law government requirements."""

__version__ = "0.1.0"
