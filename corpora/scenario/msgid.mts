# msg_id checks of the server (page mtproto/service_messages_about_messages, mtproto/description):
# 300 s in the past, 30 s in the future, client ids divisible by 4, duplicates, the window.
role client
tier fast

scenario msgid-too-low
  rules   MSGID_TOO_LOW
  about   a msg_id 301 s in the past gets bad_msg_notification 16
  handshake
  send    ping(ping_id=1) msg_id=now-301s
  expect  bad_msg 16

scenario msgid-too-low-edge-inside
  rules   MSGID_TOO_LOW
  about   299 s in the past is still accepted (the window's edge)
  handshake
  send    ping(ping_id=2) msg_id=now-299s
  expect  pong(ping_id=2)

scenario msgid-too-high
  rules   MSGID_TOO_HIGH
  about   a msg_id 31 s in the future gets bad_msg_notification 17
  handshake
  send    ping(ping_id=1) msg_id=now+31s
  expect  bad_msg 17

scenario msgid-too-high-edge-inside
  rules   MSGID_TOO_HIGH
  about   29 s in the future is still accepted
  handshake
  send    ping(ping_id=3) msg_id=now+29s
  expect  pong(ping_id=3)

scenario msgid-clock-ahead
  rules   MSGID_TOO_HIGH
  about   a client whose clock runs 40 s ahead sends ids too high
  handshake
  clock   +40s
  send    ping(ping_id=1)
  expect  bad_msg 17

scenario msgid-clock-behind
  rules   MSGID_TOO_LOW
  about   a client whose clock runs 6 minutes behind sends ids too low
  handshake
  clock   -6m
  send    ping(ping_id=1)
  expect  bad_msg 16

scenario msgid-parity-1
  rules   MSGID_BAD_PARITY
  about   a client msg_id = 1 mod 4 gets bad_msg_notification 18
  handshake
  send    ping(ping_id=1) msg_id=now+1
  expect  bad_msg 18

scenario msgid-parity-2
  rules   MSGID_BAD_PARITY
  handshake
  send    ping(ping_id=1) msg_id=now+2
  expect  bad_msg 18

scenario msgid-parity-3
  rules   MSGID_BAD_PARITY
  handshake
  send    ping(ping_id=1) msg_id=now+3
  expect  bad_msg 18

scenario msgid-duplicate
  rules   MSGID_DUPLICATE
  about   the same msg_id twice: the second message is ignored
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)
  send    ping(ping_id=2) msg_id=last
  expect  silence 3s

scenario msgid-increasing-accepted
  rules   MSG_TOO_OLD
  about   three pings with increasing ids all get pongs
  handshake
  send    ping(ping_id=1)
  send    ping(ping_id=2)
  send    ping(ping_id=3)
  expect  pong(ping_id=1)
  expect  pong(ping_id=2)
  expect  pong(ping_id=3)

scenario msgid-lower-than-previous
  rules   SEQNO_TOO_HIGH
  about   a lower msg_id than an accepted one but the next seqno: seqno too high (33)
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)
  send    ping(ping_id=2) msg_id=last-4096
  expect  bad_msg 33

scenario msgid-too-low-after-clock-skew-fix
  rules   MSGID_TOO_LOW
  about   a client that was told 16 and corrects its clock is accepted again
  handshake
  clock   -6m
  send    ping(ping_id=1)
  expect  bad_msg 16
  clock   +6m
  send    ping(ping_id=2)
  expect  pong(ping_id=2)
