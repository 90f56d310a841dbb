"""Distillation: a teacher's soft labels, written per article; the student's loss on them.

Why: the teacher (``teacher``: all-mpnet-base-v2, fine-tuned with ``proplens
train --encoder``) is too slow to ship; the student (MiniLM) learns from its
probabilities as well as from the gold labels, on the training articles and on
unlabeled news, where there is no gold at all.

``write_soft_labels`` runs the teacher over articles and stores, per article:

- ``bio``: the teacher's B/I/O probabilities carried onto the **student's** word
  pieces (averaged over the teacher pieces that overlap each student piece, by
  character offsets; the two tokenizers differ);
- spans (character offsets) with the teacher's 14 technique probabilities: the
  gold spans of a labeled article; on an unlabeled one, the runs of pieces the
  teacher tags at P(not O) >= 0.5.

No text is stored: article ids, a hash of the student's piece ids (checked
when loaded) and fp16 probabilities. Articles are written in pieces of
``PIECE_ARTICLES`` with a ``manifest.json`` (sha256 of each piece, the teacher,
the commit); a rerun skips the articles already written, so the command
resumes. In training (``TrainConfig.distill_labels``), ``Distiller.loss`` adds
KL(teacher || student) at temperature T on the BIO and technique
distributions, scaled by T².
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from proplens.errors import InputError
from proplens.pipeline.windowing import Tokens, WordPieces
from proplens.training import artifacts
from proplens.training.corpus import Example

FORMAT = "proplens-soft-labels/1"
PIECE_ARTICLES = 64
RUN_THRESHOLD = 0.5
"""P(not O) from which the teacher's pieces form a span on an unlabeled article."""


def token_hash(tokens: Tokens) -> str:
    return artifacts.token_hash(tokens.ids)


def onto_student(teacher: Tokens, bio: np.ndarray, student: Tokens) -> np.ndarray:
    """Teacher per-piece probabilities averaged onto the student's pieces by character overlap.

    >>> t = Tokens(np.zeros(2), np.array([[0, 3], [3, 6]]))
    >>> s = Tokens(np.zeros(1), np.array([[0, 6]]))
    >>> onto_student(t, np.array([[1.0, 0, 0], [0, 1.0, 0]]), s).tolist()
    [[0.5, 0.5, 0.0]]
    """
    out = np.zeros((len(student), bio.shape[1]), dtype=np.float32)
    out[:, 2] = 1.0  # a piece no teacher piece overlaps: O
    if len(teacher) == 0:
        return out
    starts, ends = teacher.offsets[:, 0], teacher.offsets[:, 1]
    for i, (a, b) in enumerate(student.offsets):
        first = int(np.searchsorted(ends, a, side="right"))
        stop = int(np.searchsorted(starts, max(b, a + 1), side="left"))
        if stop > first:
            out[i] = bio[first:stop].mean(axis=0)
    return out


def teacher_runs(bio: np.ndarray, offsets: np.ndarray) -> list[tuple[int, int]]:
    """Character spans of consecutive pieces with P(not O) >= ``RUN_THRESHOLD``."""
    tagged = (1.0 - bio[:, 2]) >= RUN_THRESHOLD
    runs, start = [], None
    for i, on in enumerate(np.append(tagged, False)):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((int(offsets[start, 0]), int(offsets[i - 1, 1])))
            start = None
    return runs


def read_unlabeled(folders: list[str | Path]) -> list[Example]:
    """Every ``*.txt`` under the folders, as articles without spans (id: the file's stem)."""
    examples = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise InputError(f"{folder}: not a folder of .txt articles")
        for path in sorted(folder.glob("*.txt")):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise InputError(f"{path}: cannot read it as UTF-8 text ({err})") from None
            examples.append(Example(f"{folder.name}/{path.stem}", text, []))
    return examples


