"""Editor and linter settings that agree with `peacekb fmt`, for this repository and for `init`.

VS Code's YAML extension formats on request (and on save, where that is on) in a layout of its
own, which `fmt --check` would then report: its formatter is turned off for YAML files, and so is
format-on-save, so that `peacekb fmt` alone lays the data out. The `.yamllint` configuration
accepts exactly what `fmt` writes (2-space indentation with indented sequences, two spaces before
an end-of-line comment, no document start marker, no line length limit: fmt never folds text).
"""

from __future__ import annotations

import json

YAMLLINT = """\
# yamllint settings that agree with `peacekb fmt`: every file fmt lays out passes them
extends: default
rules:
  document-start: disable
  line-length: disable  # fmt never folds a value over lines
  indentation: {spaces: 2, indent-sequences: true, check-multi-line-strings: false}
  comments: {min-spaces-from-content: 2}
  truthy: {allowed-values: ["true", "false"], check-keys: false}
  empty-lines: {max: 1, max-start: 0, max-end: 0}
"""


def vscode_settings(schemas: dict[str, str]) -> str:
    """`.vscode/settings.json`: the schemas for the data folders, and no YAML formatting but fmt's."""
    return json.dumps(
        {
            "yaml.schemas": schemas,
            "yaml.format.enable": False,
            "[yaml]": {"editor.formatOnSave": False, "editor.formatOnType": False, "editor.insertSpaces": True, "editor.tabSize": 2},
        },
        indent=2,
    ) + "\n"
