"""Running the matrix: the cases, one check's execution, the runner, the pytest collector."""
