import FEEL
import Foundation

/// The human-readable output of `feel solve`.
///
/// Numbers are formatted by integer arithmetic (`%.Nf` and `%.Ne` equivalents, falling back
/// to the C library's `vsnprintf` at the edges) rather than `String(format:)`, which costs
/// about 10 µs a call on Linux: for a table of 10^5 devices that is 0.2 s instead of 3 s.
/// A value within an ulp of a rounding tie may show a last digit one off from `printf`.
enum Report {
  static func fmt(_ x: Double, _ digits: Int = 4) -> String {
    guard x.isFinite else { return "\(x)" }
    let d = Swift.min(Swift.max(digits, 0), 15)
    if x != 0, abs(x) < 1e-3 || abs(x) >= 1e7 {
      return scientific(x, d) ?? c("%.*e", d, x)
    }
    return fixed(x, d) ?? c("%.*f", d, x)
  }

  /// Powers of ten 10^0 … 10^15, exact in binary64.
  private static let powers: [Double] = (0...15).map { Foundation.pow(10, Double($0)) }

  /// `%.{d}f` by integer arithmetic (nil when the scaled value leaves the exact range).
  static func fixed(_ x: Double, _ d: Int) -> String? {
    let y = (abs(x) * powers[d]).rounded()
    guard y < 9e15 else { return nil }
    var text = String(Int64(y))
    if d > 0 {
      if text.count <= d { text = String(repeating: "0", count: d + 1 - text.count) + text }
      text.insert(".", at: text.index(text.endIndex, offsetBy: -d))
    }
    return (x < 0 ? "-" : "") + text
  }

  /// `%.{d}e` by integer arithmetic (nil near the ends of the exponent range).
  static func scientific(_ x: Double, _ d: Int) -> String? {
    let a = abs(x)
    var e = Int(Foundation.floor(Foundation.log10(a)))
    guard (-290...290).contains(e) else { return nil }
    var y = (a / Foundation.pow(10, Double(e)) * powers[d]).rounded()
    if y >= 10 * powers[d] {
      e += 1
      y = (a / Foundation.pow(10, Double(e)) * powers[d]).rounded()
    } else if y < powers[d] {
      e -= 1
      y = (a / Foundation.pow(10, Double(e)) * powers[d]).rounded()
    }
    guard y < 9e15 else { return nil }
    var text = String(Int64(y))
    if d > 0 { text.insert(".", at: text.index(after: text.startIndex)) }
    let exponent = abs(e) < 10 ? "0\(abs(e))" : "\(abs(e))"
    return (x < 0 ? "-" : "") + text + (e < 0 ? "e-" : "e+") + exponent
  }

