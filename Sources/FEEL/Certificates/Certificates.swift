/// What proves an uplink allocation optimal for P4 at a fixed global batch B: the
/// multipliers of its KKT conditions, from which a lower bound on the round length
/// follows by weak duality, checkable without the solver.
///
/// The problem (P4 in time units, slots as frame fractions x_k = τ_k^U/T_f^U):
///
///     T^U(B) = min T  s.t.  t_k(B_k) + a_k/x_k ≤ T,  Σ x_k ≤ 1,  Σ B_k = B,  1 ≤ B_k ≤ B^max,
///
/// with t_k the true local latency (eq. 9, or the two-piece eq. 27 for GPUs). For any
/// λ ≥ 0 with Σλ_k = 1, μ ≥ 0 and γ, the dual function
///
///     g(λ, μ, γ) = −μ + γB + Σ_k [ 2√(λ_k a_k μ) + min_{B_k ∈ [1, B^max]} (λ_k t_k(B_k) − γ B_k) ]
///
/// is a lower bound on T^U(B) (the inner minimum is attained at a vertex: 1, B_k^th or
/// B^max). It is affine in B with slope γ, so it also bounds T^U at every other global
/// batch: T^U(B') ≥ g + γ(B' − B). The solver returns λ_k = μ x_k²/a_k,
/// μ = 1/Σ x_k²/a_k and γ = μ v² (v the water level), for which the gap is zero in
/// exact arithmetic.
public struct UplinkCertificate: Sendable, Equatable {
  /// B.
  public internal(set) var globalBatch: Double
  /// The round length of the allocation, recomputed from it: max_k t_k(B_k) + a_k/x_k.
  public internal(set) var roundLength: Double
  /// λ_k, the weight of device k's latency constraint (Σ λ_k = 1).
  public internal(set) var deviceWeights: [Double]
  /// μ, the price of the slot budget Σ x_k ≤ 1, in seconds.
  public internal(set) var slotPrice: Double
  /// γ, the price of one sample of global batch, seconds per sample (= dT^U/dB).
  public internal(set) var batchPrice: Double
  /// g(λ, μ, γ), a proven lower bound on T^U(B).
  public internal(set) var dualBound: Double

  /// roundLength − dualBound ≥ 0: how far the allocation can be from optimal, in seconds.
  public var dualityGap: Double { roundLength - dualBound }

  /// A certificate from multipliers (for example another solver's); ``Verifier``
  /// recomputes the bound from `deviceWeights` and `batchPrice` alone.
  public init(
    globalBatch: Double, roundLength: Double, deviceWeights: [Double], slotPrice: Double,
    batchPrice: Double, dualBound: Double
  ) {
    self.globalBatch = globalBatch
    self.roundLength = roundLength
    self.deviceWeights = deviceWeights
    self.slotPrice = slotPrice
    self.batchPrice = batchPrice
    self.dualBound = dualBound
  }
}

/// What proves a downlink allocation optimal for P5 (Theorem 2):
///
///     T^D = min T  s.t.  m_k + d_k/y_k ≤ T,  Σ y_k ≤ 1,
///
/// with the dual bound g(λ, μ) = −μ + Σ_k [λ_k m_k + 2√(λ_k d_k μ)] for λ ≥ 0, Σ λ = 1.
public struct DownlinkCertificate: Sendable, Equatable {
  /// The round length of the allocation, max_k m_k + d_k/y_k.
  public internal(set) var roundLength: Double
  /// λ_k.
  public internal(set) var deviceWeights: [Double]
  /// μ, seconds.
  public internal(set) var slotPrice: Double
  /// g(λ, μ), a proven lower bound on T^D.
  public internal(set) var dualBound: Double
  /// roundLength − dualBound ≥ 0.
  public var dualityGap: Double { roundLength - dualBound }

  /// A certificate from multipliers; ``Verifier`` recomputes the bound from
  /// `deviceWeights` alone.
  public init(roundLength: Double, deviceWeights: [Double], slotPrice: Double, dualBound: Double) {
    self.roundLength = roundLength
    self.deviceWeights = deviceWeights
    self.slotPrice = slotPrice
    self.dualBound = dualBound
  }
}

