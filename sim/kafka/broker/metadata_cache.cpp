#include "sim/kafka/broker/metadata_cache.h"

namespace ksim::kafka {

bool MetadataCache::update(std::shared_ptr<const MetadataImage> image) {
  if (image == nullptr || (image_ != nullptr && image->version <= image_->version)) return false;
  image_ = std::move(image);
  return true;
}

BrokerId MetadataCache::leader(PartitionId partition) const {
  if (image_ == nullptr || partition.index() >= image_->partitions.size()) return kNoBroker;
  return image_->partitions[partition.index()].leader;
}

LeaderEpoch MetadataCache::leader_epoch(PartitionId partition) const {
  if (image_ == nullptr || partition.index() >= image_->partitions.size()) return kNoLeaderEpoch;
  return image_->partitions[partition.index()].leader_epoch;
}

std::vector<BrokerId> MetadataCache::leaders(std::uint32_t first, std::uint32_t end) const {
  std::vector<BrokerId> result;
  result.reserve(end > first ? end - first : 0);
  for (std::uint32_t p = first; p < end; ++p) result.push_back(leader(PartitionId{p}));
  return result;
}

MetadataResponse MetadataCache::answer(PartitionId offsets_partition) const {
  MetadataResponse response;
  if (image_ == nullptr) return response;
  const std::vector<PartitionState>& partitions = image_->partitions;
  const auto count = static_cast<std::uint32_t>(partitions.size());
  for (std::uint32_t p = 0; p < offsets_partition.value() && p < count; ++p) {
    response.leaders.push_back(partitions[p].leader);
    response.leader_epochs.push_back(partitions[p].leader_epoch);
  }
  response.coordinator = leader(offsets_partition);
  response.transaction_coordinators = leaders(offsets_partition.value() + 1, count);
  for (const BrokerId b : ids_below<BrokerId>(static_cast<std::uint32_t>(image_->fenced.size()))) {
    if (image_->fenced[b.index()] == 0) response.live_brokers.push_back(b);
  }
  return response;
}

}  // namespace ksim::kafka
