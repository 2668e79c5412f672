"""Decorators from outside the project that the analysis cannot see into.

``@tf_function`` from a package the project installs may already make a tf.function
(``wraps(f)(tf.function(f))``), ``@qml.qnode`` makes a quantum node: what such a decorator makes of a
function is unknown, so suggesting ``@tf.function`` under it would be a guess. Decorators of the standard
library and TensorFlow are known elsewhere; those that keep the function as it is are listed as
``[decorators] transparent`` in ``rules/api/python.toml``.
"""

from __future__ import annotations

import sys

from .project import ProjectModel
from .refs import name_of
from .summary import FunctionSummary


def unknown_decorator(project: ProjectModel, info: FunctionSummary) -> str | None:
    """Why a function decorated by something from outside the project is not suggested, if it is."""
    kb = project.knowledge
    for ref in info.decorators:
        dotted = name_of(ref)
        if dotted is None or project.resolve_ref(ref) or dotted in kb.transparent_decorators:
            continue
        top = dotted.split(".", 1)[0]
        if top in sys.stdlib_module_names or top.startswith(kb.tensorflow_family) or top in kb.module_aliases \
                or any(module == top or module.startswith(top + ".") for module in project.summaries):
            continue
        return (f"is decorated with `{dotted}`, from outside the project: what it makes of the function is "
                "unknown (it may make a tf.function already; declare such a wrapper in `function-wrappers`)")
    return None