def write_soft_labels(
    teacher_dir: str | Path,
    labeled: list[Example],
    unlabeled: list[Example],
    output: str | Path,
    student_tokenizer: Path,
    log,
    device: str = "auto",
) -> dict:
    """Soft labels of ``teacher_dir`` (a ``proplens train`` checkpoint) for every article.

    Resumable: articles already in ``output``'s manifest are skipped. Returns the manifest.
    """
    import torch

    from proplens.pipeline.heads import Heads
    from proplens.pipeline.predict import encode_article, technique_probs
    from proplens.training.config import TrainConfig
    from proplens.training.network import load_encoder
    from proplens.training.train import pick_device, torch_encoder, window_plan

    teacher_dir, output = Path(teacher_dir), Path(output)
    for needed in ("encoder", "heads.npz", "tokenizer.json", "card.json"):
        if not (teacher_dir / needed).exists():
            raise InputError(f"{teacher_dir}: not a training checkpoint ({needed} is missing)")
    card = json.loads((teacher_dir / "card.json").read_text())
    config = TrainConfig(**card["config"])
    teacher = {
        "heads_sha256": artifacts.sha256(teacher_dir / "heads.npz"),
        "config": card["config"],
        "from": str(teacher_dir),
    }
    student = WordPieces(student_tokenizer)
    manifest_file = output / "manifest.json"
    manifest = {
        "format": FORMAT,
        "teacher": teacher,
        "student_tokenizer_sha256": artifacts.sha256(student_tokenizer),
        "pieces": {},
    }
    if manifest_file.exists():
        manifest = json.loads(manifest_file.read_text())
        if manifest.get("teacher", {}).get("heads_sha256") != teacher["heads_sha256"]:
            raise InputError(f"{output}: holds soft labels of another teacher")
        if manifest["student_tokenizer_sha256"] != artifacts.sha256(student_tokenizer):
            raise InputError(f"{output}: made for another student tokenizer")
    done = {a for piece in manifest["pieces"].values() for a in piece["articles"]}
    todo = [e for e in labeled + unlabeled if e.id not in done]
    log.info(f"{len(done)} articles have soft labels already; {len(todo)} to go")
    if not todo:
        return manifest
    dev = pick_device(device)
    encoder, _ = load_encoder(str(teacher_dir / "encoder"))
    encoder = encoder.to(dev).eval()
    heads = Heads.load(teacher_dir / "heads.npz")
    pieces = WordPieces(teacher_dir / "tokenizer.json")
    holder = _EncoderHolder(encoder)
    encode = torch_encoder(holder, dev, config.bf16)
    plan = window_plan(config)
    output.mkdir(parents=True, exist_ok=True)
    buffer = []
    for number, example in enumerate(todo, 1):
        with torch.no_grad():
            states = encode_article(encode, pieces, heads, example.text, plan)
        own = student.tokenize(example.text)
        if example.spans:
            spans = sorted({(s, e) for s, e, _ in example.spans})
        else:
            spans = teacher_runs(states.bio, states.tokens.offsets)
        buffer.append(
            (
                example.id,
                token_hash(own),
                onto_student(states.tokens, states.bio, own),
                spans,
                technique_probs(states, heads, spans),
            )
        )
        if len(buffer) == PIECE_ARTICLES or number == len(todo):
            _flush(output, manifest, buffer)
            log.info(f"soft labels: {len(done) + number} of {len(done) + len(todo)} articles")
            buffer = []
    return manifest


class _EncoderHolder:
    """The encoder half of a ``Detector`` (what ``torch_encoder`` calls)."""

    def __init__(self, encoder) -> None:
        self.encoder = encoder

    def encode(self, ids, mask):
        return self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state


def _flush(output: Path, manifest: dict, rows: list) -> None:
    """One piece, whole (a temporary file renamed), then the manifest that lists it."""
    name = f"soft-{len(manifest['pieces']):04d}.npz"
    partial = output / f"{name}.partial.npz"
    np.savez_compressed(
        partial,
        ids=np.array([r[0] for r in rows]),
        token_hash=np.array([r[1] for r in rows]),
        n_tokens=np.array([len(r[2]) for r in rows], dtype=np.int64),
        bio=np.concatenate([r[2] for r in rows]).astype(np.float16),
        n_spans=np.array([len(r[3]) for r in rows], dtype=np.int64),
        spans=np.array([s for r in rows for s in r[3]], dtype=np.int32).reshape(-1, 2),
        techniques=np.concatenate([r[4] for r in rows]).astype(np.float16),
    )
    partial.replace(output / name)
    manifest["pieces"][name] = {
        "sha256": artifacts.sha256(output / name),
        "bytes": (output / name).stat().st_size,
        "articles": [r[0] for r in rows],
    }
    manifest["commit"] = artifacts.commit()
    temporary = output / "manifest.json.partial"
    temporary.write_text(json.dumps(manifest, indent=1) + "\n")
    temporary.replace(output / "manifest.json")


@dataclass
class Soft:
    """One article's soft labels, on the student's pieces."""

    token_hash: str
    bio: np.ndarray  # (n_tokens, 3) float32
    spans: np.ndarray  # (n_spans, 2) character offsets
    techniques: np.ndarray  # (n_spans, techniques) float32


