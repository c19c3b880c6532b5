"""Generators of test data with known ground truth, shared by the tests, benchmarks and scripts."""
