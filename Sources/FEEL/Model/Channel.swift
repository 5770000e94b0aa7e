import Foundation

/// Small-scale fading model for the average rates of eqs. (5)–(6).
public enum Fading: String, Sendable, Equatable, CaseIterable {
  /// Rayleigh fading: |h|² is unit-mean exponential; the average rate is exact,
  /// E[log2(1 + γX)] = e^{1/γ}·E1(1/γ)/ln 2.
  case rayleigh
  /// No small-scale fading: log2(1 + γ).
  case none
}

/// Radio parameters of Table I, used to compute the average rates of devices given by
/// distance (eqs. 5–6 with path loss PL[dB] = intercept + slope·log10(d[km])).
public struct Channel: Sendable, Equatable {
  /// W, the system bandwidth, Hz.
  public let bandwidthHz: Double
  /// N0, the noise power spectral density, dBm/Hz.
  public let noiseDbmPerHz: Double
  /// P_k^U, the devices' transmit power, dBm.
  public let uplinkPowerDbm: Double
  /// P_k^D, the base station's transmit power, dBm.
  public let downlinkPowerDbm: Double
  /// Path-loss intercept, dB (128.1 in Table I).
  public let pathLossInterceptDb: Double
  /// Path-loss slope per decade of distance in km, dB (37.6 in Table I).
  public let pathLossSlopeDb: Double
  /// Small-scale fading.
  public let fading: Fading

  /// A channel; every default is Table I's. Values are checked when the ``Scenario`` is
  /// built.
  public init(
    bandwidthHz: Double = 1e7, noiseDbmPerHz: Double = -174, uplinkPowerDbm: Double = 28,
    downlinkPowerDbm: Double = 28, pathLossInterceptDb: Double = 128.1,
    pathLossSlopeDb: Double = 37.6, fading: Fading = .rayleigh
  ) {
    self.bandwidthHz = bandwidthHz
    self.noiseDbmPerHz = noiseDbmPerHz
    self.uplinkPowerDbm = uplinkPowerDbm
    self.downlinkPowerDbm = downlinkPowerDbm
    self.pathLossInterceptDb = pathLossInterceptDb
    self.pathLossSlopeDb = pathLossSlopeDb
    self.fading = fading
  }

  /// This channel with some fields replaced (the others kept).
  public func replacing(
    bandwidthHz: Double? = nil, noiseDbmPerHz: Double? = nil, uplinkPowerDbm: Double? = nil,
    downlinkPowerDbm: Double? = nil, pathLossInterceptDb: Double? = nil,
    pathLossSlopeDb: Double? = nil, fading: Fading? = nil
  ) -> Channel {
    Channel(
      bandwidthHz: bandwidthHz ?? self.bandwidthHz,
      noiseDbmPerHz: noiseDbmPerHz ?? self.noiseDbmPerHz,
      uplinkPowerDbm: uplinkPowerDbm ?? self.uplinkPowerDbm,
      downlinkPowerDbm: downlinkPowerDbm ?? self.downlinkPowerDbm,
      pathLossInterceptDb: pathLossInterceptDb ?? self.pathLossInterceptDb,
      pathLossSlopeDb: pathLossSlopeDb ?? self.pathLossSlopeDb, fading: fading ?? self.fading)
  }

  /// Checks every field, naming it as `prefix.field`.
  func validate(prefix: String) throws {
    _ = try Check.positive(bandwidthHz, "\(prefix).bandwidthHz")
    _ = try Check.finite(noiseDbmPerHz, "\(prefix).noiseDbmPerHz")
    _ = try Check.finite(uplinkPowerDbm, "\(prefix).uplinkPowerDbm")
    _ = try Check.finite(downlinkPowerDbm, "\(prefix).downlinkPowerDbm")
    _ = try Check.finite(pathLossInterceptDb, "\(prefix).pathLossInterceptDb")
    _ = try Check.finite(pathLossSlopeDb, "\(prefix).pathLossSlopeDb")
  }

  /// Mean received SNR γ = P·10^(−PL/10) / (N0·W) at `distanceMeters` for a transmit
  /// power of `powerDbm`.
  package func meanSNR(distanceMeters: Double, powerDbm: Double) -> Double {
    let pathLossDb = pathLossInterceptDb + pathLossSlopeDb * log10(distanceMeters / 1000)
    let exponentDb = powerDbm - pathLossDb - noiseDbmPerHz
    return pow(10, exponentDb / 10) / bandwidthHz
  }

  /// Spectral efficiency in bit/s/Hz at mean SNR `snr` under ``fading``.
  package func spectralEfficiency(snr: Double) -> Double {
    switch fading {
    case .none: return log1p(snr) / M_LN2
    case .rayleigh: return SpecialFunctions.expE1(1 / snr) / M_LN2
    }
  }

  /// R_k^U of eq. (5), bit/s.
  public func uplinkRate(distanceMeters d: Double) -> Double {
    bandwidthHz * spectralEfficiency(snr: meanSNR(distanceMeters: d, powerDbm: uplinkPowerDbm))
  }

  /// R_k^D of eq. (6), bit/s.
  public func downlinkRate(distanceMeters d: Double) -> Double {
    bandwidthHz * spectralEfficiency(snr: meanSNR(distanceMeters: d, powerDbm: downlinkPowerDbm))
  }
}

/// Special functions needed by the channel model.
package enum SpecialFunctions {
  /// e^x·E1(x) for x > 0, where E1(x) = ∫_x^∞ e^{−t}/t dt is the exponential integral.
  ///
  /// Power series for x ≤ 1 and the continued fraction (modified Lentz) for x > 1, as in
  /// Press et al., Numerical Recipes, §6.3; relative accuracy about 1e-15. Scaling by
  /// e^x avoids overflow and underflow: e^x·E1(x) ~ 1/x for large x, so the average
  /// Rayleigh rate of a weak link (small SNR γ, x = 1/γ) is computed without loss.
  /// Returns +∞ at x = 0 and NaN for x < 0 or NaN.
  package static func expE1(_ x: Double) -> Double {
    guard x.isFinite else { return x == .infinity ? 0 : .nan }
    guard x > 0 else { return x == 0 ? .infinity : .nan }
    if x <= 1 {
      let eulerGamma = 0.577_215_664_901_532_860_6
      var sum = 0.0
      var term = 1.0
      var n = 1.0
      while n < 200 {
        term *= -x / n
        let add = term / n
        sum += add
        if abs(add) < 1e-17 * abs(sum) { break }
        n += 1
      }
      return exp(x) * (-eulerGamma - log(x) - sum)
    }
    let tiny = 1e-300
    var b = x + 1
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    var i = 1.0
    while i < 1000 {
      let an = -i * i
      b += 2
      d = 1 / (an * d + b)
      c = b + an / c
      let del = c * d
      h *= del
      if abs(del - 1) < 1e-16 { break }
      i += 1
    }
    return h
  }
}
