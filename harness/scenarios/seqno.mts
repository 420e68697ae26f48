# msg_seqno checks (page service_messages_about_messages, codes 32-35): content-related messages
# carry odd seqnos 2n+1, others even 2n, and seqnos grow with msg_ids.
role client
tier fast

scenario seqno-expected-odd
  rules   SEQNO_EXPECTED_ODD
  about   a ping (content-related) with an even seqno gets code 35
  handshake
  send    ping(ping_id=1) seqno=even
  expect  bad_msg 35

scenario seqno-expected-even
  rules   SEQNO_EXPECTED_EVEN
  about   msgs_ack (not content-related) with an odd seqno gets code 34
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)
  send    msgs_ack(msg_ids=[recv]) seqno=odd
  expect  bad_msg 34

scenario seqno-too-low
  rules   SEQNO_TOO_LOW
  about   a higher msg_id with a lower seqno than an earlier message gets code 32
  handshake
  send    ping(ping_id=1)
  send    ping(ping_id=2)
  send    ping(ping_id=3) seqno=1
  expect  bad_msg 32

scenario seqno-too-high
  rules   SEQNO_TOO_HIGH
  about   a lower msg_id with a higher seqno than a later message gets code 33
  handshake
  send    ping(ping_id=1)
  send    ping(ping_id=2) msg_id=last-4096 seqno=11
  expect  bad_msg 33

scenario seqno-normal
  rules   SEQNO_EXPECTED_ODD SEQNO_EXPECTED_EVEN
  about   correct seqnos: 1, 3 for pings, 4 for the ack between
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)
  send    msgs_ack(msg_ids=[recv])
  send    ping(ping_id=2)
  expect  pong(ping_id=2)
