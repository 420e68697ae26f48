# The client's checks of server msg_ids at the exact edges (page mtproto/security_guidelines:
# "the client ignores server msg_ids more than 300 s in the past or 30 s in the future" once
# synced, and ids lower than all of the last N it stored). `clock` is the peer's time as a
# msg_id with no random fraction: the harness first sends at clock+1 (server ids are odd), which
# syncs the client's clock to ours exactly, then one unit inside or beyond an edge. Builtin only:
# on the network the client's clock and ours differ by the latency (unknown to a unit).
role server
tier fast

scenario client-server-msgid-past-edge
  rules   SERVER_MSGID_TIME_WINDOW
  target  builtin
  about   one unit (2^-32 s) less than 300 s in the past: accepted
  handshake
  expect  relay.join
  send    msgs_ack(msg_ids=[recv]) msg_id=clock+1
  send    msgs_ack(msg_ids=[recv]) msg_id=clock-300s+1
  expect  no_close

scenario client-server-msgid-past-beyond
  rules   SERVER_MSGID_TIME_WINDOW
  target  builtin
  about   one unit more than 300 s in the past: refused
  handshake
  expect  relay.join
  send    msgs_ack(msg_ids=[recv]) msg_id=clock+1
  send    msgs_ack(msg_ids=[recv]) msg_id=clock-300s-1
  expect  close

scenario client-server-msgid-future-edge
  rules   SERVER_MSGID_TIME_WINDOW
  target  builtin
  about   one unit less than 30 s in the future: accepted
  handshake
  expect  relay.join
  send    msgs_ack(msg_ids=[recv]) msg_id=clock+1
  send    msgs_ack(msg_ids=[recv]) msg_id=clock+30s-1
  expect  no_close

scenario client-server-msgid-future-beyond
  rules   SERVER_MSGID_TIME_WINDOW
  target  builtin
  about   one unit more than 30 s in the future: refused
  handshake
  expect  relay.join
  send    msgs_ack(msg_ids=[recv]) msg_id=clock+1
  send    msgs_ack(msg_ids=[recv]) msg_id=clock+30s+1
  expect  close

scenario client-server-msgid-below-window
  rules   SERVER_MSGID_BELOW_WINDOW
  about   1000 messages fill the client's window of stored ids (SESS_MSGID_WINDOW); an id below
  about   the lowest of them (our first, minus 2: still odd and inside the time window) is refused
  handshake
  expect  relay.join
  send    msgs_ack(msg_ids=[recv]) count=1000
  send    msgs_ack(msg_ids=[recv]) msg_id=first-2
  expect  close

scenario client-server-msgid-window-full
  rules   SERVER_MSGID_BELOW_WINDOW
  about   the same 1000 messages, then an id between the two lowest stored: not below the
  about   window, not a duplicate, accepted
  handshake
  expect  relay.join
  send    msgs_ack(msg_ids=[recv]) count=1000
  send    msgs_ack(msg_ids=[recv]) msg_id=first+2
  expect  no_close
