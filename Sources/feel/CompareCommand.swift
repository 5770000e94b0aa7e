import ArgumentParser
import FEEL
import FEELCommandLine
import Foundation

/// `feel compare [SCENARIO] [--json]`: the optimal policy next to the baselines of
/// Section VI and the projected subgradient method for P6, all evaluated with the same
/// latency model, with the gain E*/E of the optimal policy over each.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare the optimal policy with the baselines of Section VI.",
    discussion: """
      Baselines (batches): online-learning B_k = 1; full-batch B_k = B^max; random-batch \
      B_k uniform in 1...B^max (seeded); equal-batches B_k = B*/K at the optimal B* \
      (Corollary 1, case A with equal slots); fixed-batch B_k = min(b, B^max) \
      (gradient-based FEEL, b = 32 unless --fixed-batch). Each is shown with slots \
      "optimal" for its batches and "equal" (T_f/K per device in both frames). The \
      subgradient row is the projected subgradient method for P6 at B* (the paper's \
      "traditional solution"), with the iterations and time it needed to come within \
      1e-2 and 1e-3 of the exact uplink round length.
      """)

  @OptionGroup var input: ScenarioArgument

  @Flag(help: "Print one JSON object instead of the table.")
  var json = false

  @Option(help: "Seed of the random-batch baseline.")
  var seed: UInt64 = Baseline.defaultSeed

  @Option(
    name: .customLong("fixed-batch"),
    help: "The batch of the fixed-batch (gradient-based FEEL) baseline, clipped to maxBatch.")
  var fixedBatch: Int = Baseline.defaultFixedBatch

  @Option(
    name: .customLong("global-batch"),
    help: "Also evaluate equal batches at this global batch B (besides B*).")
  var globalBatch: FiniteNumber?

  @Option(
    name: .customLong("subgradient-iterations"),
    help: "Iterations of the projected subgradient baseline (0: skip it).")
  var subgradientIterations: Int = 10_000

  func run() throws {
    let scenario = try input.load()
    let solver = try FEELSolver(scenario)
    var baselines = Baseline.standard(seed: seed, fixedBatch: fixedBatch)
    if let globalBatch { baselines.append(.equalBatches(globalBatch: globalBatch.value)) }
    guard subgradientIterations >= 0 else {
      throw InfeasibleRequest(
        field: "--subgradient-iterations", reason: "must be >= 0 (got \(subgradientIterations))")
    }
    let comparison = try PolicyComparison(solver: solver, baselines: baselines)
    var subgradient: SubgradientBaseline.Result?
    if subgradientIterations > 0 {
      subgradient = try SubgradientBaseline.run(
        solver, globalBatch: comparison.optimal.globalBatch,
        options: .init(maxIterations: subgradientIterations, gapTargets: [1e-2, 1e-3]))
    }
    let status = comparison.optimal.status
    if json {
      print(
        CompareReport.json(comparison: comparison, subgradient: subgradient, data: solver.data)
          .appending(status.jsonFields).serialized())
    } else {
      print(
        CompareReport.table(
          scenario: scenario, comparison: comparison, subgradient: subgradient,
          data: solver.data))
      print("Status of the optimal policy: \(status)")
    }
    try UncertifiedAnswer.check(status, context: "the optimal policy")
  }
}

/// The output of `feel compare`.
enum CompareReport {
  static func policy(_ p: EvaluatedPolicy, gain: Double?, description: String?) -> JSONValue {
    var pairs: [(String, JSONValue)] = [("name", .string(p.name))]
    if let description { pairs.append(("description", .string(description))) }
    pairs += [
      ("slots", .string(p.slots.rawValue)),
      ("learningEfficiency", .number(p.learningEfficiency)),
      ("roundSeconds", .number(p.roundSeconds)),
      ("uplinkSeconds", .number(p.uplinkSeconds)),
      ("downlinkSeconds", .number(p.downlinkSeconds)),
      ("globalBatch", .number(p.globalBatch)),
    ]
    if let gain { pairs.append(("gain", .number(gain))) }
    pairs.append(("batches", .array(p.batches.map { .number($0) })))
    return .object(pairs)
  }

