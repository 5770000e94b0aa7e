import FEEL
import FEELTestSupport
import Foundation
import Testing

/// The channel model of eqs. (5)–(6) and Table I: the exponential integral, the exact
/// Rayleigh average rate, "none" fading and the path loss.
@Suite struct ChannelTests {
  /// E1(x) from Abramowitz & Stegun, Table 5.1 (to the digits given there, extended to
  /// double precision with an independent 40-digit evaluation).
  static let abramowitzStegunE1: [(x: Double, e1: Double)] = [
    (0.5, 0.5597735947761608), (1, 0.21938393439552029), (2, 0.04890051070806112),
    (5, 0.001148295591275326), (10, 4.156968929685324e-06),
  ]

  /// e^x·E1(x) to 20 digits (mpmath 1.3 at 40 decimal digits, an implementation that
  /// shares no code with this package).
  static let scaledE1: [(x: Double, value: Double)] = [
    (1e-6, 13.238309131365003456), (0.001, 6.337874070325487977), (0.01, 4.0785114434564258466),
    (0.1, 2.0146425447084516791), (0.25, 1.3408854448313933526), (0.5, 0.92291063248373046883),
    (0.9, 0.63994922663929974077), (0.999, 0.59675131336868582445),
    (1, 0.59634736232319407434), (1.001, 0.59594400762544767665), (1.1, 0.5587475561702363653),
    (1.5, 0.44825666929158295392), (2, 0.3613286168882225847), (3, 0.26208374025531849619),
    (4, 0.2063456499010558331), (5, 0.17042217628473220181), (10, 0.091563333939788081876),
    (20, 0.047718545495960841699), (50, 0.019615109930114870365),
    (100, 0.0099019422867330184064), (1000, 0.000999001994023880715),
    (1e10, 9.9999999990000000002e-11),
  ]

  @Test func scaledE1MatchesAbramowitzStegunTable() {
    for (x, e1) in Self.abramowitzStegunE1 {
      let expected = exp(x) * e1
      let got = SpecialFunctions.expE1(x)
      #expect(relativeDifference(got, expected) <= 1e-13, "x = \(x): \(got) vs \(expected)")
    }
  }

  @Test func scaledE1MatchesHighPrecisionValuesFrom1eMinus6To1e10() {
    for (x, value) in Self.scaledE1 {
      let got = SpecialFunctions.expE1(x)
      #expect(relativeDifference(got, value) <= 1e-13, "x = \(x): \(got) vs \(value)")
    }
  }

  @Test func scaledE1IsContinuousAcrossTheSeriesContinuedFractionSwitchAtOne() {
    // The series serves x ≤ 1, the continued fraction x > 1. The derivative of e^x·E1(x)
    // is e^x·E1(x) − 1/x, so a step of a few ulps moves the value by far less than 1e-15;
    // what remains is the difference of the two methods' rounding errors (measured: 4.3e-15,
    // about 20 ulps, from the cancellation in the series near x = 1).
    let f1 = SpecialFunctions.expE1(1)
    var x = 1.0
    for _ in 0..<8 {
      let below = SpecialFunctions.expE1(x.nextDown)
      let above = SpecialFunctions.expE1(x.nextUp)
      #expect(relativeDifference(below, f1) <= 1e-14, "below 1 at \(x.nextDown): \(below)")
      #expect(relativeDifference(above, f1) <= 1e-14, "above 1 at \(x.nextUp): \(above)")
      x = x.nextUp
    }
    // Across a wider step the slope matches the derivative (no jump at the switch).
    let h = 1e-6
    let jump = SpecialFunctions.expE1(1 + h) - SpecialFunctions.expE1(1 - h)
    let slope = f1 - 1
    #expect(abs(jump / (2 * h) - slope) <= 1e-6, "slope \(jump / (2 * h)) vs \(slope)")
  }

  @Test func scaledE1IsDecreasingOnAGridThroughTheSwitch() {
    var previous = Double.infinity
    for i in 1...4000 {
      let x = Double(i) * 5e-4
      let v = SpecialFunctions.expE1(x)
      #expect(v < previous, "not decreasing at x = \(x)")
      previous = v
    }
  }

