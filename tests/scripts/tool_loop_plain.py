"""The tool-use loop of the Bedrock user guide ("Use a tool to complete an Amazon Bedrock model
response"), Converse or ConverseStream; it knows nothing of the workbook. Usage: tool_loop_plain.py [stream]"""

import json
import sys

import boto3


class StationNotFoundError(Exception):
    """Raised when a radio station isn't found."""


def get_top_song(call_sign):
    if call_sign == "WZPZ":
        return "Elemental Hotel", "8 Storey Hike"
    raise StationNotFoundError(f"Station {call_sign} not found.")


TOOL_CONFIG = {
    "tools": [
        {
            "toolSpec": {
                "name": "top_song",
                "description": "Get the most popular song played on a radio station.",
                "inputSchema": {
                    "json": {
                        "type": "object",
                        "properties": {
                            "sign": {
                                "type": "string",
                                "description": "The call sign for the radio station for which you want the most "
                                "popular song. Example calls signs are WZPZ and WKRP.",
                            }
                        },
                        "required": ["sign"],
                    }
                },
            }
        }
    ]
}


def converse(client, messages):
    return client.converse(modelId="amazon.nova-lite-v1:0", messages=messages, toolConfig=TOOL_CONFIG)["output"][
        "message"
    ]


def converse_stream(client, messages):
    """Rebuild the assistant message from the stream: text deltas, and tool input as JSON pieces."""
    response = client.converse_stream(modelId="amazon.nova-lite-v1:0", messages=messages, toolConfig=TOOL_CONFIG)
    content, tool_use, text = [], {}, ""
    for event in response["stream"]:
        if "contentBlockStart" in event:
            tool = event["contentBlockStart"]["start"]["toolUse"]
            tool_use = {"toolUseId": tool["toolUseId"], "name": tool["name"], "input": ""}
        elif "contentBlockDelta" in event:
            delta = event["contentBlockDelta"]["delta"]
            if "toolUse" in delta:
                tool_use["input"] += delta["toolUse"]["input"]
            elif "text" in delta:
                text += delta["text"]
        elif "contentBlockStop" in event:
            if tool_use:
                tool_use["input"] = json.loads(tool_use["input"])
                content.append({"toolUse": tool_use})
                tool_use = {}
            elif text:
                content.append({"text": text})
                text = ""
    return {"role": "assistant", "content": content}


def main():
    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    send = converse_stream if sys.argv[1:] == ["stream"] else converse
    messages = [{"role": "user", "content": [{"text": "What is the most popular song on WZPZ?"}]}]
    for _ in range(5):  # a turn limit, so a model that keeps calling tools cannot loop forever
        output = send(client, messages)
        messages.append(output)
        uses = [block["toolUse"] for block in output["content"] if "toolUse" in block]
        if not uses:
            break
        results = []
        for use in uses:
            print(f"Requesting tool {use['name']} with input {json.dumps(use['input'])}")
            try:
                song, artist = get_top_song(use["input"]["sign"])
                result = {"toolUseId": use["toolUseId"], "content": [{"json": {"song": song, "artist": artist}}]}
            except StationNotFoundError as err:
                result = {"toolUseId": use["toolUseId"], "content": [{"text": err.args[0]}], "status": "error"}
            results.append({"toolResult": result})
        messages.append({"role": "user", "content": results})
    for block in messages[-1]["content"]:
        if "text" in block:
            print(block["text"])


if __name__ == "__main__":
    main()
