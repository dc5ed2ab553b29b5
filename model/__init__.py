"""Agent-based model of the reintegration of returnees in Belgium (SYNTHETIC populations).

A tool for exploring policy, never for assessing real people. The public API is in
``model.api``; parameters are declared once in ``model.parameters``.
"""

__version__ = "0.2.0"
