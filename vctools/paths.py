"""Where things are: the repository root, found once for every Python file of the project.

The package is installed editable (``scripts/setup.sh``), so this file is the one in the working tree and
its folder's parent is the root.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository root (the folder holding Package.swift and pyproject.toml)."""

ARTIFACTS = ROOT / "test-artifacts"
"""Logs and figures the tests write (git-ignored; made on demand)."""

PYTHON = sys.executable
"""The interpreter running us (the project's .venv when started through the Makefile or the tests)."""

VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
"""The project's virtualenv interpreter (scripts/setup.sh), for children that must run in it."""


def artifacts_dir() -> Path:
    """``test-artifacts/``, created on first use."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
