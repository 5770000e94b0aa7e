import Foundation

/// A hand-written SVG bar chart of one or more stacked panels that share their
/// categories (for example one bar per device: B_k above, τ_k^U below).
public struct SVGBarChart: Sendable {
  /// One panel: a y-axis label, one value per category and a colour.
  public struct Panel: Sendable {
    /// y-axis label.
    public var label: String
    /// One value per category.
    public var values: [Double]
    /// Fill colour (CSS).
    public var color: String
    /// Creates a panel.
    public init(label: String, values: [Double], color: String) {
      self.label = label
      self.values = values
      self.color = color
    }
  }

  /// Title above the chart.
  public var title: String
  /// Optional second line.
  public var subtitle: String?
  /// Category names along the x axis.
  public var categories: [String]
  /// x-axis label.
  public var xLabel: String
  /// The panels, top to bottom.
  public var panels: [Panel]

  /// Creates a chart.
  public init(
    title: String, subtitle: String? = nil, categories: [String], xLabel: String, panels: [Panel]
  ) {
    self.title = title
    self.subtitle = subtitle
    self.categories = categories
    self.xLabel = xLabel
    self.panels = panels
  }

  /// `v` to three significant digits, for bar labels.
  static func round3(_ v: Double) -> Double {
    guard v != 0, v.isFinite else { return v }
    let e = Foundation.pow(10, Foundation.floor(Foundation.log10(abs(v))) - 2)
    return (v / e).rounded() * e
  }

  /// The chart as an SVG document; the height grows with the number of panels.
  public func render(width: Double = 800, panelHeight: Double = 240) -> String {
    let top = subtitle == nil ? 50.0 : 74.0
    let gap = 30.0
    let height = top + Double(panels.count) * (panelHeight + gap) + 36
    var out = SVG.header(width: width, height: height)
    out += SVG.titles(title, subtitle, width: width)
    let n = Swift.max(categories.count, 1)
    // Label every category when they fit, else every few.
    let every = Swift.max(1, Int((Double(n) * 28 / (width - 120)).rounded(.up)))
    for (p, panel) in panels.enumerated() {
      let y0 = top + Double(p) * (panelHeight + gap)
      let f = SVG.Frame(left: 90, top: y0 + 10, right: width - 30, bottom: y0 + panelHeight)
      let top = panel.values.filter(\.isFinite).max() ?? 0
      // Headroom for the value labels.
      let axis = SVGAxis(covering: panel.values + [top * (n <= 24 ? 1.08 : 1)], includeZero: true)
      out += SVG.yTicks(frame: f, y: axis, at: f.left, anchor: "end", offset: -10)
      out += SVG.yTitle(panel.label, frame: f, x: 24)
      let slot = (f.right - f.left) / Double(n)
      for (i, v) in panel.values.enumerated() where v.isFinite {
        let x = f.left + Double(i) * slot + slot * 0.15
        let yTop = f.y(axis.fraction(Swift.max(v, 0)))
        let yZero = f.y(axis.fraction(0))
        out +=
          "<rect x=\"\(SVG.num(x))\" y=\"\(SVG.num(yTop))\" width=\"\(SVG.num(slot * 0.7))\" height=\"\(SVG.num(Swift.max(0, yZero - yTop)))\" fill=\"\(panel.color)\"><title>\(SVG.escape(categories.indices.contains(i) ? categories[i] : "\(i)")): \(v)</title></rect>\n"
        if n <= 24 {
          // The value above its bar.
          out +=
            "<text x=\"\(SVG.num(x + slot * 0.35))\" y=\"\(SVG.num(yTop - 4))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#444\">\(SVGAxis.label(Self.round3(v)))</text>\n"
        }
      }
      out +=
        "<rect x=\"\(SVG.num(f.left))\" y=\"\(SVG.num(f.top))\" width=\"\(SVG.num(f.right - f.left))\" height=\"\(SVG.num(f.bottom - f.top))\" fill=\"none\" stroke=\"#333\"/>\n"
      for (i, c) in categories.enumerated() where i % every == 0 {
        let x = f.left + (Double(i) + 0.5) * slot
        out +=
          "<text x=\"\(SVG.num(x))\" y=\"\(SVG.num(f.bottom + 18))\" font-size=\"13\" text-anchor=\"middle\" fill=\"#333\">\(SVG.escape(c))</text>\n"
      }
    }
    out +=
      "<text x=\"\(SVG.num((90 + width - 30) / 2))\" y=\"\(SVG.num(height - 12))\" font-size=\"16\" text-anchor=\"middle\" fill=\"#222\">\(SVG.rich(xLabel))</text>\n"
    return out + "</svg>\n"
  }
}
