"""`python -m tests.unit.architecture [--write]`: print docs/architecture.md with its import
diagrams made afresh from the code, or write it back in place."""

from __future__ import annotations

import sys

from .diagram import regenerate
from .doc import DOC

if __name__ == "__main__":
    text = regenerate()
    if "--write" in sys.argv[1:]:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC}")
    else:
        sys.stdout.write(text)
