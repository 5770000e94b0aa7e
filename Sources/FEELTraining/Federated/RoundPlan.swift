import FEEL

/// One round's allocation and its time on the latency model.
public struct RoundPlan: Sendable, Equatable {
  /// Samples each device processes this round: B_k for gradient schemes; |D_k| per local
  /// epoch for model-based FEEL and individual learning.
  public var samples: [Int]
  /// The allocation as the latency model sees it. For gradient schemes its `batches` are
  /// the B_k; for the model-exchanging schemes they are *compute-equivalent batches*
  /// b'_k with t_k(b'_k) equal to the local-training time (see
  /// ``RoundPlanner/equivalentBatches(_:computeSeconds:)``), so that its `roundSeconds`
  /// is compute plus one upload and one download of s bits.
  public var policy: EvaluatedPolicy
  /// T, the seconds this round adds to the simulated clock.
  public var roundSeconds: Double { policy.roundSeconds }
  /// Σ samples.
  public var globalBatch: Int { samples.reduce(0, +) }
}

/// Chooses each round's batches and slots for one scheme and times it with the
/// evaluators of FEEL (``EvaluatedPolicy``, ``IntegerBatches``), so the clock is what
/// `feel compare` reports for the same allocation.
///
/// Without fading the plan of every scheme but ``TrainingScheme/randomBatch`` is the same
/// in every round and is computed once; with fading a new solver arrives every round and
/// the plan is recomputed (the optimum re-solved, as `feel rounds` does).
public struct RoundPlanner: Sendable {
  /// The scheme.
  public let scheme: TrainingScheme
  /// Slots of every scheme except ``TrainingScheme/optimal``.
  public let baselineSlots: SlotAllocation
  /// b: the gradient-based FEEL batch and the local mini-batch of the model-exchanging
  /// schemes.
  public let fixedBatch: Int
  /// |D_k|.
  public let localSizes: [Int]
  var random: TrainingRandom
  private var cached: RoundPlan?

  /// A planner for `scheme`.
  ///
  /// - Parameters:
  ///   - localSizes: |D_k| of every device (for the model-exchanging schemes).
  ///   - seed: the seed of the random-batch draws.
  /// - Throws: ``InfeasibleRequest`` (field `fixedBatch`) when b < 1.
  public init(
    scheme: TrainingScheme, baselineSlots: SlotAllocation, fixedBatch: Int, localSizes: [Int],
    seed: UInt64
  ) throws {
    guard fixedBatch >= 1 else {
      throw InfeasibleRequest(
        field: "fixedBatch", reason: "must be an integer >= 1 (got \(fixedBatch))")
    }
    self.scheme = scheme
    self.baselineSlots = baselineSlots
    self.fixedBatch = fixedBatch
    self.localSizes = localSizes
    self.random = TrainingRandom(seed: seed)
  }

  /// The plan of the next round on `solver`; `solverChanged` says whether the latency
  /// model differs from the previous call's (fading).
  ///
  /// - Throws: ``InfeasibleRequest`` when the scenario's device count differs from the
  ///   partition's.
  /// - Complexity: O(K) per Newton step of the slot roots; the optimum costs one
  ///   ``IntegerBatches/solve(_:globalBatch:)``.
  public mutating func next(solver: FEELSolver, solverChanged: Bool) throws -> RoundPlan {
    let data = solver.data
    guard data.count == localSizes.count else {
      throw InfeasibleRequest(
        field: "devices",
        reason: "the scenario has \(data.count) devices but the data is split over "
          + "\(localSizes.count)")
    }
    if let c = cached, !solverChanged, scheme != .randomBatch { return c }
    let plan: RoundPlan
    switch scheme {
    case .optimal:
      let integer = try IntegerBatches.solve(solver, globalBatch: nil).solution
      plan = RoundPlan(
        samples: integer.batches.map { Int($0.rounded()) },
        policy: EvaluatedPolicy(data: data, solution: integer))
    case .gradientBased:
      plan = gradientPlan(
        solver, [Int](repeating: Swift.min(fixedBatch, maxBatch(data)), count: data.count))
    case .onlineLearning:
      plan = gradientPlan(solver, [Int](repeating: 1, count: data.count))
    case .fullBatch:
      plan = gradientPlan(solver, data.upper.map { Int($0) })
    case .randomBatch:
      let top = maxBatch(data)
      var b: [Int] = []
      for _ in 0..<data.count { b.append(1 + random.below(top)) }
      plan = gradientPlan(solver, b)
    case .equalBatches:
      let integer = try IntegerBatches.solve(solver, globalBatch: nil).solution
      let B = Int(integer.globalBatch.rounded())
      let K = data.count
      let b = (0..<K).map { Swift.min(B / K + ($0 < B % K ? 1 : 0), maxBatch(data)) }
      plan = gradientPlan(solver, b)
    case .modelBased:
      plan = localPlan(solver, epochs: 1)
    case .individualLearning:
      plan = localPlan(solver, epochs: 1)
    }
    cached = plan
    return plan
  }