  @Test func scaledE1EdgeCases() {
    #expect(SpecialFunctions.expE1(0) == .infinity)
    #expect(SpecialFunctions.expE1(-1).isNaN)
    #expect(SpecialFunctions.expE1(.nan).isNaN)
    #expect(SpecialFunctions.expE1(.infinity) == 0)
    #expect(SpecialFunctions.expE1(-.infinity).isNaN)
    // Large x: e^x·E1(x) = 1/x − 1/x² + …, no overflow.
    #expect(relativeDifference(SpecialFunctions.expE1(1e300), 1e-300) <= 1e-13)
    // Tiny x: −γ − ln x.
    let tiny = 1e-300
    #expect(
      relativeDifference(SpecialFunctions.expE1(tiny), -0.5772156649015329 - log(tiny)) <= 1e-13)
  }

  @Test func rayleighRateMatchesSeededMonteCarlo() {
    // E[log2(1 + γX)], X ~ Exp(1), from 10^6 samples per SNR; the exact value must lie
    // within 5 standard errors of the sample mean.
    let channel = Channel(fading: .rayleigh)
    let seed: UInt64 = 20_260_101
    var g = SeededGenerator(seed: seed)
    for snr in [0.05, 1.0, 30.0, 14_125.375446227543] {
      let n = 1_000_000
      var sum = 0.0
      var sumSquares = 0.0
      for _ in 0..<n {
        let v = log1p(snr * g.exponential()) / M_LN2
        sum += v
        sumSquares += v * v
      }
      let mean = sum / Double(n)
      let variance = (sumSquares - Double(n) * mean * mean) / Double(n - 1)
      let standardError = (variance / Double(n)).squareRoot()
      let exact = channel.spectralEfficiency(snr: snr)
      #expect(
        abs(exact - mean) <= 5 * standardError,
        "seed \(seed), γ = \(snr): exact \(exact), Monte Carlo \(mean) ± \(standardError)")
    }
  }

  @Test func rayleighAverageIsBelowTheNoFadingRate() {
    // Jensen: E[log2(1 + γX)] < log2(1 + γE[X]) for the concave log.
    let rayleigh = Channel(fading: .rayleigh)
    let none = Channel(fading: .none)
    for snr in [1e-6, 1e-3, 0.1, 1, 10, 1e3, 1e6] {
      let r = rayleigh.spectralEfficiency(snr: snr)
      let n = none.spectralEfficiency(snr: snr)
      #expect(r < n, "γ = \(snr): \(r) vs \(n)")
      #expect(r > 0)
    }
  }

  @Test func noFadingIsShannonAtTheMeanSNR() {
    let channel = Channel(fading: .none)
    // SNRs where 1 + γ is exact, so log2(1 + γ) is a correctly rounded reference.
    for (snr, bits) in [
      (1.0, 1.0), (3, 2), (1023, 10), (0.5, log2(1.5)), (0x1p-10, log2(1 + 0x1p-10)),
    ] {
      #expect(relativeDifference(channel.spectralEfficiency(snr: snr), bits) <= 1e-15, "γ = \(snr)")
    }
    let d = 100.0
    let gamma = channel.meanSNR(distanceMeters: d, powerDbm: channel.uplinkPowerDbm)
    #expect(
      relativeDifference(channel.uplinkRate(distanceMeters: d), 1e7 * log2(1 + gamma)) <= 1e-15)
  }

  @Test func pathLossAndSNRFollowTableI() {
    // PL = 128.1 + 37.6·log10(d[km]) dB, P = 28 dBm, N0 = −174 dBm/Hz, W = 10 MHz:
    // at 100 m PL = 90.5 dB and γ = 28 − 90.5 + 174 − 70 = 41.5 dB;
    // at 1 km PL = 128.1 dB and γ = 3.9 dB.
    let channel = Channel()
    #expect(channel.bandwidthHz == 1e7)
    #expect(channel.noiseDbmPerHz == -174)
    #expect(channel.uplinkPowerDbm == 28)
    #expect(channel.downlinkPowerDbm == 28)
    #expect(channel.pathLossInterceptDb == 128.1)
    #expect(channel.pathLossSlopeDb == 37.6)
    #expect(channel.fading == .rayleigh)
    let at100 = channel.meanSNR(distanceMeters: 100, powerDbm: 28)
    #expect(relativeDifference(at100, 14_125.375446227543022) <= 1e-12, "\(at100)")
    let at1000 = channel.meanSNR(distanceMeters: 1000, powerDbm: 28)
    #expect(relativeDifference(at1000, 2.4547089156850303561) <= 1e-12, "\(at1000)")
    // Rayleigh average rate at 100 m: W·e^{1/γ}E1(1/γ)/ln 2.
    let rate = channel.uplinkRate(distanceMeters: 100)
    let expected = 1e7 * SpecialFunctions.expE1(1 / at100) / M_LN2
    #expect(relativeDifference(rate, expected) <= 1e-15)
    #expect(rate > 1.2e8 && rate < 1.4e8, "\(rate)")
    // The slope: ten times the distance costs 37.6 dB.
    let ratio = channel.meanSNR(distanceMeters: 10, powerDbm: 28) / at100
    #expect(relativeDifference(10 * log10(ratio), 37.6) <= 1e-12)
  }

  @Test func ratesFallWithDistanceAndDownlinkUsesItsOwnPower() {
    let channel = Channel(downlinkPowerDbm: 38)
    var previous = Double.infinity
    for d in stride(from: 10.0, through: 2000, by: 10) {
      let r = channel.uplinkRate(distanceMeters: d)
      #expect(r < previous, "d = \(d)")
      #expect(channel.downlinkRate(distanceMeters: d) > r, "d = \(d)")
      previous = r
    }
  }
}
