import CGLPK
import Foundation

/// Reference solvers built on GLPK's simplex and branch-and-cut, by Kelley's cutting-plane
/// outer approximation of the convex terms `a_k / x_k`.
///
/// The model (time rescaled internally so that the round length is of order 1):
///
///     minimize T   over T (free), B_k, x_k, z_k
///     s.t.  T − beta_kj·B_k − z_k ≥ alpha_kj       (every piece j of every device k)
///           Σ x_k ≤ 1,   Σ B_k = total,   lower_k ≤ B_k ≤ upper_k,
///           xlo_k ≤ x_k ≤ xhi_k ≤ 1,   z_k ≥ a_k / xhi_k,
///           z_k + (a_k / x0²)·x_k ≥ 2·a_k / x0     (tangent cuts of z ≥ a_k / x at x0).
///
/// `xlo_k = a_k / (U − t_k(lower_k))`, with `U` the round length of a feasible allocation,
/// and `xhi_k = a_k / (L − t_k(upper_k))` (or 1), with `L` the round length of the lower
/// bounds, hold at every optimum, so the bounds `xlo_k ≤ x_k ≤ xhi_k` remove no optimal
/// point, keep the LP bounded and confine the cuts to the relevant range. Every LP value is
/// a lower bound (an outer approximation of a convex program); the upper bound is the exact
/// round length of the LP point's batches with their optimal slots (bisection on `Σ a_k / (T − t_k(B_k)) = 1`), which is never worse than rescaling
/// the LP slots to `Σ x = 1`. Each iteration adds, for every device whose cut is violated,
/// the tangent at its LP slot (Kelley), and stops when `(upper − lower)/upper ≤ relativeGap`,
/// when no cut is violated, or when `maxCuts` cuts have been added.
///
/// GLPK is silenced per call (`msg_lev = GLP_MSG_OFF`), so nothing is printed from any thread.
/// Each problem object is private to one call, so calls may run concurrently.
public enum GLPKReference {
  /// Solves the uplink problem of `instance` (continuous batches).
  ///
  /// - Method: Kelley's cutting planes, each LP re-solved from the previous basis by the
  ///   dual simplex (`glp_simplex`, feasibility tolerances 1e-10, automatic scaling); on a
  ///   numerical failure or 20 000 iterations (cycling) it retries from the standard basis,
  ///   then with `glp_exact`.
  /// - Guarantee: `roundLength` is the exact round length of the returned feasible
  ///   allocation; `lowerBound` is the last LP value (valid up to GLPK's tolerances). On
  ///   return `relativeGap ≤ relativeGap` unless the cut budget ran out or the LP stalled
  ///   (30 LPs in a row improved neither bound); check `solution.relativeGap`.
  /// - Complexity: one LP per iteration, with `K·(pieces + 1) + 2` rows plus the cuts; in
  ///   practice tens of iterations for `relativeGap = 1e-9`.
  /// - Throws: `ReferenceError.solverFailed` if GLPK does not report an optimal LP.
  public static func uplink(
    _ instance: UplinkInstance, relativeGap: Double = 1e-9, maxCuts: Int = 5000
  ) throws(ReferenceError) -> ReferenceSolution {
    try CuttingPlane(instance: instance, integer: false)
      .run(relativeGap: relativeGap, maxCuts: maxCuts)
  }

  /// Solves the downlink problem of `instance`: the uplink model with flat latencies `m_k`
  /// and no batch variables. Same method, guarantee and complexity as `uplink`; `batches`
  /// is empty in the result.
  public static func downlink(
    _ instance: DownlinkInstance, relativeGap: Double = 1e-9, maxCuts: Int = 5000
  ) throws(ReferenceError) -> ReferenceSolution {
    var solution = try CuttingPlane(instance: instance.asUplink, integer: false)
      .run(relativeGap: relativeGap, maxCuts: maxCuts)
    solution.batches = []
    return solution
  }

