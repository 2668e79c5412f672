"""DRLZ's Agent.update_cur_net calls Critic.update and Actor.update, each already a @tf.function (a critic and
an actor GradientTape step). Decorating the wrapper too merges two graph calls into one: what does that save
per environment step? Shapes of DRLZ's DDPG defaults (batch 64, 2 hidden layers of 64). TF 2.21."""

import time

import tensorflow as tf

batch, n_s, n_a = 64, 8, 2


def mlp(inputs, outputs):
    return tf.keras.Sequential([tf.keras.Input((inputs,)), tf.keras.layers.Dense(64, activation="relu"),
                                tf.keras.layers.Dense(64, activation="relu"), tf.keras.layers.Dense(outputs)])


actor, actor_target = mlp(n_s, n_a), mlp(n_s, n_a)
critic, critic_target = mlp(n_s + n_a, 1), mlp(n_s + n_a, 1)
opt_a, opt_c = tf.keras.optimizers.Adam(1e-3), tf.keras.optimizers.Adam(1e-3)


@tf.function
def critic_update(s, a, r, s2):
    with tf.GradientTape() as tape:
        y = r + 0.9 * critic_target(tf.concat([s2, actor_target(s2)], 1))
        loss = tf.reduce_mean(tf.square(y - critic(tf.concat([s, a], 1))))
    opt_c.apply_gradients(zip(tape.gradient(loss, critic.trainable_variables), critic.trainable_variables))


@tf.function
def actor_update(s):
    with tf.GradientTape() as tape:
        loss = -tf.reduce_mean(critic(tf.concat([s, actor(s)], 1)))
    opt_a.apply_gradients(zip(tape.gradient(loss, actor.trainable_variables), actor.trainable_variables))


def update_cur_net(s, a, r, s2):
    critic_update(s, a, r, s2)
    actor_update(s)


wrapped = tf.function(update_cur_net)
data = (tf.random.normal([batch, n_s]), tf.random.normal([batch, n_a]), tf.random.normal([batch, 1]),
        tf.random.normal([batch, n_s]))
for name, step in [("as in DRLZ (two graphs)", update_cur_net), ("wrapper decorated too", wrapped)] * 2:
    step(*data)
    start = time.perf_counter()
    for _ in range(300):
        step(*data)
    print(f"{name}: {(time.perf_counter() - start) / 300 * 1000:.2f} ms per step")
