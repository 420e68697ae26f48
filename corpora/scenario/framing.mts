# Encrypted message framing and msg_key (mtproto-notes §4, §5; page mtproto/security_guidelines).
# Every check fails the same way: -404 and a close (no oracle between them).
role client
tier fast

scenario frame-msg-key-wrong
  rules   MSG_KEY_MISMATCH
  about   a msg_key that is not SHA256(auth_key part + plaintext)[8:24]
  handshake
  send    ping(ping_id=1) msg_key=random
  expect  transport_error -404
  expect  close

scenario frame-auth-key-id-unknown
  rules   MSG_AUTH_KEY_ID_UNKNOWN
  handshake
  send    ping(ping_id=1) auth_key_id=0102030405060708
  expect  transport_error -404
  expect  close

scenario frame-unknown-key-no-handshake
  rules   MSG_AUTH_KEY_ID_UNKNOWN
  about   an encrypted packet before any key exists
  send    frame 0102030405060708aabbccddeeff00112233445566778899000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
  expect  transport_error -404

scenario frame-too-short
  rules   MSG_TOO_SHORT
  about   an encrypted packet with only auth_key_id and msg_key
  handshake
  send    frame 0102030405060708aabbccddeeff00112233445566778899
  expect  transport_error -404

scenario frame-length-too-big
  rules   MSG_LENGTH_TOO_BIG
  about   message_data_length past the end of the plaintext
  handshake
  send    ping(ping_id=1) length=4096
  expect  transport_error -404
  expect  close

scenario frame-length-not-aligned
  rules   MSG_LENGTH_NOT_ALIGNED
  handshake
  send    ping(ping_id=1) length=10
  expect  transport_error -404

scenario frame-padding-too-short
  rules   MSG_PADDING_TOO_SHORT
  about   4 bytes of padding: MTProto 2.0 needs 12 to 1024
  handshake
  send    ping(ping_id=1) padding=4
  expect  transport_error -404

scenario frame-padding-too-long
  rules   MSG_PADDING_TOO_LONG
  about   1028 bytes of padding
  handshake
  send    ping(ping_id=1) padding=1028
  expect  transport_error -404

scenario frame-padding-min
  rules   MSG_PADDING_TOO_SHORT
  about   exactly 12 bytes of padding (a 20-byte body) is accepted: the lower boundary
  handshake
  send    msgs_state_req(msg_ids=[1]) padding=12
  expect  msgs_state_info(req_msg_id=last)

scenario frame-padding-max
  rules   MSG_PADDING_TOO_LONG
  about   1020 bytes of padding is accepted (the largest aligned length within 1024)
  handshake
  send    msgs_state_req(msg_ids=[1]) padding=1020
  expect  msgs_state_info(req_msg_id=last)
