"""`python -m tests.unit.architecture [--write]`: print docs/architecture.md with its import
diagrams made afresh from the code, or write it back in place."""

from __future__ import annotations

import argparse
import sys

from .diagram import regenerate
from .doc import DOC

if __name__ == "__main__":
    options = argparse.ArgumentParser(
        prog="python -m tests.unit.architecture",
        description="Print docs/architecture.md with its import diagrams made afresh from the "
        "code (after a module moved), or write it back in place.",
    )
    options.add_argument("--write", action="store_true", help=f"write {DOC.name} in place")
    write = options.parse_args().write
    text = regenerate()
    if write:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC}")
    else:
        sys.stdout.write(text)
