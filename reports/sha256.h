#pragma once
// SHA-256 (FIPS 180-4), for the hash-based Content-Security-Policy of report.html: the
// policy allows exactly the one inline script whose digest it names (CSP Level 2,
// 'sha256-<base64>'), so an injected script would still be refused.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ksim::reports {

std::array<std::uint8_t, 32> sha256(std::string_view data);
std::string base64(const std::uint8_t* data, std::size_t size);
// "'sha256-<base64 digest>'" of `script`, as a CSP source expression.
std::string csp_script_hash(std::string_view script);

}  // namespace ksim::reports
