"""The PyTorch parity tests run only in the ``torch-parity`` Nox session.

That session installs PyTorch and sets ``LSTM_STATES_TORCH_PARITY=1``. Without the
variable these tests are not collected, so the ordinary test run needs no PyTorch;
with it, a missing PyTorch is an error, never a skip.
"""

from __future__ import annotations

import os

collect_ignore_glob = [] if os.environ.get("LSTM_STATES_TORCH_PARITY") == "1" else ["test_*.py"]
