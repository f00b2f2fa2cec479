"""The offline Bedrock emulator: wire-compatible bedrock-runtime and bedrock control plane.

from helpers.offline import attach, faults      # in-process, on a botocore client
python -m helpers.offline --port 8765           # standalone server on 127.0.0.1
"""

from .emulator import Emulator
from .inprocess import attach, emulator_of, faults, shared_emulator

__all__ = ["Emulator", "attach", "emulator_of", "faults", "shared_emulator"]
