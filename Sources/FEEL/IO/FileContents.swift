import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a whole file with POSIX open/read.
///
/// `Data(contentsOf:)` of swift-foundation leaks its 4 KiB read buffer on an empty file
/// (found by running the CLI tests under AddressSanitizer, whose leak check then changes
/// the exit status); this reader has no such buffer to lose.
package enum FileContents {
  /// The bytes of the file at `url`.
  /// - Throws: `CocoaError(.fileReadUnknown)` when it cannot be opened or read.
  package static func read(_ url: URL) throws -> Data {
    let fd = open(url.path, O_RDONLY)
    guard fd >= 0 else { throw CocoaError(.fileReadNoSuchFile) }
    defer { close(fd) }
    var data = Data()
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
      if n > 0 {
        data.append(contentsOf: chunk[0..<n])
      } else if n == 0 {
        return data
      } else if errno != EINTR {
        throw CocoaError(.fileReadUnknown)
      }
    }
  }

  private static func systemRead(
    _ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int
  )
    -> Int
  {
    #if canImport(Glibc)
      return Glibc.read(fd, buffer, count)
    #else
      return Darwin.read(fd, buffer, count)
    #endif
  }
}
