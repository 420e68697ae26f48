#!/usr/bin/env python3
"""Generates the auth-key creation vector files:
  handshake_kdf.json    tmp_aes_kdf, auth_key_ids, new_nonce_hash: the official worked example
                        and random cases;
  handshake_client.json handshake_client_step replaying the official worked example.

Written from the formulas of mtproto-notes §1 (page mtproto/auth_key) with hashlib:
  tmp_aes_key = SHA1(new_nonce + server_nonce) + SHA1(server_nonce + new_nonce)[0:12]
  tmp_aes_iv  = SHA1(server_nonce + new_nonce)[12:20] + SHA1(new_nonce + new_nonce) + new_nonce[0:4]
  auth_key_id = SHA1(auth_key)[12:20]; aux_hash = SHA1(auth_key)[0:8]
  new_nonce_hashN = SHA1(new_nonce + bytes([N]) + aux_hash)[4:20]
The sample values are transcribed from https://core.telegram.org/mtproto/samples-auth_key
(crawler snapshot: GitHub MarshalX/telegram-crawler, commit 130dde83966a265ebbed6837fae51f34a07069a4).
"""
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vecfile import ROOT, VectorFile, seeded  # noqa: E402

SEED = 20240505
GEN = "vectors/gen/gen_handshake.py (seed %d)" % SEED
SAMPLE = ("core.telegram.org/mtproto/samples-auth_key (crawler snapshot GitHub "
          "MarshalX/telegram-crawler 130dde83966a265ebbed6837fae51f34a07069a4)")

NONCE = bytes.fromhex(
    "406709F612FADFBEC3F0289D0AA67EEF")
SERVER_NONCE = bytes.fromhex(
    "E11DBC3BC97D91A26154F932AF019943")
NEW_NONCE = bytes.fromhex(
    "A8BBC849512DAC6C67B6EFD9157D6CA7377A1776307D84265C6BE9BDCF802AC1")
B = bytes.fromhex(
    "1376A5A6BF7A9F874B47028F3D5CFF0689FD52F58949BB0EE9BACDBE81DD1CED07101844EB6F2AE19E61120B"
    "84799431F445785E33A18141399821479AE96786E0F4E9C5C6C9E46BF562C21C96B0F8F7438C8CABA3DFCB3D"
    "D3B886C2A37B95ED804315335C0DDFFEB3A278243D89F964278BC734D1087D6D4B554C1F78397A414F440E38"
    "BA9A4F1211B20AE835437762F81A45FDB035BB2220D939693084B39A3C7BE2481309AB9AE378EAB8BB3A15A6"
    "9EBA80BEF683582E2218FA604E823EABD111553D31DBB46B9383A0D8EEF615FFF9CF266C970800AA28AC5E96"
    "2D20351311A815FFA7562989CA6D6323BF2B5AF40EF3F45021B7445664852D07B80172CE")
ANSWER_PAD = bytes.fromhex(
    "74876952857BA6AAA495A20D")
AUTH_KEY = bytes.fromhex(
    "ACA2547BAA3B4B3E6AD9129ADEE796042FC4ACAAABA40DCE7A1196640595829E2BA85C5E68E5D2B7B713B287"
    "20CCD0E65DA3B80CD8A9282BDE895755B924F4CBBCED119DEE057D3066D7095C25771A53D9AD6EC3464EE0E7"
    "FE1A4D9851F17B6CC7D6E636E0BDEA7D66153CF37005835A528E65673C1F5ADAA27465964BA89AA6FD045108"
    "B25B1DC9AB2D979864858C9EACBFA4A399CDBF2154D2CC6743C5CAA40683343D80A36C7F1289DC5AC5EE585D"
    "EA1E1CD296444EA6CD8F6C3564B2D355B310A3C02608EEA5EC36D38E941BF811489AB7A24C069E44FF54714C"
    "B4A45EEE2F310FDDC0A1B08BD3DFF8801E27C8508EFD7AD51EF3C13EF1D9A02EE4601741")
