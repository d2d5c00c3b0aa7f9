#!/usr/bin/env python3
"""Writes the conformance fixtures: files made by independent libraries (numpy, safetensors,
gguf, ml_dtypes) that the C++ tests in this folder read back value for value.

Usage: make_fixtures.py OUT_DIR

Imports every make_*.py module beside this script and calls its make(OUT_DIR). A module whose
Python packages are missing is skipped with a printed reason (the tests that need its files
then QSKIP), so the script still exits 0.
"""
import importlib
import pathlib
import sys
import traceback


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = pathlib.Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    here = pathlib.Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    failed = False
    for path in sorted(here.glob("make_*.py")):
        if path.stem == "make_fixtures":
            continue
        try:
            module = importlib.import_module(path.stem)
            module.make(out_dir)
            print(f"{path.stem}: written to {out_dir}")
        except ImportError as missing:
            print(f"SKIP {path.stem}: Python package missing ({missing})")
        except Exception:  # a real failure of a fixture writer fails the setup step
            traceback.print_exc()
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
