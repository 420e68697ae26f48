# DH edge cases offered to the client under test (issue 9); written by
# harness/interop/gen_interop_scenarios.py. Each is valid: the client must create the key.
role server
tier fast

scenario interop-ga-leading-zero
  rules   DH_GA_BOUNDS DH_GA_RANGE
  about   g_a = 3^a mod p has a leading zero byte (valid): the key must still agree
  handshake a=0x1120e821008e1cdccbfd831c2f0a3d47ae66df99235c0e6afa60c6f48f8234b21120e821008e1cdccbfd831c2f0a3d47ae66df99235c0e6afa60c6f48f8234b21120e821008e1cdccbfd831c2f0a3d47ae66df99235c0e6afa60c6f48f8234b21120e821008e1cdccbfd831c2f0a3d47ae66df99235c0e6afa60c6f48f8234b21120e821008e1cdccbfd831c2f0a3d47ae66df99235c0e6afa60c6f48f8234b21120e821008e1cdccbfd831c2f0a3d47ae66df99235c0e6afa60c6f48f8234b21120e821008e1cdccbfd831c2f0a3d47ae66df99235c0e6afa60c6f48f8234b21120e821008e1cdccbfd831c2f0a3d47ae66df99235c0e6afa60c6f48f8234e8
  expect  query

scenario interop-telegram-prime-g4
  rules   DH_G_UNSUPPORTED DH_G_NOT_RESIDUE
  about   Telegram's prime with g = 4 (its residue condition holds): valid, unusual
  handshake g=4
  expect  query

scenario interop-telegram-prime-g7
  rules   DH_G_UNSUPPORTED DH_G_NOT_RESIDUE
  about   Telegram's prime with g = 7 (its residue condition holds): valid, unusual
  handshake g=7
  expect  query

scenario interop-modp-prime
  rules   DH_PRIME_NOT_SAFE DH_PRIME_SIZE
  about   RFC 3526's 2048-bit MODP safe prime with g = 2: valid, not Telegram's
  handshake prime=0xffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aacaa68ffffffffffffffff g=2
  expect  query
