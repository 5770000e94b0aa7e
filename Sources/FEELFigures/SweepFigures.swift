import FEEL
import FEELStudies
import Foundation

/// The pictures of `feel sweep --svg-dir`, as SVG documents.
public enum SweepFigures {
  /// Remark 2, batch size against uplink rate: the uplink rate of one device is scaled
  /// by `factors` (the others fixed) and the problem re-solved; the curves show that
  /// device's optimal B_k against its R_k^U, with the global batch optimized (P1) and
  /// with it held at the base optimum B* (P2).
  ///
  /// - Throws: ``InfeasibleRequest`` for a bad device index.
  public static func batchAgainstRate(
    _ scenario: Scenario, device j: Int, factors: [Double]
  ) throws -> String {
    guard (0..<scenario.deviceCount).contains(j) else {
      throw InfeasibleRequest(
        field: "device", reason: "must be in 0...\(scenario.deviceCount - 1) (got \(j))")
    }
    let base = try FEELSolver(scenario).optimize()
    let B = base.globalBatch
    let runs = ParallelMap.run(count: factors.count) { i in
      let s = try SweepParameter.uplink.apply(factors[i], to: scenario, device: j)
      let solver = try FEELSolver(s)
      let rate = s.rates(of: j).uplink
      let free = solver.optimize().batches[j]
      let fixed = try solver.solve(globalBatch: B).batches[j]
      return (rate, free, fixed)
    }
    let points = try runs.map { try $0.get() }
    var chart = SVGChart(
      title: "Batch size against uplink rate (Remark 2)",
      subtitle: "device \(j)'s uplink rate scaled, every other device fixed",
      xLabel: "uplink rate R^U of device \(j) (Mbit/s)", yLabel: "optimal batch B_\(j)")
    chart.xLog = true
    chart.yFromZero = true
    chart.series = [
      .init(
        name: "global batch optimized (P1)", points: points.map { ($0.0 / 1e6, $0.1) },
        color: SVG.palette[0]),
      .init(
        name: "global batch fixed at B* = \(SVGAxis.label(B.rounded()))",
        points: points.map { ($0.0 / 1e6, $0.2) }, color: SVG.palette[1], dashed: true),
    ]
    let r0 = scenario.rates(of: j).uplink
    chart.marks = [.init(x: r0 / 1e6, y: base.batches[j], label: "scenario")]
    return chart.render()
  }

  /// ΔL(B) as written in a subtitle: ξ√B for the paper's model, else the formula.
  static func numerator(_ model: LossDecay) -> String {
    switch model {
    case .sqrt: "ξ√B"
    case .power(let c, let a): "\(c)·B^\(a)"
    case .saturating(let l, let n): "\(l)·B/(B + \(n))"
    }
  }

  /// The learning efficiency against the global batch, E(B) = ΔL(B)/(T^U(B) + T^D)
  /// (eq. 16 with P2 + P3 solved at each B) for `samples` values of B over K ... K·B^max,
  /// with the optimum of P1 marked: the quasi-concave curve.
  public static func efficiencyAgainstBatch(
    _ scenario: Scenario, samples: Int = 240
  ) throws
    -> String
  {
    let solver = try FEELSolver(scenario)
    let best = solver.optimize()
    let range = solver.globalBatchRange
    let n = Swift.max(2, samples)
    var grid = (0..<n).map {
      range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(n - 1)
    }
    grid.append(best.globalBatch)
    grid.sort()
    let batches = grid
    let runs = ParallelMap.run(count: batches.count) { i in
      try solver.solve(globalBatch: batches[i]).learningEfficiency
    }
    let values = try runs.map { try $0.get() }
    var chart = SVGChart(
      title: "Learning efficiency against the global batch",
      subtitle:
        "E(B) = \(Self.numerator(scenario.lossDecay)) / (T^U(B) + T^D), K = \(scenario.deviceCount), B^max = \(scenario.maxBatch)",
      xLabel: "global batch B (samples per round)", yLabel: "learning efficiency E")
    chart.yFromZero = true
    chart.series = [
      .init(name: "E(B)", points: zip(grid, values).map { ($0, $1) }, color: SVG.palette[0])
    ]
    chart.marks = [
      .init(
        x: best.globalBatch, y: best.learningEfficiency,
        label: String(
          format: "optimum B* = %.1f, E* = %.4g", best.globalBatch, best.learningEfficiency))
    ]
    return chart.render()
  }

  /// The per-device allocation at the optimum: bars of B_k, τ_k^U and τ_k^D.
  public static func allocation(_ scenario: Scenario) throws -> String {
    let s = try FEELSolver(scenario).optimize()
    let chart = SVGBarChart(
      title: "Per-device allocation at the optimum",
      subtitle: String(
        format: "B* = %.1f, T = %.3f s, E* = %.4g", s.globalBatch, s.roundSeconds,
        s.learningEfficiency),
      categories: (0..<scenario.deviceCount).map { "\($0)" }, xLabel: "device k",
      panels: [
        .init(label: "batch B_k", values: s.batches, color: SVG.palette[0]),
        .init(
          label: "uplink slot τ^U_k (ms)", values: s.uplinkSlotSeconds.map { $0 * 1e3 },
          color: SVG.palette[1]),
        .init(
          label: "downlink slot τ^D_k (ms)", values: s.downlinkSlotSeconds.map { $0 * 1e3 },
          color: SVG.palette[2]),
      ])
    return chart.render()
  }

  /// The sweep itself: the optimal efficiency (left) or global batch against the
  /// parameter value.
  public static func sweep(
    _ points: [SweepPoint], parameter: SweepParameter, log: Bool, globalBatch: Bool
  ) -> String {
    var chart = SVGChart(
      title: globalBatch ? "Optimal global batch" : "Optimal learning efficiency",
      subtitle: "as \(parameter.label) varies", xLabel: parameter.label,
      yLabel: globalBatch ? "global batch B*" : "learning efficiency E*")
    chart.xLog = log
    chart.yFromZero = true
    chart.series = [
      .init(
        name: globalBatch ? "B*" : "E*",
        points: points.map {
          ($0.value, globalBatch ? $0.solution.globalBatch : $0.solution.learningEfficiency)
        }, color: SVG.palette[globalBatch ? 2 : 0], dots: points.count <= 60)
    ]
    return chart.render()
  }
}
