import Foundation
import Testing

/// The Swift code of the DocC articles is compiled and run by the example tests
/// (`Tests/FEELTests/DocumentationExampleTests.swift` for the FEEL catalog,
/// `Tests/FEELStudiesTests/DocumentationExampleTests.swift` for FEELStudies,
/// `Tests/ConvexCoreTests/DocumentationExampleTests.swift` for ConvexCore). These tests
/// keep the two in step: every ```swift block of every article under `DocC/` must appear,
/// whitespace aside and without its `import` lines, in one of those files, so an
/// article whose code is edited without the tests fails here.
@Suite struct DocumentationCodeBlockTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static let exampleFiles = [
    "Tests/FEELTests/DocumentationExampleTests.swift",
    "Tests/FEELStudiesTests/DocumentationExampleTests.swift",
    "Tests/ConvexCoreTests/DocumentationExampleTests.swift",
  ]

  /// A fenced Swift block of an article.
  struct Block: CustomStringConvertible {
    var file: String
    var line: Int
    var code: String
    var description: String { "\(file):\(line)" }
  }

  /// Every Markdown file under `DocC/`, relative to the package root, sorted.
  static func articles() throws -> [String] {
    let docc = root.appendingPathComponent("DocC")
    guard let walker = FileManager.default.enumerator(atPath: docc.path) else { return [] }
    return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".md") }.sorted()
      .map { "DocC/\($0)" }
  }

  /// The ```swift blocks of `text` (fences may be indented; the language tag is `swift`).
  static func swiftBlocks(in text: String, file: String) -> [Block] {
    var blocks: [Block] = []
    var current: [String]? = nil
    var start = 0
    for (index, raw) in text.components(separatedBy: "\n").enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if current == nil {
        if line.hasPrefix("```")
          && line.dropFirst(3).trimmingCharacters(in: .whitespaces)
            .lowercased() == "swift"
        {
          current = []
          start = index + 1
        }
      } else if line.hasPrefix("```") {
        blocks.append(Block(file: file, line: start, code: (current ?? []).joined(separator: "\n")))
        current = nil
      } else {
        current?.append(raw)
      }
    }
    return blocks
  }

  /// Drops `import` lines and all whitespace, so that line breaks and indentation chosen
  /// by `swift format` do not matter.
  static func normalize(_ code: String) -> String {
    String(
      code.components(separatedBy: "\n")
        .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("import ") }
        .joined(separator: "\n")
        .filter { !$0.isWhitespace })
  }

  static func allBlocks() throws -> [Block] {
    try articles().flatMap { file in
      let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
      return swiftBlocks(in: text, file: file)
    }
  }

  @Test func everySwiftBlockOfTheArticlesIsCompiledByAnExampleTest() throws {
    let tests = try Self.exampleFiles.map {
      Self.normalize(
        try String(contentsOf: Self.root.appendingPathComponent($0), encoding: .utf8))
    }
    let blocks = try Self.allBlocks()
    #expect(blocks.count >= 10, "found only \(blocks.count) Swift blocks under DocC/")
    for block in blocks {
      let code = Self.normalize(block.code)
      #expect(!code.isEmpty, "\(block): empty Swift block")
      #expect(
        tests.contains { $0.contains(code) },
        """
        \(block): this Swift block is not in \(Self.exampleFiles.joined(separator: " or ")); \
        copy it into an example test that runs it and checks what the article says
        """)
    }
  }

  @Test func theBlockExtractorFindsFencedSwiftBlocksOnly() {
    let text = """
      Text.
      ```swift
      let a = 1
      ```
      ```bash
      feel solve
      ```
        ```swift
        import FEEL
        let b = [
          2,
        ]
        ```
      """
    let blocks = Self.swiftBlocks(in: text, file: "t.md")
    #expect(blocks.map { Self.normalize($0.code) } == ["leta=1", "letb=[2,]"])
    #expect(blocks.map(\.line) == [2, 8])
  }
}
