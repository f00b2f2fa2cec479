"""A plain ConverseStream loop, as in the Bedrock documentation; it knows nothing of the workbook."""

import boto3

client = boto3.client("bedrock-runtime", region_name="us-east-1")

response = client.converse_stream(
    modelId="global.anthropic.claude-sonnet-4-6",
    messages=[{"role": "user", "content": [{"text": "Create a list of 3 pop songs."}]}],
    system=[
        {
            "text": "You are an app that creates playlists for a radio station that plays rock and pop music. "
            "Only return song names and the artist."
        }
    ],
    inferenceConfig={"temperature": 0.5},
    additionalModelRequestFields={"top_k": 200},
)

for event in response["stream"]:
    if "messageStart" in event:
        print(f"\nRole: {event['messageStart']['role']}")
    if "contentBlockDelta" in event:
        print(event["contentBlockDelta"]["delta"]["text"], end="")
    if "messageStop" in event:
        print(f"\nStop reason: {event['messageStop']['stopReason']}")
    if "metadata" in event:
        metadata = event["metadata"]
        if "usage" in metadata:
            print("\nToken usage")
            print(f"Input tokens: {metadata['usage']['inputTokens']}")
            print(f":Output tokens: {metadata['usage']['outputTokens']}")
            print(f":Total tokens: {metadata['usage']['totalTokens']}")
        if "metrics" in event["metadata"]:
            print(f"Latency: {metadata['metrics']['latencyMs']} milliseconds")
