"""docs/contract.md and khaldun/models.py say the same thing: every field of the output models is named in
the contract, and every field a contract table lists exists in the models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from khaldun import models

CONTRACT = Path(__file__).resolve().parents[1] / "docs" / "contract.md"


def _section(title_start: str) -> str:
    text = CONTRACT.read_text("utf-8")
    parts = re.split(r"^## ", text, flags=re.M)
    for p in parts:
        if p.startswith(title_start):
            return p
    raise AssertionError(f"docs/contract.md has no section '## {title_start}'")


def _table_fields(section: str) -> set[str]:
    """The first-column names of a field table (`a`, `b` in one cell are two fields)."""
    out: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split("|")[1]
        out |= set(re.findall(r"`([a-z_]+)`", first))
    return out


def _row(section: str, field: str) -> str:
    return next(line for line in section.splitlines() if line.startswith(f"| `{field}`"))


def _named(text: str) -> set[str]:
    return set(re.findall(r"`([a-z_]+)`", text))


@pytest.mark.parametrize("title,model", [("Document", models.Document), ("Claim", models.Claim),
                                         ("Dropped", models.Dropped), ("Actor", models.Actor)])
def test_field_tables_match_models(title: str, model: type) -> None:
    listed = _table_fields(_section(title))
    fields = set(model.model_fields)
    assert fields - listed == set(), f"{model.__name__} fields missing from the contract table"
    assert listed - fields == set(), f"contract table '{title}' lists fields {model.__name__} does not have"


@pytest.mark.parametrize("row,model", [("attribution", models.Attribution), ("event", models.Event),
                                       ("factuality", models.Factuality), ("when", models.When),
                                       ("evidence", models.Evidence), ("source", models.Source)])
def test_object_rows_name_every_field(row: str, model: type) -> None:
    section = _section("Document") if row == "source" else _section("Claim")
    named = _named(_row(section, row))
    assert set(model.model_fields) - named == set(), f"contract row '{row}' does not name every {model.__name__} field"


@pytest.mark.parametrize("title,model", [("Materiel", models.Materiel), ("Place", models.Place),
                                         ("Finding", models.Finding), ("Quotes", models.Quote)])
def test_prose_sections_name_every_field(title: str, model: type) -> None:
    named = _named(_section(title))
    assert set(model.model_fields) - named == set(), f"contract section '{title}' misses {model.__name__} fields"


def test_dropped_stages_are_documented() -> None:
    stages = set(models.Dropped.model_fields["stage"].annotation.__args__)  # type: ignore[union-attr]
    assert stages <= _named(_row(_section("Dropped"), "stage"))
