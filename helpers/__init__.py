"""Helpers shared by the workbook's notebooks: small, readable, and returning plain Bedrock dicts.

Submodules load on first use (`helpers.clients`, `helpers.conversation`, ...), so `import helpers`
stays fast and pandas/ipywidgets are imported only by the notebooks that need them.
"""

import importlib

__all__ = [
    "clients",
    "content",
    "conversation",
    "formats",
    "paths",
    "offline",
    "iam",
    "models",
    "troubleshoot",
    "streaming",
    "invoke",
    "tools",
    "plots",
    "guardrails",
    "doctor",
    "batch",
    "media_limits",
    "vocabulary",
    "usage",
    "playground",
    "widgets",
    "exercises",
]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")
