"""Every test and every notebook runs offline, whatever the developer's shell says."""
import os

os.environ["BEDROCK_MODE"] = "offline"
os.environ.pop("AWS_PROFILE", None)
