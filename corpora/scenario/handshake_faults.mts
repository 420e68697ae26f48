# Server-side checks of auth-key creation that need a client writing one message wrong on
# purpose (page mtproto/auth_key; mtproto-notes §1; common/rules.def "handshake (server)"). The
# harness is the client; `handshake fault=NAME` makes its client engine write the faulted message
# with every derived field (RSA, SHA1, AES-IGE, lengths) recomputed (proto/handshake_client_fault.c)
# and ends the step after sending it; the next steps check the rule's reaction: transport error
# -404 (-444 for a test dc) and a close. The relay is a production DC (docs/relay.md).
role client
tier fast

scenario hsf-rsa-short
  rules   RSAPAD_LENGTH
  about   req_DH_params with the right p, q and fingerprint but a 255-byte encrypted_data
  handshake fault=rsa_short
  expect  transport_error -404
  expect  close

scenario hsf-rsa-above-n
  rules   RSAPAD_NOT_BELOW_MODULUS
  about   encrypted_data equal to the key's modulus n: not below n, refused before decryption
  handshake fault=rsa_above_n
  expect  transport_error -404
  expect  close

scenario hsf-inner-malformed
  rules   HSS_INNER_MALFORMED
  about   RSA_PAD (hash right) over p_q_inner_data_dc whose pq string claims 200 bytes of 192
  handshake fault=inner_malformed
  expect  transport_error -404
  expect  close

scenario hsf-inner-no-dc
  rules   HSS_DEPRECATED_INNER_NO_DC
  about   the deprecated p_q_inner_data (no dc) is accepted by a non-strict server: the key works
  handshake fault=inner_no_dc
  send    ping(ping_id=11)
  expect  pong(ping_id=11)

scenario hsf-inner-temp-no-dc
  rules   HSS_DEPRECATED_INNER_NO_DC
  about   the deprecated p_q_inner_data_temp (no dc) creates a temporary key
  handshake fault=inner_no_dc kind=temp expires=3600
  send    ping(ping_id=12)
  expect  pong(ping_id=12)

scenario hsf-old-rsa-padding
  rules   HSS_DEPRECATED_RSA_PADDING
  about   the pre-RSA_PAD encryption SHA1(data) + data + random (255 bytes), raw RSA, is accepted
  handshake fault=old_rsa_padding
  send    ping(ping_id=13)
  expect  pong(ping_id=13)

scenario hsf-dc-test-on-production
  rules   HSS_DC_TEST_MISMATCH
  about   dc 10002 (a test DC id) sent to the relay, a production DC, gets -444
  handshake dc=10002 stop=req_dh
  expect  transport_error -444
  expect  close

scenario hsf-dc-media-production
  rules   HSS_DC_TEST_MISMATCH
  about   dc -2 (a production media DC id) is not a test id: the key is created
  handshake dc=-2
  send    ping(ping_id=14)
  expect  pong(ping_id=14)

scenario hsf-set-dh-unaligned
  rules   HSS_ANSWER_LENGTH
  about   set_client_DH_params.encrypted_data 4 bytes past a whole number of AES blocks
  handshake fault=set_dh_unaligned
  expect  transport_error -404
  expect  close

scenario hsf-set-dh-padding
  rules   HSS_ANSWER_PADDING
  about   answer_with_hash padded with 16..31 bytes (the SHA1 over client_DH_inner_data is right)
  handshake fault=set_dh_padding
  expect  transport_error -404
  expect  close

scenario hsf-set-dh-inner-malformed
  rules   HSS_CLIENT_INNER_MALFORMED
  about   client_DH_inner_data with a wrong constructor under a valid SHA1
  handshake fault=set_dh_inner_malformed
  expect  transport_error -404
  expect  close

scenario hsf-resend-expired
  rules   HSS_RESEND_EXPIRED
  about   the same req_pq_multi after more than 10 minutes is no longer answered from memory;
  send    plain req_pq_multi(nonce=0x0f0e0d0c0b0a09080706050403020100)
  expect  plain resPQ(nonce=0x0f0e0d0c0b0a09080706050403020100)
  wait    4m
  send    plain req_pq_multi(nonce=0x0f0e0d0c0b0a09080706050403020100)
  expect  plain resPQ(nonce=0x0f0e0d0c0b0a09080706050403020100)
  wait    4m
  send    plain req_pq_multi(nonce=0x0f0e0d0c0b0a09080706050403020100)
  expect  plain resPQ(nonce=0x0f0e0d0c0b0a09080706050403020100)
  wait    130s
  send    plain req_pq_multi(nonce=0x0f0e0d0c0b0a09080706050403020100)
  expect  transport_error -404
  expect  close

