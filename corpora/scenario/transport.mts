# Transports (page mtproto/mtproto-transports): every framing, obfuscated2, split frames, errors.
# The server detects the framing from the first bytes.
role client
tier fast

scenario transport-abridged
  rules   TRANSPORT_BAD_TAG
  transport abridged
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)

scenario transport-intermediate
  rules   TRANSPORT_BAD_TAG
  transport intermediate
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)

scenario transport-padded
  rules   TRANSPORT_BAD_TAG
  transport padded
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)

scenario transport-full
  rules   FULL_BAD_SEQ FULL_BAD_CRC
  transport full
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)

scenario transport-obf2-abridged
  rules   OBF2_BAD_TAG
  transport obf2-abridged
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)

scenario transport-obf2-intermediate
  rules   OBF2_BAD_TAG
  transport obf2-intermediate
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)

scenario transport-obf2-padded
  rules   OBF2_BAD_TAG
  transport obf2-padded
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)

scenario transport-split-bytewise
  rules   TRANSPORT_LENGTH_NOT_ALIGNED
  about   a message written one byte at a time is reassembled
  handshake
  send    ping(ping_id=2) split=1
  expect  pong(ping_id=2)

scenario transport-split-bytewise-obf2
  rules   OBF2_BAD_TAG
  transport obf2-intermediate
  handshake
  send    ping(ping_id=2) split=1
  expect  pong(ping_id=2)

scenario transport-split-7
  rules   FULL_BAD_CRC
  transport full
  handshake
  send    ping(ping_id=3) split=7
  expect  pong(ping_id=3)

scenario transport-switch-on-reconnect
  rules   TRANSPORT_BAD_TAG
  about   a key made over intermediate is used over abridged on a new connection
  handshake
  transport abridged
  send    ping(ping_id=4)
  expect  pong(ping_id=4)

scenario transport-quick-ack
  rules   TRANSPORT_BAD_TAG
  about   a query sent with the quick-ack bit is answered (the quick ack itself is optional)
  handshake
  send    ping(ping_id=5) quick_ack=1
  expect  pong(ping_id=5)

scenario transport-intermediate-length-unaligned
  rules   TRANSPORT_LENGTH_NOT_ALIGNED
  about   an intermediate frame of 5 bytes
  send    wire eeeeeeee050000000102030405
  expect  transport_error -404

scenario transport-intermediate-too-long
  rules   TRANSPORT_FRAME_TOO_LONG
  about   an intermediate length of 1 GiB is refused as soon as it is read
  send    wire eeeeeeee00000040
  expect  transport_error -404

scenario transport-full-bad-crc
  rules   FULL_BAD_CRC
  about   a full-transport frame with a wrong CRC32 closes the connection
  send    wire 1000000000000000aaaaaaaa00000000
  expect  close

scenario transport-full-bad-seq
  rules   FULL_BAD_SEQ
  about   after 4 frames (seq 0..3) a frame with seq 9 closes the connection
  transport full
  handshake
  send    wire 1000000009000000aabbccdd00000000
  expect  close

scenario transport-full-too-short
  rules   FULL_TOO_SHORT
  about   a full frame whose length (8) is below its own 12-byte overhead
  transport full
  handshake
  send    wire 0800000004000000
  expect  transport_error -404

scenario transport-obf2-bad-tag
  rules   OBF2_BAD_TAG
  about   an obfuscated2 init whose decrypted tag names no framing
  send    wire 0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40
  expect  close

scenario transport-padded-split-bytewise
  rules   TRANSPORT_LENGTH_NOT_ALIGNED
  transport padded
  handshake
  send    ping(ping_id=6) split=1
  expect  pong(ping_id=6)

scenario transport-obf2-abridged-split-3
  rules   OBF2_BAD_TAG
  transport obf2-abridged
  handshake
  send    ping(ping_id=7) split=3
  expect  pong(ping_id=7)

scenario transport-full-split-bytewise
  rules   FULL_BAD_CRC FULL_BAD_SEQ
  transport full
  handshake
  send    ping(ping_id=8) split=1
  expect  pong(ping_id=8)
