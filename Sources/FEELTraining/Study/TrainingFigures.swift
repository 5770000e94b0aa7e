import FEEL
import FEELFigures

/// The pictures of `feel train --svg-dir`, in the style of the sweep charts (``SVGChart``):
/// for each partition, the global training loss and the test accuracy against simulated
/// training time with every scheme on one plot (the paper's Figs. 4 and 5), each curve the
/// mean over the seeds on the summary's time grid.
public enum TrainingFigures {
  /// Line colours of the schemes, in ``TrainingScheme/allCases`` order.
  static let colors = [
    "#d62728", "#1f77b4", "#7f7f7f", "#ff7f0e", "#9467bd", "#2ca02c", "#8c564b", "#e377c2",
  ]

  /// `(file name, SVG document)` for every partition of the summary:
  /// `train-<partition>-loss.svg` and `train-<partition>-accuracy.svg`.
  public static func all(_ summary: StudySummary, subtitle: String) -> [(String, String)] {
    var out: [(String, String)] = []
    for p in PartitionKind.allCases {
      let rows = summary.rows.filter { $0.partition == p }
      guard !rows.isEmpty else { continue }
      let name = p == .iid ? "IID" : "non-IID"
      out.append(
        (
          "train-\(p.rawValue)-loss.svg",
          chart(
            rows, title: "Global training loss against training time (\(name))",
            subtitle: subtitle, yLabel: "training loss", loss: true)
        ))
      out.append(
        (
          "train-\(p.rawValue)-accuracy.svg",
          chart(
            rows, title: "Test accuracy against training time (\(name))", subtitle: subtitle,
            yLabel: "test accuracy", loss: false)
        ))
    }
    return out
  }

  static func chart(
    _ rows: [StudySummary.Row], title: String, subtitle: String, yLabel: String, loss: Bool
  ) -> String {
    let top = rows.flatMap { $0.curves.times }.max() ?? 1
    let hours = top >= 3 * 3600
    let scale = hours ? 1 / 3600.0 : 1
    var chart = SVGChart(
      title: title, subtitle: subtitle,
      xLabel: hours ? "simulated training time (hours)" : "simulated training time (s)",
      yLabel: yLabel)
    chart.yFromZero = false
    chart.series = rows.map { r in
      let i = TrainingScheme.allCases.firstIndex(of: r.scheme) ?? 0
      let y = loss ? r.curves.loss : r.curves.accuracy
      return SVGChart.Series(
        name: r.scheme.title, points: zip(r.curves.times, y).map { ($0 * scale, $1) },
        color: colors[i % colors.count], dashed: r.scheme.kind != .gradient)
    }
    return chart.render()
  }
}
