#pragma once

#include "relay/NostrEvent.h"

#include <QHash>
#include <QSet>

namespace uw {

/// A NIP-01 subscription filter. Every present condition must hold; lists are ORs.
struct NostrFilter
{
    static constexpr int kMaxLimit = 500;

    QSet<QString> ids;
    QSet<QString> authors;
    QSet<int> kinds;
    QHash<QString, QSet<QString>> tags; ///< single-letter tag name -> accepted values ("#h")
    std::optional<std::int64_t> since;
    std::optional<std::int64_t> until;
    std::optional<int> limit;

    bool matches(const NostrEvent& event) const;
    QJsonObject toJson() const;
    /// Strict parse; unknown keys are refused so that a typo never widens a subscription.
    static Result<NostrFilter> fromJson(const QJsonObject& json);
};

} // namespace uw
