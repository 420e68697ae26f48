# Edge cases of the server's messages that implementations commonly get wrong (issue 9), run
# against the reference client and, by ci/interop, against third-party clients: service messages
# inside gzip_packed (alone and in a container), and a server that refuses the deprecated
# handshake forms (seqno parity: interop_seqno.mts). The harness is the server; `expect query` takes the
# client's first query whatever it is (docs/scenarios.md "Setup queries").
role server
tier fast

scenario interop-handshake-current-forms
  rules   HSS_DEPRECATED_RSA_PADDING HSS_DEPRECATED_INNER_NO_DC HSS_DEPRECATED_REQ_PQ
  about   a server that refuses the deprecated forms - req_pq, p_q_inner_data without dc, the
  about   SHA1-padded RSA of before RSA_PAD - and a current client still creates its key
  handshake strict=1
  expect  query

scenario interop-gzip-bad-server-salt
  rules   GZIP_INVALID BAD_SERVER_SALT
  about   bad_server_salt inside gzip_packed: unpacked, the new salt taken, the query resent
  handshake
  expect  query
  send    gzip bad_server_salt(bad_msg_id=recv, bad_msg_seqno=1, error_code=48, new_server_salt=0x0102030405060708)
  expect  query

scenario interop-gzip-in-container
  rules   GZIP_INVALID
  about   a container carrying a gzip_packed whose data is a bare gzip header with no stream
  handshake
  expect  query
  send    container gzip_packed(packed_data=0x1f8b08000000000000ff) msgs_ack(msg_ids=[recv])
  expect  close
