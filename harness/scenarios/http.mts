# The HTTP transport, server side (mtproto-notes §6 "HTTP"; RFC 9112, RFC 9110): each packet is
# the body of one `POST /api`. Requests the client engine would never write are sent as raw bytes
# (`send wire`); an error status comes back as the transport error -STATUS. Needs the relay core,
# which switches a TCP connection to HTTP on its first bytes (docs/relay.md).
role client
tier fast
target relay
transport http

scenario http-handshake-and-ping
  rules   HTTP_NO_CONTENT_LENGTH HTTP_BODY_NOT_PACKET
  about   a key created over HTTP carries a ping: each request a packet, each response one too
  handshake
  send    ping(ping_id=7)
  expect  pong(ping_id=7)

scenario http-two-requests
  rules   HTTP_NO_CONTENT_LENGTH
  about   the connection is kept alive: a second request on it is answered
  handshake
  send    ping(ping_id=1)
  expect  pong(ping_id=1)
  send    ping(ping_id=2)
  expect  pong(ping_id=2)

scenario http-msg-key-wrong
  rules   MSG_KEY_MISMATCH
  about   a refused packet over HTTP is 404, the HTTP form of -404
  handshake
  send    ping(ping_id=1) msg_key=random
  expect  transport_error -404

scenario http-bad-method
  rules   HTTP_BAD_METHOD
  about   GET instead of POST gets 501
  send    wire 474554202f61706920485454502f312e310d0a486f73743a20610d0a436f6e74656e742d4c656e6774683a20300d0a0d0a
  expect  transport_error -501

scenario http-not-api-path
  rules   HTTP_NOT_API_PATH
  about   POST /x: only /api and /apiw are served (404)
  send    wire 504f5354202f7820485454502f312e310d0a486f73743a20610d0a436f6e74656e742d4c656e6774683a20340d0a0d0a00000000
  expect  transport_error -404

scenario http-bare-lf
  rules   HTTP_BAD_LINE_ENDING
  about   the request line ends in a bare LF
  send    wire 504f5354202f61706920485454502f312e310a486f73743a20610d0a436f6e74656e742d4c656e6774683a20340d0a0d0a00000000
  expect  transport_error -400

scenario http-bad-request-line
  rules   HTTP_BAD_REQUEST_LINE
  about   two spaces between method and target
  send    wire 504f535420202f61706920485454502f312e310d0a486f73743a20610d0a436f6e74656e742d4c656e6774683a20340d0a0d0a00000000
  expect  transport_error -400

scenario http-version-2
  rules   HTTP_VERSION_UNSUPPORTED
  about   HTTP/2.0 in the request line gets 505
  send    wire 504f5354202f61706920485454502f322e300d0a486f73743a20610d0a436f6e74656e742d4c656e6774683a20340d0a0d0a00000000
  expect  transport_error -505

scenario http-target-257
  rules   HTTP_TARGET_TOO_LONG
  about   a request-target of 257 bytes (the limit is 256) gets 414
  send    wire 504f5354202f6170693f61616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616120485454502f312e310d0a486f73743a20610d0a436f6e74656e742d4c656e6774683a20340d0a0d0a00000000
  expect  transport_error -414

scenario http-space-before-colon
  rules   HTTP_BAD_HEADER
  about   whitespace between field name and colon
  send    wire 504f5354202f61706920485454502f312e310d0a486f7374203a20610d0a436f6e74656e742d4c656e6774683a20340d0a0d0a00000000
  expect  transport_error -400

scenario http-obs-fold
  rules   HTTP_OBS_FOLD
  about   a field value continued on the next line (obs-fold)
  send    wire 504f5354202f61706920485454502f312e310d0a486f73743a20610d0a582d413a20620d0a20630d0a436f6e74656e742d4c656e6774683a20340d0a0d0a00000000
  expect  transport_error -400

