"""The command-line interface: parses arguments, calls the library, renders the result."""

from peacekb.cli.app import app, main

__all__ = ["app", "main"]
