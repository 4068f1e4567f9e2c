"""Loads the NACE Rev. 2, NUTS 2021 and competence vocabularies shipped in actors/data."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(nace_model, nuts_model, competence_model) -> None:
    """Create or update the vocabularies; works with real or migration-state models."""
    _load_tree(
        nace_model,
        read_rows("nace_rev2.csv"),
        lambda row: {
            "level": int(row["level"]),
            "name_de": row["name_de"],
            "name_en": row["name_en"],
        },
    )
    _load_tree(
        nuts_model,
        read_rows("nuts2021.csv"),
        lambda row: {"level": int(row["level"]), "name": row["name"]},
    )
    for row in read_rows("competences.csv"):
        competence_model.objects.update_or_create(
            slug=row["slug"], defaults={"name_de": row["name_de"], "name_en": row["name_en"]}
        )


def _load_tree(model, rows, values) -> None:
    by_code = {}
    for row in sorted(rows, key=lambda r: int(r["level"])):
        parent = by_code.get(row["parent"]) if row["parent"] else None
        obj, _ = model.objects.update_or_create(
            code=row["code"], defaults={**values(row), "parent": parent}
        )
        by_code[obj.code] = obj
