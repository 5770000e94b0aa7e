/// The optimal policy of ``FEELSolver/optimize()`` next to the baselines of Section VI,
/// with the gain of the optimal policy over each (what `feel compare` prints).
public struct PolicyComparison: Sendable {
  /// One baseline with one slot allocation.
  public struct Row: Sendable, Equatable {
    /// The baseline.
    public internal(set) var baseline: Baseline
    /// Its evaluated policy (name, slots, batches, efficiency, round length).
    public internal(set) var policy: EvaluatedPolicy
    /// E*/E_baseline, the factor by which the optimal policy trains faster (≥ 1 up to
    /// rounding; +∞ when the baseline's efficiency is 0).
    public internal(set) var gain: Double
  }

  /// The optimal solution (P1 / P7).
  public internal(set) var optimal: Solution
  /// The optimal solution as an ``EvaluatedPolicy``, re-evaluated with the same code as
  /// the baselines.
  public internal(set) var optimalPolicy: EvaluatedPolicy
  /// Every baseline with every requested slot allocation, baselines in the given order,
  /// optimal slots before equal slots.
  public internal(set) var rows: [Row]

  /// Solves the scenario and evaluates `baselines` with every allocation in `slots`.
  ///
  /// - Parameters:
  ///   - solver: the scenario's solver.
  ///   - baselines: the baselines to compare (default: ``Baseline/standard(seed:fixedBatch:)``).
  ///   - slots: the slot allocations to evaluate each baseline with (default both).
  /// - Throws: as ``Baseline/batches(data:optimalGlobalBatch:)``.
  /// - Complexity: one ``FEELSolver/optimize()`` plus O(K) per Newton step per row.
  public init(
    solver: FEELSolver, baselines: [Baseline] = Baseline.standard(),
    slots: [SlotAllocation] = SlotAllocation.allCases
  ) throws {
    let solution = solver.optimize()
    let best = EvaluatedPolicy(data: solver.data, solution: solution)
    var rows: [Row] = []
    rows.reserveCapacity(baselines.count * slots.count)
    for baseline in baselines {
      for slot in slots {
        let policy = try baseline.evaluate(
          solver, slots: slot, optimalGlobalBatch: solution.globalBatch)
        let gain =
          policy.learningEfficiency > 0
          ? best.learningEfficiency / policy.learningEfficiency : .infinity
        rows.append(Row(baseline: baseline, policy: policy, gain: gain))
      }
    }
    self.optimal = solution
    self.optimalPolicy = best
    self.rows = rows
  }
}
