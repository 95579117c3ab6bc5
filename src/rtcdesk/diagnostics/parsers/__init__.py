"""Parsers turning each supported dump format into the :mod:`..model`."""
