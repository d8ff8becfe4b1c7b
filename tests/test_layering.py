"""Dependencies run one way: core imports no app, accounts only core, codes never guides.

Read from the source with ``ast``, imports inside functions included, so a
function-level import cannot hide a dependency. A function-level import is
allowed only where Django needs one: ``AppConfig.ready()``, migrations,
management commands and the gunicorn config.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("codes", "guides", "refsite.accounts")


def _modules(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def _name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _imports(path: Path, source: str | None = None) -> list[tuple[str, int, str | None]]:
    """``(module, line, outermost enclosing function or None)`` for every import in a file."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                module = child.module or ""
                if child.level:  # from . import x: resolve against this package
                    package = _name(path).split(".")[: -child.level]
                    module = ".".join([*package, module] if module else package)
                # One entry per name, so ``from refsite import accounts`` is seen too.
                found.extend(
                    (f"{module}.{alias.name}", child.lineno, function) for alias in child.names
                )
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, function or child.name)
            else:
                visit(child, function)

    source = path.read_text() if source is None else source
    visit(ast.parse(source, filename=str(path)), None)
    return found


def _is(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _violations(folders: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _modules(*folders)
        for module, line, _ in _imports(path)
        if any(_is(module, package) for package in forbidden)
    ]


def test_core_imports_no_app():
    assert _violations(("refsite/core",), APPS) == []


def test_accounts_import_neither_codes_nor_guides():
    """Codes and guides reach stars through refsite/accounts/kinds.py instead."""
    assert _violations(("refsite/accounts",), ("codes", "guides")) == []


def test_codes_never_imports_guides():
    assert _violations(("codes",), ("guides",)) == []


def test_the_parser_sees_every_kind_of_import():
    """Guard the guard: nested, relative and conditional imports are all reported."""
    source = (
        "import os\n"
        "from refsite import accounts\n"
        "if True:\n    from guides import models\n"
        "def view():\n    def inner():\n        from . import helpers\n"
        "class Config:\n    def ready(self):\n        import guides.library\n"
    )
    found = _imports(ROOT / "codes" / "example.py", source)
    assert found == [
        ("os", 1, None),
        ("refsite.accounts", 2, None),
        ("guides.models", 4, None),
        ("codes.helpers", 7, "view"),
        ("guides.library", 10, "ready"),
    ]


def _allowed_inside_functions(path: Path, function: str) -> bool:
    parts = path.relative_to(ROOT).parts
    return (
        "migrations" in parts
        or parts[-3:-1] == ("management", "commands")
        or path == ROOT / "refsite" / "gunicorn.conf.py"
        or (parts[-1] == "apps.py" and function == "ready")
    )


@pytest.mark.parametrize("folder", ["codes", "guides", "refsite/core", "refsite/accounts"])
def test_no_function_level_imports_outside_ready_migrations_and_commands(folder):
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module} inside {function}()"
        for path in _modules(folder)
        for module, line, function in _imports(path)
        if function and not _allowed_inside_functions(path, function)
    ]
    assert found == []
