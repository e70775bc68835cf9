#pragma once

#include <QLoggingCategory>

namespace uw {

/// The anchoring module's log ("userwallet.anchor"): the store, the service, the fan-out.
Q_DECLARE_LOGGING_CATEGORY(lcAnchor)

} // namespace uw
