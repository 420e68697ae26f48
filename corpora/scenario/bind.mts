# Temporary keys and binding, server side (page api/pfs; mtproto-notes §1; proto/bind.h): the
# harness creates a permanent key, then a temporary one, and binds them with the bind step; each
# fault= reaches one check. Every check of encrypted_message answers the same
# ENCRYPTED_MESSAGE_INVALID (no oracle on which one failed). Needs the relay core (its bind gate).
role client
tier fast
target relay

scenario bind-ok
  rules   BIND_UNBOUND_METHOD
  about   a bound temporary key may call the relay API
  handshake
  handshake kind=temp expires=3600
  bind
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x997275b5"})
  send    relay.join(room="bound")
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x8adcd0f5"})

scenario bind-unbound-method
  rules   BIND_UNBOUND_METHOD
  about   an unbound temporary key gets 401 AUTH_KEY_PERM_EMPTY for anything but the bind
  handshake kind=temp expires=3600
  send    relay.join(room="x")
  expect  rpc_error 401 "AUTH_KEY_PERM_EMPTY"

scenario bind-perm-key-itself
  rules   BIND_TEMP_KEY_EMPTY
  about   auth.bindTempAuthKey sent over a permanent key
  handshake
  handshake
  bind
  expect  rpc_error 400 "TEMP_AUTH_KEY_EMPTY"

scenario bind-twice-same
  rules   BIND_TEMP_KEY_ALREADY_BOUND
  about   binding the same pair again is accepted (idempotent)
  handshake
  handshake kind=temp expires=3600
  bind
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x997275b5"})
  bind
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x997275b5"})

scenario bind-already-bound
  rules   BIND_TEMP_KEY_ALREADY_BOUND
  about   a temporary key bound to one permanent key cannot be bound to another
  handshake
  handshake
  handshake kind=temp expires=3600
  bind
  expect  rpc_result(req_msg_id=last, result={"_":"opaque","id":"0x997275b5"})
  bind    fault=other_perm
  expect  rpc_error 400 "TEMP_AUTH_KEY_ALREADY_BOUND"

scenario bind-perm-id
  rules   BIND_PERM_ID_MISMATCH
  about   the inner perm_auth_key_id differs from the query's
  handshake
  handshake kind=temp expires=3600
  bind    fault=perm_id
  expect  rpc_error 400 "ENCRYPTED_MESSAGE_INVALID"

scenario bind-temp-id
  rules   BIND_TEMP_KEY_MISMATCH
  about   the inner temp_auth_key_id is not the key the query came with
  handshake
  handshake kind=temp expires=3600
  bind    fault=temp_id
  expect  rpc_error 400 "ENCRYPTED_MESSAGE_INVALID"

scenario bind-session
  rules   BIND_SESSION_MISMATCH
  about   the inner temp_session_id is not the session in use
  handshake
  handshake kind=temp expires=3600
  bind    fault=session
  expect  rpc_error 400 "ENCRYPTED_MESSAGE_INVALID"

scenario bind-nonce
  rules   BIND_NONCE_MISMATCH
  about   the query's nonce differs from the inner one
  handshake
  handshake kind=temp expires=3600
  bind    fault=nonce
  expect  rpc_error 400 "ENCRYPTED_MESSAGE_INVALID"

scenario bind-expires
  rules   BIND_EXPIRES_MISMATCH
  about   the query's expires_at differs from the inner one
  handshake
  handshake kind=temp expires=3600
  bind    fault=expires
  expect  rpc_error 400 "ENCRYPTED_MESSAGE_INVALID"

scenario bind-msg-id
  rules   BIND_MSG_ID_MISMATCH
  about   the inner msg_id is not the msg_id of the query
  handshake
  handshake kind=temp expires=3600
  bind    fault=msg_id
  expect  rpc_error 400 "ENCRYPTED_MESSAGE_INVALID"

scenario bind-msg-key
  rules   BIND_MSG_KEY
  about   a flipped byte of encrypted_message's msg_key
  handshake
  handshake kind=temp expires=3600
  bind    fault=msg_key
  expect  rpc_error 400 "ENCRYPTED_MESSAGE_INVALID"

scenario bind-length
  rules   BIND_ENCRYPTED_LENGTH
  about   encrypted_message of 88 bytes (it is 104)
  handshake
  handshake kind=temp expires=3600
  bind    fault=length
  expect  rpc_error 400 "ENCRYPTED_MESSAGE_INVALID"

scenario bind-perm-unknown
  rules   BIND_PERM_KEY_UNKNOWN
  about   a permanent key the server never created
  handshake
  handshake kind=temp expires=3600
  bind    fault=perm_unknown
  expect  rpc_error 400 "ENCRYPTED_MESSAGE_INVALID"

scenario bind-malformed
  rules   BIND_QUERY_MALFORMED
  about   auth.bindTempAuthKey that ends after its nonce
  handshake
  handshake kind=temp expires=3600
  bind    fault=malformed
  expect  rpc_error 400 "INPUT_FETCH_ERROR"

scenario bind-expired
  rules   BIND_EXPIRES_AT_INVALID
  about   expires_at one second in the past
  handshake
  handshake kind=temp expires=3600
  bind    fault=expired
  expect  rpc_error 400 "EXPIRES_AT_INVALID"

scenario bind-past-temp-expiry
  rules   BIND_EXPIRES_AT_INVALID
  about   a binding that would outlive its temporary key (expires_in 300, expires_at now + 600)
  handshake
  handshake kind=temp expires=300
  bind
  expect  rpc_error 400 "EXPIRES_AT_INVALID"

scenario bind-inner-malformed
  rules   BIND_INNER_MALFORMED
  about   encrypted_message decrypts, but its inner message has seqno 1 (it must be 0)
  handshake
  handshake kind=temp expires=3600
  bind    fault=inner
  expect  rpc_error 400 "ENCRYPTED_MESSAGE_INVALID"
