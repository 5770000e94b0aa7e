/// The bounds of the paper's Corollaries 1 and 2 (eqs. 23–24) and the paper's μ* read
/// back from an allocation, for checking those claims (Proofs/Corollary1.md,
/// Proofs/Corollary2.md).
///
/// Notation (Section IV): ΔL = ξ√B (in general ΔL(B) of the scenario's ``LossDecay``: at a
/// fixed B it is a constant that only rescales E = T/ΔL, so every bound holds under any
/// model), V_k = f_k^C/C, ρ_k = f_k^C/Σ_j f_j^C, a_k = s/R_k^U,
/// E^U = T^U/ΔL. For CPU fleets every formula below is the paper's, term by term. For GPU
/// and mixed fleets the same formulas are applied to the unified affine compute model
/// t_k = α_k + β_k·B_k on [ℓ_k, u_k] of ``SystemData`` (V_k = 1/β_k, ρ_k = V_k/Σ_j V_j,
/// ΔL·E − α_k in place of ΔL·E, ℓ_k and u_k in place of 1 and B^max); Corollary 1's upper
/// bound then uses the true latency of eq. (27) at B/K, so it is valid for P6 and P7.
///
/// The paper's μ is the scalar for which (22) reproduces the optimal batches. With
/// w_k = T − α_k − β_k·B_k (the upload time a_k/x_k of device k), (22) reads
/// w_k = √(ΔL·a_k·T_f^U·μ/ρ_k) for every device strictly inside its batch range, so
/// μ = κ_k·w_k² with κ_k = ρ_k/(ΔL·a_k·T_f^U). In the water-filling level ν of the exact
/// solver (w_k = √(a_k β_k/ν)) this is μ = 1/(ν·ΔL·T_f^U·Σ_j V_j) = C/(ν·ΔL·T_f^U·Σ_j f_j^C).
/// It equals the Lagrange multiplier of the slot budget (17b) in the paper's Lagrangian
/// (32) only when every device is interior (Proofs/Theorem1.md); that multiplier is
/// ``slotBudgetMultiplier(data:globalBatch:fractions:)``.
public enum Corollaries {
  /// Corollary 1 (eq. 23) in time units: T_ℓ ≤ T^U*(B) ≤ T_h, where T = ΔL·E^U.
  ///
  /// - T_ℓ = (B + Σ_k α_k V_k + (Σ_k √(a_k V_k))²)/Σ_k V_k, the optimum with the batch
  ///   bounds (17e) dropped (Appendix B, case B; for CPUs BC/Σf + s(Σ√(ρ_k/R_k))²);
  /// - T_h = max_k t_k(B/K) + K·a_k, equal batches and equal slots (case A, eq. 42).
  /// - Precondition: K ≤ B ≤ K·B^max (not checked; outside it the bounds mean nothing).
  /// - Complexity: O(K).
  public static func roundLengthBounds(
    data: SystemData, globalBatch B: Double
  )
    -> (lower: Double, upper: Double)
  {
    let K = Double(data.count)
    var sumV = 0.0
    var sumAlphaV = 0.0
    var sumRoot = 0.0
    var upper = -Double.infinity
    for k in 0..<data.count {
      let v = 1 / data.beta[k]
      sumV += v
      sumAlphaV += data.alpha[k] * v
      sumRoot += (data.uplinkWork[k] * v).squareRoot()
      let t = data.trueLatency(of: k, batch: B / K) + K * data.uplinkWork[k]
      upper = t.isNaN || upper.isNaN ? .nan : Swift.max(upper, t)
    }
    let lower = (B + sumAlphaV + sumRoot * sumRoot) / sumV
    return (lower, upper)
  }

  /// Corollary 1 (eq. 23) as printed: E_ℓ ≤ E^U* ≤ E_h, with E = T/(ξ√B).
  public static func uplinkBounds(
    data: SystemData, globalBatch B: Double
  )
    -> (lower: Double, upper: Double)
  {
    let dL = data.lossDecrease(globalBatch: B)
    let t = roundLengthBounds(data: data, globalBatch: B)
    return (t.lower / dL, t.upper / dL)
  }

