"""fzcheck.rulesets."""
