import CLAPACK
import Foundation

/// Reference solvers built on LAPACK: a log-barrier interior-point method whose Newton
/// systems are solved by `LAPACKE_dgesv`, and a least-squares fit by `LAPACKE_dgels`.
public enum LAPACKReference {
  /// Solves the uplink problem of `instance` by a primal log-barrier method.
  ///
  /// - Problem: minimize `T` s.t. `x_k·(T − alpha_kj − beta_kj·B_k) ≥ a_k` for every piece,
  ///   `Σ x_k ≤ 1`, `Σ B_k = total`, `lower_k ≤ B_k ≤ upper_k` (time and batch rescaled to
  ///   order 1 internally). Writing the coupling constraint as `x·s ≥ a` makes its barrier
  ///   `−log(x·s − a)` the restriction of the rotated second-order cone barrier to an affine
  ///   set, hence self-concordant with parameter 2; the total parameter is
  ///   `ϑ = 2·Σ pieces + 1 + 2·(free boxes)`.
  /// - Method: for `t = ϑ/T₀, 10·t, …`, minimize `t·T + barrier` by damped Newton steps
  ///   (step `1/(1+λ)` while the Newton decrement `λ > 1/4`, then full steps, until
  ///   `λ ≤ 1e-8` or, below 1/4, it stops halving: the rounding floor). Each step solves the KKT system `[H Aᵀ; A 0]` of size `2K + 2`, with `A` the
  ///   row of `Σ B_k = total`, by `LAPACKE_dgesv`; the start satisfies the equality and each
  ///   step's equality row `A·Δ = total − A·v` removes the rounding drift, so the equality
  ///   holds throughout to rounding.
  ///   Boxes of zero width, or a total at `Σ lower` or `Σ upper`, fix the batches.
  /// - Guarantee: `roundLength` is the exact round length of the final batches with their
  ///   optimal slots (bisection), `lowerBound = T − (ϑ + (λ + √ϑ)·λ/(1 − λ))/t`, the
  ///   self-concordant duality bound; it stops when this bound is within a relative 1e-11,
  ///   or, if centering stalls at the rounding floor (more than 100 Newton steps), returns
  ///   the previous centered point and its bound (then about a relative 1e-10).
  ///   The KKT matrix is scaled symmetrically to a unit Hessian diagonal before `dgesv`.
  /// - Complexity: O(log(1/ε)) outer steps, a few Newton steps each, O(K³) per step.
  /// - Throws: `ReferenceError.solverFailed` if `dgesv` reports a singular system or the
  ///   Newton iteration stalls.
  public static func uplink(
    _ instance: UplinkInstance
  ) throws(ReferenceError)
    -> ReferenceSolution
  {
    try Barrier(instance: instance).run()
  }

  /// Solves the downlink problem of `instance` with the same barrier machinery (flat
  /// latencies `m_k`, no batch variables). Same guarantee and complexity as `uplink`;
  /// `batches` is empty in the result.
  public static func downlink(
    _ instance: DownlinkInstance
  ) throws(ReferenceError)
    -> ReferenceSolution
  {
    var solution = try Barrier(instance: instance.asUplink).run()
    solution.batches = []
    return solution
  }

