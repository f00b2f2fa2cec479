"""Amazon Nova's InvokeModelWithResponseStream example, as in the Nova user guide."""

import json
from datetime import datetime

import boto3

client = boto3.client("bedrock-runtime", region_name="us-east-1")

LITE_MODEL_ID = "us.amazon.nova-lite-v1:0"

system_list = [
    {
        "text": "Act as a creative writing assistant. When the user provides you with a topic, "
        "write a short story about that topic."
    }
]
message_list = [{"role": "user", "content": [{"text": "A camping trip"}]}]
inf_params = {"maxTokens": 500, "topP": 0.9, "topK": 20, "temperature": 0.7}

request_body = {
    "schemaVersion": "messages-v1",
    "messages": message_list,
    "system": system_list,
    "inferenceConfig": inf_params,
}

start_time = datetime.now()
response = client.invoke_model_with_response_stream(modelId=LITE_MODEL_ID, body=json.dumps(request_body))
request_id = response.get("ResponseMetadata").get("RequestId")
print(f"Request ID: {request_id}")
print("Awaiting first token...")

chunk_count = 0
time_to_first_token = None
stream = response.get("body")
if stream:
    for event in stream:
        chunk = event.get("chunk")
        if chunk:
            chunk_json = json.loads(chunk.get("bytes").decode())
            content_block_delta = chunk_json.get("contentBlockDelta")
            if content_block_delta:
                if time_to_first_token is None:
                    time_to_first_token = datetime.now() - start_time
                    print(f"Time to first token: {time_to_first_token}")
                chunk_count += 1
                print(content_block_delta.get("delta").get("text"), end="")
    print(f"\nTotal chunks: {chunk_count}")
else:
    print("No response stream received.")
