import ArgumentParser
import FEEL
import FEELCommandLine
import FEELStudies
import Foundation

/// `feel rounds [SCENARIO] --rounds N --seed S [--json | --csv]`: round-by-round channel
/// dynamics under seeded Rayleigh fading (see ``FadingRounds``).
struct RoundsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rounds",
    abstract: "Re-solve round by round under seeded Rayleigh fading.",
    discussion: """
      Each round draws an independent unit-mean exponential power gain X per device and \
      direction and sets the instantaneous rate W log2(1 + γ̄X). Distance-based devices \
      take their mean SNR γ̄ from the channel model; rate-given devices get the γ̄ for \
      which the exact Rayleigh average W E[log2(1 + γ̄X)] equals their given rate at the \
      channel's bandwidth W. The problem is re-solved every round; the output lists every \
      round (efficiency, global batch, B_k and τ_k^U) and a summary of how batches and \
      slots move (mean, std, min, max per device). The same seed gives the same output.
      """)

  @OptionGroup var input: ScenarioArgument

  @Option(help: "Number of rounds (1...1000000).")
  var rounds: Int = 100

  @Option(help: "Seed of the fading draws (an unsigned 64-bit integer).")
  var seed: UInt64 = 1

  @Flag(help: "Print one JSON object: every round and the summary.")
  var json = false

  @Flag(help: "Print CSV: one row per round and device.")
  var csv = false

  @Option(
    help: "Write the output (table, --json or --csv) to this file, atomically, instead of stdout.")
  var output: String?

  func run() throws {
    let n = rounds
    let s = seed
    guard !(json && csv) else {
      throw InfeasibleRequest(field: "--csv", reason: "give at most one of --json and --csv")
    }
    AtomicFile.installInterruptHandler()
    let scenario = try input.load()
    let model = try FadingRounds(scenario)
    guard (1...1_000_000).contains(n) else {
      throw InfeasibleRequest(field: "--rounds", reason: "must be in 1...1000000 (got \(n))")
    }
    let bar = ProgressBar(total: n, label: "rounds")
    let result = try model.run(rounds: n, seed: s) { bar.update($0) }
    bar.finish()
    let summary = RoundsSummary(result)
    let statuses = result.map(\.solution.status)
    let text: String
    if json {
      text =
        Self.json(result, summary: summary, seed: s).appending(
          SolutionStatus.combined(statuses).jsonFields
        ).serialized() + "\n"
    } else if csv {
      text = Self.csv(result)
    } else {
      let failed = statuses.filter { !$0.isCertified }.count
      text =
        Self.table(scenario: scenario, rounds: result, summary: summary, seed: s) + "\n"
        + "Status: "
        + (failed == 0
          ? "every round certified" : "\(failed) of \(statuses.count) rounds NOT certified")
        + "\n"
    }
    if let output {
      try AtomicFile.write(text, to: URL(fileURLWithPath: output), field: "--output")
    } else {
      print(text, terminator: "")
    }
    try UncertifiedAnswer.check(statuses) { "round \(result[$0].index)" }
  }

  static func json(
    _ rounds: [FadingRounds.Round], summary: RoundsSummary, seed: UInt64
  )
    -> JSONValue
  {
    .object([
      ("seed", .string(String(seed))),
      ("lossDecay", (rounds.first?.solution.lossDecay ?? .paper).jsonValue),
      (
        "rounds",
        .array(
          rounds.map { r in
            let s = r.solution
            return .object(
              [
                ("round", .number(Double(r.index))),
                ("learningEfficiency", .number(s.learningEfficiency)),
                ("lossDecrease", .number(s.lossDecrease)),
                ("globalBatch", .number(s.globalBatch)), ("roundSeconds", .number(s.roundSeconds)),
                ("uplinkSeconds", .number(s.uplinkSeconds)),
                ("downlinkSeconds", .number(s.downlinkSeconds)),
                (
                  "devices",
                  .array(
                    (0..<s.batches.count).map { k in
                      .object([
                        ("batch", .number(s.batches[k])),
                        ("uplinkSlotSeconds", .number(s.uplinkSlotSeconds[k])),
                        ("downlinkSlotSeconds", .number(s.downlinkSlotSeconds[k])),
                        ("uplinkBps", .number(r.uplinkRates[k])),
                        ("downlinkBps", .number(r.downlinkRates[k])),
                      ])
                    })
                ),
              ] + s.status.jsonFields)
          })
      ),
      ("summary", summary.jsonValue),
    ])
  }

  static func csv(_ rounds: [FadingRounds.Round]) -> String {
    var lines = [
      "round,device,uplinkBps,downlinkBps,batch,uplinkSlotSeconds,downlinkSlotSeconds,"
        + "learningEfficiency,globalBatch,roundSeconds"
    ]
    for r in rounds {
      let s = r.solution
      for k in 0..<s.batches.count {
        lines.append(
          "\(r.index),\(k),\(r.uplinkRates[k]),\(r.downlinkRates[k]),\(s.batches[k]),"
            + "\(s.uplinkSlotSeconds[k]),\(s.downlinkSlotSeconds[k]),\(s.learningEfficiency),"
            + "\(s.globalBatch),\(s.roundSeconds)")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func table(
    scenario: Scenario, rounds: [FadingRounds.Round], summary: RoundsSummary, seed: UInt64
  ) -> String {
    let f = TextFormat.fmt
    var out: [String] = []
    out.append("Scenario: \(scenario.name ?? "(unnamed)")")
    out.append(
      "K = \(scenario.deviceCount) devices, \(rounds.count) rounds of Rayleigh fading, seed \(seed)"
    )
    out.append("")
    let K = scenario.deviceCount
    let shown = Swift.min(K, 12)
    var head = ["round", "E", "B", "T s"]
    head += (0..<shown).map { "B_\($0)" }
    var widths = [6, 9, 9, 9]
    widths += Array(repeating: 7, count: shown)
    out.append(TextFormat.row(head, widths) + (K > shown ? "  … (first \(shown) devices)" : ""))
    for r in rounds {
      let s = r.solution
      var cells = [
        "\(r.index)", f(s.learningEfficiency, 4), f(s.globalBatch, 1), f(s.roundSeconds, 2),
      ]
      cells += (0..<shown).map { f(s.batches[$0], 1) }
      out.append(TextFormat.row(cells, widths))
    }
    out.append("")
    out.append("Summary over rounds (mean ± std [min, max]):")
    func stat(_ x: SampleStatistics, _ scale: Double = 1, _ d: Int = 3) -> String {
      "\(f(x.mean * scale, d)) ± \(f(x.standardDeviation * scale, d)) [\(f(x.minimum * scale, d)), \(f(x.maximum * scale, d))]"
    }
    out.append("  learning efficiency E: \(stat(summary.learningEfficiency, 1, 4))")
    out.append("  global batch B:        \(stat(summary.globalBatch, 1, 1))")
    out.append("  round latency T s:     \(stat(summary.roundSeconds, 1, 2))")
    out.append("")
    let dh = [
      "k", "R^U Mbit/s mean", "B_k mean", "std", "min", "max", "τ^U ms mean", "std", "min", "max",
    ]
    let dw = [5, 15, 9, 7, 7, 7, 11, 8, 8, 8]
    out.append(TextFormat.row(dh, dw))
    for (k, d) in summary.devices.enumerated() {
      out.append(
        TextFormat.row(
          [
            "\(k)", f(d.uplinkBps.mean / 1e6, 2), f(d.batch.mean, 2),
            f(d.batch.standardDeviation, 2),
            f(d.batch.minimum, 1), f(d.batch.maximum, 1), f(d.uplinkSlotSeconds.mean * 1e3, 4),
            f(d.uplinkSlotSeconds.standardDeviation * 1e3, 4),
            f(d.uplinkSlotSeconds.minimum * 1e3, 4), f(d.uplinkSlotSeconds.maximum * 1e3, 4),
          ], dw))
    }
    return out.joined(separator: "\n")
  }
}
