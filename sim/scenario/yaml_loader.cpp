#include "sim/scenario/yaml_loader.h"

#include <iterator>
#include <sstream>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include "sim/scenario/bounded_file.h"
#include "sim/scenario/text_checks.h"
#include "sim/scenario/yaml_node_info.h"

namespace ksim::scenario {
namespace {

void report_too_large(const std::string& file, std::size_t size, const LoadLimits& limits, InputErrors& errors) {
  errors.add(file, {}, "", too_large_message(size, limits.max_bytes, "scenario files"));
}

// Where the second YAML document of the text starts, if there is one. YAML::LoadAll is
// not used: yaml-cpp 0.7 can loop forever in it, appending null documents (fixed upstream
// in yaml-cpp PR #1319), whereas each HandleNextDocument call ends.
class DocumentStarts : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { last_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  YAML::Mark last_start = YAML::Mark::null_mark();
};

std::optional<YAML::Mark> second_document(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  if (!parser.HandleNextDocument(starts)) return std::nullopt;
  if (!parser.HandleNextDocument(starts)) return std::nullopt;
  return starts.last_start;
}

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// Walks the tree without recursion, counting nodes (an aliased node once per use) and
// measuring depth; stops at the first limit crossed so the walk itself stays bounded.
void check_tree_size(const YAML::Node& root, const std::string& file, InputErrors& errors, const LoadLimits& limits) {
  std::vector<std::pair<YAML::Node, int>> pending{{root, 1}};
  std::size_t count = 0;
  while (!pending.empty()) {
    auto [node, depth] = std::move(pending.back());
    pending.pop_back();
    if (++count > limits.max_nodes) {
      errors.add(file, from_yaml_mark(node.Mark()), "",
                 fmt::format("file has more than {} YAML nodes (a node reached through an alias counts each time)",
                             limits.max_nodes));
      return;
    }
    if (depth > limits.max_depth) {
      errors.add(file, from_yaml_mark(node.Mark()), "", fmt::format("nesting is deeper than {} levels", limits.max_depth));
      return;
    }
    if (node.IsSequence()) {
      for (const YAML::Node& child : node) pending.emplace_back(child, depth + 1);
    } else if (node.IsMap()) {
      for (const auto& pair : node) {
        pending.emplace_back(pair.first, depth + 1);
        pending.emplace_back(pair.second, depth + 1);
      }
    }
  }
}

}  // namespace

std::optional<YAML::Node> load_yaml(std::string_view text, const std::string& file, InputErrors& errors,
                                    const LoadLimits& limits) {
  if (text.size() > limits.max_bytes) {
    report_too_large(file, text.size(), limits, errors);
    return std::nullopt;
  }
  if (is_blank(text)) {
    errors.add(file, {}, "", "file is empty");
    return std::nullopt;
  }
  if (const auto where = find_non_text(text)) {
    errors.add(file, *where, "", "not a text file (NUL byte or invalid UTF-8)");
    return std::nullopt;
  }
  if (const auto problem = find_flow_problem(text, limits.max_depth)) {
    errors.add(file, problem->where, "", problem->message);
    return std::nullopt;
  }
  const std::string owned(text);
  YAML::Node root;
  try {
    root = YAML::Load(owned);
    if (const auto second = second_document(owned)) {
      errors.add(file, from_yaml_mark(*second), "", "file holds more than one YAML document; a scenario file holds one");
      return std::nullopt;
    }
  } catch (const YAML::DeepRecursion& e) {
    errors.add(file, from_yaml_mark(e.mark), "", fmt::format("nesting is deeper than {} levels", limits.max_depth));
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    errors.add(file, from_yaml_mark(e.mark), "", fmt::format("malformed YAML: {}", e.msg));
    return std::nullopt;
  }
  if (root.IsNull()) {
    errors.add(file, {}, "", "file is empty (only comments)");
    return std::nullopt;
  }
  if (!root.IsMap()) {
    errors.add(file, from_yaml_mark(root.Mark()), "", fmt::format("the top level must be a map of sections, got {}", describe_node(root)));
    return std::nullopt;
  }
  const std::size_t errors_before = errors.size();
  check_tree_size(root, file, errors, limits);
  if (errors.size() != errors_before) return std::nullopt;
  return root;
}

std::optional<YAML::Node> load_yaml_file(const std::string& path, InputErrors& errors, const LoadLimits& limits) {
  BoundedRead read = read_bounded_file(path, limits.max_bytes, "scenario files");
  if (!read.text) {
    errors.add(path, {}, "", read.problem);
    return std::nullopt;
  }
  return load_yaml(*read.text, path, errors, limits);
}

}  // namespace ksim::scenario
