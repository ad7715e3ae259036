"""Tests of the 2.0 resources beyond the first five, one module per family."""
