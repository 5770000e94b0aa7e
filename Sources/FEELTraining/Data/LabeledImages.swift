/// A labelled image set in memory; pixels scaled to [0, 1].
///
/// Image `i` occupies `pixels[i * featureCount ..< (i + 1) * featureCount]` (row-major,
/// `rows × columns`), and its class is `labels[i]` in `0 ..< classCount`.
public struct LabeledImages: Sendable, Equatable {
  /// The number of images.
  public let count: Int
  /// Pixel rows per image.
  public let rows: Int
  /// Pixel columns per image.
  public let columns: Int
  /// Pixels per image (`rows × columns`): the input width of a model.
  public var featureCount: Int { rows * columns }
  /// The number of classes: labels lie in `0 ..< classCount` (10 for Fashion-MNIST).
  public let classCount: Int
  /// `count × featureCount` pixels in [0, 1], image after image.
  public let pixels: [Float]
  /// `count` labels, each below `classCount`.
  public let labels: [UInt8]

  /// A set of `labels.count` images of `rows × columns` pixels.
  ///
  /// - Throws: ``DatasetError/invalid(field:detail:)`` naming `rows`, `columns`,
  ///   `classCount`, `pixels` (wrong count, or a pixel outside [0, 1] or NaN) or `labels`
  ///   (a label not below `classCount`).
  /// - Complexity: O(`pixels.count`) for the validation.
  public init(
    rows: Int, columns: Int, classCount: Int, pixels: [Float], labels: [UInt8]
  ) throws(DatasetError) {
    guard rows > 0 else { throw .invalid(field: "rows", detail: "must be positive, is \(rows)") }
    guard columns > 0 else {
      throw .invalid(field: "columns", detail: "must be positive, is \(columns)")
    }
    guard classCount > 0, classCount <= 256 else {
      throw .invalid(field: "classCount", detail: "must be in 1...256, is \(classCount)")
    }
    let (product, overflow) = labels.count.multipliedReportingOverflow(by: rows * columns)
    guard !overflow, pixels.count == product else {
      throw .invalid(
        field: "pixels",
        detail: "has \(pixels.count) values, expected \(labels.count)×\(rows)×\(columns)")
    }
    if let bad = pixels.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
      throw .invalid(field: "pixels", detail: "value \(pixels[bad]) at \(bad) is not in [0, 1]")
    }
    if let bad = labels.firstIndex(where: { Int($0) >= classCount }) {
      throw .invalid(
        field: "labels", detail: "label \(labels[bad]) at \(bad) is not below \(classCount)")
    }
    self.init(
      unchecked: rows, columns: columns, classCount: classCount, pixels: pixels, labels: labels)
  }

  /// Builds a set whose invariants the caller has established.
  init(unchecked rows: Int, columns: Int, classCount: Int, pixels: [Float], labels: [UInt8]) {
    self.count = labels.count
    self.rows = rows
    self.columns = columns
    self.classCount = classCount
    self.pixels = pixels
    self.labels = labels
  }

  /// The images at `indices`, in that order (repeats allowed), with the same `classCount`.
  ///
  /// - Precondition: every index is in `0 ..< count`.
  /// - Complexity: O(`indices.count × featureCount`).
  public func subset(_ indices: [Int]) -> LabeledImages {
    let width = featureCount
    var newPixels = [Float](repeating: 0, count: indices.count * width)
    var newLabels = [UInt8](repeating: 0, count: indices.count)
    pixels.withUnsafeBufferPointer { source in
      newPixels.withUnsafeMutableBufferPointer { target in
        for (row, index) in indices.enumerated() {
          precondition(index >= 0 && index < count, "subset: index \(index) not in 0..<\(count)")
          let from = source.baseAddress! + index * width
          (target.baseAddress! + row * width).update(from: from, count: width)
          newLabels[row] = labels[index]
        }
      }
    }
    return LabeledImages(
      unchecked: rows, columns: columns, classCount: classCount, pixels: newPixels,
      labels: newLabels)
  }
}
