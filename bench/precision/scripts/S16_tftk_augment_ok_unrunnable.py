"""tftk's augment_ok/image.py (an unused copy of image/augument.py): its mixup_apply cannot run (TypeError)."""
import sys, types, importlib.util, pathlib, tensorflow as tf
sys.modules["tensorflow_addons"] = types.ModuleType("tensorflow_addons")
sys.modules["tensorflow_probability"] = types.ModuleType("tensorflow_probability")
spec = importlib.util.spec_from_file_location("m", pathlib.Path(__file__).parents[3] / ".corpus/tftk/tftk/augment_ok/image.py")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
ds = tf.data.Dataset.from_tensor_slices({"image": tf.zeros([4, 4, 4, 3]), "label": tf.zeros([4, 2])})
try:
    ds.apply(m.ImageAugument.mixup_apply(ds, 2, 0.2)); print("mixup OK")
except Exception as e:
    print("augment_ok mixup_apply broken:", type(e).__name__, e)
