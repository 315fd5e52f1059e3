"""The document catalog: what each corpus text is, kept as data in corpus/catalog.json."""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"  # the shipped corpus
CATALOG_NAME = "catalog.json"
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
    """The catalog of `corpus_dir`; empty when the directory holds no catalog.json."""
    path = corpus_dir / CATALOG_NAME
    if not path.is_file():
        return Catalog(documents=[])
    return Catalog.model_validate(json.loads(path.read_text(encoding="utf-8")))


def corpus_problem(corpus_dir: Path) -> str | None:
    """Why `corpus_dir` gives no units, in Chinese and English; None when its catalog lists documents."""
    if not (corpus_dir / CATALOG_NAME).is_file():
        what_zh, what_en = f"没有 {CATALOG_NAME}", f"has no {CATALOG_NAME}"
    elif not load_catalog(corpus_dir).documents:
        what_zh, what_en = f"的 {CATALOG_NAME} 未列出任何文件", f"has a {CATALOG_NAME} that lists no documents"
    else:
        return None
    return (
        f"语料目录 {corpus_dir} {what_zh}：0 个文件，0 个单元（由 LANDQA_CORPUS_DIR 或 LANDQA_CONFIG 的 corpus_dir 设定）。\n"
        f"corpus directory {corpus_dir} {what_en}: 0 documents, 0 units (set by LANDQA_CORPUS_DIR or corpus_dir in LANDQA_CONFIG)."
    )
