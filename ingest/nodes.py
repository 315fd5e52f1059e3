"""What search sees of a unit: its document's short name, heading path and text."""
from __future__ import annotations

from ingest.catalog import Document
from ingest.units import Unit


def retrieval_text(unit: Unit, doc: Document) -> str:
    """What search sees: the document's short name, the heading path and the unit text."""
    return "\n".join([doc.short_name, *unit.heading_path, unit.text])
