import Foundation

/// A linear or logarithmic plot axis: its data range, the map to pixels and its ticks.
///
/// Linear ticks are "nice" steps 1, 2 or 5 × 10^n, four to eight intervals, chosen to
/// waste the least room; logarithmic ticks
/// are 1, 2 and 5 × 10^n (only the decades when the range spans more than three).
public struct SVGAxis: Sendable, Equatable {
  /// Lower end of the data range (after padding to nice ticks).
  public var low: Double
  /// Upper end of the data range.
  public var high: Double
  /// Logarithmic scale (both ends > 0).
  public var log: Bool
  /// The distance between linear ticks (unused on a log axis).
  public var step: Double = 1

  /// An axis covering `values` (finite ones; positive ones on a log axis), widened to
  /// nice values (1, 2 or 5 × 10^n on a log axis); `includeZero` pulls a linear axis down (or up) to 0.
  public init(covering values: [Double], log: Bool = false, includeZero: Bool = false) {
    let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
    var lo = finite.min() ?? (log ? 1 : 0)
    var hi = finite.max() ?? (log ? 10 : 1)
    self.log = log
    if log {
      if hi <= lo {
        lo /= 2
        hi *= 2
      }
      low = Self.niceBelow(lo)
      high = Self.niceAbove(hi)
      return
    }
    if includeZero {
      lo = Swift.min(lo, 0)
      hi = Swift.max(hi, 0)
    }
    if hi <= lo {
      let pad = lo == 0 ? 1 : abs(lo) * 0.1
      lo -= pad
      hi += pad
    }
    // Among nice steps for 4 to 8 intervals, the one whose range wastes least room.
    var best: (low: Double, high: Double, step: Double)?
    for n in 4...8 {
      let step = Self.niceStep((hi - lo) / Double(n))
      let l = Foundation.floor(lo / step + 1e-9) * step
      let h = Foundation.ceil(hi / step - 1e-9) * step
      if let b = best, h - l >= b.high - b.low - 1e-9 * step { continue }
      best = (l, h, step)
    }
    low = best?.low ?? lo
    high = best?.high ?? hi
    step = best?.step ?? (hi - lo)
  }

  static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let e = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
    let f = raw / e
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * e
  }

  static func niceBelow(_ x: Double) -> Double {
    let e = Foundation.pow(10, Foundation.floor(Foundation.log10(x)))
    return [5.0, 2, 1].map { $0 * e }.first { $0 <= x * (1 + 1e-12) } ?? e
  }

  static func niceAbove(_ x: Double) -> Double {
    let e = Foundation.pow(10, Foundation.floor(Foundation.log10(x)))
    return [1.0, 2, 5, 10].map { $0 * e }.first { $0 >= x * (1 - 1e-12) } ?? 10 * e
  }

  /// The position of `x` in [0, 1] along the axis.
  public func fraction(_ x: Double) -> Double {
    if log {
      return (Foundation.log10(x) - Foundation.log10(low))
        / (Foundation.log10(high) - Foundation.log10(low))
    }
    return (x - low) / (high - low)
  }

  /// The tick values, in increasing order.
  public var ticks: [Double] {
    if log {
      let d0 = Int(Foundation.floor(Foundation.log10(low) + 1e-9))
      let d1 = Int(Foundation.ceil(Foundation.log10(high) - 1e-9))
      let mantissas: [Double] = d1 - d0 <= 3 ? [1, 2, 5] : [1]
      var out: [Double] = []
      for d in d0...Swift.max(d0, d1) {
        for m in mantissas {
          let t = m * Foundation.pow(10, Double(d))
          if t >= low * (1 - 1e-9), t <= high * (1 + 1e-9) { out.append(t) }
        }
      }
      return out
    }
    let n = Int(((high - low) / step).rounded())
    return (0...Swift.max(0, n)).map { low + Double($0) * step }
  }

  /// A short label for a tick: plain decimals, or a power of ten for very large/small.
  public static func label(_ x: Double) -> String {
    if x == 0 { return "0" }
    let a = abs(x)
    if a >= 1e5 || a < 1e-3 {
      let e = Int(Foundation.floor(Foundation.log10(a) + 1e-9))
      let m = x / Foundation.pow(10, Double(e))
      if abs(m - m.rounded()) < 1e-9 {
        let mi = Int(m.rounded())
        return mi == 1 ? "10^\(e)" : "\(mi)·10^\(e)"
      }
      return String(format: "%.1f·10^%d", m, e)
    }
    var s = String(format: "%.4f", x)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
  }
}