# Leading zero bytes steered on purpose (issue 8): the harness picks b once it knows g_a
# (steer=key0: auth_key = g_a^b has a zero first byte; steer=gb0: g_b has), conform_steer.c.
scenario hsf-key-leading-zero
  rules   HSS_CLIENT_INNER_MISMATCH
  about   an auth key whose first of 256 bytes is zero: its id and aux_hash are over all 256 bytes
  handshake steer=key0
  send    ping(ping_id=15)
  expect  pong(ping_id=15)

scenario hsf-gb-leading-zero-steered
  rules   DH_GB_BOUNDS
  about   a g_b of 255 significant bytes found at run time (any server's g_a, any prime)
  handshake steer=gb0
  send    ping(ping_id=16)
  expect  pong(ping_id=16)

scenario hsf-gb-two-zero-bytes
  rules   DH_GB_BOUNDS
  about   a g_b of 254 significant bytes (still >= 2^1984): b from harness/scenarios/tools/dh_edge_b.py
  handshake b=0x674fdfeed53aecff15d398a36e4f36f2504ddead37bf25fad45dae5b29432a7c75d6e21c83522433b3bc892d1a8163684931655c9cce117d310d320bd9728876674fdfeed53aecff15d398a36e4f36f2504ddead37bf25fad45dae5b29432a7c75d6e21c83522433b3bc892d1a8163684931655c9cce117d310d320bd9728876674fdfeed53aecff15d398a36e4f36f2504ddead37bf25fad45dae5b29432a7c75d6e21c83522433b3bc892d1a8163684931655c9cce117d310d320bd9728876674fdfeed53aecff15d398a36e4f36f2504ddead37bf25fad45dae5b29432a7c75d6e21c83522433b3bc892d1a8163684931655c9cce117d310d320bd975a48d
  send    ping(ping_id=20)
  expect  pong(ping_id=20)

# dh_gen_retry on purpose: `server-retries 2` configures the builtin relay (over the network:
# mtproof relay --handshake-retries 2, and conform --server-retries 2) to answer the first two
# attempts of each handshake with dh_gen_retry, as when auth_key_hash collides.
scenario hsf-retry-ok
  rules   HSS_RETRY_ID_WRONG
  server-retries 2
  about   after each dh_gen_retry the next attempt's retry_id is the aux_hash of the previous key
  handshake
  send    ping(ping_id=17)
  expect  pong(ping_id=17)

scenario hsf-retry-id-wrong
  rules   HSS_RETRY_ID_WRONG
  server-retries 2
  about   the second attempt, after dh_gen_retry, with a retry_id one bit off gets -404
  handshake fault=retry_id
  expect  transport_error -404
  expect  close

scenario hsf-retry-key-leading-zero
  rules   HSS_RETRY_ID_WRONG HSS_CLIENT_INNER_MISMATCH
  server-retries 2
  about   every attempt's key starts with a zero byte: each retry_id is the aux_hash of such a key
  handshake steer=key0
  send    ping(ping_id=18)
  expect  pong(ping_id=18)

scenario hsf-retry-gb-leading-zero
  rules   HSS_RETRY_ID_WRONG DH_GB_BOUNDS
  server-retries 2
  about   every attempt's g_b has a zero first byte, through two dh_gen_retry answers
  handshake steer=gb0
  send    ping(ping_id=19)
  expect  pong(ping_id=19)

# PLAIN_AUTH_KEY_ID_NOT_ZERO: a server routes a packet by its auth_key_id (non-zero: an encrypted
# one), but a client in the middle of auth-key creation reads only unencrypted answers, so the
# harness as server answers req_pq_multi with a resPQ whose auth_key_id is not zero.
scenario hsf-client-plain-auth-key-id
  rules   PLAIN_AUTH_KEY_ID_NOT_ZERO
  role    server
  about   a handshake answer with auth_key_id != 0 ends the client's handshake: it closes
  expect  plain req_pq_multi(nonce=*)
  send    plain resPQ(nonce=random, server_nonce=random, pq=0x17ed48941a08f981, server_public_key_fingerprints=[1]) auth_key_id=0x0102030405060708
  expect  close
