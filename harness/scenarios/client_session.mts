# The client's reactions to the server's service messages (pages service_messages,
# service_messages_about_messages; proto/session_client.c). The harness is the server: it creates
# the key with the client under test, which then sends its first query (relay.join for the
# reference client); the harness answers that query with a service message and watches the
# client's reaction on the wire: a resend of the query, silence, or a close.
role server
tier fast

scenario client-bad-server-salt-resend
  rules   BAD_SERVER_SALT
  about   bad_server_salt for the query: the client takes the new salt and sends the query again
  handshake
  expect  query
  send    bad_server_salt(bad_msg_id=recv, bad_msg_seqno=1, error_code=48, new_server_salt=0x1122334455667788)
  expect  query

scenario client-bad-msg-16-resend
  rules   MSGID_TOO_LOW
  about   code 16 (msg_id too low): the client corrects its clock from our msg_id and resends
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=16)
  expect  query

scenario client-bad-msg-17-resend
  tier    nightly
  rules   MSGID_TOO_HIGH
  about   code 17 (msg_id too high): the client corrects its clock and resends
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=17)
  expect  query

scenario client-bad-msg-16-clock
  rules   MSGID_TOO_LOW
  about   our clock is 200 s ahead of the client's: after code 16 its msg_ids follow ours, so a
  about   message with a msg_id at our time is inside its window
  handshake
  expect  query
  clock   +200s
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=16)
  expect  query
  send    msgs_ack(msg_ids=[recv])
  expect  no_close

scenario client-bad-msg-20-resend
  tier    nightly
  rules   MSG_TOO_OLD
  about   code 20 (message too old): the client sends the query again under a new msg_id
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=20)
  expect  query

scenario client-bad-msg-18-fatal
  rules   MSGID_BAD_PARITY
  about   code 18 says the client's own msg_ids are broken: it cannot go on
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=18)
  expect  close

scenario client-bad-msg-19-fatal
  rules   CONTAINER_MSGID_REUSED
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=19)
  expect  close

scenario client-bad-msg-32-fatal
  rules   SEQNO_TOO_LOW
  about   codes 32-35 and 64: the session state is broken, the client gives up; a real client
  about   would start a new session
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=32)
  expect  close

scenario client-bad-msg-33-fatal
  tier    nightly
  rules   SEQNO_TOO_HIGH
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=33)
  expect  close

scenario client-bad-msg-34-fatal
  tier    nightly
  rules   SEQNO_EXPECTED_EVEN
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=34)
  expect  close

scenario client-bad-msg-35-fatal
  tier    nightly
  rules   SEQNO_EXPECTED_ODD
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=35)
  expect  close

scenario client-bad-msg-64-fatal
  rules   CONTAINER_INVALID
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=64)
  expect  close

scenario client-bad-msg-unknown-code
  rules   BAD_MSG_NOTIFICATION_UNKNOWN_CODE
  about   error_code 99 is none of the spec's: the reference client reports it and stops
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=recv, bad_msg_seqno=1, error_code=99)
  expect  close

scenario client-bad-msg-unknown-id
  rules   BAD_MSG_NOTIFICATION_UNKNOWN_ID
  about   a notification about a msg_id the client never sent must not be trusted
  handshake
  expect  query
  send    bad_msg_notification(bad_msg_id=0x5000000000000004, bad_msg_seqno=1, error_code=16)
  expect  close

scenario client-bad-salt-unknown-id
  tier    nightly
  rules   BAD_MSG_NOTIFICATION_UNKNOWN_ID
  about   bad_server_salt about a msg_id the client never sent: its salt is not taken
  handshake
  expect  query
  send    bad_server_salt(bad_msg_id=0x5000000000000004, bad_msg_seqno=1, error_code=48, new_server_salt=7)
  expect  close

scenario client-new-session-resend
  rules   MSG_BODY_MALFORMED
  about   new_session_created with first_msg_id above the query: the client sends it again
  handshake
  expect  query
  send    new_session_created(first_msg_id=recv+4, unique_id=1, server_salt=0x0102030405060708)
  expect  query

scenario client-new-session-no-resend
  tier    nightly
  rules   MSG_BODY_MALFORMED
  about   new_session_created whose first_msg_id is the query's: nothing to resend
  handshake
  expect  query
  send    new_session_created(first_msg_id=recv, unique_id=1, server_salt=0x0102030405060708)
  expect  silence 2s

scenario client-new-session-malformed
  rules   MSG_BODY_MALFORMED
  about   a new_session_created cut short (no server_salt): the client refuses it
  handshake
  expect  query
  send    raw 0x0809c29e01000000000000000200000000000000
  expect  close

scenario client-msgs-ack
  rules   MSGID_DUPLICATE
  about   msgs_ack of the query: accepted quietly, the connection stays
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv])
  expect  no_close

scenario client-acks-our-content
  rules   MSGID_DUPLICATE
  about   a content-related message from us (odd seqno) is acknowledged by the client
  handshake
  expect  query
  send    new_session_created(first_msg_id=recv, unique_id=1, server_salt=0x0102030405060708)
  expect  msgs_ack within=5s

scenario client-future-salts
  rules   FUTURE_SALTS_NUM_RANGE
  about   future_salts for a salt period that has begun: stored, the connection stays
  handshake
  expect  query
  send    future_salts(req_msg_id=recv, now=0, salts=[future_salt(valid_since=0, valid_until=2000000000, salt=0x0a0b0c0d0e0f1011)])
  expect  no_close

scenario client-future-salts-malformed
  tier    nightly
  rules   MSG_BODY_MALFORMED
  about   future_salts whose vector claims more entries than it holds
  handshake
  expect  query
  send    raw 0x950850ae00000000000000000000000005000000
  expect  close
