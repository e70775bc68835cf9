#pragma once

#include <QMetaType>
#include <QString>
#include <cstdint>

namespace uw {

/// One act of a device: an event signed by its key (a login it started, signed or refused, a
/// pairing, a member document version), or a login this device recorded in its own history. Its
/// time is the event's created_at, the device's own claim covered by its signature, never a
/// relay's.
struct DeviceAct
{
    QString pubkey;
    std::int64_t at = 0;
    int kind = 0;    ///< the event's kind (9240 … 9244): what the device did
    QString eventId; ///< the event, or empty for a login of this device's history
    bool operator==(const DeviceAct&) const = default;
    /// Whether this act is later than `other` (ties go to the smaller event id, so that every reader
    /// keeps the same one whatever the order it saw them in).
    bool isLaterThan(const DeviceAct& other) const
    {
        return at > other.at || (at == other.at && eventId < other.eventId);
    }
};

} // namespace uw

Q_DECLARE_METATYPE(uw::DeviceAct)
