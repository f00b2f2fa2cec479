// Decode the emulator's ConverseStream and InvokeModelWithResponseStream with the AWS SDK for JavaScript v3.
// Usage: node decode_streams.mjs <endpoint> [whole|broken] [http2|http1]; prints one JSON line with
// what was decoded. "broken" reads one ConverseStream that the emulator was told to break midway.
// http2 (the SDK's default for this service) or http1 (the SDK's NodeHttpHandler) picks the transport.
import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const client = new BedrockRuntimeClient({
  region: "us-east-1",
  endpoint: process.argv[2],
  credentials: { accessKeyId: "AKIADUMMYDUMMYDUMMY0", secretAccessKey: "dummy" },
  maxAttempts: 1,
  ...(process.argv[4] === "http1" ? { requestHandler: new NodeHttpHandler() } : {}),
});

const mode = process.argv[3] ?? "whole";
const ask = {
  modelId: "global.anthropic.claude-haiku-4-5-20251001-v1:0",
  messages: [{ role: "user", content: [{ text: "Tell me about rivers." }] }],
};

if (mode === "broken") {
  const received = [];
  try {
    const broken = await client.send(new ConverseStreamCommand(ask));
    for await (const event of broken.stream) received.push(Object.keys(event).find((key) => event[key] !== undefined));
    console.log(JSON.stringify({ received, error: null }));
  } catch (error) {
    console.log(JSON.stringify({ received, error: { name: error.name, message: error.message } }));
  }
  process.exit(0);
}

const converse = await client.send(new ConverseStreamCommand(ask));
const converseEvents = [];
let converseText = "";
let usage = null;
let stopReason = null;
for await (const event of converse.stream) {
  const kind = Object.keys(event).find((key) => event[key] !== undefined);
  converseEvents.push(kind);
  if (event.contentBlockDelta) converseText += event.contentBlockDelta.delta.text;
  if (event.messageStop) stopReason = event.messageStop.stopReason;
  if (event.metadata) usage = event.metadata.usage;
}

const invoke = await client.send(new InvokeModelWithResponseStreamCommand({
  modelId: "us.amazon.nova-lite-v1:0",
  contentType: "application/json",
  body: JSON.stringify({
    schemaVersion: "messages-v1",
    messages: [{ role: "user", content: [{ text: "Tell me about rivers." }] }],
    inferenceConfig: { maxTokens: 500 },
  }),
}));
const chunks = [];
let invokeText = "";
for await (const event of invoke.body) {
  if (event.chunk) {
    const chunk = JSON.parse(new TextDecoder().decode(event.chunk.bytes));
    chunks.push(Object.keys(chunk)[0]);
    if (chunk.contentBlockDelta) invokeText += chunk.contentBlockDelta.delta.text;
  }
}

console.log(JSON.stringify({
  converseEvents, converseText, stopReason, usage, invokeContentType: invoke.contentType,
  chunks, invokeText,
}));
