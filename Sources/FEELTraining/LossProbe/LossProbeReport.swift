import FEEL
import FEELFigures
import Foundation

// The probe's outputs: JSON (the `lossDecay` objects first), a text table and two SVG
// pictures in the style of the sweep charts.

extension PowerLossFit {
  /// `{"model": "power", "coefficient": ξ, "exponent": α, …}`: a valid `lossDecay` value
  /// once the keys after `exponent` are dropped.
  package func json() -> JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("model", .string("power")), ("coefficient", .number(coefficient)),
      ("exponent", .number(exponent)),
    ]
    if let interval = exponentInterval {
      pairs.append(
        ("exponentInterval", .array([.number(interval.lowerBound), .number(interval.upperBound)])))
      pairs.append(("sqrtInInterval", .bool(interval.contains(0.5))))
    }
    pairs += [
      ("unconstrainedExponent", .number(unconstrainedExponent)),
      ("exponentAtBound", .bool(exponentAtBound)),
      ("residualSumOfSquares", .number(residualSumOfSquares)), ("aic", .number(aic)),
    ]
    return .object(pairs)
  }

  /// ξ·B^α.
  public func decrease(at batch: Double) -> Double { coefficient * Foundation.pow(batch, exponent) }
}

extension SaturatingLossFit {
  /// `{"model": "saturating", "maxDecrease": L∞, "noiseBatch": B_n, …}`: a valid
  /// `lossDecay` value once the keys after `noiseBatch` are dropped.
  package func json() -> JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("model", .string("saturating")), ("maxDecrease", .number(maxDecrease)),
      ("noiseBatch", .number(noiseBatch)),
    ]
    if let interval = noiseBatchInterval {
      pairs.append(
        (
          "noiseBatchInterval",
          .array([.number(interval.lowerBound), .number(interval.upperBound)])
        )
      )
    }
    pairs += [
      ("noiseBatchAtBound", .bool(noiseBatchAtBound)),
      ("residualSumOfSquares", .number(residualSumOfSquares)), ("aic", .number(aic)),
    ]
    return .object(pairs)
  }

  /// L∞·B/(B + B_n).
  public func decrease(at batch: Double) -> Double { maxDecrease * batch / (batch + noiseBatch) }
}

