"""A print in a classmethod a tf.function's switch_case branch calls, mapped over a dataset: once per trace."""
import tensorflow as tf
n_print = 0; n_calls = tf.Variable(0)
class Aug:
    @classmethod
    def equalize(cls, image):
        global n_print; n_print += 1
        print("equalize print:", image)
        return image
def make():
    @tf.function
    def distort_each_ops(data):
        n_calls.assign_add(1)
        i = tf.random.uniform([], maxval=2, dtype=tf.int32)
        return tf.switch_case(i, branch_fns={0: lambda: data["image"], 1: lambda: Aug.equalize(data["image"])})
    def distort(data):
        for _ in range(2):
            data["image"] = distort_each_ops(data)
        return data
    return distort
ds = tf.data.Dataset.from_tensor_slices({"image": tf.zeros([10, 4, 4, 3], tf.uint8)}).map(make())
n = sum(1 for _ in ds)
print(f"elements={n} distort_each_ops executions={int(n_calls.numpy())} python print count={n_print}")
