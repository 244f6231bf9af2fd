"""Readers of the libraries curators import from: each turns a file into `SourceEntry` records."""
