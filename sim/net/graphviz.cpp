// Topology::to_graphviz, through Boost's write_graphviz. write_graphviz cannot draw
// clusters, so the zone is part of each node's label and a `zone` attribute.
#include <sstream>
#include <string>

#include <boost/graph/graphviz.hpp>
#include <fmt/format.h>

#include "sim/net/topology.h"

namespace ksim::net {

namespace {

// A DOT double-quoted string: backslashes and quotes escaped, newlines as \n.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string latency_label(const LatencyDistribution& latency) {
  return fmt::format("{} mean {:.3f} ms", to_string(latency.kind), latency.mean_latency_ns_estimate() / 1e6);
}

struct NodeWriter {
  const Topology* topology;
  void operator()(std::ostream& out, std::size_t vertex) const {
    const NodeInfo& info = topology->node(Topology::node_at(vertex));
    out << "[label=" << quoted(fmt::format("{}\n{} / {}", info.name, info.kind, info.zone))
        << ", zone=" << quoted(info.zone) << "]";
  }
};

struct LinkWriter {
  const Topology* topology;
  void operator()(std::ostream& out, const Topology::Edge& edge) const {
    const LinkProfile& profile = topology->link_by_id(topology->graph()[edge].link_id).profile;
    out << "[label="
        << quoted(fmt::format("{}\nloss {:.4g} ({})", latency_label(profile.latency),
                              profile.loss.average_loss_probability(), to_string(profile.loss.kind)))
        << "]";
  }
};

}  // namespace

std::string Topology::to_graphviz() const {
  std::ostringstream out;
  boost::write_graphviz(out, graph_, NodeWriter{this}, LinkWriter{this});
  return out.str();
}

}  // namespace ksim::net
