# Client checks during auth-key creation (page mtproto/auth_key, security_guidelines). The harness
# is the server: its handshake engine breaks one rule (an hss fault) and the client under test
# must give up, which on the wire is a close without another message.
role server
tier fast

scenario client-handshake-ok
  rules   HS_NONCE_MISMATCH HS_NEW_NONCE_HASH1
  about   a correct server: the client creates the key and sends its first encrypted message
  handshake
  expect  query

scenario client-respq-nonce
  rules   HS_NONCE_MISMATCH
  handshake fault=respq_nonce
  expect  close

scenario client-pq-prime
  rules   HS_PQ_NOT_SEMIPRIME
  handshake fault=pq_prime
  expect  close

scenario client-fingerprints-unknown
  rules   HS_NO_KNOWN_FINGERPRINT
  handshake fault=fingerprints
  expect  close

scenario client-dh-nonce
  rules   HS_NONCE_MISMATCH
  handshake fault=dh_nonce
  expect  close

scenario client-dh-server-nonce
  rules   HS_SERVER_NONCE_MISMATCH
  handshake fault=dh_server_nonce
  expect  close

scenario client-inner-nonce
  rules   HS_NONCE_MISMATCH
  handshake fault=inner_nonce
  expect  close

scenario client-answer-hash
  rules   HS_ANSWER_HASH
  handshake fault=answer_hash
  expect  close

scenario client-answer-padding
  rules   HS_ANSWER_PADDING
  handshake fault=answer_padding
  expect  close

scenario client-answer-unaligned
  rules   HS_ANSWER_NOT_ALIGNED
  handshake fault=answer_unaligned
  expect  close

scenario client-prime-size
  rules   DH_PRIME_SIZE
  handshake fault=prime_size
  expect  close

scenario client-prime-composite
  rules   DH_PRIME_NOT_PRIME
  handshake fault=prime_composite
  expect  close

scenario client-prime-not-safe
  rules   DH_PRIME_NOT_SAFE
  tier    nightly
  handshake fault=prime_not_safe
  expect  close

scenario client-g-unsupported
  rules   DH_G_UNSUPPORTED
  handshake fault=g_unsupported
  expect  close

scenario client-g-residue
  rules   DH_G_NOT_RESIDUE
  handshake fault=g_residue
  expect  close

scenario client-ga-range
  rules   DH_GA_RANGE
  handshake fault=ga_range
  expect  close

scenario client-ga-bounds
  rules   DH_GA_BOUNDS
  handshake fault=ga_bounds
  expect  close

scenario client-gen-nonce
  rules   HS_NONCE_MISMATCH
  handshake fault=gen_nonce
  expect  close

scenario client-new-nonce-hash
  rules   HS_NEW_NONCE_HASH1
  handshake fault=new_nonce_hash
  expect  close

scenario client-gen-fail
  rules   HS_DH_GEN_FAIL
  handshake fault=gen_fail
  expect  close

scenario client-handshake-padded
  rules   TRANSPORT_LENGTH_NOT_ALIGNED
  about   the client over padded intermediate (random padding after each packet)
  transport padded
  handshake
  expect  query

scenario client-handshake-abridged
  rules   TRANSPORT_BAD_TAG
  transport abridged
  handshake
  expect  query

scenario client-handshake-obf2
  rules   OBF2_BAD_TAG
  about   the client over obfuscated2 (padded intermediate inside)
  transport obf2-padded
  handshake
  expect  query
