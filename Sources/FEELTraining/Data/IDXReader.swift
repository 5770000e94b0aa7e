import CZlib
import Foundation

/// Reads IDX files (LeCun's MNIST format), gzip'd or plain.
///
/// Layout: a big-endian header, the magic number `0x0000_08dd` (`08`: unsigned bytes,
/// `dd`: the number of dimensions), then `dd` big-endian 32-bit sizes, then the unsigned
/// bytes of the array, row-major. Images are `0x0000_0803` (count, rows, columns), labels
/// `0x0000_0801` (count). zlib's `gzread` reads gzip'd and plain files alike.
enum IDXReader {
  /// The magic number of an image file (three dimensions of unsigned bytes).
  static let imageMagic: UInt32 = 0x0000_0803
  /// The magic number of a label file (one dimension of unsigned bytes).
  static let labelMagic: UInt32 = 0x0000_0801

  /// One decoded file: its dimensions, its payload and the SHA-256 of the whole
  /// decompressed file (header included), when asked for.
  struct File {
    let path: String
    let dimensions: [Int]
    let payload: ArraySlice<UInt8>
    let sha256: String?
  }

  /// Reads the IDX file at `path` (gzip'd or plain) whose magic must be `magic`: the
  /// header first, then exactly the payload it announces straight into one buffer, then a
  /// check that nothing follows.
  ///
  /// - Throws: ``DatasetError/unreadable(path:reason:)`` when zlib cannot open the file or
  ///   reports a damaged or cut-off gzip stream; otherwise as ``parse(_:path:magic:hash:)``.
  static func read(path: String, magic: UInt32, hash: Bool) throws(DatasetError) -> File {
    guard let file = gzopen(path, "rb") else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    defer { gzclose(file) }
    gzbuffer(file, 1 << 17)
    let rank = Int(magic & 0xff)
    let headerBytes = 4 + 4 * rank
    var header = [UInt8](repeating: 0, count: headerBytes)
    let headerRead = try fill(file, &header, from: 0, path: path)
    if headerRead >= 4 {
      let found = word(header, 0)
      guard found == magic else { throw .badMagic(path: path, expected: magic, found: found) }
    }
    guard headerRead == headerBytes else {
      throw .truncated(path: path, expectedBytes: headerBytes, actualBytes: headerRead)
    }
    let payloadBytes = try payloadSize(header, rank: rank, path: path)
    // UInt8 is trivial, so the uninitialized tail is filled by gzread below (or the
    // buffer is dropped with the thrown error).
    var bytes = [UInt8](unsafeUninitializedCapacity: headerBytes + payloadBytes) {
      target, initialized in
      header.withUnsafeBufferPointer {
        target.baseAddress!.update(from: $0.baseAddress!, count: headerBytes)
      }
      initialized = headerBytes + payloadBytes
    }
    let payloadRead = try fill(file, &bytes, from: headerBytes, path: path)
    guard payloadRead == payloadBytes else {
      throw .truncated(
        path: path, expectedBytes: headerBytes + payloadBytes,
        actualBytes: headerBytes + payloadRead)
    }
    var rest = [UInt8](repeating: 0, count: 1 << 16)
    var extra = 0
    while true {
      let got = try fill(file, &rest, from: 0, path: path)
      extra += got
      if got < rest.count { break }
    }
    guard extra == 0 else {
      throw .trailingBytes(
        path: path, expectedBytes: headerBytes + payloadBytes,
        actualBytes: headerBytes + payloadBytes + extra)
    }
    return try parse(bytes, path: path, magic: magic, hash: hash)
  }

  /// Reads from `file` into `buffer[start...]` until it is full or the stream ends; returns
  /// the number of bytes read.
  private static func fill(
    _ file: gzFile, _ buffer: inout [UInt8], from start: Int, path: String
  ) throws(DatasetError) -> Int {
    var position = start
    while position < buffer.count {
      let want = UInt32(min(buffer.count - position, 1 << 30))
      let got = buffer.withUnsafeMutableBufferPointer { target in
        gzread(file, target.baseAddress! + position, want)
      }
      if got < 0 {
        var code: Int32 = 0
        let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown zlib error"
        throw .unreadable(path: path, reason: "damaged gzip stream (\(message))")
      }
      if got == 0 { break }
      position += Int(got)
    }
    if position < buffer.count {
      // A cut-off gzip stream can end without an error from gzread; gzerror reports it.
      var code: Int32 = 0
      let message = gzerror(file, &code).map { String(cString: $0) } ?? ""
      if code != Z_OK {
        throw .unreadable(path: path, reason: "damaged gzip stream (\(message))")
      }
    }
    return position - start
  }

  /// The big-endian 32-bit word at `offset`.
  private static func word(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    (UInt32(bytes[offset]) << 24) | (UInt32(bytes[offset + 1]) << 16)
      | (UInt32(bytes[offset + 2]) << 8) | UInt32(bytes[offset + 3])
  }

  /// The product of the header's dimensions (each positive, the product below 2³¹).
  private static func payloadSize(
    _ header: [UInt8], rank: Int, path: String
  ) throws(DatasetError) -> Int {
    var payloadBytes = 1
    for axis in 0..<rank {
      let size = Int(word(header, 4 + 4 * axis))
      guard size > 0 else {
        throw .badDimension(path: path, detail: "dimension \(axis) is 0")
      }
      let (product, overflow) = payloadBytes.multipliedReportingOverflow(by: size)
      guard !overflow, product <= Int(Int32.max) else {
        throw .badDimension(path: path, detail: "the dimensions multiply to more than 2^31")
      }
      payloadBytes = product
    }
    return payloadBytes
  }

  /// Parses decompressed IDX `bytes`: the magic must be `magic` and the payload size must
  /// equal the product of the dimensions exactly.
  static func parse(
    _ bytes: [UInt8], path: String, magic: UInt32, hash: Bool
  ) throws(DatasetError) -> File {
    guard bytes.count >= 4 else {
      throw .truncated(path: path, expectedBytes: 4, actualBytes: bytes.count)
    }
    let found = word(bytes, 0)
    guard found == magic else { throw .badMagic(path: path, expected: magic, found: found) }
    let rank = Int(magic & 0xff)
    let headerBytes = 4 + 4 * rank
    guard bytes.count >= headerBytes else {
      throw .truncated(path: path, expectedBytes: headerBytes, actualBytes: bytes.count)
    }
    let payloadBytes = try payloadSize(bytes, rank: rank, path: path)
    let dimensions = (0..<rank).map { Int(word(bytes, 4 + 4 * $0)) }
    let expected = headerBytes + payloadBytes
    if bytes.count < expected {
      throw .truncated(path: path, expectedBytes: expected, actualBytes: bytes.count)
    }
    if bytes.count > expected {
      throw .trailingBytes(path: path, expectedBytes: expected, actualBytes: bytes.count)
    }
    return File(
      path: path, dimensions: dimensions, payload: bytes[headerBytes...],
      sha256: hash ? SHA256.hexDigest(bytes) : nil)
  }
}
