# The client's checks of the server's HTTP responses (mtproto-notes §6 "HTTP"; RFC 9112). The
# harness is the HTTP server (harness/conform_http_server.c): each POST body is a packet, each
# payload the body of a 200. `send wire` writes raw response bytes the engine would never write.
role server
tier fast
transport http

scenario client-http-handshake
  rules   HTTP_RESPONSE_NO_LENGTH
  about   over HTTP: the key is created, relay.join arrives, our answer goes back in a response;
  about   the client's long poll (http_wait) is answered once its ack delay (1 s) has surely
  about   passed — 2 s after the poll, a margin for a loaded machine over the network — so the
  about   ack of our answer rides the next request
  handshake
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room="r1"))
  expect  http_wait
  wait    2s
  send    msgs_ack(msg_ids=[recv])
  expect  msgs_ack within=5s

scenario client-http-bad-status-line
  rules   HTTP_BAD_STATUS_LINE
  about   "HTTP/1.1 20 OK": a status code of two digits, not 3DIGIT
  expect  plain req_pq_multi
  send    wire 0x485454502f312e31203230204f4b0d0a436f6e74656e742d4c656e6774683a20300d0a0d0a
  expect  close

scenario client-http-no-length
  rules   HTTP_RESPONSE_NO_LENGTH
  about   a 200 without Content-Length (the body would run to the end of the connection)
  expect  plain req_pq_multi
  send    wire 0x485454502f312e3120323030204f4b0d0a436f6e74656e742d547970653a206170706c69636174696f6e2f6f637465742d73747265616d0d0a0d0a
  expect  close

scenario client-http-unsolicited
  rules   HTTP_UNSOLICITED_RESPONSE
  about   two empty 200 responses to the one request (req_pq_multi) outstanding: the second
  about   answers nothing
  expect  plain req_pq_multi
  send    wire 0x485454502f312e3120323030204f4b0d0a436f6e74656e742d4c656e6774683a20300d0a0d0a485454502f312e3120323030204f4b0d0a436f6e74656e742d4c656e6774683a20300d0a0d0a
  expect  close