AUTH_KEY_ID = bytes.fromhex(
    "65588B3350EF784E")
AUX_HASH = bytes.fromhex(
    "20B5C361A4F5A3D0")
NEW_NONCE_HASH1 = bytes.fromhex(
    "1142871352165E59E1124036B48B97D3")
SALT = bytes.fromhex(
    "49A6747298503DCE")
TMP_KEY = bytes.fromhex(
    "5EA702F743E850F5546E857F08B7D5337BBAEDF9B61248751594851BE2E8C297")
TMP_IV = bytes.fromhex(
    "1CEF8E372A63D97EBFA805C0DBB018BC7C1E0931693FBCB1A1AFC0C0A8BBC849")
REQ_PQ = bytes.fromhex(
    "0000000000000000D4720600503DC56514000000F18E7EBE406709F612FADFBEC3F0289D0AA67EEF")
RES_PQ = bytes.fromhex(
    "000000000000000001D83175503DC565A800000063241605406709F612FADFBEC3F0289D0AA67EEFE11DBC3B"
    "C97D91A26154F932AF01994308256595EDB776679700000015C4B51C03000000A5B7F709355FC30B216BE86C"
    "022BB4C385FD64DE851D9DD0")
DH_PARAMS_OK = bytes.fromhex(
    "0000000000000000014C6E1E513DC565C40200005C07E8D0406709F612FADFBEC3F0289D0AA67EEFE11DBC3B"
    "C97D91A26154F932AF019943FE5002006AD7DD5D8B2526C761ABE50E93C82A6F331B1EAE0AD011893DA976E3"
    "771D4AA45209D234FEA65642985386B817BF8980F517F6D32DBEB47E34534556F950DDF960DB721A48480231"
    "619161112682C6046D5629C71CD1EC8061DFCDD704703EC7A8AEBDCBD159579FC8886D9FA51E009AF49B5AB9"
    "0C7628EB81C9788A2EB6AC0E757A7DEBE3D949F80A990BEDB4D2DBAE43F00328B82F4D8FC83A9B9CFEEF467E"
    "1593BB4579EE32412F167A780CFA517650BD0EB51CBFB50E3AFE978839466131FCD956711E63614F006A55ED"
    "35ED2B1F833C29F4FD7A84F0C8F1C10DFC1A1AAF9A8A57108DECF206E3968406F0FB25E922DF154F497B5152"
    "7E4834202FAB477A137D0A99D1C347196FBA10699F52EA56F01EF93829B310A5C97DB95FD57E64417E526EB9"
    "20D261157C6E38791BDD5389EEB744E075D952DB33A8151207D0AB3C629E30A723A5205F8FA18398937ED271"
    "4A4E76A5F4512508A4BE1B4D6AE46FD156C6F06347AF5E07CE49279195133B07CCE4BC6775D88F3611180D23"
    "C4C70946619AD759AB9F183A385CCF9BF19315FADBE8A4FDC748AF52DF930345909C870DE4B48901E9F90E56"
    "D74CA534D8E1FE3A35A92A18D676958EB8FC3D82F9CEE308DF2A9E4CCD23FF89EA255B9EEDBC337814887966"
    "6FFC2E19A431CBB57AE1A010FFE5CB39ABF131ADD9E90BF969A112C435509B78960E0B20031C822190841561"
    "E8390446227660BBACCF3D53574BFBA33BF476E3BDC9EB680AA2A17FD6756F652725ED0313E5EB0FD6A9C8C9"
    "49EEFBE809A89311BF20F40055CA25FD169DC13EE14B315092FDE4184638D849682FD862")
