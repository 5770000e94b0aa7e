// Training throughput of the MLP (forward + backward + update, float32, one thread):
// samples per second of `lossAndGradient` + `apply` on random batches of Fashion-MNIST.
// Run by Benchmarks/training-throughput.sh beside the same step in numpy.
//
//   TrainingThroughput [--batch 1200] [--hidden 128] [--repeats 5] [--seconds 1]
import FEELTraining
import Foundation

@main struct TrainingThroughput {
  static func main() {
    var options = ["batch": 1200.0, "hidden": 128.0, "repeats": 5.0, "seconds": 1.0]
    var arguments = CommandLine.arguments.dropFirst()
    while let flag = arguments.popFirst() {
      guard flag.hasPrefix("--"), let key = Optional(String(flag.dropFirst(2))),
        options[key] != nil, let text = arguments.popFirst(), let value = Double(text), value > 0
      else {
        FileHandle.standardError.write(Data("bad option \(flag)\n".utf8))
        exit(2)
      }
      options[key] = value
    }
    let batch = Int(options["batch"]!)
    let hidden = Int(options["hidden"]!)

    let loadStart = Date()
    let train: LabeledImages
    var source = "Fashion-MNIST"
    do {
      train = try IDXDataset.load().train
    } catch {
      source = "random pixels (Fashion-MNIST not installed)"
      var state: UInt64 = 1
      let pixels = (0..<(60_000 * 784)).map { _ -> Float in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) * 0x1p-24
      }
      train = try! LabeledImages(
        rows: 28, columns: 28, classCount: 10, pixels: pixels,
        labels: (0..<60_000).map { UInt8($0 % 10) })
    }
    let loadSeconds = Date().timeIntervalSince(loadStart)
    let skipStart = Date()
    let unverified = try? IDXDataset.load(checksums: .skip)
    let skipSeconds = Date().timeIntervalSince(skipStart)

    var model = MLP(inputs: train.featureCount, hidden: hidden, classes: 10, seed: 1)
    let workspace = MLPWorkspace(model: model, maxBatch: batch)
    var gradient: [Float] = []
    var state: UInt64 = 0x9E37_79B9
    func randomBatch() -> [Int] {
      (0..<batch).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(train.count))
      }
    }
    func step() {
      _ = model.lossAndGradient(
        on: train, indices: randomBatch(), gradient: &gradient, workspace: workspace)
      model.apply(gradient: gradient, learningRate: 0.05)
    }
    for _ in 0..<3 { step() }
    var rates: [Double] = []
    for _ in 0..<Int(options["repeats"]!) {
      let start = Date()
      var steps = 0
      while Date().timeIntervalSince(start) < options["seconds"]! {
        step()
        steps += 1
      }
      rates.append(Double(steps * batch) / Date().timeIntervalSince(start))
    }
    rates.sort()
    let median = rates[rates.count / 2]
    let flops = 2.0 * Double(batch) * Double(2 * 784 * hidden + 3 * hidden * 10)
    print("swift kernel: \(MatrixKernel.description)")
    print(
      "swift data: \(source), train + test loaded in \(String(format: "%.3f", loadSeconds)) s"
        + " with checksums"
        + (unverified == nil ? "" : ", \(String(format: "%.3f", skipSeconds)) s without"))
    print(
      "swift samples/s: \(Int(median.rounded())) (median of \(rates.count); "
        + "\(String(format: "%.1f", median / Double(batch) * flops / 1e9)) GFLOP/s)")
  }
}
