#!/usr/bin/env python3
"""Writes vectors/tl.json: TL encode/decode pairs in the JSON form of docs/tl.md (the shim ops
tl_encode and tl_decode) and invalid inputs with their error names.

The bytes are built here by a second, independent TL writer (page core.telegram.org/mtproto/
serialize: little-endian 32-bit words; strings with a 1-byte length up to 253 bytes, else 0xFE and
a 3-byte length; zero padding to 4). Constructor ids are read from the schema files of
proto/schema/. The resPQ, req_pq_multi and p_q_inner_data_dc payloads are the official ones of
core.telegram.org/mtproto/samples-auth_key (../shared/spec/auth_key_sample.txt)."""
import struct

from vecfile import VectorFile



# Constructor ids as published in the schemas (proto/schema/mtproto_schema.tl, secret_api.tl;
# core.telegram.org/schema/mtproto and the secret-chat schema), copied here so that the
# generator runs on a copy of vectors/ alone (vectors/gen/check).
MTP = {
    "bad_msg_notification": 0xa7eff811,
    "bad_server_salt": 0xedab447b,
    "destroy_auth_key": 0xd1435160,
    "destroy_session_ok": 0xe22045fc,
    "future_salts": 0xae500895,
    "get_future_salts": 0xb921bd04,
    "http_wait": 0x9299359f,
    "msg_container": 0x73f1f8dc,
    "msg_copy": 0xe06046b2,
    "msgs_ack": 0x62d6b459,
    "msgs_state_info": 0x04deb57d,
    "new_session_created": 0x9ec20908,
    "ping": 0x7abe77ec,
    "ping_delay_disconnect": 0xf3427b8c,
    "pong": 0x347773c5,
    "rpc_error": 0x2144ca19,
    "rpc_result": 0xf35c6d01,
}
E2E = {
    "decryptedMessage": 0x91cc4674,
    "decryptedMessageLayer": 0x1be31789,
    "documentAttributeVideo": 0x0ef02ce6,
    "messageEntityBold": 0xbd610bc9,
}
MESSAGE_ID = 0x5BB8E511  # `message` has no #id in the schema: the CRC32 of its declaration
VECTOR = 0x1CB5C415


def i32(v):
    return struct.pack("<i", v)


def i64(v):
    return struct.pack("<q", v)


def cid(v):
    return struct.pack("<I", v)


def tstr(b, long_form=False):
    if len(b) <= 253 and not long_form:
        head = bytes([len(b)])
    else:
        head = b"\xfe" + struct.pack("<I", len(b))[:3]
    body = head + b
    return body + b"\x00" * (-len(body) % 4)


def vec_long(vals):
    return cid(VECTOR) + i32(len(vals)) + b"".join(i64(v) for v in vals)


def longs(vals):
    return [str(v) for v in vals]


# The official payloads, transcribed from the page (wire order); message headers are stripped
# where the sample shows a whole unencrypted message (auth_key_id, msg_id, length: 20 bytes).
REQ_PQ_MULTI = bytes.fromhex(
    "f18e7ebe406709f612fadfbec3f0289d0aa67eef"
)
RES_PQ = bytes.fromhex(
    "63241605406709f612fadfbec3f0289d0aa67eefe11dbc3bc97d91a26154f932af01994308256595edb77667"
    "9700000015c4b51c03000000a5b7f709355fc30b216be86c022bb4c385fd64de851d9dd0"
)
P_Q_INNER_DATA_DC = bytes.fromhex(
    "955ff5a908256595edb7766797000000045a300d4b000000046a26db65000000406709f612fadfbec3f0289d"
    "0aa67eefe11dbc3bc97d91a26154f932af019943a8bbc849512dac6c67b6efd9157d6ca7377a1776307d8426"
    "5c6be9bdcf802ac102000000"
)
CLIENT_DH_INNER_DATA = bytes.fromhex(
    "54b64366406709f612fadfbec3f0289d0aa67eefe11dbc3bc97d91a26154f932af0199430000000000000000"
    "fe000100a215d057bc6648453d68c2f418a38d9d4f4fa47e5d520ac7ebc2adc3b00075090c10a1e9d96a5dda"
    "127317f2ddc165c5f6c8c2854648c106d0d9df684dae70b0e6021658806245b494b762b1979e8bd597b5cc8e"
    "43a80f96ca47fb0765c98d40529f3d94c82113ae32c603aa24411ef8b330565a1d66ea6b89c9d4f8affeea39"
    "7c4b247564215d147b6ad0df7f3fb4499e89e34304531d87448b91967b5bd53093f09386c0f78940c1dd6aa7"
    "c8667e15857453e6aad275f94cd386468cf49108fb7c54282596a4d0314dce9efed4066a6e072471439aeaaa"
    "74157db7dd53f01982982534dee8740610ba433bf459b3dfe38674561f31991ce007ba112dda6718"
)
DH_GEN_OK = bytes.fromhex(
    "34f7cb3b406709f612fadfbec3f0289d0aa67eefe11dbc3bc97d91a26154f932af0199431142871352165e59"
    "e1124036b48b97d3"
)


