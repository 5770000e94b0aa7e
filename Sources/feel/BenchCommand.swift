import ArgumentParser
import FEEL
import FEELCommandLine
import Foundation

/// `feel bench [SCENARIO ...] [--devices K[,K...]] [--json]`: times the full solve
/// (optimal B, batches, both slot allocations, certificate) in-process and warm, and
/// reports the median over repeated runs with its spread.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time the full solve in-process (median over repeated runs).")

  @Argument(help: "Scenario files to time.")
  var scenarios: [String] = []

  @Option(help: "Comma-separated device counts K of generated Table I scenarios to time.")
  var devices: String?

  @Option(help: "Minimum total timing per case, seconds.")
  var seconds: Double = 0.5

  @Flag(
    help: """
      Print JSON: {"results": [{"devices": K, "medianSeconds": t, ...}], \
      "growthExponent": e}.
      """)
  var json = false

  struct Case {
    var label: String
    var scenario: () throws -> Scenario
  }

  func run() throws {
    guard seconds.isFinite, seconds > 0, seconds <= 600 else {
      throw InfeasibleRequest(field: "--seconds", reason: "must be in (0, 600] (got \(seconds))")
    }
    var cases: [Case] = []
    for path in scenarios {
      cases.append(
        Case(label: path, scenario: { try Scenario(contentsOf: URL(fileURLWithPath: path)) }))
    }
    if let list = devices {
      for item in list.split(separator: ",", omittingEmptySubsequences: false) {
        let text = item.trimmingCharacters(in: .whitespaces)
        guard let K = Int(text), K >= 1, K <= 10_000_000 else {
          throw InfeasibleRequest(
            field: "--devices",
            reason: "must be comma-separated integers in 1...10000000 (got '\(text)')")
        }
        cases.append(Case(label: "generated K=\(K)", scenario: { try .generated(devices: K) }))
      }
    }
    if cases.isEmpty {
      cases.append(Case(label: "default (Table I, K=12)", scenario: { .paperDefault }))
    }
    // Scenarios are built one at a time, so each case's memory is measured on its own
    // (the resident size before it is built against the process peak after it is timed).
    var results: [Timing] = []
    for c in cases {
      let before = Memory.residentBytes()
      var timing = try Bench.time(try c.scenario(), label: c.label, minimumSeconds: seconds)
      timing.peakResidentBytes = Memory.peakResidentBytes()
      timing.residentGrowthBytes = max(0, timing.peakResidentBytes - before)
      results.append(timing)
    }
    if json {
      let list: [JSONValue] = results.map { $0.jsonValue }
      let growth: JSONValue = Bench.growthExponent(results).map { .number($0) } ?? .null
      print(
        JSONValue.object([("results", .array(list)), ("growthExponent", growth)]).serialized())
    } else {
      print(Bench.table(results))
    }
  }
}

/// One timed case.
struct Timing {
  var label: String
  var devices: Int
  var runs: Int
  var median: Double
  var p10: Double
  var p90: Double
  var minimum: Double
  var efficiency: Double
  /// The process's peak resident set after this case, bytes.
  var peakResidentBytes = 0
  /// That peak less the resident set before the case's scenario was built: the memory of
  /// scenario, compiled data, solver and solutions together (0 when an earlier case peaked
  /// higher: time large cases last or alone).
  var residentGrowthBytes = 0

  /// `residentGrowthBytes / K`.
  var bytesPerDevice: Double { Double(residentGrowthBytes) / Double(max(devices, 1)) }

  var jsonValue: JSONValue {
    .object([
      ("label", .string(label)), ("devices", .number(Double(devices))),
      ("medianSeconds", .number(median)),
      ("p10Seconds", .number(p10)), ("p90Seconds", .number(p90)), ("minSeconds", .number(minimum)),
      ("runs", .number(Double(runs))), ("learningEfficiency", .number(efficiency)),
      ("peakResidentBytes", .number(Double(peakResidentBytes))),
      ("residentGrowthBytes", .number(Double(residentGrowthBytes))),
      ("bytesPerDevice", .number(bytesPerDevice)),
    ])
  }
}

