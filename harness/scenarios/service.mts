# Service messages (page mtproto/service_messages): the harness is the client.
role client
tier fast

scenario ping-pong
  rules   MSG_BODY_MALFORMED
  about   a ping is answered by a pong carrying its msg_id and ping_id
  handshake
  send    ping(ping_id=7)
  expect  pong(msg_id=last, ping_id=7)

scenario ping-new-session-created
  rules   MSG_BODY_MALFORMED
  about   the first message of a session is announced by new_session_created
  handshake
  send    ping(ping_id=8)
  expect  new_session_created(first_msg_id=last)

scenario ping-delay-disconnect
  rules   MSG_BODY_MALFORMED
  about   ping_delay_disconnect: pong, then the connection closes after disconnect_delay
  handshake
  send    ping_delay_disconnect(ping_id=3, disconnect_delay=5)
  expect  pong(ping_id=3)
  expect  close within=10s

scenario ping-delay-disconnect-renewed
  rules   MSG_BODY_MALFORMED
  about   a second ping_delay_disconnect before the delay pushes the close back
  handshake
  send    ping_delay_disconnect(ping_id=1, disconnect_delay=5)
  expect  pong(ping_id=1)
  wait    3s
  send    ping_delay_disconnect(ping_id=2, disconnect_delay=5)
  expect  pong(ping_id=2)
  expect  no_close within=3s

scenario ping-truncated
  rules   MSG_BODY_MALFORMED
  about   a ping with 4 bytes of ping_id is dropped
  handshake
  send    raw ec77be7a01000000
  expect  silence 2s

scenario destroy-session-other
  rules   MSG_BODY_MALFORMED
  about   destroy_session of an unknown session: destroy_session_none
  handshake
  send    destroy_session(session_id=12345)
  expect  destroy_session_none(session_id=12345)

scenario destroy-session-old
  rules   MSG_BODY_MALFORMED
  about   destroy_session of a previous session of the key: destroy_session_ok
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)
  session 77
  send    ping(ping_id=2)
  expect  pong(ping_id=2)
  send    destroy_session(session_id=session)
  expect  destroy_session_none

scenario msgs-state-req
  rules   MSG_BODY_MALFORMED
  about   msgs_state_req of a received message gets msgs_state_info
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)
  send    msgs_state_req(msg_ids=[prev])
  expect  msgs_state_info(req_msg_id=last)

scenario msg-resend-req-unknown
  rules   MSG_BODY_MALFORMED
  about   msg_resend_req of ids the server never sent: msgs_state_info
  handshake
  send    msg_resend_req(msg_ids=[5])
  expect  msgs_state_info(req_msg_id=last)

scenario rpc-unknown-method
  rules   RPC_METHOD_UNKNOWN
  about   an unknown query gets rpc_error 400 INPUT_METHOD_INVALID
  handshake
  send    raw 78563412
  expect  rpc_error 400

scenario session-new-id
  rules   MSG_SESSION_MISMATCH
  about   a second session on the same key gets its own new_session_created
  handshake
  send    ping(ping_id=1)
  expect  new_session_created
  session new
  send    ping(ping_id=2)
  expect  new_session_created
  expect  pong(ping_id=2)