SET_CLIENT_DH = bytes.fromhex(
    "0000000000000000185C0700513DC565780100001F5F04F5406709F612FADFBEC3F0289D0AA67EEFE11DBC3B"
    "C97D91A26154F932AF019943FE50010014D185E575255986C29BE3A0437D525BA22430CBA0CD755225945AD3"
    "A1ACEFB536518514F5086892E6E3FA84D1CBB644BC8F7BEBCDE74E31BA8A073F47623EBB6E7D94B3A676A4C1"
    "AFD4689C52D05F73D21C33F64FE6AEABD04273D9117CD064E467E1F8E6C887BCAE4679E0399AD35DB1302A80"
    "629618F8C8485248D89A4E3568B464FF7B608CBE24B51EEB81B65D76224B62A1669EAA48A99C122E5E8A778E"
    "13DD441DC52175160088A498F186A2B99C736FE8C5C3E274D804C629564A0F15DDABC5B449356A7990900652"
    "A7432AFB1499C7CE09246F6B29006425DF2926465B04F17C0077B6A336A50E46B675AD5607F05818F84EADEC"
    "1F4847BF311027E742F8B1E183C01810C4CE964F2A0F36E257849C144C9B0B93B4A7A9E57391DB0CCB0D757A"
    "2B7A77257C8FF55553D66B6E1D45E9D8CA88E5A47B16322FF2ED5F5ABE099E7006B2D29C829D746B704130B1")
DH_GEN_OK = bytes.fromhex(
    "00000000000000000100BE91513DC5657400000034F7CB3B406709F612FADFBEC3F0289D0AA67EEFE11DBC3B"
    "C97D91A26154F932AF0199431142871352165E59E1124036B48B97D3")


def sha1(b):
    return hashlib.sha1(b).digest()


def tmp_aes(new_nonce, server_nonce):
    ns, sn, nn = sha1(new_nonce + server_nonce), sha1(server_nonce + new_nonce), sha1(new_nonce * 2)
    return ns + sn[:12], sn[12:20] + nn + new_nonce[:4]


def ids(auth_key):
    h = sha1(auth_key)
    return h[12:20], h[:8]


def new_nonce_hash(new_nonce, number, auth_key):
    return sha1(new_nonce + bytes([number]) + ids(auth_key)[1])[4:20]


def fix_length(msg, body_len):
    """The page's server messages declare wrong message_length fields (168, 708, 116)."""
    assert len(msg) == 20 + body_len
    return msg[:16] + struct.pack("<I", body_len) + msg[20:]


def kdf_file():
    rng = seeded(SEED)
    vf = VectorFile("MTProto auth-key creation: tmp_aes_kdf, auth_key ids, new_nonce_hash",
                    source=SAMPLE + "; random cases: " + GEN + ", hashlib SHA-1", generator=GEN)
    g = vf.group("tmp_aes_kdf", "tmp_aes_key and tmp_aes_iv from new_nonce and server_nonce")
    key, iv = tmp_aes(NEW_NONCE, SERVER_NONCE)
    assert (key, iv) == (TMP_KEY, TMP_IV)
    g.valid({"new_nonce": NEW_NONCE, "server_nonce": SERVER_NONCE}, {"key": key, "iv": iv},
            comment="the official worked example")
    for i in range(6):
        nn, sn = rng.randbytes(32), rng.randbytes(16)
        key, iv = tmp_aes(nn, sn)
        g.valid({"new_nonce": nn, "server_nonce": sn}, {"key": key, "iv": iv}, comment="random")
    g.invalid({"new_nonce": NEW_NONCE[:31], "server_nonce": SERVER_NONCE}, error="bad_data_size",
              comment="new_nonce of 31 bytes")
    g = vf.group("auth_key_ids", "auth_key_id = SHA1(auth_key)[12:20], aux_hash = SHA1[0:8]")
    assert ids(AUTH_KEY) == (AUTH_KEY_ID, AUX_HASH)
    g.valid({"auth_key": AUTH_KEY}, {"auth_key_id": AUTH_KEY_ID, "aux_hash": AUX_HASH},
            comment="the official worked example")
    for i in range(4):
        k = (b"\0" * i) + rng.randbytes(256 - i)
        kid, aux = ids(k)
        g.valid({"auth_key": k}, {"auth_key_id": kid, "aux_hash": aux},
                comment="random, %d leading zero bytes" % i)
    g.invalid({"auth_key": AUTH_KEY[1:]}, error="bad_data_size", comment="255 bytes")
    g = vf.group("new_nonce_hash", "SHA1(new_nonce + N + aux_hash)[4:20], N = 1, 2, 3")
    assert new_nonce_hash(NEW_NONCE, 1, AUTH_KEY) == NEW_NONCE_HASH1
    for n in (1, 2, 3):
        g.valid({"new_nonce": NEW_NONCE, "auth_key": AUTH_KEY, "number": n},
                {"out": new_nonce_hash(NEW_NONCE, n, AUTH_KEY)},
                comment="the official worked example, N = %d" % n)
    for i in range(3):
        nn, k = rng.randbytes(32), rng.randbytes(256)
        g.valid({"new_nonce": nn, "auth_key": k, "number": i + 1},
                {"out": new_nonce_hash(nn, i + 1, k)}, comment="random")
    g.invalid({"new_nonce": NEW_NONCE, "auth_key": AUTH_KEY, "number": 4}, error="limit_exceeded",
              comment="N = 4")
    vf.write("vectors/handshake_kdf.json")


