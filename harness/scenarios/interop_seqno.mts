# Server messages with the wrong seqno parity (issues 7 and 9): content-related ones ("a message
# requiring an explicit acknowledgment", mtproto/description) must carry an odd seqno, the others
# an even one: msgs_ack, containers, and bad_msg_notification / bad_server_salt, which "need no
# ack" (service_messages_about_messages); gzip_packed follows the object it packs. One predicate,
# sess_server_content_related (proto/session_check.h), numbers what our server engines send and
# checks what our client engine receives (SERVER_SEQNO_PARITY); a client has nobody to notify and
# drops the connection. The builtin client and `mtproof client` (tests/cli/conform_net_client.sh)
# pass all four; ci/interop measures third-party clients, which do not check the parity.
role server
tier fast

scenario interop-answer-even-seqno
  rules   SERVER_SEQNO_PARITY
  about   new_session_created (content-related) with an even seqno: a strict client rejects it
  handshake
  expect  query
  send    new_session_created(first_msg_id=recv+4, unique_id=1, server_salt=5) seqno=even
  expect  close

scenario interop-service-odd-seqno
  rules   SERVER_SEQNO_PARITY
  about   msgs_ack (not content-related) with an odd seqno: a strict client rejects it
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv]) seqno=odd
  expect  close

scenario interop-gzip-even-seqno
  rules   SERVER_SEQNO_PARITY
  about   gzip_packed is judged by the object it packs: a packed new_session_created with an
  about   even seqno is rejected
  handshake
  expect  query
  send    gzip new_session_created(first_msg_id=recv+4, unique_id=1, server_salt=5) seqno=even
  expect  close

scenario interop-container-odd-seqno
  rules   SERVER_SEQNO_PARITY
  about   a container is not content-related: an odd one is rejected whatever it holds
  handshake
  expect  query
  send    container msgs_ack(msg_ids=[recv]) seqno=odd
  expect  close
