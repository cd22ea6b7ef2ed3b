"""Live, seeded examples of what Keras recurrent layers return.

Importing the package is cheap: each public name (listed once, in ``__init__.pyi``)
is imported from its submodule the first time it is used, so Keras (and its
backend) loads only then, and ``lstm_examples.reference`` and the validation
helpers stay importable without TensorFlow.

>>> import lstm_examples
>>> [example.number for example in lstm_examples.EXAMPLES]
[1, 2, 3, 4, 5]
>>> "explain" in lstm_examples.__all__ and "reference" not in lstm_examples.__all__
True
"""

import lazy_loader

__version__ = "0.1.0"

__getattr__, __dir__, _names = lazy_loader.attach_stub(__name__, __file__)
__all__ = [*_names, "__version__"]  # noqa: PLE0604 - the names come from __init__.pyi
