# Service messages (page mtproto/service_messages): the harness is the client.
role client
tier fast

scenario ping-pong
  rules   MSG_BODY_MALFORMED
  about   a ping is answered by a pong carrying its msg_id and ping_id
  handshake
  send    ping(ping_id=7)
  expect  pong(msg_id=last, ping_id=7)
