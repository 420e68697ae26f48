# The reference client's checks of the relay's answers and updates (PCLIENT_* rules;
# proto/schema/relay.tl, docs/relay.md) and of the temporary-key binding (api/pfs). The harness
# plays the relay: it answers relay.join itself and pushes the updates.
role server
tier fast

scenario client-join-waiting
  rules   PCLIENT_BAD_ANSWER
  about   relay.joinedWaiting naming a room: the client waits quietly and acks the answer
  handshake
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room="r1"))
  expect  msgs_ack within=5s
  expect  no_close

scenario client-join-ready-starts-e2e
  rules   PCLIENT_BAD_UPDATE
  about   joinedWaiting then updateReady as originator: the client starts the key exchange with
  about   relay.send carrying e2e.request
  handshake
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room="r1"))
  send    relay.updateReady(room="r1", originator=true)
  expect  relay.send within=5s

scenario client-join-ready-not-originator
  rules   PCLIENT_BAD_ANSWER
  about   joinedReady, not the originator: the client waits for the peer's e2e.request
  handshake
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedReady(room="r1", originator=false))
  expect  no_close

scenario client-join-answer-bool
  rules   PCLIENT_BAD_ANSWER
  about   relay.join answered with a Bool: not a relay.JoinResult
  handshake
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result={"_":"opaque","id":"0x997275b5","data":""})
  expect  close

scenario client-join-rpc-error
  rules   PCLIENT_RPC_ERROR
  about   relay.join refused: the client ends the run naming the error
  handshake
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=rpc_error(error_code=400, error_message="ROOM_NAME_INVALID"))
  expect  close

scenario client-join-empty-room
  rules   PCLIENT_BAD_ANSWER
  about   joinedWaiting with an empty room name
  handshake
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room=""))
  expect  close

scenario client-update-ready-other-room
  rules   PCLIENT_BAD_UPDATE
  about   updateReady for a room the client is not in
  handshake
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room="r1"))
  send    relay.updateReady(room="r2", originator=true)
  expect  close

scenario client-update-payload-before-ready
  rules   PCLIENT_BAD_UPDATE
  about   updatePayload while the room still waits for a peer
  handshake
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedWaiting(room="r1"))
  send    relay.updatePayload(room="r1", data=0x01020304)
  expect  close

scenario client-e2e-garbage
  rules   PCLIENT_BAD_UPDATE
  about   once the room is ready, an updatePayload that is no e2e envelope is dropped: the
  about   connection stays
  handshake
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedReady(room="r1", originator=false))
  send    relay.updatePayload(room="r1", data=0x0102030405060708)
  expect  no_close

scenario client-peer-left
  rules   PCLIENT_BAD_UPDATE
  about   updatePeerLeft in the client's room: the chat is over, the client ends its run
  handshake
  expect  relay.join
  send    rpc_result(req_msg_id=recv, result=relay.joinedReady(room="r1", originator=false))
  send    relay.updatePeerLeft(room="r1")
  expect  close
