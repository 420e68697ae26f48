# Auth-key creation, server side (page mtproto/auth_key; mtproto-notes §1). The harness is the
# client: it creates keys with the client engine, breaks one byte of one message on purpose
# (fault=, the faults of harness/replay_fault.c) or writes the handshake messages itself.
role client
tier fast

scenario hs-create-key
  rules   HSS_INNER_MISMATCH HSS_CLIENT_INNER_MISMATCH
  about   a correct handshake creates a key that then carries a ping
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)

scenario hs-create-temp-key
  rules   HSS_EXPIRES_IN_INVALID
  about   p_q_inner_data_temp_dc with expires_in 3600 creates a temporary key
  handshake kind=temp expires=3600
  send    ping(ping_id=2)
  expect  pong(ping_id=2)

scenario hs-respq-by-hand
  rules   HSS_MALFORMED_QUERY
  about   req_pq_multi written by the scenario gets a resPQ carrying the same nonce
  send    plain req_pq_multi(nonce=random)
  expect  plain resPQ(nonce=nonce)

scenario hs-stop-after-req-pq
  rules   HSS_UNEXPECTED_QUERY
  about   the engine's req_pq_multi is answered by resPQ with its nonce
  handshake stop=req_pq
  expect  plain resPQ(nonce=nonce)

scenario hs-req-dh-nonce
  rules   HSS_NONCE_MISMATCH
  about   req_DH_params with a nonce other than req_pq_multi's gets -404 and a close
  handshake fault=req_dh_nonce
  expect  transport_error -404
  expect  close

scenario hs-req-dh-server-nonce
  rules   HSS_SERVER_NONCE_MISMATCH
  handshake fault=req_dh_server_nonce
  expect  transport_error -404
  expect  close

scenario hs-req-dh-fingerprint
  rules   HSS_UNKNOWN_FINGERPRINT
  about   a public_key_fingerprint the server did not offer gets -404
  handshake fault=req_dh_fingerprint
  expect  transport_error -404
  expect  close

scenario hs-req-dh-rsa-pad
  rules   RSAPAD_HASH
  about   one flipped byte of encrypted_data breaks the RSA_PAD hash
  handshake fault=req_dh_encrypted
  expect  transport_error -404
  expect  close

scenario hs-set-dh-server-nonce
  rules   HSS_SERVER_NONCE_MISMATCH
  handshake fault=set_dh_server_nonce
  expect  transport_error -404
  expect  close

scenario hs-set-dh-answer-hash
  rules   HSS_ANSWER_HASH
  about   one flipped byte of set_client_DH_params.encrypted_data breaks the SHA1 in front
  handshake fault=set_dh_encrypted
  expect  transport_error -404
  expect  close

scenario hs-unexpected-first-query
  rules   HSS_UNEXPECTED_QUERY
  about   an unencrypted ping instead of req_pq_multi gets -404
  send    plain ping(ping_id=1)
  expect  transport_error -404
  expect  close

scenario hs-plain-length-mismatch
  rules   PLAIN_LENGTH_MISMATCH
  about   message_data_length larger than the packet's rest
  send    plain req_pq_multi(nonce=random) length=24
  expect  transport_error -404

scenario hs-plain-too-short
  rules   PLAIN_TOO_SHORT
  about   an unencrypted packet shorter than its 20-byte header
  send    frame 0000000000000000aaaaaaaa
  expect  transport_error -404

scenario hs-latched-after-error
  rules   HSS_LATCHED
  about   after a refused query the connection ends; nothing more is answered
  send    plain ping(ping_id=1)
  expect  transport_error -404
  expect  close

scenario hs-resend-same-req-pq
  rules   HSS_RESEND_DIFFERS
  about   the same req_pq_multi twice gets the same resPQ both times
  send    plain req_pq_multi(nonce=0x00112233445566778899aabbccddeeff) msg_id=now
  expect  plain resPQ(nonce=0x00112233445566778899aabbccddeeff)
  send    plain req_pq_multi(nonce=0x00112233445566778899aabbccddeeff) msg_id=last
  expect  plain resPQ(nonce=0x00112233445566778899aabbccddeeff)

scenario hs-key-survives-reconnect
  rules   MSG_AUTH_KEY_ID_UNKNOWN
  about   a key created on one connection is known on the next
  handshake
  reconnect
  send    ping(ping_id=3)
  expect  pong(ping_id=3)

scenario hs-two-keys
  rules   HSS_UNEXPECTED_QUERY
  about   a second handshake on a new connection creates a second key
  handshake
  reconnect
  handshake
  send    ping(ping_id=4)
  expect  pong(ping_id=4)
