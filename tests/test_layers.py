"""The two layers, checked over the code's imports (ast, no import executed).

`pipelines/` and `schemas/` are the library: plain functions that never import dagster, the worker
pool (pebble), the garbage collector's settings (gc) nor the Dagster layer (`assets/`). Outside the
tests, nothing reaches into another project's private parts: no `dagster._…` module, no pandera
backend or engine internals, no subclass of a Dagster storage class.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ("pipelines", "schemas")
PROJECT = (*LIBRARY, "assets", "benchmarks")
LIBRARY_MAY_NOT_IMPORT = (
    "dagster",
    "dagster_postgres",
    "dagster_webserver",
    "pebble",
    "gc",
    "assets",
)
PANDERA_PUBLIC = ("pandera", "pandera.pandas", "pandera.errors", "pandera.typing", "pandera.dtypes")


def _sources(folders: tuple[str, ...]) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for each import, `from x import y` counted as both `x` and `x.y`, and each
    string literal naming a module for importlib."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Constant) and _names_a_private_module(node.value):
            found.append((node.lineno, node.value))
    return found


def _names_a_private_module(value: object) -> bool:
    return isinstance(value, str) and value.startswith(
        ("dagster._", "pandera.backends", "pandera.engines")
    )


def _is_under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def private(module: str) -> bool:
    """A module another project keeps to itself: a `_` part (dagster._core…), or pandera past
    its documented modules."""
    if any(part.startswith("_") and part != "__future__" for part in module.split(".")):
        return True
    if _is_under(module, "pandera"):
        parent = module.rsplit(".", 1)[0]
        return module not in PANDERA_PUBLIC and parent not in PANDERA_PUBLIC
    return False


def _where(path: Path, line: int, module: str) -> str:
    return f"{path.relative_to(ROOT)}:{line} {module}"


def test_the_library_imports_no_dagster_worker_pool_nor_collector():
    offending = [
        _where(path, line, module)
        for path in _sources(LIBRARY)
        for line, module in imported_modules(path)
        if any(_is_under(module, banned) for banned in LIBRARY_MAY_NOT_IMPORT)
    ]
    assert not offending, "la bibliothèque importe la couche Dagster :\n" + "\n".join(offending)


def test_no_private_module_of_another_project():
    offending = [
        _where(path, line, module)
        for path in _sources(PROJECT)
        for line, module in imported_modules(path)
        if not _is_under(module, "pipelines")
        and not _is_under(module, "assets")
        and not _is_under(module, "schemas")
        and private(module)
    ]
    assert not offending, "module privé d'un autre projet :\n" + "\n".join(offending)


def test_no_subclass_of_a_dagster_storage():
    offending = []
    for path in _sources(PROJECT):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [ast.unparse(base) for base in node.bases]
                if any("Storage" in base for base in bases):
                    offending.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}{bases}")
    assert not offending, "\n".join(offending)


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("dagster._core.storage.event_log", True),
        ("dagster", False),
        ("dagster.core.storage.event_log", False),
        ("pandera.backends.pandas.container", True),
        ("pandera.engines.pandas_engine", True),
        ("pandera.errors", False),
        ("pandera.pandas.DataFrameSchema", False),
        ("pyarrow._compute", True),
        ("__future__", False),
    ],
)
def test_what_counts_as_private(module, expected):
    assert private(module) is expected


def test_the_rules_see_a_forbidden_import(tmp_path):
    """The walk finds imports in every form, so the rules above can fail."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import gc\n"
        "from dagster._core.storage import event_log\n"
        "def f():\n"
        "    import pebble\n"
        "    return __import__('importlib').import_module('dagster._utils')\n",
        encoding="utf-8",
    )
    modules = [module for _, module in imported_modules(sample)]
    assert "gc" in modules
    assert "pebble" in modules
    assert "dagster._core.storage.event_log" in modules
    assert "dagster._utils" in modules