def hx(b):
    return b.hex()


def pairs():
    """(comment, schema, json, bytes) of valid values."""
    out = []

    def add(comment, js, data, schema="mtproto"):
        out.append((comment, schema, js, data))

    n1, n2 = bytes.fromhex("406709f612fadfbec3f0289d0aa67eef"), bytes.fromhex("e11dbc3bc97d91a26154f932af019943")
    fps = list(struct.unpack("<3q", RES_PQ[-24:]))
    pq = RES_PQ[37:45]  # after id, nonce, server_nonce and the length byte 08
    add("official resPQ (samples-auth_key step 2)",
        {"_": "resPQ", "nonce": hx(n1), "server_nonce": hx(n2), "pq": hx(pq),
         "server_public_key_fingerprints": longs(fps)}, RES_PQ)
    add("official req_pq_multi (samples-auth_key step 1)",
        {"_": "req_pq_multi", "nonce": hx(n1)}, REQ_PQ_MULTI)
    nn = P_Q_INNER_DATA_DC[64:96]
    add("official p_q_inner_data_dc (samples-auth_key step 4)",
        {"_": "p_q_inner_data_dc", "pq": hx(pq), "p": hx(P_Q_INNER_DATA_DC[17:21]),
         "q": hx(P_Q_INNER_DATA_DC[25:29]),
         "nonce": hx(n1), "server_nonce": hx(n2), "new_nonce": hx(nn), "dc": 2}, P_Q_INNER_DATA_DC)
    add("official dh_gen_ok (samples-auth_key step 9)",
        {"_": "dh_gen_ok", "nonce": hx(n1), "server_nonce": hx(n2), "new_nonce_hash1": hx(DH_GEN_OK[-16:])},
        DH_GEN_OK)
    g_b = CLIENT_DH_INNER_DATA[48:48 + 256]
    add("official client_DH_inner_data (samples-auth_key step 7; g_b in the 0xFE length form)",
        {"_": "client_DH_inner_data", "nonce": hx(n1), "server_nonce": hx(n2), "retry_id": "0",
         "g_b": hx(g_b)}, CLIENT_DH_INNER_DATA)
    add("ping", {"_": "ping", "ping_id": "-2"}, cid(MTP["ping"]) + i64(-2))
    add("pong", {"_": "pong", "msg_id": "6953700000000000001", "ping_id": "9223372036854775807"},
        cid(MTP["pong"]) + i64(6953700000000000001) + i64(2**63 - 1))
    add("ping_delay_disconnect", {"_": "ping_delay_disconnect", "ping_id": "-9223372036854775808",
                                  "disconnect_delay": 75},
        cid(MTP["ping_delay_disconnect"]) + i64(-2**63) + i32(75))
    ids = [6953700000000000004, 6953700000000000008, 1]
    add("msgs_ack", {"_": "msgs_ack", "msg_ids": longs(ids)}, cid(MTP["msgs_ack"]) + vec_long(ids))
    add("msgs_ack, empty", {"_": "msgs_ack", "msg_ids": []}, cid(MTP["msgs_ack"]) + vec_long([]))
    for code in (16, 17, 18, 19, 20, 32, 33, 34, 35, 48, 64):
        add("bad_msg_notification %d" % code,
            {"_": "bad_msg_notification", "bad_msg_id": "6953700000000000004", "bad_msg_seqno": 3,
             "error_code": code},
            cid(MTP["bad_msg_notification"]) + i64(6953700000000000004) + i32(3) + i32(code))
    add("bad_server_salt", {"_": "bad_server_salt", "bad_msg_id": "6953700000000000004", "bad_msg_seqno": 3,
                            "error_code": 48, "new_server_salt": "-6138414245468549617"},
        cid(MTP["bad_server_salt"]) + i64(6953700000000000004) + i32(3) + i32(48) + i64(-6138414245468549617))
    add("new_session_created", {"_": "new_session_created", "first_msg_id": "6953700000000000004",
                                "unique_id": "12345", "server_salt": "-1"},
        cid(MTP["new_session_created"]) + i64(6953700000000000004) + i64(12345) + i64(-1))
    salts = [(1700000000, 1700001800, 11), (1700001800, 1700003600, -12)]
    add("future_salts (bare vector of bare future_salt)",
        {"_": "future_salts", "req_msg_id": "6953700000000000004", "now": 1700000100,
         "salts": [{"_": "future_salt", "valid_since": a, "valid_until": b, "salt": str(c)} for a, b, c in salts]},
        cid(MTP["future_salts"]) + i64(6953700000000000004) + i32(1700000100) + i32(2) +
        b"".join(i32(a) + i32(b) + i64(c) for a, b, c in salts))
    add("get_future_salts", {"_": "get_future_salts", "num": 64}, cid(MTP["get_future_salts"]) + i32(64))
    err = cid(MTP["rpc_error"]) + i32(420) + tstr(b"FLOOD_WAIT_3")
    add("rpc_result carrying rpc_error",
        {"_": "rpc_result", "req_msg_id": "6953700000000000004",
         "result": {"_": "rpc_error", "error_code": 420, "error_message": hx(b"FLOOD_WAIT_3")}},
        cid(MTP["rpc_result"]) + i64(6953700000000000004) + err)
    add("rpc_result with a result of an unknown constructor (opaque: runs to the end)",
        {"_": "rpc_result", "req_msg_id": "1", "result": {"_": "opaque", "id": "0x12345678", "data": "aabbccdd01"}},
        cid(MTP["rpc_result"]) + i64(1) + cid(0x12345678) + bytes.fromhex("aabbccdd01"))
    add("unknown top-level constructor (opaque)", {"_": "opaque", "id": "0xdeadbeef", "data": ""},
        cid(0xDEADBEEF))
    body1 = cid(MTP["ping"]) + i64(7)
    body2 = cid(MTP["msgs_ack"]) + vec_long([5])
    add("msg_container with two messages (bytes = body length)",
        {"_": "msg_container", "messages": [
            {"_": "message", "msg_id": "6953700000000000004", "seqno": 1, "bytes": len(body1),
             "body": {"_": "ping", "ping_id": "7"}},
            {"_": "message", "msg_id": "6953700000000000008", "seqno": 2, "bytes": len(body2),
             "body": {"_": "msgs_ack", "msg_ids": ["5"]}}]},
        cid(MTP["msg_container"]) + i32(2) + i64(6953700000000000004) + i32(1) + i32(len(body1)) + body1 +
        i64(6953700000000000008) + i32(2) + i32(len(body2)) + body2)
    add("msg_copy (typed field Message, boxed with the computed id 5bb8e511)",
        {"_": "msg_copy", "orig_message": {"_": "message", "msg_id": "4", "seqno": 0, "bytes": 12,
                                           "body": {"_": "ping", "ping_id": "1"}}},
        cid(MTP["msg_copy"]) + cid(MESSAGE_ID) + i64(4) + i32(0) + i32(12) + cid(MTP["ping"]) + i64(1))
    for n in (0, 1, 3, 253, 254, 300):
        info = bytes((7 * i + n) & 0xFF for i in range(n))
        add("msgs_state_info, info of %d bytes" % n,
            {"_": "msgs_state_info", "req_msg_id": "9", "info": hx(info)},
            cid(MTP["msgs_state_info"]) + i64(9) + tstr(info))
    add("http_wait", {"_": "http_wait", "max_delay": 0, "wait_after": 0, "max_wait": 25000},
        cid(MTP["http_wait"]) + i32(0) + i32(0) + i32(25000))
    add("destroy_session_ok", {"_": "destroy_session_ok", "session_id": "-42"},
        cid(MTP["destroy_session_ok"]) + i64(-42))
    add("destroy_auth_key (no fields)", {"_": "destroy_auth_key"}, cid(MTP["destroy_auth_key"]))
    # Secret-chat schema: flags, a `true` flag, an optional vector, typed nested objects.
    msg = (cid(E2E["decryptedMessage"]) + i32((1 << 5) | (1 << 7)) + i64(-77) + i32(0) + tstr(b"hi") +
           cid(VECTOR) + i32(1) + cid(E2E["messageEntityBold"]) + i32(0) + i32(2))
    msg_js = {"_": "decryptedMessage", "flags": (1 << 5) | (1 << 7), "silent": True, "random_id": "-77",
              "ttl": 0, "message": hx(b"hi"),
              "entities": [{"_": "messageEntityBold", "offset": 0, "length": 2}]}
    add("decryptedMessage: silent (flags.5, true), entities (flags.7)", msg_js, msg, "secret")
    rb = bytes(range(15))
    add("decryptedMessageLayer wrapping a decryptedMessage",
        {"_": "decryptedMessageLayer", "random_bytes": hx(rb), "layer": 73, "in_seq_no": 0, "out_seq_no": 1,
         "message": msg_js},
        cid(E2E["decryptedMessageLayer"]) + tstr(rb) + i32(73) + i32(0) + i32(1) + msg, "secret")
    add("documentAttributeVideo, round_message clear",
        {"_": "documentAttributeVideo", "flags": 0, "round_message": False, "duration": 5, "w": 640, "h": 480},
        cid(E2E["documentAttributeVideo"]) + i32(0) + i32(5) + i32(640) + i32(480), "secret")
    return out


