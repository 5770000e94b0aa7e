import FEEL
import Foundation
import Testing

@testable import FEELTraining

/// A run continued from a checkpoint of any round, decoded from its bytes into freshly made
/// objects, gives exactly the records and final parameters of the uninterrupted run; bad
/// checkpoints are refused.
@Suite struct RunCheckpointTests {
  final class Saved: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Data] = []
    func append(_ d: Data) {
      lock.lock()
      items.append(d)
      lock.unlock()
    }
    var all: [Data] {
      lock.lock()
      defer { lock.unlock() }
      return items
    }
  }

  /// Runs `key` with a checkpoint every round; returns the run and every checkpoint's bytes.
  static func recorded(
    _ trainer: FederatedTrainer, _ key: RunKey, resume: RunCheckpoint? = nil
  ) throws -> (TrainingRun, [Data]) {
    let saved = Saved()
    let run = try trainer.run(
      key,
      checkpointing: RunCheckpointing(every: 1, context: "ctx", resume: resume) {
        saved.append($0.encoded())
      })
    return (run, saved.all)
  }

  @Test(arguments: [
    (TrainingScheme.optimal, PartitionKind.iid, false, false),
    (.randomBatch, .noniid, false, true), (.optimal, .noniid, true, true),
    (.randomBatch, .iid, true, false), (.modelBased, .iid, false, true),
    (.individualLearning, .noniid, false, false),
  ])
  func resumingAtAnyRoundGivesTheUninterruptedRun(
    scheme: TrainingScheme, partition: PartitionKind, timeBudget: Bool, fading: Bool
  ) throws {
    let key = RunKey(scheme: scheme, partition: partition, seed: 5)
    var o = FederatedFixtures.options(rounds: 6)
    o.fading = fading
    if timeBudget {
      // A budget of a few rounds of this scheme, so the time grid of the records matters.
      let probe = try FederatedFixtures.trainer(options: o).run(key)
      o.stop = .timeBudget(probe.clockSeconds * 0.9)
      o.evaluateEvery = nil
      o.evaluations = 3
    }
    let trainer = try FederatedFixtures.trainer(options: o)
    let plain = try trainer.run(key)
    let (whole, saves) = try Self.recorded(trainer, key)
    #expect(whole == plain)
    #expect(saves.count == whole.rounds)
    let last = try RunCheckpoint(decoding: try #require(saves.last))
    var random = TrainingRandom(seed: 0xC0FFEE &+ key.seed)
    for _ in 0..<2 {
      let k = 1 + random.below(Swift.max(1, whole.rounds - 1))
      let checkpoint = try RunCheckpoint(decoding: saves[k - 1])
      #expect(checkpoint.rounds == k)
      let fresh = try FederatedFixtures.trainer(options: o)
      let (resumed, later) = try Self.recorded(fresh, key, resume: checkpoint)
      #expect(resumed == whole)
      let end = try RunCheckpoint(decoding: try #require(later.last))
      #expect(end.parameters.map(\.bitPattern) == last.parameters.map(\.bitPattern))
      #expect(end == last)
      #expect(later.count == whole.rounds - k)
    }
  }

  @Test func corruptTruncatedAndForeignCheckpointsAreRefused() throws {
    let key = RunKey(scheme: .randomBatch, partition: .iid, seed: 2)
    let trainer = try FederatedFixtures.trainer(rounds: 2)
    let (_, saves) = try Self.recorded(trainer, key)
    let bytes = try #require(saves.first)
    var flipped = bytes
    flipped[bytes.count / 2] ^= 0x10
    for bad in [flipped, bytes.prefix(bytes.count - 1), bytes.prefix(40), Data()] {
      #expect(throws: InfeasibleRequest.self) { try RunCheckpoint(decoding: Data(bad)) }
    }
    let good = try RunCheckpoint(decoding: bytes)
    let other = RunCheckpointing(every: 1, context: "other", resume: good) { _ in }
    #expect(throws: InfeasibleRequest.self) { try trainer.run(key, checkpointing: other) }
    let same = RunCheckpointing(every: 1, context: "ctx", resume: good) { _ in }
    var otherSeed = key
    otherSeed.seed = 3
    #expect(throws: InfeasibleRequest.self) { try trainer.run(otherSeed, checkpointing: same) }
  }
}
