import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes output files so that a partial file never replaces a good one.
///
/// The bytes go to a temporary file in the destination's directory (`.NAME.tmp-PID-N`),
/// are flushed to disk, and the temporary file is then renamed over the destination:
/// rename(2) within one directory is atomic, so a reader (or a later run) sees either
/// the old file or the complete new one. If the process is interrupted (SIGINT, SIGTERM)
/// while a file is being written, the handler installed by ``installInterruptHandler()``
/// removes the temporary file and exits with 128 + the signal number; the destination is
/// untouched. For `feel sweep`, `feel rounds` and, later, `feel train`.
package enum AtomicFile {
  /// The temporary file being written, as a C string for the signal handler (only
  /// async-signal-safe calls touch it there: unlink and _exit).
  nonisolated(unsafe) private static var pending: UnsafeMutablePointer<CChar>?
  nonisolated(unsafe) private static var counter = 0
  nonisolated(unsafe) private static var installed = false

  /// Removes a pending temporary file on SIGINT and SIGTERM, then exits 128 + signal.
  /// Idempotent.
  package static func installInterruptHandler() {
    guard !installed else { return }
    installed = true
    for sig in [SIGINT, SIGTERM] {
      signal(sig) { s in
        if let p = AtomicFile.pending { unlink(p) }
        _exit(128 + s)
      }
    }
  }

  /// Writes `data` to `url` atomically (see the type's documentation).
  /// - Throws: ``InfeasibleRequest`` naming `field` when the file cannot be written.
  package static func write(_ data: Data, to url: URL, field: String) throws {
    installInterruptHandler()
    let directory = url.deletingLastPathComponent()
    counter += 1
    let temp = directory.appendingPathComponent(
      ".\(url.lastPathComponent).tmp-\(getpid())-\(counter)")
    let path = strdup(temp.path)
    pending = path
    defer {
      pending = nil
      free(path)
    }
    func fail(_ what: String) -> InfeasibleRequest {
      let reason = String(cString: strerror(errno))
      unlink(temp.path)
      return InfeasibleRequest(
        field: field, reason: "cannot write '\(url.path)': \(what): \(reason)")
    }
    let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard fd >= 0 else { throw fail("cannot create a temporary file beside it") }
    var ok = true
    data.withUnsafeBytes { raw in
      var offset = 0
      while ok, offset < raw.count {
        let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
        if n > 0 {
          offset += n
        } else if n < 0, errno == EINTR {
          continue
        } else {
          ok = false
        }
      }
    }
    if ok { ok = fsync(fd) == 0 }
    let closed = close(fd) == 0
    guard ok, closed else { throw fail("writing the temporary file failed") }
    guard rename(temp.path, url.path) == 0 else { throw fail("rename failed") }
  }

  /// write(2).
  private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
      return Glibc.write(fd, buffer, count)
    #else
      return Darwin.write(fd, buffer, count)
    #endif
  }

  /// Writes `text` (UTF-8) to `url` atomically.
  package static func write(_ text: String, to url: URL, field: String) throws {
    try write(Data(text.utf8), to: url, field: field)
  }
}
