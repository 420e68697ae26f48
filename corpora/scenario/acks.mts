# Acknowledgments (page service_messages_about_messages "Acknowledgment of Receipt").
role client
tier fast

scenario ack-server-acks-query
  rules   ACK_TOO_MANY_IDS
  about   an unknown query is answered by rpc_error; the answer needs no separate ack
  handshake
  send    destroy_auth_key
  expect  rpc_error 400

scenario ack-accepted-silently
  rules   SEQNO_EXPECTED_EVEN
  about   msgs_ack of a received message gets no answer
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)
  send    msgs_ack(msg_ids=[recv])
  expect  silence 2s

scenario ack-unknown-ids
  rules   ACK_TOO_MANY_IDS
  about   acks of ids never sent are ignored
  handshake
  send    msgs_ack(msg_ids=[1, 2, 3])
  expect  silence 2s

scenario ack-empty
  rules   ACK_TOO_MANY_IDS
  handshake
  send    msgs_ack(msg_ids=[])
  expect  silence 2s