def client_file():
    with open(os.path.join(ROOT, "vectors/keys/telegram_production_pub.pem"), "rb") as f:
        pem = f.read()
    vf = VectorFile("MTProto auth-key creation, client side (handshake_client_step)",
                    source=SAMPLE + "; the server messages' message_length fields fixed "
                    "(the page prints 168, 708, 116 for bodies of 80, 632, 52 bytes)",
                    generator=GEN,
                    notes="input = the server messages concatenated; the RSA_PAD of req_DH_params "
                    "draws from the DRBG of seed, so step 1 (req_DH_params) is not compared")
    fixed = {"public_key_pem": pem, "nonce": NONCE, "new_nonce": NEW_NONCE, "b": B,
             "answer_pad": ANSWER_PAD, "time": 1707425105, "dc": 2, "seed": 1,
             "msg_ids": struct.pack("<3Q", 0x65c53d50000672d4, 0x65c53d50000672d8,
                                    0x65c53d5100075c18)}
    msgs = (fix_length(RES_PQ, 80) + fix_length(DH_PARAMS_OK, 632) + fix_length(DH_GEN_OK, 52))
    g = vf.group("handshake_client_step", "the official worked example")
    g.valid(dict(fixed, step=0, input=b""), {"out": REQ_PQ, "state": "wait_res_pq"},
            comment="req_pq_multi")
    g.valid(dict(fixed, step=2, input=msgs), {"out": SET_CLIENT_DH, "state": "wait_dh_gen"},
            comment="set_client_DH_params, byte for byte")
    g.valid(dict(fixed, step=3, input=msgs),
            {"out": b"", "state": "done", "auth_key": AUTH_KEY, "auth_key_id": AUTH_KEY_ID,
             "server_salt": SALT}, comment="dh_gen_ok: the auth key")
    g.invalid(dict(fixed, step=1, input=RES_PQ), error="PLAIN_LENGTH_MISMATCH",
              comment="resPQ as printed on the page (message_length 168 for 80 bytes)")
    bad = bytearray(msgs)
    bad[20 + 4] ^= 1  # the first byte of resPQ's nonce
    g.invalid(dict(fixed, step=1, input=bytes(bad)), error="HS_NONCE_MISMATCH",
              comment="resPQ with another nonce")
    bad = bytearray(msgs)
    bad[100 + 20 + 40 + 4 + 100] ^= 1  # inside encrypted_answer
    g.invalid(dict(fixed, step=2, input=bytes(bad)), error="HS_ANSWER_HASH",
              comment="encrypted_answer with one bit flipped")
    bad = bytearray(msgs)
    bad[-1] ^= 1  # new_nonce_hash1
    g.invalid(dict(fixed, step=3, input=bytes(bad)), error="HS_NEW_NONCE_HASH1",
              comment="dh_gen_ok with a wrong new_nonce_hash1")
    vf.write("vectors/handshake_client.json")


if __name__ == "__main__":
    kdf_file()
    client_file()
