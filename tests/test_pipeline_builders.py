"""A function that builds a tf.data pipeline is no computation a graph would speed up (deepdanbooru's
``get_dataset``, a false HYB302): ``map``, ``batch`` and ``prefetch`` on a dataset describe the pipeline,
and the functions handed to ``map`` run in tf.data's own graph whatever runs the builder. Calls that
run the pipeline (``reduce``) still weigh."""

from __future__ import annotations

from project_helpers import lint

HYB3 = 'select = ["HYB3"]\nextend-select = ["HYB302"]\n'

BUILDER = """
import tensorflow as tf


class Loader:
    def __init__(self, paths, labels):
        self.paths = paths
        self.labels = labels

    def decode(self, path, label):
        image = tf.image.decode_png(tf.io.read_file(path), channels=3)
        image = tf.image.resize(image, (64, 64)) / 255.0
        return tf.image.random_flip_left_right(image), tf.one_hot(label, 10)

    def get_dataset(self, batch_size):
        dataset = tf.data.Dataset.from_tensor_slices((self.paths, self.labels))
        dataset = dataset.map(self.decode, num_parallel_calls=tf.data.AUTOTUNE)
        dataset = dataset.apply(tf.data.experimental.ignore_errors())
        dataset = dataset.shuffle(1000).batch(batch_size)
        return dataset.prefetch(tf.data.AUTOTUNE)


def train(model, chunks):
    for paths, labels in chunks:
        dataset = Loader(paths, labels).get_dataset(32)
        for images, targets in dataset:
            model.train_on_batch(images, targets)
"""

# The same kind of function, but it runs the pipeline: every call reduces it to a sum.
RUNNER = BUILDER.replace(
    "        return dataset.prefetch(tf.data.AUTOTUNE)\n",
    "        total = dataset.reduce(tf.zeros([64, 64, 3]), lambda acc, batch: acc + tf.reduce_sum(batch[0], 0))\n"
    "        return tf.sqrt(tf.abs(total)) * 2.0 + tf.exp(-total) - tf.reduce_mean(total)\n")


def test_a_pipeline_builder_is_not_suggested(tmp_path):
    assert lint(tmp_path, {"data.py": BUILDER}, HYB3) == set()


def test_a_function_running_its_pipeline_is_still_suggested(tmp_path):
    assert lint(tmp_path, {"data.py": RUNNER}, HYB3) == {("data.py", 14, "HYB302")}
