# The client's reactions to the server's rarer handshake answers (page mtproto/auth_key): a pq too
# big, an encrypted_answer too long or too short, server_DH_params_fail, an answer out of order,
# dh_gen_retry / dh_gen_fail with a wrong hash, endless dh_gen_retry; and the edge values a
# server can steer a client to: one dh_gen_retry, a key with a leading zero byte, a g_a with
# leading zero bytes. The harness is the server (handshake fault=..., proto/handshake_server.h);
# every derived field of a faulty answer is correct except the one the fault breaks.
role server
tier fast

scenario client-pq-too-big
  rules   HS_PQ_TOO_BIG
  about   resPQ whose pq is 9 bytes (two 36-bit primes): over the 64 bits a client factors
  handshake fault=pq_too_big
  expect  close

scenario client-answer-too-long
  rules   HS_ANSWER_TOO_LONG
  about   server_DH_params_ok whose encrypted_answer is 1040 bytes (correct hash, more padding)
  handshake fault=answer_too_long
  expect  close

scenario client-answer-too-short
  rules   HS_ANSWER_TOO_SHORT
  about   server_DH_params_ok whose encrypted_answer is one 16-byte block
  handshake fault=answer_too_short
  expect  close

scenario client-dh-params-fail
  rules   HS_SERVER_DH_PARAMS_FAIL
  about   server_DH_params_fail (legacy, correct nonces and hash): the server refused
  handshake fault=dh_params_fail
  expect  close

scenario client-answer-out-of-order
  rules   HS_UNEXPECTED_MESSAGE
  about   req_DH_params answered with the resPQ of the first step again
  handshake fault=unexpected
  expect  close

scenario client-retry-hash
  rules   HS_NEW_NONCE_HASH2
  about   dh_gen_retry whose new_nonce_hash2 is wrong
  handshake fault=retry_hash
  expect  close

scenario client-fail-hash
  rules   HS_NEW_NONCE_HASH3
  about   dh_gen_fail whose new_nonce_hash3 is wrong
  handshake fault=fail_hash
  expect  close

scenario client-too-many-retries
  rules   HS_TOO_MANY_RETRIES
  about   dh_gen_retry (correct) to every attempt: the client gives up after its limit (8)
  handshake fault=retry_always
  expect  close

scenario client-gen-retry-ok
  rules   HS_NEW_NONCE_HASH2 HS_TOO_MANY_RETRIES
  about   one correct dh_gen_retry: the client sends a new g_b with retry_id, the key is agreed
  about   and our first encrypted message decrypts (the client acks the answer)
  handshake fault=gen_retry
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room="r1"))
  expect  msgs_ack within=5s

scenario client-key-leading-zero
  rules   HS_NEW_NONCE_HASH2 HS_NEW_NONCE_HASH1
  about   dh_gen_retry while the new key's first byte is not zero (up to 8 times): a key with a
  about   leading zero byte when one comes up (the transcript's "key edges" line says), kept at
  about   256 bytes on both sides: the client's message decrypts and so does our answer
  handshake fault=key_zero
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room="r1"))
  expect  msgs_ack within=5s

scenario client-ga-leading-zeros
  rules   DH_GA_BOUNDS DH_GA_RANGE
  about   our exponent a makes g_a = 3^a mod p start with 3 zero bytes (still above 2^(2048-64)):
  about   the client keeps it at 256 bytes, the key is agreed, both sides' messages decrypt.
  about   a from harness/scenarios/edge_exponent.py 3
  handshake a=0x219f89aa6e1f1488b60d6bf3add32255e97ea1d9841b5bdee5a947d7758e4ac8db14d8682a0d9baca29d5303bcf967f45d0d48fb28069763600950c5d8bedae2a19f89aa6e1f1488b60d6bf3add32255e97ea1d9841b5bdee5a947d7758e4ac8db14d8682a0d9baca29d5303bcf967f45d0d48fb28069763600950c5d8bedae2a19f89aa6e1f1488b60d6bf3add32255e97ea1d9841b5bdee5a947d7758e4ac8db14d8682a0d9baca29d5303bcf967f45d0d48fb28069763600950c5d8bedae2a19f89aa6e1f1488b60d6bf3add32255e97ea1d9841b5bdee5a947d7758e4ac8db14d8682a0d9baca29d5303bcf967f45d0d48fb28069763600950c5db793099
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room="r1"))
  expect  msgs_ack within=5s

scenario client-bind-false
  rules   PCLIENT_BIND_FAILED
  about   auth.bindTempAuthKey answered with boolFalse: no binding, the client ends its run
  handshake
  handshake kind=temp expires=3600
  expect  {"_":"opaque","id":"0xcdd42a05"}
  send    rpc_result(req_msg_id=recv, result={"_":"opaque","id":"0xbc799737","data":""})
  expect  close
