// The bridge from FEEL's compiled system data to the reference solvers' raw instances.
//
// Independence: only FEEL's public DATA is read here (the per-device arrays of
// `SystemData`); no FEEL solver is called, so an agreement between the fast solver and a
// reference built from these instances is evidence, not an echo.
import FEEL

extension UplinkInstance {
  /// The uplink problem of `data` at global batch `globalBatch`, in the TRUE latency model
  /// (problem P6, which is P4 for CPU fleets and P7 for GPUs above their thresholds):
  ///
  ///     minimize T  s.t.  t_k(B_k) + a_k/x_k ≤ T,  Σ x_k ≤ 1,  Σ B_k = B,  1 ≤ B_k ≤ B^max,
  ///
  /// with `a_k = data.uplinkWork[k]` and `t_k` the true latency of eq. (9) / eq. (27):
  /// - CPU: one piece `(α_k, β_k) = (0, C/f_k)`;
  /// - GPU: the flat piece `(t_k^ℓ, 0)` with `t_k^ℓ = α_k + β_k·B_k^th` and the sloped
  ///   piece `(α_k, β_k) = (t_k^ℓ − c_k·B_k^th, c_k)`, whose maximum is the two-piece
  ///   latency, flat on the data-bound region `1 ≤ B_k < B_k^th`.
  ///
  /// Every device's lower bound is 1 (not the affine model's `ℓ_k`), so the instance is
  /// the one `FEELSolver.uplink(globalBatch:)` solves at any B in `K ... K·B^max`.
  ///
  /// - Throws: `ReferenceError` when the data are not a valid instance (for example
  ///   `globalBatch` outside `K ... K·B^max` or not finite).
  /// - Complexity: O(K).
  public init(_ data: SystemData, globalBatch: Double) throws(ReferenceError) {
    try self.init(
      a: data.uplinkWork, pieces: UplinkInstance.truePieces(data),
      lower: [Double](repeating: 1, count: data.count), upper: data.upper, total: globalBatch)
  }

  /// The pieces of every device's true latency in `data` (see ``init(_:globalBatch:)``).
  ///
  /// - Complexity: O(K).
  public static func truePieces(_ data: SystemData) -> [[LatencyPiece]] {
    (0..<data.count).map { k in
      let sloped = LatencyPiece(alpha: data.alpha[k], beta: data.beta[k])
      guard data.isGPU[k] else { return [sloped] }
      let flat = LatencyPiece(alpha: data.alpha[k] + data.beta[k] * data.lower[k], beta: 0)
      return [flat, sloped]
    }
  }
}

extension DownlinkInstance {
  /// The downlink problem P5 of `data`: minimize T s.t. `m_k + d_k/y_k ≤ T`, `Σ y_k ≤ 1`,
  /// with `d_k = data.downlinkWork[k]` and `m_k = data.updateSeconds[k]` (Theorem 2).
  ///
  /// - Throws: `ReferenceError` when the data are not a valid instance.
  /// - Complexity: O(K).
  public init(_ data: SystemData) throws(ReferenceError) {
    try self.init(d: data.downlinkWork, m: data.updateSeconds)
  }
}
