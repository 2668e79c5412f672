"""tfa flat_transforms_to_matrices: ~6 shape ops on an (N, 8) tensor. Decorated: slower per
call than eager (graph-call overhead > savings), and a Python-list argument (TensorLike, the
documented way to call compose_transforms) retraces for every new value."""
import timeit
import tensorflow as tf

def flat_transforms_to_matrices(transforms, name=None):
    with tf.name_scope(name or "flat_transforms_to_matrices"):
        transforms = tf.convert_to_tensor(transforms, name="transforms")
        if transforms.shape.ndims not in (1, 2):
            raise ValueError("bad")
        transforms = tf.reshape(transforms, tf.constant([-1, 8]))
        n = tf.shape(transforms)[0]
        return tf.reshape(tf.concat([transforms, tf.ones([n, 1])], axis=1), tf.constant([-1, 3, 3]))

hyb = tf.function(flat_transforms_to_matrices)
t = tf.random.uniform([4, 8])
hyb(t)
n = 2000
e = timeit.timeit(lambda: flat_transforms_to_matrices(t), number=n) / n * 1e6
h = timeit.timeit(lambda: hyb(t), number=n) / n * 1e6
print(f"eager {e:.1f} us/call, hybrid {h:.1f} us/call, speedup {e/h:.2f}x")

hyb2 = tf.function(flat_transforms_to_matrices)
for k in range(6):
    hyb2([1.0, float(k), 0.0, 0.0, 1.0, 0.0, 0.0, 0.0])   # Python list, as in the docstring
print("python-list calls: 6, traces:", hyb2.experimental_get_tracing_count())
