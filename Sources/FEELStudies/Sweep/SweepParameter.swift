import FEEL
import Foundation

/// A scenario parameter that `feel sweep` varies, and how a value is applied.
///
/// Each case maps a base `Scenario` and a value to a new, validated scenario:
/// - ``devices``: K devices, built by repeating the base fleet cyclically (device k is a
///   copy of base device k mod K₀, same compute, same rates or distance). K is the value
///   rounded to the nearest integer, at least 1.
/// - ``bandwidth``: W in Hz. Devices given by distance get `channel.bandwidthHz = W` (so
///   both the bandwidth and the noise power N₀W change, eqs. 5–6); devices given by rates
///   have their rates scaled by W/W₀ (W₀ the base channel's bandwidth, 10 MHz by default),
///   that is, their spectral efficiency is held fixed.
/// - ``cpu``: a factor applied to every CPU frequency f_k^C (GPU devices: their
///   latencies t_k^ℓ and c_k are divided and f_k^G multiplied by it); with a device index
///   only that device is scaled.
/// - ``uplink``: a factor applied to the uplink rate R_k^U of every device (or of one
///   device); distance-based devices are first converted to their average rates.
/// - ``gradient``: s, the gradient size in bits.
/// - ``maxBatch``: B^max, rounded to the nearest integer (≥ 1 and ≥ every GPU threshold).
/// - ``exponent``: α of the power loss decay ΔL = ξ·B^α (in (0, 1]); a sqrt model becomes
///   the power model with the same ξ (α = 1/2 is the sqrt model); not for saturating.
/// - ``noiseBatch``: B_n of the saturating loss decay ΔL = L∞·B/(B + B_n); a sqrt or power
///   model becomes the saturating model with L∞ equal to its ξ.
/// - ``maxDecrease``: L∞ of the saturating model (it scales E and never moves the policy);
///   only for a saturating model.
public enum SweepParameter: String, Sendable, CaseIterable {
  /// K, the number of devices.
  case devices
  /// W, the channel bandwidth in Hz.
  case bandwidth
  /// A factor on the CPU (compute) speed.
  case cpu
  /// A factor on the uplink rates.
  case uplink
  /// s, the gradient size in bits.
  case gradient
  /// B^max, the per-device batch ceiling.
  case maxBatch
  /// α of the power loss decay.
  case exponent
  /// B_n of the saturating loss decay.
  case noiseBatch
  /// L∞ of the saturating loss decay.
  case maxDecrease

  /// The column heading of the swept value in CSV and pictures.
  package var label: String {
    switch self {
    case .devices: return "devices K"
    case .bandwidth: return "bandwidth W (Hz)"
    case .cpu: return "CPU speed factor"
    case .uplink: return "uplink rate factor"
    case .gradient: return "gradient size s (bits)"
    case .maxBatch: return "B^max"
    case .exponent: return "loss-decay exponent α"
    case .noiseBatch: return "noise batch B_n"
    case .maxDecrease: return "max decrease L∞"
    }
  }

  /// The scenario with this parameter set to `value`.
  ///
  /// - Parameters:
  ///   - value: the new value of the parameter (finite and > 0).
  ///   - base: the scenario to change.
  ///   - device: for ``cpu`` and ``uplink``, the index of the one device to scale
  ///     (nil: every device); ignored by the other parameters.
  /// - Throws: `InfeasibleRequest` (field `device` or the parameter) for a value or
  ///   index that cannot be applied, `ScenarioError` when the new scenario is invalid.
  public func apply(_ value: Double, to base: Scenario, device: Int? = nil) throws -> Scenario {
    guard value.isFinite, value > 0 else {
      throw InfeasibleRequest(
        field: rawValue, reason: "value must be a finite number > 0 (got \(value))")
    }
    if let device, !(0..<base.deviceCount).contains(device) {
      throw InfeasibleRequest(
        field: "device", reason: "must be in 0...\(base.deviceCount - 1) (got \(device))")
    }
    var s = base.parameters
    switch self {
    case .devices:
      guard value < 1e8 else {
        throw InfeasibleRequest(field: rawValue, reason: "at most 1e8 devices (got \(value))")
      }
      let k = Swift.max(1, Int(value.rounded()))
      s.devices = (0..<k).map { base.devices[$0 % base.deviceCount] }
    case .bandwidth:
      let ratio = value / base.channel.bandwidthHz
      s.channel = s.channel.replacing(bandwidthHz: value)
      s.devices = base.devices.map { d in
        guard case .rates(let up, let down) = d.link else { return d }
        return Device(
          compute: d.compute, link: .rates(uplinkBps: up * ratio, downlinkBps: down * ratio))
      }
    case .cpu:
      s.devices = base.devices.enumerated().map { k, d in
        guard device == nil || device == k else { return d }
        switch d.compute {
        case .cpu(let hz): return Device(compute: .cpu(hz: hz * value), link: d.link)
        case .gpu(let g):
          let faster = GPUProfile(
            baseSeconds: g.baseSeconds / value, secondsPerSample: g.secondsPerSample / value,
            thresholdBatch: g.thresholdBatch, flops: g.flops * value)
          return Device(compute: .gpu(faster), link: d.link)
        }
      }
    case .uplink:
      s.devices = base.devices.enumerated().map { k, d in
        guard device == nil || device == k else { return d }
        let r = base.rates(of: k)
        return Device(
          compute: d.compute, link: .rates(uplinkBps: r.uplink * value, downlinkBps: r.downlink))
      }
    case .gradient:
      s.gradientBits = value
    case .maxBatch:
      guard value < 1e15 else {
        throw InfeasibleRequest(field: rawValue, reason: "too large (got \(value))")
      }
      s.maxBatch = Swift.max(1, Int(value.rounded()))
    case .exponent:
      switch base.lossDecay {
      case .sqrt(let c), .power(let c, _): s.lossDecay = .power(coefficient: c, exponent: value)
      case .saturating:
        throw InfeasibleRequest(
          field: rawValue, reason: "applies to the sqrt and power loss-decay models only")
      }
    case .noiseBatch:
      s.lossDecay = .saturating(maxDecrease: base.lossDecay.scale, noiseBatch: value)
    case .maxDecrease:
      guard case .saturating(_, let n) = base.lossDecay else {
        throw InfeasibleRequest(
          field: rawValue, reason: "applies to the saturating loss-decay model only")
      }
      s.lossDecay = .saturating(maxDecrease: value, noiseBatch: n)
    }
    return try Scenario(s)
  }
}
