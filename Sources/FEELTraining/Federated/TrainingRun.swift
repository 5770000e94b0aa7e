import FEEL

/// Which run of a study: scheme, partition and seed.
public struct RunKey: Sendable, Hashable, Comparable {
  /// The scheme.
  public var scheme: TrainingScheme
  /// The partition.
  public var partition: PartitionKind
  /// The seed S.
  public var seed: UInt64

  /// Creates a key.
  public init(scheme: TrainingScheme, partition: PartitionKind, seed: UInt64) {
    self.scheme = scheme
    self.partition = partition
    self.seed = seed
  }

  /// The study's canonical order: partition (IID first), then scheme (in
  /// ``TrainingScheme/allCases`` order), then seed.
  public static func < (a: RunKey, b: RunKey) -> Bool {
    let pa = PartitionKind.allCases.firstIndex(of: a.partition)!
    let pb = PartitionKind.allCases.firstIndex(of: b.partition)!
    if pa != pb { return pa < pb }
    let sa = TrainingScheme.allCases.firstIndex(of: a.scheme)!
    let sb = TrainingScheme.allCases.firstIndex(of: b.scheme)!
    if sa != sb { return sa < sb }
    return a.seed < b.seed
  }
}

/// One evaluation of the global model during a run.
public struct TrainingRecord: Sendable, Equatable {
  /// Rounds completed (local epochs for individual learning); 0 is the initial model.
  public var round: Int
  /// The simulated clock after those rounds, seconds (Σ of the round times).
  public var clockSeconds: Double
  /// Mean cross-entropy of the global model on the training set (or its seeded subset).
  public var trainingLoss: Double
  /// Fraction of the test set classified correctly, in [0, 1].
  public var testAccuracy: Double
  /// Mean cross-entropy on the test set.
  public var testLoss: Double
  /// Samples processed by all devices so far (Σ of the rounds' global batches).
  public var samples: Int

  /// Creates a record.
  public init(
    round: Int, clockSeconds: Double, trainingLoss: Double, testAccuracy: Double,
    testLoss: Double, samples: Int
  ) {
    self.round = round
    self.clockSeconds = clockSeconds
    self.trainingLoss = trainingLoss
    self.testAccuracy = testAccuracy
    self.testLoss = testLoss
    self.samples = samples
  }
}

/// The log of one run.
public struct TrainingRun: Sendable, Equatable {
  /// Scheme, partition, seed.
  public var key: RunKey
  /// The evaluations, in round order.
  public var records: [TrainingRecord]
  /// Rounds completed.
  public var rounds: Int
  /// The simulated clock at the end, seconds.
  public var clockSeconds: Double
  /// B = Σ B_k of the first round (|D| per local epoch for the model-exchanging schemes).
  public var firstGlobalBatch: Int
  /// T of the first round, seconds.
  public var firstRoundSeconds: Double
  /// The training loss became non-finite and the run stopped there.
  public var diverged: Bool

  /// Creates a run log.
  public init(
    key: RunKey, records: [TrainingRecord], rounds: Int, clockSeconds: Double,
    firstGlobalBatch: Int, firstRoundSeconds: Double, diverged: Bool
  ) {
    self.key = key
    self.records = records
    self.rounds = rounds
    self.clockSeconds = clockSeconds
    self.firstGlobalBatch = firstGlobalBatch
    self.firstRoundSeconds = firstRoundSeconds
    self.diverged = diverged
  }
}

/// Eq. (1): the server's aggregate g = Σ_k B_k g_k / Σ_k B_k of the devices' mean
/// gradients, which for plain SGD equals the mean gradient over the union of the batches.
public enum GradientAggregation {
  /// `sum += weight · gradient`, element by element (float32).
  /// - Complexity: O(p).
  @inlinable
  public static func accumulate(_ gradient: [Float], into sum: inout [Float], weight: Float) {
    precondition(sum.count == gradient.count)
    sum.withUnsafeMutableBufferPointer { s in
      gradient.withUnsafeBufferPointer { g in
        for i in 0..<s.count { s[i] += weight * g[i] }
      }
    }
  }

  /// Σ_k B_k g_k / Σ_k B_k.
  ///
  /// - Parameters:
  ///   - gradients: g_k, the mean gradient of device k over its B_k samples (equal lengths).
  ///   - batches: B_k ≥ 0, not all zero.
  /// - Complexity: O(K·p).
  public static func weightedAverage(_ gradients: [[Float]], batches: [Int]) -> [Float] {
    let B = Float(batches.reduce(0, +))
    var sum = [Float](repeating: 0, count: gradients.first?.count ?? 0)
    for (g, b) in zip(gradients, batches) where b > 0 {
      accumulate(g, into: &sum, weight: Float(b) / B)
    }
    return sum
  }
}
