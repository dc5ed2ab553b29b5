"""Solara dashboard of the reintegration model: compare scenarios, workshop what-if, network, experiments.

Populations are SYNTHETIC: the dashboard is for exploring policy, never for assessing
real people. Pages call the model through ``model.api`` and ``experiments.compare``
(and read experiment results with ``experiments.store`` / ``experiments.analysis``).
Start it with ``python run.py dashboard``.
"""
