/// Why a data set could not be loaded or built; each case names the file (or the field)
/// and what is wrong with it.
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The directory does not exist. `isFashionMNISTDefault` is true for the default
  /// directory, whose files come from Debian's `dataset-fashion-mnist`.
  case directoryMissing(path: String, isFashionMNISTDefault: Bool)
  /// Neither `name` nor `name.gz` exists in the directory.
  case fileMissing(path: String, isFashionMNISTDefault: Bool)
  /// zlib could not open or decompress the file (a damaged gzip stream, a read error).
  case unreadable(path: String, reason: String)
  /// The file is shorter than its header says (or shorter than the header itself).
  case truncated(path: String, expectedBytes: Int, actualBytes: Int)
  /// The file has bytes after the data its header announces.
  case trailingBytes(path: String, expectedBytes: Int, actualBytes: Int)
  /// The first four bytes are not the expected IDX magic number.
  case badMagic(path: String, expected: UInt32, found: UInt32)
  /// A header dimension is zero or too large.
  case badDimension(path: String, detail: String)
  /// An image file and its label file disagree on the number of items.
  case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
  /// The training and the test images have different sizes.
  case shapeMismatch(train: String, trainShape: [Int], test: String, testShape: [Int])
  /// The SHA-256 of the decompressed file is not the published one.
  case checksumMismatch(path: String, expected: String, actual: String)
  /// An in-memory set is malformed: `field` names the argument, `detail` says how.
  case invalid(field: String, detail: String)

  /// One line naming the file (or field) and what is wrong.
  public var description: String {
    let install = "install it with `apt-get install dataset-fashion-mnist`"
    switch self {
    case .directoryMissing(let path, let isDefault):
      return isDefault
        ? "data directory \(path) does not exist: the Fashion-MNIST files come from Debian's "
          + "dataset-fashion-mnist package; \(install), or pass another directory of IDX files"
        : "data directory \(path) does not exist"
    case .fileMissing(let path, let isDefault):
      return "\(path): neither \(path) nor \(path).gz exists"
        + (isDefault ? " (\(install))" : "")
    case .unreadable(let path, let reason):
      return "\(path): cannot read: \(reason)"
    case .truncated(let path, let expected, let actual):
      return "\(path): truncated: the header announces \(expected) bytes, the file has \(actual)"
    case .trailingBytes(let path, let expected, let actual):
      return
        "\(path): \(actual - expected) bytes after the \(expected) bytes the header announces"
    case .badMagic(let path, let expected, let found):
      return "\(path): bad magic number \(hex(found)) (expected \(hex(expected)))"
    case .badDimension(let path, let detail):
      return "\(path): bad header: \(detail)"
    case .countMismatch(let images, let imageCount, let labels, let labelCount):
      return "\(images) has \(imageCount) images but \(labels) has \(labelCount) labels"
    case .shapeMismatch(let train, let trainShape, let test, let testShape):
      return "\(train) has images of \(shape(trainShape)) but \(test) of \(shape(testShape))"
    case .checksumMismatch(let path, let expected, let actual):
      return "\(path): SHA-256 of the decompressed file is \(actual), expected \(expected)"
    case .invalid(let field, let detail):
      return "\(field): \(detail)"
    }
  }

  private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
  }

  private func shape(_ dims: [Int]) -> String {
    dims.map(String.init).joined(separator: "×")
  }
}
