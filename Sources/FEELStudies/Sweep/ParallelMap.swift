import FEEL
import Foundation

/// Runs independent jobs on every core and returns their results in input order.
///
/// Jobs run through `DispatchQueue.concurrentPerform`; results are written into their
/// own slots, so the output order is the input order whatever the schedule. `progress`
/// is called (from worker threads, serialized) after each finished job with the number
/// done so far.
/// - Complexity: n jobs on min(n, cores) threads.
package enum ParallelMap {
  /// `transform(i)` for every i in 0..<count, in order; a thrown error is returned in
  /// its slot.
  package static func run<T: Sendable>(
    count: Int, progress: (@Sendable (Int) -> Void)? = nil,
    _ transform: @Sendable (Int) throws -> T
  ) -> [Result<T, Error>] {
    guard count > 0 else { return [] }
    let box = Box<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in
      let r = Result { try transform(i) }
      box.store(r, at: i, progress: progress)
    }
    return box.results()
  }

  private final class Box<T>: @unchecked Sendable {
    private var slots: [Result<T, Error>?]
    private var done = 0
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ r: Result<T, Error>, at i: Int, progress: (@Sendable (Int) -> Void)?) {
      lock.lock()
      defer { lock.unlock() }
      slots[i] = r
      done += 1
      progress?(done)
    }

    func results() -> [Result<T, Error>] {
      lock.lock()
      defer { lock.unlock() }
      return slots.map { $0 ?? .failure(CancellationError()) }
    }
  }
}