def invalid_decodes():
    """(comment, schema, bytes, error)."""
    ping = cid(MTP["ping"]) + i64(1)
    info = cid(MTP["msgs_state_info"]) + i64(9)
    return [
        ("msg_copy.orig_message (typed Message) holds an unknown constructor", "mtproto",
         cid(MTP["msg_copy"]) + cid(0x12345678) + i64(0), "tl_unknown_constructor"),
        ("msg_copy.orig_message (typed Message) holds a ping", "mtproto",
         cid(MTP["msg_copy"]) + ping, "tl_unexpected_constructor"),
        ("a vector element of an unknown constructor (length unknowable)", "secret",
         cid(E2E["decryptedMessage"]) + i32(1 << 7) + i64(1) + i32(0) + tstr(b"") + cid(VECTOR) + i32(1) +
         cid(0x12345678) + i32(0) + i32(0), "tl_unknown_constructor"),
        ("ping truncated by one byte", "mtproto", ping[:-1], "truncated"),
        ("only 3 bytes of a constructor id", "mtproto", ping[:3], "truncated"),
        ("empty input", "mtproto", b"", "truncated"),
        ("ping with 4 trailing bytes", "mtproto", ping + i32(0), "trailing_data"),
        ("string length 3 in the 0xFE form (non-canonical length)", "mtproto",
         info + tstr(b"abc", long_form=True), "tl_noncanonical_length"),
        ("string padding not zero", "mtproto", info + bytes([1, 0x61, 0, 1]), "tl_nonzero_padding"),
        ("string length byte 0xFF", "mtproto", info + bytes([0xFF, 0, 0, 0]), "tl_bad_string"),
        ("string longer than the input", "mtproto", info + bytes([200, 0, 0, 0]), "truncated"),
        ("boxed vector without the vector id", "mtproto", cid(MTP["msgs_ack"]) + i32(0) + i32(0),
         "tl_bad_vector"),
        ("msgs_ack with 8193 ids (limit 8192)", "mtproto",
         cid(MTP["msgs_ack"]) + vec_long(list(range(8193))), "limit_exceeded"),
        ("vector count larger than the input can hold", "mtproto",
         cid(MTP["msgs_ack"]) + cid(VECTOR) + i32(1000) + i64(1), "truncated"),
        ("message.bytes shorter than the body", "mtproto",
         cid(MTP["msg_container"]) + i32(1) + i64(4) + i32(0) + i32(8) + ping, "truncated"),
        ("message.bytes longer than the body (4 bytes left inside the message)", "mtproto",
         cid(MTP["msg_container"]) + i32(1) + i64(4) + i32(0) + i32(16) + ping + i32(0), "trailing_data"),
        ("message.bytes longer than the input", "mtproto",
         cid(MTP["msg_container"]) + i32(1) + i64(4) + i32(0) + i32(64) + ping, "truncated"),
    ]


