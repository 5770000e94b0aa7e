import Testing

@testable import FEELTraining

/// The in-package SHA-256 against the examples of FIPS 180-2 (Appendix B) and the empty
/// message (FIPS 180-2 gives the padding rule; the digest is the widely published one).
@Suite struct SHA256Tests {
  @Test func oneBlockMessageABC() {
    #expect(
      SHA256.hexDigest(Array("abc".utf8))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func twoBlockMessageOf448Bits() {
    let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    #expect(message.utf8.count * 8 == 448)
    #expect(
      SHA256.hexDigest(Array(message.utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func oneMillionLetterA() {
    #expect(
      SHA256.hexDigest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func emptyMessage() {
    #expect(
      SHA256.hexDigest([])
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }

  /// Lengths around the padding boundary (55, 56, 63, 64 bytes) give distinct 32-byte
  /// digests, and a one-bit change changes the digest.
  @Test func paddingBoundariesAndSensitivity() {
    var seen = Set<String>()
    for length in [55, 56, 57, 63, 64, 65, 119, 120] {
      let digest = SHA256.digest([UInt8](repeating: 0x61, count: length))
      #expect(digest.count == 32)
      seen.insert(SHA256.hexDigest([UInt8](repeating: 0x61, count: length)))
    }
    #expect(seen.count == 8)
    var flipped = Array("abc".utf8)
    flipped[1] ^= 1
    #expect(SHA256.hexDigest(flipped) != SHA256.hexDigest(Array("abc".utf8)))
  }
}
