"""Experiments on the model: paired scenario comparisons (and, later, sweeps).

Everything here calls the model through ``model.api`` only.
"""
