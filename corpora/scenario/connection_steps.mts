role client
tier fast
target relay

scenario conn-grammar
  rules   RELAY_TOO_MANY_CONNS
  limits  max_conns=3 max_frame=65536 max_pending=8192 idle_timeout=30s handshakes_per_sec=5
  handshake
  connection b transport=obf2-padded
  handshake
  send    relay.send(data=fill:300)
  expect  relay.updatePayload(room=*, data=fill:300)
  connection main
  expect  rpc_result(req_msg_id=last, result=relay.joinedReady(room=*, originator=false))
  connection b close
  connection c transport=abridged
  connection b
  reconnect
