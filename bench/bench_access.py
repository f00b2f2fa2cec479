"""Issue 5 target: what enforcing IAM offline costs beyond the IAM reads it cannot avoid.

A Converse call signed with an IAM user's key and checked against moto's IAM, versus the same
Converse call unchecked plus the three IAM reads a check needs (key -> user, the key's status, the
account's authorization details), made directly: target <= 1.3x.
"""

from __future__ import annotations

import os
import sys

import boto3

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from timing import compare, row  # noqa: E402

os.environ["BEDROCK_MODE"] = "offline"

import helpers.iam  # noqa: E402
from helpers.offline import Emulator, attach, iam_server  # noqa: E402
from helpers.offline.access import enforce_iam  # noqa: E402

MESSAGES = [{"role": "user", "content": [{"text": "Create a list of 3 pop songs."}]}]
MODEL = "amazon.nova-lite-v1:0"


def run() -> list[dict]:
    iam_server.reset()
    iam = helpers.iam.iam_client()
    user = helpers.iam.create_runtime_user(iam)

    def client(emulator):
        runtime = boto3.client(
            "bedrock-runtime",
            region_name="us-west-2",
            aws_access_key_id=user["AccessKeyId"],
            aws_secret_access_key=user["SecretAccessKey"],
        )
        attach(runtime, emulator)
        return runtime

    checked_emulator = Emulator()
    enforce_iam(checked_emulator, iam)
    checked, unchecked = client(checked_emulator), client(Emulator())

    def subject():
        checked.converse(modelId=MODEL, messages=MESSAGES)

    def floor():
        unchecked.converse(modelId=MODEL, messages=MESSAGES)
        iam.get_access_key_last_used(AccessKeyId=user["AccessKeyId"])
        iam.list_access_keys(UserName=user["UserName"])
        iam.get_account_authorization_details(Filter=["User", "Group", "LocalManagedPolicy"])

    try:
        _, _, ratio = compare(subject, floor, calls=20, rounds=5)
    finally:
        helpers.iam.delete_runtime_user(iam, user["UserName"], user["PolicyArn"])
    return [row("access: IAM-checked Converse vs unchecked + IAM reads", ratio, "x", 1.3)]