  /// Solves the uplink problem with integer batches `B_k` (the bounds are rounded inwards
  /// and `total` must be an integer).
  ///
  /// - Method: the same cutting-plane model with `B_k` integer columns, each relaxation
  ///   solved to optimality by `glp_intopt` (`mip_gap = 0`, messages off) started from the
  ///   relaxation's optimal basis (`glp_simplex`), without the MIP presolver; if that fails,
  ///   `glp_intopt` again with the presolver on. (With the presolver on, `glp_intopt` was
  ///   seen to return points violating the newest cuts by a relative 5e-5.)
  ///   The loop stops at `relativeGap`, after `maxCuts` cuts, or when ten MIPs in a row
  ///   improve neither bound (GLPK's internal LP tolerances inside `glp_intopt` are 1e-7, so
  ///   the bound may stall: in 3000 random tests the final gap was at most 2.4e-7). The best allocation is then polished by unit
  ///   exchanges `B_i += 1, B_j −= 1` while the exact round length decreases.
  /// - Guarantee: `roundLength` is the exact round length of the returned integer
  ///   allocation, and `lowerBound` the last MIP value (a lower bound on the integer optimum
  ///   up to GLPK's tolerances). The polished allocation is exchange-optimal, hence optimal:
  ///   `B` is feasible for `T` iff `Σ a_k/(T − t_k(B_k)) ≤ 1`, a separable convex function
  ///   of `B`, and on `{Σ B = total}` with integer boxes a separable convex function that no
  ///   unit exchange decreases is at its minimum.
  /// - Complexity: one MIP per iteration, exponential in K in the worst case: meant for
  ///   small instances (K ≤ 6, batches of tens).
  /// - Throws: `ReferenceError.infeasibleTotal` if no integer allocation exists,
  ///   `ReferenceError.solverFailed` if GLPK does not report an optimal MIP.
  public static func integerUplink(
    _ instance: UplinkInstance, relativeGap: Double = 1e-9, maxCuts: Int = 5000
  ) throws(ReferenceError) -> ReferenceSolution {
    try CuttingPlane(instance: instance, integer: true)
      .run(relativeGap: relativeGap, maxCuts: maxCuts)
  }
}

/// Integer box and total of an instance (bounds rounded inwards), or nil if none exists.
func integerBounds(_ inst: UplinkInstance) -> (lower: [Double], upper: [Double], total: Double)? {
  let lower = inst.lower.map { ($0 - 1e-9 * max(1, abs($0))).rounded(.up) }
  let upper = inst.upper.map { ($0 + 1e-9 * max(1, abs($0))).rounded(.down) }
  let total = inst.total.rounded()
  guard abs(total - inst.total) <= 1e-9 * max(1, abs(total)) else { return nil }
  for k in 0..<inst.count where lower[k] > upper[k] { return nil }
  guard lower.reduce(0, +) <= total, total <= upper.reduce(0, +) else { return nil }
  return (lower, upper, total)
}

/// Moves `batches` into the box and onto `Σ B = total` (in whole units if `integer`).
func repairBatches(
  _ batches: [Double], lower: [Double], upper: [Double], total: Double, integer: Bool
) -> [Double] {
  var b = (0..<batches.count).map { k in
    min(upper[k], max(lower[k], integer ? batches[k].rounded() : batches[k]))
  }
  var residual = total - b.reduce(0, +)
  for k in 0..<b.count where residual != 0 {
    let step = residual > 0 ? min(residual, upper[k] - b[k]) : max(residual, lower[k] - b[k])
    b[k] += step
    residual -= step
  }
  return b
}

/// A feasible starting allocation: the same fraction of every box (whole units if `integer`).
func startingBatches(lower: [Double], upper: [Double], total: Double, integer: Bool) -> [Double] {
  let low = lower.reduce(0, +)
  let high = upper.reduce(0, +)
  let theta = high > low ? min(1, max(0, (total - low) / (high - low))) : 0
  let b = (0..<lower.count).map { lower[$0] + theta * (upper[$0] - lower[$0]) }
  return repairBatches(b, lower: lower, upper: upper, total: total, integer: integer)
}

private struct CuttingPlane {
  let instance: UplinkInstance
  let integer: Bool