  /// Fits the two-piece GPU latency model `latency = base + perSample·max(0, B − th)`.
  ///
  /// - Method: for every integer threshold `th` in `[1, floor(max batch)]`, the least-squares
  ///   fit of `(base, perSample)` by `LAPACKE_dgels` (QR); a threshold at or above every
  ///   batch leaves the constant model (`perSample = 0`, `base` = mean). Returns the
  ///   threshold with the smallest residual sum of squares (the smallest such threshold on
  ///   ties).
  /// - Guarantee: the global least-squares optimum over integer thresholds.
  /// - Complexity: O(maxBatch·n) for n samples.
  /// - Throws: `ReferenceError` for fewer than two samples, mismatched lengths, non-finite
  ///   values, a maximum batch below 1, or a `dgels` failure.
  public static func fitTwoPiece(
    batches: [Double], latencies: [Double]
  ) throws(ReferenceError)
    -> (
      baseSeconds: Double, secondsPerSample: Double, thresholdBatch: Int,
      residualSumOfSquares: Double
    )
  {
    let n = batches.count
    guard n >= 2 else { throw .empty }
    guard latencies.count == n else {
      throw .mismatchedLengths("latencies", expected: n, actual: latencies.count)
    }
    for i in 0..<n {
      guard batches[i].isFinite else { throw .nonFinite("batches", index: i) }
      guard latencies[i].isFinite else { throw .nonFinite("latencies", index: i) }
    }
    let maxBatch = batches.max()!
    guard maxBatch >= 1, maxBatch < Double(Int32.max) else {
      throw .unsupported("the largest batch must lie in [1, 2^31)")
    }
    func rss(_ base: Double, _ slope: Double, _ th: Double) -> Double {
      var sum = 0.0
      for i in 0..<n {
        let r = latencies[i] - base - slope * max(0, batches[i] - th)
        sum += r * r
      }
      return sum
    }
    let mean = latencies.reduce(0, +) / Double(n)
    var best = (base: mean, slope: 0.0, th: 1, rss: Double.infinity)
    for th in 1...Int(maxBatch) {
      let excess = batches.map { max(0, $0 - Double(th)) }
      var base = mean
      var slope = 0.0
      if excess.max()! - excess.min()! > 1e-12 * max(1, excess.max()!) {
        var matrix = [Double](repeating: 1, count: 2 * n)  // column-major n×2: [1 | excess]
        for i in 0..<n { matrix[n + i] = excess[i] }
        var rhs = latencies
        let info = LAPACKE_dgels(
          LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), Int32(n), 2, 1, &matrix, Int32(n),
          &rhs, Int32(n))
        guard info == 0 else { throw .solverFailed("LAPACKE_dgels", code: Int(info)) }
        base = rhs[0]
        slope = rhs[1]
      }
      let value = rss(base, slope, Double(th))
      if value < best.rss { best = (base, slope, th, value) }
    }
    return (best.base, best.slope, best.th, best.rss)
  }

  /// Solves the square system `matrix · x = rhs` (column-major, n×n) by `LAPACKE_dgesv`.
  ///
  /// - Complexity: O(n³). - Throws: `ReferenceError.solverFailed` on a singular matrix or
  ///   bad dimensions.
  public static func solve(matrix: [Double], rhs: [Double]) throws(ReferenceError) -> [Double] {
    let n = rhs.count
    guard n > 0, matrix.count == n * n else {
      throw .mismatchedLengths("matrix", expected: n * n, actual: matrix.count)
    }
    var a = matrix
    var b = rhs
    var pivots = [Int32](repeating: 0, count: n)
    let info = LAPACKE_dgesv(LAPACK_COL_MAJOR, Int32(n), 1, &a, Int32(n), &pivots, &b, Int32(n))
    guard info == 0 else { throw .solverFailed("LAPACKE_dgesv", code: Int(info)) }
    return b
  }
}

private struct Barrier {
  let instance: UplinkInstance

