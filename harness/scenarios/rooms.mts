# Relay rooms and the relay API (proto/schema/relay.tl, docs/relay.md): errors are rpc_error 400
# with the names of relay.tl. One connection per scenario: what needs a second member (ready,
# redirect, payload forwarding, peer left) is tested by tests/test_relay_*.c in process.
role client
tier fast
target relay

scenario room-join-waiting
  rules   RELAY_ROOM_NAME_INVALID
  about   the first member of a named room gets relay.joinedWaiting with that name
  handshake
  send    relay.join(room="lobby-1")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5","data":"00000000076c6f6262792d31"})

scenario room-join-any
  rules   RELAY_ROOM_NAME_INVALID
  about   relay.join without a name puts the caller in a fresh room
  handshake
  send    relay.join
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5"})

scenario room-name-bad-char
  rules   RELAY_ROOM_NAME_INVALID
  about   a space is not in [A-Za-z0-9_.-]
  handshake
  send    relay.join(room="a b")
  expect  rpc_error 400 "ROOM_NAME_INVALID"

scenario room-name-empty
  rules   RELAY_ROOM_NAME_INVALID
  about   an empty name (the lower boundary: 1..64 bytes)
  handshake
  send    relay.join(room="")
  expect  rpc_error 400 "ROOM_NAME_INVALID"

scenario room-name-64
  rules   RELAY_ROOM_NAME_INVALID
  about   a 64-byte name is accepted (the upper boundary)
  handshake
  send    relay.join(room="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5"})

scenario room-name-65
  rules   RELAY_ROOM_NAME_INVALID
  about   a 65-byte name is refused
  handshake
  send    relay.join(room="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
  expect  rpc_error 400 "ROOM_NAME_INVALID"

scenario room-join-twice
  rules   RELAY_ALREADY_JOINED
  about   a connection is in at most one room
  handshake
  send    relay.join(room="twice")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5"})
  send    relay.join(room="other")
  expect  rpc_error 400 "ALREADY_JOINED"

scenario room-send-not-joined
  rules   RELAY_ROOM_NOT_JOINED
  handshake
  send    relay.send(data=0x01020304)
  expect  rpc_error 400 "ROOM_NOT_JOINED"

scenario room-leave-not-joined
  rules   RELAY_ROOM_NOT_JOINED
  handshake
  send    relay.leave
  expect  rpc_error 400 "ROOM_NOT_JOINED"

scenario room-send-peer-absent
  rules   RELAY_PEER_ABSENT
  about   relay.send while waiting alone in the room
  handshake
  send    relay.join(room="alone")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5"})
  send    relay.send(data=0x01020304)
  expect  rpc_error 400 "PEER_ABSENT"

scenario room-leave-then-join
  rules   RELAY_ALREADY_JOINED
  about   relay.leave answers boolTrue and frees the connection for another room
  handshake
  send    relay.join(room="first")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5"})
  send    relay.leave
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x997275b5"})
  send    relay.join(room="second")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5","data":"00000000067365636f6e6400"})

scenario room-query-malformed
  rules   RELAY_QUERY_MALFORMED
  about   relay.send whose bytes length runs past the message (constructor 789f259e, length 200)
  handshake
  send    raw 9e259f78c8010203
  expect  rpc_error 400

scenario relay-idle-timeout
  rules   RELAY_IDLE_TIMEOUT
  about   a connection silent for idle_timeout (300 s) is closed
  handshake
  wait    301s
  expect  close

scenario relay-frame-too-long
  rules   RELAY_FRAME_TOO_LONG
  about   an intermediate length of 1 MiB + 4 (max_frame is 1 MiB) gets -429 when it is read
  send    wire eeeeeeee04001000
  expect  transport_error -429
  expect  close

scenario relay-frame-max-length
  rules   RELAY_FRAME_TOO_LONG
  about   a length of exactly 1 MiB is accepted: the relay waits for the body
  send    wire eeeeeeee00001000
  expect  no_close within=3s