  func run(relativeGap: Double, maxCuts: Int) throws(ReferenceError) -> ReferenceSolution {
    let inst = instance
    let count = inst.count
    var lower = inst.lower
    var upper = inst.upper
    var total = inst.total
    if integer {
      guard let bounds = integerBounds(inst) else { throw .infeasibleTotal }
      (lower, upper, total) = bounds
    }
    var bestBatches = startingBatches(
      lower: lower, upper: upper, total: total, integer: integer)
    var best = inst.roundLength(batches: bestBatches)
    let scale = max(abs(best.roundLength), inst.a.max()!)

    guard let lp = glp_create_prob() else { throw .solverFailed("glp_create_prob", code: 0) }
    defer { glp_delete_prob(lp) }
    glp_set_obj_dir(lp, GLP_MIN)
    // Columns: T, B_1..B_K, x_1..x_K, z_1..z_K (1-based).
    let colT: Int32 = 1
    func colB(_ k: Int) -> Int32 { Int32(2 + k) }
    func colX(_ k: Int) -> Int32 { Int32(2 + count + k) }
    func colZ(_ k: Int) -> Int32 { Int32(2 + 2 * count + k) }
    glp_add_cols(lp, Int32(1 + 3 * count))
    glp_set_col_bnds(lp, colT, GLP_FR, 0, 0)
    glp_set_obj_coef(lp, colT, 1)
    let aScaled = inst.a.map { $0 / scale }
    // Valid slot ranges: x_k = a_k/(T* − t_k(B_k)) with L ≤ T* ≤ U, where U is the feasible
    // start and L the round length with every batch at its lower bound (t_k is nondecreasing).
    let floorRound = RootOfSum.solve(
      numerators: inst.a, offsets: (0..<count).map { inst.latency($0, lower[$0]) })
    var xLow = [Double](repeating: 0, count: count)
    var xHigh = [Double](repeating: 1, count: count)
    for k in 0..<count {
      if upper[k] > lower[k] {
        glp_set_col_bnds(lp, colB(k), GLP_DB, lower[k], upper[k])
      } else {
        glp_set_col_bnds(lp, colB(k), GLP_FX, lower[k], lower[k])
      }
      if integer { glp_set_col_kind(lp, colB(k), GLP_IV) }
      xLow[k] = min(1, inst.a[k] / (best.roundLength - inst.latency(k, lower[k])))
      let room = floorRound - inst.latency(k, upper[k])
      if room > 0 { xHigh[k] = max(xLow[k], min(1, inst.a[k] / room)) }
      // Bounds a few ulps apart (K = 1, or a total at an end) are fixed: GLPK aborts
      // (`Assertion failed: l[k] != u[k]`) on a double-bounded column whose bounds
      // coincide after its scaling.
      if xHigh[k] - xLow[k] > 1e-12 * xHigh[k] {
        glp_set_col_bnds(lp, colX(k), GLP_DB, xLow[k], xHigh[k])
      } else {
        glp_set_col_bnds(lp, colX(k), GLP_FX, xLow[k], xLow[k])
      }
      glp_set_col_bnds(lp, colZ(k), GLP_LO, aScaled[k] / xHigh[k], 0)
    }
    func addRow(_ columns: [Int32], _ values: [Double], type: Int32, bound: Double) {
      let row = glp_add_rows(lp, 1)
      glp_set_row_bnds(lp, row, type, bound, bound)
      let ind: [Int32] = [0] + columns
      let val: [Double] = [0] + values
      glp_set_mat_row(lp, row, Int32(columns.count), ind, val)
    }
    for k in 0..<count {
      for piece in inst.pieces[k] {
        addRow(
          [colT, colB(k), colZ(k)], [1, -piece.beta / scale, -1], type: GLP_LO,
          bound: piece.alpha / scale)
      }
    }
    addRow((0..<count).map(colX), Array(repeating: 1, count: count), type: GLP_UP, bound: 1)
    addRow((0..<count).map(colB), Array(repeating: 1, count: count), type: GLP_FX, bound: total)
    func addCut(_ k: Int, at x0: Double) {
      addRow(
        [colZ(k), colX(k)], [1, aScaled[k] / (x0 * x0)], type: GLP_LO,
        bound: 2 * aScaled[k] / x0)
    }
    for k in 0..<count {
      var points = [xHigh[k], xLow[k], min(xHigh[k], max(xLow[k], 1 / Double(count)))]
      for i in 1..<6 { points.append(xLow[k] * pow(xHigh[k] / xLow[k], Double(i) / 6)) }
      points.sort()
      var previous = -1.0
      for p in points where p > previous * (1 + 1e-9) {
        addCut(k, at: p)
        previous = p
      }
    }

    var smcp = glp_smcp()
    glp_init_smcp(&smcp)
    smcp.msg_lev = GLP_MSG_OFF
    smcp.meth = GLP_DUALP
    smcp.tol_bnd = 1e-10
    smcp.tol_dj = 1e-10
    smcp.it_lim = 20_000
    var iocp = glp_iocp()
    glp_init_iocp(&iocp)
    iocp.msg_lev = GLP_MSG_OFF
    iocp.presolve = GLP_OFF
    iocp.mip_gap = 0
    iocp.tol_int = 1e-9
    iocp.tol_obj = 1e-12
    iocp.tm_lim = 60_000  // a guard: small instances take milliseconds

    var lowerBound = -Double.infinity
    var progressMark = (lower: -Double.infinity, upper: Double.infinity)
    var stalled = 0
    var cuts = 0
    var iterations = 0
    while true {
      iterations += 1
      // glp_scale_prob reports through the terminal hook, which only `glp_term_out` silences;
      // that switch is per thread, and this synchronous code stays on one thread.
      let terminal = glp_term_out(GLP_OFF)
      glp_scale_prob(lp, GLP_SF_AUTO)
      glp_term_out(terminal)
      let objective: Double
      var point = [Double](repeating: 0, count: 1 + 3 * count)
      /// Solves the LP relaxation: warm dual simplex; on numerical trouble (badly scaled
      /// cuts, or cycling caught by the iteration limit) the standard basis, then GLPK's
      /// rational-arithmetic simplex, which is exact on the stored data.
      func solveRelaxation() throws(ReferenceError) {
        var rc = glp_simplex(lp, &smcp)
        if rc != 0 || glp_get_status(lp) != GLP_OPT {
          glp_std_basis(lp)
          rc = glp_simplex(lp, &smcp)
          if rc != 0 || glp_get_status(lp) != GLP_OPT {
            rc = glp_exact(lp, &smcp)
          }
        }
        let status = glp_get_status(lp)
        guard rc == 0, status == GLP_OPT else {
          throw .solverFailed("glp_simplex", code: Int(rc != 0 ? rc : status))
        }
      }
      if integer {
        // The relaxation by the simplex first, then branch-and-cut from its basis without
        // the MIP presolver: with the presolver on, glp_intopt was seen to return points
        // violating fresh cut rows by a relative 5e-5 (the bound then stalls).
        try solveRelaxation()
        var rc = glp_intopt(lp, &iocp)
        if rc != 0 || glp_mip_status(lp) != GLP_OPT {
          var presolved = iocp
          presolved.presolve = GLP_ON
          rc = glp_intopt(lp, &presolved)
        }
        let status = glp_mip_status(lp)
        guard rc == 0, status == GLP_OPT else {
          throw .solverFailed("glp_intopt", code: Int(rc != 0 ? rc : status))
        }
        objective = glp_mip_obj_val(lp)
        for j in 0..<point.count { point[j] = glp_mip_col_val(lp, Int32(j + 1)) }
      } else {
        try solveRelaxation()
        objective = glp_get_obj_val(lp)
        for j in 0..<point.count { point[j] = glp_get_col_prim(lp, Int32(j + 1)) }
      }
      lowerBound = max(lowerBound, objective * scale)
      let batches = repairBatches(
        (0..<count).map { point[Int(colB($0)) - 1] }, lower: lower, upper: upper,
        total: total, integer: integer)
      let candidate = inst.roundLength(batches: batches)
      if candidate.roundLength < best.roundLength {
        best = candidate
        bestBatches = batches
      }
      let gap = (best.roundLength - lowerBound) / abs(best.roundLength)
      if gap <= relativeGap || cuts >= maxCuts { break }
      // GLPK's internal tolerances (fixed at 1e-7 inside glp_intopt) end the progress of the
      // bounds: stop after 10 MIPs (30 LPs) in which neither bound gains a relative 1e-13.
      // Kelley's bounds may stay flat for several LPs while cuts accumulate on a device
      // whose round constraint is slack, hence the longer patience for LPs.
      let progress = (lowerBound - progressMark.lower) - (best.roundLength - progressMark.upper)
      if progress > 1e-13 * abs(best.roundLength) {
        progressMark = (lowerBound, best.roundLength)
        stalled = 0
      } else {
        stalled += 1
        if stalled >= (integer ? 10 : 30) { break }
      }
      var added = 0
      let tolerance = 0.01 * relativeGap * max(abs(objective), 1e-300)
      for k in 0..<count {
        let x = min(xHigh[k], max(point[Int(colX(k)) - 1], xLow[k]))
        let z = point[Int(colZ(k)) - 1]
        if aScaled[k] / x - z > tolerance {
          addCut(k, at: x)
          added += 1
        }
      }
      if added == 0 { break }
      cuts += added
    }
    if integer {
      (best, bestBatches) = exchangePolish(
        best, bestBatches, lower: lower, upper: upper)
    }
    return ReferenceSolution(
      roundLength: best.roundLength, lowerBound: min(lowerBound, best.roundLength),
      batches: bestBatches, slots: best.slots, iterations: iterations)
  }

  /// Moves one unit from one device to another while that shortens the round; stops at an
  /// exchange-optimal allocation, which is globally optimal (see `integerUplink`).
  func exchangePolish(
    _ start: (roundLength: Double, slots: [Double]), _ batches: [Double], lower: [Double],
    upper: [Double]
  ) -> ((roundLength: Double, slots: [Double]), [Double]) {
    var best = start
    var bestBatches = batches
    var improved = true
    while improved {
      improved = false
      let current = bestBatches
      for i in 0..<current.count where current[i] + 1 <= upper[i] {
        for j in 0..<current.count where j != i && current[j] - 1 >= lower[j] {
          var trial = current
          trial[i] += 1
          trial[j] -= 1
          let value = instance.roundLength(batches: trial)
          if value.roundLength < best.roundLength {
            best = value
            bestBatches = trial
            improved = true
          }
        }
      }
    }
    return (best, bestBatches)
  }
}
