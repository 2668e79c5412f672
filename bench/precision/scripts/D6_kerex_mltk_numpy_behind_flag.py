"""kerex 1.1.8 dataloader.py (_parse_read -> _get_data_structure() -> _bytes_feature/_int64_feature .numpy()) and
silabs-mltk 0.20.0 preprocess/utils/{audio,image}.py (read_audio_file / read_image_file .numpy() under
`if return_numpy:`): HYB501 says the .numpy() fails when the dataset.map function runs as a graph.
In both, the graph call sites never take the branch with .numpy(): kerex's _parse_read calls
_get_data_structure() with no kwargs (the branch that returns FixedLenFeature specs), mltk's maps pass
return_numpy=False.  Bodies copied (trimmed); run them through dataset.map as the packages do."""
import os, tempfile, wave
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tensorflow as tf


# --- kerex: TFRecordsHandlerBase (trimmed to the methods on the path) ---
class Handler:
    metadata = {"x": {"shape_names": ["n"], "dtype": tf.float32}}

    @staticmethod
    def _bytes_feature(value):
        if isinstance(value, tf.Tensor):
            value = value.numpy()
        return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value]))

    @staticmethod
    def _int64_feature(value):
        if isinstance(value, tf.Tensor):
            value = value.numpy()
        return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))

    def _get_data_structure(self, **kwargs):
        if not kwargs:
            features = {k: tf.io.FixedLenFeature([], tf.string) for k in self.metadata}
            dims = {f"{k}_{s}": tf.io.FixedLenFeature([], tf.int64) for k in self.metadata for s in self.metadata[k]["shape_names"]}
            return {**features, **dims}
        features = {k: self._bytes_feature(tf.io.serialize_tensor(v)) for k, v in kwargs.items()}
        dims = {f"{k}_{d}": self._int64_feature(v.shape[i]) for k, v in kwargs.items() for i, d in enumerate(self.metadata[k]["shape_names"])}
        return {**features, **dims}

    def _parse_read(self, serialized):
        s = tf.io.parse_single_example(serialized, self._get_data_structure())
        return tf.reshape(tf.io.parse_tensor(s.pop("x"), out_type=tf.float32), (s.pop("x_n"),))


h = Handler()
path = os.path.join(tempfile.mkdtemp(), "d.tfrecord")
with tf.io.TFRecordWriter(path) as w:  # eager write path (the one with .numpy())
    for n in (3, 5):
        ex = tf.train.Example(features=tf.train.Features(feature=h._get_data_structure(x=tf.range(n, dtype=tf.float32))))
        w.write(ex.SerializeToString())
print("kerex read via dataset.map:", [t.numpy().tolist() for t in tf.data.TFRecordDataset(path).map(h._parse_read)])


# --- silabs-mltk read_audio_file (trimmed), mapped with return_numpy=False as load_audio_directory does ---
def read_audio_file(path, return_sample_rate=False, return_numpy=True):
    raw = tf.io.read_file(path)
    sample, sr = tf.audio.decode_wav(raw, desired_channels=1)
    sample = tf.squeeze(sample, axis=-1)
    if return_numpy:
        sample = sample.numpy()
    if return_sample_rate:
        if return_numpy:
            sr = int(sr.numpy())
        return sample, sr
    return sample


wav = os.path.join(tempfile.mkdtemp(), "a.wav")
with wave.open(wav, "wb") as f:
    f.setnchannels(1); f.setsampwidth(2); f.setframerate(8000); f.writeframes((np.arange(80) * 100).astype("<i2").tobytes())
ds = tf.data.Dataset.from_tensor_slices([wav]).map(lambda x: read_audio_file(x, return_numpy=False, return_sample_rate=True))
print("mltk read_audio_file via dataset.map(return_numpy=False):", [(s.shape, int(r)) for s, r in ds])
try:
    list(tf.data.Dataset.from_tensor_slices([wav]).map(lambda x: read_audio_file(x)))
except Exception as e:  # the branch HYB501 describes, which no graph caller takes
    print("with return_numpy=True in a map it would fail:", type(e).__name__)

# Result (TensorFlow 2.21, this 2-core machine, nice):
#   kerex read via dataset.map: [[0.0, 1.0, 2.0], [0.0, 1.0, 2.0, 3.0, 4.0]]
#   mltk read_audio_file via dataset.map(return_numpy=False): [(TensorShape([80]), 8000)]
#   with return_numpy=True in a map it would fail: AttributeError