scenario http-33-fields
  rules   HTTP_HEAD_TOO_LARGE
  about   33 field lines (the limit is 32) get 431
  send    wire 504f5354202f61706920485454502f312e310d0a486f73743a20610d0a436f6e74656e742d4c656e6774683a20340d0a582d30303a20790d0a582d30313a20790d0a582d30323a20790d0a582d30333a20790d0a582d30343a20790d0a582d30353a20790d0a582d30363a20790d0a582d30373a20790d0a582d30383a20790d0a582d30393a20790d0a582d31303a20790d0a582d31313a20790d0a582d31323a20790d0a582d31333a20790d0a582d31343a20790d0a582d31353a20790d0a582d31363a20790d0a582d31373a20790d0a582d31383a20790d0a582d31393a20790d0a582d32303a20790d0a582d32313a20790d0a582d32323a20790d0a582d32333a20790d0a582d32343a20790d0a582d32353a20790d0a582d32363a20790d0a582d32373a20790d0a582d32383a20790d0a582d32393a20790d0a582d33303a20790d0a0d0a00000000
  expect  transport_error -431

scenario http-content-length-bad
  rules   HTTP_BAD_CONTENT_LENGTH
  about   Content-Length: 4x is not 1*DIGIT
  send    wire 504f5354202f61706920485454502f312e310d0a486f73743a20610d0a436f6e74656e742d4c656e6774683a2034780d0a0d0a00000000
  expect  transport_error -400

scenario http-content-length-twice
  rules   HTTP_BAD_CONTENT_LENGTH
  about   two Content-Length fields with different values
  send    wire 504f5354202f61706920485454502f312e310d0a486f73743a20610d0a436f6e74656e742d4c656e6774683a20340d0a436f6e74656e742d4c656e6774683a20380d0a0d0a00000000
  expect  transport_error -400

scenario http-no-content-length
  rules   HTTP_NO_CONTENT_LENGTH
  about   a POST without Content-Length gets 411
  send    wire 504f5354202f61706920485454502f312e310d0a486f73743a20610d0a0d0a
  expect  transport_error -411

scenario http-body-too-long
  rules   HTTP_BODY_TOO_LONG
  about   Content-Length past the largest frame gets 413 before any body is read
  send    wire 504f5354202f61706920485454502f312e310d0a486f73743a20610d0a436f6e74656e742d4c656e6774683a20323030303030303030300d0a0d0a
  expect  transport_error -413

scenario http-chunked
  rules   HTTP_CHUNKED_UNSUPPORTED
  about   Transfer-Encoding: chunked gets 501
  send    wire 504f5354202f61706920485454502f312e310d0a486f73743a20610d0a5472616e736665722d456e636f64696e673a206368756e6b65640d0a0d0a340d0a000000000d0a300d0a0d0a
  expect  transport_error -501

scenario http-no-host
  rules   HTTP_BAD_HOST
  about   an HTTP/1.1 request without Host gets 400
  send    wire 504f5354202f61706920485454502f312e310d0a436f6e74656e742d4c656e6774683a20340d0a0d0a00000000
  expect  transport_error -400

scenario http-two-hosts
  rules   HTTP_BAD_HOST
  about   two Host field lines get 400
  send    wire 504f5354202f61706920485454502f312e310d0a486f73743a20610d0a486f73743a20620d0a436f6e74656e742d4c656e6774683a20340d0a0d0a00000000
  expect  transport_error -400

scenario http-body-not-words
  rules   HTTP_BODY_NOT_PACKET
  about   a 3-byte body is not a sequence of 32-bit words (404)
  send    wire 504f5354202f61706920485454502f312e310d0a486f73743a20610d0a436f6e74656e742d4c656e6774683a20330d0a0d0a616263
  expect  transport_error -404

scenario http-body-empty
  rules   HTTP_BODY_NOT_PACKET
  about   an empty body is not a packet (404)
  send    wire 504f5354202f61706920485454502f312e310d0a486f73743a20610d0a436f6e74656e742d4c656e6774683a20300d0a0d0a
  expect  transport_error -404
