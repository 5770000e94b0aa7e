import Foundation

/// A hand-written SVG line chart: axes with ticks, grid and labels, a title, a legend and
/// marked points. No dependencies; the output is a complete standalone SVG document.
public struct SVGChart: Sendable {
  /// One curve.
  public struct Series: Sendable {
    /// Legend text.
    public var name: String
    /// (x, y) points, drawn in the order given; non-finite points break the line.
    public var points: [(x: Double, y: Double)]
    /// Stroke colour (CSS).
    public var color: String
    /// Dashed line.
    public var dashed: Bool
    /// Draw a dot at every point.
    public var dots: Bool

    /// Creates a series.
    public init(
      name: String, points: [(x: Double, y: Double)], color: String, dashed: Bool = false,
      dots: Bool = false
    ) {
      self.name = name
      self.points = points
      self.color = color
      self.dashed = dashed
      self.dots = dots
    }
  }

  /// A highlighted point with a text label (e.g. the optimum).
  public struct Mark: Sendable {
    /// Position.
    public var x: Double
    /// Position.
    public var y: Double
    /// Label drawn next to it.
    public var label: String
    /// Creates a mark.
    public init(x: Double, y: Double, label: String) {
      self.x = x
      self.y = y
      self.label = label
    }
  }

  /// Title above the plot.
  public var title: String
  /// Optional second line under the title.
  public var subtitle: String?
  /// x-axis label.
  public var xLabel: String
  /// y-axis label.
  public var yLabel: String
  /// Logarithmic x axis.
  public var xLog = false
  /// Logarithmic y axis.
  public var yLog = false
  /// Start the y axis at zero.
  public var yFromZero = false
  /// The curves.
  public var series: [Series] = []
  /// Marked points.
  public var marks: [Mark] = []

  /// Creates an empty chart.
  public init(title: String, subtitle: String? = nil, xLabel: String, yLabel: String) {
    self.title = title
    self.subtitle = subtitle
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  /// The chart as an SVG document of `width` × `height` pixels.
  public func render(width: Double = 800, height: Double = 520) -> String {
    let xs = series.flatMap { $0.points.map(\.x) } + marks.map(\.x)
    var ys = series.flatMap { $0.points.map(\.y) } + marks.map(\.y)
    if !marks.isEmpty, !yLog, let top = ys.filter(\.isFinite).max(), top > 0 {
      ys.append(top * 1.08)  // headroom for the mark's label
    }
    let xAxis = SVGAxis(covering: xs, log: xLog)
    let yAxis = SVGAxis(covering: ys, log: yLog, includeZero: yFromZero)
    let frame = SVG.Frame(
      left: 90, top: subtitle == nil ? 60 : 80, right: width - 30, bottom: height - 70)
    var out = SVG.header(width: width, height: height)
    out += SVG.titles(title, subtitle, width: width)
    out += SVG.axes(frame: frame, x: xAxis, y: yAxis, xLabel: xLabel, yLabel: yLabel)
    out += "<g clip-path=\"url(#plot)\">\n"
    for s in series {
      var segments: [[String]] = [[]]
      for p in s.points {
        guard p.x.isFinite, p.y.isFinite, !xLog || p.x > 0, !yLog || p.y > 0 else {
          segments.append([])
          continue
        }
        segments[segments.count - 1].append(
          SVG.num(frame.x(xAxis.fraction(p.x))) + "," + SVG.num(frame.y(yAxis.fraction(p.y))))
      }
      let dash = s.dashed ? " stroke-dasharray=\"7 5\"" : ""
      for seg in segments where seg.count > 1 {
        out +=
          "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2.5\" stroke-linejoin=\"round\"\(dash) points=\"\(seg.joined(separator: " "))\"/>\n"
      }
      if s.dots || s.points.count == 1 {
        for seg in segments {
          for p in seg {
            let c = p.split(separator: ",")
            out += "<circle cx=\"\(c[0])\" cy=\"\(c[1])\" r=\"3.5\" fill=\"\(s.color)\"/>\n"
          }
        }
      }
    }
    out += "</g>\n"
    var pixels: [(Double, Double)] = []
    for s in series {
      for p in s.points
      where p.x.isFinite && p.y.isFinite && (!xLog || p.x > 0) && (!yLog || p.y > 0) {
        pixels.append((frame.x(xAxis.fraction(p.x)), frame.y(yAxis.fraction(p.y))))
      }
    }
    for m in marks where m.x.isFinite && m.y.isFinite {
      let px = frame.x(xAxis.fraction(m.x))
      let py = frame.y(yAxis.fraction(m.y))
      out +=
        "<line x1=\"\(SVG.num(px))\" y1=\"\(SVG.num(py))\" x2=\"\(SVG.num(px))\" y2=\"\(SVG.num(frame.bottom))\" stroke=\"#444\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>\n"
      out +=
        "<circle cx=\"\(SVG.num(px))\" cy=\"\(SVG.num(py))\" r=\"6\" fill=\"#fff\" stroke=\"#d62728\" stroke-width=\"3\"/>\n"
      let half = Double(m.label.count) * 3.9
      let cx = Swift.min(Swift.max(px, frame.left + half + 4), frame.right - half - 4)
      out +=
        "<text x=\"\(SVG.num(cx))\" y=\"\(SVG.num(py - 14))\" font-size=\"14\" text-anchor=\"middle\" fill=\"#222\">\(SVG.escape(m.label))</text>\n"
      pixels.append((cx, py - 18))
    }
    // The legend goes into the corner that covers the fewest drawn points.
    let entries = series.map { ($0.name, $0.color, $0.dashed) }
    let (w, h) = SVG.legendSize(entries)
    let corners = [
      (frame.right - w - 10, frame.top + 10), (frame.left + 10, frame.top + 10),
      (frame.right - w - 10, frame.bottom - h - 10), (frame.left + 10, frame.bottom - h - 10),
    ]
    let best = corners.min { a, b in
      Self.covered(pixels, a, w, h) < Self.covered(pixels, b, w, h)
    }
    if let best { out += SVG.legend(entries, x0: best.0, y0: best.1) }
    return out + "</svg>\n"
  }

  /// Drawn points (and the segments between them, sampled) inside a box.
  static func covered(
    _ pts: [(Double, Double)], _ corner: (Double, Double), _ w: Double, _ h: Double
  )
    -> Int
  {
    var n = 0
    func inside(_ p: (Double, Double)) -> Bool {
      p.0 >= corner.0 - 4 && p.0 <= corner.0 + w + 4 && p.1 >= corner.1 - 4
        && p.1 <= corner.1 + h + 4
    }
    for (i, p) in pts.enumerated() {
      if inside(p) { n += 1 }
      if i > 0 {
        let q = pts[i - 1]
        for t in stride(from: 0.1, to: 1, by: 0.1)
        where inside((q.0 + t * (p.0 - q.0), q.1 + t * (p.1 - q.1))) {
          n += 1
        }
      }
    }
    return n
  }
}
