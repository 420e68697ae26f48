# The end-to-end layer (E2E_* rules; docs/e2e.md, api/end-to-end, api/end-to-end/seq_no,
# api/end-to-end/pfs): the client checks what its room peer puts inside relay.send, which the
# relay never parses. The harness plays both the relay and the room peer (`e2e` steps,
# docs/scenarios.md). A rule whose reaction is a drop leaves the chat open: the scenario then
# shows the message left no trace, with a probe — a noop one seq number ahead, which the client
# must answer with a resend request for exactly the numbers it still misses. A fatal rule ends
# the chat: the client closes (`e2e expect abort RULE`).
# Seq numbers in the wire form 2*raw + bit: the originator sends out_seq_no odd, the other even.
role server
tier fast

scenario e2e-envelope-malformed
  rules   E2E_ENVELOPE_MALFORMED
  about   bytes that are no e2e.Envelope are dropped: the key exchange still works afterwards
  handshake
  e2e     ready originator=false
  e2e     send envelope 0x0102030405060708
  e2e     exchange
  expect  no_close

scenario e2e-envelope-unknown-ctor
  rules   E2E_ENVELOPE_MALFORMED
  about   an e2e.request whose constructor id is unknown is dropped, the real one then works
  handshake
  e2e     ready originator=false
  e2e     send request ctor=0x11223344
  e2e     exchange
  expect  no_close

scenario e2e-unexpected-accept
  rules   E2E_UNEXPECTED_ENVELOPE
  about   an e2e.accept to the side that is not the originator (it sent no request) is dropped
  handshake
  e2e     ready originator=false
  e2e     send accept fingerprint=1
  e2e     exchange
  expect  no_close

scenario e2e-unexpected-request
  rules   E2E_UNEXPECTED_ENVELOPE
  about   an e2e.request to the originator is dropped; its own exchange goes on
  handshake
  e2e     ready originator=true
  e2e     send request
  e2e     exchange
  expect  no_close

scenario e2e-accept-fingerprint
  rules   E2E_ACCEPT_FINGERPRINT
  about   an e2e.accept whose key_fingerprint is not that of the key: the originator discards
  about   the chat
  handshake
  e2e     ready originator=true
  e2e     exchange fingerprint=0x1122334455667788
  e2e     expect abort E2E_ACCEPT_FINGERPRINT

scenario e2e-data-length
  rules   E2E_DATA_LENGTH
  about   e2e.encrypted data that is not 24 bytes + whole 16-byte blocks is dropped: the next
  about   message leaves raw 0 missing
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop data_len=50
  e2e     send noop out_raw=1
  e2e     expect resend start_seq_no=1 end_seq_no=1

scenario e2e-fingerprint-unknown
  rules   E2E_FINGERPRINT_UNKNOWN
  about   data under a key_fingerprint that names no key of the chat is dropped
  handshake
  e2e     ready originator=true
  e2e     exchange
  e2e     send noop key_fp=0x0102030405060708
  e2e     send noop out_raw=1
  e2e     expect resend start_seq_no=0 end_seq_no=0

scenario e2e-msg-key-mismatch
  rules   E2E_MSG_KEY_MISMATCH
  about   a wrong msg_key (the data decrypts, the check fails) is dropped
  handshake
  e2e     ready originator=true
  e2e     exchange
  e2e     send noop msg_key=random
  e2e     send noop out_raw=1
  e2e     expect resend start_seq_no=0 end_seq_no=0

scenario e2e-length-too-large
  rules   E2E_LENGTH_INVALID
  about   an int32 length beyond the decrypted data is dropped
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop length=4096
  e2e     send noop out_raw=1
  e2e     expect resend start_seq_no=1 end_seq_no=1

scenario e2e-length-unaligned
  rules   E2E_LENGTH_INVALID
  about   an int32 length that is no multiple of 4 is dropped
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop length=50
  e2e     send noop out_raw=1
  e2e     expect resend start_seq_no=1 end_seq_no=1

scenario e2e-padding-short
  rules   E2E_PADDING_INVALID
  about   8 bytes of padding (fewer than 12) are refused: a noop's object is 52 bytes
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop padding=8
  e2e     send noop out_raw=1
  e2e     expect resend start_seq_no=1 end_seq_no=1

scenario e2e-padding-long
  rules   E2E_PADDING_INVALID
  about   1032 bytes of padding (more than 1024) are refused
  handshake
  e2e     ready originator=true
  e2e     exchange
  e2e     send noop padding=1032
  e2e     send noop out_raw=1
  e2e     expect resend start_seq_no=0 end_seq_no=0

scenario e2e-layer-malformed
  rules   E2E_LAYER_MALFORMED
  about   a plaintext that is no decryptedMessageLayer is dropped
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send object 0x01020304
  e2e     send noop out_raw=1
  e2e     expect resend start_seq_no=1 end_seq_no=1

scenario e2e-random-bytes-short
  rules   E2E_RANDOM_BYTES_SHORT
  about   14 random_bytes (15 required) are dropped
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop random_bytes=14
  e2e     send noop out_raw=1
  e2e     expect resend start_seq_no=1 end_seq_no=1

scenario e2e-layer-too-low
  rules   E2E_LAYER_TOO_LOW
  about   layer 45 in a chat created at 46 or more ends the chat
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop layer=45
  e2e     expect abort E2E_LAYER_TOO_LOW

