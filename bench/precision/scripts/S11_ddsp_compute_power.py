"""ddsp's compute_power (pad, frame, RMS, amplitude_to_db), called once per batch by
compute_dataset_statistics' single pass over a dataset: eager against tf.function on a batch of 16 clips of
4 s at 16 kHz. TF 2.21."""

import time

import tensorflow as tf


def amplitude_to_db(amplitude, ref_db=0.0, range_db=80.0):
    power = amplitude ** 2.0
    db = 10.0 * tf.math.log(tf.maximum(power, 1e-20)) / tf.math.log(10.0)
    db -= ref_db
    return tf.maximum(db, -range_db)


def compute_power(audio, sample_rate=16000, frame_rate=250, frame_size=512):
    audio = tf.cast(audio, tf.float32)
    hop_size = sample_rate // frame_rate
    padding = [[0, 0], [frame_size // 2, frame_size // 2]]
    audio = tf.pad(audio, padding, mode="CONSTANT")
    frames = tf.signal.frame(audio, frame_size, hop_size, pad_end=False)
    rms = tf.reduce_mean(frames ** 2.0, axis=-1) ** 0.5
    return amplitude_to_db(rms)


graph = tf.function(compute_power)
batches = [tf.random.normal([16, 64000]) for _ in range(30)]
graph(batches[0])
for name, fn in [("eager", compute_power), ("tf.function", graph)]:
    fn(batches[0])
    start = time.perf_counter()
    for batch in batches:
        fn(batch).numpy()
    print(f"{name}: {(time.perf_counter() - start) / len(batches) * 1000:.2f} ms per batch")
