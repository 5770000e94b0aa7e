import ArgumentParser
import FEEL
import FEELCommandLine
import FEELStudies
import Foundation

/// `feel fit-gpu FILE.csv [--json] [--flops F]`: fits the GPU training function of
/// Assumption 1 (eq. 27) to measured (batch, latency) pairs, as in Fig. 2(b).
struct FitGPUCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit-gpu",
    abstract: "Fit the GPU training function of Assumption 1 to measurements.",
    discussion: """
      FILE is CSV with two columns, the batch size and the measured local gradient \
      latency in seconds, one measurement per line: `batch,seconds`. A first line \
      `batch,seconds` (the header) is optional; blank lines and lines starting with `#` \
      are ignored. Repeated batch sizes are fine (they are averaged by the least squares). \
      The fit is t(B) = t^l + c*max(0, B - B^th) by least squares over every integer \
      threshold B^th; it prints t^l, c, B^th, the residuals and the "gpu" object to paste \
      into a scenario. The FLOP rate f^G (eq. 28) is not measured by the fit: give it with \
      --flops, or fill it in.
      """)

  @Argument(help: "CSV file of measurements: batch,seconds per line.")
  var file: String

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  @Option(help: "The GPU's FLOP rate f^G for the model update (eq. 28), put in the snippet.")
  var flops: Double?

  func run() throws {
    if let f = flops, !(f.isFinite && f > 0) {
      throw InfeasibleRequest(field: "--flops", reason: "must be a finite number > 0 (got \(f))")
    }
    let table = try MeasurementCSV.read(path: file)
    let fit: GPUFit.Fit
    do {
      fit = try GPUFit.fit(batches: table.batches, seconds: table.seconds)
    } catch let e as GPUFitError {
      throw table.error(e, path: file)
    }
    var gpu: [(String, JSONValue)] = [
      ("baseSeconds", .number(fit.baseSeconds)),
      ("secondsPerSample", .number(fit.secondsPerSample)),
      ("thresholdBatch", .number(Double(fit.thresholdBatch))),
    ]
    if let f = flops { gpu.append(("flops", .number(f))) }
    let snippet = JSONValue.object(gpu)
    if json {
      let out = JSONValue.object([
        ("baseSeconds", .number(fit.baseSeconds)),
        ("secondsPerSample", .number(fit.secondsPerSample)),
        ("thresholdBatch", .number(Double(fit.thresholdBatch))),
        ("residualSumOfSquares", .number(fit.residualSumOfSquares)),
        ("rootMeanSquare", .number(fit.rootMeanSquare)),
        ("rSquared", .number(fit.rSquared)),
        ("count", .number(Double(fit.count))),
        ("gpu", snippet),
      ])
      print(out.serialized())
      return
    }
    var out: [String] = []
    out.append(
      "GPU training function (Assumption 1, eq. 27) fitted to \(fit.count) measurements of \(file):"
    )
    out.append("  t^l  = \(fit.baseSeconds) s  (latency for B <= B^th, data-bound region)")
    out.append("  c    = \(fit.secondsPerSample) s/sample  (beyond B^th, compute-bound region)")
    out.append("  B^th = \(fit.thresholdBatch)")
    out.append(
      "  residual sum of squares = \(fit.residualSumOfSquares) s^2, RMS = \(fit.rootMeanSquare) s, "
        + "R^2 = \(fit.rSquared)")
    out.append("")
    out.append("Scenario device compute (thresholdBatch must not exceed the scenario's maxBatch):")
    out.append("  \"gpu\": " + snippet.serialized(pretty: false))
    if flops == nil {
      out.append(
        "Note: add \"flops\" (f^G in FLOP/s, eq. 28) to the object: it is not measured by this "
          + "fit (or pass --flops).")
    }
    print(out.joined(separator: "\n"))
  }
}

/// The measurements of `feel fit-gpu`, read from CSV with their line numbers.
struct MeasurementCSV {
  var batches: [Double] = []
  var seconds: [Double] = []
  var lines: [Int] = []

  /// Reads `path`: `batch,seconds` lines, an optional header, blank and `#` lines skipped.
  /// - Throws: ``ScenarioError`` naming the file and line.
  static func read(path: String) throws -> MeasurementCSV {
    let data: Data
    do {
      data = try FileContents.read(URL(fileURLWithPath: path))
    } catch {
      throw ScenarioError(field: path, reason: "cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ScenarioError(field: path, reason: "is not UTF-8 text")
    }
    var table = MeasurementCSV()
    var sawContent = false
    for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .enumerated()
    {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      let first = !sawContent
      sawContent = true
      if first, fields.map({ $0.lowercased() }) == ["batch", "seconds"] { continue }
      guard fields.count == 2 else {
        throw ScenarioError(
          field: "\(path) line \(index + 1)",
          reason: "expected two comma-separated numbers batch,seconds (got '\(line)')")
      }
      guard let b = Double(fields[0]), let s = Double(fields[1]) else {
        throw ScenarioError(
          field: "\(path) line \(index + 1)",
          reason: "expected numbers batch,seconds (got '\(line)')"
            + (first ? "; the only header accepted is batch,seconds" : ""))
      }
      table.batches.append(b)
      table.seconds.append(s)
      table.lines.append(index + 1)
    }
    return table
  }

  /// A fit error as a scenario error naming the file and, where it applies, the line.
  func error(_ e: GPUFitError, path: String) -> ScenarioError {
    func at(_ i: Int) -> String { i < lines.count ? "\(path) line \(lines[i])" : path }
    switch e {
    case .nonFinite(let i):
      return ScenarioError(field: at(i), reason: "batch and seconds must be finite numbers")
    case .nonPositiveBatch(let i, let b):
      return ScenarioError(field: at(i), reason: "batch must be > 0 (got \(b))")
    case .negativeSeconds(let i, let s):
      return ScenarioError(field: at(i), reason: "seconds must be >= 0 (got \(s))")
    case .batchTooLarge(let i, let b):
      return ScenarioError(field: at(i), reason: "batch must be <= \(GPUFit.maxBatch) (got \(b))")
    default:
      return ScenarioError(field: path, reason: e.description)
    }
  }
}