scenario e2e-seq-parity
  rules   E2E_SEQ_PARITY
  about   the originator's out_seq_no must be odd: an even one ends the chat
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop out_seq=2
  e2e     expect abort E2E_SEQ_PARITY

scenario e2e-in-seq-parity
  rules   E2E_SEQ_PARITY
  about   the non-originator's in_seq_no must be odd: an even one ends the chat
  handshake
  e2e     ready originator=true
  e2e     exchange
  e2e     send noop in_seq=2
  e2e     expect abort E2E_SEQ_PARITY

scenario e2e-in-seq-beyond
  rules   E2E_IN_SEQ_INVALID
  about   in_seq_no acknowledging messages the client never sent ends the chat
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop in_raw=3
  e2e     expect abort E2E_IN_SEQ_INVALID

scenario e2e-seq-repeat
  rules   E2E_SEQ_REPEAT
  about   a repeated out_seq_no is dropped: it does not count, so raw 2 leaves only raw 1 missing
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop
  e2e     send noop out_raw=0
  e2e     send noop out_raw=2
  e2e     expect resend start_seq_no=3 end_seq_no=3

scenario e2e-seq-gap
  rules   E2E_SEQ_GAP
  about   raw 2 first: the client asks for raw 0..1 at once, then takes the filled range; the
  about   fillers carry the in_seq_no of their creation, before the client's request
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop out_raw=2
  e2e     expect resend start_seq_no=1 end_seq_no=3
  e2e     send noop out_raw=0 in_raw=0
  e2e     send noop out_raw=1 in_raw=0
  e2e     send noop out_raw=4
  e2e     expect resend start_seq_no=7 end_seq_no=7

scenario e2e-gap-overflow
  rules   E2E_GAP_OVERFLOW
  about   a message 200 numbers ahead is more than the client can hold: it ends the chat
  handshake
  e2e     ready originator=true
  e2e     exchange
  e2e     send noop out_raw=200
  e2e     expect abort E2E_GAP_OVERFLOW

scenario e2e-resend-answered
  rules   E2E_RESEND_RANGE
  about   a resend request for a message the client sent is answered at once, with the
  about   original seq numbers
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop out_raw=1
  e2e     expect resend start_seq_no=1 end_seq_no=1 out_seq_no=0
  e2e     send noop out_raw=0 in_raw=0
  e2e     send resend start=0 end=0
  e2e     expect resend start_seq_no=1 end_seq_no=1 out_seq_no=0

scenario e2e-resend-reversed
  rules   E2E_RESEND_RANGE
  about   a resend request with start above end ends the chat
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send noop out_raw=1
  e2e     expect resend
  e2e     send noop out_raw=0 in_raw=0
  e2e     send resend start=2 end=0
  e2e     expect abort E2E_RESEND_RANGE

scenario e2e-resend-unsent
  rules   E2E_RESEND_RANGE
  about   a resend request for messages the client never sent ends the chat
  handshake
  e2e     ready originator=true
  e2e     exchange
  e2e     send resend start=1 end=5
  e2e     expect abort E2E_RESEND_RANGE

scenario e2e-text-too-long
  rules   E2E_TEXT_TOO_LONG
  about   a 4097-byte text (the limit is 4096) is dropped; the chat stays open and in order
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send text size=4097
  e2e     send noop out_raw=2
  e2e     expect resend start_seq_no=3 end_seq_no=3
  expect  no_close

scenario e2e-rekey-unknown-exchange
  rules   E2E_REKEY_UNKNOWN_EXCHANGE
  about   an AbortKey for an exchange that is not running is dropped; the chat goes on
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send abort_key exchange_id=77
  e2e     send noop out_raw=2
  e2e     expect resend start_seq_no=3 end_seq_no=3
  expect  no_close

scenario e2e-rekey-commit-unknown
  rules   E2E_REKEY_UNKNOWN_EXCHANGE
  about   a CommitKey with no exchange running is dropped; the chat goes on
  handshake
  e2e     ready originator=true
  e2e     exchange
  e2e     send commit_key exchange_id=5 fingerprint=5
  e2e     send noop out_raw=2
  e2e     expect resend start_seq_no=2 end_seq_no=2

scenario e2e-rekey-fingerprint
  rules   E2E_REKEY_FINGERPRINT
  about   the peer re-keys and commits with a wrong fingerprint: the client aborts the
  about   exchange (AbortKey), not the chat
  handshake
  e2e     ready originator=false
  e2e     exchange
  e2e     send request_key exchange_id=4242
  e2e     expect accept_key exchange_id=4242
  e2e     send commit_key fingerprint=0x0102030405060708
  e2e     expect abort_key exchange_id=4242
  expect  no_close

scenario e2e-rekey-complete
  rules   E2E_REKEY_FINGERPRINT E2E_REKEY_UNKNOWN_EXCHANGE
  about   a whole re-key by the peer: RequestKey, the client's AcceptKey (checked), CommitKey;
  about   then messages under the new key are taken and answered under it
  handshake
  e2e     ready originator=true
  e2e     exchange
  e2e     send request_key
  e2e     expect accept_key
  e2e     send commit_key
  e2e     send noop out_raw=3
  e2e     expect resend start_seq_no=4 end_seq_no=4
