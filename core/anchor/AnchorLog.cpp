#include "anchor/AnchorLog.h"

namespace uw {

Q_LOGGING_CATEGORY(lcAnchor, "userwallet.anchor", QtInfoMsg)

} // namespace uw
