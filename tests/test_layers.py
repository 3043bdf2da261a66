"""The package layers (pyproject.toml ``[tool.importlinter]``) hold, and the check can fail.

``lint-imports`` passes on the real tree; on a copy of the tree with a backward import planted it
fails and names the broken contract. The copy is analysed from its own directory: grimp finds a root
package with ``importlib.util.find_spec``, and the editable install's finder sits after the path
finder, so the copy's directory (cwd and PYTHONPATH) wins; ``test_copy_is_what_gets_analysed`` checks
that rather than trusting it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "store", "ingest", "retrieval", "app")
# The venv's script, next to the running interpreter (not resolved: that would leave the venv).
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = {
    c["id"]: c["name"]
    for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
}


def _env(pythonpath: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    env["COLUMNS"] = "250"  # rich wraps output at 80 columns without a terminal, splitting long names
    return env


def lint_imports(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env=_env(pythonpath),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _report(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def copy_tree(dest: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, dest / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def plant(tree: Path, relpath: str, statement: str) -> int:
    """Append ``statement`` to a module of the copy; return its line number."""
    path = tree / relpath
    assert path.is_file(), f"{relpath} is gone from the tree: pick another module to plant in"
    text = path.read_text()
    if text and not text.endswith("\n"):
        text += "\n"
    text += f"{statement}  # planted\n"
    path.write_text(text)
    return text.count("\n")


def test_real_tree_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, _report(result)
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout, _report(result)


def test_copy_is_what_gets_analysed(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    # Where grimp looks for each root package, asked the way grimp asks, under the same cwd and env.
    probe = (
        "import importlib.util, json, sys; "
        "print(json.dumps({p: importlib.util.find_spec(p).submodule_search_locations for p in sys.argv[1:]}))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe, *PACKAGES],
        cwd=tree,
        env=_env(tree),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    locations = json.loads(found.stdout)
    for package in PACKAGES:
        assert locations[package] == [str(tree / package)], (package, locations[package])
    # The untouched copy passes, so a failure below is the planted import's doing.
    result = lint_imports(tree, pythonpath=tree)
    assert result.returncode == 0, _report(result)


PLANTS = [
    # (module of the copy, planted statement, contract it breaks, import the report must show)
    ("core/dates.py", "import app.cli", "layers", "core.dates -> app.cli"),
    ("store/index.py", "import retrieval.answer", "layers", "store.index -> retrieval.answer"),
    ("retrieval/query.py", "import ingest.pipeline", "layers", "retrieval.query -> ingest.pipeline"),
    ("retrieval/query.py", "import chromadb", "only-store-imports-chromadb", "retrieval.query -> chromadb"),
    (
        "retrieval/hybrid.py",
        "import retrieval.answer",
        "retrieval-below-answer",
        "retrieval.hybrid -> retrieval.answer",
    ),
    ("app/cli.py", "import ingest.chunker", "app-not-ingest-stages", "app.cli -> ingest.chunker"),
    (
        "retrieval/__init__.py",
        "import retrieval.answer",
        "retrieval-init-below-answer",
        "retrieval -> retrieval.answer",
    ),
]


@pytest.mark.parametrize(("relpath", "statement", "contract", "shown"), PLANTS, ids=[f"{p[2]}:{p[0]}" for p in PLANTS])
def test_planted_import_breaks_its_contract(
    tmp_path: Path, relpath: str, statement: str, contract: str, shown: str
) -> None:
    tree = copy_tree(tmp_path)
    line = plant(tree, relpath, statement)
    result = lint_imports(tree, pythonpath=tree)
    assert result.returncode != 0, _report(result)
    assert f"{CONTRACTS[contract]} BROKEN" in result.stdout, _report(result)
    assert f"{shown} (l.{line})" in result.stdout, _report(result)
