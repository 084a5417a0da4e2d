"""Loaders: turn landed source files into rows of one ``raw`` table partition (and ``quarantine``)."""
