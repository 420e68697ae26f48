# Server salts (page mtproto/description "Server Salt"; service_messages get_future_salts).
role client
tier fast

scenario salt-bad
  rules   BAD_SERVER_SALT
  about   a wrong salt gets bad_server_salt carrying the right one
  handshake
  send    ping(ping_id=1) salt=bad
  expect  bad_server_salt

scenario salt-learned-and-resent
  rules   BAD_SERVER_SALT
  about   after bad_server_salt the new salt is accepted
  handshake
  send    ping(ping_id=1) salt=bad
  expect  bad_server_salt
  send    ping(ping_id=2)
  expect  pong(ping_id=2)

scenario salt-zero
  rules   BAD_SERVER_SALT
  handshake
  send    ping(ping_id=1) salt=0
  expect  bad_server_salt

scenario salt-first-accepted
  rules   BAD_SERVER_SALT
  about   the handshake's server_salt is valid for the first messages
  handshake
  send    ping(ping_id=1) salt=current
  expect  pong(ping_id=1)

scenario salt-future-salts
  rules   FUTURE_SALTS_NUM_RANGE
  about   get_future_salts(num=3) is answered by future_salts
  handshake
  send    get_future_salts(num=3)
  expect  future_salts(req_msg_id=last)

scenario salt-future-salts-num-zero
  rules   FUTURE_SALTS_NUM_RANGE
  about   num = 0 is outside 1..64
  handshake
  send    get_future_salts(num=0)
  expect  rpc_error 400

scenario salt-future-salts-num-65
  rules   FUTURE_SALTS_NUM_RANGE
  handshake
  send    get_future_salts(num=65)
  expect  rpc_error 400

scenario salt-grace-after-period
  rules   BAD_SERVER_SALT
  about   the first salt stays accepted 1800 s after its period (the grace period)
  tier    nightly
  handshake
  wait    35m
  send    ping(ping_id=1) msg_id=now salt=current
  expect  pong(ping_id=1)

scenario salt-bad-twice
  rules   BAD_SERVER_SALT
  about   each message with a wrong salt gets its own bad_server_salt
  handshake
  send    ping(ping_id=1) salt=bad
  expect  bad_server_salt
  send    ping(ping_id=2) salt=bad
  expect  bad_server_salt