def invalid_encodes():
    """(comment, schema, json, error)."""
    ping = {"_": "ping", "ping_id": "1"}
    video = {"_": "documentAttributeVideo", "flags": 0, "round_message": False, "duration": 5, "w": 1, "h": 1}
    return [
        ("unknown constructor name", "mtproto", {"_": "pingg", "ping_id": "1"}, "tl_unknown_constructor"),
        ("a ping where Message is expected", "mtproto", {"_": "msg_copy", "orig_message": ping},
         "tl_unexpected_constructor"),
        ("opaque object where a typed field (Message) is expected", "mtproto",
         {"_": "msg_copy", "orig_message": {"_": "opaque", "id": "0x12345678", "data": ""}},
         "tl_unknown_constructor"),
        ("opaque with a known id", "mtproto", {"_": "opaque", "id": "0x7abe77ec", "data": ""}, "bad_field"),
        ("long as a JSON number", "mtproto", {"_": "ping", "ping_id": 1}, "bad_field"),
        ("long with a leading zero", "mtproto", {"_": "ping", "ping_id": "01"}, "bad_field"),
        ("long out of range", "mtproto", {"_": "ping", "ping_id": "9223372036854775808"}, "bad_field"),
        ("int out of range", "mtproto", {"_": "get_future_salts", "num": 2147483648}, "bad_field"),
        ("missing field", "mtproto", {"_": "pong", "msg_id": "1"}, "missing_field"),
        ("unknown field", "mtproto", {"_": "ping", "ping_id": "1", "x": 1}, "bad_field"),
        ("missing constructor name", "mtproto", {"ping_id": "1"}, "missing_field"),
        ("uppercase hex", "mtproto", {"_": "req_pq_multi", "nonce": "406709F612FADFBEC3F0289D0AA67EEF"}, "bad_hex"),
        ("int128 of 15 bytes", "mtproto", {"_": "req_pq_multi", "nonce": "00" * 15}, "bad_field"),
        ("message.bytes differs from the body's length", "mtproto",
         {"_": "msg_container", "messages": [{"_": "message", "msg_id": "1", "seqno": 0, "bytes": 8, "body": ping}]},
         "bad_field"),
        ("msgs_ack with 8193 ids", "mtproto", {"_": "msgs_ack", "msg_ids": ["1"] * 8193}, "limit_exceeded"),
        ("true flag given as a number (not a JSON boolean)", "secret", dict(video, round_message=1), "bad_field"),
        ("true flag disagrees with the flags word", "secret", dict(video, round_message=True), "bad_field"),
        ("optional field present while its flag bit is clear", "secret",
         {"_": "decryptedMessage", "flags": 0, "silent": False, "random_id": "1", "ttl": 0,
          "message": "", "via_bot_name": "00"}, "bad_field"),
        ("double given where an int is expected", "mtproto", {"_": "get_future_salts", "num": 1.0}, "bad_field"),
        ("a JSON array instead of an object", "mtproto", [ping], "bad_field"),
    ]


