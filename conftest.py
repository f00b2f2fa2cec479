"""Every test and every notebook runs offline, whatever the developer's shell says."""

import os

os.environ["BEDROCK_MODE"] = "offline"
os.environ.pop("AWS_PROFILE", None)
# Stored notebook outputs name the region: the suite runs in the workbook's default (us-east-1),
# never in whatever region the developer's shell names.
os.environ.pop("AWS_REGION", None)
os.environ.pop("AWS_DEFAULT_REGION", None)
