"""peacekb: a knowledge base of peace negotiations, kept as plain YAML in git."""

__version__ = "0.1.0"
