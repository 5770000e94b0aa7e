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
  public var globalBatch: Double
  /// The round length of the allocation, recomputed from it: max_k t_k(B_k) + a_k/x_k.
  public var roundLength: Double
  /// λ_k, the weight of device k's latency constraint (Σ λ_k = 1).
  public var deviceWeights: [Double]
  /// μ, the price of the slot budget Σ x_k ≤ 1, in seconds.
  public var slotPrice: Double
  /// γ, the price of one sample of global batch, seconds per sample (= dT^U/dB).
  public var batchPrice: Double
  /// g(λ, μ, γ), a proven lower bound on T^U(B).
  public var dualBound: Double

  /// roundLength − dualBound ≥ 0: how far the allocation can be from optimal, in seconds.
  public var dualityGap: Double { roundLength - dualBound }
}

/// What proves a downlink allocation optimal for P5 (Theorem 2):
///
///     T^D = min T  s.t.  m_k + d_k/y_k ≤ T,  Σ y_k ≤ 1,
///
/// with the dual bound g(λ, μ) = −μ + Σ_k [λ_k m_k + 2√(λ_k d_k μ)] for λ ≥ 0, Σ λ = 1.
public struct DownlinkCertificate: Sendable, Equatable {
  /// The round length of the allocation, max_k m_k + d_k/y_k.
  public var roundLength: Double
  /// λ_k.
  public var deviceWeights: [Double]
  /// μ, seconds.
  public var slotPrice: Double
  /// g(λ, μ), a proven lower bound on T^D.
  public var dualBound: Double
  /// roundLength − dualBound ≥ 0.
  public var dualityGap: Double { roundLength - dualBound }
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
  public var uplink: UplinkCertificate
  /// The downlink certificate.
  public var downlink: DownlinkCertificate
  /// T^U_floor ≤ T^U(K): a lower bound on the uplink round length of any policy,
  /// checkable by Σ_k a_k/(T^U_floor − t_k(1)) ≥ 1.
  public var uplinkFloor: Double
  /// The efficiency attained by the allocation.
  public var efficiency: Double
  /// A proven upper bound on the efficiency of every feasible policy.
  public var efficiencyUpperBound: Double
  /// (upper bound − attained)/attained.
  public var relativeGap: Double { (efficiencyUpperBound - efficiency) / efficiency }
}

/// The result of checking a certificate against an allocation without the solver.
public struct VerificationReport: Sendable, Equatable, CustomStringConvertible {
  /// Largest violation of a constraint (slot budgets, batch sum, bounds), relative.
  public var feasibilityViolation: Double
  /// Round length (or efficiency) recomputed from the allocation.
  public var primal: Double
  /// The proven bound on ``primal``: a lower bound on the round length at a fixed B, an
  /// upper bound on the efficiency when B was optimized.
  public var bound: Double
  /// |primal − bound| / |primal|.
  public var relativeGap: Double
  /// Largest relative KKT stationarity residual |λ_k a_k/x_k² − μ|/μ over devices with
  /// λ_k > 0 (0 where not applicable).
  public var stationarityResidual: Double
  /// The tolerance the check used.
  public var tolerance: Double
  /// Every number is finite, the allocation is feasible and the gap is within tolerance.
  public var passed: Bool {
    feasibilityViolation.isFinite && relativeGap.isFinite && primal.isFinite && bound.isFinite
      && feasibilityViolation <= tolerance && relativeGap <= tolerance
  }

  /// One line: `certified` or `NOT certified`, then every number of the report.
  public var description: String {
    "\(passed ? "certified" : "NOT certified"): primal \(primal), bound \(bound), "
      + "relative gap \(relativeGap), feasibility violation \(feasibilityViolation), "
      + "stationarity residual \(stationarityResidual) (tolerance \(tolerance))"
  }
}
