"""The engines package must stay free of Django so it can be tested and benchmarked alone."""

import ast
from pathlib import Path

ENGINES = Path(__file__).resolve().parent


def test_engines_do_not_import_django():
    offenders = []
    for path in ENGINES.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "django" or n.startswith("django.") for n in names):
                offenders.append(str(path.relative_to(ENGINES)))
    assert offenders == []