/// What proves a global batch optimal for P1 / P7 (the efficiency ΔL(B)/(T^U(B) + T^D)
/// over every admissible B, K ≤ B ≤ K·B^max; ΔL = ξ√B in the paper, any ``LossDecay``).
///
/// From the uplink certificate at B*, T^U(B) ≥ max(g + γ(B − B*), T^U_floor) for every
/// B, where T^U_floor is the round length with every B_k = 1 (T^U is nondecreasing in B);
/// with the downlink bound, E(B) ≤ ΔL(B) / (max(g + γ(B − B*), T^U_floor) + g^D), whose
/// maximum over B is bounded in closed form through the tangent line of the concave ΔL
/// (`Certifier/efficiencyUpperBound(data:uplink:uplinkFloor:downlinkBound:)`). So
/// `efficiencyUpperBound` bounds the efficiency of every feasible policy, and the gap to
/// the attained efficiency is at most second order in the error of B*.
public struct GlobalCertificate: Sendable, Equatable {
  /// The uplink certificate at B*.
  public internal(set) var uplink: UplinkCertificate
  /// The downlink certificate.
  public internal(set) var downlink: DownlinkCertificate
  /// T^U_floor ≤ T^U(K): a lower bound on the uplink round length of any policy,
  /// checkable by Σ_k a_k/(T^U_floor − t_k(1)) ≥ 1.
  public internal(set) var uplinkFloor: Double
  /// The efficiency attained by the allocation.
  public internal(set) var efficiency: Double
  /// A proven upper bound on the efficiency of every feasible policy.
  public internal(set) var efficiencyUpperBound: Double
  /// (upper bound − attained)/attained.
  public var relativeGap: Double { (efficiencyUpperBound - efficiency) / efficiency }
}

/// The result of checking a certificate against an allocation without the solver.
public struct VerificationReport: Sendable, Equatable, CustomStringConvertible {
  /// Largest violation of a constraint (slot budgets, batch sum, bounds), relative.
  public internal(set) var feasibilityViolation: Double
  /// Round length (or efficiency) recomputed from the allocation.
  public internal(set) var primal: Double
  /// The proven bound on ``primal``: a lower bound on the round length at a fixed B, an
  /// upper bound on the efficiency when B was optimized.
  public internal(set) var bound: Double
  /// |primal − bound| / |primal|.
  public internal(set) var relativeGap: Double
  /// Largest relative KKT stationarity residual |λ_k a_k/x_k² − μ|/μ over devices with
  /// λ_k > 0 (0 where not applicable).
  public internal(set) var stationarityResidual: Double
  /// The tolerance the check used.
  public internal(set) var tolerance: Double
  /// Why the allocation could not be checked at all (a wrong length, a non-finite or
  /// negative entry); `nil` when it could. The report then fails.
  public internal(set) var inputProblem: AllocationProblem? = nil
  /// Every number is finite, the allocation is feasible and the gap is within tolerance.
  public var passed: Bool {
    inputProblem == nil && feasibilityViolation.isFinite && relativeGap.isFinite && primal.isFinite
      && bound.isFinite
      && feasibilityViolation <= tolerance && relativeGap <= tolerance
  }

  /// One line: `certified` or `NOT certified`, then every number of the report.
  public var description: String {
    if let inputProblem { return "NOT certified: \(inputProblem)" }
    return "\(passed ? "certified" : "NOT certified"): primal \(primal), bound \(bound), "
      + "relative gap \(relativeGap), feasibility violation \(feasibilityViolation), "
      + "stationarity residual \(stationarityResidual) (tolerance \(tolerance))"
  }
}

/// Why an allocation handed to ``Verifier`` (or ``IntegerBatches/certify(_:data:tolerance:)``)
/// cannot be checked against a problem.
public enum AllocationProblem: Error, Sendable, Equatable, CustomStringConvertible {
  /// An array (`batches`, `uplinkFractions`, `downlinkFractions`, or a certificate's
  /// `deviceWeights`) does not have one entry per device.
  case wrongLength(field: String, expected: Int, got: Int)
  /// An entry is NaN or infinite.
  case notFinite(field: String, index: Int, value: Double)
  /// A slot fraction is negative or a batch is below 0.
  case negative(field: String, index: Int, value: Double)

  /// One line naming the field.
  public var description: String {
    switch self {
    case .wrongLength(let field, let expected, let got):
      return "\(field): has \(got) entries for \(expected) devices"
    case .notFinite(let field, let index, let value):
      return "\(field)[\(index)]: must be finite (got \(Check.format(value)))"
    case .negative(let field, let index, let value):
      return "\(field)[\(index)]: must be >= 0 (got \(value))"
    }
  }

  /// The first problem of `allocation` for `count` devices, or `nil`.
  static func find(_ allocation: Allocation, count: Int) -> AllocationProblem? {
    for (field, values) in [
      ("batches", allocation.batches), ("uplinkFractions", allocation.uplinkFractions),
      ("downlinkFractions", allocation.downlinkFractions),
    ] {
      guard values.count == count else {
        return .wrongLength(field: field, expected: count, got: values.count)
      }
      for (k, v) in values.enumerated() {
        guard v.isFinite else { return .notFinite(field: field, index: k, value: v) }
        guard v >= 0 else { return .negative(field: field, index: k, value: v) }
      }
    }
    return nil
  }
}