  /// The timing of individual learning after `epochs` local epochs on `solver`: one
  /// round whose compute is `epochs` local epochs, then one upload and one download.
  public func individualPlan(solver: FEELSolver, epochs: Int) -> RoundPlan {
    localPlan(solver, epochs: epochs)
  }

  private func maxBatch(_ data: SystemData) -> Int { Swift.max(1, Int(data.maxBatch)) }

  private func gradientPlan(_ solver: FEELSolver, _ b: [Int]) -> RoundPlan {
    RoundPlan(
      samples: b,
      policy: EvaluatedPolicy(
        solver: solver, name: scheme.rawValue, slots: baselineSlots, batches: b.map(Double.init)))
  }

  private func localPlan(_ solver: FEELSolver, epochs: Int) -> RoundPlan {
    let data = solver.data
    let seconds = Self.localTrainingSeconds(
      data, sizes: localSizes, batch: fixedBatch, epochs: epochs)
    let b = Self.equivalentBatches(data, computeSeconds: seconds)
    return RoundPlan(
      samples: localSizes.map { $0 * epochs },
      policy: EvaluatedPolicy(
        solver: solver, name: scheme.rawValue, slots: baselineSlots, batches: b))
  }

  /// The local-training time of every device for `epochs` epochs of mini-batch SGD with
  /// batch b over |D_k| samples: e·(⌊|D_k|/b⌋·t_k(b) + t_k(|D_k| mod b)) for the gradient
  /// steps (the last term only when the remainder is positive) plus (e·n_k − 1)·t_k^M for
  /// all updates but the last, n_k = ⌈|D_k|/b⌉ (the last update is the t_k^M of the
  /// downlink phase, eq. 14).
  /// - Complexity: O(K).
  public static func localTrainingSeconds(
    _ data: SystemData, sizes: [Int], batch b: Int, epochs: Int
  ) -> [Double] {
    (0..<data.count).map { k in
      let n = sizes[k]
      let full = n / b
      let rest = n % b
      var perEpoch = Double(full) * data.trueLatency(of: k, batch: Double(b))
      if rest > 0 { perEpoch += data.trueLatency(of: k, batch: Double(rest)) }
      let steps = full + (rest > 0 ? 1 : 0)
      let updates = Swift.max(0, epochs * steps - 1)
      return Double(epochs) * perEpoch + Double(updates) * data.updateSeconds[k]
    }
  }

  /// Compute-equivalent batches: b'_k = (t − α_k)/β_k, so that the affine latency
  /// α_k + β_k·b'_k equals the local-training time t (for a GPU device t is at least its
  /// flat latency, so the two-piece t_k of eq. 27 gives t too).
  public static func equivalentBatches(_ data: SystemData, computeSeconds t: [Double]) -> [Double] {
    (0..<data.count).map { (t[$0] - data.alpha[$0]) / data.beta[$0] }
  }
}
