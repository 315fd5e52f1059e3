"""Units as llama-index TextNodes, with the metadata retrieval and citation need."""
from __future__ import annotations

from llama_index.core.schema import TextNode

from ingest.catalog import Document
from ingest.units import Unit

# Metadata kept on the node but left out of the text that is embedded or shown to an LLM.
HIDDEN_KEYS = ["doc_id", "status", "region", "parent", "kind", "spans", "order"]


def unit_to_node(unit: Unit, doc: Document) -> TextNode:
    metadata = {
        "doc_id": unit.doc_id,
        "doc_title": doc.title,
        "status": doc.status,
        "region": doc.region,
        "label": unit.short_label,
        "heading_path": " / ".join(unit.heading_path),
        "parent": unit.parent or "",
        "kind": unit.kind,
        "spans": [list(span) for span in unit.spans],
        "order": unit.order,
    }
    return TextNode(
        id_=unit.id,
        text=unit.text,
        metadata=metadata,
        excluded_embed_metadata_keys=HIDDEN_KEYS,
        excluded_llm_metadata_keys=HIDDEN_KEYS,
    )


def retrieval_text(unit: Unit, doc: Document) -> str:
    """What search sees: the document's short name, the heading path and the unit text."""
    return "\n".join([doc.short_name, *unit.heading_path, unit.text])
