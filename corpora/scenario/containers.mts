# Containers (page service_messages "Simple container"; mtproto/description).
role client
tier fast

scenario container-two-pings
  rules   CONTAINER_INVALID
  about   a container of two pings gets both pongs
  handshake
  send    container ping(ping_id=1) ping(ping_id=2)
  expect  pong(ping_id=1)
  expect  pong(ping_id=2)

scenario container-inner-id-not-below
  rules   CONTAINER_INNER_ID_NOT_BELOW
  about   the container's msg_id below its messages' ids
  handshake
  send    container ping(ping_id=1) ping(ping_id=2) msg_id=now-1s
  expect  bad_msg 64

scenario container-seqno-below-inner
  rules   CONTAINER_SEQNO_BELOW_INNER
  about   the container's seqno below the seqno of a message it holds
  handshake
  send    ping(ping_id=1)
  send    container ping(ping_id=2) ping(ping_id=3) seqno=0
  expect  bad_msg 64

scenario container-nested
  rules   CONTAINER_NESTED
  handshake
  send    msg_container(messages=[message(msg_id=now, seqno=0, body=msg_container(messages=[]))])
  expect  bad_msg 64

scenario container-bytes-wrong
  rules   CONTAINER_INVALID
  about   message.bytes not the length of its body
  handshake
  send    raw dcf8f1730100000004000000000000000100000010000000ec77be7a0100000000000000
  expect  bad_msg 64

scenario container-empty
  rules   CONTAINER_INVALID
  about   an empty container is valid and answered by nothing but an ack
  handshake
  send    msg_container(messages=[])
  expect  silence 2s
