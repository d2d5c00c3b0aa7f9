"""Writes every conformance fixture: calls make(fixture_dir) of each tests/conformance/make_*.py."""
import importlib.util
import os
import sys


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    for name in sorted(os.listdir(here)):
        if name.startswith("make_") and name.endswith(".py") and name != "make_fixtures.py":
            spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(here, name))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            module.make(out_dir)


if __name__ == "__main__":
    main()