extension LossProbeResult {
  /// The JSON object of `feel fit-loss --json`: `fits` (power, then saturating, each a
  /// `lossDecay` value plus extra keys), the preferred model, whether α = 1/2 lies in the
  /// interval, the protocol, the measured points, the checkpoints and S(B).
  package func json() -> JSONValue {
    let o = options
    let protocolJSON = JSONValue.object([
      ("model", .string("mlp 784-\(o.hidden)-10")),
      ("baseBatch", .number(Double(o.baseBatch))),
      ("baseLearningRate", .number(o.baseLearningRate)),
      ("learningRateRule", .string("eta0*sqrt(B/B0)")),
      ("checkpoints", .array(o.checkpoints.map { .number(Double($0)) })),
      ("referenceRuns", .number(Double(o.referenceRuns))),
      ("batches", .array(o.batches.map { .number(Double($0)) })),
      ("repeats", .number(Double(o.repeats))),
      ("evaluationSize", .number(Double(o.evaluationSize))),
      ("bootstrap", .number(Double(o.bootstrap))),
      ("seed", .number(Double(o.seed))),
    ])
    let points = o.batches.indices.map { b -> JSONValue in
      .object([
        ("batch", .number(Double(o.batches[b]))),
        ("meanDecrease", .number(means[b])),
        ("standardError", .number(standardErrors[b])),
        ("perCheckpoint", .array(decreases.map { .number(mean($0[b])) })),
        ("usedInFit", .bool(fits?.usedBatches.contains(o.batches[b]) ?? false)),
      ])
    }
    var pairs: [(String, JSONValue)] = [
      ("fits", .array(fits.map { [$0.power.json(), $0.saturating.json()] } ?? [])),
      ("preferredModel", fits.map { .string($0.preferredModel) } ?? .null),
      ("sqrtInInterval", fits?.sqrtInInterval.map { .bool($0) } ?? .null),
      ("fitError", fitFailure.map { .string($0.description) } ?? .null),
      ("protocol", protocolJSON),
      ("points", .array(points)),
      (
        "checkpoints",
        .array(
          checkpoints.map {
            .object([
              ("run", .number(Double($0.run))),
              ("step", .number(Double($0.step))), ("loss", .number($0.loss)),
              ("exponent", $0.exponent.map { .number($0) } ?? .null),
            ])
          })
      ),
    ]
    if let rounds {
      var r: [(String, JSONValue)] = [
        ("targetLoss", .number(rounds.targetLoss)),
        ("seeds", .number(Double(o.roundsSeeds))),
        ("maxRounds", .number(Double(o.maxRounds))),
        (
          "points",
          .array(
            rounds.batches.indices.map { b in
              .object([
                ("batch", .number(Double(rounds.batches[b]))),
                ("rounds", rounds.meanRounds[b].map { .number($0) } ?? .null),
                ("reached", .number(Double(rounds.runs[b].compactMap { $0 }.count))),
                ("runs", .number(Double(rounds.runs[b].count))),
              ])
            })
        ),
      ]
      if let f = rounds.fits {
        var power: [(String, JSONValue)] = [
          ("model", .string("power")), ("exponent", .number(f.power.unconstrainedExponent)),
          ("rule", .string("S = c * B^(-exponent); eq. (8) predicts 0.5")),
          ("coefficient", .number(1 / f.power.coefficient)),
        ]
        if let i = f.power.exponentInterval {
          power.append(
            ("exponentInterval", .array([.number(i.lowerBound), .number(i.upperBound)])))
        }
        power.append(("aic", .number(f.power.aic)))
        var saturating: [(String, JSONValue)] = [
          ("model", .string("saturating")),
          ("rule", .string("S = minimumRounds * (1 + noiseBatch / B)")),
          ("minimumRounds", .number(1 / f.saturating.maxDecrease)),
          ("noiseBatch", .number(f.saturating.noiseBatch)),
        ]
        if let i = f.saturating.noiseBatchInterval {
          saturating.append(
            ("noiseBatchInterval", .array([.number(i.lowerBound), .number(i.upperBound)])))
        }
        saturating.append(("aic", .number(f.saturating.aic)))
        r.append(("fits", .array([.object(power), .object(saturating)])))
        r.append(("preferredModel", .string(f.preferredModel)))
      } else {
        r.append(("fits", .null))
      }
      pairs.append(("roundsToTarget", .object(r)))
    }
    return .object(pairs)
  }

  /// The human-readable report: the points with both fits, the fit summary, S(B).
  public func table() -> String {
    var out: [String] = []
    let o = options
    out.append(
      "Loss decrease per aggregated step, MLP 784-\(o.hidden)-10, eta = \(o.baseLearningRate)"
        + " * sqrt(B/\(o.baseBatch)), \(o.repeats) repeats at each of \(checkpoints.count)"
        + " checkpoints (steps \(o.checkpoints.map(String.init).joined(separator: ", ")) of"
        + " \(o.referenceRuns) reference run\(o.referenceRuns == 1 ? "" : "s")),"
        + " loss on \(o.evaluationSize) training images:")
    out.append(
      pad("B", 6) + pad("mean dL", 13) + pad("std err", 12) + pad("power fit", 13)
        + pad("saturating", 13))
    for b in o.batches.indices {
      let batch = Double(o.batches[b])
      out.append(
        pad(String(o.batches[b]), 6) + pad(format(means[b]), 13)
          + pad(format(standardErrors[b]), 12)
          + pad(fits.map { format($0.power.decrease(at: batch)) } ?? "-", 13)
          + pad(fits.map { format($0.saturating.decrease(at: batch)) } ?? "-", 13)
          + (means[b] > 0 ? "" : "  (not fitted: dL <= 0)"))
    }
    if let fitFailure { out.append("no fit: \(fitFailure.description)") }
    if let fits { fitLines(fits, into: &out) }
    out.append(
      "per checkpoint: "
        + checkpoints.map {
          (o.referenceRuns > 1 ? "run \($0.run) " : "")
            + "step \($0.step): loss \(format($0.loss)), alpha \($0.exponent.map(format) ?? "-")"
        }
        .joined(separator: "; "))
    roundsLines(into: &out)
    if let fits {
      out.append("")
      out.append("lossDecay (paste into a scenario):")
      out.append("  power:      " + stripped(fits.power.json(), keep: 3).serialized(pretty: false))
      out.append(
        "  saturating: " + stripped(fits.saturating.json(), keep: 3).serialized(pretty: false))
    }
    return out.joined(separator: "\n") + "\n"
  }

