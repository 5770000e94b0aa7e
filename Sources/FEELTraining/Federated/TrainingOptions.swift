import FEEL

/// When a run stops.
public enum StopRule: Sendable, Equatable {
  /// After this many rounds (local epochs for individual learning).
  case rounds(Int)
  /// Before the first round that would end after this many simulated seconds.
  case timeBudget(Double)
}

/// Everything that fixes a training run besides its scheme, partition and seed.
///
/// Defaults are those of `feel train`: an MLP 784-128-10, η₀ = 0.05 at B₀ = 32
/// (η = η₀√(B/B₀), the paper's η ∝ √B of Section III-A), gradient-based FEEL and the local
/// SGD of the model-exchanging schemes at b = 32, equal slots for the baselines, no fading.
public struct TrainingOptions: Sendable, Equatable {
  /// H, hidden units of the MLP.
  public var hidden = 128
  /// η₀, the learning rate at the reference batch.
  public var learningRate = 0.05
  /// B₀, the reference batch of the learning-rate rule.
  public var referenceBatch = 32.0
  /// b: the batch of gradient-based FEEL and the local mini-batch of model-based FEEL and
  /// individual learning.
  public var fixedBatch = 32
  /// Slots of every scheme but the optimum.
  public var baselineSlots: SlotAllocation = .equal
  /// Per-round Rayleigh fading with re-solving (``LatencyEnvironment``).
  public var fading = false
  /// When to stop.
  public var stop: StopRule = .rounds(100)
  /// About how many evaluations (records) per run: on a grid of the time budget, or every
  /// ⌈rounds/evaluations⌉ rounds; the initial model and the last round are always recorded.
  public var evaluations = 20
  /// Record every this many rounds instead (1: a record per round).
  public var evaluateEvery: Int?
  /// Training samples (a seeded subset) on which the global training loss is measured;
  /// 0 or at least the training-set size: all of them.
  public var lossSamples = 5_000

  /// Default options.
  public init() {}

  /// The learning rate for a step on B samples: η₀·√(B/B₀).
  public func learningRate(globalBatch B: Int) -> Float {
    Float(learningRate * (Double(B) / referenceBatch).squareRoot())
  }

  /// Checks every value.
  /// - Throws: ``InfeasibleRequest`` naming the option.
  public func validate() throws {
    func bad(_ field: String, _ reason: String) -> InfeasibleRequest {
      InfeasibleRequest(field: field, reason: reason)
    }
    guard (1...100_000).contains(hidden) else {
      throw bad("hidden", "must be in 1...100000 (got \(hidden))")
    }
    guard learningRate.isFinite, learningRate > 0 else {
      throw bad("learningRate", "must be a finite number > 0 (got \(learningRate))")
    }
    guard referenceBatch.isFinite, referenceBatch > 0 else {
      throw bad("referenceBatch", "must be a finite number > 0 (got \(referenceBatch))")
    }
    guard fixedBatch >= 1 else {
      throw bad("fixedBatch", "must be an integer >= 1 (got \(fixedBatch))")
    }
    switch stop {
    case .rounds(let n):
      guard (1...10_000_000).contains(n) else {
        throw bad("rounds", "must be in 1...10000000 (got \(n))")
      }
    case .timeBudget(let t):
      guard t.isFinite, t > 0 else {
        throw bad("timeBudget", "must be a finite number of seconds > 0 (got \(t))")
      }
    }
    guard (1...100_000).contains(evaluations) else {
      throw bad("evaluations", "must be in 1...100000 (got \(evaluations))")
    }
    if let e = evaluateEvery, e < 1 {
      throw bad("evaluateEvery", "must be an integer >= 1 (got \(e))")
    }
    guard lossSamples >= 0 else {
      throw bad("lossSamples", "must be an integer >= 0 (got \(lossSamples))")
    }
  }
}

/// Seeds of the independent random streams of one run, all derived from the run's seed S:
/// every scheme of seed S starts from the same model, the same partition, the same local
/// sampling streams and the same fading draws (paired comparisons).
public struct RunSeeds: Sendable, Equatable {
  /// The run's seed S.
  public let seed: UInt64
  /// A seed for the stream `purpose` (SplitMix64 finalizer of S and the purpose).
  public func stream(_ purpose: UInt64) -> UInt64 {
    var r = TrainingRandom(seed: seed ^ (purpose &* 0xD1B5_4A32_D192_ED03))
    return r.next()
  }
  /// The MLP's initial weights.
  public var model: UInt64 { stream(1) }
  /// The partition's shuffles.
  public var partition: UInt64 { stream(2) }
  /// Device k's local sampling.
  public func device(_ k: Int) -> UInt64 { stream(1000 + UInt64(k)) }
  /// The random-batch draws.
  public var randomBatch: UInt64 { stream(3) }
  /// The fading draws.
  public var fading: UInt64 { stream(4) }
  /// The training-loss subset.
  public var lossSubset: UInt64 { stream(5) }

  /// The streams of seed `seed`.
  public init(_ seed: UInt64) { self.seed = seed }
}
