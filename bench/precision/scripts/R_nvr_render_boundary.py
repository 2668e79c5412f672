"""Label check (corpus round 3 of issue 12): tensorflow-graphics' NVR+ data script calls
`helpers.render_voxels_from_blender_camera` once per example. Does a graph of it pay?

Shapes as in prepare_tfrecords/generate_tfrecords_nvr_plus.py: voxels [1, 128, 128, 128, 4], a
256x256 image, frustum (128, 128, 128), float32 NumPy camera arrays. Run with
PYTHONPATH=<corpus>/tensorflow-graphics. Prints eager and tf.function times per call and whether
the results match.
"""

import time

import numpy as np
import tensorflow as tf

from tensorflow_graphics.projects.neural_voxel_renderer import helpers


class _NumPy1Scalars:
    """The helpers were written for NumPy 1, where `float32_array * np.deg2rad(90)` stays float32; under
    NumPy 2 the float64 scalar promotes it and the eager code itself fails (MatMul float64 x float32).
    This shim keeps NumPy 1's result so the timing can be measured."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def deg2rad(x):
        return np.float32(np.deg2rad(x))


helpers.np = _NumPy1Scalars()

rng = np.random.default_rng(0)
voxels = rng.random((1, 128, 128, 128, 4), dtype=np.float32)
focal = np.array([284.44446, 284.44446], dtype=np.float32)
principal_point = np.array([128, 128.], dtype=np.float32)


def example():
    rotation = np.array(np.deg2rad(rng.random((1, 1)) * 360), dtype=np.float32)
    translation = np.array(rng.random((1, 1, 3)) * 0.1, dtype=np.float32)
    camera_rotation = np.eye(3, dtype=np.float32)[None]
    camera_translation = np.array([[[0.0], [0.0], [4.0]]], dtype=np.float32)
    return rotation, translation, camera_rotation, camera_translation


def render(function, args):
    rotation, translation, camera_rotation, camera_translation = args
    return function(voxels, rotation, translation, 256, 256, focal, principal_point, camera_rotation,
                    camera_translation, absorption_factor=1.0, cell_size=1.0, depth_min=3.0, depth_max=5.0,
                    frustum_size=(128, 128, 128))


eager = helpers.render_voxels_from_blender_camera
graph = tf.function(helpers.render_voxels_from_blender_camera)
examples = [example() for _ in range(6)]
for name, function in (("eager", eager), ("tf.function", graph)):
    render(function, examples[0])  # warm up (and trace)
    start = time.perf_counter()
    for args in examples[1:]:
        render(function, args)
    print(f"{name}: {(time.perf_counter() - start) / (len(examples) - 1) * 1000:.0f} ms per example")
difference = np.abs(render(eager, examples[1]).numpy() - render(graph, examples[1]).numpy()).max()
print(f"max difference {difference:.2e}; traces: {graph.experimental_get_tracing_count()}")