  private func fitLines(_ fits: LossDecayFits, into out: inout [String]) {
    let p = fits.power
    let s = fits.saturating
    var powerLine = "power:      dL = \(format(p.coefficient)) * B^\(format(p.exponent))"
    if let i = p.exponentInterval {
      powerLine += ", alpha 95 % interval [\(format(i.lowerBound)), \(format(i.upperBound))]"
    }
    if p.exponentAtBound {
      powerLine += " (unconstrained slope \(format(p.unconstrainedExponent)))"
    }
    powerLine += ", RSS \(format(p.residualSumOfSquares)), AIC \(format(p.aic))"
    var saturatingLine =
      "saturating: dL = \(format(s.maxDecrease)) * B / (B + \(format(s.noiseBatch)))"
    if let i = s.noiseBatchInterval {
      saturatingLine += ", B_n 95 % interval [\(format(i.lowerBound)), \(format(i.upperBound))]"
    }
    if s.noiseBatchAtBound { saturatingLine += " (B_n at the end of its range)" }
    saturatingLine += ", RSS \(format(s.residualSumOfSquares)), AIC \(format(s.aic))"
    out.append(powerLine)
    out.append(saturatingLine)
    out.append("preferred by AIC: \(fits.preferredModel)")
    if !fits.excludedBatches.isEmpty {
      out.append("left out of the fits (mean dL <= 0): B = \(fits.excludedBatches)")
    }
    if let inside = fits.sqrtInInterval {
      out.append(
        "alpha = 0.5 (eq. 8) is \(inside ? "inside" : "outside") the 95 % interval of alpha")
    }
  }

  private func roundsLines(into out: inout [String]) {
    guard let rounds else { return }
    out.append("")
    out.append("Rounds to the target loss \(format(rounds.targetLoss)) with a fixed batch B:")
    out.append(pad("B", 6) + pad("rounds", 12) + "reached")
    for b in rounds.batches.indices {
      out.append(
        pad(String(rounds.batches[b]), 6) + pad(rounds.meanRounds[b].map(format) ?? "-", 12)
          + "\(rounds.runs[b].compactMap { $0 }.count)/\(rounds.runs[b].count)")
    }
    guard let f = rounds.fits else {
      out.append("fewer than three batches reached the target: no fit")
      return
    }
    var power =
      "power:      S = \(format(1 / f.power.coefficient))"
      + " * B^-\(format(f.power.unconstrainedExponent))"
    if let i = f.power.exponentInterval {
      power += ", exponent 95 % interval [\(format(i.lowerBound)), \(format(i.upperBound))]"
    }
    out.append(power + " (eq. 8 predicts 0.5), AIC \(format(f.power.aic))")
    out.append(
      "saturating: S = \(format(1 / f.saturating.maxDecrease))"
        + " * (1 + \(format(f.saturating.noiseBatch)) / B), AIC \(format(f.saturating.aic))")
    out.append("preferred by AIC: \(f.preferredModel)")
  }

