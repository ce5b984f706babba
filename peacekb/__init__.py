"""peacekb: a knowledge base of peace negotiations, kept as plain YAML in git."""

__version__ = "0.2.0"

# Where peacekb's source lives: the default install source and pre-commit hook repository of the
# knowledge bases that `peacekb init` starts (pyproject.toml's [project.urls] names the same).
REPOSITORY = "https://github.com/peacekb/peacekb"
