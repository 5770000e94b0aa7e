import Foundation

/// Number and table formatting of the command-line output (`feel` and `feel-verify`).
///
/// Numbers are formatted by integer arithmetic (`%.Nf` and `%.Ne` equivalents, falling back
/// to the C library's `vsnprintf` at the edges) rather than `String(format:)`, which costs
/// about 10 µs a call on Linux: for a table of 10^5 devices that is 0.2 s instead of 3 s.
/// A value within an ulp of a rounding tie may show a last digit one off from `printf`.
package enum TextFormat {
  /// `x` with `digits` decimals, in fixed notation for 10⁻³ ≤ |x| < 10⁷ and scientific
  /// otherwise.
  package static func fmt(_ x: Double, _ digits: Int = 4) -> String {
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
  package static func fixed(_ x: Double, _ d: Int) -> String? {
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
  package static func scientific(_ x: Double, _ d: Int) -> String? {
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
  package static func c(_ format: StaticString, _ digits: Int, _ x: Double) -> String {
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

  /// The cells right-aligned to `widths`, two spaces apart.
  package static func row(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).map { cell, w in
      cell.count >= w ? cell : String(repeating: " ", count: w - cell.count) + cell
    }.joined(separator: "  ")
  }

  /// A number with ten significant digits (`%.10g`).
  package static func significant(_ x: Double) -> String { String(format: "%.10g", x) }

  /// A number in scientific notation with two decimals (`%.2e`).
  package static func sci(_ x: Double) -> String { String(format: "%.2e", x) }

  /// `text` padded on the right with spaces to `width` characters.
  package static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
}
