scenario x
 rules MSG_TOO_OLD
 send ping(ping_id=1
