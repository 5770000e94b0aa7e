/// How a policy allocates the TDMA slots of both frames.
public enum SlotAllocation: String, Sendable, Equatable, CaseIterable {
  /// Optimal for the policy's batches: uplink slots from ``FEELSolver/slotsFor(batches:)``
  /// (every device finishes its upload together), downlink slots from
  /// ``FEELSolver/downlink()`` (Theorem 2; the downlink does not depend on the batches).
  case optimal
  /// Equal slots: τ_k^U = T_f^U/K and τ_k^D = T_f^D/K for every device (Corollary 1, case A).
  case equal
}

/// A complete policy for one communication round (batches and both slot allocations),
/// evaluated with the latency model of the package.
///
/// Every number is computed by ``SystemData/latency(batches:uplinkFractions:downlinkFractions:)``
/// and ``SystemData/efficiency(globalBatch:roundSeconds:)`` from the allocation itself
/// (eqs. 9–16, and the two-piece GPU latency of eq. 27 with eq. 29), exactly as for the
/// optimal ``Solution``, so the efficiencies of the optimal policy and of every baseline
/// are comparable.
public struct EvaluatedPolicy: Sendable, Equatable {
  /// A short identifier of the policy (for example `full-batch`).
  public let name: String
  /// How the slots were allocated.
  public let slots: SlotAllocation
  /// The batches and both slot allocations (the same type as ``Solution/allocation``).
  public let allocation: Allocation
  /// The per-device latencies of the allocation.
  public let latency: RoundLatency
  /// B = Σ B_k.
  public let globalBatch: Double
  /// E = ΔL(B)/T (eq. 16).
  public let learningEfficiency: Double

  /// B_k.
  public var batches: [Double] { allocation.batches }
  /// x_k = τ_k^U/T_f^U.
  public var uplinkFractions: [Double] { allocation.uplinkFractions }
  /// y_k = τ_k^D/T_f^D.
  public var downlinkFractions: [Double] { allocation.downlinkFractions }
  /// T = uplinkSeconds + downlinkSeconds (eq. 15 / 29).
  public var roundSeconds: Double { latency.roundSeconds }
  /// max_k t_k^L + t_k^U.
  public var uplinkSeconds: Double { latency.uplinkSeconds }
  /// max_k t_k^D + t_k^M.
  public var downlinkSeconds: Double { latency.downlinkSeconds }

  /// Evaluates `allocation` for the system `data`.
  ///
  /// - Parameters:
  ///   - data: the compiled scenario.
  ///   - name: the policy's identifier.
  ///   - slots: how the allocation's fractions were chosen.
  ///   - allocation: one batch and one fraction of each frame per device (Σ x_k ≤ 1,
  ///     Σ y_k ≤ 1 for a feasible policy).
  /// - Complexity: O(K).
  public init(data: SystemData, name: String, slots: SlotAllocation, allocation: Allocation) {
    let latency = data.latency(allocation)
    let B = allocation.globalBatch
    self.name = name
    self.slots = slots
    self.allocation = allocation
    self.latency = latency
    self.globalBatch = B
    self.learningEfficiency = data.efficiency(globalBatch: B, roundSeconds: latency.roundSeconds)
  }

  /// Evaluates an allocation given as batches and slot fractions (with the frames of
  /// `data`).
  /// - Complexity: O(K).
  public init(
    data: SystemData, name: String, slots: SlotAllocation, batches: [Double],
    uplinkFractions: [Double], downlinkFractions: [Double]
  ) {
    self.init(
      data: data, name: name, slots: slots,
      allocation: data.allocation(
        batches: batches, uplinkFractions: uplinkFractions, downlinkFractions: downlinkFractions))
  }

  /// Evaluates `batches` with the slots of `slots`: optimal for these batches, or equal.
  ///
  /// - Complexity: O(K) per Newton step of the two harmonic roots (optimal), O(K) (equal).
  public init(solver: FEELSolver, name: String, slots: SlotAllocation, batches: [Double]) {
    let data = solver.data
    let x: [Double]
    let y: [Double]
    switch slots {
    case .optimal:
      x = solver.slotsFor(batches: batches).fractions
      y = solver.downlink().fractions
    case .equal:
      let share = 1 / Double(data.count)
      x = [Double](repeating: share, count: data.count)
      y = x
    }
    self.init(
      data: data, name: name, slots: slots, batches: batches, uplinkFractions: x,
      downlinkFractions: y)
  }

  /// The same numbers for the optimal ``Solution`` of ``FEELSolver``, named `optimal`.
  public init(data: SystemData, solution: Solution) {
    self.init(data: data, name: "optimal", slots: .optimal, allocation: solution.allocation)
  }

  /// τ_k^U in seconds.
  public var uplinkSlotSeconds: [Double] { allocation.uplinkSlotSeconds }

  /// τ_k^D in seconds.
  public var downlinkSlotSeconds: [Double] { allocation.downlinkSlotSeconds }
}
