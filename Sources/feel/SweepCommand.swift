import ArgumentParser
import FEEL
import FEELCommandLine
import FEELFigures
import FEELStudies
import Foundation

/// `feel sweep [SCENARIO] --parameter NAME --from A --to B --steps N [--log] [--device k]
/// [--csv FILE] [--svg-dir DIR] [--json]`.
///
/// Solves P1/P7 at each value of one parameter (on every core) and prints one CSV row per
/// value: the optimal efficiency, the global batch, the round, uplink and downlink
/// seconds and every device's batch. `--svg-dir` also writes the pictures.
struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Efficiency and batch sizes as one parameter varies (CSV and SVG).",
    discussion: """
      Parameters (--parameter):
        devices    K; the base fleet repeated cyclically (device k = base k mod K0)
        bandwidth  W in Hz; distance-based devices through the channel model
                   (eqs. 5-6); rate-given devices have their rates scaled by
                   W/W0 (their spectral efficiency held fixed)
        cpu        a factor on every CPU frequency (GPU: latencies divided,
                   FLOP/s multiplied), or on one device's with --device k
        uplink     a factor on every uplink rate R_k^U, or one device's
        gradient   s, the gradient size in bits
        maxBatch   B^max (rounded to an integer)
        exponent   alpha of the power loss decay xi*B^alpha, in (0, 1] (a sqrt
                   model becomes power with the same xi)
        noiseBatch B_n of the saturating loss decay L*B/(B + B_n) (a sqrt or
                   power model becomes saturating with L = its xi)
        maxDecrease  L of the saturating model (scales E only; saturating only)

      Output: CSV on stdout (or --csv FILE); --json prints JSON instead.
      --svg-dir DIR writes sweep-efficiency.svg and sweep-global-batch.svg
      and, for the base scenario, batch-vs-rate.svg (Remark 2: the uplink
      rate of --device, default 0, scaled from 0.1x to 10x),
      efficiency-vs-batch.svg (E(B) with the optimum marked) and
      allocation.svg (B_k, tau_k^U, tau_k^D at the optimum).
      """)

  @OptionGroup var input: ScenarioArgument

  @Option(
    help:
      "The parameter to vary: devices, bandwidth, cpu, uplink, gradient, maxBatch, exponent, noiseBatch, maxDecrease."
  )
  var parameter: String

  @Option(help: "First value.")
  var from: FiniteNumber

  @Option(help: "Last value.")
  var to: FiniteNumber

  @Option(help: "Number of values (1...100000).")
  var steps: Int = 21

  @Flag(help: "Space the values geometrically.")
  var log = false

  @Option(help: "For cpu and uplink: scale only this device (index from 0).")
  var device: Int?

  @Option(help: "Write the CSV to this file instead of stdout.")
  var csv: String?

  @Option(name: .customLong("svg-dir"), help: "Write SVG pictures into this directory.")
  var svgDir: String?

  @Flag(help: "Print the points as JSON on stdout.")
  var json = false

  func run() throws {
    guard let p = SweepParameter(rawValue: parameter) else {
      throw InfeasibleRequest(
        field: "--parameter",
        reason:
          "must be one of \(SweepParameter.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(parameter)')"
      )
    }
    let a = from.value
    let b = to.value
    let n = steps
    let index = device
    AtomicFile.installInterruptHandler()
    let scenario = try input.load()
    if let index, !(0..<scenario.deviceCount).contains(index) {
      throw InfeasibleRequest(
        field: "--device", reason: "must be in 0...\(scenario.deviceCount - 1) (got \(index))")
    }
    let values = try Sweep.values(from: a, to: b, steps: n, log: log)
    let bar = ProgressBar(total: values.count, label: "sweep \(p.rawValue)")
    let points = try Sweep(base: scenario, parameter: p, device: index).run(values) {
      bar.update($0)
    }
    bar.finish()
    let table = Sweep.csv(points, parameter: p)
    if let csv {
      try Self.write(table, to: URL(fileURLWithPath: csv), field: "--csv")
    }
    let statuses = points.map(\.solution.status)
    if json {
      print(
        Sweep.json(points, parameter: p).appending(SolutionStatus.combined(statuses).jsonFields)
          .serialized())
    } else if csv == nil {
      print(table, terminator: "")
    }
    if let svgDir {
      let dir = URL(fileURLWithPath: svgDir)
      do {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      } catch {
        throw InfeasibleRequest(field: "--svg-dir", reason: "cannot create directory '\(svgDir)'")
      }
      let factors = try Sweep.values(from: 0.1, to: 10, steps: 41, log: true)
      let files: [(String, String)] = [
        (
          "sweep-efficiency.svg",
          SweepFigures.sweep(points, parameter: p, log: log, globalBatch: false)
        ),
        (
          "sweep-global-batch.svg",
          SweepFigures.sweep(points, parameter: p, log: log, globalBatch: true)
        ),
        (
          "batch-vs-rate.svg",
          try SweepFigures.batchAgainstRate(scenario, device: index ?? 0, factors: factors)
        ),
        ("efficiency-vs-batch.svg", try SweepFigures.efficiencyAgainstBatch(scenario)),
        ("allocation.svg", try SweepFigures.allocation(scenario)),
      ]
      for (name, svg) in files {
        try Self.write(svg, to: dir.appendingPathComponent(name), field: "--svg-dir")
      }
    }
    try UncertifiedAnswer.check(statuses) { "\(p.rawValue) = \(points[$0].value)" }
  }

  /// Writes an output file atomically (``AtomicFile``): a partial file never replaces a
  /// good one, and Ctrl-C leaves none behind.
  static func write(_ text: String, to url: URL, field: String) throws {
    try AtomicFile.write(text, to: url, field: field)
  }
}
