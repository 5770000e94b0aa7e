import FEEL
import FEELStudies
import Foundation

/// Runs the runs of a study (or of a shard) on every core, one ``MLPWorkspace`` per
/// concurrent run, and returns them in canonical order whatever the schedule.
///
/// Runs are independent and deterministic, so the parallel schedule never changes a log.
/// The heaviest schemes (model-based FEEL and individual learning, which process every
/// local sample every round) are started first to balance the cores.
public enum StudyRunner {
  /// Trains `keys` with `trainer`.
  ///
  /// - Parameters:
  ///   - progress: called (from worker threads, serialized) with the fraction of the work
  ///     done, each run counting equally.
  ///   - finished: called (serialized) with every run as soon as it is done (for
  ///     checkpoints).
  ///   - checkpointing: the in-progress checkpoints of each run (nil: none), see
  ///     ``FederatedTrainer/run(_:checkpointing:progress:)``.
  /// - Throws: the first error of a run (in canonical order).
  public static func run(
    _ keys: [RunKey], trainer: FederatedTrainer,
    progress: (@Sendable (Double) -> Void)? = nil,
    finished: (@Sendable (TrainingRun) -> Void)? = nil,
    checkpointing: (@Sendable (RunKey) -> RunCheckpointing?)? = nil
  ) throws -> [TrainingRun] {
    let order = keys.indices.sorted { a, b in
      let ca = cost(keys[a].scheme)
      let cb = cost(keys[b].scheme)
      return ca != cb ? ca > cb : keys[a] < keys[b]
    }
    let tracker = Tracker(count: keys.count, progress: progress, finished: finished)
    let results = ParallelMap.run(count: order.count) { i in
      let j = order[i]
      let run = try trainer.run(keys[j], checkpointing: checkpointing?(keys[j])) {
        tracker.update(slot: i, fraction: $0)
      }
      tracker.done(slot: i, run: run)
      return (j, run)
    }
    var out = [TrainingRun?](repeating: nil, count: keys.count)
    var firstError: (Int, Error)?
    for (i, r) in results.enumerated() {
      switch r {
      case .success(let (j, run)): out[j] = run
      case .failure(let e):
        if firstError == nil || order[i] < firstError!.0 { firstError = (order[i], e) }
      }
    }
    if let (_, e) = firstError { throw e }
    return out.compactMap { $0 }
  }

  static func cost(_ s: TrainingScheme) -> Int {
    switch s {
    case .modelBased, .individualLearning: return 3
    case .optimal, .fullBatch, .equalBatches: return 2
    case .randomBatch, .gradientBased: return 1
    case .onlineLearning: return 0
    }
  }

  private final class Tracker: @unchecked Sendable {
    private var fractions: [Double]
    private let lock = NSLock()
    private let progress: (@Sendable (Double) -> Void)?
    private let finished: (@Sendable (TrainingRun) -> Void)?
    private var last = Date.distantPast

    init(
      count: Int, progress: (@Sendable (Double) -> Void)?,
      finished: (@Sendable (TrainingRun) -> Void)?
    ) {
      fractions = [Double](repeating: 0, count: count)
      self.progress = progress
      self.finished = finished
    }

    func update(slot: Int, fraction: Double) {
      guard let progress else { return }
      lock.lock()
      defer { lock.unlock() }
      fractions[slot] = fraction
      let now = Date()
      guard now.timeIntervalSince(last) > 0.2 else { return }
      last = now
      progress(fractions.reduce(0, +) / Double(fractions.count))
    }

    func done(slot: Int, run: TrainingRun) {
      lock.lock()
      defer { lock.unlock() }
      fractions[slot] = 1
      finished?(run)
      progress?(fractions.reduce(0, +) / Double(fractions.count))
    }
  }
}