  /// `loss-decay.svg`: mean ΔL against B on log-log axes with both fits;
  /// `rounds-to-target.svg`: S(B) with both fits (when measured).
  public func figures() -> [(name: String, svg: String)] {
    let o = options
    let used = o.batches.indices.filter { means[$0] > 0 }
    let grid = geometricGrid(Double(o.batches.min() ?? 1), Double(o.batches.max() ?? 1))
    var chart = SVGChart(
      title: "Loss decrease per round against the global batch",
      subtitle:
        "MLP 784-\(o.hidden)-10, eta = eta0*sqrt(B/B0)"
        + (fits.map { "; alpha = \(format($0.power.exponent))" } ?? "; no fit"),
      xLabel: "global batch B", yLabel: "loss decrease per round")
    chart.xLog = true
    chart.yLog = true
    chart.series = [
      .init(
        name: "measured (mean)", points: used.map { (Double(o.batches[$0]), means[$0]) },
        color: "#222222", dots: true)
    ]
    if let fits {
      chart.series += [
        .init(
          name: "power fit", points: grid.map { ($0, fits.power.decrease(at: $0)) },
          color: "#1f77b4"),
        .init(
          name: "saturating fit", points: grid.map { ($0, fits.saturating.decrease(at: $0)) },
          color: "#d62728", dashed: true),
      ]
    }
    chart.series += [
      .init(
        name: "sqrt(B) through the mean",
        points: grid.map { ($0, sqrtReference(at: $0, used: used)) }, color: "#999999",
        dashed: true)
    ]
    var result = [(name: "loss-decay.svg", svg: chart.render())]
    if let rounds, let f = rounds.fits {
      let reached = rounds.batches.indices.filter { rounds.meanRounds[$0] != nil }
      let sGrid = geometricGrid(
        Double(rounds.batches.min() ?? 1), Double(rounds.batches.max() ?? 1))
      var s = SVGChart(
        title: "Rounds to the target loss against the global batch",
        subtitle: "target loss \(format(rounds.targetLoss)); eq. (8) predicts S ∝ B^-1/2",
        xLabel: "global batch B", yLabel: "rounds to target")
      s.xLog = true
      s.yLog = true
      s.series = [
        .init(
          name: "measured (mean)",
          points: reached.map { (Double(rounds.batches[$0]), rounds.meanRounds[$0]!) },
          color: "#222222", dots: true),
        .init(
          name: "power fit", points: sGrid.map { ($0, 1 / f.power.decrease(at: $0)) },
          color: "#1f77b4"),
        .init(
          name: "saturating fit", points: sGrid.map { ($0, 1 / f.saturating.decrease(at: $0)) },
          color: "#d62728", dashed: true),
      ]
      result.append((name: "rounds-to-target.svg", svg: s.render()))
    }
    return result
  }

  /// c·√B with c fitted to the used means in log space (the paper's shape, for the eye).
  private func sqrtReference(at batch: Double, used: [Int]) -> Double {
    guard !used.isEmpty else { return .nan }
    let logC =
      used.reduce(0.0) {
        $0 + Foundation.log(means[$1]) - 0.5 * Foundation.log(Double(options.batches[$1]))
      } / Double(used.count)
    return Foundation.exp(logC) * batch.squareRoot()
  }
}

/// 49 points from `low` to `high`, evenly spaced in log.
private func geometricGrid(_ low: Double, _ high: Double) -> [Double] {
  guard high > low else { return [low] }
  return (0...48).map { low * Foundation.pow(high / low, Double($0) / 48) }
}

private func mean(_ values: [Double]) -> Double {
  values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
}

/// The first `keep` keys of an object.
private func stripped(_ value: JSONValue, keep: Int) -> JSONValue {
  guard case .object(let pairs) = value else { return value }
  return .object(Array(pairs.prefix(keep)))
}

private func format(_ x: Double) -> String {
  guard x.isFinite else { return x.isNaN ? "-" : "\(x)" }
  return String(format: "%.4g", x)
}

private func pad(_ text: String, _ width: Int) -> String {
  text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}
