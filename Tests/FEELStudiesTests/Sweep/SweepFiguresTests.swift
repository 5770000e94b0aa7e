import FEEL
import FEELFigures
import FEELStudies
import FEELTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The SVG pictures: well-formed standalone documents with the expected content, and
/// axes whose ticks are nice numbers covering the data.
@Suite struct SweepFiguresTests {
  /// Parses `svg` as XML and returns the text of every `<text>` element.
  static func texts(_ svg: String) -> [String]? {
    final class Collector: NSObject, XMLParserDelegate {
      var texts: [String] = []
      var depth = 0
      var current = ""
      func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
      ) {
        if name == "text" {
          depth += 1
          current = ""
        }
      }
      func parser(_ parser: XMLParser, foundCharacters string: String) {
        if depth > 0 { current += string }
      }
      func parser(
        _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
        qualifiedName: String?
      ) {
        if name == "text" {
          depth -= 1
          texts.append(current)
        }
      }
    }
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = Collector()
    parser.delegate = collector
    return parser.parse() ? collector.texts : nil
  }

  static func check(_ svg: String, contains needles: [String], _ name: String) {
    guard let texts = texts(svg) else {
      Issue.record("\(name) is not well-formed XML")
      return
    }
    #expect(svg.hasPrefix("<?xml"), "\(name)")
    #expect(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), "\(name)")
    #expect(!svg.contains("nan") && !svg.contains("inf"), "\(name) has a non-finite number")
    let all = texts.joined(separator: "\n")
    for n in needles { #expect(all.contains(n), "\(name) lacks '\(n)'") }
  }

  @Test func efficiencyCurveMarksTheOptimum() throws {
    let svg = try SweepFigures.efficiencyAgainstBatch(.paperDefault, samples: 60)
    let best = try FEELSolver(.paperDefault).optimize()
    Self.check(
      svg,
      contains: [
        "Learning efficiency against the global batch", "global batch B",
        String(format: "optimum B* = %.1f", best.globalBatch),
      ], "efficiency-vs-batch")
  }

  @Test func batchAgainstRateAndAllocationRender() throws {
    let factors = try Sweep.values(from: 0.1, to: 10, steps: 9, log: true)
    let a = try SweepFigures.batchAgainstRate(.paperDefault, device: 2, factors: factors)
    Self.check(
      a, contains: ["Remark 2", "optimal batch B", "global batch optimized"], "batch-vs-rate")
    let c = try SweepFigures.allocation(.paperDefault)
    Self.check(c, contains: ["Per-device allocation", "batch B", "device k", "11"], "allocation")
    #expect(c.components(separatedBy: "<rect x=").count > 36)
    #expect(throws: InfeasibleRequest.self) {
      try SweepFigures.batchAgainstRate(.paperDefault, device: 12, factors: factors)
    }
  }

  @Test func sweepPictureRendersEscapedText() throws {
    let points = try Sweep(base: .paperDefault, parameter: .maxBatch).run([16, 64, 128])
    let svg = SweepFigures.sweep(points, parameter: .maxBatch, log: false, globalBatch: true)
    Self.check(svg, contains: ["Optimal global batch"], "sweep")
    var chart = SVGChart(title: "a < b & \"c\"", xLabel: "x", yLabel: "y")
    chart.series = [.init(name: "<s>", points: [(1, 2), (2, .nan), (3, 4)], color: "#000")]
    Self.check(chart.render(), contains: ["a < b & \"c\"", "<s>"], "escaped")
  }

  @Test func linearTicksAreNiceAndCoverTheData() {
    forEachInstance(seed: 77, count: 300) { i, g in
      let a = g.uniform(-1e3...1e3) * g.logUniform(1e-6...1e6)
      // Widths from 1e-3 to 1e3 times the magnitude (plots of values that differ in
      // their sixth digit are out of scope: the tick steps would round away).
      let b = a + max(abs(a), 1e-6) * g.logUniform(1e-3...1e3)
      let axis = SVGAxis(covering: [a, b])
      #expect(axis.low <= a && axis.high >= b, "seed 77 instance \(i)")
      let t = axis.ticks
      #expect((2...12).contains(t.count), "seed 77 instance \(i): \(t.count) ticks")
      let step = t[1] - t[0]
      let mantissa = step / pow(10, floor(log10(step)))
      #expect(
        [1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-6 }, "seed 77 instance \(i): \(step)")
    }
  }

  @Test func logTicksArePowersOfTenOrOneTwoFive() {
    let axis = SVGAxis(covering: [13, 1280], log: true)
    #expect(axis.low == 10)
    #expect(axis.high == 2000)
    #expect(axis.ticks == [10, 20, 50, 100, 200, 500, 1000, 2000])
    let wide = SVGAxis(covering: [1e-3, 1e6], log: true)
    #expect(wide.ticks.count == 10)
    #expect(abs(wide.fraction(1e-3)) < 1e-12 && abs(wide.fraction(1e6) - 1) < 1e-12)
    #expect(SVGAxis.label(1e6) == "10^6")
    #expect(SVGAxis.label(2e-5) == "2·10^-5")
    #expect(SVGAxis.label(0.25) == "0.25")
    #expect(SVGAxis.label(1500) == "1500")
  }
}
