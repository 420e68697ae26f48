# Relay rooms with two and three members, and the relay's limits (proto/schema/relay.tl,
# docs/relay.md): several connections per scenario (`connection NAME`, docs/scenarios.md). Each
# connection creates its own auth key and session. Relay objects are matched in their JSON
# form: bare relay objects (updates) by their constructor, rpc results as opaque bytes.
role client
tier fast
target relay

scenario room-two-ready
  rules   RELAY_ROOM_NAME_INVALID RELAY_ALREADY_JOINED
  about   two clients join a room: the second gets joinedReady (originator false), the first is pushed updateReady (originator true): exactly one originator
  handshake
  send    relay.join(room="pair")
  expect  rpc_result(req_msg_id=last, result=relay.joinedWaiting(room="pair"))
  connection b
  handshake
  send    relay.join(room="pair")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x6a1d314c","data":"000000000470616972000000379779bc"})
  expect  silence 1s
  connection main
  expect  relay.updateReady(room="pair", originator=true)

scenario room-full-redirect
  rules   RELAY_ALREADY_JOINED
  about   a third client joining a full room is put in another room, named in its answer with redirected_from; a fourth joining any room makes that one ready
  handshake
  send    relay.join(room="full")
  expect  rpc_result(req_msg_id=last, result=relay.joinedWaiting(room="full"))
  connection b
  handshake
  send    relay.join(room="full")
  expect  rpc_result(req_msg_id=last, result=relay.joinedReady(room="full", originator=false))
  connection c
  handshake
  send    relay.join(room="full")
  expect  rpc_result(req_msg_id=last, result=relay.joinedWaiting(room=*, redirected_from="full"))
  send    relay.send(data=0x01)
  expect  rpc_error 400 "PEER_ABSENT"
  connection d
  handshake
  send    relay.join
  expect  rpc_result(req_msg_id=last, result=relay.joinedReady(room=*, originator=false))
  connection c
  expect  relay.updateReady(room=*, originator=true)
  send    relay.send(data=0x0c)
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x997275b5"})
  connection d
  expect  relay.updatePayload(room=*, data=0x0c)

scenario room-payload-opaque
  rules   RELAY_PEER_ABSENT
  about   relay.send from one member arrives at the other as relay.updatePayload, byte for byte: bytes that look like TL are not parsed
  handshake
  send    relay.join(room="bytes")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5"})
  connection b
  handshake
  send    relay.join(room="bytes")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x6a1d314c"})
  connection main
  send    relay.send(data=0xec77be7a0000000000000000ffffffff00)
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x997275b5"})
  connection b
  expect  relay.updatePayload(room="bytes", data=0xec77be7a0000000000000000ffffffff00)
  send    relay.send(data=fill:1000)
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x997275b5"})
  connection main
  expect  relay.updatePayload(room="bytes", data=fill:1000)

scenario room-payload-too-large
  rules   RELAY_PAYLOAD_TOO_LARGE
  about   relay.send with 256 KiB + 1 bytes of data gets PAYLOAD_TOO_LARGE; exactly 256 KiB is taken
  handshake
  send    relay.join(room="big")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5"})
  connection b
  handshake
  send    relay.join(room="big")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x6a1d314c"})
  send    relay.send(data=fill:262145)
  expect  rpc_error 400 "PAYLOAD_TOO_LARGE"
  send    relay.send(data=fill:262144)
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x997275b5"})

scenario room-peer-leaves
  rules   RELAY_ROOM_NOT_JOINED
  about   relay.leave of one member is pushed to the other as relay.updatePeerLeft; the leaver is in no room after
  handshake
  send    relay.join(room="bye")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5"})
  connection b
  handshake
  send    relay.join(room="bye")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x6a1d314c"})
  send    relay.leave
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x997275b5"})
  send    relay.send(data=0x01)
  expect  rpc_error 400 "ROOM_NOT_JOINED"
  connection main
  expect  relay.updatePeerLeft(room="bye")
  send    relay.send(data=0x01)
  expect  rpc_error 400 "PEER_ABSENT"

scenario room-peer-disconnects
  rules   RELAY_PEER_ABSENT
  about   a member whose connection closes leaves its room: the other gets relay.updatePeerLeft and waits again
  handshake
  send    relay.join(room="gone")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5"})
  connection b
  handshake
  send    relay.join(room="gone")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x6a1d314c"})
  connection b close
  connection main
  expect  relay.updatePeerLeft(room="gone")
  connection c
  handshake
  send    relay.join(room="gone")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x6a1d314c"})

scenario room-slow-reader
  rules   RELAY_SLOW_READER
  about   a member that does not read while its output passes max_pending is closed with -429; the sender gets rpc_error 420 FLOOD
  limits  max_pending=4096
  handshake
  send    relay.join(room="slow")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5"})
  connection b
  handshake
  send    relay.join(room="slow")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x6a1d314c"})
  connection main
  send    relay.send(data=fill:3000)
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x997275b5"})
  send    relay.send(data=fill:3000)
  expect  rpc_error 420 "FLOOD"
  connection b
  expect  relay.updatePayload(room="slow", data=fill:3000)
  expect  transport_error -429
  expect  close

scenario relay-too-many-conns
  rules   RELAY_TOO_MANY_CONNS
  about   with max_conns 2 a third connection gets -429 on its first bytes and is closed; a place freed is taken again (the peer-left update shows the relay saw the close)
  limits  max_conns=2
  handshake
  send    relay.join(room="cap")
  expect  rpc_result(req_msg_id=last, result=relay.joinedWaiting(room="cap"))
  connection b
  handshake
  send    relay.join(room="cap")
  expect  rpc_result(req_msg_id=last, result=relay.joinedReady(room="cap"))
  connection c
  send    plain req_pq_multi(nonce=random)
  expect  transport_error -429
  expect  close
  connection b close
  connection main
  expect  relay.updatePeerLeft(room="cap")
  connection d
  handshake
  send    ping(ping_id=4)
  expect  pong(ping_id=4)

scenario relay-handshake-rate
  rules   RELAY_HANDSHAKE_RATE
  about   with 2 handshakes per second a third within the same second gets -429; the next second takes one again
  limits  handshakes_per_sec=2
  handshake
  connection b
  handshake
  connection c
  send    plain req_pq_multi(nonce=random)
  expect  transport_error -429
  expect  close
  wait    1s
  connection d
  handshake
