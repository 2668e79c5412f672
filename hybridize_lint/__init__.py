"""hybridize-lint: find where TensorFlow functions can, and cannot, safely run as graphs."""

__version__ = "0.1.0"
