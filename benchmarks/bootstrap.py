"""Start Django for a benchmark script: its own SQLite file in benchmarks/.data/ unless DATABASE_URL
is set, then migrate."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(db_name: str, migrate: bool = True) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openregion.settings")
    if "DATABASE_URL" not in os.environ:
        (ROOT / "benchmarks" / ".data").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'benchmarks' / '.data' / db_name}"
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
