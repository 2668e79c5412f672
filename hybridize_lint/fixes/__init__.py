"""Fixes for the side-effect and graph-error rules (issue 17).

Two kinds: :mod:`.dehybridize` removes ``tf.function`` from the graph root whose trace runs an
effect (the universal fallback), and the rewrite modules turn one effect into a TensorFlow op that
runs on every call, keeping the graph. Checks attach them; the codemods they use live in
:mod:`hybridize_lint.codemods`.
"""
