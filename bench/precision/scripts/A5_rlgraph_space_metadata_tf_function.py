"""Mirrors rlgraph ReShape.get_preprocessed_space (reshape.py:93) with the
@tf.function HYB301 suggests.

The method takes a Space object and returns new Space objects (shape metadata:
FloatBox/IntBox built from Python tuples); it runs no tensor op.  Prints: eager
returns the Space; under tf.function the call fails because a graph function
must return tensors/None, and a Space argument is a Python object (trace per
distinct object anyway).
"""
import tensorflow as tf


class FloatBox:
    def __init__(self, shape, add_batch_rank=False):
        self.shape, self.has_batch_rank = tuple(shape), add_batch_rank
        self.flat_dim = 1
        for d in self.shape:
            self.flat_dim *= d

    def flatten(self):
        return {"": self}

    def __repr__(self):
        return f"FloatBox{self.shape}"


class ReShape:
    flatten = True

    def get_preprocessed_space(self, space):
        ret = {}
        for key, single in space.flatten().items():
            ret[key] = type(single)(shape=(single.flat_dim,), add_batch_rank=single.has_batch_rank)
        return ret[""]


r = ReShape()
print("eager:", r.get_preprocessed_space(FloatBox((2, 3), True)))
try:
    print("graph:", tf.function(r.get_preprocessed_space)(FloatBox((2, 3), True)))
except Exception as e:  # noqa
    print("graph: FAILS ->", type(e).__name__, [l for l in str(e).splitlines() if l.strip()][-1].strip()[:160])
