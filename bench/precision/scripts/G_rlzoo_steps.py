"""corpus3 (rlzoo, HYB301): which of the reported update functions can really run as a tf.function,
called the way rlzoo's learn loops call them (NumPy batches from the rollout buffer).

- c_train(tfdc_r, s) starts with `tfdc_r = np.array(tfdc_r, dtype=np.float32)`: a NumPy argument of a
  tf.function is a symbolic tensor inside it, and np.array() of it fails (PPO-CLIP, PPO-penalty, TRPO).
- target_soft_update(net, target_net, soft_tau) (SAC) returns target_net, a model object: a tf.function
  may return only tensors (TypeError).
- assign_params_from_flat(x, params) (TRPO, returning tf.group) works as a tf.function, one trace, faster.
"""
import time

import numpy as np
import tensorflow as tf

critic = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu"), tf.keras.layers.Dense(1)])
critic.build((None, 8))
critic_opt = tf.keras.optimizers.Adam(1e-3)
bs = np.random.rand(256, 8).astype("float32")
br = np.random.rand(256, 1)  # np.array(discounted_r)[:, np.newaxis]


def c_train(tfdc_r, s):
    tfdc_r = np.array(tfdc_r, dtype=np.float32)
    with tf.GradientTape() as tape:
        closs = tf.reduce_mean(tf.square(tfdc_r - critic(s)))
    grad = tape.gradient(closs, critic.trainable_weights)
    critic_opt.apply_gradients(zip(grad, critic.trainable_weights))


c_train(br, bs)
print("c_train eager: ok")
try:
    tf.function(c_train)(br, bs)
    print("c_train as tf.function: ok")
except Exception as error:  # noqa: BLE001
    print(f"c_train as tf.function: {type(error).__name__}: {[l for l in str(error).splitlines() if l.strip()][-1].strip()[:150]}")


def nets():
    a = tf.keras.Sequential([tf.keras.layers.Dense(256, activation="relu"), tf.keras.layers.Dense(256), tf.keras.layers.Dense(2)])
    a.build((None, 8))
    return a


net, target = nets(), nets()


def target_soft_update(net, target_net, soft_tau):
    for target_param, param in zip(target_net.trainable_weights, net.trainable_weights):
        target_param.assign(target_param * (1.0 - soft_tau) + param * soft_tau)
    return target_net


def assign_params_from_flat(x, params):
    flat_size = lambda p: int(np.prod(p.shape.as_list()))  # noqa: E731
    splits = tf.split(x, [flat_size(p) for p in params])
    new_params = [tf.reshape(p_new, p.shape) for p, p_new in zip(params, splits)]
    return tf.group([p.assign(p_new) for p, p_new in zip(params, new_params)])


# rlzoo's networks are TensorLayer 2 models, whose weights are tf.Variables (Keras 3's are not)
params = [tf.Variable(tf.random.normal(shape)) for shape in ((8, 256), (256,), (256, 256), (256,), (256, 2), (2,))]
flat = tf.concat([tf.reshape(w, [-1]) for w in params], 0)
for name, fn, args in (("target_soft_update", target_soft_update, (net, target, 1e-2)),
                       ("assign_params_from_flat", assign_params_from_flat, (flat, params))):
    graph = tf.function(fn)
    for label, f in (("eager", fn), ("tf.function", graph)):
        try:
            f(*args)
        except Exception as error:  # noqa: BLE001
            print(f"{name} {label}: {type(error).__name__}: {str(error).splitlines()[0][:170]}")
            continue
        start = time.perf_counter()
        for _ in range(100):
            f(*args)
        print(f"{name} {label}: {(time.perf_counter() - start) * 10:.3f} ms per call")
    print(f"{name} traces: {graph.experimental_get_tracing_count()}")
