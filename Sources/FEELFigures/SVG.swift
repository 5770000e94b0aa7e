import Foundation

/// Shared pieces of the hand-written SVG charts: document header, titles, axes, legend.
enum SVG {
  /// The plotting area in pixels.
  struct Frame {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double
    func x(_ f: Double) -> Double { left + f * (right - left) }
    func y(_ f: Double) -> Double { bottom - f * (bottom - top) }
  }

  /// A tableau of distinguishable colours.
  static let palette = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
  ]

  static func num(_ x: Double) -> String { String(format: "%.2f", x) }

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  /// Text with `^x` raised and `_x` lowered (x: an optional `-` then a run of letters,
  /// digits or `*`), e.g. `τ^U_k` or `10^-3`, as tspans; a space after a script becomes a 4 px shift.
  static func rich(_ s: String) -> String {
    var out = ""
    var shift = 0
    let chars = Array(s)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == "^" || c == "_", i + 1 < chars.count, isScript(chars[i + 1]) || chars[i + 1] == "-" {
        var j = i + 1
        if chars[j] == "-" { j += 1 }
        while j < chars.count, isScript(chars[j]) { j += 1 }
        let target = c == "^" ? -6 : 4
        out +=
          "<tspan dy=\"\(target - shift)\" font-size=\"75%\">"
          + escape(String(chars[(i + 1)..<j])) + "</tspan>"
        shift = target
        i = j
        continue
      }
      if shift != 0 {
        var j = i
        while j < chars.count, chars[j] != "^", chars[j] != "_" { j += 1 }
        var text = String(chars[i..<j])
        // A leading space after a tspan is dropped by some renderers: shift instead.
        let dx = text.hasPrefix(" ") ? " dx=\"4\"" : ""
        if text.hasPrefix(" ") { text.removeFirst() }
        out += "<tspan dy=\"\(-shift)\"\(dx)>" + escape(text) + "</tspan>"
        shift = 0
        i = j
        continue
      }
      out += escape(String(c))
      i += 1
    }
    return out
  }

  private static func isScript(_ c: Character) -> Bool {
    c.isLetter || c.isNumber || c == "*"
  }

  static func header(width: Double, height: Double) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
    viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif">
    <rect width="100%" height="100%" fill="#ffffff"/>

    """
  }

  static func titles(_ title: String, _ subtitle: String?, width: Double) -> String {
    var out =
      "<text x=\"\(num(width / 2))\" y=\"30\" font-size=\"20\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#222\">\(rich(title))</text>\n"
    if let subtitle {
      out +=
        "<text x=\"\(num(width / 2))\" y=\"54\" font-size=\"14\" text-anchor=\"middle\" fill=\"#555\">\(rich(subtitle))</text>\n"
    }
    return out
  }

  static func axes(
    frame f: Frame, x: SVGAxis, y: SVGAxis, xLabel: String, yLabel: String
  )
    -> String
  {
    var out =
      "<defs><clipPath id=\"plot\"><rect x=\"\(num(f.left))\" y=\"\(num(f.top - 8))\" width=\"\(num(f.right - f.left))\" height=\"\(num(f.bottom - f.top + 16))\"/></clipPath></defs>\n"
    for t in x.ticks {
      let px = f.x(x.fraction(t))
      out +=
        "<line x1=\"\(num(px))\" y1=\"\(num(f.top))\" x2=\"\(num(px))\" y2=\"\(num(f.bottom))\" stroke=\"#e5e5e5\"/>\n"
      out +=
        "<line x1=\"\(num(px))\" y1=\"\(num(f.bottom))\" x2=\"\(num(px))\" y2=\"\(num(f.bottom + 6))\" stroke=\"#333\"/>\n"
      out +=
        "<text x=\"\(num(px))\" y=\"\(num(f.bottom + 24))\" font-size=\"14\" text-anchor=\"middle\" fill=\"#333\">\(rich(SVGAxis.label(t)))</text>\n"
    }
    out += yTicks(frame: f, y: y, at: f.left, anchor: "end", offset: -10)
    out +=
      "<rect x=\"\(num(f.left))\" y=\"\(num(f.top))\" width=\"\(num(f.right - f.left))\" height=\"\(num(f.bottom - f.top))\" fill=\"none\" stroke=\"#333\"/>\n"
    out +=
      "<text x=\"\(num((f.left + f.right) / 2))\" y=\"\(num(f.bottom + 52))\" font-size=\"16\" text-anchor=\"middle\" fill=\"#222\">\(rich(xLabel))</text>\n"
    out += yTitle(yLabel, frame: f, x: 24)
    return out
  }

  static func yTicks(
    frame f: Frame, y: SVGAxis, at x0: Double, anchor: String, offset: Double
  )
    -> String
  {
    var out = ""
    for t in y.ticks {
      let py = f.y(y.fraction(t))
      out +=
        "<line x1=\"\(num(f.left))\" y1=\"\(num(py))\" x2=\"\(num(f.right))\" y2=\"\(num(py))\" stroke=\"#e5e5e5\"/>\n"
      out +=
        "<line x1=\"\(num(x0 - 6))\" y1=\"\(num(py))\" x2=\"\(num(x0))\" y2=\"\(num(py))\" stroke=\"#333\"/>\n"
      out +=
        "<text x=\"\(num(x0 + offset))\" y=\"\(num(py + 5))\" font-size=\"14\" text-anchor=\"\(anchor)\" fill=\"#333\">\(rich(SVGAxis.label(t)))</text>\n"
    }
    return out
  }

  static func yTitle(_ label: String, frame f: Frame, x: Double) -> String {
    let cy = (f.top + f.bottom) / 2
    return
      "<text x=\"\(num(x))\" y=\"\(num(cy))\" font-size=\"16\" text-anchor=\"middle\" fill=\"#222\" transform=\"rotate(-90 \(num(x)) \(num(cy)))\">\(rich(label))</text>\n"
  }

  /// Width and height of the legend box for these entries.
  static func legendSize(_ entries: [(String, String, Bool)]) -> (width: Double, height: Double) {
    let longest = entries.map(\.0.count).max() ?? 0
    return (Double(longest) * 7.8 + 52, Double(entries.count) * 22 + 12)
  }

  /// The legend box with its top-left corner at (x0, y0).
  static func legend(_ entries: [(String, String, Bool)], x0: Double, y0: Double) -> String {
    guard !entries.isEmpty else { return "" }
    let (w, h) = legendSize(entries)
    var out =
      "<rect x=\"\(num(x0))\" y=\"\(num(y0))\" width=\"\(num(w))\" height=\"\(num(h))\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#bbb\" rx=\"4\"/>\n"
    for (i, e) in entries.enumerated() {
      let y = y0 + 18 + Double(i) * 22
      let dash = e.2 ? " stroke-dasharray=\"7 5\"" : ""
      out +=
        "<line x1=\"\(num(x0 + 10))\" y1=\"\(num(y - 5))\" x2=\"\(num(x0 + 38))\" y2=\"\(num(y - 5))\" stroke=\"\(e.1)\" stroke-width=\"3\"\(dash)/>\n"
      out +=
        "<text x=\"\(num(x0 + 46))\" y=\"\(num(y))\" font-size=\"14\" fill=\"#222\">\(rich(e.0))</text>\n"
    }
    return out
  }
}
