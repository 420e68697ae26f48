role server
scenario z
 rules MSG_TOO_OLD
 send {"_":"ping","ping_id":"1"} msg_id=now-301s seqno=next+2 salt=bad
 expect bad_msg 16 within=2s
 clock +31s
 wait 500ms
