# What the client checks on every encrypted message and every frame from the server
# (mtproto/description, security_guidelines, mtproto-transports). The harness is the server; after
# the key exists and the client's first query (`expect query`) is in, the harness sends one broken
# message or frame. The reference client reports every broken rule and ends the run: on the
# wire, a close without another message.
role server
tier fast

scenario client-msg-key-mismatch
  rules   MSG_KEY_MISMATCH
  about   msg_key is not the SHA-256 of the plaintext: the client drops the connection
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv]) msg_key=random
  expect  close

scenario client-padding-too-short
  rules   MSG_PADDING_TOO_SHORT
  about   4 bytes of padding, under the 12 required
  handshake
  expect  query
  send    ping(ping_id=1) padding=4
  expect  close

scenario client-padding-too-long
  tier    nightly
  rules   MSG_PADDING_TOO_LONG
  about   1028 bytes of padding, over the 1024 allowed
  handshake
  expect  query
  send    ping(ping_id=1) padding=1028
  expect  close

scenario client-padding-edges
  rules   MSG_PADDING_TOO_SHORT MSG_PADDING_TOO_LONG
  about   12 and 1024 bytes of padding are both accepted
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv]) padding=12
  send    msgs_ack(msg_ids=[recv]) padding=1020
  expect  no_close

scenario client-length-too-big
  rules   MSG_LENGTH_TOO_BIG
  about   message_data_length larger than what was decrypted
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv]) length=4096
  expect  close

scenario client-session-mismatch
  rules   MSG_SESSION_MISMATCH
  about   a message for another session_id
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv]) session=new
  expect  close

scenario client-auth-key-unknown
  rules   MSG_AUTH_KEY_ID_UNKNOWN
  about   a message under an auth_key_id that is not the client's key
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv]) auth_key_id=random
  expect  close

scenario client-msg-too-short
  rules   MSG_TOO_SHORT
  about   an encrypted packet of 12 bytes: no room for msg_key and one block
  handshake
  expect  query
  send    frame 0x0102030405060708aabbccdd
  expect  close

scenario client-msg-not-aligned
  rules   MSG_NOT_BLOCK_ALIGNED
  about   auth_key_id, msg_key and 40 bytes of ciphertext: not whole AES blocks
  handshake
  expect  query
  send    frame 0x0102030405060708000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627
  expect  close

scenario client-server-msgid-even
  rules   SERVER_MSGID_EVEN
  about   a server msg_id divisible by 4: server ids are 1 or 3 mod 4
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv]) msg_id=now+1
  expect  close

scenario client-server-msgid-future
  rules   SERVER_MSGID_TIME_WINDOW
  about   once synced, a server msg_id 60 s in the future
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv])
  send    msgs_ack(msg_ids=[recv]) msg_id=now+60s
  expect  close

scenario client-server-msgid-past
  tier    nightly
  rules   SERVER_MSGID_TIME_WINDOW
  about   once synced, a server msg_id 301 s in the past
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv])
  send    msgs_ack(msg_ids=[recv]) msg_id=now-301s
  expect  close

scenario client-server-msgid-window-edge
  tier    nightly
  rules   SERVER_MSGID_TIME_WINDOW
  about   25 s ahead is inside the window
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv])
  send    msgs_ack(msg_ids=[recv]) msg_id=now+25s
  expect  no_close

scenario client-server-msgid-duplicate
  rules   MSGID_DUPLICATE
  about   the same server msg_id twice
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv])
  send    msgs_ack(msg_ids=[recv]) msg_id=last
  expect  close

scenario client-gzip-service
  rules   GZIP_INVALID
  about   a service message inside gzip_packed is unpacked and acted on (new_session_created: resend)
  handshake
  expect  query
  send    gzip new_session_created(first_msg_id=recv+4, unique_id=1, server_salt=5)
  expect  query

scenario client-gzip-invalid
  rules   GZIP_INVALID
  about   gzip_packed whose packed_data is not a gzip stream
  handshake
  expect  query
  send    gzip_packed(packed_data=0x0102030405060708)
  expect  close

scenario client-transport-error-404
  rules   PCLIENT_TRANSPORT_ERROR
  about   transport error -404 from the server ends the run
  handshake
  expect  query
  send    frame 0x6cfeffff
  expect  close

scenario client-transport-error-429
  tier    nightly
  rules   PCLIENT_TRANSPORT_ERROR
  handshake
  expect  query
  send    frame 0x53feffff
  expect  close

scenario client-quick-ack
  rules   PCLIENT_TRANSPORT_ERROR
  about   a quick ack (high bit of the length) is not a transport error: ignored
  handshake
  expect  query
  send    wire 0x01000080
  expect  no_close

scenario client-frame-too-long
  rules   TRANSPORT_FRAME_TOO_LONG
  about   an intermediate length far above what the client reads
  handshake
  expect  query
  send    wire 0xffffff7f00000000
  expect  close

scenario client-full-bad-crc
  rules   FULL_BAD_CRC
  about   full transport: a frame whose CRC32 is off by one bit
  transport full
  handshake
  expect  query
  send    wire 0x10000000030000006cfeffffef28ce89
  expect  close

scenario client-full-bad-seq
  tier    nightly
  rules   FULL_BAD_SEQ
  about   full transport: seq 9 where 3 is due (a correct CRC)
  transport full
  handshake
  expect  query
  send    wire 0x10000000090000006cfeffff26340e18
  expect  close

scenario client-full-ok
  rules   FULL_BAD_SEQ FULL_BAD_CRC
  about   full transport: correct frames, the client answers a resend request
  transport full
  handshake
  expect  query
  send    bad_server_salt(bad_msg_id=recv, bad_msg_seqno=1, error_code=48, new_server_salt=9)
  expect  query

scenario client-obf2-msg-key
  tier    nightly
  rules   MSG_KEY_MISMATCH
  about   the same check under obfuscated2
  transport obf2-intermediate
  handshake
  expect  query
  send    msgs_ack(msg_ids=[recv]) msg_key=random
  expect  close
