#pragma once
// Escaping scenario-provided text for each output language. A scenario name, a
// description or a cause explanation is written by whoever wrote the scenario file, so
// every report treats it as hostile: it must not open a tag, break a table or end an
// attribute.
#include <string>
#include <string_view>

namespace ksim::reports {

// Valid UTF-8 with only the characters XML 1.0 allows (tab, LF, CR, U+0020 and up, minus
// U+FFFE/U+FFFF); anything else becomes U+FFFD. The basis of both escapes below.
std::string xml_clean(std::string_view text);
// xml_clean, then & < > " ' as entities: safe in XML/HTML text and quoted attributes.
std::string xml_escape(std::string_view text);
inline std::string html_escape(std::string_view text) { return xml_escape(text); }

// Text safe inside a GitHub-flavoured Markdown table cell or paragraph: & < > as entities
// (GitHub passes raw HTML through), inline Markdown punctuation (| * _ ` [ ] { } ~ \)
// and line-start syntax (# - + = "1.") backslash-escaped, newlines folded into spaces.
std::string markdown_escape(std::string_view text);
// A Markdown code span holding `text` verbatim (the fence grows past any backtick run in
// it); newlines folded into spaces, since a code span cannot cross a table row.
std::string markdown_code_span(std::string_view text);

}  // namespace ksim::reports
