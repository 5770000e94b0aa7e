import FEEL
import Foundation

/// One point of a parameter sweep: the optimum of P1/P7 at one parameter value.
public struct SweepPoint: Sendable, Equatable {
  /// The parameter value.
  public internal(set) var value: Double
  /// K at this value.
  public internal(set) var deviceCount: Int
  /// The optimal solution (`FEELSolver/optimize()`).
  public internal(set) var solution: Solution
}

/// `feel sweep`: the optimal efficiency and batches as one parameter varies.
///
/// Each value is an independent scenario (``SweepParameter/apply(_:to:device:)``) solved
/// by `FEELSolver/optimize()`; the values are solved on every core and returned in order.
public struct Sweep: Sendable {
  /// The base scenario.
  public internal(set) var base: Scenario
  /// The parameter varied.
  public internal(set) var parameter: SweepParameter
  /// For ``SweepParameter/cpu`` and ``SweepParameter/uplink``: the one device scaled.
  public internal(set) var device: Int?

  /// Creates a sweep.
  public init(base: Scenario, parameter: SweepParameter, device: Int? = nil) {
    self.base = base
    self.parameter = parameter
    self.device = device
  }

  /// `steps` values from `from` to `to`, equally spaced (or geometrically with `log`).
  ///
  /// - Throws: `InfeasibleRequest` naming `from`, `to` or `steps` when the ends
  ///   are not finite and > 0, or `steps` is not in 1...100000.
  public static func values(
    from a: Double, to b: Double, steps n: Int, log: Bool
  ) throws
    -> [Double]
  {
    guard a.isFinite, a > 0 else {
      throw InfeasibleRequest(field: "from", reason: "must be a finite number > 0 (got \(a))")
    }
    guard b.isFinite, b > 0 else {
      throw InfeasibleRequest(field: "to", reason: "must be a finite number > 0 (got \(b))")
    }
    guard (1...100_000).contains(n) else {
      throw InfeasibleRequest(field: "steps", reason: "must be in 1...100000 (got \(n))")
    }
    if n == 1 { return [a] }
    return (0..<n).map { i in
      let t = Double(i) / Double(n - 1)
      if i == 0 { return a }
      if i == n - 1 { return b }
      return log ? a * Foundation.pow(b / a, t) : a + t * (b - a)
    }
  }

  /// Solves the scenario at every value, on every core, in order.
  ///
  /// - Parameters:
  ///   - values: the values of the parameter, solved in this order.
  ///   - progress: called after each solved value with the number done.
  /// - Throws: the first error in value order (`InfeasibleRequest` or `ScenarioError`,
  ///   with the value in its reason).
  public func run(
    _ values: [Double], progress: (@Sendable (Int) -> Void)? = nil
  ) throws
    -> [SweepPoint]
  {
    let me = self
    let results = ParallelMap.run(count: values.count, progress: progress) { i in
      let scenario = try me.parameter.apply(values[i], to: me.base, device: me.device)
      let solver = try FEELSolver(scenario)
      return SweepPoint(
        value: values[i], deviceCount: scenario.deviceCount, solution: solver.optimize())
    }
    return try results.enumerated().map { i, r in
      do { return try r.get() } catch let e as ScenarioError {
        throw ScenarioError(
          field: e.field, reason: e.reason + " (at \(parameter.rawValue) = \(values[i]))")
      } catch let e as InfeasibleRequest {
        throw InfeasibleRequest(
          field: e.field, reason: e.reason + " (at \(parameter.rawValue) = \(values[i]))")
      }
    }
  }

  /// The sweep as CSV: one row per value with the parameter, K, the efficiency, B, the
  /// round, uplink and downlink seconds and every device's B_k (`batch_k`, empty where a
  /// value has fewer devices).
  package static func csv(_ points: [SweepPoint], parameter: SweepParameter) -> String {
    let width = points.map(\.deviceCount).max() ?? 0
    var header = [
      parameter.rawValue, "devices", "learningEfficiency", "globalBatch", "roundSeconds",
      "uplinkSeconds", "downlinkSeconds",
    ]
    header += (0..<width).map { "batch_\($0)" }
    var lines = [header.joined(separator: ",")]
    for p in points {
      let s = p.solution
      var cells = [
        "\(p.value)", "\(p.deviceCount)", "\(s.learningEfficiency)", "\(s.globalBatch)",
        "\(s.roundSeconds)", "\(s.uplinkSeconds)", "\(s.downlinkSeconds)",
      ]
      cells += (0..<width).map { $0 < s.batches.count ? "\(s.batches[$0])" : "" }
      lines.append(cells.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The sweep as JSON: `{"parameter": name, "points": [{value, devices,
  /// learningEfficiency, globalBatch, roundSeconds, uplinkSeconds, downlinkSeconds,
  /// batches, status, certified, statusDetail}]}` (the keys of ``SolutionStatus/jsonFields``).
  package static func json(_ points: [SweepPoint], parameter: SweepParameter) -> JSONValue {
    .object([
      ("parameter", .string(parameter.rawValue)),
      (
        "points",
        .array(
          points.map { p in
            let s = p.solution
            return .object(
              [
                ("value", .number(p.value)), ("devices", .number(Double(p.deviceCount))),
                ("learningEfficiency", .number(s.learningEfficiency)),
                ("globalBatch", .number(s.globalBatch)), ("roundSeconds", .number(s.roundSeconds)),
                ("uplinkSeconds", .number(s.uplinkSeconds)),
                ("downlinkSeconds", .number(s.downlinkSeconds)),
                ("batches", .array(s.batches.map { .number($0) })),
              ] + s.status.jsonFields)
          })
      ),
    ])
  }
}
