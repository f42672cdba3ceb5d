"""`python -m benchmarks`: load and latency measurements of the sample APIs (see `--help`)."""

import sys

from benchmarks.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
