import FEEL
import FEELCommandLine
import Foundation

/// The human-readable output of `feel solve` (numbers through ``TextFormat``).
enum Report {
  static func table(
    scenario: Scenario, data: SystemData, solution s: Solution, verification: VerificationReport?,
    globalBatchOptimized: Bool? = nil
  )
    -> String
  {
    var out: [String] = []
    out.append("Scenario: \(scenario.name ?? "(unnamed)")")
    var model = "K = \(data.count) devices, s = \(TextFormat.fmt(scenario.gradientBits, 6)) bits, "
    if case .sqrt(let xi) = scenario.lossDecay { model += "ξ = \(xi), " }
    model +=
      "B^max = \(scenario.maxBatch), T_f^U = \(scenario.uplinkFrameSeconds) s, T_f^D = \(scenario.downlinkFrameSeconds) s"
    out.append(model)
    out.append("Loss decay per round: \(scenario.lossDecay)")
    if let c = scenario.cyclesPerSample {
      out.append(
        "C = \(TextFormat.fmt(c, 3)) cycles/sample, M^C = \(TextFormat.fmt(scenario.updateCycles, 3)) cycles, M^G = \(TextFormat.fmt(scenario.updateFlops, 3)) FLOP"
      )
    } else {
      out.append("M^G = \(TextFormat.fmt(scenario.updateFlops, 3)) FLOP")
    }
    if scenario.devices.contains(where: {
      if case .distance = $0.link { return true } else { return false }
    }) {
      let ch = scenario.channel
      out.append(
        "Channel: W = \(TextFormat.fmt(ch.bandwidthHz, 3)) Hz, N0 = \(ch.noiseDbmPerHz) dBm/Hz, P^U = P^D = \(ch.uplinkPowerDbm)/\(ch.downlinkPowerDbm) dBm, "
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
    out.append(TextFormat.row(head, widths))
    let lat = data.latency(
      batches: s.batches, uplinkFractions: s.uplinkSlotSeconds.map { $0 / data.uplinkFrameSeconds },
      downlinkFractions: s.downlinkSlotSeconds.map { $0 / data.downlinkFrameSeconds })
    for k in 0..<data.count {
      let device: String
      switch scenario.devices[k].compute {
      case .cpu(let hz): device = "CPU " + TextFormat.c("%.*f", 2, hz / 1e9) + " GHz"
      case .gpu(let g): device = "GPU th=\(g.thresholdBatch)"
      }
      var distance = "-"
      if case .distance(let d) = scenario.devices[k].link { distance = TextFormat.c("%.*f", 1, d) }
      out.append(
        TextFormat.row(
          [
            "\(k)", device, distance, TextFormat.fmt(data.rates[k].uplink / 1e6, 2),
            TextFormat.fmt(data.rates[k].downlink / 1e6, 2),
            TextFormat.fmt(s.batches[k], 3), TextFormat.fmt(s.uplinkSlotSeconds[k] * 1e3, 4),
            TextFormat.fmt(s.downlinkSlotSeconds[k] * 1e3, 4),
            TextFormat.fmt(lat.compute[k]), TextFormat.fmt(lat.upload[k]),
            TextFormat.fmt(lat.download[k]), TextFormat.fmt(lat.update[k]),
          ], widths))
    }
    out.append("")
    out.append(
      "Σ B_k = \(TextFormat.fmt(s.globalBatch, 6))   Σ τ^U = \(TextFormat.fmt(s.uplinkSlotSeconds.reduce(0, +) * 1e3, 6)) ms   Σ τ^D = \(TextFormat.fmt(s.downlinkSlotSeconds.reduce(0, +) * 1e3, 6)) ms"
    )
    out.append(
      "Round: T = \(TextFormat.fmt(s.roundSeconds, 6)) s = uplink \(TextFormat.fmt(s.uplinkSeconds, 6)) s + downlink \(TextFormat.fmt(s.downlinkSeconds, 6)) s"
    )
    let formula: String
    if case .sqrt = scenario.lossDecay { formula = "ξ√B/T" } else { formula = "ΔL(B)/T" }
    out.append(
      "Loss decrease ΔL(B) = \(TextFormat.fmt(s.lossDecrease, 9)) per round (\(scenario.lossDecay.model) model)"
    )
    out.append(
      "Learning efficiency E = \(formula) = \(TextFormat.fmt(s.learningEfficiency, 9))"
        + ((globalBatchOptimized ?? (s.globalCertificate != nil))
          ? "   (global batch optimized)" : "   (global batch fixed)"))
    if let verification { out.append("Certificate: \(verification)") }
    return out.joined(separator: "\n")
  }
}
