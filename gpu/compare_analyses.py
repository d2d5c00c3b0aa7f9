#!/usr/bin/env python3
"""Compares two `cstudio analyze --json` outputs of the same model (e.g. --device cuda and
--device cpu) tensor by tensor and scheme by scheme, with the tolerances the GPU tests use:
RMSE and SQNR 1e-9 relative, max error and group counts exact, cosine 1e-5 (its cross sums are
accumulated in a different order); the weight statistics (moments summed in a different order):
std, kurtosis and max/sigma 1e-6 relative, the mean within 1e-6 sigma, the share beyond 6 sigma
within 1e-6. Exit status 1 when anything differs beyond them.

Usage: compare_analyses.py A.json B.json
"""
import json, sys

TOLERANCES = {"rmse": 1e-9, "rel_rmse": 1e-9, "sqnr_db": 1e-9, "cosine": 1e-5}
EXACT = ("max_abs_err", "groups", "zero_groups", "constant_groups", "nonfinite_groups", "params", "bytes")


def results(document):
    for tensor in document["tensors"]:
        for result in tensor["results"]:
            yield (tensor["name"], result["scheme"]), result


def weight_problems(a, b):
    left = {t["name"]: t["weights"] for t in a["tensors"]}
    right = {t["name"]: t["weights"] for t in b["tensors"]}
    for name in sorted(left.keys() & right.keys()):
        x, y = left[name], right[name]
        checks = [(key, abs(x[key] - y[key]) / max(abs(y[key]), 1e-300), 1e-6) for key in ("std", "kurtosis", "max_over_sigma")]
        checks.append(("mean", abs(x["mean"] - y["mean"]) / max(y["std"], 1e-300), 1e-6))
        checks.append(("share_beyond_6_sigma", abs(x["share_beyond_6_sigma"] - y["share_beyond_6_sigma"]), 1e-6))
        checks += [(key, 0.0 if x[key] == y[key] else 1.0, 0.0) for key in ("abs_max", "nonfinite")]
        for key, difference, tolerance in checks:
            if difference > tolerance:
                yield f"{name}: weights {key} {x[key]!r} vs {y[key]!r}"


def main():
    a, b = (json.load(open(path)) for path in sys.argv[1:3])
    left, right = dict(results(a)), dict(results(b))
    problems = []
    if left.keys() != right.keys():
        problems.append(f"different tensor/scheme pairs: {sorted(left.keys() ^ right.keys())[:5]}")
    worst = {key: 0.0 for key in TOLERANCES}
    for pair in sorted(left.keys() & right.keys()):
        x, y = left[pair], right[pair]
        for key, tolerance in TOLERANCES.items():
            if key not in x:
                continue
            difference = abs(x[key] - y[key]) / max(abs(y[key]), 1e-300)
            worst[key] = max(worst[key], difference)
            if difference > tolerance:
                problems.append(f"{pair}: {key} {x[key]!r} vs {y[key]!r}")
        for key in EXACT:
            if key in x and x[key] != y[key]:
                problems.append(f"{pair}: {key} {x[key]!r} vs {y[key]!r}")
    problems += list(weight_problems(a, b))
    print(f"{len(left)} tensor x scheme results compared ({a.get('device')} vs {b.get('device')}); largest relative "
          "differences: " + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    for problem in problems[:20]:
        print("DIFFERENT", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
