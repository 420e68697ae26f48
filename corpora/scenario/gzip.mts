# gzip_packed (page service_messages "Packed Object").
role client
tier fast

scenario gzip-ping
  rules   GZIP_INVALID
  about   a gzip_packed ping is unpacked and answered
  handshake
  send    gzip ping(ping_id=9)
  expect  pong(ping_id=9)

scenario gzip-invalid-stream
  rules   GZIP_INVALID
  about   packed_data that is not a gzip stream is dropped
  handshake
  send    gzip_packed(packed_data=0x00112233445566778899)
  expect  silence 2s

scenario gzip-empty
  rules   GZIP_INVALID
  handshake
  send    gzip_packed(packed_data=0x)
  expect  silence 2s