  /// κ_k = ρ_k/(ΔL·a_k·T_f^U), the factor with μ = κ_k·w_k² (see the type's comment).
  package static func muScale(data: SystemData, globalBatch B: Double) -> [Double] {
    let dL = data.lossDecrease(globalBatch: B)
    let sumV = data.beta.reduce(0) { $0 + 1 / $1 }
    return (0..<data.count).map { k in
      (1 / data.beta[k]) / sumV / (dL * data.uplinkWork[k] * data.uplinkFrameSeconds)
    }
  }

  /// Corollary 2 (eq. 24) exactly as printed, evaluated at E^U = `uplinkReciprocal`:
  ///
  ///     μ_ℓ = min_k (ΔL V_k E − B^max)² ρ_k R_k/(ΔL s T_f V_k²),
  ///     μ_h = max_k (ΔL V_k E − 1)² ρ_k R_k/(ΔL s T_f V_k²).
  ///
  /// The paper claims μ_ℓ ≤ μ* ≤ μ_h when some device is interior. The upper bound holds,
  /// both for the scalar of eq. (22) (when some device is interior) and for the multiplier
  /// of (17b) (``slotBudgetMultiplier(data:globalBatch:fractions:)``, always). The lower
  /// bound can fail for both when every interior device j has ΔL·V_j·E^U* < B^max
  /// (Proofs/Corollary2.md; see ``correctedMultiplierBounds(data:globalBatch:uplinkReciprocal:)``).
  public static func multiplierBounds(
    data: SystemData, globalBatch B: Double, uplinkReciprocal E: Double
  ) -> (lower: Double, upper: Double) {
    bounds(data: data, globalBatch: B, uplinkReciprocal: E, positivePart: false)
  }

  /// Corollary 2 corrected: the same bounds with the base of the square in μ_ℓ replaced by
  /// its positive part, μ_ℓ = min_k κ_k·[ΔL V_k E − B^max]_+²/V_k². At E = E^U*(B),
  /// μ_ℓ ≤ μ ≤ μ_h holds for the multiplier of (17b)
  /// (``slotBudgetMultiplier(data:globalBatch:fractions:)``) at every optimum, and for the
  /// scalar of eq. (22) (``paperMultiplier(data:globalBatch:batches:fractions:roundLength:margin:)``)
  /// whenever some device is interior (Proofs/Corollary2.md).
  public static func correctedMultiplierBounds(
    data: SystemData, globalBatch B: Double, uplinkReciprocal E: Double
  ) -> (lower: Double, upper: Double) {
    bounds(data: data, globalBatch: B, uplinkReciprocal: E, positivePart: true)
  }

  private static func bounds(
    data: SystemData, globalBatch B: Double, uplinkReciprocal E: Double, positivePart: Bool
  ) -> (lower: Double, upper: Double) {
    let T = data.lossDecrease(globalBatch: B) * E
    let kappa = muScale(data: data, globalBatch: B)
    var lower = Double.infinity
    var upper = -Double.infinity
    for k in 0..<data.count {
      var top = T - data.alpha[k] - data.beta[k] * data.upper[k]
      if positivePart { top = Swift.max(top, 0) }
      let bottom = T - data.alpha[k] - data.beta[k] * data.lower[k]
      let lo = kappa[k] * top * top
      let hi = kappa[k] * bottom * bottom
      if lo.isNaN || hi.isNaN { return (.nan, .nan) }
      lower = Swift.min(lower, lo)
      upper = Swift.max(upper, hi)
    }
    return (lower, upper)
  }

