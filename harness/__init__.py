"""Conformance harness: the matrix, its checks, targets, report and the embedded mock issuer."""