def load_soft_labels(folder: str | Path) -> dict[str, Soft]:
    """Every article's soft labels in ``folder``, each piece checked against the manifest."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise InputError(f"{folder}: no readable soft-label manifest ({err})") from None
    if manifest.get("format") != FORMAT:
        raise InputError(f"{folder}: not soft labels of format {FORMAT}")
    found = {}
    for name, entry in manifest["pieces"].items():
        path = folder / name
        if not path.exists() or artifacts.sha256(path) != entry["sha256"]:
            raise InputError(f"{path}: missing or not the file its manifest lists")
        with np.load(path, allow_pickle=False) as data:
            tokens = np.concatenate([[0], np.cumsum(data["n_tokens"])])
            spans = np.concatenate([[0], np.cumsum(data["n_spans"])])
            for i, article in enumerate(data["ids"]):
                found[str(article)] = Soft(
                    str(data["token_hash"][i]),
                    data["bio"][tokens[i] : tokens[i + 1]].astype(np.float32),
                    data["spans"][spans[i] : spans[i + 1]],
                    data["techniques"][spans[i] : spans[i + 1]].astype(np.float32),
                )
    return found


class Distiller:
    """The student's loss on the teacher's soft labels, for batches of training windows.

    ``articles``: the epoch's articles in the order of the training data (the
    labeled ones, then the unlabeled). An article whose pieces no longer match
    the soft labels' (one that augmentation swapped this epoch) gets no soft term.
    """

    def __init__(self, soft: dict[str, Soft], articles: list[Example], temperature: float):
        missing = [e.id for e in articles if e.id not in soft]
        if missing:
            raise InputError(
                f"{len(missing)} of {len(articles)} articles have no soft labels "
                f"(first: {missing[0]}); run 'proplens distill' for them first"
            )
        if temperature <= 0:
            raise InputError(f"distill_temperature must be positive, got {temperature}")
        self.soft = [soft[e.id] for e in articles]
        self.texts = [e.text for e in articles]
        self.temperature = temperature
        self._spans: dict[int, list] = {}

    def _span_rows(self, index: int, offsets: np.ndarray) -> list:
        """The article's soft spans as (first, stop, extras, teacher probs), computed once."""
        if index not in self._spans:
            from proplens.pipeline.features import ArticleText, span_extras, token_range

            text = ArticleText(self.texts[index])
            soft = self.soft[index]
            self._spans[index] = [
                (*token_range(offsets, int(s), int(e)), span_extras(text, int(s), int(e)), p)
                for (s, e), p in zip(soft.spans, soft.techniques, strict=True)
            ]
        return self._spans[index]

    def loss(self, model, data: list, chunk, states, logits):
        """T² x (KL on the BIO probabilities of the windows' tokens + KL on the soft spans)."""
        import torch

        from proplens.training.network import pool_spans

        t = self.temperature
        rows, cols, targets = [], [], []
        span_rows, ranges, extras, span_targets = [], [], [], []
        for row, (index, start, n) in enumerate(chunk):
            soft, item = self.soft[index], data[index]
            if token_hash(item.tokens) != soft.token_hash:
                continue
            rows += [row] * n
            cols += range(1, n + 1)
            targets.append(soft.bio[start : start + n])
            for first, stop, extra, probs in self._span_rows(index, item.tokens.offsets):
                a, b = max(first, start), min(stop, start + n)
                if b > a and (b - a) * 2 >= (stop - first):
                    span_rows.append(row)
                    ranges.append((a - start + 1, b - start + 1))
                    extras.append(extra)
                    span_targets.append(probs)
        zero = logits.sum() * 0
        if not rows:
            return zero
        device = logits.device
        bio = _kl(logits[rows, cols].float(), np.concatenate(targets), t, device)
        if not span_rows:
            return bio * t * t
        pooled = pool_spans(states.float(), span_rows, ranges)
        features = torch.cat(
            [pooled, torch.tensor(np.array(extras), dtype=torch.float32, device=device)], dim=1
        )
        techniques = _kl(model.classify(features).float(), np.array(span_targets), t, device)
        return (bio + techniques) * t * t


def _kl(student_logits, teacher_probs: np.ndarray, t: float, device):
    """Mean KL(teacher_T || student_T) over rows; the teacher tempered from its probabilities."""
    import torch

    teacher = torch.tensor(np.clip(teacher_probs, 1e-6, 1.0), dtype=torch.float32, device=device)
    teacher = torch.softmax(teacher.log() / t, dim=-1)
    student = torch.log_softmax(student_logits / t, dim=-1)
    return torch.nn.functional.kl_div(student, teacher, reduction="batchmean")
