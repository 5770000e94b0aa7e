/// The relative difference of two numbers, |a − b| / max(|a|, |b|): the one measure of
/// approximate equality of the test suites (symmetric, so which side is the reference does
/// not matter).
///
/// 0 when `a == b` (two zeros or two equal infinities included); NaN when either is NaN or
/// exactly one is infinite, so `relativeDifference(x, y) <= tolerance` then fails; 1 when
/// exactly one of them is zero.
public func relativeDifference(_ a: Double, _ b: Double) -> Double {
  if a == b { return 0 }
  return abs(a - b) / Swift.max(abs(a), abs(b), .leastNormalMagnitude)
}
