import Foundation
import Testing

/// The examples of the `feel` command reference (DocC/FEEL.docc/CommandLineReference.md)
/// run against the real binary, so the article cannot drift from the program.
///
/// In the article's ```text blocks a line `$ feel …` is a command, and the lines after it,
/// up to the next `$` line or the end of the block, are what it prints. Each printed line
/// must appear in the output (standard error for lines starting with `feel:`, which also
/// mean exit status 2; otherwise status 0); `...` in a line elides text, so its pieces
/// must appear in order in one output line, and a line that is only `...` elides lines.
/// The files the examples name are made in a temporary directory: `fleet.json` from the
/// article's JSON block, `gpu.csv` from the output of `$ cat gpu.csv`, and `typo.json`
/// as `fleet.json` with the misspelt key `"maxbatch"`.
@Suite struct CommandReferenceTests {
  static let article = FeelBinary.packageRoot.appendingPathComponent(
    "DocC/FEEL.docc/CommandLineReference.md")

  /// One documented command and the lines it prints.
  struct Example: CustomStringConvertible {
    var line: Int
    var command: String
    var printed: [String]
    var description: String { "CommandLineReference.md:\(line): $ \(command)" }
  }

  /// The fenced blocks of `text` with the given language tag, with their first line.
  static func blocks(_ text: String, language: String) -> [(line: Int, lines: [String])] {
    var result: [(Int, [String])] = []
    var current: [String]? = nil
    var start = 0
    for (index, raw) in text.components(separatedBy: "\n").enumerated() {
      let trimmed = raw.trimmingCharacters(in: .whitespaces)
      if current == nil {
        if trimmed == "```" + language {
          current = []
          start = index + 2
        }
      } else if trimmed.hasPrefix("```") {
        result.append((start, current ?? []))
        current = nil
      } else {
        current?.append(raw)
      }
    }
    return result
  }

  static func examples(_ text: String) -> [Example] {
    var examples: [Example] = []
    for block in blocks(text, language: "text") {
      var current: Example? = nil
      for (offset, line) in block.lines.enumerated() {
        if line.hasPrefix("$ ") {
          if let done = current { examples.append(done) }
          current = Example(
            line: block.line + offset, command: String(line.dropFirst(2)), printed: [])
        } else {
          current?.printed.append(line)
        }
      }
      if let done = current { examples.append(done) }
    }
    return examples
  }

  /// Whether `documented` (with `...` elisions) matches `actual`.
  static func matches(_ documented: String, _ actual: String) -> Bool {
    let pieces = documented.components(separatedBy: "...")
    guard pieces.count > 1 else {
      return documented.trimmingCharacters(in: .whitespaces)
        == actual.trimmingCharacters(in: .whitespaces)
    }
    guard actual.hasPrefix(pieces[0]) else { return false }
    var rest = actual.dropFirst(pieces[0].count)
    for piece in pieces.dropFirst() where !piece.isEmpty {
      guard let range = rest.range(of: piece) else { return false }
      rest = rest[range.upperBound...]
    }
    return true
  }

  /// Runs `feel` with `arguments` in `directory`.
  static func run(_ arguments: [String], in directory: URL) throws -> FeelBinary.Run {
    try ProcessRunner.run(
      try #require(FeelBinary.path, "the feel binary"), arguments, in: directory)
  }

  @Test func everyFeelExampleOfTheCommandReferenceRunsAsShown() throws {
    let text = try String(contentsOf: Self.article, encoding: .utf8)
    let all = Self.examples(text)
    let fleet = try #require(Self.blocks(text, language: "json").first).lines
      .joined(separator: "\n")
    let csv = try #require(all.first { $0.command == "cat gpu.csv" }).printed
      .joined(separator: "\n")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "feel-reference-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data(fleet.utf8).write(to: directory.appendingPathComponent("fleet.json"))
    try Data(csv.utf8).write(to: directory.appendingPathComponent("gpu.csv"))
    let typo = fleet.replacingOccurrences(of: "{\n", with: "{\n  \"maxbatch\": 64,\n")
    try Data(typo.utf8).write(to: directory.appendingPathComponent("typo.json"))

    let commands = all.filter { $0.command.hasPrefix("feel ") }
    #expect(commands.count >= 8, "found only \(commands.count) examples")
    for example in commands {
      let arguments = example.command.split(separator: " ").dropFirst().map(String.init)
      let result = try Self.run(arguments, in: directory)
      let shown = example.printed.filter {
        !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0 != "..."
      }
      let isError = shown.first?.hasPrefix("feel:") ?? false
      #expect(result.status == (isError ? 2 : 0), "\(example): status \(result.status)")
      let output = (isError ? result.stderr : result.stdout).components(separatedBy: "\n")
      for line in shown {
        #expect(
          output.contains { Self.matches(line, $0) },
          "\(example): no output line matches \"\(line)\"")
      }
    }
  }

  /// The `--options` named in `text`.
  static func options(in text: String) -> Set<String> {
    var found = Set<String>()
    let characters = Array(text)
    var i = 0
    while i + 2 < characters.count {
      if characters[i] == "-", characters[i + 1] == "-", characters[i + 2].isLetter,
        i == 0 || !(characters[i - 1].isLetter || characters[i - 1] == "-")
      {
        var j = i + 2
        while j < characters.count, characters[j].isLetter || characters[j] == "-" { j += 1 }
        found.insert(String(characters[i..<j]))
        i = j
      } else {
        i += 1
      }
    }
    return found
  }

  @Test func everySubcommandSectionDocumentsExactlyTheOptionsOfItsHelp() throws {
    let text = try String(contentsOf: Self.article, encoding: .utf8)
    let sections = text.components(separatedBy: "\n### feel ").dropFirst()
    #expect(sections.count >= 7)
    let directory = FileManager.default.temporaryDirectory
    for section in sections {
      let name = String(section.prefix { !$0.isWhitespace })
      let help = try Self.run([name, "--help"], in: directory)
      #expect(help.status == 0, "feel \(name) --help: status \(help.status)")
      let offered = Self.options(in: help.stdout).subtracting(["--help"])
      let documented = Self.options(in: section).subtracting(["--help"])
      #expect(
        offered.isSubset(of: documented),
        "feel \(name): options not in the reference: \(offered.subtracting(documented).sorted())")
      #expect(
        documented.isSubset(of: offered),
        "feel \(name): the reference names unknown options \(documented.subtracting(offered).sorted())"
      )
    }
  }

  @Test func elisionsMatchPiecesInOrder() {
    #expect(Self.matches("a,b,...,e,...", "a,b,c,d,e,f"))
    #expect(!Self.matches("a,b,...,e,...", "x,b,c,d,e,f"))
    #expect(!Self.matches("a,...,c,...,b", "a,b,c"))
    #expect(Self.matches("  exact line ", "exact line"))
  }
}