enum Bench {
  static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

  static func time(_ scenario: Scenario, label: String, minimumSeconds: Double) throws -> Timing {
    let solver = try FEELSolver(scenario)
    var last = solver.optimize()  // warm-up
    var samples: [Double] = []
    let budget = UInt64(minimumSeconds * 1e9)
    let start = now()
    // Batch fast solves so each sample is well above the clock resolution.
    let t0 = now()
    last = solver.optimize()
    let single = Double(now() - t0) / 1e9
    let inner = max(1, min(10_000, Int(1e-4 / max(single, 1e-9))))
    while samples.count < 7 || (now() - start < budget && samples.count < 10_000) {
      let a = now()
      for _ in 0..<inner { last = solver.optimize() }
      samples.append(Double(now() - a) / 1e9 / Double(inner))
    }
    samples.sort()
    func q(_ p: Double) -> Double {
      samples[min(samples.count - 1, Int(p * Double(samples.count - 1)))]
    }
    return Timing(
      label: label, devices: scenario.deviceCount, runs: samples.count * inner, median: q(0.5),
      p10: q(0.1),
      p90: q(0.9), minimum: samples[0], efficiency: last.learningEfficiency)
  }

  /// Least-squares slope of log t against log K over the cases with distinct K.
  static func growthExponent(_ results: [Timing]) -> Double? {
    let pts = results.filter { $0.devices > 1 }.map { (log(Double($0.devices)), log($0.median)) }
    guard Set(pts.map { $0.0 }).count >= 2 else { return nil }
    let mx = pts.map { $0.0 }.reduce(0, +) / Double(pts.count)
    let my = pts.map { $0.1 }.reduce(0, +) / Double(pts.count)
    var sxy = 0.0
    var sxx = 0.0
    for (x, y) in pts {
      sxy += (x - mx) * (y - my)
      sxx += (x - mx) * (x - mx)
    }
    return sxy / sxx
  }

  static func human(_ t: Double) -> String {
    if t < 1e-6 { return String(format: "%.0f ns", t * 1e9) }
    if t < 1e-3 { return String(format: "%.2f µs", t * 1e6) }
    if t < 1 { return String(format: "%.2f ms", t * 1e3) }
    return String(format: "%.3f s", t)
  }

  static func table(_ results: [Timing]) -> String {
    var lines = [
      "case                              K        median       p10 – p90            runs"
        + "   bytes/device"
    ]
    for r in results {
      let label = r.label.count > 30 ? String(r.label.suffix(30)) : r.label
      lines.append(
        label.padding(toLength: 30, withPad: " ", startingAt: 0)
          + String(format: "%9d", r.devices) + "  " + human(r.median).leftPad(12) + "  "
          + (human(r.p10) + " – " + human(r.p90)).leftPad(22) + String(format: "%10d", r.runs)
          + String(format: "%15.0f", r.bytesPerDevice))
    }
    if let e = growthExponent(results) {
      lines.append(
        String(format: "fitted growth: time ∝ K^%.3f (least squares over log K, log median)", e))
    }
    lines.append(
      "bytes/device: peak resident growth of the case (scenario, data, solver) over K;"
        + " time large cases last")
    return lines.joined(separator: "\n")
  }
}

/// Resident memory of this process (Linux; 0 where it cannot be read).
enum Memory {
  /// The current resident set, bytes (`/proc/self/statm`).
  static func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
      return 0
    }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
  }

  /// The peak resident set so far, bytes (`getrusage`, kilobytes on Linux).
  static func peakResidentBytes() -> Int {
    var usage = rusage()
    #if os(Linux)
      guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
      return Int(usage.ru_maxrss) * 1024
    #else
      guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
      return Int(usage.ru_maxrss)  // bytes on Darwin
    #endif
  }
}

extension String {
  fileprivate func leftPad(_ n: Int) -> String {
    count >= n ? self : String(repeating: " ", count: n - count) + self
  }
}