  /// `printf`-style formatting of one precision and one double.
  static func c(_ format: StaticString, _ digits: Int, _ x: Double) -> String {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 400) { buffer in
      let n = withVaList([Int32(digits), x]) { args in
        format.withUTF8Buffer { f in
          f.withMemoryRebound(to: CChar.self) {
            vsnprintf(buffer.baseAddress, 400, $0.baseAddress, args)
          }
        }
      }
      guard n >= 0 else { return "\(x)" }
      return String(
        decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Swift.min(Int(n), 399)),
        as: UTF8.self)
    }
  }

  static func row(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).map { cell, w in
      cell.count >= w ? cell : String(repeating: " ", count: w - cell.count) + cell
    }.joined(separator: "  ")
  }

  static func table(
    scenario: Scenario, data: SystemData, solution s: Solution, verification: VerificationReport?,
    globalBatchOptimized: Bool? = nil
  )
    -> String
  {
    var out: [String] = []
    out.append("Scenario: \(scenario.name ?? "(unnamed)")")
    var model = "K = \(data.count) devices, s = \(fmt(scenario.gradientBits, 6)) bits, "
    if case .sqrt(let xi) = scenario.lossDecay { model += "ξ = \(xi), " }
    model +=
      "B^max = \(scenario.maxBatch), T_f^U = \(scenario.uplinkFrameSeconds) s, T_f^D = \(scenario.downlinkFrameSeconds) s"
    out.append(model)
    out.append("Loss decay per round: \(scenario.lossDecay)")
    if let c = scenario.cyclesPerSample {
      out.append(
        "C = \(fmt(c, 3)) cycles/sample, M^C = \(fmt(scenario.updateCycles, 3)) cycles, M^G = \(fmt(scenario.updateFlops, 3)) FLOP"
      )
    } else {
      out.append("M^G = \(fmt(scenario.updateFlops, 3)) FLOP")
    }
    if scenario.devices.contains(where: {
      if case .distance = $0.link { return true } else { return false }
    }) {
      let ch = scenario.channel
      out.append(
        "Channel: W = \(fmt(ch.bandwidthHz, 3)) Hz, N0 = \(ch.noiseDbmPerHz) dBm/Hz, P^U = P^D = \(ch.uplinkPowerDbm)/\(ch.downlinkPowerDbm) dBm, "
          + "PL = \(ch.pathLossInterceptDb) + \(ch.pathLossSlopeDb) log10(d[km]), fading \(ch.fading.rawValue)"
      )
    }
    if scenario == Scenario.paperDefault {
      out.append(
        "Devices placed uniformly at random in the 200 m cell (SplitMix64 seed \(Scenario.paperDefaultSeed)); distances below."
      )
      out.append(
        "Not given in the paper, chosen here (README): C = 3e8 cycles/sample (DenseNet121, about 2.7 GFLOP forward+backward"
      )
      out.append(
        "  per 32×32 image at about 9 FLOP/cycle), M^C = 1.6e7 cycles (about 2 cycles per parameter), ξ = 1 (scales E only)."
      )
    }
    out.append("")
    let head = [
      "k", "device", "distance m", "R^U Mbit/s", "R^D Mbit/s", "batch B_k", "τ^U ms", "τ^D ms",
      "compute s", "upload s", "download s", "update s",
    ]
    let widths = [4, 14, 10, 10, 10, 10, 9, 9, 10, 10, 10, 10]
    out.append(row(head, widths))
    let lat = data.latency(
      batches: s.batches, uplinkFractions: s.uplinkSlotSeconds.map { $0 / data.uplinkFrameSeconds },
      downlinkFractions: s.downlinkSlotSeconds.map { $0 / data.downlinkFrameSeconds })
    for k in 0..<data.count {
      let device: String
      switch scenario.devices[k].compute {
      case .cpu(let hz): device = "CPU " + c("%.*f", 2, hz / 1e9) + " GHz"
      case .gpu(let g): device = "GPU th=\(g.thresholdBatch)"
      }
      var distance = "-"
      if case .distance(let d) = scenario.devices[k].link { distance = c("%.*f", 1, d) }
      out.append(
        row(
          [
            "\(k)", device, distance, fmt(data.rates[k].uplink / 1e6, 2),
            fmt(data.rates[k].downlink / 1e6, 2),
            fmt(s.batches[k], 3), fmt(s.uplinkSlotSeconds[k] * 1e3, 4),
            fmt(s.downlinkSlotSeconds[k] * 1e3, 4),
            fmt(lat.compute[k]), fmt(lat.upload[k]), fmt(lat.download[k]), fmt(lat.update[k]),
          ], widths))
    }
    out.append("")
    out.append(
      "Σ B_k = \(fmt(s.globalBatch, 6))   Σ τ^U = \(fmt(s.uplinkSlotSeconds.reduce(0, +) * 1e3, 6)) ms   Σ τ^D = \(fmt(s.downlinkSlotSeconds.reduce(0, +) * 1e3, 6)) ms"
    )
    out.append(
      "Round: T = \(fmt(s.roundSeconds, 6)) s = uplink \(fmt(s.uplinkSeconds, 6)) s + downlink \(fmt(s.downlinkSeconds, 6)) s"
    )
    let formula: String
    if case .sqrt = scenario.lossDecay { formula = "ξ√B/T" } else { formula = "ΔL(B)/T" }
    out.append(
      "Loss decrease ΔL(B) = \(fmt(s.lossDecrease, 9)) per round (\(scenario.lossDecay.model) model)"
    )
    out.append(
      "Learning efficiency E = \(formula) = \(fmt(s.learningEfficiency, 9))"
        + ((globalBatchOptimized ?? (s.globalCertificate != nil))
          ? "   (global batch optimized)" : "   (global batch fixed)"))
    if let verification { out.append("Certificate: \(verification)") }
    return out.joined(separator: "\n")
  }
}
