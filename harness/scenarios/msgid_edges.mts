# The server's msg_id time window at its exact edges (page mtproto/service_messages_about_messages:
# code 16 "more than 300 s in the past", 17 "more than 30 s in the future"; both edges are still
# accepted, proto/session_check.h). `clock` is the server's time as a msg_id with no random
# fraction; client ids are divisible by 4, so "one unit beyond" is 4. Builtin only: in process
# the harness and the server share one virtual clock, so the edge is exact; over the network
# their clocks differ by the latency, which no scenario can know to a unit.
role client
tier fast
target builtin

scenario msgid-past-edge-exact
  rules   MSGID_TOO_LOW
  about   exactly 300 s in the past: accepted
  handshake
  send    ping(ping_id=11) msg_id=clock-300s
  expect  pong(ping_id=11)

scenario msgid-past-edge-beyond
  rules   MSGID_TOO_LOW
  about   300 s and 4 units in the past: bad_msg_notification 16
  handshake
  send    ping(ping_id=12) msg_id=clock-300s-4
  expect  bad_msg 16

scenario msgid-future-edge-exact
  rules   MSGID_TOO_HIGH
  about   exactly 30 s in the future: accepted
  handshake
  send    ping(ping_id=13) msg_id=clock+30s
  expect  pong(ping_id=13)

scenario msgid-future-edge-beyond
  rules   MSGID_TOO_HIGH
  about   30 s and 4 units in the future: bad_msg_notification 17
  handshake
  send    ping(ping_id=14) msg_id=clock+30s+4
  expect  bad_msg 17
