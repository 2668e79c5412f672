"""Two chains where the named effect never happens on the traced path.
(a) tf-models vision/serving/detection.py DetectionModule.serve only does
    isinstance(self.params.task.model, configs.retinanet.RetinaNet): naming a class
    in isinstance does not construct it, so ParamsDict/Config.__init__ (and the
    chain's logging.warning) never run.
(b) video_input.process_image logs only `if is_training and num_test_clips != 1`;
    VideoClassificationModule._preprocess_image passes is_training=False,
    num_test_clips=1, so the warning never fires, eager or traced."""
import logging, tensorflow as tf
fired = []
class H(logging.Handler):
    def emit(self, r): fired.append(r.getMessage())
logging.getLogger().addHandler(H())

class RetinaNet:                     # stands for the hyperparams Config subclass
    def __init__(self, d=None):
        logging.warning("Config._set warning")

class DetectionModule:
    def __init__(self, model_cfg): self.model_cfg = model_cfg
    @tf.function
    def serve(self, images):
        if isinstance(self.model_cfg, RetinaNet):
            images = images * 2
        return images

def process_image(image, is_training=False, num_test_clips=1):
    if is_training and num_test_clips != 1:
        logging.warning("num_test_clips %d is ignored", num_test_clips)
    return tf.cast(image, tf.float32)

@tf.function
def inference(frames):
    return tf.map_fn(lambda im: process_image(im, is_training=False, num_test_clips=1),
                     frames, fn_output_signature=tf.float32)

m = DetectionModule(object())
for i in range(3):
    m.serve(tf.ones([2]) * i)
    inference(tf.ones([2, 3], tf.uint8))
print("warnings fired (traced serve + traced map_fn path):", fired)
assert fired == []