def main():
    vf = VectorFile(
        "TL",
        source="bytes built by an independent TL writer in this generator (core.telegram.org/mtproto/serialize); "
               "resPQ, req_pq_multi, p_q_inner_data_dc, client_DH_inner_data and dh_gen_ok are the official "
               "payloads of core.telegram.org/mtproto/samples-auth_key",
        generator="vectors/gen/gen_tl.py",
        notes="JSON form of docs/tl.md: long as a decimal string, int128/int256/string/bytes as lowercase hex, "
              "double as a JSON real, unknown constructors as {_: opaque, id, data}. An optional 'schema' field "
              "picks 'secret' (secret_api.tl) instead of 'mtproto'. No constructor of either schema has a Bool "
              "field, so a bad Bool cannot be reached by decoding; the JSON side refuses a non-boolean `true`.")
    valid = pairs()

    def inp(key, value, schema):
        d = {key: value}
        if schema != "mtproto":
            d["schema"] = schema
        return d

    enc = vf.group("tl_encode", "JSON (the printer's form) to TL bytes")
    for comment, schema, js, data in valid:
        enc.valid(inp("json", js, schema), {"out": data}, comment=comment)
    for comment, schema, js, err in invalid_encodes():
        enc.invalid(inp("json", js, schema), error=err, comment=comment)
    dec = vf.group("tl_decode", "TL bytes to JSON (strict: canonical lengths, zero padding, whole input)")
    for comment, schema, js, data in valid:
        dec.valid(inp("data", data, schema), {"json": js}, comment=comment)
    for comment, schema, data, err in invalid_decodes():
        dec.invalid(inp("data", data, schema), error=err, comment=comment)
    dec.invalid({"data": "", "schema": "klingon"}, error="bad_field", comment="unknown schema name")
    vf.write("vectors/tl.json")


if __name__ == "__main__":
    main()