  /// The Lagrange multiplier of the slot budget (17b) in the paper's Lagrangian (32) at an
  /// optimal allocation of P4, read from its slot fractions x_k = τ_k^U/T_f^U:
  ///
  ///     μ_(17b) = 1 / (ΔL·T_f^U·Σ_k x_k²/a_k),   a_k = s/R_k^U.
  ///
  /// Stationarity in τ_k gives λ_k·a_k/x_k² = ΔL·T_f^U·μ_(17b) for every device, and the
  /// multipliers of the deadlines sum to 1/ΔL (eq. 33), which fixes μ_(17b) uniquely —
  /// whether or not some device is interior. It equals the scalar of eq. (22)
  /// (``paperMultiplier(data:globalBatch:batches:fractions:roundLength:margin:)``) when every
  /// device is interior, and differs from it otherwise. Corollary 2's upper bound and its
  /// corrected lower bound (``correctedMultiplierBounds(data:globalBatch:uplinkReciprocal:)``)
  /// hold for it with no interior device required (Proofs/Corollary2.md).
  /// - Precondition: `fractions` are the slots of an optimum at `globalBatch` (for any
  ///   other allocation the value is not a multiplier). Not checked.
  /// - Complexity: O(K).
  public static func slotBudgetMultiplier(
    data: SystemData, globalBatch B: Double, fractions x: [Double]
  ) -> Double {
    let dL = data.lossDecayCoefficient * B.squareRoot()
    var sum = 0.0
    for k in 0..<data.count { sum += x[k] * x[k] / data.uplinkWork[k] }
    return 1 / (dL * data.uplinkFrameSeconds * sum)
  }

  /// The paper's μ* read back from an allocation (batches B_k, slot fractions x_k and
  /// round length T at global batch B).
  public struct PaperMultiplier: Sendable, Equatable {
    /// μ from the devices strictly inside their batch range (the median of κ_k·(a_k/x_k)²),
    /// or `nil` when every device sits at a bound.
    public let value: Double?
    /// Largest relative spread of κ_k·(a_k/x_k)² over the interior devices (0 for
    /// an exact optimum: every interior device gives the same μ).
    public let spread: Double
    /// The interval of μ for which (22) reproduces the clipped devices' batches:
    /// [max over devices at ℓ_k of κ_k(T − t_k(ℓ_k))², min over devices at u_k of
    /// κ_k[T − t_k(u_k)]_+²] (0 ... ∞ when no device is clipped).
    public let admissible: ClosedRange<Double>
    /// How many devices are interior.
    public let interiorCount: Int
  }

  /// Reads the paper's μ* from an allocation; a device is interior when its batch is
  /// more than `margin`·u_k away from both bounds (devices with ℓ_k = u_k are skipped).
  /// - Complexity: O(K log K).
  public static func paperMultiplier(
    data: SystemData, globalBatch B: Double, batches: [Double], fractions x: [Double],
    roundLength T: Double, margin: Double = 1e-9
  ) -> PaperMultiplier {
    let kappa = muScale(data: data, globalBatch: B)
    var interior = [Double]()
    var lo = 0.0
    var hi = Double.infinity
    for k in 0..<data.count {
      let tol = margin * data.upper[k]
      if data.lower[k] >= data.upper[k] {
        continue  // a GPU with B_k^th = B^max: its batch is fixed and says nothing of μ
      } else if batches[k] <= data.lower[k] + tol {
        let w = T - data.alpha[k] - data.beta[k] * data.lower[k]
        lo = Swift.max(lo, kappa[k] * w * w)
      } else if batches[k] >= data.upper[k] - tol {
        let w = Swift.max(T - data.alpha[k] - data.beta[k] * data.upper[k], 0)
        hi = Swift.min(hi, kappa[k] * w * w)
      } else {
        let w = data.uplinkWork[k] / x[k]
        interior.append(kappa[k] * w * w)
      }
    }
    interior.sort()
    let value: Double? = interior.isEmpty ? nil : interior[interior.count / 2]
    var spread = 0.0
    if let v = value, let first = interior.first, let last = interior.last {
      spread = Swift.max(abs(first - v), abs(last - v)) / v
    }
    let admissible = lo <= hi ? lo...hi : hi...lo
    return PaperMultiplier(
      value: value, spread: spread, admissible: admissible, interiorCount: interior.count)
  }
}
