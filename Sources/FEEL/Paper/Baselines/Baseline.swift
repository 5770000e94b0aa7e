import ConvexCore

/// The baseline schemes of Section VI, each a rule for the batches B_k, evaluated with
/// either slot allocation of ``SlotAllocation`` on the same latency model as the
/// optimal policy.
///
/// | baseline | batches | paper |
/// |---|---|---|
/// | ``onlineLearning`` | B_k = 1 | Section VI-D, Corollary 2 case A |
/// | ``fullBatch`` | B_k = B^max | Section VI-D, Corollary 2 case B |
/// | ``randomBatch(seed:)`` | B_k uniform integer in 1 ... B^max, one draw per round | Section VI-D |
/// | ``equalBatches(globalBatch:)`` | B_k = B/K (with equal slots: Corollary 1, case A) | Appendix B-A |
/// | ``fixedBatch(_:)`` | B_k = min(b, B^max), the same b for every device | gradient-based FEEL, Section VI-C |
///
/// Slots: every baseline is offered with both allocations. ``SlotAllocation/optimal``
/// gives the baseline the best slots for its batches (so the comparison isolates the
/// batch choice); ``SlotAllocation/equal`` gives every device T_f/K in both frames (the
/// scheme with no resource allocation at all, exactly Corollary 1 case A for
/// ``equalBatches(globalBatch:)``).
///
/// Every baseline is a feasible policy of P6 (the true GPU latency of eq. 27 is used for
/// GPU devices, so small batches sit in the data-bound region), hence its efficiency never
/// exceeds that of ``FEELSolver/optimize()``.
public enum Baseline: Sendable, Equatable {
  /// Online learning: B_k = 1 for every device.
  case onlineLearning
  /// Full batch: B_k = B^max for every device.
  case fullBatch
  /// Random batch: every B_k an independent uniform integer in 1 ... B^max, drawn from
  /// `SplitMix64` seeded with `seed` in device order (one round of the paper's scheme,
  /// which draws anew every round).
  case randomBatch(seed: UInt64)
  /// Equal batches B_k = B/K at global batch `globalBatch` (K ≤ B ≤ K·B^max), or at the
  /// optimal policy's global batch B* when `nil`. With equal slots this is Corollary 1,
  /// case A (eq. 42).
  case equalBatches(globalBatch: Double?)
  /// Gradient-based FEEL with a fixed batch: every device uses the same batch `b`
  /// (clipped to B^max), with no batch optimization.
  case fixedBatch(Int)

  /// The batch of gradient-based FEEL when none is given: 32, a common default for
  /// one step of mini-batch SGD (clipped to B^max).
  public static let defaultFixedBatch = 32
  /// The seed of the random-batch baseline when none is given.
  public static let defaultSeed: UInt64 = 1

  /// The five baselines of Section VI with the given seed and fixed batch, in the order
  /// of the table above (equal batches at the optimal B*).
  public static func standard(
    seed: UInt64 = defaultSeed, fixedBatch: Int = defaultFixedBatch
  ) -> [Baseline] {
    [
      .onlineLearning, .fullBatch, .randomBatch(seed: seed), .equalBatches(globalBatch: nil),
      .fixedBatch(fixedBatch),
    ]
  }

  /// A stable identifier: `online-learning`, `full-batch`, `random-batch`,
  /// `equal-batches`, `fixed-batch`.
  package var name: String {
    switch self {
    case .onlineLearning: return "online-learning"
    case .fullBatch: return "full-batch"
    case .randomBatch: return "random-batch"
    case .equalBatches: return "equal-batches"
    case .fixedBatch: return "fixed-batch"
    }
  }

  /// One line saying how the batches are chosen.
  package var summary: String {
    switch self {
    case .onlineLearning: return "B_k = 1"
    case .fullBatch: return "B_k = B^max"
    case .randomBatch(let seed): return "B_k uniform in 1...B^max (seed \(seed))"
    case .equalBatches(let B):
      return B.map { "B_k = B/K at B = \($0)" } ?? "B_k = B*/K at the optimal B*"
    case .fixedBatch(let b): return "B_k = min(\(b), B^max) (gradient-based FEEL)"
    }
  }

  /// The batches B_k of this baseline.
  ///
  /// - Parameters:
  ///   - data: the compiled scenario.
  ///   - optimalGlobalBatch: B* of the optimal policy, used by `equalBatches(globalBatch: nil)`.
  /// - Throws: ``InfeasibleRequest`` when `equalBatches` has a global batch that is not
  ///   finite or outside K ... K·B^max (or `nil` with no B* given), or `fixedBatch` has a
  ///   batch below 1.
  /// - Complexity: O(K).
  public func batches(data: SystemData, optimalGlobalBatch: Double?) throws -> [Double] {
    let K = data.count
    switch self {
    case .onlineLearning:
      return [Double](repeating: 1, count: K)
    case .fullBatch:
      return data.upper
    case .randomBatch(let seed):
      var rng = SplitMix64(seed: seed)
      let top = Swift.max(1, Int(data.maxBatch))
      return (0..<K).map { _ in Double(rng.int(in: 1...top)) }
    case .equalBatches(let given):
      guard let B = given ?? optimalGlobalBatch else {
        throw InfeasibleRequest(
          field: "globalBatch", reason: "equal batches need a global batch or the optimal B*")
      }
      let low = data.minimumGlobalBatch
      let high = data.maximumGlobalBatch
      guard B.isFinite, B >= low, B <= high else {
        throw InfeasibleRequest(
          field: "globalBatch",
          reason: "must be a number in \(low)...\(high) for equal batches, got \(Check.format(B))")
      }
      let share = Swift.min(Swift.max(B / Double(K), 1), data.maxBatch)
      return [Double](repeating: share, count: K)
    case .fixedBatch(let b):
      guard b >= 1 else {
        throw InfeasibleRequest(
          field: "fixedBatch", reason: "must be an integer >= 1 (got \(b))")
      }
      return [Double](repeating: Swift.min(Double(b), data.maxBatch), count: K)
    }
  }

  /// Evaluates this baseline with the slot allocation `slots`.
  ///
  /// - Parameters:
  ///   - solver: the scenario's solver (used for the optimal slots of the batches).
  ///   - slots: optimal for the batches, or equal.
  ///   - optimalGlobalBatch: B* of the optimal policy, for `equalBatches(globalBatch: nil)`.
  /// - Throws: as ``batches(data:optimalGlobalBatch:)``.
  /// - Complexity: O(K) per Newton step of the slot roots.
  public func evaluate(
    _ solver: FEELSolver, slots: SlotAllocation, optimalGlobalBatch: Double? = nil
  ) throws -> EvaluatedPolicy {
    let b = try batches(data: solver.data, optimalGlobalBatch: optimalGlobalBatch)
    return EvaluatedPolicy(solver: solver, name: name, slots: slots, batches: b)
  }
}