  static func json(
    comparison c: PolicyComparison, subgradient: SubgradientBaseline.Result?, data: SystemData
  ) -> JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("lossDecay", data.lossDecay.jsonValue),
      ("optimal", policy(c.optimalPolicy, gain: nil, description: nil)),
      (
        "baselines",
        .array(c.rows.map { policy($0.policy, gain: $0.gain, description: $0.baseline.summary) })
      ),
    ]
    if let s = subgradient {
      let milestones: [JSONValue] = s.milestones.map { m in
        .object([
          ("relativeGap", .number(m.relativeGap)),
          ("iterations", m.iterations.map { .number(Double($0)) } ?? .null),
          ("seconds", m.seconds.map { .number($0) } ?? .null),
        ])
      }
      pairs.append(
        (
          "subgradient",
          .object([
            ("globalBatch", .number(s.globalBatch)),
            ("step", .string("diminishing, scale 0.1 (scaled coordinates)")),
            ("iterations", .number(Double(s.iterations))),
            ("uplinkSeconds", .number(s.bestRoundLength)),
            ("exactUplinkSeconds", .number(s.exactRoundLength)),
            ("exactDualBound", .number(s.exactDualBound)),
            ("relativeGap", .number(s.relativeGap)),
            ("seconds", .number(s.seconds)),
            ("milestones", .array(milestones)),
            ("learningEfficiency", .number(s.policy.learningEfficiency)),
            ("roundSeconds", .number(s.policy.roundSeconds)),
            (
              "gain",
              .number(c.optimalPolicy.learningEfficiency / s.policy.learningEfficiency)
            ),
          ])
        ))
    }
    return .object(pairs)
  }

  static func table(
    scenario: Scenario, comparison c: PolicyComparison, subgradient: SubgradientBaseline.Result?,
    data: SystemData
  ) -> String {
    let gpus = data.isGPU.filter { $0 }.count
    var out: [String] = []
    out.append(
      "Scenario: \(scenario.name ?? "(unnamed)") — K = \(data.count) devices "
        + "(\(data.count - gpus) CPU, \(gpus) GPU), B^max = \(scenario.maxBatch)")
    out.append("")
    let head = [
      "policy", "slots", "global batch", "round s", "uplink s", "downlink s", "efficiency",
      "gain",
    ]
    let widths = [16, 8, 12, 11, 11, 11, 13, 9]
    func left(_ s: String, _ w: Int) -> String {
      s.count >= w ? s : s + String(repeating: " ", count: w - s.count)
    }
    func line(_ cells: [String]) -> String {
      left(cells[0], widths[0]) + "  " + left(cells[1], widths[1]) + "  "
        + TextFormat.row(Array(cells[2...]), Array(widths[2...]))
    }
    func cells(_ p: EvaluatedPolicy, _ gain: String) -> [String] {
      [
        p.name, p.slots.rawValue, TextFormat.fmt(p.globalBatch, 3),
        TextFormat.fmt(p.roundSeconds, 6),
        TextFormat.fmt(p.uplinkSeconds, 6), TextFormat.fmt(p.downlinkSeconds, 6),
        TextFormat.fmt(p.learningEfficiency, 6), gain,
      ]
    }
    out.append(line(head))
    out.append(line(cells(c.optimalPolicy, "1")))
    for row in c.rows {
      out.append(line(cells(row.policy, String(format: "%.4f", row.gain))))
    }
    if let s = subgradient {
      let gain = c.optimalPolicy.learningEfficiency / s.policy.learningEfficiency
      out.append(line(cells(s.policy, String(format: "%.4f", gain))))
    }
    out.append("")
    out.append("Batches:")
    var seen = Set<String>()
    for row in c.rows where seen.insert(row.baseline.summary).inserted {
      out.append("  \(left(row.policy.name, 16))  \(row.baseline.summary)")
    }
    out.append(
      "Slots: optimal = best uplink slots for the policy's batches and the optimal downlink "
        + "slots (Theorem 2); equal = T_f/K per device in both frames.")
    out.append("Gain = E*/E: how much faster the optimal policy reduces the loss per second.")
    if let s = subgradient {
      out.append("")
      var text =
        "Projected subgradient for P6 at B* = \(TextFormat.fmt(s.globalBatch, 3)) "
        + "(the paper's traditional solution): after \(s.iterations) iterations "
        + "(\(TextFormat.fmt(s.seconds, 4)) s) T^U = \(TextFormat.fmt(s.bestRoundLength, 9)) s vs exact "
        + "\(TextFormat.fmt(s.exactRoundLength, 9)) s, relative gap \(TextFormat.fmt(s.relativeGap, 3))."
      for m in s.milestones {
        if let n = m.iterations, let t = m.seconds {
          text += " Gap \(m.relativeGap): \(n) iterations, \(TextFormat.fmt(t, 4)) s."
        } else {
          text += " Gap \(m.relativeGap): not reached."
        }
      }
      out.append(text)
    }
    return out.joined(separator: "\n")
  }
}
