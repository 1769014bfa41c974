#pragma once
// Where in a scenario file something stands. Lines and columns are 1-based, as editors
// and compilers print them; 0 means "not known" (e.g. an error about the whole file).
// yaml-cpp's Mark is 0-based and uses -1 for "no mark": convert only through
// from_yaml_mark (yaml_reader.h) so the off-by-one lives in one place.
namespace ksim::scenario {

struct SourceLocation {
  int line = 0;
  int column = 0;

  bool known() const { return line > 0; }
  auto operator<=>(const SourceLocation&) const = default;
};

}  // namespace ksim::scenario
