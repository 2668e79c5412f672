"""HYB108 in TensorFlowTTS's GanBasedTrainer: the per-step graph function tests the Python int
`self.steps >= discriminator_train_start_steps`; with an input_signature it is traced once, so the
discriminator branch keeps the value of the first trace however far `steps` advances."""
import tensorflow as tf


class Trainer:
    def __init__(self):
        self.steps = 0
        self.start = 3
        self.discriminator_updates = tf.Variable(0)
        self.one_step = tf.function(self._one_step, input_signature=[tf.TensorSpec([None], tf.float32)])

    def _one_step(self, batch):
        if self.steps >= self.start:
            self.discriminator_updates.assign_add(1)
        return tf.reduce_sum(batch)

    def train(self, n):
        for _ in range(n):
            self.one_step(tf.ones([2]))
            self.steps += 1


graph = Trainer()
graph.train(6)
tf.config.run_functions_eagerly(True)
eager = Trainer()
eager.train(6)
print("discriminator updates: graph", int(graph.discriminator_updates), "eager", int(eager.discriminator_updates))
