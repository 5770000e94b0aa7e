import Foundation

/// A progress bar on standard error for long jobs: drawn only when standard error is a
/// terminal and the job has run for more than `delay` seconds; silent otherwise.
final class ProgressBar: @unchecked Sendable {
  private let total: Int
  private let label: String
  private let start = Date()
  private let delay: TimeInterval
  private let enabled: Bool
  private var lastDraw = Date.distantPast
  private var drawn = false
  private let lock = NSLock()

  init(total: Int, label: String, delay: TimeInterval = 1) {
    self.total = total
    self.label = label
    self.delay = delay
    self.enabled = isatty(STDERR_FILENO) != 0 && total > 1
  }

  /// Records that `done` of `total` jobs are finished.
  func update(_ done: Int) {
    guard enabled else { return }
    lock.lock()
    defer { lock.unlock() }
    let now = Date()
    let elapsed = now.timeIntervalSince(start)
    guard elapsed > delay, now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
    lastDraw = now
    drawn = true
    let width = 30
    let filled = Int(Double(width) * Double(done) / Double(total))
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    let eta = done > 0 ? elapsed * Double(total - done) / Double(done) : 0
    let line = String(
      format: "\r%@ [%@] %d/%d  %.1f s elapsed, ~%.1f s left ", label, bar, done, total, elapsed,
      eta)
    FileHandle.standardError.write(Data(line.utf8))
  }

  /// Clears the bar if it was drawn.
  func finish() {
    lock.lock()
    defer { lock.unlock() }
    if drawn {
      FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: 100) + "\r").utf8))
    }
  }
}
