"""The event-stream encoder against hand-computed frames and botocore's own decoder."""

import json
import struct
import zlib

import pytest
from botocore.eventstream import ChecksumMismatch, EventStreamBuffer, InvalidHeadersLength

from helpers.offline import eventstream

# Vectors of the event-stream specification (the AWS SDKs' shared test cases), byte for byte.
EMPTY = bytes.fromhex("000000100000000005c248eb7d98c8ff")
PAYLOAD_ONLY = bytes.fromhex("0000001d00000000fd528c5a" + b"{'foo':'bar'}".hex() + "c3653936")
ONE_STRING_HEADER = bytes.fromhex(
    "0000003d"
    "00000020"
    "07fd8396"
    "0c" + b"content-type".hex() + "07"
    "0010" + b"application/json".hex() + b"{'foo':'bar'}".hex() + "8d9c08b1"
)


def decode(data: bytes):
    buffer = EventStreamBuffer()
    buffer.add_data(data)
    return list(buffer)


@pytest.mark.parametrize(
    "headers, payload, expected",
    [
        ({}, b"", EMPTY),
        ({}, b"{'foo':'bar'}", PAYLOAD_ONLY),
        ({"content-type": "application/json"}, b"{'foo':'bar'}", ONE_STRING_HEADER),
    ],
    ids=["empty", "payload-only", "one-string-header"],
)
def test_matches_specification_vectors(headers, payload, expected):
    assert eventstream.frame(headers, payload) == expected


def test_hand_computed_lengths_and_crcs():
    payload = b'{"role":"assistant"}'
    data = eventstream.event_frame("messageStart", {"role": "assistant"}, pad=False)
    block = (
        b"\x0b:event-type\x07\x00\x0cmessageStart"
        b"\x0d:content-type\x07\x00\x10application/json"
        b"\x0d:message-type\x07\x00\x05event"
    )
    total = 12 + len(block) + len(payload) + 4
    assert data[:8] == struct.pack(">II", total, len(block))
    assert data[8:12] == struct.pack(">I", zlib.crc32(data[:8]))
    assert data[12 : 12 + len(block)] == block
    assert data[12 + len(block) : -4] == payload
    assert data[-4:] == struct.pack(">I", zlib.crc32(data[:-4]))
    assert len(data) == total


def test_every_header_type_round_trips_through_botocore():
    headers = {"yes": True, "no": False, "small": -7, "big": 2**40, "raw": b"\x00\x01", "text": "h\u00e9"}
    [message] = decode(eventstream.frame(headers, b"payload"))
    assert message.headers == headers
    assert message.payload == b"payload"


def test_botocore_decodes_a_sequence_of_frames_split_anywhere():
    frames = b"".join(
        eventstream.event_frame("contentBlockDelta", {"i": i, "t": "x" * i}, pad=False) for i in range(50)
    )
    buffer = EventStreamBuffer()
    decoded = []
    for start in range(0, len(frames), 7):  # arbitrary chunk boundaries, as a socket delivers them
        buffer.add_data(frames[start : start + 7])
        decoded.extend(buffer)
    assert [m.headers[":event-type"] for m in decoded] == ["contentBlockDelta"] * 50
    assert decoded[49].payload == b'{"i":49,"t":"' + b"x" * 49 + b'"}'


def test_exception_frame_headers():
    [message] = decode(eventstream.exception_frame("throttlingException", {"message": "slow down"}))
    assert message.headers == {
        ":exception-type": "throttlingException",
        ":content-type": "application/json",
        ":message-type": "exception",
    }
    assert message.payload == b'{"message":"slow down"}'


@pytest.mark.parametrize("offset", [0, 3, 4, 7, 8, 11], ids=lambda o: f"prelude-byte-{o}")
def test_a_changed_prelude_byte_is_rejected_by_botocore(offset):
    data = bytearray(ONE_STRING_HEADER)
    data[offset] ^= 0x01
    with pytest.raises((ChecksumMismatch, InvalidHeadersLength)):
        decode(bytes(data) + b"\x00" * 64)


def test_a_changed_message_crc_is_rejected_by_botocore():
    data = bytearray(ONE_STRING_HEADER)
    data[-1] ^= 0x01
    with pytest.raises(ChecksumMismatch):
        decode(bytes(data))


def test_padding_keeps_payload_sizes_in_steps():
    for n in range(1, 40):
        payload = eventstream.padded_json({"delta": {"text": "x" * n}})
        assert len(payload) % 32 == 0
        assert json.loads(payload) == {"delta": {"text": "x" * n}, "p": json.loads(payload)["p"]}
    assert eventstream.padded_json({"a": 1}) == b'{"a":1,"p":"' + eventstream.PADDING[:18].encode() + b'"}'  # 32 bytes
    assert eventstream.padded_json({}) == b'{"p":"' + eventstream.PADDING[:24].encode() + b'"}'  # 32 bytes


def test_event_frames_are_padded_unless_asked_not_to():
    [padded] = decode(eventstream.event_frame("messageStop", {"stopReason": "end_turn"}))
    [plain] = decode(eventstream.event_frame("messageStop", {"stopReason": "end_turn"}, pad=False))
    assert json.loads(padded.payload)["p"] and len(padded.payload) % 32 == 0
    assert plain.payload == b'{"stopReason":"end_turn"}'


@pytest.mark.parametrize(
    "headers, payload, message",
    [
        ({"": "x"}, b"", "must be 1 to 255 bytes"),
        ({"n" * 256: "x"}, b"", "must be 1 to 255 bytes"),
        ({"h": "x" * 65536}, b"", "longer than 65535"),
        ({}, b"x" * (16 * 1024 * 1024 + 1), "16 MiB"),
    ],
    ids=["empty-name", "long-name", "long-value", "huge-payload"],
)
def test_frames_the_decoders_would_refuse_are_never_built(headers, payload, message):
    with pytest.raises(ValueError, match=message):
        eventstream.frame(headers, payload)
