#pragma once
// Progress of a batch on stderr (the user's wall clock, never a run's).
#include "sim/run/batch.h"

namespace ksim::cli {

// One updating line on a terminal (at most ten redraws a second), a plain line every
// tenth of the runs elsewhere (CI logs); nothing when disabled (--json).
run::Progress progress_printer(bool enabled);

}  // namespace ksim::cli