  func run() throws(ReferenceError) -> ReferenceSolution {
    let inst = instance
    let count = inst.count
    // Which batches are free, and a strictly interior start.
    var batches = startingBatches(
      lower: inst.lower, upper: inst.upper, total: inst.total, integer: false)
    var free = (0..<count).map {
      inst.upper[$0] - inst.lower[$0] > 1e-12 * max(1, abs(inst.upper[$0]))
    }
    let freeCount = free.filter { $0 }.count
    let freeLow = (0..<count).filter { free[$0] }.map { inst.lower[$0] }.reduce(0, +)
    let freeHigh = (0..<count).filter { free[$0] }.map { inst.upper[$0] }.reduce(0, +)
    let fixedSum = (0..<count).filter { !free[$0] }.map { batches[$0] }.reduce(0, +)
    let freeTotal = inst.total - fixedSum
    let eps = 1e-12 * max(1, abs(inst.total), abs(freeHigh))
    if freeCount <= 1 || freeTotal <= freeLow + eps || freeTotal >= freeHigh - eps {
      free = Array(repeating: false, count: count)
    }
    let start = inst.roundLength(batches: batches)
    let tau = max(abs(start.roundLength), inst.a.max()!)
    let sigma = max(1, abs(inst.total), inst.upper.map(abs).max()!)
    let a = inst.a.map { $0 / tau }
    let pieces = inst.pieces.map { $0.map { (alpha: $0.alpha / tau, beta: $0.beta * sigma / tau) } }
    let lower = inst.lower.map { $0 / sigma }
    let upper = inst.upper.map { $0 / sigma }

    // Variables: 0 = T, 1 + k = B_k, 1 + K + k = x_k; the multiplier of Σ B is last.
    let n = 1 + 2 * count
    let hasEquality = free.contains(true)
    let size = n + (hasEquality ? 1 : 0)
    var v = [Double](repeating: 0, count: n)
    var margin = 0.0
    for k in 0..<count {
      v[1 + k] = batches[k] / sigma
      let slack = start.roundLength - inst.latency(k, batches[k])
      v[1 + count + k] = 0.9 * inst.a[k] / slack
      margin = max(margin, slack)
    }
    v[0] = (start.roundLength + 0.2 * margin) / tau
    let theta = Double(2 * pieces.map(\.count).reduce(0, +) + 1 + 2 * free.filter { $0 }.count)

    func inDomain(_ w: [Double]) -> Bool {
      var sumX = 0.0
      for k in 0..<count {
        let x = w[1 + count + k]
        guard x > 0 else { return false }
        sumX += x
        for p in pieces[k] {
          let s = w[0] - p.alpha - p.beta * w[1 + k]
          guard s > 0, x * s - a[k] > 0 else { return false }
        }
        if free[k] { guard w[1 + k] > lower[k], w[1 + k] < upper[k] else { return false } }
      }
      return sumX < 1
    }
    guard inDomain(v) else { throw .solverFailed("barrier start", code: 0) }

    var t = theta / max(v[0], 1e-3)
    var steps = 0
    var lambda = 0.0
    var lastCentered: (v: [Double], lambda: Double, t: Double)?
    outer: while true {
      // Centering by damped Newton.
      var inner = 0
      var previous = Double.infinity
      while true {
        inner += 1
        steps += 1
        if inner > 100 {
          // Centering stalls at the rounding floor: keep the last centered point.
          guard let centered = lastCentered else {
            throw .solverFailed("barrier Newton stall", code: steps)
          }
          (v, lambda, t) = centered
          break outer
        }
        var g = [Double](repeating: 0, count: n)
        var h = [Double](repeating: 0, count: size * size)  // column-major
        func add(_ i: Int, _ j: Int, _ value: Double) { h[i + j * size] += value }
        g[0] = t
        var sumX = 0.0
        for k in 0..<count {
          let iB = 1 + k
          let iX = 1 + count + k
          let x = v[iX]
          sumX += x
          for p in pieces[k] {
            let s = v[0] - p.alpha - p.beta * v[iB]
            let q = x * s - a[k]
            let grad = [(0, x), (iB, -p.beta * x), (iX, s)]
            for (i, gi) in grad {
              g[i] -= gi / q
              for (j, gj) in grad { add(i, j, gi * gj / (q * q)) }
            }
            // −∇²q / q: ∂²q/∂T∂x = 1, ∂²q/∂B∂x = −beta.
            add(0, iX, -1 / q)
            add(iX, 0, -1 / q)
            add(iB, iX, p.beta / q)
            add(iX, iB, p.beta / q)
          }
          if free[k] {
            let dl = v[iB] - lower[k]
            let du = upper[k] - v[iB]
            g[iB] += -1 / dl + 1 / du
            add(iB, iB, 1 / (dl * dl) + 1 / (du * du))
          }
        }
        let r = 1 - sumX
        for k in 0..<count {
          g[1 + count + k] += 1 / r
          for j in 0..<count { add(1 + count + k, 1 + count + j, 1 / (r * r)) }
        }
        for k in 0..<count where !free[k] {
          // Fixed batch: pin its step to zero.
          let i = 1 + k
          for j in 0..<size {
            h[i + j * size] = 0
            h[j + i * size] = 0
          }
          h[i + i * size] = 1
          g[i] = 0
        }
        if hasEquality {
          for k in 0..<count where free[k] {
            h[n + (1 + k) * size] = 1
            h[(1 + k) + n * size] = 1
          }
        }
        var rhs = g.map { -$0 }
        if hasEquality {
          // Σ B = total: the residual (rounding drift) is corrected by the step itself.
          var residual = freeTotal / sigma
          for k in 0..<count where free[k] { residual -= v[1 + k] }
          rhs.append(residual)
        }
        // Symmetric diagonal scaling D·K·D (unit Hessian diagonal) before dgesv: the barrier
        // Hessian's diagonal spans many decades at large t.
        var scaling = (0..<n).map { 1 / sqrt(max(abs(h[$0 + $0 * size]), 1e-300)) }
        if hasEquality {
          scaling.append(1 / ((0..<count).filter { free[$0] }.map { scaling[1 + $0] }.max() ?? 1))
        }
        for j in 0..<size {
          for i in 0..<size { h[i + j * size] *= scaling[i] * scaling[j] }
          rhs[j] *= scaling[j]
        }
        let solution = try LAPACKReference.solve(matrix: h, rhs: rhs)
        let step = (0..<n).map { solution[$0] * scaling[$0] }
        var decrement = 0.0
        for i in 0..<n { decrement -= g[i] * step[i] }
        lambda = sqrt(max(0, decrement))
        var length = lambda > 0.25 ? 1 / (1 + lambda) : 1
        var trial = v
        for _ in 0..<60 {
          for i in 0..<n { trial[i] = v[i] + length * step[i] }
          if inDomain(trial) { break }
          length /= 2
        }
        guard inDomain(trial) else { throw .solverFailed("barrier line search", code: steps) }
        v = trial
        // Quadratic convergence ends at the rounding floor (at large t, slacks near 1/t
        // are resolved only to ulp(T)·t): stop at 1e-8, or once the decrement is in the
        // quadratic region (below 1/4) and stops halving.
        if lambda <= 1e-8 || (lambda < 0.25 && lambda > 0.5 * previous) { break }
        previous = lambda
      }
      let bound = (theta + (lambda + sqrt(theta)) * lambda / (1 - lambda)) / t
      if bound <= 1e-11 * abs(v[0]) || bound <= 1e-300 { break }
      lastCentered = (v, lambda, t)
      t *= 10
    }
    let bound = (theta + (lambda + sqrt(theta)) * lambda / (1 - lambda)) / t
    batches = repairBatches(
      (0..<count).map { free[$0] ? v[1 + $0] * sigma : batches[$0] }, lower: inst.lower,
      upper: inst.upper, total: inst.total, integer: false)
    let exact = inst.roundLength(batches: batches)
    return ReferenceSolution(
      roundLength: exact.roundLength, lowerBound: min(exact.roundLength, (v[0] - bound) * tau),
      batches: batches, slots: exact.slots, iterations: steps)
  }
}
