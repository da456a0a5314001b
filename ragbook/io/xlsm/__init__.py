"""The macro-enabled master, ``ActionPlan.xlsm``: built from ``macros/`` and kept intact by every command."""
