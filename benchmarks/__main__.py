"""`python -m benchmarks`: load and latency measurements of the sample APIs (see `--help`)."""

import sys

from benchmarks.cli import main

sys.exit(main(sys.argv[1:]))
