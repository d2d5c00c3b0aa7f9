"""Distillation fixtures: a 150 000-token next-token logit vector (float32 .npy, the size of a
modern LLM vocabulary; synthetic: a few strong candidates over a long Gaussian tail) and extreme
logits (±1e4, float64), with NumPy's softened probabilities and entropies at several τ.
test_distill_conformance.cpp reads them back through our importer and softmax."""
import json

import numpy as np

TAUS = [0.5, 1.0, 2.0, 5.0, 10.0]


def softened(z, tau):
    s = z / tau
    s = s - s.max()  # log-sum-exp shift, as any stable softmax
    p = np.exp(s)
    return p / p.sum()


def entropy_bits(p):
    nz = p > 0
    return float(-np.sum(p[nz] * np.log2(p[nz])))


def describe(z, top):
    order = np.argsort(-z, kind="stable")[:top]
    rows = []
    for tau in TAUS:
        p = softened(z, tau)
        rows.append({"tau": tau, "entropy_bits": entropy_bits(p), "top_indices": order.tolist(),
                     "top_p": p[order].tolist(), "rest_p": float(np.delete(p, order).sum())})
    return rows


def make(out_dir):
    rng = np.random.default_rng(2026)
    n = 150_000
    vocab = rng.normal(-2.0, 2.5, n).astype(np.float32)
    favourites = rng.choice(n, 20, replace=False)
    vocab[favourites] += rng.uniform(6.0, 14.0, 20).astype(np.float32)
    np.save(out_dir / "distill_vocab_150k.npy", vocab)

    extreme = np.array([1e4, -1e4, 0.0, 1e4 - 1.0, 9999.5, -5e3], dtype=np.float64)
    np.save(out_dir / "distill_extreme.npy", extreme)

    expected = {"vocab_150k": describe(vocab.astype(np.float64), 10),
                "extreme": describe(extreme, len(extreme))}
    (out_dir / "distill_expected.json").write_text(json.dumps(expected, indent=1))
