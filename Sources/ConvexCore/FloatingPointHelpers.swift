// Small floating-point helpers shared by the solvers (internal).

/// `true` when `a` and `b` are nonzero and of opposite sign (infinities count by sign).
@inline(__always)
func oppositeSigns(_ a: Double, _ b: Double) -> Bool {
  (a < 0 && b > 0) || (a > 0 && b < 0)
}

/// The midpoint of finite `a <= b` without overflow: `a + (b − a)/2`, or `a/2 + b/2` when
/// `b − a` overflows. The result lies in `[a, b]`.
@inline(__always)
func midpoint(_ a: Double, _ b: Double) -> Double {
  let width = b - a
  return width.isFinite ? a + width / 2 : a / 2 + b / 2
}
