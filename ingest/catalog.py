"""The document catalog: what each corpus text is, kept as data in corpus/catalog.json."""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"
DRAFT_STATUS = "征求意见稿"


class Document(BaseModel):
    id: str
    file: str
    title: str
    short_name: str
    aliases: list[str] = Field(default_factory=list)
    issuer: str
    region: str
    places: list[str] = Field(default_factory=list)
    kind: str
    parser: str  # "statute" or "plan": which structure parser reads it
    status: str
    dates: dict[str, str] = Field(default_factory=dict)
    source_file: str | None = None
    notes: str | None = None

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT_STATUS

    def citation_title(self) -> str:
        """Title inside 《》, with inner 《》 turned into 〈〉 as Chinese citation style requires."""
        inner = self.title.replace("《", "〈").replace("》", "〉")
        return f"《{inner}》"


class Catalog(BaseModel):
    documents: list[Document]

    def get(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def ids(self) -> list[str]:
        return [d.id for d in self.documents]


def load_catalog(corpus_dir: Path = DEFAULT_CORPUS_DIR) -> Catalog:
    return Catalog.model_validate(json.loads((corpus_dir / "catalog.json").read_text(encoding="utf-8")))
