"""keras-neural-processes knp/data.py: a `@tf.function` defined in a loop over classes and only handed to
`Dataset.map` (HYB202 said: created once per iteration). Does the decoration add traces? Count Python runs of
the body (once per trace) with and without `@tf.function`, for 3 classes, then iterate the datasets twice."""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf

for decorated in (False, True):
    traces = []
    datasets = []
    for class_id in range(3):
        def gather(index, class_id=class_id):
            traces.append(class_id)
            return index * 2 + class_id
        fn = tf.function(gather) if decorated else gather
        datasets.append(tf.data.Dataset.range(5).map(fn))
    built = len(traces)
    for _ in range(2):
        for ds in datasets:
            list(ds.as_numpy_iterator())
    print(f"decorated={decorated}: {built} traces building 3 pipelines, {len(traces)} after iterating twice")
