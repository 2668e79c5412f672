"""gpflow Scipy._filter_unused_variables pattern: warnings.warn (a Python side effect the
linter did not see) inside a tf.function fires only when tracing, not on every call."""
import warnings
import tensorflow as tf
warnings.simplefilter("always")

def _filter_unused_variables(variables, grads, allow_unused_variables):
    filtered, unused = [], []
    for i, grad in enumerate(grads):
        if grad is None:
            filtered.append(tf.zeros_like(variables[i]))
            unused.append(variables[i].name)
        else:
            filtered.append(grad)
    if unused:
        msg = f"unused: {unused}"
        if allow_unused_variables:
            warnings.warn(msg)
        else:
            raise ValueError(msg)
    return filtered

vs = [tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")]
for label, fn in [("eager", _filter_unused_variables), ("hybrid", tf.function(_filter_unused_variables))]:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        for _ in range(3):  # e.g. three Scipy().minimize(..., compile=False) calls
            fn(vs, [tf.constant(1.0), None], True)
    print(f"{label}: 3 calls -> {len(w)} warnings")
